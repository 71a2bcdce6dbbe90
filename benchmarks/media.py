"""Media text benchmark: OCR character error rate, image-type F1, throughput.

    .venv/bin/python benchmarks/media.py [--infographics 300] [--workers 2]

1. OCR CER on rendered Indonesian infographics (varied fonts, colours, sizes, JPEG quality 50–95,
   a quarter on photo backgrounds), on carousel slides and on video frames: total character
   edits / reference characters, whitespace collapsed.
2. Image type on the labelled evaluation set data/eval/image_types.csv (seeds from 1,000,000:
   never trained on; the tree was trained on seeds 0–149): per-class precision/recall/F1.
3. Throughput of `pantau media read` on a project holding the infographics (images/s, 2
   processes), and a second run to show media seen before is not read again.
Images are rendered by pantau.demo.images; nothing is downloaded.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import tempfile
import time
from multiprocessing import get_context
from pathlib import Path

from PIL import Image
from rapidfuzz.distance import Levenshtein

from pantau.demo import images
from pantau.media import imagetype
from pantau.media.ocr import engine, quiet_stderr

REPO = Path(__file__).resolve().parents[1]
EVAL_SET = REPO / "data" / "eval" / "image_types.csv"


def jpeg(image: Image.Image, quality: int) -> Image.Image:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    buffer.seek(0)
    return Image.open(buffer)


def ocr_job(job: tuple[str, int]) -> tuple[str, int, int]:
    """(group, edits, reference characters) for one rendered image."""
    group, seed = job
    rng = random.Random(seed)
    if group == "infographic":
        rendered = images.infographic(rng, width=rng.choice([1080, 1080, 720, 1440]),
                                      height=rng.choice([1080, 1350, 1920]),
                                      no=rng.randint(1, 3), photo_background=rng.random() < .25)
    elif group == "carousel slide":
        rendered = images.carousel(rng, slides=rng.randint(2, 5))[-1]
    else:
        rendered = images.video_frame(rng, width=rng.choice([720, 1080]),
                                      height=rng.choice([1280, 1920]))
    picture = jpeg(rendered.image, rng.randint(50, 95))
    found = engine().read(picture)
    ref = " ".join(rendered.text.split())
    hyp = " ".join(found.text.split())
    return group, Levenshtein.distance(ref, hyp), len(ref)


def type_job(row: dict[str, str]) -> tuple[str, str]:
    rendered = images.sample(int(row["seed"]), row["kind"])
    picture = jpeg(rendered.image, int(row["jpeg_quality"]))
    return row["kind"], imagetype.classify(imagetype.measure(picture,
                                                             engine().read(picture))).value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--infographics", type=int, default=300)
    parser.add_argument("--slides", type=int, default=60)
    parser.add_argument("--frames", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    ctx = get_context("forkserver")
    with ctx.Pool(args.workers, initializer=quiet_stderr) as pool:
        jobs = ([("infographic", 2_000_000 + i) for i in range(args.infographics)]
                + [("carousel slide", 3_000_000 + i) for i in range(args.slides)]
                + [("video frame", 4_000_000 + i) for i in range(args.frames)])
        totals: dict[str, list[int]] = {}
        for group, edits, chars in pool.imap_unordered(ocr_job, jobs, chunksize=4):
            total = totals.setdefault(group, [0, 0, 0])
            total[0] += edits
            total[1] += chars
            total[2] += 1
        print("\n1. OCR character error rate (target ≤ 5% on infographics)")
        for group, (edits, chars, n) in totals.items():
            print(f"   {group:15s} n={n:4d}  CER {edits / chars:.2%}  ({edits:,} edits / "
                  f"{chars:,} characters)")

        rows = list(csv.DictReader(EVAL_SET.open(encoding="utf-8")))
        pairs = pool.map(type_job, rows, chunksize=4)
    print(f"\n2. Image type on {EVAL_SET.relative_to(REPO)} (n={len(pairs)}; target F1 ≥ 0.90)")
    f1s = []
    for kind in imagetype.TYPES:
        tp = sum(1 for gold, pred in pairs if gold == kind and pred == kind)
        fp = sum(1 for gold, pred in pairs if gold != kind and pred == kind)
        fn = sum(1 for gold, pred in pairs if gold == kind and pred != kind)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        f1s.append(f1)
        print(f"   {kind:12s} precision {p:.3f}  recall {r:.3f}  F1 {f1:.3f}  (n={tp + fn})")
    print(f"   macro-F1 {sum(f1s) / len(f1s):.3f}")

    print("\n3. Throughput of `pantau media read`")
    throughput(min(args.infographics, 120), args.workers)


def throughput(n: int, workers: int) -> None:
    from pantau import store
    from pantau.media import library

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "pantau.toml").write_text(
            '[election]\nname = "bench"\nrules = "pilkada-2024"\ntimezone = "Asia/Jakarta"\n',
            encoding="utf-8")
        from pantau.project import Project

        project = Project(root)
        con = project.connect()
        media = root / "incoming"
        media.mkdir()
        for i in range(n):
            rendered = images.infographic(random.Random(5_000_000 + i), width=1080, height=1350)
            path = images.save_jpeg(rendered, media / f"post{i:06d}.jpg", quality=85)
            con.execute("INSERT INTO posts (platform, post_id, media_type) VALUES "
                        "('instagram', ?, 'image')", [path.stem])
        con.close()
        summary = library.add(project, [media])
        started = time.perf_counter()
        first = library.read(project, workers=workers)
        seconds = time.perf_counter() - started
        load = os.getloadavg()[0]
        print(f"   {first.files} images of 1080×1350 in {seconds:.1f} s: "
              f"{first.files / seconds:.1f} images/s on {workers} processes "
              f"(target ≥ 5; load average {load:.1f}); linked {summary.linked}")
        started = time.perf_counter()
        second = library.read(project, workers=workers)
        print(f"   second run: {second.files} images read again in "
              f"{time.perf_counter() - started:.2f} s (incremental)")
        with store.connect(project.store_path, read_only=True) as con:
            n_text = con.execute("SELECT count(*) FROM post_media_text").fetchone()[0]
        print(f"   posts with media text: {n_text}")


if __name__ == "__main__":
    main()
