"""Write data/train/toxicity_train_id.csv: training sentences for the toxicity model.

Written for pantau in a second author pass, AFTER the test suite (data/eval), with other
templates and other group phrases: the suite is a test set and nothing here copies it
(tests/text/test_hate_suite.py checks that no sentence is shared). Six of the suite's groups
(Bugis, Minang, Konghucu, Ahmadiyah, tunanetra, orang kampung) never appear here, so the suite
also measures groups the model has not seen; eight groups here are not in the suite.

    python scripts/build_toxicity_train.py        # rewrites the CSV (deterministic)

Columns: text, label (hate / abusive / none), source (template family).
"""

from __future__ import annotations

import csv
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "data" / "train" / "toxicity_train_id.csv"

GROUPS = [
    "etnis Tionghoa", "warga Tionghoa", "orang Madura", "masyarakat Madura", "warga Batak",
    "orang Jawa", "suku Sunda", "masyarakat Papua", "anak-anak Papua", "orang Dayak",
    "warga Betawi", "orang keturunan Arab", "orang Aceh", "orang Ambon", "orang Bali",
    "orang Melayu", "suku Sasak", "orang Toraja", "orang keturunan India",
    "penganut Hindu", "pemeluk Islam", "umat Islam", "jemaat gereja", "umat Kristen",
    "umat Katolik", "umat Buddha", "orang Syiah", "penganut Syiah", "orang yang ateis",
    "kaum ateis", "orang Yahudi", "penghayat kepercayaan", "kaum hawa", "para perempuan",
    "ibu-ibu janda", "komunitas gay", "kaum lesbian", "orang LGBT", "kaum transgender",
    "kaum disabilitas", "orang tunarungu", "penyandang difabel", "perantau", "warga pendatang",
]
SLURS = ["cokin", "aseng", "kafir", "jawir", "maho", "bencong", "kadrun", "kadal gurun", "onta",
         "cina babi", "pantat cina", "antek aseng", "banci", "homo"]

HATE = [
    "Aku paling sebel sama {g}, nyebelin semua.",
    "{G} tuh ngeselin, gak ada yang bener.",
    "Gak sudi aku temenan sama {g}.",
    "{G} memang dasarnya penipu.",
    "Hati-hati sama {g}, mereka itu maling semua.",
    "{G} itu penyakit buat negeri ini.",
    "Negeri ini bakal lebih baik tanpa {g}.",
    "Usir aja {g} dari kampung kita!",
    "Bakar aja tempat ibadah {g}.",
    "Kalau perlu {g} dibunuhin semua.",
    "Ayo ganyang {g}!",
    "{G} itu makhluk hina, lebih hina dari hewan.",
    "Jangan kasih kerjaan ke {g}, otaknya nggak nyampe.",
    "{G} nggak boleh tinggal di kompleks ini.",
    "{G} najis, jangan sentuh barang gue.",
    "Semoga {g} cepet punah dari bumi.",
    "Wajar lah {g} kelakuannya kayak hewan.",
    "Gue nggak percaya {g}, munafik semua.",
    "Emangnya {g} punya otak?",
    "{G} itu cuma kecoa yang numpang di sini.",
    "Mereka tuh {g}, makanya jorok banget.",
    "Ogah punya pemimpin dari {g}, nggak layak memimpin.",
    "Habisi saja {g} biar aman.",
    "Eneg gue liat kelakuan {g}.",
    "{G} bau, dekil, dan malas.",
    "{G} gak pantes dapet hak yang sama.",
    "Kalau ada {g} lewat, lempar batu aja.",
    "Tolol semua tuh {g}.",
    "Sampah kayak {g} harus dibuang jauh-jauh.",
    "Dasar {g} bangsat.",
    "{G}? Gak level, mereka lebih rendah.",
    "Tiap liat {g} rasanya pengen gue hajar.",
]
SLUR_HATE = [
    "Dasar {s}, pergi sana!",
    "{S} semua emang nyusahin.",
    "Gak mau beli di toko {s}.",
    "Lu kan {s}, diem aja.",
]
# news-style sentences: a group and a violent or hostile word, not an attack on the group
NEWS = [
    "Bentrokan di Wamena, warga Papua jadi korban penembakan aparat.",
    "Polisi menyelidiki pembakaran rumah ibadah jemaat Ahmadiyah di Sintang.",
    "Komnas Perempuan mencatat kekerasan terhadap perempuan naik tahun ini.",
    "Warga Madura di Sampit mengungsi setelah konflik tahun 2001.",
    "Pelaku penyerangan gereja di Makassar sudah ditangkap Densus.",
    "Seorang pemuda Dayak tewas ditusuk dalam perkelahian di pasar.",
    "Kerusuhan 1998 menyasar warga Tionghoa, banyak toko dibakar.",
    "Survei: diskriminasi terhadap penyandang disabilitas masih tinggi.",
    "Pemerintah mengecam aksi teror terhadap umat Kristen di Sigi.",
    "Film dokumenter soal pembantaian 1965 diputar di kampus.",
    "Pengungsi Rohingya ditolak mendarat, aktivis HAM protes.",
    "Laporan: ujaran kebencian terhadap kelompok LGBT meningkat di medsos.",
    "Tokoh agama Hindu dan Islam bersama menolak kekerasan.",
    "Korban banjir dari kampung Betawi dievakuasi ke masjid.",
    "Sidang kasus pembunuhan warga Batak digelar hari ini.",
    "Hakim memvonis pelaku persekusi terhadap orang Syiah di Sampang.",
    "Ribuan umat Buddha merayakan Waisak dengan aman.",
    "Kelompok intoleran membubarkan ibadah, polisi turun tangan.",
    "Aparat memukul mundur massa, beberapa mahasiswa Papua luka.",
    "Berita bohong soal imigran asing bikin warga resah.",
]
NONE_GROUP = [
    "Di RT kami ada beberapa keluarga {g}.",
    "Kemarin ada diskusi soal sejarah {g} di kampus.",
    "Teman sekamarku dari {g}, asik orangnya.",
    "Pemerintah harus lindungi hak-hak {g}.",
    "Aku belajar banyak dari {g} soal toleransi.",
    "Gak usah rasis sama {g}, kita semua sama.",
    "Yang ngatain {g} itu yang sebenarnya bermasalah.",
    "Menyebarkan kebencian terhadap {g} itu dosa.",
    "Tolong jangan sebar hoaks soal {g}.",
    "Akun itu dilaporkan karena menghina {g}.",
    "Beritanya soal ujaran kebencian terhadap {g} di Twitter.",
    "Gak ada alasan buat benci {g}.",
    "Aku nggak pernah jijik sama {g}, biasa aja.",
    "{G} bukan penjahat, jangan digeneralisir.",
    "Dia teriak 'usir {g}' terus langsung diamankan polisi.",
    "Calon wali kota janji bikin program buat {g}.",
    "Banyak {g} yang jadi relawan banjir kemarin.",
    "Respect buat {g} yang tetap semangat kerja.",
    "Kenapa ya {g} jarang dapat kursi di DPRD?",
    "Survei terbaru soal pilihan politik {g} menarik.",
    "Jangan percaya kalau ada yang bilang {g} itu jahat.",
    "Komentar yang menyebut {g} hama sudah dihapus admin.",
]
ABUSIVE = [
    "Calon nomor dua goblok, debat aja gak bisa.",
    "Dasar pejabat maling!",
    "Anjir macet parah di depan kantor bupati.",
    "Bangsat tuh timses, janji palsu mulu.",
    "Lu bego ya? Baca dulu programnya.",
    "Kerjanya lelet, otak udang emang.",
    "Pendukung paslon sebelah tolol semua.",
    "Buzzer bayaran kerjaannya fitnah doang, bajingan.",
    "Anggota dewan kayak tikus, makan duit rakyat.",
    "Preman pasar itu brengsek, pantes dihajar.",
    "Kampret, udah antre lama bansosnya habis.",
    "Mulutmu bau comberan, diem.",
    "Anjing lah, kuota abis pas live debat.",
    "Tai kucing janji kampanyenya.",
    "Koruptor kayak gitu pantes digantung.",
    "Kamu kok goblok banget sih jadi admin.",
    "Bacot doang kerjaan nol.",
    "Bupati kita emang sinting.",
    "Dasar penjilat kekuasaan.",
    "Ngentot, jalannya bolong lagi.",
    "Sialan, hp gue dicopet pas kampanye akbar.",
    "Tolol banget kebijakan ganjil genap ini.",
    "Situ waras? Komentar kok ngaco.",
    "Brengsek, sinyal jelek banget di desa ini.",
    "Anjrit, panas banget siang ini.",
    "Dasar tukang bohong, kemarin janji apa?",
    "Gembel kayak lu gak usah sok ngatur.",
    "Bego amat panitianya, kursi kurang.",
    "Kamu tuh sampah, bisanya nyinyir doang.",
    "Mampus lu, ketahuan korupsi juga.",
    "Mati aja lu koruptor.",
    "Dasar gila, janji kampanye gak ada yang ditepati.",
    "Otakmu sampah, fitnah terus.",
    "Kamu kayak ular, bermuka dua.",
    "Lu setan, nipu rakyat kecil.",
    "Pejabat kayak kalian pantes dibakar.",
    "Muka lu kayak kerbau, bego.",
    "Dasar bocah, komentar asal.",
    "Dasar kampungan lu.",
    "Dasar udik, gak ngerti aturan.",
    "Caleg itu buaya darat, nipu janda.",
    "Gue tonjok lu kalau ketemu.",
    "Awas lu, gue bacok kalau masih fitnah.",
    "Bunuh aja tuh bandar judi online.",
]
NONE = [
    "Semangat pak, semoga menang!",
    "Program air bersihnya bagus, lanjutkan.",
    "Kapan jalan di desa kami diperbaiki?",
    "Saya pilih yang programnya jelas.",
    "Sampah di pasar belum diangkut dari kemarin.",
    "Mati lampu lagi di RW 05.",
    "Jangan lupa nyoblos ya, 14 Februari.",
    "Bakar sate bareng warga malam tahun baru.",
    "Tolong usut tuntas korupsi dana desa.",
    "Pelaku pembunuhan di pasar sudah ditangkap polisi.",
    "Banjir bikin warga mengungsi ke masjid.",
    "Harga cabai naik gila-gilaan.",
    "Setuju pak, pendidikan gratis itu penting.",
    "Debatnya seru, dua-duanya punya poin bagus.",
    "Mohon perhatian untuk puskesmas di kecamatan kami.",
    "Kerja bakti bersihkan selokan hari Minggu.",
    "Kapan bantuan untuk nelayan cair?",
    "Buang sampah pada tempatnya, jaga kebersihan.",
    "Kampanye damai, jangan ada kekerasan.",
    "Anak saya sekolah di SD negeri dekat pasar.",
    "Kasihan petani, harga gabah anjlok.",
    "Beliau sangat peduli sama rakyat kecil.",
    "Ayo dukung UMKM lokal!",
    "Bapak sudah blusukan ke kampung kami, terima kasih.",
    "Video debat semalam sudah ada di YouTube.",
    "Saya kurang setuju dengan program ini, terlalu mahal.",
    "Kebijakan ini perlu dikaji ulang.",
    "Gak jelas banget jawabannya, kecewa.",
    "Nasi padang di depan kantor camat enak.",
    "Sate Madura langganan tutup hari ini.",
    "Pulau Jawa paling padat penduduknya.",
    "Belajar bahasa Sunda di sekolah itu menyenangkan.",
    "Soto Betawi paling enak pakai emping.",
    "Perayaan Nyepi di Bali berjalan lancar.",
    "Jalan Aceh ditutup karena ada pawai.",
    "Hari Perempuan Internasional dirayakan di balai kota.",
    "Pemberdayaan perempuan jadi program prioritas.",
    "Masjid dan gereja di sini berdampingan sejak dulu.",
    "Anjing tetangga menggonggong semalaman.",
    "Monyet di Sangeh suka ambil kacamata turis.",
    "Kambing kurban sudah dibagikan ke warga.",
    "Kita harus usir rasa malas dan mulai bergerak.",
    "Benci banget sama macet Jakarta.",
    "Aku benci hujan pas mau berangkat kerja.",
    "Jijik liat got mampet depan rumah.",
    "Tikus di gudang beras makin banyak.",
    "Hama wereng menyerang sawah warga.",
    "Bunuh nyamuk pakai raket listrik.",
    "Tembak langsung ke gawang, gol!",
    "Gila, keren banget drone show-nya.",
    # words that insult only when aimed at someone, here aimed at nobody
    "Lampu jalan di gang kami mati terus, tolong dicek.",
    "@dinaspupr kok PJU di perempatan mati lagi ya",
    "Motor saya mati di tengah banjir.",
    "Sinyal mati total sejak pagi.",
    "Orang itu meninggal, bukan mati konyol.",
    "Gila sih antusiasme warga tadi malam.",
    "Tergila-gila sama sambal buatan ibu.",
    "Sampahnya udah diangkut belum pak?",
    "Sampah plastik jadi masalah di sungai kami.",
    "Bank sampah di RW 3 sudah jalan.",
    "Film setan di bioskop rame banget.",
    "Ada ular masuk rumah warga, damkar datang.",
    "Buaya muncul di sungai dekat sekolah.",
    "Kerbau petani dipinjam buat bajak sawah.",
    "Harga sapi jelang Idul Adha naik.",
    "Bocah-bocah main layangan di lapangan.",
    "Kampung kami kebanjiran lagi.",
    "Warga miskin butuh bantuan langsung.",
    "Jalan ini jelek banget, lubangnya di mana-mana.",
    "Hasilnya buruk, perlu evaluasi.",
    "Rakyat jangan mau dibodohi janji palsu.",
    "Kebakaran di pasar, api cepat dipadamkan.",
    "Polisi tembak mati bandar narkoba.",
    "Ayo hajar dengan program nyata, bukan janji.",
    "Sikat habis korupsi di desa!",
    "Kita bakar semangat relawan malam ini!",
    "Gebrakan baru dari calon nomor satu.",
    "Jangan buang sampah ke kali.",
    "Buang jauh-jauh sikap malas, ayo kerja.",
    "Pemilu itu pesta rakyat, bukan ajang saling benci.",
    "Kotor banget selokan depan sekolah.",
    "Bau sampah dari TPA sampai ke rumah.",
    "Penyakit demam berdarah naik musim hujan.",
    "Virus flu lagi musim, jaga kesehatan.",
    "Parasit di ikan bisa dicegah dengan dimasak matang.",
    "Gak ada yang mustahil kalau kita bersatu.",
    "Bukan warga sini tapi ikut bantu kerja bakti.",
]


def rows() -> list[dict[str, str]]:
    out: list[dict[str, str]] = []

    def fill(t: str, g: str) -> str:
        return t.replace("{G}", g[0].upper() + g[1:]).replace("{g}", g)

    for gi, g in enumerate(GROUPS):
        for k in range(6):  # six rotating templates per group
            out.append({"text": fill(HATE[(gi * 3 + k) % len(HATE)], g), "label": "hate",
                        "source": "hate_template"})
        for k in range(5):
            out.append({"text": fill(NONE_GROUP[(gi * 2 + k) % len(NONE_GROUP)], g),
                        "label": "none", "source": "group_not_hate_template"})
    for si, s in enumerate(SLURS):
        for k in range(2):
            t = SLUR_HATE[(si + k) % len(SLUR_HATE)]
            out.append({"text": t.replace("{S}", s[0].upper() + s[1:]).replace("{s}", s),
                        "label": "hate", "source": "slur_template"})
    out += [{"text": t, "label": "none", "source": "news_group_violence"} for t in NEWS]
    out += [{"text": t, "label": "abusive", "source": "abusive_no_group"} for t in ABUSIVE]
    out += [{"text": t, "label": "none", "source": "none_political"} for t in NONE]
    seen: set[str] = set()
    unique = []
    for r in out:
        if r["text"] not in seen:
            seen.add(r["text"])
            unique.append(r)
    return unique


def main() -> None:
    data = rows()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, ["text", "label", "source"])
        w.writeheader()
        w.writerows(data)
    from collections import Counter

    print(f"wrote {OUT.relative_to(REPO)}: {len(data)} sentences "
          f"{dict(Counter(r['label'] for r in data))}")


if __name__ == "__main__":
    main()
