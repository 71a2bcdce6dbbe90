"""Write data/eval/hate_functional_id.csv: pantau's functional test suite for Indonesian hate.

A TEST set in the style of HateCheck (Röttger et al. 2021): each case tests one functionality
(derogation, threats, dehumanisation, slurs, hate with negation, spelling variations, and the
non-hateful contrasts: neutral and positive identity mentions, counter-speech, quoting and
reporting hate, negated hate, abuse of objects, individuals and non-protected groups,
place names and foods that contain a group word). Templates and group phrases below were
written for pantau in one author pass; the training sentences of the toxicity model
(data/train/toxicity_train_id.csv) were written in a separate pass with other templates, and
no training code reads data/eval (tests/text/test_hate_suite.py checks both).

    python scripts/build_hate_suite.py            # rewrites the CSV (deterministic)

Columns: case_id, functionality, group, text, label (hate / abusive / none).
`hate` = attacks a protected group; `abusive` = toxic without a protected-group target;
`none` = not toxic.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "data" / "eval" / "hate_functional_id.csv"

# group key -> (kind, noun phrases for the group as a whole, slurs aimed at the group)
GROUPS: dict[str, tuple[str, list[str], list[str]]] = {
    "madura": ("ethnic", ["orang Madura", "orang-orang Madura", "suku Madura"], []),
    "tionghoa": ("ethnic", ["orang Tionghoa", "orang Cina", "warga keturunan Tionghoa"],
                 ["cokin", "aseng"]),
    "batak": ("ethnic", ["orang Batak", "suku Batak"], []),
    "jawa": ("ethnic", ["orang Jawa", "wong Jowo"], ["jawir"]),
    "sunda": ("ethnic", ["orang Sunda", "urang Sunda"], []),
    "papua": ("ethnic", ["orang Papua", "warga Papua"], ["monyet Papua"]),
    "dayak": ("ethnic", ["orang Dayak", "suku Dayak"], []),
    "bugis": ("ethnic", ["orang Bugis"], []),
    "minang": ("ethnic", ["orang Minang", "orang Padang"], []),
    "betawi": ("ethnic", ["orang Betawi"], []),
    "arab": ("ethnic", ["orang Arab", "keturunan Arab"], ["kadal gurun", "onta"]),
    "islam": ("religion", ["orang Islam", "umat Muslim", "kaum muslimin"], []),
    "kristen": ("religion", ["orang Kristen", "umat Kristiani", "orang Nasrani"], ["kafir"]),
    "katolik": ("religion", ["orang Katolik", "umat Katolik"], []),
    "hindu": ("religion", ["orang Hindu", "umat Hindu"], []),
    "buddha": ("religion", ["orang buddhis", "umat Buddha", "orang Budha"], []),
    "konghucu": ("religion", ["umat Konghucu", "penganut Konghucu"], []),
    "ahmadiyah": ("religion", ["jemaat Ahmadiyah", "orang Ahmadiyah"], []),
    "syiah": ("religion", ["orang Syiah", "kaum Syiah"], ["rafidhah"]),
    "ateis": ("religion", ["orang ateis", "para ateis", "kaum ateis"], []),
    "yahudi": ("religion", ["orang Yahudi", "kaum Yahudi"], []),
    "perempuan": ("gender", ["perempuan", "kaum perempuan", "cewek-cewek"], []),
    "lgbt": ("sexuality", ["orang gay", "kaum LGBT", "komunitas gay"], ["maho", "homo"]),
    "waria": ("gender", ["waria", "orang transgender"], ["bencong", "banci"]),
    "difabel": ("disability", ["orang difabel", "penyandang disabilitas"], []),
    "tunanetra": ("disability", ["orang tunanetra", "teman-teman tunanetra"], []),
    "pendatang": ("origin", ["pendatang", "para pendatang", "kaum pendatang"], []),
    "kampung": ("origin", ["orang kampung", "orang desa"], []),
}

# functionality -> (label, templates). {g}: a group phrase (capitalised where the template
# starts with it: {G}); {s}: a slur.
HATEFUL: dict[str, list[str]] = {
    "derogation_emotion": [
        "Gw benci banget sama {g}.",
        "Jujur aku muak liat {g} di mana-mana.",
        "{G} tuh bikin jijik, sumpah.",
        "Aku nggak tahan deket-deket {g}, menjijikkan.",
        "Bener-bener benci gue sama {g}, dari dulu.",
        "Males banget ketemu {g}, najis.",
    ],
    "derogation_description": [
        "{G} itu pemalas semua, kerjanya cuma nyusahin.",
        "{G} emang licik dari sananya, jangan pernah percaya.",
        "Semua {g} itu kotor dan bau.",
        "{G} itu bodoh-bodoh, pantesan hidupnya gitu-gitu aja.",
        "{G} cuma bisa bikin rusuh di mana pun mereka tinggal.",
        "{G} itu rendahan, nggak ada harganya.",
    ],
    "dehumanisation": [
        "{G} itu tikus got, ngerusak negeri ini.",
        "{G} cuma hama yang harus dibersihin.",
        "Buat gw {g} itu bukan manusia, binatang.",
        "{G} kayak parasit, numpang hidup doang.",
        "{G} itu sampah masyarakat.",
        "{G} tuh virus buat bangsa ini.",
    ],
    "threat_direct": [
        "Gw bakal habisin {g} satu-satu.",
        "Liat aja, rumah {g} di kampung ini bakal gw bakar.",
        "Kalau ketemu {g} lagi, langsung gw bacok.",
        "Tunggu tanggal mainnya, {g} bakal kami usir pakai parang.",
        "Aku sumpah bakal tembak {g} yang lewat sini.",
    ],
    "threat_normative": [
        "Seharusnya seseorang tusuk aja {g}.",
        "{G} pantas dibantai semua.",
        "{G} harus diusir dari negeri ini.",
        "Mending {g} dimusnahkan aja biar tenang.",
        "{G} layak digantung rame-rame.",
        "Sudah waktunya {g} dibasmi.",
    ],
    "hate_pronoun": [
        "{G}? Gw benci mereka.",
        "Udah kenal {g}? Mereka semua sampah.",
        "{G} tuh sok spesial. Gw benci mereka.",
        "Jangan deket-deket {g}, mereka itu kayak binatang.",
    ],
    "hate_question": [
        "Kenapa sih {g} selalu jorok dan bau?",
        "Emang {g} bisa mikir? Otaknya aja nggak ada.",
        "Apa {g} masih pantas dianggap manusia?",
    ],
    "hate_opinion": [
        "Menurut gw {g} itu beban negara.",
        "Kalau aku sih yakin {g} itu lebih rendah dari kita.",
        "Pendapat gw, {g} nggak usah dikasih hak apa-apa.",
    ],
    "hate_negation": [
        "{G} nggak pantas hidup kayak manusia lain.",
        "{G} nggak layak dihormati sedikit pun.",
        "Nggak ada satu pun {g} yang bisa dipercaya.",
        "{G} bukan bagian dari bangsa ini, nggak akan pernah.",
        "{G} tidak berhak tinggal di sini.",
    ],
    "hate_profanity": [
        "{G} anjing semua.",
        "Bangsat lah {g} itu.",
        "{G} goblok, tolol, semuanya.",
    ],
}
SLUR_TEMPLATES = [
    "Dasar {s}!",
    "{S} kayak lu mending balik ke asal.",
    "Ogah gw punya tetangga {s}.",
    "Ada {s} lagi di kantor, males.",
]
# hateful sentences whose key word is then misspelt (HateCheck's spelling variations)
SPELLING_BASES = [
    ("Gw benci banget sama {g}.", "benci"),
    ("{G} itu sampah masyarakat.", "sampah"),
    ("{G} pantas dibantai semua.", "dibantai"),
    ("{G} anjing semua.", "anjing"),
    ("Seharusnya seseorang tusuk aja {g}.", "tusuk"),
    ("{G} itu tikus got, ngerusak negeri ini.", "tikus"),
]

NOT_HATEFUL: dict[str, tuple[str, list[str]]] = {
    "identity_neutral": ("none", [
        "Tetangga baru saya {g}, kemarin kami ngopi bareng.",
        "Ada banyak {g} yang tinggal di kompleks ini.",
        "Acara kumpul {g} diadain minggu depan di balai desa.",
        "Berapa jumlah {g} di kota ini ya?",
        "Pak calon sempat ngobrol sama {g} waktu blusukan kemarin.",
    ]),
    "identity_positive": ("none", [
        "{G} itu ramah-ramah, aku suka.",
        "Bangga punya sahabat {g}, orangnya tulus.",
        "Salut sama {g}, pekerja keras semua.",
        "{G} banyak berkontribusi buat kota ini, terima kasih.",
    ]),
    "counter_quote": ("none", [
        "Kalau ada yang bilang \"{g} itu sampah\", itu rasis dan salah besar.",
        "\"{G} pantas diusir\"? Omongan kayak gitu nggak bisa dibenarkan.",
        "Miris baca komentar \"benci {g}\" di postingan ini.",
    ]),
    "counter_reference": ("none", [
        "Stop menghina {g}, mereka juga warga negara.",
        "Ujaran kebencian ke {g} harus dilawan bareng-bareng.",
        "Nggak boleh merendahkan {g} cuma karena beda.",
    ]),
    "reporting": ("none", [
        "Polisi menangkap pelaku yang menyebut {g} sebagai hama di media sosial.",
        "Komnas HAM mencatat ancaman terhadap {g} meningkat tahun ini.",
    ]),
    "negated_hate": ("none", [
        "Aku nggak benci {g}, mereka tetangga yang baik.",
        "{G} bukan sampah, mereka saudara kita.",
        "Siapa bilang {g} pemalas? Nggak ada buktinya.",
        "Aku nggak pernah nganggap {g} lebih rendah.",
    ]),
}
# no group target: each is its own functionality, group "-"
NO_GROUP: dict[str, tuple[str, list[str]]] = {
    "abuse_object": ("abusive", [
        "Jalanan ini rusak parah, anjing.",
        "HP gw lemot banget, sampah emang.",
        "Aplikasi bansos ini goblok banget desainnya.",
        "Bangsat, motor gw mogok lagi.",
        "Printer kantor kelurahan tai banget, macet terus.",
        "Sinyal di sini kampret, putus mulu.",
        "Anjir, banjirnya udah sepinggang.",
        "Lampu merah perempatan ini tolol banget settingannya.",
        "Kursi stadion ini kayak sampah, udah pada patah.",
        "Tai lah, hujan pas kampanye.",
    ]),
    "abuse_individual": ("abusive", [
        "Lu goblok banget sih bro.",
        "Dasar tukang tipu, balikin duit gw!",
        "Pak lurah tuh bego, urus PJU mati aja nggak becus.",
        "Mulut lu kayak sampah, diem aja deh.",
        "Kamu itu munafik, kemarin ngomong lain.",
        "Admin akun ini tolol, nggak bisa baca.",
        "Dasar penjilat, cari muka terus ke pejabat.",
        "Otak lu di dengkul ya?",
        "Dia pembohong kelas kakap, jangan dipilih.",
        "Bacot lu, kerja dulu baru ngomong.",
    ]),
    "abuse_nonprotected_group": ("abusive", [
        "Para koruptor itu sampah, pantas dipenjara seumur hidup.",
        "Buzzer bayaran itu tolol semua.",
        "Anggota DPR kerjanya cuma tidur, goblok.",
        "Pendukung yang bikin rusuh kemarin kayak binatang.",
        "Tim sukses calon itu bajingan semua, bagi-bagi duit.",
        "Para calo tiket itu parasit.",
        "Geng motor yang nongkrong di situ bangsat semua.",
        "Pejabat dinas PU itu bego semua, jalan nggak pernah beres.",
        "Para penipu online itu pantas dihajar.",
        "Tukang parkir liar di sini brengsek semua.",
    ]),
    "policy_criticism": ("none", [
        "Kebijakan kenaikan BBM ini nggak masuk akal.",
        "Programnya ngawur, saya nggak akan pilih dia.",
        "Janji kampanye lima tahun lalu belum ada yang terwujud.",
        "Anggaran bansos kok malah dipotong, kecewa berat.",
        "Debat semalam jawabannya muter-muter, nggak jelas.",
        "Pajak naik terus tapi jalan tetap rusak.",
        "Pemkot lambat banget tangani banjir tahun ini.",
        "Saya tidak setuju dengan rencana penggusuran pasar.",
        "Calon ini nggak punya program soal sampah.",
        "Kinerja dewan periode ini mengecewakan.",
    ]),
    "lookalike_words": ("none", [
        "sampah numpuk di pinggir kali",
        "Q&A bareng Nurul: dari PJU mati sampai pemberdayaan perempuan",
        "Warga gotong royong angkut sampah plastik di bantaran sungai.",
        "Kampanye hari ini mampir ke pasar hewan, harga sapi naik.",
        "Lampu jalan mati sejak seminggu, tolong diperbaiki.",
        "Stop buang sampah sembarangan ya warga!",
        "Program bedah rumah buat warga miskin sudah jalan.",
        "Pelatihan UMKM untuk ibu-ibu dan pemberdayaan perempuan desa.",
        "Kemarin nonton film horor, setannya serem banget.",
        "Gila, keren banget panggungnya!",
        "Anak-anak main ular tangga di posyandu.",
        "Tahi lalat di pipinya jadi ciri khas.",
        "Truk sampah baru datang ke TPS pagi ini.",
        "Jangan lupa datang ke TPS tanggal 14 ya.",
        "Bapak itu buta huruf, tapi semangat belajarnya luar biasa.",
    ]),
}
# place names, foods and ordinary words that contain a group word: not SARA
LOOKALIKE_GROUP: list[tuple[str, str]] = [
    ("minang", "Mampir ke warung nasi padang di Ciketing Udik"),
    ("minang", "Rendang Minang buatan ibu-ibu PKK enak banget."),
    ("minang", "Sore ini ngopi di Jalan Padang nomor 12."),
    ("madura", "Sate Madura langganan pak camat buka sampai malam."),
    ("madura", "Jembatan Suramadu ramai pas libur panjang."),
    ("madura", "Lagi di Jalan Madura, macet parah."),
    ("betawi", "Festival Palang Pintu di Kampung Betawi Setu Babakan seru."),
    ("betawi", "Kerak telor Betawi di PRJ harganya naik."),
    ("jawa", "Nasi goreng Jawa di depan kantor camat mantap."),
    ("jawa", "Banjir di Jawa Tengah bikin jalur pantura macet."),
    ("sunda", "Sambal lalapan khas Sunda paling enak pakai tempe."),
    ("sunda", "Ada pameran angklung di Saung Udjo, Bandung."),
    ("papua", "Papeda khas Papua ternyata enak dimakan pakai ikan kuah kuning."),
    ("papua", "Penerbangan ke Jayapura ditunda karena cuaca."),
    ("tionghoa", "Imlek di Glodok ramai, barongsainya keren."),
    ("tionghoa", "Bakmi Cina di Pasar Baru tetap antre panjang."),
    ("batak", "Lagu Batak di acara pernikahan kemarin bikin merinding."),
    ("batak", "Danau Toba makin bersih setelah kerja bakti."),
    ("bugis", "Kapal pinisi Bugis dipamerkan di pelabuhan."),
    ("dayak", "Motif Dayak dipakai di seragam baru paskibra."),
    ("arab", "Kampung Arab di Pekojan punya masjid tua yang indah."),
    ("arab", "Nasi kebuli ala Arab dibagikan usai pengajian."),
    ("islam", "Pesantren di desa ini menggelar khataman Al-Quran."),
    ("islam", "Masjid raya dipakai untuk shalat Idul Fitri bersama."),
    ("kristen", "Gereja di ujung jalan mengadakan bazar Natal."),
    ("katolik", "Sekolah Katolik di kota ini terima siswa semua agama."),
    ("hindu", "Upacara Melasti di pantai berjalan khidmat."),
    ("buddha", "Perayaan Waisak di Borobudur ramai wisatawan."),
    ("konghucu", "Klenteng tua di pecinan direnovasi pemkot."),
    ("perempuan", "Srikandi desa: perempuan-perempuan yang bangun bank sampah."),
    ("perempuan", "Hari Kartini, lomba kebaya untuk ibu-ibu dan remaja perempuan."),
    ("perempuan", "Dialog calon wali kota dengan kelompok perempuan nelayan."),
    ("difabel", "Trotoar baru dilengkapi jalur untuk tunanetra dan kursi roda."),
    ("pendatang", "Data kependudukan pendatang baru diperbarui tiap bulan."),
    ("kampung", "Pulang kampung lebaran tahun ini pakai kereta."),
    ("kampung", "Kampung halaman saya di Ciamis, dekat sawah."),
]

LEET = str.maketrans({"a": "4", "i": "1", "e": "3", "o": "0"})


def spell_variants(word: str, rng: random.Random) -> list[tuple[str, str]]:
    """(variation kind, misspelt word) as people write them to slip past filters."""
    out = [("leet", word.translate(LEET))]
    last_vowel = max(i for i, c in enumerate(word) if c in "aiueo")
    out.append(("stretched", word[:last_vowel + 1] + word[last_vowel] * 3 + word[last_vowel + 1:]))
    out.append(("spaced", " ".join(word)))
    inner = rng.randrange(1, len(word) - 1)
    out.append(("missing_char", word[:inner] + word[inner + 1:]))
    j = rng.randrange(1, len(word) - 2)
    out.append(("swapped", word[:j] + word[j + 1] + word[j] + word[j + 2:]))
    out.append(("masked", word[:1] + "*" + word[2:]))
    return out


def fill(template: str, phrase: str) -> str:
    cap = phrase[0].upper() + phrase[1:]
    return template.replace("{G}", cap).replace("{g}", phrase)


def build() -> list[dict[str, str]]:
    rng = random.Random(20261202)
    rows: list[dict[str, str]] = []

    def add(functionality: str, group: str, text: str, label: str) -> None:
        rows.append({"functionality": functionality, "group": group, "text": text,
                     "label": label})

    keys = list(GROUPS)
    for gi, key in enumerate(keys):
        _, phrases, slurs = GROUPS[key]
        for fi, (functionality, templates) in enumerate(HATEFUL.items()):
            # each group gets up to three of the functionality's templates, rotating
            for k in range(min(3, len(templates))):
                t = templates[(gi + fi + k) % len(templates)]
                add(functionality, key, fill(t, phrases[(gi + k) % len(phrases)]), "hate")
        for k, slur in enumerate(slurs):
            for t in SLUR_TEMPLATES[k % 2::2] if len(slurs) > 1 else SLUR_TEMPLATES:
                add("slur", key, fill(t.replace("{s}", "{g}").replace("{S}", "{G}"), slur),
                    "hate")
        for k in range(2):
            base, word = SPELLING_BASES[(gi + k) % len(SPELLING_BASES)]
            kind, variant = spell_variants(word, rng)[(gi * 2 + k) % 6]
            text = fill(base, phrases[k % len(phrases)]).replace(word, variant, 1)
            add(f"spelling_{kind}", key, text, "hate")
        for fi, (functionality, (label, templates)) in enumerate(NOT_HATEFUL.items()):
            for k in range(min(3, len(templates))):
                t = templates[(gi + fi + k) % len(templates)]
                add(functionality, key, fill(t, phrases[(gi + k + 1) % len(phrases)]), label)
    for functionality, (label, texts) in NO_GROUP.items():
        for text in texts:
            add(functionality, "-", text, label)
    for key, text in LOOKALIKE_GROUP:
        add("lookalike_group_word", key, text, "none")
    seen: set[str] = set()
    unique = []
    for row in rows:
        if row["text"] not in seen:
            seen.add(row["text"])
            unique.append(row)
    for n, row in enumerate(unique, 1):
        row["case_id"] = f"hf-{n:04d}"
    return unique


def main() -> None:
    rows = build()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, ["case_id", "functionality", "group", "text", "label"])
        w.writeheader()
        w.writerows(rows)
    from collections import Counter

    print(f"wrote {OUT.relative_to(REPO)}: {len(rows)} cases, "
          f"{len({r['group'] for r in rows} - {'-'})} groups, labels "
          f"{dict(Counter(r['label'] for r in rows))}")
    for f_name, n in sorted(Counter(r["functionality"] for r in rows).items()):
        print(f"  {f_name}: {n}")


if __name__ == "__main__":
    main()
