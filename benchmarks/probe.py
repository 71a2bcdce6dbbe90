"""Replays the categories of issue 14's fault, privacy and bad-input probe and prints, per
category and in all, how many cases HELD (the designed behaviour), gave a CLEAR ERROR (one line,
no traceback, nothing lost, but not the designed outcome) or FAILED (traceback, silent loss or
mojibake, a leak, a hang, a corrupt store).

    PYTHONPATH=src python benchmarks/probe.py [--quick] [--only CATEGORY]

Run it with PYTHONPATH pointing at another checkout's src to get that version's figures (the
before/after of issue 14). Cases run `pantau` in subprocesses with the same PYTHONPATH.
Categories: bad-input (records and files), kill (kill -9 during import/enrich/analyze, then the
store is checked), disk-full (a 24 MB tmpfs, when this runs as root and may mount one),
web (resource limits and the SQL page), privacy (handles in exports and web pages).
"""

from __future__ import annotations

import argparse
import bz2
import gzip
import io
import json
import lzma
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PY = sys.executable
TOML = """[election]
name = "Probe"
rules = "pilkada-2024"
timezone = "Asia/Jakarta"

[[candidates]]
id = "pair-1"
name = "Satu"
"""
HELD, CLEAR, FAILED = "held", "clear error", "FAILED"


def tiktok_record(i: int, **data_changes) -> dict:
    data = {"id": str(7400000000000000000 + i), "desc": f"kampanye hari {i} #bekasi",
            "createTime": 1732193041 + i, "author": {"id": "1", "uniqueId": "calon_satu",
                                                     "nickname": "Calon"},
            "stats": {"playCount": 100 + i, "diggCount": 5, "commentCount": 1,
                      "shareCount": 0, "collectCount": 0},
            "video": {"duration": 20}}
    data.update(data_changes)
    return {"id": i, "item_id": data["id"], "timestamp_collected": 1733366400217,
            "source_platform": "tiktok.com", "source_platform_url": "https://www.tiktok.com/",
            "data": data}


def ndjson(records) -> bytes:
    return b"".join(json.dumps(r).encode() + b"\n" for r in records)


GOOD = ndjson([tiktok_record(1), tiktok_record(2)])


class Case:
    def __init__(self, category: str, name: str) -> None:
        self.category, self.name = category, name
        self.outcome, self.note = FAILED, ""


def pantau(args: list[str], cwd: Path, timeout: float = 180) -> subprocess.CompletedProcess:
    try:
        return subprocess.run([PY, "-c", "from pantau.cli import main; main()", *args],
                              cwd=cwd, capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, "COLUMNS": "200"})
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(args, -9, "", "TIMEOUT")


def new_project(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pantau.toml").write_text(TOML, encoding="utf-8")
    return root


def query(root: Path, sql: str):
    out = pantau(["query", "--json", sql], root)
    if out.returncode != 0:
        return None
    return json.loads(out.stdout)


def one_line_error(result) -> bool:
    text = result.stdout + result.stderr
    return "Traceback" not in text and result.returncode not in (0, -9) and (
        "Error:" in text or "Refused" in text or "failed" in text.lower())


# -- bad input: records ------------------------------------------------------------------------
def record_cases() -> list[tuple[str, bytes, int]]:
    """(name, file bytes, how many good records it holds); every other line is bad."""
    r = tiktok_record
    stats_big = {"playCount": 2 ** 63, "diggCount": 1}
    cases = [
        ("count >= 2^63", [r(3, stats=stats_big)]),
        ("count 1e400", [None, b'{"id": 9, "data": {"id": "9", "desc": "x", "createTime": '
                               b'1732193041, "author": {"id": "1", "uniqueId": "a"}, "stats": '
                               b'{"playCount": 1e400}}}']),
        ("count is a word", [r(3, stats={"playCount": "banyak"})]),
        ("count negative", [r(3, stats={"playCount": -5})]),
        ("text is a number", [r(3, desc=12345)]),
        ("text is a list", [r(3, desc=["a", "b"])]),
        ("handle is a number", [r(3, author={"id": "1", "uniqueId": 98765})]),
        ("author is a list", [r(3, author=["x"])]),
        ("timestamp 1e18", [r(3, createTime=10 ** 18)]),
        ("timestamp year 33658", [r(3, createTime=1000000000000)]),
        ("timestamp negative", [r(3, createTime=-99999999999)]),
        ("timestamp a word", [r(3, createTime="kemarin")]),
        ("id is a float", [r(3, id=7.4e18)]),
        ("id missing", [r(3, id=None)]),
        ("data is null", [{"id": 3, "data": None}]),
        ("not JSON", [None, b"this is not json"]),
        ("JSON array line", [None, b"[1, 2, 3]"]),
        ("NaN literal", [None, b'{"id": 3, "data": {"id": "3", "createTime": NaN}}']),
        ("invalid UTF-8", [None, b'{"id": 3, "data": {"id": "3", "desc": "\xff\xfe"}}']),
        ("NUL bytes", [None, b'{"id": 3, "data": {"id": "3", "desc": "a\x00b"}}']),
        ("deep nesting", [None, b'{"a":' * 5000 + b"1" + b"}" * 5000]),
        ("truncated last line", [None, b'{"id": 3, "data": {"id": "3", "desc": "pot']),
        ("10 MB line", [None, b'{"id": 3, "data": {"id": "3", "desc": "' + b"x" * (10 << 20)
                        + b'", "createTime": 1732193041, "author": {"id": "1", "uniqueId": '
                        b'"a"}}}']),
        ("40 MB junk line", [None, b"y" * (40 << 20)]),
    ]
    out = []
    for name, items in cases:
        lines = [GOOD]
        for item in items:
            if item is None:
                continue
            lines.append(item + b"\n" if isinstance(item, bytes) else ndjson([item]))
        out.append((name, b"".join(lines), 2))
    return out


def run_record_case(work: Path, name: str, data: bytes, good: int) -> Case:
    case = Case("bad-input", f"record: {name}")
    root = new_project(work / "p")
    path = work / "zeeschuimer-export-tiktok.com-probe.ndjson"
    path.write_bytes(data)
    result = pantau(["import", str(path)], root)
    text = result.stdout + result.stderr
    if result.returncode == 0:
        posts = query(root, "SELECT count(*) AS n FROM posts")
        rejects = query(root, "SELECT count(*) AS n FROM rejects")
        years = query(root, "SELECT count(*) AS n FROM posts WHERE year(created_at) > 2100 "
                            "OR year(created_at) < 2000")
        if posts and posts[0]["n"] >= good and rejects and rejects[0]["n"] >= 1 and \
                years and years[0]["n"] == 0:
            case.outcome = HELD
        else:
            case.note = f"exit 0 but posts={posts} rejects={rejects} bad years={years}"
    elif one_line_error(result):
        case.outcome, case.note = CLEAR, text.strip().splitlines()[0][:150]
    else:
        case.note = (text.strip().splitlines() or ["(no output)"])[-1][:150]
    return case


# -- bad input: files ----------------------------------------------------------------------------
def file_cases(work: Path) -> list[tuple[str, dict[str, bytes], str]]:
    """(name, files to write under a folder, what should happen: 'fail-one' = the bad file is a
    summary line, the good one imports, exit non-zero; 'import' = everything imports;
    'refuse' = a clear refusal)."""
    gz = gzip.compress(GOOD * 50)
    xz = lzma.compress(GOOD * 50)
    bz = bz2.compress(GOOD * 50)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.ndjson", GOOD)
    zipped = buffer.getvalue()
    encrypted = bytearray(zipped)
    for sig in (b"PK\x03\x04", b"PK\x01\x02"):  # set the 'encrypted' flag bit
        at = encrypted.find(sig)
        offset = 6 if sig == b"PK\x03\x04" else 8
        encrypted[at + offset] |= 1
    bomb = gzip.compress(b"\n" * (300 << 20), 9)
    zip_bomb = io.BytesIO()
    with zipfile.ZipFile(zip_bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("big.ndjson", b" " * (400 << 20))
    good = {"good-zeeschuimer-export-tiktok.com.ndjson": GOOD}
    utf16 = GOOD.decode().encode("utf-16")
    latin1_csv = ("Page Name,User Name,Facebook Id,Page Category,Post Created,Type,Link,"
                  "Message,Likes,Comments,Shares,URL\n"
                  "Pemkot Bekasi,pemkotbekasi,123,GOV,2024-11-01 10:00:00 WIB,Photo,x,"
                  "Café sehat di Jatiasih – ayo datang,1,2,3,https://facebook.com/1\n"
                  ).encode("latin-1", errors="replace")
    long_first = ndjson([tiktok_record(5, desc="z" * 300_000)]) + GOOD
    broken_first = b'{"id": 1, "data": {"id": "1", "desc": "putus\n' + GOOD
    return [
        ("truncated .gz", {**good, "t.ndjson.gz": gz[: len(gz) // 2]}, "fail-one"),
        ("truncated .xz", {**good, "t.ndjson.xz": xz[: len(xz) // 2]}, "fail-one"),
        ("truncated .bz2", {**good, "t.ndjson.bz2": bz[: len(bz) // 2]}, "fail-one"),
        ("corrupt zip", {**good, "c.zip": zipped[:40] + b"\x00" * 50}, "fail-one"),
        ("encrypted zip", {**good, "e.zip": bytes(encrypted)}, "fail-one"),
        ("fake xlsx", {**good, "f.xlsx": b"not a workbook at all\n"}, "fail-one"),
        ("xlsx that is a zip of junk", {**good, "j.xlsx": zipped}, "fail-one"),
        ("empty file", {**good, "empty.ndjson": b""}, "fail-one"),
        ("whitespace only", {**good, "blank.ndjson": b"\n \n\t\n"}, "fail-one"),
        ("gzip bomb (300 MB of newlines)", {**good, "bomb.ndjson.gz": bomb}, "fail-one"),
        ("zip bomb (400 MB member)", {**good, "bomb.zip": zip_bomb.getvalue()}, "fail-one"),
        ("UTF-16 NDJSON", {"u16-zeeschuimer-export-tiktok.com.ndjson": utf16}, "import"),
        ("UTF-8 BOM NDJSON", {"bom-zeeschuimer-export-tiktok.com.ndjson":
                              b"\xef\xbb\xbf" + GOOD}, "import"),
        ("Latin-1 CSV", {"crowdtangle-latin1.csv": latin1_csv}, "import"),
        ("first record longer than 256 KB", {"long-zeeschuimer-export-tiktok.com.ndjson":
                                             long_first}, "import"),
        ("first record broken", {"broken-zeeschuimer-export-tiktok.com.ndjson":
                                 broken_first}, "import"),
        ("glob characters: x[31m].ndjson", {"x[31m].ndjson": GOOD,
                                            "x3.ndjson": ndjson([tiktok_record(9)])}, "literal"),
        ("glob characters: why?.ndjson", {"why?.ndjson": GOOD}, "import"),
        ("glob characters: a*b.ndjson", {"a*b.ndjson": GOOD}, "import"),
        ("prose .txt", {**good, "notes.txt": b"catatan rapat tim kampanye\n"}, "fail-one"),
        ("JSON of numbers", {**good, "n.json": b"[1, 2, 3]"}, "fail-one"),
        ("CSV header only", {**good, "h.csv": b"a,b,c\n"}, "fail-one"),
        ("binary junk .ndjson", {**good, "junk.ndjson": os.urandom(4096)}, "fail-one"),
    ]


def run_file_case(work: Path, name: str, files: dict[str, bytes], expect: str) -> Case:
    case = Case("bad-input", f"file: {name}")
    root = new_project(work / "p")
    folder = work / "in"
    folder.mkdir()
    for fname, data in files.items():
        (folder / fname).write_bytes(data)
    target = [str(folder)]
    if expect == "literal":
        target = [str(folder / "x[31m].ndjson")]
    result = pantau(["import", *target], root, timeout=240)
    text = result.stdout + result.stderr
    posts = query(root, "SELECT count(*) AS n FROM posts")
    n = posts[0]["n"] if posts else None
    traceback = "Traceback" in text or result.returncode == -9
    if expect == "fail-one":
        bad = [f for f in files if not f.startswith("good")][0]
        named = bad in text or Path(bad).stem in text
        if not traceback and result.returncode != 0 and n == 2 and named:
            case.outcome = HELD
        elif not traceback and result.returncode != 0 and "Error" in text:
            case.outcome, case.note = CLEAR, f"posts={n}: " + text.strip().splitlines()[-1][:120]
        else:
            case.note = f"exit {result.returncode}, posts={n}: " + \
                (text.strip().splitlines() or ["-"])[-1][:120]
    elif expect in ("import", "literal"):
        want = 2
        mojibake = query(root, "SELECT count(*) AS n FROM posts WHERE text LIKE '%\u00c3%' "
                               "OR text LIKE '%\ufffd%' OR contains(text, chr(0))")
        if not traceback and result.returncode == 0 and n == want and \
                mojibake and mojibake[0]["n"] == 0:
            case.outcome = HELD
        elif not traceback and result.returncode != 0 and "Error" in text:
            case.outcome, case.note = CLEAR, text.strip().splitlines()[0][:120]
        else:
            case.note = f"exit {result.returncode}, posts={n}: " + \
                (text.strip().splitlines() or ["-"])[-1][:120]
    return case


def run_symlink_loop(work: Path) -> Case:
    case = Case("bad-input", "file: ** glob over a symlink loop")
    root = new_project(work / "p")
    folder = work / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "zeeschuimer-export-tiktok.com-a.ndjson").write_bytes(GOOD)
    os.symlink(folder, folder / "sub" / "loop")
    result = pantau(["import", str(folder) + "/**/*.ndjson"], root, timeout=120)
    posts = query(root, "SELECT count(*) AS n FROM posts")
    if result.returncode == 0 and posts and posts[0]["n"] == 2:
        case.outcome = HELD
    elif one_line_error(result):
        case.outcome = CLEAR
    else:
        case.note = f"exit {result.returncode}: {(result.stderr or result.stdout)[-150:]}"
    return case


def run_dry_run_types(work: Path) -> Case:
    case = Case("bad-input", "dry-run applies the type checks")
    root = new_project(work / "p")
    path = work / "zeeschuimer-export-tiktok.com-dry.ndjson"
    path.write_bytes(GOOD + ndjson([tiktok_record(3, stats={"playCount": 2 ** 63})]))
    result = pantau(["import", "--dry-run", "--json", str(path)], root)
    text = result.stdout + result.stderr
    if result.returncode == 0 and ("reject" in text.lower() or "2^63" in text
                                   or "too large" in text):
        case.outcome = HELD
    elif one_line_error(result):
        case.outcome = CLEAR
    else:
        case.note = text.strip()[-150:]
    return case


# -- kill -9 -------------------------------------------------------------------------------------
def demo_files(work: Path) -> Path:
    from pantau.demo import build_demo

    root = work / "demo"
    build_demo(root, seed=3, scale=0.3, steps=())
    return root


def store_ok(root: Path) -> tuple[bool, str]:
    status = pantau(["status", "--json"], root)
    if status.returncode != 0:
        return False, (status.stderr or status.stdout)[-200:]
    partial = query(root, "SELECT count(*) AS n FROM imports WHERE status <> 'done'")
    if partial is None or partial[0]["n"]:
        return False, f"imports not done: {partial}"
    orphans = query(root, "SELECT count(*) AS n FROM posts WHERE import_id NOT IN "
                          "(SELECT import_id FROM imports)")
    if orphans is None or orphans[0]["n"]:
        return False, f"rows of no import: {orphans}"
    return True, ""


def run_kills(work: Path, rounds: int) -> list[Case]:
    cases = []
    demo = demo_files(work)
    exports = demo / "exports"
    clean = new_project(work / "clean")
    shutil.copy(demo / "pantau.toml", clean / "pantau.toml")
    pantau(["import", str(exports)], clean, timeout=600)
    want = query(clean, "SELECT (SELECT count(*) FROM posts) AS p, "
                        "(SELECT count(*) FROM comments) AS c")
    rng = random.Random(14)
    for stage in ("import", "enrich", "analyze"):
        for i in range(rounds):
            case = Case("kill", f"kill -9 during {stage} #{i + 1}")
            root = work / f"k-{stage}-{i}"
            shutil.copytree(clean if stage != "import" else demo, root,
                            ignore=shutil.ignore_patterns("raw", "exports")
                            if stage == "import" else None)
            if stage == "import":
                for extra in ("pantau.duckdb", "pantau.duckdb.wal"):
                    (root / extra).unlink(missing_ok=True)
                args = ["import", str(exports)]
            else:
                args = [stage]
            proc = subprocess.Popen([PY, "-c", "from pantau.cli import main; main()", *args],
                                    cwd=root, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.8, 4.0))
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            ok, why = store_ok(root)
            if ok and stage == "import":
                redo = pantau(["import", str(exports)], root, timeout=600)
                got = query(root, "SELECT (SELECT count(*) FROM posts) AS p, "
                                  "(SELECT count(*) FROM comments) AS c")
                ok = redo.returncode == 0 and got == want
                why = f"re-import gave {got}, clean {want}"
            leftovers = list((root / "raw").glob(".*.partial")) if stage == "import" else []
            if ok and leftovers:
                ok, why = False, f"{len(leftovers)} raw/.*.partial left"
            case.outcome = HELD if ok else FAILED
            case.note = why
            cases.append(case)
            shutil.rmtree(root, ignore_errors=True)
    return cases


# -- disk full -----------------------------------------------------------------------------------
def run_disk_full(work: Path) -> list[Case]:
    case = Case("disk-full", "import onto a full 24 MB tmpfs")
    mount = work / "small"
    mount.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(mount)],
                             capture_output=True).returncode == 0
    if not mounted:
        case.outcome, case.note = CLEAR, "not run: cannot mount a tmpfs here (not root?)"
        return [case]
    try:
        root = new_project(mount / "p")
        big = work / "big-zeeschuimer-export-tiktok.com.ndjson"
        big.write_bytes(ndjson([tiktok_record(i, desc="isi " * 200) for i in range(40000)]))
        result = pantau(["import", str(big)], root, timeout=300)
        text = " ".join((result.stdout + result.stderr).split())
        ok_store, why = store_ok(root)
        if "Traceback" not in text and result.returncode != 0 and "no space" in text.lower() \
                and "rolled back" in text.lower() and ok_store:
            case.outcome = HELD
        elif "Traceback" not in text and result.returncode != 0 and ok_store:
            case.outcome, case.note = CLEAR, text[:200]
        else:
            case.note = f"exit {result.returncode}, store ok={ok_store} {why}: {text[-200:]}"
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)
    return [case]


# -- web -----------------------------------------------------------------------------------------
def run_web(work: Path) -> list[Case]:
    sys.path.insert(0, str(REPO))
    from tests.web.support import build_project, csrf_of, make_client

    project = build_project(work / "web")
    client, db = make_client(project)
    cases = []

    def sql(text: str):
        token = csrf_of(client.get("/sql").text)
        return client.post("/sql", data={"sql": text, "csrf": token})

    def add(name: str, held: bool, clear: bool = False, note: str = "") -> None:
        case = Case("web", name)
        case.outcome = HELD if held else (CLEAR if clear else FAILED)
        case.note = note
        cases.append(case)

    try:
        seq = "SELECT last_value FROM duckdb_sequences() WHERE sequence_name = 'import_ids'"
        before = db.scalar(seq, cache=False)
        sql("SELECT nextval('import_ids')")
        add("SQL page: nextval through SELECT", db.scalar(seq, cache=False) == before)
        page = sql("SELECT table_name, estimated_size FROM duckdb_tables() "
                   "WHERE table_name = 'web_sessions'").text
        add("SQL page: row estimate of web_sessions", "<td>web_sessions</td><td>—</td>" in page
            or "web_sessions</td><td>" not in page)
        raw = {r["h"] for r in db.rows("SELECT DISTINCT author_handle AS h FROM main.comments "
                                       "WHERE author_handle LIKE 'warga_%'", cache=False)}
        page = sql("SELECT author_handle FROM comments").text
        add("SQL page: commenters' handles", not any(f"<td>{h}</td>" in page for h in raw))
        page = sql("SELECT repeat('x', 5000000) AS v").text
        add("SQL page: a 5 MB cell", "x" * 100_000 not in page)
        page = sql("SELECT repeat('y', 1990) AS v, repeat('z', 1990) AS w FROM range(1000)").text
        add("SQL page: a 4 MB result", len(page) < 3_000_000)
        big = client.post("/sql", data={"sql": "SELECT 1", "pad": "z" * (8 << 20),
                                        "csrf": csrf_of(client.get("/sql").text)})
        add("an 8 MB form", big.status_code == 413, big.status_code in (400, 403),
            f"status {big.status_code}")
        from pantau.web import coding

        sample = coding.draw_sample(db, coding.load_codebook(project), target="comment",
                                    size=3, coders=["ana"], overlap=0.0, seed=1)
        token = csrf_of(client.get("/coding").text)
        files = {"file": ("codes.csv", b"a" * (40 << 20), "text/csv")}
        up = client.post(f"/coding/samples/{sample}/import", files=files,
                         headers={"x-csrf-token": token})
        add("a 40 MB upload", up.status_code == 413, up.status_code == 400,
            f"status {up.status_code}")
    finally:
        client.close()
        db.close()
    from tests.web.support import ADMIN

    client, db = make_client(project, host="0.0.0.0", users={"ana": ADMIN})
    try:
        r = client.post("/sql", content=b"sql=SELECT+1&p=" + b"p" * (4 << 20),
                        headers={"content-type": "application/x-www-form-urlencoded"})
        add("unauthenticated 4 MB body", r.status_code in (401, 413), r.status_code == 403,
            f"status {r.status_code}")
    finally:
        client.close()
        db.close()
    return cases


# -- privacy -------------------------------------------------------------------------------------
def run_privacy(work: Path) -> list[Case]:
    from pantau.demo import build_demo
    from pantau.project import Project
    from pantau.report.export import export_project
    from pantau.store import connect

    root = work / "privacy"
    build_demo(root, seed=5, scale=0.1, steps=("import", "enrich", "analyze"))
    project = Project(root)
    con = connect(project.store_path, read_only=True)
    handles = {r[0].lower() for r in con.execute(
        "SELECT handle FROM accounts WHERE candidate_id IS NULL AND handle IS NOT NULL "
        "AND length(handle) >= 7").fetchall()}
    public = {r[0].lower() for r in con.execute(
        "SELECT handle FROM accounts WHERE candidate_id IS NOT NULL").fetchall()}
    con.close()
    handles = {h for h in handles if not any(h in p for p in public)}
    cases = []
    export_project(project, work / "out", "csv")
    for name in ("posts", "analysis_findings", "analysis_posts", "comments"):
        text = (work / "out" / f"{name}.csv").read_text("utf-8").lower()
        leaked = sum(1 for h in handles if h in text)
        case = Case("privacy", f"export {name}.csv")
        case.outcome, case.note = (HELD, "") if not leaked else (FAILED, f"{leaked} handles")
        cases.append(case)
    sys.path.insert(0, str(REPO))
    from tests.web.support import make_client

    client, db = make_client(project)
    try:
        for page in ("/posts?platform=x", "/compliance"):
            text = client.get(page).text.lower()
            leaked = sum(1 for h in handles if h in text)
            case = Case("privacy", f"web {page}")
            case.outcome, case.note = (HELD, "") if not leaked else (FAILED, f"{leaked} handles")
            cases.append(case)
    finally:
        client.close()
        db.close()
    return cases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one kill per stage")
    parser.add_argument("--only", help="one category: bad-input, kill, disk-full, web, privacy")
    parser.add_argument("--verbose", action="store_true", help="print every case")
    args = parser.parse_args()
    import pantau

    print(f"pantau from {Path(pantau.__file__).parent}")
    cases: list[Case] = []
    base = Path(tempfile.mkdtemp(prefix="pantau-probe-"))
    try:
        def fresh() -> Path:
            return Path(tempfile.mkdtemp(dir=base))

        if args.only in (None, "bad-input"):
            for name, data, good in record_cases():
                cases.append(run_record_case(fresh(), name, data, good))
            for name, files, expect in file_cases(base):
                cases.append(run_file_case(fresh(), name, files, expect))
            cases.append(run_symlink_loop(fresh()))
            cases.append(run_dry_run_types(fresh()))
        if args.only in (None, "kill"):
            cases += run_kills(fresh(), 1 if args.quick else 3)
        if args.only in (None, "disk-full"):
            cases += run_disk_full(fresh())
        if args.only in (None, "web"):
            cases += run_web(fresh())
        if args.only in (None, "privacy"):
            cases += run_privacy(fresh())
    finally:
        shutil.rmtree(base, ignore_errors=True)
    by_cat: dict[str, Counter] = {}
    for case in cases:
        by_cat.setdefault(case.category, Counter())[case.outcome] += 1
        if args.verbose or case.outcome != HELD:
            print(f"  [{case.outcome:>11}] {case.category}: {case.name}"
                  + (f" — {case.note}" if case.note else ""))
    print(f"\n{'category':<10} {'cases':>5} {'held':>5} {'clear':>6} {'failed':>6}")
    total = Counter()
    for cat, counts in by_cat.items():
        total.update(counts)
        print(f"{cat:<10} {sum(counts.values()):>5} {counts[HELD]:>5} {counts[CLEAR]:>6} "
              f"{counts[FAILED]:>6}")
    print(f"{'all':<10} {sum(total.values()):>5} {total[HELD]:>5} {total[CLEAR]:>6} "
          f"{total[FAILED]:>6}")
    print(f"load: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
