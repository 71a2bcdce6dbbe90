"""The world the synthetic demo is set in: Pilkada Kota Bekasi 2024.

The pairs, ballot numbers, parties and dates are the public facts (DOMAIN.md). Everything else
here is invented: account handles (all carry "demo"), follower counts, slogans, programmes and
how active each account is. Change the numbers here to change the shape of the demo corpus.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone

WIB = timezone(timedelta(hours=7), "WIB")

ELECTION_NAME = "Pilkada Kota Bekasi 2024 (DATA SINTETIS / SYNTHETIC DATA)"
SYNTHETIC_MARKER = "DATA SINTETIS / SYNTHETIC DATA"

# Campaign calendar (PKPU 2/2024): ballot numbers drawn 23 Sep, campaign 25 Sep - 23 Nov,
# quiet period 24-26 Nov, voting 27 Nov; debates 1 and 22 Nov.
BALLOT_DRAW = date(2024, 9, 23)
CAMPAIGN_START = date(2024, 9, 25)
CAMPAIGN_END = date(2024, 11, 23)
QUIET_DAYS = (date(2024, 11, 24), date(2024, 11, 25), date(2024, 11, 26))
VOTING_DAY = date(2024, 11, 27)
DEBATES = (date(2024, 11, 1), date(2024, 11, 22))

# Capture times (the fixed "now" of the demo): one full capture the day after the vote, and a
# second capture a week later of some posts, whose higher counts show growth.
CAPTURE_MAIN = datetime(2024, 11, 28, 10, 15, tzinfo=WIB)
CAPTURE_LATER = datetime(2024, 12, 5, 9, 40, tzinfo=WIB)
RECAPTURE_SHARE = 0.3


@dataclass(frozen=True)
class Pair:
    id: str
    ballot_number: int
    name: str
    running_mate: str
    parties: tuple[str, ...]
    color: str
    short: str  # first names the public uses: "Heri", "Uu", "Tri"
    mate_short: str
    mate_title: str  # "pak" or "bu"
    tag: str  # campaign hashtag without '#'
    slogan: str  # invented
    programs: tuple[str, ...]  # invented
    # How the public reacts to this pair's posts (multiplies views; invented).
    reach: float = 1.0

    @property
    def pasangan(self) -> str:
        return f"{self.short}–{self.mate_short}"


PAIRS: tuple[Pair, ...] = (
    Pair(
        "pair-1", 1, "Heri Koswara", "Sholihin", ("PKS", "PPP", "PAN", "Hanura", "PSI"),
        "#E69F00", "Heri", "Sholihin", "pak", "HeriSholihin", "Bekasi Berkah",
        ("beasiswa untuk 10 ribu pelajar", "Posyandu aktif di setiap RW",
         "kolam retensi di titik rawan banjir", "pelatihan kerja gratis untuk pemuda",
         "berobat gratis cukup pakai KTP", "pengelolaan sampah berbasis RW"),
        reach=1.15,
    ),
    Pair(
        "pair-2", 2, "Uu Saeful Mikdar", "Nurul Sumarheni", ("Golkar", "NasDem"),
        "#0072B2", "Uu", "Nurul", "bu", "UuNurul", "Bekasi Bangkit Bersama",
        ("Kartu UMKM Bangkit", "internet gratis di setiap kelurahan",
         "sekolah negeri baru di kecamatan padat", "pemberdayaan perempuan dan ibu rumah tangga",
         "angkot terintegrasi dengan LRT", "bank sampah digital"),
        reach=0.45,
    ),
    Pair(
        "pair-3", 3, "Tri Adhianto", "Abdul Harris Bobihoe",
        ("PDIP", "Gerindra", "PKB", "Demokrat", "PKN", "PBB", "Gelora", "Ummat", "Perindo",
         "Buruh"),
        "#B2182B", "Tri", "Harris", "pak", "TriHarris", "Bekasi Makin Maju",
        ("normalisasi kali dan drainase", "jalan mulus sampai gang", "seragam sekolah gratis",
         "insentif guru honorer dan guru ngaji", "bursa kerja setiap bulan",
         "sampah diolah jadi energi"),
        reach=1.25,
    ),
)
PAIR_BY_ID = {p.id: p for p in PAIRS}


@dataclass(frozen=True)
class AccountSpec:
    platform: str
    handle: str
    display_name: str
    pair: str | None
    role: str
    registered: bool
    weight: float  # share of the platform's posts (relative)
    followers: int
    answer_rate: float = 0.0  # share of questions under its posts it answers
    note: str = ""


ACCOUNTS: tuple[AccountSpec, ...] = (
    # TikTok: most of the action (Bawaslu: 70% of reported items were on TikTok).
    AccountSpec("tiktok", "herisholihin.demo", "Heri–Sholihin Nomor 1", "pair-1", "official",
                True, 38, 48_200, 0.22),
    AccountSpec("tiktok", "herikoswara.demo", "Heri Koswara", "pair-1", "candidate", True, 20,
                31_500, 0.35),
    AccountSpec("tiktok", "relawan.herisholihin.demo", "Relawan HS Bekasi", "pair-1",
                "volunteer", False, 14, 6_900),
    AccountSpec("tiktok", "uunurul.demo", "Uu–Nurul Nomor 2", "pair-2", "official", True, 44,
                17_800, 0.55),
    AccountSpec("tiktok", "uunurul.official.demo", "UU NURUL OFFICIAL", "pair-2", "official",
                False, 18, 4_300, 0.3,
                note="official account NOT registered with the KPU (a compliance finding)"),
    AccountSpec("tiktok", "uusaeful.demo", "Uu Saeful Mikdar", "pair-2", "candidate", True, 20,
                9_600, 0.45),
    AccountSpec("tiktok", "triharris.demo", "Tri–Harris Nomor 3", "pair-3", "official", True,
                40, 62_400, 0.15),
    AccountSpec("tiktok", "triadhianto.demo", "Tri Adhianto", "pair-3", "candidate", True, 26,
                88_100, 0.2),
    AccountSpec("tiktok", "sahabat.triharris.demo", "Sahabat Tri–Harris", "pair-3", "volunteer",
                False, 16, 12_300),
    # Instagram
    AccountSpec("instagram", "herisholihin.demo", "Heri Koswara – Sholihin", "pair-1",
                "official", True, 34, 41_000, 0.15),
    AccountSpec("instagram", "herikoswara.demo", "Heri Koswara", "pair-1", "candidate", True,
                18, 57_300, 0.25),
    AccountSpec("instagram", "pks.kotabekasi.demo", "PKS Kota Bekasi", "pair-1", "party", True,
                12, 22_800),
    AccountSpec("instagram", "uunurul.demo", "Uu Saeful – Nurul Sumarheni", "pair-2",
                "official", True, 40, 15_200, 0.5),
    AccountSpec("instagram", "nurulsumarheni.demo", "Nurul Sumarheni", "pair-2", "candidate",
                True, 18, 8_700, 0.4),
    AccountSpec("instagram", "golkar.kotabekasi.demo", "Golkar Kota Bekasi", "pair-2", "party",
                False, 8, 6_100),
    AccountSpec("instagram", "triharris.demo", "Tri Adhianto – Harris Bobihoe", "pair-3",
                "official", True, 32, 73_900, 0.1),
    AccountSpec("instagram", "triadhianto.demo", "Tri Adhianto", "pair-3", "candidate", True,
                20, 121_000, 0.12),
    AccountSpec("instagram", "pdip.kotabekasi.demo", "PDI Perjuangan Kota Bekasi", "pair-3",
                "party", True, 10, 18_400),
    AccountSpec("instagram", "infobekasi.demo", "Info Bekasi (demo)", None, "media", False, 8,
                210_000),
    # Facebook pages
    AccountSpec("facebook", "HeriSholihinDemo", "Heri Koswara - Sholihin", "pair-1",
                "official", True, 34, 26_400),
    AccountSpec("facebook", "PKSKotaBekasiDemo", "PKS Kota Bekasi", "pair-1", "party", True, 14,
                19_900),
    AccountSpec("facebook", "UuNurulDemo", "Uu Saeful Mikdar - Nurul Sumarheni", "pair-2",
                "official", True, 40, 7_300),
    AccountSpec("facebook", "TriHarrisDemo", "Tri Adhianto - Harris Bobihoe", "pair-3",
                "official", True, 30, 38_600),
    AccountSpec("facebook", "RelawanTriHarrisDemo", "Relawan Tri-Harris Kota Bekasi", "pair-3",
                "volunteer", False, 12, 9_800),
    # X
    AccountSpec("x", "HS_Bekasi_demo", "Heri–Sholihin #1", "pair-1", "official", True, 30,
                8_900, 0.2),
    AccountSpec("x", "UuNurul_demo", "Uu–Nurul #2", "pair-2", "official", True, 36, 3_100,
                0.5),
    AccountSpec("x", "TriHarris_demo", "Tri–Harris #3", "pair-3", "official", True, 28,
                14_700, 0.15),
    AccountSpec("x", "RelawanTH_demo", "Relawan Tri–Harris", "pair-3", "volunteer", False, 10,
                2_200),
)

# Posts in the quiet period (24-26 Nov) and on voting day, by (platform, handle): count.
QUIET_POSTS = {
    ("tiktok", "triharris.demo"): 3,
    ("tiktok", "uunurul.official.demo"): 2,
    ("tiktok", "relawan.herisholihin.demo"): 2,
    ("instagram", "herisholihin.demo"): 1,
}
VOTING_DAY_POSTS = {
    ("tiktok", "herikoswara.demo"): 1,
    ("tiktok", "uusaeful.demo"): 1,
    ("instagram", "triadhianto.demo"): 1,
    ("x", "UuNurul_demo"): 1,
}
# Accounts that posted before the campaign started (ballot draw, declarations).
PRE_CAMPAIGN_ACCOUNTS = (
    ("tiktok", "herisholihin.demo"), ("tiktok", "uunurul.demo"), ("tiktok", "triharris.demo"),
    ("instagram", "herisholihin.demo"), ("instagram", "uunurul.demo"),
    ("instagram", "triharris.demo"), ("facebook", "UuNurulDemo"), ("x", "TriHarris_demo"),
)


@dataclass(frozen=True)
class Planted:
    """A planted compliance case (`case`: the rule must fire) or non-case (it must not), on a
    TikTok account of the demo. `reply` plants a comment under the post instead: ("public",
    text) by an ordinary commenter or ("account", text) by the post's own account; the case or
    non-case is then the comment. Texts end with "(contoh sintetis)" so nobody mistakes them
    for something a real pair posted."""

    rule: str  # rule_id of the lead (rules file), or a calendar rule
    kind: str  # kind of lead (analysis/compliance.py KINDS)
    case: bool
    handle: str
    when: datetime  # local (WIB)
    text: str
    is_ad: bool = False
    reply: tuple[str, str] | None = None


def _wib(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(f"{day} {hour:02d}:15").replace(tzinfo=WIB)


_RH, _ST = "relawan.herisholihin.demo", "sahabat.triharris.demo"
# One case and one non-case per rule of rules/pilkada-2024.toml that the demo can show
# (tests/analysis/test_rules.py checks each). The account limit (20 per platform) is tested on
# the analysis fixture instead: planting 21 registered accounts would distort the demo.
PLANTED: tuple[Planted, ...] = (
    Planted("outside_schedule", "outside_campaign_post", True, "herisholihin.demo",
            _wib("2024-09-22"), "Alhamdulillah resmi ditetapkan KPU sebagai pasangan calon, "
            "mohon doa dan dukungannya untuk Bekasi Berkah!"),
    Planted("outside_schedule", "outside_campaign_post", False, "herisholihin.demo",
            _wib("2024-09-21"), "Besok penetapan pasangan calon oleh KPU Kota Bekasi. Bismillah."),
    Planted("quiet_period", "quiet_period_post", True, _ST, _wib("2024-11-25", 20),
            "Ingat lusa ke TPS, coblos nomor 3 ya warga Bekasi!"),
    Planted("quiet_period", "quiet_period_post", False, _ST, _wib("2024-11-23", 20),
            "Hari terakhir kampanye, terima kasih semua relawan yang sudah berjuang!"),
    Planted("ads_window", "ad_outside_window", True, "uunurul.demo", _wib("2024-10-05", 12),
            "Kenalan dengan Kartu UMKM Bangkit, program Uu–Nurul untuk pelaku usaha kecil.",
            is_ad=True),
    Planted("ads_window", "ad_outside_window", False, "uunurul.demo", _wib("2024-11-15", 12),
            "Kartu UMKM Bangkit: modal usaha untuk pelaku usaha kecil di Bekasi.", is_ad=True),
    Planted("against_pancasila", "prohibited_content_post", True, _RH, _wib("2024-10-07"),
            "Saatnya ganti dasar negara, Pancasila tidak relevan lagi."),
    Planted("against_pancasila", "prohibited_content_post", False, _RH, _wib("2024-10-08"),
            "Pancasila dasar negara kita, mari jaga persatuan di Bekasi."),
    Planted("sara_insult", "prohibited_content_post", True, _ST, _wib("2024-10-09"),
            "Dasar kafir, jangan pilih calon yang didukung kaum cina itu."),
    Planted("sara_insult", "prohibited_content_post", False, _ST, _wib("2024-10-10"),
            "Kami menghormati semua umat beragama di Bekasi."),
    Planted("insult", "prohibited_content_post", True, _RH, _wib("2024-10-11"),
            "Calon sebelah itu bodoh dan tolol, tidak becus urus kota."),
    Planted("insult", "prohibited_content_post", False, _RH, _wib("2024-10-12"),
            "Program kami berbeda dengan calon lain, silakan bandingkan."),
    Planted("incitement", "prohibited_content_post", True, _ST, _wib("2024-10-14"),
            "Jangan biarkan mereka menguasai kampung kita, lawan mereka!"),
    Planted("incitement", "prohibited_content_post", False, _ST, _wib("2024-10-15"),
            "Mari bersatu, beda pilihan tetap saudara."),
    Planted("slander_hoax", "prohibited_content_post", True, _RH, _wib("2024-10-16"),
            "Kabarnya calon sebelah terbukti korupsi, info A1 dari sumber terpercaya!"),
    Planted("slander_hoax", "prohibited_content_post", False, _RH, _wib("2024-10-17"),
            "Laporan dana kampanye kami sudah diserahkan ke KPU dan bisa dicek publik."),
    Planted("violence_threat", "prohibited_content_post", True, _ST, _wib("2024-10-18"),
            "Awas kalau berani pasang baliho di sini, kami datangi rumahnya!"),
    Planted("violence_threat", "prohibited_content_post", False, _ST, _wib("2024-10-19"),
            "Ayo jaga kampanye damai dan tertib sampai hari pencoblosan."),
    Planted("public_order", "prohibited_content_post", True, _RH, _wib("2024-10-21"),
            "Besok konvoi liar dan tutup jalan Ahmad Yani, semua relawan turun!"),
    Planted("public_order", "prohibited_content_post", False, _RH, _wib("2024-10-22"),
            "Besok kampanye di lapangan, parkir di tempat yang disediakan ya."),
    Planted("government_facilities", "prohibited_content_post", True, _ST, _wib("2024-10-23"),
            "Keliling Bekasi Utara pakai mobil dinas bersama tim pemenangan."),
    Planted("government_facilities", "prohibited_content_post", False, _ST,
            _wib("2024-10-24"), "Keliling Bekasi Utara naik motor bersama tim pemenangan."),
    Planted("worship_education", "prohibited_content_post", True, _RH, _wib("2024-10-25"),
            "Kampanye di masjid setelah salat Jumat, ajak jamaah pilih kami."),
    Planted("worship_education", "prohibited_content_post", False, _RH, _wib("2024-10-26"),
            "Silaturahmi dengan warga di balai RW setelah salat Jumat."),
    Planted("involving_officials", "prohibited_content_post", True, _ST, _wib("2024-10-28"),
            "Foto bersama pak lurah dan babinsa saat kampanye di Bekasi Timur."),
    Planted("involving_officials", "prohibited_content_post", False, _ST, _wib("2024-10-29"),
            "Foto bersama warga dan ketua RT saat kampanye di Bekasi Timur."),
    Planted("incumbent_programme", "prohibited_content_post", True, _ST, _wib("2024-10-30"),
            "Bansos pemkot sudah cair, jangan lupa pilih kami!"),
    Planted("incumbent_programme", "prohibited_content_post", False, _ST, _wib("2024-10-31"),
            "Bantuan modal untuk UMKM akan kami mulai jika terpilih."),
    Planted("money_politics", "prohibited_content_post", True, _RH, _wib("2024-11-04"),
            "Ada amplop dan uang transport untuk yang datang ke kampanye besok!"),
    Planted("money_politics", "prohibited_content_post", False, _RH, _wib("2024-11-05"),
            "Tolak politik uang, pilih dengan hati nurani."),
    Planted("involving_children", "prohibited_content_post", True, _ST, _wib("2024-11-06"),
            "Adik-adik anak TK ikut bernyanyi jingle kampanye kami."),
    Planted("involving_children", "prohibited_content_post", False, _ST, _wib("2024-11-07"),
            "Para pemuda karang taruna ikut bernyanyi jingle kampanye kami."),
    Planted("public_hate_speech", "public_hate_speech", True, "triharris.demo",
            _wib("2024-11-08"), "Terima kasih warga Bekasi Timur atas sambutannya.",
            reply=("public", "Pendatang cina dan kafir harus diusir dari Bekasi.")),
    Planted("public_hate_speech", "public_hate_speech", False, "triharris.demo",
            _wib("2024-11-09"), "Terima kasih warga Bekasi Selatan atas sambutannya.",
            reply=("public", "Kinerja wali kota lama mengecewakan, banjir tidak tertangani.")),
    Planted("insult", "prohibited_content_comment", True, "uusaeful.demo", _wib("2024-11-11"),
            "Tanya jawab program, tulis pertanyaanmu di kolom komentar.",
            reply=("account", "Dasar goblok lu, baca dulu programnya.")),
    Planted("insult", "prohibited_content_comment", False, "uusaeful.demo", _wib("2024-11-12"),
            "Tanya jawab program, tulis pertanyaanmu di kolom komentar.",
            reply=("account", "Terima kasih masukannya, kami catat.")),
)
PLANTED_MARK = " (contoh sintetis)"


@dataclass(frozen=True)
class Size:
    name: str
    posts: dict[str, int] = field(default_factory=dict)  # per platform
    # Comments per platform. X replies are also posts of their authors once imported.
    comments: dict[str, int] = field(default_factory=dict)
    commenters: int = 0


SIZES = {
    "small": Size("small", {"tiktok": 240, "instagram": 180, "facebook": 120, "x": 60},
                  {"tiktok": 9_800, "instagram": 1_700, "x": 500}, 4_000),
    "medium": Size("medium", {"tiktok": 1_200, "instagram": 900, "facebook": 600, "x": 300},
                   {"tiktok": 49_000, "instagram": 8_500, "x": 2_500}, 16_000),
}

# Share of each post function per pair (P1 ... P9), invented; pair 2 leaned on programmes and
# interaction on social media (DOMAIN.md).
FUNCTION_WEIGHTS = {
    "pair-1": (20, 22, 12, 14, 8, 5, 6, 8, 5),
    "pair-2": (28, 16, 8, 14, 4, 4, 14, 5, 7),
    "pair-3": (18, 24, 12, 14, 8, 7, 5, 7, 5),
    None: (10, 30, 0, 10, 5, 5, 20, 15, 5),
}

# Posting hours (WIB), relative weights for 00..23.
HOUR_WEIGHTS = (1, 0.5, 0.3, 0.3, 1, 3, 6, 8, 7, 6, 5, 5, 7, 6, 4, 4, 5, 6, 8, 10, 11, 9, 5, 2)


def campaign_days() -> list[date]:
    days, day = [], CAMPAIGN_START
    while day <= CAMPAIGN_END:
        days.append(day)
        day += timedelta(days=1)
    return days


def day_weight(day: date) -> float:
    """More posts as the vote nears, spikes on debate days and the day after."""
    progress = (day - CAMPAIGN_START).days / max(1, (CAMPAIGN_END - CAMPAIGN_START).days)
    weight = 0.6 + 1.2 * progress
    for debate in DEBATES:
        if day == debate:
            weight *= 2.6
        elif day == debate + timedelta(days=1):
            weight *= 1.8
    if day.weekday() == 6:  # Sunday rallies
        weight *= 1.3
    if day == CAMPAIGN_END:
        weight *= 2.0
    return weight


def to_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)
