"""Train the image-type tree (pantau.media.imagetype) on rendered images and write
src/pantau/media/data/image_type.json.

    .venv/bin/python scripts/train_image_type.py [--per-type 200]

Training seeds are 0..per_type-1 for each type; the evaluation set (data/eval/image_types.csv,
benchmarks/media.py) uses seeds from 1,000,000 up, so no evaluation image is ever trained on.
Each image goes through a JPEG round trip at a random quality first, as posted images do.
"""

from __future__ import annotations

import argparse
import io
import json
import random
from multiprocessing import Pool
from pathlib import Path

from PIL import Image

from pantau.demo import images
from pantau.media import imagetype
from pantau.media.ocr import engine, quiet_stderr

OUT = Path(__file__).resolve().parents[1] / "src/pantau/media/data/image_type.json"
EVAL_SEEDS_FROM = 1_000_000


def features(job: tuple[int, str]) -> tuple[dict[str, float], str]:
    seed, kind = job
    rendered = images.sample(seed, kind)
    buffer = io.BytesIO()
    rendered.image.save(buffer, "JPEG", quality=random.Random(seed).randint(55, 95))
    buffer.seek(0)
    with Image.open(buffer) as image:
        return imagetype.measure(image, engine().read(image)), kind


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-type", type=int, default=200)
    args = parser.parse_args()
    jobs = [(seed, kind) for kind in imagetype.TYPES for seed in range(args.per_type)]
    assert all(seed < EVAL_SEEDS_FROM for seed, _ in jobs)
    with Pool(2, initializer=quiet_stderr) as pool:
        rows = pool.map(features, jobs, chunksize=8)
    from sklearn.tree import DecisionTreeClassifier

    x = [[r[name] for name in imagetype.FEATURES] for r, _ in rows]
    y = [kind for _, kind in rows]
    model = DecisionTreeClassifier(max_depth=3, min_samples_leaf=5, random_state=0).fit(x, y)
    tree = imagetype.tree_from_sklearn(model)
    tree["trained_on"] = f"{len(rows)} rendered images ({args.per_type} per type, seeds 0.."
    tree["trained_on"] += f"{args.per_type - 1}), scripts/train_image_type.py"
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(tree, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    right = sum(imagetype.classify(r, tree).value == kind for r, kind in rows)
    print(f"wrote {OUT}; training accuracy {right / len(rows):.3f}")


if __name__ == "__main__":
    main()
