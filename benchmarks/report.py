"""`pantau analyze` + `pantau report` on a synthetic campaign of 100,000 posts and 2,000,000
comments (labels included), generated directly into DuckDB with SQL.

Target: analyze + report <= 60 s wall and <= 2 GB peak RSS on 2 cores. The analysis and the
report run in a child process, so its peak RSS is theirs alone (generation not included).

    .venv/bin/python benchmarks/report.py [--posts 100000] [--comments 2000000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CANDIDATES = (("pair-1", 1, "Heri Koswara"), ("pair-2", 2, "Uu Saeful Mikdar"),
              ("pair-3", 3, "Tri Adhianto"))
PLATFORMS = ("tiktok", "instagram", "facebook")
UNLINKED_ACCOUNTS = 60
_WORDS = """
ayo dukung warga bekasi banjir macet program sekolah gratis kesehatan umkm pasar jalan
rusak coblos nomor pilih kami siap kerja nyata bersama maju sejahtera kapan pak bu gimana
tolong perbaiki terima kasih mantap semangat bohong janji lapangan kerja sampah terminal
air bersih banjir lagi
"""
WORDS = _WORDS.split()


def toml_text() -> str:
    lines = ['[election]', 'name = "Benchmark Pilkada (SYNTHETIC)"', 'rules = "pilkada-2024"',
             'timezone = "Asia/Jakarta"', "",
             '[[events]]', 'name = "Debat publik pertama"', "date = 2024-11-01",
             'kind = "debate"', "",
             '[[events]]', 'name = "Debat publik kedua"', "date = 2024-11-22",
             'kind = "debate"', ""]
    for cid, ballot, name in CANDIDATES:
        lines += ["[[candidates]]", f'id = "{cid}"', f"ballot_number = {ballot}",
                  f'name = "{name}"', ""]
        for platform in PLATFORMS:
            lines += ["[[accounts]]", f'candidate = "{cid}"', f'platform = "{platform}"',
                      f'handle = "{cid}_{platform}"', 'role = "official"',
                      f"registered = {'true' if platform != 'facebook' else 'false'}", ""]
        lines += ["[[accounts]]", f'candidate = "{cid}"', 'platform = "tiktok"',
                  f'handle = "{cid}_relawan"', 'role = "volunteer"', "registered = false", ""]
    return "\n".join(lines)


def generate(root: Path, n_posts: int, n_comments: int) -> None:
    from pantau.project import Project
    from pantau.store import connect

    root.mkdir(parents=True, exist_ok=True)
    (root / "pantau.toml").write_text(toml_text(), encoding="utf-8")
    con = connect(root / "pantau.duckdb", memory_limit="4GB")
    # hash() is UBIGINT; a BIGINT version indexes lists and feeds range() without casts
    con.execute("CREATE TEMP MACRO hh(a, b) AS (hash(a, b) % 1000000007)::BIGINT")
    con.execute("CREATE TEMP MACRO hh1(a) AS (hash(a) % 1000000007)::BIGINT")
    words = "[" + ", ".join(f"'{w}'" for w in WORDS) + "]"
    # accounts: 12 linked (official per platform + a TikTok volunteer) and unlinked ones
    linked = [(f"{cid}_{p}", p) for cid, _, _ in CANDIDATES for p in PLATFORMS] + \
        [(f"{cid}_relawan", "tiktok") for cid, _, _ in CANDIDATES]
    for i, (handle, platform) in enumerate(linked):
        con.execute("INSERT INTO accounts (platform, account_id, handle, followers, first_seen, "
                    "last_seen) VALUES (?, ?, ?, ?, now(), now())",
                    [platform, f"a{i}", handle, 5_000 + 40_000 * (i % 5)])
    con.execute(f"""
        INSERT INTO accounts (platform, account_id, handle, followers, first_seen, last_seen)
        SELECT ['tiktok', 'instagram', 'facebook'][1 + i % 3], 'x' || i, 'akun_' || i,
               100 + (hh1(i) % 20000), now(), now()
        FROM range({UNLINKED_ACCOUNTS}) r(i)""")
    n_accounts = len(linked) + UNLINKED_ACCOUNTS
    # posts: 85% by linked accounts; times spread over 1 Sep - 5 Dec 2024 (UTC)
    con.execute("""
        CREATE TEMP TABLE acc AS
        SELECT row_number() OVER (ORDER BY account_id) - 1 AS k, platform, account_id
        FROM accounts""")
    con.execute(f"""
        INSERT INTO posts (platform, post_id, account_id, created_at, text, media_type,
                           duration_s, url, hashtags, mentions, is_ad, music_id, source_format,
                           first_seen, last_seen, import_id)
        WITH p AS (
            SELECT i, CASE WHEN hh(i, 1) % 100 < 85 THEN hh(i, 2) % {len(linked)}
                           ELSE {len(linked)} + hh(i, 2) % {UNLINKED_ACCOUNTS} END AS k
            FROM range({n_posts}) r(i))
        SELECT a.platform, 'p' || i, a.account_id,
               TIMESTAMP '2024-09-01' + to_seconds((hh(i, 3) % (96 * 86400))::BIGINT),
               array_to_string(list_transform(range((8 + hh(i, 4) % 20)::BIGINT),
                   lambda x: {words}[1 + hh(i, x) % {len(WORDS)}]), ' '),
               CASE WHEN a.platform = 'tiktok' THEN 'video'
                    ELSE ['video', 'image', 'carousel', 'text', 'live'][1 + hh(i, 5) % 5] END,
               5 + hh(i, 6) % 240, 'https://example.org/' || a.platform || '/p' || i,
               ['bekasi', 'pilkada2024', 'nomor' || (1 + hh(i, 7) % 3)], [], false,
               CASE WHEN a.platform = 'tiktok' THEN 'm' || (hh(i, 8) % 400) END,
               'benchmark', now(), now(), 1
        FROM p JOIN acc a ON a.k = p.k""")
    con.execute("""
        INSERT INTO post_metrics (platform, post_id, observed_at, views, likes, comments, shares,
                                  saves, source_format, import_id)
        SELECT platform, post_id, TIMESTAMP '2024-12-06', v, v // (10 + h % 40),
               v // (100 + h % 300), v // (200 + h % 500), v // 900, 'benchmark', 1
        FROM (SELECT platform, post_id, hh1(post_id) AS h,
                     CASE WHEN platform = 'tiktok' OR hh(post_id, 9) % 2 = 0
                          THEN 100 + hh(post_id, 10) % 200000 END AS v FROM posts)
        UNION ALL
        SELECT platform, post_id, TIMESTAMP '2024-12-01', 50 + hh(post_id, 11) % 1000,
               5 + hh(post_id, 12) % 100, 1, 1, 0, 'benchmark', 1
        FROM posts WHERE hh(post_id, 13) % 5 = 0""")
    # Instagram and Facebook without views: likes from a separate draw
    con.execute("""UPDATE post_metrics SET likes = 10 + hh(post_id, 14) % 5000,
                   comments = 1 + hh(post_id, 15) % 300 WHERE views IS NULL""")
    # comments: 20 per post on average; in each block of 20, positions 14-19 are replies to
    # positions 0-5, and position 14 is the post's author answering on a third of posts
    per_post = max(1, n_comments // n_posts)
    con.execute(f"""
        INSERT INTO comments (platform, comment_id, post_id, parent_id, author_id,
                              author_handle, created_at, text, likes, by_post_author,
                              source_format, import_id)
        WITH c AS (SELECT j, j // {per_post} AS pi, j % {per_post} AS r
                   FROM range({n_comments}) r(j)),
        p AS (SELECT platform, post_id, account_id, created_at,
                     row_number() OVER (ORDER BY post_id) - 1 AS pi FROM posts)
        SELECT p.platform, 'c' || c.j, p.post_id,
               CASE WHEN c.r >= 14 THEN 'c' || (c.j - 14) END,
               CASE WHEN c.r = 14 AND hh1(c.pi) % 3 = 0 THEN p.account_id
                    ELSE 'u' || (hh(c.j, 1) % 200000) END,
               CASE WHEN c.r = 14 AND hh1(c.pi) % 3 = 0 THEN NULL
                    ELSE 'user_' || (hh(c.j, 1) % 200000) END,
               p.created_at + to_seconds((60 * (1 + c.r) + hh(c.j, 2) % 7200)::BIGINT),
               array_to_string(list_transform(range((3 + hh(c.j, 3) % 12)::BIGINT),
                   lambda x: {words}[1 + hh(c.j, x) % {len(WORDS)}]), ' ')
                   || CASE WHEN hh(c.j, 4) % 5 = 0 THEN '?' ELSE '' END,
               hh(c.j, 5) % 50,
               CASE WHEN c.r = 14 AND hh1(c.pi) % 3 = 0 THEN true END, 'benchmark', 1
        FROM c JOIN p USING (pi)""")
    # labels, as enrich would write them
    con.execute("""
        INSERT INTO labels (platform, target, target_id, scheme, value, score, source, created_at)
        SELECT platform, 'comment', comment_id, 'sentiment',
               ['positive', 'negative', 'neutral'][1 + hh(comment_id, 20) % 3], 0.7,
               'model:sentiment@1', TIMESTAMP '2024-12-07' FROM comments
        UNION ALL
        SELECT platform, 'comment', comment_id, 'question',
               CASE WHEN text LIKE '%?' THEN 'question' ELSE 'not_question' END, 0.8,
               'model:question@1', TIMESTAMP '2024-12-07' FROM comments
        UNION ALL
        SELECT platform, 'comment', comment_id, 'comment_category',
               ['dukungan', 'kritik', 'pertanyaan', 'aspirasi', 'serangan', 'spam',
                'netral'][1 + hh(comment_id, 21) % 7], 0.6,
               'model:category@1', TIMESTAMP '2024-12-07' FROM comments
    """)
    con.execute("""
        INSERT INTO labels (platform, target, target_id, scheme, value, score, source, created_at,
                            evidence)
        SELECT platform, 'comment', comment_id, 'toxicity',
               CASE WHEN hh(comment_id, 22) % 100 < 2 THEN 'hate'
                    WHEN hh(comment_id, 22) % 100 < 5 THEN 'abusive' ELSE 'none' END, 0.9,
               'model:toxicity@1', TIMESTAMP '2024-12-07', '["kata"]' FROM comments
    """)
    con.execute("""
        INSERT INTO labels (platform, target, target_id, scheme, value, score, source, created_at)
        SELECT platform, 'comment', comment_id, 'sara', 'religion', 0.8, 'model:toxicity@1',
               TIMESTAMP '2024-12-07' FROM comments WHERE hh(comment_id, 23) % 100 = 0
        UNION ALL
        SELECT platform, 'post', post_id, 'post_function', 'P' || (1 + hh(post_id, 24) % 9),
               0.6, 'model:function@1', TIMESTAMP '2024-12-07' FROM posts
        UNION ALL
        SELECT platform, 'post', post_id, 'topic',
               ['banjir', 'sampah', 'macet', 'pendidikan', 'kesehatan', 'ekonomi',
                'lapangan_kerja', 'infrastruktur'][1 + hh(post_id, 25) % 8], 0.6,
               'model:topic@1', TIMESTAMP '2024-12-07' FROM posts
        UNION ALL
        SELECT platform, 'post', post_id, 'slang_density', NULL,
               (hh(post_id, 26) % 100) / 250.0, 'model:slang@1', TIMESTAMP '2024-12-07'
        FROM posts
        UNION ALL
        SELECT platform, 'post', post_id, 'toxicity',
               CASE WHEN hh(post_id, 27) % 100 < 1 THEN 'abusive' ELSE 'none' END, 0.9,
               'model:toxicity@1', TIMESTAMP '2024-12-07' FROM posts
        UNION ALL
        SELECT platform, 'comment', comment_id, 'sentiment',
               ['positive', 'negative', 'neutral'][1 + hh(comment_id, 20 + k) % 3], NULL,
               'coder:' || ['ana', 'budi'][k], TIMESTAMP '2024-12-08'
        FROM comments, range(1, 3) r(k) WHERE hh(comment_id, 28) % 4000 = 0
    """)
    con.execute("""INSERT INTO imports (import_id, path, format, started_at, finished_at, status,
                   records, posts, comments) SELECT 1, 'benchmark (SQL)', 'benchmark', now(),
                   now(), 'done', (SELECT count(*) FROM posts) + (SELECT count(*) FROM comments),
                   (SELECT count(*) FROM posts), (SELECT count(*) FROM comments)""")
    con.execute("CHECKPOINT")
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("posts", "post_metrics", "comments", "labels", "accounts")}
    con.close()
    Project(root).connect().close()  # link the accounts from pantau.toml
    print("generated: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()) +
          f" ({n_accounts} accounts)")


def child(project_dir: str, out: str) -> None:
    from pantau.analysis import run_all
    from pantau.project import Project
    from pantau.report import write_report

    project = Project(Path(project_dir))
    t0 = time.perf_counter()
    summary = run_all(project)
    t1 = time.perf_counter()
    write_report(project, out, lang="id")
    t2 = time.perf_counter()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"analyze_s": t1 - t0, "report_s": t2 - t1, "total_s": t2 - t0,
                      "cpu_s": usage.ru_utime + usage.ru_stime,
                      "peak_rss_mb": usage.ru_maxrss / 1024, "timings": summary["timings"],
                      "report_kb": Path(out).stat().st_size / 1024}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--comments", type=int, default=2_000_000)
    parser.add_argument("--keep", help="keep the work folder here")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    work = Path(args.keep or tempfile.mkdtemp(prefix="pantau-bench-report-"))
    project = work / "project"
    if project.exists():
        shutil.rmtree(project)
    t0 = time.perf_counter()
    generate(project, args.posts, args.comments)
    print(f"generation: {time.perf_counter() - t0:.1f} s")
    started = time.perf_counter()
    out = subprocess.run([sys.executable, __file__, "--child", str(project),
                          str(work / "report.html")],
                         check=True, capture_output=True, text=True, env=os.environ)
    wall = time.perf_counter() - started
    result = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"analyze: {result['analyze_s']:.1f} s  report: {result['report_s']:.1f} s  "
          f"(in-process total {result['total_s']:.1f} s; child wall incl. start-up {wall:.1f} s;"
          f" target <= 60 s)")
    print(f"peak RSS of analyze + report: {result['peak_rss_mb']:,.0f} MB (target <= 2048 MB)")
    load = os.getloadavg()[0]
    print(f"CPU time of the child {result['cpu_s']:.1f} s on {os.cpu_count()} cores; load "
          f"average during the run {load:.1f} (other processes slow the wall time)")
    print("analysis steps (s): " + ", ".join(f"{k} {v:.1f}" for k, v in
                                              result["timings"].items()))
    print(f"report size: {result['report_kb']:,.0f} KB")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
