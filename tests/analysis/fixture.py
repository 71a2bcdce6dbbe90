"""A small campaign store built by INSERT (no format modules), with numbers simple enough to
compute by hand. Times are UTC; WIB = UTC + 7 h. The expected values the tests check are derived
in the test files from the rows below.

Accounts (rules copy with max_per_platform = 1):
  pair-1: heri_tt (tiktok, official, registered, 1000 followers),
          heri_ig (instagram, candidate, registered, 2000)
  pair-2: uu_tt (tiktok, official, NOT registered, 500), uu_ig (instagram, official, reg., 800)
  pair-3: tri_tt (tiktok, official, reg., 5000), tri_relawan (tiktok, volunteer, reg., 100)
  unlinked: warga_biasa (tiktok)
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pantau.project import Project
from pantau.store import connect

ACCOUNTS_TOML = """
[[accounts]]
candidate = "pair-1"
platform = "tiktok"
handle = "heri_tt"
role = "official"
registered = true

[[accounts]]
candidate = "pair-1"
platform = "instagram"
handle = "heri_ig"
role = "candidate"
registered = true

[[accounts]]
candidate = "pair-2"
platform = "tiktok"
handle = "uu_tt"
role = "official"
registered = false

[[accounts]]
candidate = "pair-2"
platform = "instagram"
handle = "uu_ig"
role = "official"
registered = true

[[accounts]]
candidate = "pair-3"
platform = "tiktok"
handle = "tri_tt"
role = "official"
registered = true

[[accounts]]
candidate = "pair-3"
platform = "tiktok"
handle = "tri_relawan"
role = "volunteer"
registered = true

[[events]]
name = "Debat publik pertama"
date = 2024-11-01
kind = "debate"
"""

T = datetime.fromisoformat

ACCOUNTS = [  # platform, account_id, handle, followers
    ("tiktok", "t1", "heri_tt", 1000), ("instagram", "i1", "heri_ig", 2000),
    ("tiktok", "t2", "uu_tt", 500), ("instagram", "i2", "uu_ig", 800),
    ("tiktok", "t3", "tri_tt", 5000), ("tiktok", "t3v", "tri_relawan", 100),
    ("tiktok", "x1", "warga_biasa", 30),
]

# post_id, platform, account, created (UTC), media, duration, music, views, likes, comments,
# shares, text
POSTS = [
    ("p1", "tiktok", "t1", "2024-10-01 12:00", "video", 45, "m1", 1000, 100, 10, 5,
     "Program banjir dan macet #bekasi #banjir"),
    ("p2", "tiktok", "t1", "2024-10-02 02:00", "video", 120, "m1", 2000, 150, 30, 20,
     "Sekolah gratis #bekasi"),
    ("p3", "tiktok", "t1", "2024-11-24 05:00", "video", 30, "m2", 500, 40, 5, 5,
     "Ayo coblos nomor 1 besok lusa"),
    ("p4", "tiktok", "t1", "2024-09-24 18:00", "video", 90, None, 800, 60, 10, 10,
     "Hari pertama kampanye"),
    ("p5", "instagram", "i1", "2024-10-05 13:00", "image", None, None, None, 200, 20, None,
     "Bersama warga"),
    ("p6", "instagram", "i1", "2024-10-06 01:00", "carousel", None, None, None, 100, 0, None,
     "Visi misi"),
    ("p7", "instagram", "i1", "2024-11-23 16:30", "image", None, None, None, 50, 10, None,
     "Terima kasih relawan"),
    ("p8", "tiktok", "t2", "2024-10-10 12:00", "video", 15, "m1", 100, 10, 2, 0, "Uu menyapa"),
    ("p9", "tiktok", "t2", "2024-10-11 12:00", "video", 200, "m3", 400, 20, 4, 4, "Program"),
    ("p10", "tiktok", "t2", "2024-11-23 17:30", "video", 50, None, 300, 30, 3, 3,
     "Pilih nomor 2"),
    ("p11", "instagram", "i2", "2024-10-12 03:00", "image", None, None, None, 80, 8, None,
     "Kunjungan pasar"),
    ("p12", "instagram", "i2", "2024-10-13 03:00", "image", None, None, None, 40, 0, None,
     "Pasar"),
    ("p13", "instagram", "i2", "2024-10-14 03:00", "text", None, None, None, 8, 0, None,
     "Pengumuman"),
    ("p19", "instagram", "i2", "2024-09-20 03:00", "image", None, None, None, 10, 0, None,
     "Segera hadir"),
    ("p14", "tiktok", "t3", "2024-10-15 12:00", "video", 20, "m1", 10000, 500, 100, 100,
     "Tri untuk Bekasi"),
    ("p15", "tiktok", "t3", "2024-10-16 12:00", "video", 40, "m1", 5000, 300, 50, 50,
     "Kerja nyata"),
    ("p16", "tiktok", "t3", "2024-10-17 12:00", "video", 61, "m1", 3000, 200, 30, 10,
     "Bekasi maju"),
    ("p17", "tiktok", "t3v", "2024-10-12 12:00", "video", 10, "m1", 100, 5, 1, 0,
     "Relawan Tri"),
    ("p20", "tiktok", "t3v", "2024-11-25 12:00", "video", 10, None, 100, 1, 0, 0,
     "Relawan di masa tenang"),
    ("p18", "tiktok", "x1", "2024-10-18 12:00", "video", 30, "m1", 50, 1, 0, 0,
     "dasar calon bodoh semua"),
]
# An earlier observation of p1, exactly 24 h before the one above.
P1_EARLIER = ("2024-10-01 20:00", 400, 40, 4, 1)
OBSERVED = "2024-10-02 20:00"

# comment_id, platform, post_id, parent_id, author_id, author_handle, created (UTC), text,
# by_post_author
COMMENTS = [
    ("c1", "tiktok", "p1", None, "wA", "warga_a", "2024-10-01 13:00",
     "Kapan jalan diperbaiki pak?", None),
    ("c2", "tiktok", "p1", "c1", "t1", "heri_tt", "2024-10-01 14:30",
     "Segera kami perbaiki", None),
    ("c3", "tiktok", "p1", None, "wB", "warga_b", "2024-10-01 15:00",
     "Program sekolah gratis gimana?", None),
    ("c4", "tiktok", "p1", "c3", "wE", "warga_e", "2024-10-01 15:30",
     "Mantap programnya", None),
    ("c5", "tiktok", "p1", "c1", "wC", "warga_c", "2024-10-01 16:00",
     "Kalau banjir gimana pak?", None),
    ("c6", "tiktok", "p1", "c1", None, "@Heri_TT", "2024-10-01 18:00",
     "Banjir kami tangani", None),
    ("c7", "instagram", "p5", None, "wA", "warga_a", "2024-10-05 14:00",
     "Bapak kapan ke Bekasi Utara?", None),
    ("c7r", "instagram", "p5", "c7", None, None, "2024-10-05 14:30", "Minggu depan", True),
    ("c8", "tiktok", "p8", None, "wA", "warga_a", "2024-10-10 13:00", "Programnya apa?", None),
    ("c9", "instagram", "p11", None, "wD", "warga_d", "2024-10-12 04:00",
     "Kapan pasar direnovasi?", None),
    ("c10", "tiktok", "p14", None, "wD", "warga_d", "2024-10-15 13:00",
     "dasar kafir jangan dipilih", None),
    ("c11", "tiktok", "p14", None, "wF", "warga_f", "2024-10-15 14:00",
     "debatnya panas sekali", None),
    ("c12", "tiktok", "p14", None, "wG", "warga_g", "2024-10-15 15:00",
     "Kapan jalan diperbaiki??", None),
    ("c13", "tiktok", "p14", None, "wH", "warga_h", "2024-10-15 16:00",
     "kapan jalan diperbaiki", None),
    ("c14", "tiktok", "p15", None, "wA", "warga_a", "2024-10-16 13:00",
     "Banjir terus di Jatiasih #bekasibanjir", None),
]

MODEL = "model:test@1"
# platform, target, target_id, scheme, value, score, source, created, evidence
LABELS = [
    # questions (c7 only via its category)
    *[("tiktok", "comment", c, "question", "question", 0.9, MODEL, "2024-12-01", None)
      for c in ("c1", "c3", "c5", "c8", "c12", "c13")],
    ("instagram", "comment", "c9", "question", "question", 0.9, MODEL, "2024-12-01", None),
    ("tiktok", "comment", "c4", "question", "not_question", 0.9, MODEL, "2024-12-01", None),
    ("instagram", "comment", "c7", "comment_category", "pertanyaan", 0.8, MODEL, "2024-12-01",
     None),
    ("tiktok", "comment", "c14", "comment_category", "aspirasi", 0.8, MODEL, "2024-12-01", None),
    # sentiment: model on everything, two coders on c1, c3, c4, c5 (budi's labels are later)
    *[("tiktok", "comment", c, "sentiment", v, 0.7, MODEL, "2024-12-01", None)
      for c, v in (("c1", "neutral"), ("c3", "negative"), ("c4", "positive"),
                   ("c5", "negative"), ("c2", "positive"), ("c6", "positive"),
                   ("c14", "negative"))],
    *[("tiktok", "comment", c, "sentiment", v, None, "coder:ana", "2024-12-02", None)
      for c, v in (("c1", "neutral"), ("c3", "negative"), ("c4", "positive"),
                   ("c5", "negative"))],
    *[("tiktok", "comment", c, "sentiment", v, None, "coder:budi", "2024-12-03", None)
      for c, v in (("c1", "neutral"), ("c3", "negative"), ("c4", "negative"),
                   ("c5", "negative"))],
    # prohibited content
    ("tiktok", "comment", "c10", "toxicity", "hate", 0.95, MODEL, "2024-12-01", '["kafir"]'),
    ("tiktok", "comment", "c10", "sara", "religion", 0.9, MODEL, "2024-12-01", '["kafir"]'),
    ("tiktok", "comment", "c11", "toxicity", "hate", 0.6, MODEL, "2024-12-01", '["panas"]'),
    ("tiktok", "comment", "c11", "toxicity", "none", None, "coder:ana", "2024-12-02", None),
    ("tiktok", "post", "p18", "toxicity", "abusive", 0.9, MODEL, "2024-12-01", '["bodoh"]'),
    # a volunteer's post showing children (a codebook flag); the candidate's own reply c2
    # labelled abusive (a campaigner's comment, not the public's)
    ("tiktok", "post", "p17", "post_flags", "children", 1.0, MODEL, "2024-12-01",
     '["children: anak tk"]'),
    ("tiktok", "comment", "c2", "toxicity", "abusive", 0.7, MODEL, "2024-12-01", '["bodoh"]'),
    # post functions, topics and slang for pair-1
    *[(pl, "post", p, "post_function", f, 0.8, MODEL, "2024-12-01", None)
      for pl, p, f in (("tiktok", "p1", "P1"), ("tiktok", "p2", "P1"), ("tiktok", "p3", "P4"),
                       ("tiktok", "p4", "P2"), ("instagram", "p5", "P3"),
                       ("instagram", "p6", "P1"), ("instagram", "p7", "P4"))],
    ("tiktok", "post", "p1", "topic", "banjir", 0.8, MODEL, "2024-12-01", None),
    ("tiktok", "post", "p1", "topic", "macet", 0.8, MODEL, "2024-12-01", None),
    ("tiktok", "post", "p2", "topic", "banjir", 0.8, MODEL, "2024-12-01", None),
    ("tiktok", "post", "p1", "slang_density", None, 0.2, MODEL, "2024-12-01", None),
    ("tiktok", "post", "p2", "slang_density", None, 0.4, MODEL, "2024-12-01", None),
]


def build(root: Path, conftest_toml: str, *, labels: bool = True,
          synthetic: bool = False) -> Project:
    """Write pantau.toml (with a rules copy allowing one registered account per platform) and
    fill the store."""
    from importlib import resources

    root.mkdir(parents=True, exist_ok=True)
    rules = resources.files("pantau.rules").joinpath("pilkada-2024.toml").read_text("utf-8")
    (root / "rules.toml").write_text(
        rules.replace("max_per_platform = 20", "max_per_platform = 1"), encoding="utf-8")
    toml = conftest_toml.replace('rules = "pilkada-2024"', 'rules = "rules.toml"')
    if synthetic:
        toml = toml.replace("Pilkada Kota Bekasi 2024", "Pilkada Kota Bekasi 2024 (SINTETIS)")
    (root / "pantau.toml").write_text(toml + ACCOUNTS_TOML, encoding="utf-8")
    con = connect(root / "pantau.duckdb")
    seen = T("2024-12-01 00:00")
    for platform, account_id, handle, followers in ACCOUNTS:
        con.execute("INSERT INTO accounts (platform, account_id, handle, followers, first_seen, "
                    "last_seen) VALUES (?, ?, ?, ?, ?, ?)",
                    [platform, account_id, handle, followers, seen, seen])
    for (post_id, platform, account, created, media, duration, music, views, likes, comments,
         shares, text) in POSTS:
        tags = [w[1:] for w in text.split() if w.startswith("#")]
        con.execute(
            "INSERT INTO posts (platform, post_id, account_id, created_at, text, media_type, "
            "duration_s, url, hashtags, music_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [platform, post_id, account, T(created), text, media, duration,
             f"https://example.org/{platform}/{post_id}", tags, music])
        con.execute(
            "INSERT INTO post_metrics (platform, post_id, observed_at, views, likes, comments, "
            "shares, saves) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [platform, post_id, T(OBSERVED), views, likes, comments, shares,
             2 if post_id == "p1" else None])
    at, views, likes, comments, shares = P1_EARLIER
    con.execute("INSERT INTO post_metrics (platform, post_id, observed_at, views, likes, comments,"
                " shares) VALUES ('tiktok', 'p1', ?, ?, ?, ?, ?)",
                [T(at), views, likes, comments, shares])
    for cid, platform, post_id, parent, author_id, handle, created, text, by_author in COMMENTS:
        con.execute(
            "INSERT INTO comments (platform, comment_id, post_id, parent_id, author_id, "
            "author_handle, created_at, text, likes, by_post_author) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [platform, cid, post_id, parent, author_id, handle, T(created), text, 0, by_author])
    if labels:
        for row in LABELS:
            *head, created, evidence = row
            con.execute("INSERT INTO labels (platform, target, target_id, scheme, value, score, "
                        "source, created_at, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [*head, T(created), evidence])
    con.execute("INSERT INTO imports (import_id, path, format, started_at, finished_at, status, "
                "records, posts, comments) VALUES (1, 'fixture.ndjson', 'test', ?, ?, 'done', "
                "?, ?, ?)", [seen, seen, len(POSTS) + len(COMMENTS), len(POSTS), len(COMMENTS)])
    con.close()
    project = Project(root)
    project.connect().close()  # links accounts and writes candidates and events
    return project
