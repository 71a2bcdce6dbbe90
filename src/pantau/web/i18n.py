"""Both languages of the web app. English text is the key; ID holds the Indonesian.

A key missing here shows in English; tests/web check that every key the templates use has its
Indonesian text.
"""

from __future__ import annotations

LANGS = ("id", "en")

ID: dict[str, str] = {
    # navigation and frame
    "Overview": "Ringkasan",
    "Candidates": "Kandidat",
    "Candidate": "Kandidat",
    "Posts": "Unggahan",
    "Post": "Unggahan",
    "Comments": "Komentar",
    "Comment": "Komentar",
    "Questions": "Pertanyaan",
    "Compliance": "Kepatuhan",
    "Coordination": "Koordinasi",
    "Imports": "Impor",
    "Rejects": "Baris ditolak",
    "Coding": "Pengodean",
    "Users": "Pengguna",
    "SQL": "SQL",
    "Analysis tables": "Tabel analisis",
    "Log in": "Masuk",
    "Log out": "Keluar",
    "Skip to content": "Langsung ke isi",
    "Menu": "Menu",
    "Language": "Bahasa",
    "Signed in as": "Masuk sebagai",
    "local use": "penggunaan lokal",
    "pantau: election campaigns on social media": "pantau: kampanye pemilu di media sosial",
    # notes
    "Run pantau analyze to compute these figures.":
        "Jalankan pantau analyze untuk menghitung angka-angka ini.",
    "No analysis tables yet.": "Belum ada tabel analisis.",
    "Nothing here yet.": "Belum ada apa-apa di sini.",
    "Nothing matches these filters.": "Tidak ada yang cocok dengan filter ini.",
    "Import data first: pantau import FILES": "Impor data dulu: pantau import FILES",
    "Counts and rates come from the last capture of each post.":
        "Jumlah dan rasio diambil dari tangkapan terakhir tiap unggahan.",
    "Times are shown in": "Waktu ditampilkan dalam",
    "Commenters' handles are pseudonymised.": "Nama akun pemberi komentar disamarkan.",
    "Figures from the analysis tables, as in the report.":
        "Angka dari tabel analisis, sama dengan laporan.",
    "Figure": "Gambar",
    "Data as a table": "Data sebagai tabel",
    "The same figures as tables": "Angka yang sama dalam bentuk tabel",
    "The charts could not be drawn; the tables below hold the same figures.":
        "Grafik tidak dapat digambar; tabel di bawah memuat angka yang sama.",
    # figures
    "Accounts": "Akun",
    "Platform": "Platform",
    "Platforms": "Platform",
    "Role": "Peran",
    "Followers": "Pengikut",
    "Views": "Tayangan",
    "Likes": "Suka",
    "Shares": "Dibagikan",
    "Saves": "Disimpan",
    "Comments collected": "Komentar terkumpul",
    "Engagement per follower": "Engagement per pengikut",
    "Engagement per view": "Engagement per tayangan",
    "Median engagement per view": "Median engagement per tayangan",
    "Negative comments": "Komentar negatif",
    "Open questions": "Pertanyaan belum dijawab",
    "Unanswered questions": "Pertanyaan yang belum dijawab",
    "Unanswered audience questions": "Pertanyaan audiens yang belum dijawab",
    "questions from the audience that no account of this candidate answered":
        "pertanyaan audiens yang belum dijawab akun mana pun milik kandidat ini",
    "Post functions": "Fungsi unggahan",
    "Post function": "Fungsi unggahan",
    "Topics": "Topik",
    "Topic": "Topik",
    "Flags": "Tanda",
    "Flag": "Tanda",
    "Phase": "Tahap",
    "Sentiment": "Sentimen",
    "Category": "Kategori",
    "Question": "Pertanyaan",
    "Toxicity": "Toksisitas",
    "Answered": "Dijawab",
    "Top posts": "Unggahan teratas",
    "Metrics over time": "Metrik dari waktu ke waktu",
    "Observed at": "Diamati pada",
    "Observations": "Pengamatan",
    "Labels": "Label",
    "Label": "Label",
    "Scheme": "Skema",
    "Value": "Nilai",
    "Score": "Skor",
    "Source": "Sumber",
    "Evidence": "Bukti",
    "Comment thread": "Utas komentar",
    "replies": "balasan",
    "reply": "balasan",
    "Reply by the candidate's account": "Balasan dari akun kandidat",
    "Open on the platform": "Buka di platform",
    "Text": "Teks",
    "Date": "Tanggal",
    "Time": "Waktu",
    "Author": "Penulis",
    "Media": "Media",
    "Account": "Akun",
    "Total": "Total",
    "Share": "Porsi",
    "posts": "unggahan",
    "comments": "komentar",
    "Findings": "Temuan",
    "Leads for human review, not verdicts.":
        "Petunjuk untuk ditinjau manusia, bukan putusan.",
    "Rule": "Aturan",
    "Legal basis": "Dasar hukum",
    "Review": "Tinjauan",
    "Not reviewed": "Belum ditinjau",
    "Reviewed": "Sudah ditinjau",
    "Dismissed": "Diabaikan",
    "Escalated": "Diteruskan",
    "Note": "Catatan",
    "Save": "Simpan",
    "Status": "Status",
    "File": "Berkas",
    "Format": "Format",
    "Started": "Mulai",
    "Records": "Rekaman",
    "Duplicates": "Duplikat",
    "Line": "Baris",
    "Reason": "Alasan",
    "Raw record": "Rekaman asli",
    "rows": "baris",
    # filters
    "Filter": "Saring",
    "Filters": "Filter",
    "Apply": "Terapkan",
    "Reset": "Atur ulang",
    "All": "Semua",
    "any": "apa saja",
    "yes": "ya",
    "no": "tidak",
    "From": "Dari",
    "To": "Sampai",
    "Search text": "Cari teks",
    "Sort by": "Urutkan menurut",
    "Newest first": "Terbaru dulu",
    "Oldest first": "Terlama dulu",
    "descending": "menurun",
    "ascending": "menaik",
    "Order": "Urutan",
    "Previous": "Sebelumnya",
    "Next": "Berikutnya",
    "Page": "Halaman",
    "Created": "Dibuat",
    "Most liked": "Paling banyak disukai",
    # coding
    "Manual coding": "Pengodean manual",
    "Codebook": "Buku kode",
    "Variables": "Variabel",
    "Variable": "Variabel",
    "Samples": "Sampel",
    "Sample": "Sampel",
    "New sample": "Sampel baru",
    "Draw a random sample": "Ambil sampel acak",
    "Draw sample": "Ambil sampel",
    "None checked: every variable of the target.":
        "Tidak ada yang dicentang: semua variabel untuk sasaran itu.",
    "Target": "Sasaran",
    "Size": "Ukuran",
    "Coders": "Pengode",
    "Coder": "Pengode",
    "Overlap for double coding": "Tumpang tindih untuk pengodean ganda",
    "share of items coded by two coders, e.g. 0.2":
        "porsi butir yang dikode dua pengode, misalnya 0.2",
    "comma-separated names": "nama dipisah koma",
    "Seed (optional)": "Seed (opsional)",
    "Name": "Nama",
    "Progress": "Kemajuan",
    "coded": "dikode",
    "items": "butir",
    "double-coded": "dikode ganda",
    "Code": "Kode",
    "Start coding": "Mulai mengode",
    "Continue coding": "Lanjutkan mengode",
    "Your coder name": "Nama pengode Anda",
    "Codes are saved as": "Kode disimpan sebagai",
    "Set name": "Simpan nama",
    "Choose a coder name before coding.": "Pilih nama pengode sebelum mengode.",
    "Item": "Butir",
    "of": "dari",
    "Save and next": "Simpan dan lanjut",
    "Skip": "Lewati",
    "Back": "Kembali",
    "Keyboard": "Papan ketik",
    "keys": "tombol",
    "choose a value": "pilih nilai",
    "next/previous variable": "variabel berikut/sebelumnya",
    "save and go to the next item": "simpan dan ke butir berikutnya",
    "previous/next item": "butir sebelumnya/berikutnya",
    "several values allowed": "boleh lebih dari satu nilai",
    "one value": "satu nilai",
    "Context (the post)": "Konteks (unggahan)",
    "Context": "Konteks",
    "The post it answers": "Unggahan yang dikomentari",
    "The comment it replies to": "Komentar yang dibalas",
    "The thread": "Utas",
    "show or hide the context (the post, the thread)":
        "tampilkan atau sembunyikan konteks (unggahan, utas)",
    "Validation sample: code blind. The model's label is not shown, so that your code "
    "measures it.": "Sampel validasi: mengode tanpa melihat. Label model tidak ditampilkan "
    "agar kode Anda dapat mengukurnya.",
    "Guideline": "Pedoman",
    "(this comment)": "(komentar ini)",
    "All items coded. Thank you!": "Semua butir sudah dikode. Terima kasih!",
    "No items assigned to you in this sample.": "Tidak ada butir untuk Anda di sampel ini.",
    "Saved.": "Tersimpan.",
    "Reliability": "Reliabilitas",
    "Krippendorff's alpha (nominal)": "Alpha Krippendorff (nominal)",
    "95% CI (bootstrap)": "IK 95% (bootstrap)",
    "Units": "Unit",
    "Agreement": "Kesepakatan",
    "Verdict": "Penilaian",
    "reliable": "reliabel",
    "tentative": "tentatif",
    "unreliable": "tidak reliabel",
    "undefined": "tak terdefinisi",
    "Compute": "Hitung",
    "alpha >= .800 reliable; .667-.800 tentative; below .667 drop the variable.":
        "alpha >= .800 reliabel; .667-.800 tentatif; di bawah .667 variabel dibuang.",
    "No double-coded items yet.": "Belum ada butir yang dikode ganda.",
    "Disagreements": "Ketidaksepakatan",
    "Adjudicate": "Putuskan",
    "Settled": "Diputuskan",
    "Settle": "Tetapkan",
    "No disagreements.": "Tidak ada ketidaksepakatan.",
    "All samples": "Semua sampel",
    "Export for spreadsheets": "Ekspor untuk spreadsheet",
    "none": "tidak ada",
    # users and login
    "User name": "Nama pengguna",
    "Password": "Kata sandi",
    "Add user": "Tambah pengguna",
    "Remove": "Hapus",
    "Too many failed logins; try again later.":
        "Terlalu banyak gagal masuk; coba lagi nanti.",
    "Wrong user name or password.": "Nama pengguna atau kata sandi salah.",
    "Admins draw samples, settle disagreements and manage users; coders code.":
        "Admin mengambil sampel, memutuskan ketidaksepakatan, dan mengelola pengguna; "
        "pengode mengode.",
    # sql
    "Read-only SQL": "SQL hanya-baca",
    "more rows were left out": "baris selebihnya tidak ditampilkan",
    "the result is larger than": "hasilnya lebih dari",
    "characters": "karakter",
    "values were cut at": "nilai dipotong pada",
    "Run": "Jalankan",
    "Only SELECT and EXPLAIN run here; at most 1,000 rows are shown.":
        "Hanya SELECT dan EXPLAIN yang dijalankan; paling banyak 1.000 baris ditampilkan.",
    "Only the tables listed here can be read. The project's pseudonym key (table meta) and "
    "the web accounts and sessions stay closed; files and the network are out of reach.":
        "Hanya tabel yang tercantum di sini yang dapat dibaca. Kunci pseudonim proyek "
        "(tabel meta) serta akun dan sesi web tetap tertutup; berkas dan jaringan tidak "
        "dapat dijangkau.",
    # errors
    "Not found": "Tidak ditemukan",
    "Forbidden": "Terlarang",
    "Error": "Galat",
    "Back to the overview": "Kembali ke ringkasan",
}


def translate(text: str, lang: str) -> str:
    if lang == "id":
        return ID.get(text, text)
    return text


def pick_language(query: str | None, cookie: str | None, accept: str | None) -> str:
    for value in (query, cookie):
        if value in LANGS:
            return value
    for part in (accept or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGS:
            return code
    return "id"
