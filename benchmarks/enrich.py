"""End-to-end enrichment speed: a synthetic project of N comments (default 200,000).

    .venv/bin/python benchmarks/enrich.py [--comments 200000] [--posts 2000] [--keep DIR]
        [--task sentiment --task lang ...]

Builds a project in a temporary folder (Bekasi config), inserts synthetic Indonesian comments
(templated political comments with slang, emoji, mentions, 5% copy-paste), runs
pantau.enrich.enrich() on it, and prints comments/s end to end (reading, every model, duplicate
groups, writing labels), the CPU seconds it took (this process and the worker processes),
seconds inside each model, and label rows per scheme. Then it runs
enrich again (nothing new: the incremental check alone) and prints that time too.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO))

import pyarrow as pa  # noqa: E402

from pantau import store  # noqa: E402
from pantau.enrich import enrich  # noqa: E402
from pantau.project import Project  # noqa: E402

OPENERS = ["", "", "Pak", "Bu", "Min", "Bang", "@bekasi_info", "Assalamualaikum pak,", "Wah",
           "Hmm", "Mantaaap", "Ya Allah", "Duh", "Bismillah,"]
BODIES = [
    "semoga amanah dan menang", "jalan depan rumah rusak parah gk diperbaiki", "kapan banjir di "
    "jatiasih diatasi?", "ayo coblos nomor {n}", "programnya bagus bgt", "sampah numpuk di pasar "
    "bau banget", "janji doang, kerja nol", "lanjutkan pak, bekasi maju", "macet tiap hari di "
    "kalimalang, tolong dong", "sekolah gratis beneran gak?", "harga sembako naik terus",
    "good job pak wali", "kerja nyata bukan pencitraan", "gimana nasib honorer pak?",
    "pembohong, gk usah pilih dia", "keren banget acaranya", "kapan lowongan kerja dibuka?",
    "terima kasih sudah blusukan ke kampung kami", "dasar buzzer bayaran", "nomor {n} pasti menang",
    "puskesmas pelayanannya lambat", "mantap, debatnya berkelas", "wkwkwk lucu banget",
    "air pdam mati 3 hari", "tolong perhatikan guru ngaji pak", "pilkada damai ya semua",
]
CLOSERS = ["", "", "", "👍", "🔥🔥", "😡", "🙏", "!!", "...", "#BekasiMaju", "wkwk", "amin",
           "😂😂", "https://t.co/abc123"]


WORDS = str.split(
    "pak bu warga kota jalan banjir sampah macet sekolah guru puskesmas pasar harga kerja janji "
    "program bantuan rakyat kampung rt rw lurah camat walikota debat kampanye pilkada nomor "
    "paslon menang kalah dukung pilih coblos rumah anak ibu bapak air listrik pdam honorer ojol "
    "umkm pajak subsidi bansos taman trotoar lampu got kali tol kereta angkot terminal masjid "
    "gereja pemuda karang taruna posyandu bidan")
SLANG = str.split("gk gak yg bgt udh blm dgn krn tdk aja kalo gmn knp sy gw lu jd tp sm bener emg")


def synthetic_comments(n: int, seed: int = 7) -> list[str]:
    """Templated comments made unique by random words, slang and numbers (as real comment
    threads are: mostly unique texts), plus 5% copy-paste of an earlier comment."""
    rng = random.Random(seed)
    out: list[str] = []
    for _ in range(n):
        if out and rng.random() < 0.05:  # copy-paste
            out.append(rng.choice(out[-500:]))
            continue
        parts = [rng.choice(OPENERS), rng.choice(BODIES).format(n=rng.randint(1, 3))]
        for _ in range(rng.randint(1, 8)):
            parts.append(rng.choice(WORDS) if rng.random() < 0.7 else rng.choice(SLANG))
        if rng.random() < 0.3:
            parts.append(rng.choice(BODIES).format(n=rng.randint(1, 3)))
        if rng.random() < 0.2:
            parts.append(str(rng.randint(1, 2024)))
        parts.append(rng.choice(CLOSERS))
        out.append(" ".join(p for p in parts if p))
    return out


def build(root: Path, comments: int, posts: int) -> Project:
    from tests.conftest import BEKASI_TOML

    root.mkdir(parents=True, exist_ok=True)
    (root / "pantau.toml").write_text(BEKASI_TOML, encoding="utf-8")
    project = Project(root)
    con = project.connect()
    texts = synthetic_comments(comments)
    rng = random.Random(3)
    table = pa.table({
        "platform": ["tiktok"] * comments, "comment_id": [f"c{i}" for i in range(comments)],
        "post_id": [f"p{i % posts}" for i in range(comments)],
        "author_id": [f"u{rng.randint(0, comments // 3)}" for _ in range(comments)],
        "text": texts})
    con.register("_c", table)
    con.execute("INSERT INTO comments (platform, comment_id, post_id, author_id, text) "
                "SELECT * FROM _c")
    post_texts = synthetic_comments(posts, seed=11)
    con.register("_p", pa.table({"platform": ["tiktok"] * posts,
                                 "post_id": [f"p{i}" for i in range(posts)],
                                 "account_id": ["acc"] * posts, "text": post_texts}))
    con.execute("INSERT INTO posts (platform, post_id, account_id, text) SELECT * FROM _p")
    con.close()
    return project


def _cpu() -> tuple[float, float]:
    """(this process, its finished child processes) user + system CPU seconds."""
    import resource

    own, children = (resource.getrusage(w) for w in (resource.RUSAGE_SELF,
                                                      resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=200_000)
    parser.add_argument("--posts", type=int, default=2_000)
    parser.add_argument("--task", action="append")
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument("--keep", type=Path, help="build the project here and keep it")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="pantau-enrich-")) / "proj"
    try:
        started = time.perf_counter()
        project = build(root, args.comments, args.posts)
        print(f"built {args.comments:,} comments + {args.posts:,} posts in "
              f"{time.perf_counter() - started:.1f} s ({os.cpu_count()} cores, load average "
              f"{os.getloadavg()[0]:.1f})")
        cpu = _cpu()
        result = enrich(project, tasks=args.task, batch_size=args.batch_size)
        cpu = [b - a for a, b in zip(cpu, _cpu(), strict=True)]
        items = sum(result.items.values())
        print(f"enrich: {result.items} in {result.seconds:.1f} s -> "
              f"{result.items.get('comment', 0) / result.seconds:,.0f} comments/s "
              f"({items / result.seconds:,.0f} items/s) end to end")
        # CPU seconds hardly depend on what else runs on the machine, unlike the wall clock
        print(f"CPU seconds: this process {cpu[0]:.1f} + worker processes {cpu[1]:.1f} = "
              f"{sum(cpu):.1f}")
        print("seconds inside models: " + ", ".join(
            f"{k} {v:.1f}" for k, v in sorted(result.task_seconds.items(), key=lambda kv: -kv[1])))
        print("label rows: " + ", ".join(f"{k} {v:,}" for k, v in sorted(result.rows.items())))
        if result.skipped:
            print(f"skipped: {result.skipped}")
        print(f"copy-paste groups: {result.duplicate_groups}")
        again = enrich(project, tasks=args.task)
        print(f"second run (nothing new): {again.seconds:.2f} s, items {again.items}")
        con = store.connect(project.store_path, read_only=True)
        print(f"labels table: {con.execute('SELECT count(*) FROM labels').fetchone()[0]:,} rows")
        con.close()
    finally:
        if not args.keep:
            shutil.rmtree(root.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
