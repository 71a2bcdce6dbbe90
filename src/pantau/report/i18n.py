"""Report strings in Bahasa Indonesia (default) and English. `t(lang, key, **values)`."""

from __future__ import annotations

LANGS = ("id", "en")

STRINGS: dict[str, dict[str, str]] = {
    "id": {
        "title": "Laporan kampanye media sosial",
        "generated": "Dibuat oleh pantau {version} pada {when}. Semua waktu dalam {tz}.",
        "synthetic_banner": "DATA SINTETIS — bukan data nyata; angka di laporan ini hanya "
                            "contoh untuk menunjukkan cara kerja pantau.",
        "toc": "Isi",
        "summary": "Ringkasan",
        "data_method": "Data dan metode",
        "profiles": "Profil kandidat",
        "platforms": "Perbandingan platform",
        "content": "Strategi konten",
        "audience": "Tanggapan audiens",
        "responsiveness": "Daya tanggap",
        "youth": "Format yang menyasar pemilih muda",
        "timeline": "Linimasa",
        "compliance": "Temuan kepatuhan",
        "media": "Format visual: infografis, video, foto",
        "coordination": "Pola koordinasi (untuk ditinjau)",
        "appendix": "Lampiran",
        "figure": "Gambar",
        "table": "Tabel",
        "see": "lihat",
        "source": "Sumber data",
        "no_data": "Belum ada data untuk bagian ini.",
        "no_labels": "Belum ada label ({schemes}) — jalankan `pantau enrich`.",
        "candidate": "Kandidat",
        "platform": "Platform",
        "role": "Peran akun",
        "accounts": "Akun",
        "followers": "Pengikut",
        "posts": "Unggahan",
        "posts_per_week": "Unggahan per minggu",
        "comments": "Komentar",
        "views": "Tayangan",
        "likes": "Suka",
        "shares": "Bagikan",
        "saves": "Simpan",
        "interactions": "Interaksi",
        "er_follower": "Keterlibatan per pengikut",
        "er_view": "Keterlibatan per tayangan",
        "er_follower_def": "tingkat keterlibatan per pengikut = (suka + komentar) / pengikut",
        "er_view_def": "tingkat keterlibatan per tayangan = (suka + komentar + bagikan) / "
                       "tayangan",
        "rates_note": "Setiap tingkat hanya dihitung jika semua masukannya ada.",
        "median_iqr": "median (IQR)",
        "total": "Total",
        "median": "Median",
        "share": "Proporsi",
        "media_mix": "Jenis media",
        "posting_hours": "Jam unggah (waktu setempat)",
        "weekday": "Hari",
        "hour": "Jam",
        "weekdays": "Sen,Sel,Rab,Kam,Jum,Sab,Min",
        "date": "Tanggal",
        "top_posts": "Unggahan teratas",
        "growth": "Pertumbuhan antar pengamatan metrik",
        "growth_text": "{n} unggahan diamati lebih dari sekali; median pertambahan suka per "
                       "hari {likes}, tayangan per hari {views}.",
        "growth_none": "Tidak ada unggahan yang diamati lebih dari sekali, jadi pertumbuhan "
                       "belum bisa diukur.",
        "tests": "Uji statistik",
        "tests_intro": "Apakah keterlibatan berbeda antarplatform dan antarkandidat? Uji "
                       "Kruskal–Wallis (dengan ε² sebagai besar efek) lalu uji Mann–Whitney "
                       "berpasangan (α = 0,05); uji peringkat dipakai karena angka keterlibatan "
                       "sangat menceng. Unggahan satu akun tidak saling bebas, jadi satuan uji "
                       "adalah akun: setiap akun diwakili median unggahannya. Kelompok dengan "
                       "kurang dari {min_group} akun tidak diuji. Nilai p disesuaikan dengan "
                       "metode Holm atas semua uji dalam laporan ini sekaligus ({n_tests} uji). "
                       "Keterlibatan per tayangan tidak dibandingkan antarplatform (tayangan "
                       "TikTok, impresi X, dan tayangan video Facebook tidak setara), dan "
                       "kandidat hanya dibandingkan di dalam satu platform. Data hampir berupa "
                       "sensus unggahan akun-akun ini, jadi nilai p menggambarkan variasi, "
                       "bukan sampel dari populasi yang lebih luas.",
        "pairwise": "Perbandingan berpasangan",
        "no_tests": "Tidak ada uji statistik: tidak ada perbandingan dengan sedikitnya "
                    "{min_group} akun di setiap kelompok. Bandingkan median di tabel di atas "
                    "secara deskriptif saja.",
        "p_adjusted": "p disesuaikan (Holm)",
        "between_platform": "Antarplatform", "between_candidate": "Antarkandidat",
        "plain_words": "Dalam kata-kata",
        "function": "Fungsi unggahan",
        "topic": "Topik isu",
        "hashtags": "Tagar teratas",
        "terms": "Kata teratas di komentar",
        "function_engagement": "Median interaksi per fungsi (IK 95% bootstrap)",
        "sentiment": "Sentimen",
        "category": "Kategori komentar",
        "questions": "Pertanyaan",
        "complaints": "Keluhan dan aspirasi",
        "frequent": "Pertanyaan dan keluhan yang paling sering",
        "kind": "Jenis",
        "example": "Contoh",
        "count": "Jumlah",
        "volume": "Volume komentar",
        "commenters": "Pemberi komentar",
        "comments_collected": "Komentar terkumpul",
        "comments_reported": "Komentar (angka platform)",
        "median_per_post": "Median per unggahan",
        "answered": "Dijawab",
        "share_answered": "Proporsi dijawab",
        "median_minutes": "Median waktu jawab",
        "unanswered": "Pertanyaan yang belum dijawab",
        "unanswered_more": "{n} pertanyaan lain yang belum dijawab ada di tabel "
                           "analysis_questions (ekspor).",
        "responsiveness_intro": "Pertanyaan audiens = komentar berlabel pertanyaan (hasil model "
                                "atau pengode) yang bukan dari pihak kandidat. Dijawab = akun "
                                "pengunggah atau akun resmi/kandidat pasangan yang sama membalas "
                                "komentar itu sendiri: langsung, di utas yang dibukanya, atau — "
                                "bila pertanyaan itu sendiri balasan — dengan menyebut @penanya. "
                                "Balasan lain yang kebetulan menyusul di utas yang sama tidak "
                                "dihitung.",
        "capture_note": "Komentar yang tersimpan dibanding jumlah komentar yang dihitung "
                        "platform pada unggahan yang sama: {shares}. Obrolan siaran langsung, "
                        "story, dan balasan video tidak pernah terlihat, jadi pertanyaan yang "
                        "dijawab di sana tidak terhitung.",
        "youth_intro": "Ini proksi format yang sering dikaitkan dengan pemilih muda — bukan "
                       "ukuran usia audiens. Video pendek = durasi ≤ 60 detik dan ≤ 3 menit; "
                       "suara tren = suara (music_id) yang dipakai ≥ 5 unggahan oleh ≥ 2 akun; "
                       "malam = pukul 18.00–22.59; kepadatan slang = proporsi kata informal di "
                       "keterangan unggahan.",
        "short_60": "Video ≤ 60 dtk",
        "short_180": "Video ≤ 3 mnt",
        "trending": "Suara tren",
        "evening": "Unggah malam",
        "slang": "Kepadatan slang",
        "proxy": "Proksi",
        "timeline_posts": "Unggahan per hari",
        "timeline_sentiment": "Sentimen bersih komentar per hari (hari dengan sedikitnya 10 "
                              "komentar berlabel)",
        "timeline_interactions": "Interaksi (hingga pengambilan data) pada unggahan yang terbit "
                                 "hari itu",
        "net_sentiment": "Sentimen bersih",
        "phases_note": "Latar berwarna = tahapan dari berkas aturan ({rules}); garis tegak = "
                       "peristiwa (mis. debat).",
        "findings_intro": "Setiap temuan adalah petunjuk untuk ditinjau manusia, bukan putusan. "
                          "Setiap temuan memuat siapa, apa, kapan, di mana (URL), bukti, dan "
                          "aturan yang relevan.",
        "findings_summary": "Ringkasan temuan",
        "findings_more": "{n} temuan lain jenis ini ada di tabel analysis_findings (ekspor).",
        "who": "Siapa", "what": "Apa", "when": "Kapan", "where": "Di mana",
        "evidence": "Bukti", "rule": "Aturan", "note": "Catatan",
        "kind_quiet_period_post": "Unggahan di masa tenang",
        "kind_outside_campaign_post": "Unggahan di luar masa kampanye",
        "kind_unregistered_official_account": "Akun resmi tidak terdaftar",
        "kind_account_limit_exceeded": "Akun terdaftar melebihi batas",
        "kind_prohibited_content_post": "Unggahan akun kampanye dengan konten terlarang",
        "kind_prohibited_content_comment": "Komentar/balasan pihak kandidat dengan konten "
                                           "terlarang",
        "kind_ad_outside_window": "Iklan di luar masa iklan",
        "kind_public_hate_speech": "Ujaran kebencian/SARA oleh warganet (untuk dirujuk, UU ITE "
                                   "Pasal 28 ayat (2))",
        "legal_basis": "Dasar hukum", "review": "Tinjauan",
        "review_reviewed": "sudah ditinjau", "review_dismissed": "diabaikan",
        "review_escalated": "diteruskan (untuk laporan ke Bawaslu)",
        "findings_dismissed": "{n} temuan yang diabaikan pemantau setelah ditinjau tidak dihitung "
                              "di sini (tabel lead_reviews).",
        "sources": "Sumber data yang diimpor",
        "file": "Berkas", "format": "Format", "records": "Rekaman", "rejected": "Ditolak",
        "coverage": "Cakupan",
        "first": "Pertama", "last": "Terakhir",
        "models": "Model dan label",
        "labels": "Label", "targets": "Target", "accuracy": "Akurasi vs koder",
        "codebook": "Buku kode",
        "reliability": "Reliabilitas pengodean manusia",
        "reliability_none": "Belum ada pengodean manusia oleh dua koder atau lebih (label "
                            "sumber coder:*), jadi reliabilitas belum bisa diukur.",
        "alpha": "Alpha Krippendorff",
        "limitations": "Keterbatasan",
        "references": "Rujukan",
        "tables_list": "Tabel analisis",
        "query_hint": "Setiap angka bisa ditelusuri ke barisnya, misalnya: pantau query "
                      "\"SELECT * FROM analysis_posts WHERE candidate_id = 'pair-1'\"",
        "profile_accounts": "Akun terhubung",
        "registered": "Terdaftar",
        "yes": "ya", "no": "tidak",
        "running_mate": "Wakil", "parties": "Partai pengusung",
        "ballot": "Nomor urut",
        "not_linked": "Tidak ada akun yang terhubung ke kandidat ini di pantau.toml.",
        "all": "semua",
        "phase": "Tahapan",
        "caption": "Keterangan",
        "link": "tautan",
        "ci": "IK 95%",
        "n": "n",
        "method_text": "Angka dihitung dengan SQL atas basis data proyek (DuckDB) dan disimpan "
                       "di tabel analysis_*; laporan, ekspor, dan aplikasi web membaca tabel "
                       "yang sama. Metrik unggahan memakai pengamatan terakhir. Waktu diubah "
                       "dari UTC ke zona waktu pemilihan. Label otomatis dari model; label "
                       "koder manusia diutamakan bila ada.",
        "privacy_note": "Nama akun pemberi komentar disamarkan (nama samaran berkunci); akun "
                        "kandidat dan partai adalah aktor publik.",
    },
    "en": {
        "title": "Social media campaign report",
        "generated": "Generated by pantau {version} on {when}. All times in {tz}.",
        "synthetic_banner": "SYNTHETIC DATA — not real data; the numbers in this report only "
                            "show how pantau works.",
        "toc": "Contents",
        "summary": "Summary",
        "data_method": "Data and method",
        "profiles": "Candidate profiles",
        "platforms": "Platform comparison",
        "content": "Content strategy",
        "audience": "Audience response",
        "responsiveness": "Responsiveness",
        "youth": "Youth-oriented format",
        "timeline": "Timeline",
        "compliance": "Compliance findings",
        "media": "Visual formats: infographics, video, photos",
        "coordination": "Coordination patterns (for review)",
        "appendix": "Appendix",
        "figure": "Figure",
        "table": "Table",
        "see": "see",
        "source": "Data",
        "no_data": "No data for this section yet.",
        "no_labels": "No labels yet ({schemes}) — run `pantau enrich`.",
        "candidate": "Candidate",
        "platform": "Platform",
        "role": "Account role",
        "accounts": "Accounts",
        "followers": "Followers",
        "posts": "Posts",
        "posts_per_week": "Posts per week",
        "comments": "Comments",
        "views": "Views",
        "likes": "Likes",
        "shares": "Shares",
        "saves": "Saves",
        "interactions": "Interactions",
        "er_follower": "Engagement per follower",
        "er_view": "Engagement per view",
        "er_follower_def": "engagement rate per follower = (likes + comments) / followers",
        "er_view_def": "engagement rate per view = (likes + comments + shares) / views",
        "rates_note": "Each rate is computed only where all its inputs exist.",
        "median_iqr": "median (IQR)",
        "total": "Total",
        "median": "Median",
        "share": "Share",
        "media_mix": "Media mix",
        "posting_hours": "Posting hours (local time)",
        "weekday": "Weekday",
        "hour": "Hour",
        "weekdays": "Mon,Tue,Wed,Thu,Fri,Sat,Sun",
        "date": "Date",
        "top_posts": "Top posts",
        "growth": "Growth between metric observations",
        "growth_text": "{n} posts were observed more than once; median growth {likes} likes "
                       "and {views} views per day.",
        "growth_none": "No post was observed more than once, so growth cannot be measured yet.",
        "tests": "Statistical tests",
        "tests_intro": "Does engagement differ between platforms and between candidates? "
                       "Kruskal–Wallis tests (ε² as effect size), then pairwise Mann–Whitney "
                       "tests (α = 0.05); rank tests, because engagement numbers are highly "
                       "skewed. Posts of one account are not independent, so the unit of every "
                       "test is the account: each account enters with the median of its posts. "
                       "Groups with fewer than {min_group} accounts are not tested. p-values "
                       "are Holm-adjusted across every test in this report at once ({n_tests} "
                       "tests). Engagement per view is not compared between platforms (TikTok "
                       "plays, X impressions and Facebook video views are not the same thing), "
                       "and candidates are compared within one platform only. The data are "
                       "close to a census of these accounts' posts, so p-values describe "
                       "variation, not a sample of a wider population.",
        "pairwise": "Pairwise comparisons",
        "no_tests": "No statistical tests: no comparison has at least {min_group} accounts in "
                    "every group. Compare the medians in the table above descriptively only.",
        "p_adjusted": "adjusted p (Holm)",
        "between_platform": "Between platforms", "between_candidate": "Between candidates",
        "plain_words": "In plain words",
        "function": "Post function",
        "topic": "Issue topic",
        "hashtags": "Top hashtags",
        "terms": "Top terms in comments",
        "function_engagement": "Median interactions per function (95% bootstrap CI)",
        "sentiment": "Sentiment",
        "category": "Comment category",
        "questions": "Questions",
        "complaints": "Complaints and aspirations",
        "frequent": "Most frequent questions and complaints",
        "kind": "Kind",
        "example": "Example",
        "count": "Count",
        "volume": "Comment volume",
        "commenters": "Commenters",
        "comments_collected": "Comments collected",
        "comments_reported": "Comments (platform's count)",
        "median_per_post": "Median per post",
        "answered": "Answered",
        "share_answered": "Share answered",
        "median_minutes": "Median time to answer",
        "unanswered": "Unanswered questions",
        "unanswered_more": "{n} more unanswered questions are in the table analysis_questions "
                           "(export).",
        "responsiveness_intro": "Audience questions = comments labelled as questions (by a model "
                                "or a coder) that the candidate's side did not write. Answered = "
                                "the post's author or an official/candidate account of the same "
                                "pair replies to that very comment: directly, in the thread it "
                                "opens, or — when the question is itself a reply — addressing "
                                "its author by @handle. Another reply that merely follows in "
                                "the same thread does not count.",
        "capture_note": "Comments in the store against the comments the platforms count on the "
                        "same posts: {shares}. Live chats, stories and video replies are never "
                        "seen, so questions answered there are not counted.",
        "youth_intro": "These are proxies for formats often linked to young voters — not a "
                       "measure of audience age. Short video = duration ≤ 60 s and ≤ 3 min; "
                       "trending sound = a sound (music_id) used by ≥ 5 posts of ≥ 2 accounts; "
                       "evening = 18:00–22:59; slang density = share of informal words in "
                       "captions.",
        "short_60": "Video ≤ 60 s",
        "short_180": "Video ≤ 3 min",
        "trending": "Trending sound",
        "evening": "Evening posting",
        "slang": "Slang density",
        "proxy": "Proxy",
        "timeline_posts": "Posts per day",
        "timeline_sentiment": "Net sentiment of comments per day (days with at least 10 "
                              "labelled comments)",
        "timeline_interactions": "Interactions (up to capture) on the posts published that "
                                 "day",
        "net_sentiment": "Net sentiment",
        "phases_note": "Shaded background = phases from the rules file ({rules}); vertical "
                       "lines = events (e.g. debates).",
        "findings_intro": "Each finding is a lead for human review, not a verdict. Each carries "
                          "who, what, when, where (URL), the evidence and the rule.",
        "findings_summary": "Findings at a glance",
        "findings_more": "{n} more findings of this kind are in the table analysis_findings "
                         "(export).",
        "who": "Who", "what": "What", "when": "When", "where": "Where",
        "evidence": "Evidence", "rule": "Rule", "note": "Note",
        "kind_quiet_period_post": "Posts in the quiet period",
        "kind_outside_campaign_post": "Posts outside the campaign period",
        "kind_unregistered_official_account": "Official accounts not registered",
        "kind_account_limit_exceeded": "More registered accounts than allowed",
        "kind_prohibited_content_post": "Campaign accounts' posts with prohibited content",
        "kind_prohibited_content_comment": "Comments/replies by the candidate's side with "
                                           "prohibited content",
        "kind_ad_outside_window": "Adverts outside the advertising window",
        "kind_public_hate_speech": "Public hate speech / SARA (for referral, ITE Law Article "
                                   "28(2))",
        "legal_basis": "Legal basis", "review": "Review",
        "review_reviewed": "reviewed", "review_dismissed": "dismissed",
        "review_escalated": "escalated (for a report to Bawaslu)",
        "findings_dismissed": "{n} leads an observer dismissed after review are not counted here "
                              "(table lead_reviews).",
        "sources": "Imported sources",
        "file": "File", "format": "Format", "records": "Records", "rejected": "Rejected",
        "coverage": "Coverage",
        "first": "First", "last": "Last",
        "models": "Models and labels",
        "labels": "Labels", "targets": "Targets", "accuracy": "Accuracy vs coders",
        "codebook": "Codebook",
        "reliability": "Reliability of human coding",
        "reliability_none": "No human coding by two or more coders yet (labels with source "
                            "coder:*), so reliability cannot be measured.",
        "alpha": "Krippendorff's alpha",
        "limitations": "Limitations",
        "references": "References",
        "tables_list": "Analysis tables",
        "query_hint": "Every number traces back to its rows, e.g.: pantau query "
                      "\"SELECT * FROM analysis_posts WHERE candidate_id = 'pair-1'\"",
        "profile_accounts": "Linked accounts",
        "registered": "Registered",
        "yes": "yes", "no": "no",
        "running_mate": "Running mate", "parties": "Parties",
        "ballot": "Ballot number",
        "not_linked": "No account is linked to this candidate in pantau.toml.",
        "all": "all",
        "phase": "Phase",
        "caption": "Caption",
        "link": "link",
        "ci": "95% CI",
        "n": "n",
        "method_text": "Numbers are computed with SQL over the project store (DuckDB) and kept "
                       "in analysis_* tables; the report, exports and the web app read the same "
                       "tables. Post metrics use the latest observation. Times are converted "
                       "from UTC to the election's time zone. Automatic labels come from "
                       "models; a human coder's label wins where one exists.",
        "privacy_note": "Commenters' handles are pseudonymised (keyed pseudonyms); candidates' "
                        "and parties' accounts are public actors.",
    },
}

CODEBOOK = {
    "post_function": {
        "P1": ("Program/kebijakan (visi-misi, program per sektor)",
               "Programme/policy (vision-mission, sector programmes)"),
        "P2": ("Laporan kegiatan (blusukan, kunjungan)", "Activity report (visits, walkabouts)"),
        "P3": ("Citra pribadi (profesional/emosional/pribadi)",
               "Personal image (professional/emotional/private)"),
        "P4": ("Mobilisasi (coblos no. X, ayo, bagikan)", "Mobilisation (vote no. X, come, share)"),
        "P5": ("Tampilan dukungan tokoh", "Endorsement display"),
        "P6": ("Kontras/serangan", "Contrast/attack"),
        "P7": ("Interaksi (tanya jawab, live, balasan, klarifikasi)",
               "Interaction (Q&A, live, replies, clarification)"),
        "P8": ("Ucapan seremonial/keagamaan", "Ceremonial/religious greeting"),
        "P9": ("Hiburan/humor", "Entertainment/humour"),
    },
    "comment_category": {
        "dukungan": ("Dukungan", "Support"),
        "kritik": ("Kritik yang santun", "Civil criticism"),
        "pertanyaan": ("Pertanyaan kepada kandidat", "Question to the candidate"),
        "aspirasi": ("Aspirasi/keluhan masalah lokal", "Aspiration/complaint about local problems"),
        "serangan": ("Serangan/ujaran kebencian", "Attack/hate speech"),
        "salinan": ("Salinan terkoordinasi (teks sama dari beberapa akun dalam waktu "
                    "berdekatan)", "Coordinated copy (the same text from several accounts "
                    "within a short window)"),
        "spam": ("Spam (jualan, promosi, judi daring, konten tak terkait)",
                 "Spam (selling, promotion, online gambling, off-topic content)"),
        "netral": ("Netral/lainnya", "Neutral/other"),
    },
}

LIMITATIONS = {
    "id": [
        "Data berasal dari ekspor yang dikumpulkan peneliti, bukan seluruh unggahan: cakupannya "
        "bergantung pada apa yang diekspor (lihat tabel cakupan).",
        "Komentar yang tersimpan hanya sebagian dari komentar yang dihitung platform (lihat "
        "bagian Daya tanggap); obrolan siaran langsung, story, dan balasan video tidak terlihat.",
        "Metrik (tayangan, suka) adalah angka saat pengamatan terakhir; unggahan lama punya "
        "waktu lebih lama untuk mengumpulkannya, dan definisi metrik berubah antarplatform dan "
        "dari waktu ke waktu (tayangan TikTok, impresi X, tayangan video Facebook tidak setara).",
        "Keterlibatan bisa dibeli dan sebagian akun adalah bot atau pendengung; angka interaksi "
        "tidak membedakannya dari warga.",
        "Jangkauan juga ditentukan algoritma platform dan iklan berbayar, yang tidak terlihat "
        "dalam data ini.",
        "Unggahan yang dihapus sebelum pengambilan data tidak ada di sini: pelanggaran di masa "
        "tenang yang segera dihapus bisa tidak terdeteksi.",
        "CrowdTangle ditutup Meta pada Agustus 2024; data Facebook/Instagram sesudahnya berasal "
        "dari sumber lain dengan cakupan berbeda.",
        "Label otomatis (sentimen, pertanyaan, toksisitas, fungsi unggahan) adalah hasil model "
        "dan bisa salah, terutama pada bahasa informal dan sarkasme; periksa akurasinya "
        "terhadap pengodean manusia sebelum menarik kesimpulan.",
        "Uji statistik dilakukan atas data yang hampir berupa sensus unggahan akun-akun ini; "
        "nilai p menggambarkan variasi, bukan inferensi ke populasi yang lebih luas.",
        "Temuan kepatuhan adalah petunjuk untuk ditinjau manusia, bukan putusan pelanggaran; "
        "dasar hukum dalam berkas aturan belum diverifikasi ulang terhadap teks resmi.",
        "Proksi pemilih muda menggambarkan format unggahan, bukan usia penonton; usia audiens "
        "tidak dapat diketahui dari data ini.",
    ],
    "en": [
        "The data are the exports researchers collected, not every post: coverage depends on "
        "what was exported (see the coverage table).",
        "The store holds only part of the comments the platforms count (see Responsiveness); "
        "live chats, stories and video replies are not seen.",
        "Metrics (views, likes) are counts at the latest observation; older posts had longer "
        "to collect them, and metric definitions differ between platforms and change over time "
        "(TikTok plays, X impressions and Facebook video views are not the same thing).",
        "Engagement can be bought and some accounts are bots or paid buzzers; interaction counts "
        "do not tell them from citizens.",
        "Reach also depends on the platforms' algorithms and on paid promotion, which these "
        "data do not show.",
        "Posts deleted before capture are missing: a quiet-period violation deleted quickly may "
        "go unseen.",
        "Meta closed CrowdTangle in August 2024; later Facebook/Instagram data come from other "
        "sources with different coverage.",
        "Automatic labels (sentiment, question, toxicity, post function) are model-based and can "
        "be wrong, especially with informal language and sarcasm; check their accuracy against "
        "human coding before drawing conclusions.",
        "The tests run on close to a census of these accounts' posts; p-values describe "
        "variation, not inference to a wider population.",
        "Compliance findings are leads for human review, not verdicts of a violation; the legal "
        "bases in the rules file were not re-verified against the official texts.",
        "Youth proxies describe the format of posts, not the age of the audience; audience age "
        "cannot be known from these data.",
    ],
}

REFERENCES = [
    "Bene, M. (2017). Go viral on the Facebook! Interactions between candidates and followers "
    "on Facebook during the Hungarian general election campaign of 2014. Information, "
    "Communication & Society, 20(4), 513–529.",
    "Hayes, A. F., & Krippendorff, K. (2007). Answering the call for a standard reliability "
    "measure for coding data. Communication Methods and Measures, 1(1), 77–89.",
    "Heiss, R., Schmuck, D., & Matthes, J. (2019). What drives interaction in political "
    "actors' Facebook posts? Information, Communication & Society, 22(10), 1497–1513.",
    "Holm, S. (1979). A simple sequentially rejective multiple test procedure. Scandinavian "
    "Journal of Statistics, 6(2), 65–70.",
    "Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability. University of "
    "Pennsylvania.",
    "Magin, M., Podschuweit, N., Haßler, J., & Russmann, U. (2017). Campaigning in the fourth "
    "age of political communication. Information, Communication & Society, 20(11), "
    "1698–1719.",
    "Metz, M., Kruikemeier, S., & Lecheler, S. (2020). Personalization of politics on "
    "Facebook. Information, Communication & Society, 23(10), 1481–1498.",
    "Tomczak, M., & Tomczak, E. (2014). The need to report effect size estimates revisited. "
    "Trends in Sport Sciences, 21(1), 19–25.",
    "PKPU 13/2024 tentang Kampanye Pemilihan Gubernur, Bupati, dan Wali Kota; PKPU 2/2024 "
    "tentang Tahapan dan Jadwal Pilkada 2024.",
]


def t(lang: str, key: str, **values) -> str:
    text = STRINGS.get(lang, STRINGS["id"]).get(key) or STRINGS["en"].get(key, key)
    return text.format(**values) if values else text
