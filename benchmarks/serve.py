"""Load test of the web app: many concurrent clients on loopback against a large project.

Builds (or reuses) a synthetic project of 2,000,000 comments with model labels on every comment,
starts `pantau serve` in a child process on 127.0.0.1 (timed: index build and warm-up), and runs
CLIENTS concurrent clients for DURATION seconds over a mix of the explore pages with random
filters, sort orders, page numbers, posts and candidates (25% post pages over ~20,000 posts, so
most of those are rendered fresh). By default the loop is closed: each client sends its next
request as soon as the previous answer arrives (no think time), the strictest reading of
"50 concurrent clients"; --think S adds a random pause of S seconds on average, like people
reading a page. The clients are a few lines of asyncio HTTP/1.1 (not an HTTP library), so they
take little of the CPU they share with the server; like browsers, they keep the session cookie
the app sets. Prints request counts, errors and latency
percentiles per page and overall.

    .venv/bin/python benchmarks/serve.py [--comments 2000000] [--clients 50] [--duration 60]
                                         [--think 0] [--workers N] [--keep DIR]

Target (issue "The web app"): p95 <= 300 ms and no error.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

PROJECT_TOML = """
[election]
name = "Synthetic benchmark election"
rules = "pilkada-2024"
timezone = "Asia/Jakarta"

[[candidates]]
id = "pair-1"
ballot_number = 1
name = "Calon Satu"

[[candidates]]
id = "pair-2"
ballot_number = 2
name = "Calon Dua"

[[candidates]]
id = "pair-3"
ballot_number = 3
name = "Calon Tiga"
"""

PLATFORMS = ("tiktok", "instagram", "facebook")
ROLES = ("official", "candidate", "volunteer")


def build_project(root: Path, comments: int, seed: int = 7) -> None:
    """Write a synthetic project with SQL (seconds, not minutes): accounts, posts, three metric
    observations per post, `comments` comments (about 100 per post, a fifth of them replies) and
    model labels for every post and comment."""
    from pantau.project import Project, sync_config

    root.mkdir(parents=True, exist_ok=True)
    toml = PROJECT_TOML
    for c in range(1, 4):
        for p in PLATFORMS:
            for r in ROLES:
                toml += (f'\n[[accounts]]\ncandidate = "pair-{c}"\nplatform = "{p}"\n'
                         f'handle = "pair{c}_{p}_{r}"\nrole = "{r}"\nregistered = true\n')
    (root / "pantau.toml").write_text(toml, encoding="utf-8")
    project = Project(root)
    con = project.connect()
    con.execute("SET enable_progress_bar = false")
    posts = max(comments // 100, 30)
    # h(x): a deterministic pseudo-random non-negative BIGINT (hash is UBIGINT in DuckDB).
    con.execute(f"CREATE TEMP MACRO h(x) AS ((hash(x, {seed}) % 1000000007)::BIGINT)")
    con.execute("BEGIN")
    accounts = [(p, f"{c}{i}{j}", f"pair{c}_{p}_{r}")
                for c in range(1, 4) for i, p in enumerate(PLATFORMS) for j, r in enumerate(ROLES)]
    for platform, account_id, handle in accounts:
        con.execute("INSERT INTO accounts (platform, account_id, handle, display_name, followers)"
                    " VALUES (?, ?, ?, ?, ?)", [platform, account_id, handle, handle.title(),
                                                10_000 + int(account_id) * 37])
    con.execute("CREATE TEMP TABLE acc AS SELECT row_number() OVER () - 1 AS k, * FROM "
                "(SELECT platform, account_id FROM accounts ORDER BY account_id)")
    n_acc = len(accounts)
    words = ["ayo", "dukung", "warga", "bekasi", "banjir", "macet", "program", "sekolah",
             "gratis", "kesehatan", "umkm", "pasar", "jalan", "rusak", "coblos", "nomor",
             "pilih", "kami", "siap", "kerja", "nyata", "bersama", "maju", "sejahtera",
             "<script>alert(1)</script>", "<b>tebal</b>"]
    con.execute("CREATE TEMP TABLE w AS SELECT unnest(?) AS word, generate_subscripts(?, 1) AS i",
                [words, words])
    con.execute(f"""
        INSERT INTO posts (platform, post_id, account_id, created_at, text, media_type, url,
                           hashtags, mentions, lang, source_format, first_seen, last_seen)
        SELECT a.platform, (7400000000000000000 + i)::VARCHAR, a.account_id,
               TIMESTAMP '2024-09-01' + to_seconds((h(i) % 7776000)::BIGINT),
               'Post ' || i || ' ' || (SELECT string_agg(word, ' ') FROM w
                                         WHERE (h(i * 31 + w.i) % 3) = 0),
               ['video','image','carousel','text'][1 + h(i) % 4], 'https://example.org/' || i,
               ['pilkada', 'bekasi'], [], 'id', 'synthetic', now()::TIMESTAMP, now()::TIMESTAMP
        FROM range({posts}) t(i) JOIN acc a ON a.k = i % {n_acc}""")
    con.execute("""
        INSERT INTO post_metrics (platform, post_id, observed_at, views, likes, comments, shares,
                                  saves, source_format)
        SELECT p.platform, p.post_id, p.created_at + INTERVAL (d) DAY,
               (h(p.post_id) % 100000) * (d + 1), (h(p.post_id) % 5000) * (d + 1),
               100 * (d + 1) / 3, (h(p.post_id) % 300) * (d + 1), h(p.post_id) % 100,
               'synthetic'
        FROM posts p, range(3) t(d)""")
    con.execute(f"""
        INSERT INTO comments (platform, comment_id, post_id, parent_id, author_id, author_handle,
                              created_at, text, likes, reply_count, by_post_author, source_format,
                              first_seen, last_seen)
        SELECT p.platform, (9000000000000000000 + i)::VARCHAR, p.post_id,
               CASE WHEN i % 5 = 4 THEN (9000000000000000000 + i - 1)::VARCHAR END,
               CASE WHEN i % 50 = 49 THEN p.account_id ELSE (h(i) % 200000)::VARCHAR END,
               CASE WHEN i % 50 = 49 THEN NULL ELSE 'warga_' || (h(i) % 200000) END,
               p.created_at + to_seconds((i % 100) * 600),
               ['mantap pak lanjutkan', 'kapan jalan di sini diperbaiki?', 'banjir lagi pak',
                'hoax semua <script>alert(1)</script>', 'setuju, coblos nomor ' || (i % 3 + 1),
                'bagaimana program sekolah gratis?', 'wkwk', 'kerja nyata bukan janji',
                'promo pulsa murah klik link', 'semoga amanah'][1 + i % 10],
               h(i) % 40, 0, i % 50 = 49, 'synthetic', now()::TIMESTAMP, now()::TIMESTAMP
        FROM range({comments}) t(i)
        JOIN posts p ON p.post_id = (7400000000000000000 + i // 100 % {posts})::VARCHAR""")
    schemes = {
        "sentiment": ["positive", "negative", "neutral"],
        "question": ["question", "not_question", "not_question", "not_question"],
        "comment_category": ["dukungan", "kritik", "pertanyaan", "aspirasi", "serangan", "spam",
                             "netral"],
        "toxicity": ["none", "none", "none", "none", "abusive", "hate"],
    }
    for k, (scheme, values) in enumerate(schemes.items()):
        con.execute(f"""
            INSERT INTO labels (platform, target, target_id, scheme, value, score, source)
            SELECT platform, 'comment', comment_id, '{scheme}',
                   ?[1 + (h(comment_id) + {k}) % {len(values)}], 0.8, 'model:{scheme}@1'
            FROM comments""", [values])
    for scheme, values in {"post_function": [f"P{i}" for i in range(1, 10)],
                           "topic": ["banjir", "macet", "pendidikan", "kesehatan", "ekonomi"],
                           "sentiment": ["positive", "negative", "neutral"]}.items():
        con.execute(f"""
            INSERT INTO labels (platform, target, target_id, scheme, value, score, source)
            SELECT platform, 'post', post_id, '{scheme}',
                   ?[1 + h(post_id) % {len(values)}], 0.7, 'model:{scheme}@1'
            FROM posts""", [values])
    con.execute("""INSERT INTO imports (import_id, path, format, started_at, finished_at, status,
                   records, posts, comments, rejected)
                   VALUES (nextval('import_ids'), 'synthetic.ndjson', 'synthetic',
                           now()::TIMESTAMP, now()::TIMESTAMP, 'ok', ?, ?, ?, 1)""",
                [posts + comments, posts, comments])
    con.execute("INSERT INTO rejects VALUES (1, 3, 'no id', '{\"text\": \"<script>x</script>\"}')")
    con.execute("COMMIT")
    sync_config(con, project.config)  # link the accounts just written to their candidates
    con.execute("CHECKPOINT")
    con.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    k = min(len(values) - 1, max(0, round(q * (len(values) - 1))))
    return values[k]


def url_mix(rng: random.Random, post_ids: list[str], comment_count: int) -> tuple[str, str]:
    """One request as (page kind, path): what a user browsing the explore pages asks for."""
    cand = f"pair-{rng.randint(1, 3)}"
    platform = rng.choice(PLATFORMS)
    roll = rng.random()
    if roll < 0.10:
        return "overview", "/"
    if roll < 0.20:
        return "candidate", f"/candidates/{cand}"
    if roll < 0.40:
        sort = rng.choice(["views", "likes", "comments", "shares", "created_at"])
        page = rng.randint(1, 20)
        return "posts", (f"/posts?candidate={cand}&platform={platform}&sort={sort}"
                         f"&page={page}")
    if roll < 0.65:
        post = rng.choice(post_ids)
        return "post", f"/posts/{platform_of(post, post_ids)}/{post}"
    if roll < 0.85:
        sentiment = rng.choice(["", "positive", "negative", "neutral"])
        category = rng.choice(["", "kritik", "pertanyaan", "aspirasi", "serangan"])
        page = rng.randint(1, 10)
        return "comments", (f"/comments?candidate={cand}&sentiment={sentiment}"
                            f"&category={category}&page={page}")
    if roll < 0.95:
        return "questions", f"/candidates/{cand}/questions?page={rng.randint(1, 5)}"
    return "compliance", "/compliance"


_PLATFORM_OF: dict[str, str] = {}


def platform_of(post_id: str, _post_ids: list[str]) -> str:
    return _PLATFORM_OF[post_id]


async def fetch(reader, writer, host: str, path: str, cookies: dict[str, str]) -> int:
    """One GET over a kept-alive HTTP/1.1 connection; returns the status. A few lines of
    asyncio instead of an HTTP library, so the clients spend little of the machine's CPU.
    Like a browser, a client sends back the cookies the app set (its session)."""
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: text/html\r\n"
                 "Accept-Language: id\r\n"
                 f"{'Cookie: ' + cookie + chr(13) + chr(10) if cookie else ''}\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length = None
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name = name.lower()
        if name == "content-length":
            length = int(value)
        elif name == "set-cookie":
            key, _, rest = value.strip().partition("=")
            cookies[key] = rest.split(";", 1)[0]
    if length is None:
        raise ValueError("no content-length")
    await reader.readexactly(length)
    return status


async def run_clients(port: int, clients: int, duration: float, post_ids: list[str],
                      comment_count: int, think: float = 0.0
                      ) -> dict[str, list[tuple[float, int]]]:
    results: dict[str, list[tuple[float, int]]] = {}
    deadline = time.perf_counter() + duration
    host = f"127.0.0.1:{port}"

    async def client(n: int) -> None:
        rng = random.Random(n)
        cookies: dict[str, str] = {}
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while time.perf_counter() < deadline:
                kind, path = url_mix(rng, post_ids, comment_count)
                start = time.perf_counter()
                try:
                    status = await asyncio.wait_for(fetch(reader, writer, host, path, cookies), 30)
                except (OSError, ValueError, asyncio.IncompleteReadError, TimeoutError):
                    status = -1
                    writer.close()
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                results.setdefault(kind, []).append((time.perf_counter() - start, status))
                if think:
                    await asyncio.sleep(rng.uniform(0, 2 * think))
        finally:
            writer.close()

    await asyncio.gather(*(client(n) for n in range(clients)))
    return results


def cpu_seconds(pid: int) -> tuple[float, float]:
    """(user, system) CPU seconds of a process and its threads so far."""
    import psutil

    times = psutil.Process(pid).cpu_times()
    return times.user, times.system


def wait_ready(base: str, proc: subprocess.Popen, timeout: float = 600) -> float:
    import httpx

    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if proc.poll() is not None:
            raise SystemExit(f"pantau serve exited with {proc.returncode}")
        try:
            if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                return time.perf_counter() - start
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("pantau serve did not answer in time")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--comments", type=int, default=2_000_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--keep", type=Path, help="build the project here (reused if present)")
    parser.add_argument("--workers", type=int, default=None, help="pantau serve --threads")
    parser.add_argument("--think", type=float, default=0.0,
                        help="mean pause of a client between requests, in seconds (default 0: "
                             "closed loop, every client always has a request in flight)")
    args = parser.parse_args()

    tmp = None
    if args.keep:
        root = args.keep
    else:
        tmp = tempfile.TemporaryDirectory(prefix="pantau-serve-bench-")
        root = Path(tmp.name) / "project"
    if not (root / "pantau.duckdb").exists():
        start = time.perf_counter()
        build_project(root, args.comments)
        print(f"built project with {args.comments:,} comments in "
              f"{time.perf_counter() - start:.1f} s at {root}")

    import duckdb

    con = duckdb.connect(str(root / "pantau.duckdb"), read_only=True)
    rows = con.execute("SELECT post_id, platform FROM posts").fetchall()
    comment_count = con.execute("SELECT count(*) FROM comments").fetchone()[0]
    con.close()
    _PLATFORM_OF.update({p: pl for p, pl in rows})
    post_ids = [p for p, _ in rows]

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-c", "from pantau.cli import main; main()", "serve",
               "--project", str(root),
               "--port", str(port), "--quiet"]
    if args.workers:
        command += ["--threads", str(args.workers)]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(command, env=env, cwd=REPO, start_new_session=True)
    try:
        startup = wait_ready(base, proc)
        print(f"pantau serve ready in {startup:.1f} s (comments: {comment_count:,})")
        server_cpu, client_cpu = cpu_seconds(proc.pid), time.process_time()
        results = asyncio.run(run_clients(port, args.clients, args.duration, post_ids,
                                          comment_count, args.think))
        server_cpu = tuple(b - a for a, b in zip(server_cpu, cpu_seconds(proc.pid),
                                                 strict=True))
        client_cpu = time.process_time() - client_cpu
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
        if tmp:
            tmp.cleanup()

    everything = [r for rs in results.values() for r in rs]
    mode = (f"think time {args.think:g} s on average" if args.think
            else "closed loop (no think time)")
    print(f"\n{args.clients} clients, {args.duration:.0f} s, loopback, {mode}")
    print(f"{'page':<12}{'requests':>10}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
          f"{'max ms':>9}")
    for kind, rs in sorted(results.items()) + [("ALL", everything)]:
        times = [t * 1000 for t, _ in rs]
        errors = sum(1 for _, s in rs if s != 200)
        print(f"{kind:<12}{len(rs):>10}{errors:>8}{percentile(times, .5):>9.0f}"
              f"{percentile(times, .95):>9.0f}{percentile(times, .99):>9.0f}"
              f"{max(times):>9.0f}")
    total_errors = sum(1 for _, s in everything if s != 200)
    p95 = percentile([t * 1000 for t, _ in everything], .95)
    print(f"\nthroughput {len(everything) / args.duration:.0f} requests/s; mean "
          f"{statistics.mean(t for t, _ in everything) * 1000:.0f} ms")
    # CPU time is steadier than latency on a shared machine: compare changes with it
    n = max(len(everything), 1)
    print(f"CPU per request: server {1000 * sum(server_cpu) / n:.2f} ms (user "
          f"{1000 * server_cpu[0] / n:.2f}, system {1000 * server_cpu[1] / n:.2f}; "
          f"{100 * sum(server_cpu) / args.duration:.0f}% of a core), clients "
          f"{1000 * client_cpu / n:.2f} ms")
    verdict = "PASS" if p95 <= 300 and total_errors == 0 else "FAIL"
    print(f"{verdict}: p95 {p95:.0f} ms (target <= 300), errors {total_errors} (target 0)")
    sys.exit(0 if verdict == "PASS" else 1)


if __name__ == "__main__":
    main()
