"""Toxicity lexicon against the only labelled Indonesian toxic set in ../shared: blob-toxic-id.

blob-toxic-id (MIT) has two folders, `negative_impact` (toxic: insults, profanity, hate) and
`normal`, one text per line, from Discord, Facebook, Twitter and YouTube; no guideline, no
abusive/hate split. So this reports the binary decision: toxic (pantau label abusive or hate)
against none, precision/recall/F1 per class, plus how toxic texts split into abusive and hate.

The set is split by a hash of file and line: `dev` (looked at while writing the lexicon) and
`test` (not looked at; the held-out figure). Texts are read from ../shared, never copied.

    .venv/bin/python benchmarks/toxicity.py [--shared ../shared] [--errors dev]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from pantau.models.toxicity import load  # noqa: E402


def split_of(file: str, line: int) -> str:
    return "dev" if hashlib.sha1(f"{file}:{line}".encode()).digest()[0] % 2 == 0 else "test"


def read_blob(shared: Path) -> list[tuple[str, int, str, str]]:
    root = shared / "data" / "blob-toxic-id"
    items = []
    for folder, gold in (("negative_impact", "toxic"), ("normal", "none")):
        for path in sorted((root / folder).glob("*.txt")):
            rel = f"blob-toxic-id/{folder}/{path.name}"
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if line.strip():
                    items.append((rel, n, line, gold))
    return items


def prf(gold: list[str], pred: list[str], cls: str) -> tuple[float, float, float, int]:
    tp = sum(g == cls and p == cls for g, p in zip(gold, pred, strict=True))
    fp = sum(g != cls and p == cls for g, p in zip(gold, pred, strict=True))
    fn = sum(g == cls and p != cls for g, p in zip(gold, pred, strict=True))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f, tp + fn


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--errors", choices=["dev", "test"], help="print the errors of one split")
    args = ap.parse_args()
    items = read_blob(args.shared)
    model = load()
    texts = [t for _, _, t, _ in items]
    t0 = time.perf_counter()
    preds = model.predict(texts)
    elapsed = time.perf_counter() - t0
    print(f"model {model.NAME}@{model.VERSION}: {len(texts)} texts in {elapsed:.2f} s "
          f"({len(texts) / elapsed:,.0f} texts/s)")
    for split in ("dev", "test", "all"):
        idx = [i for i, (f, n, _, _) in enumerate(items)
               if split == "all" or split_of(f, n) == split]
        gold = [items[i][3] for i in idx]
        fine = [preds[i].label for i in idx]
        pred = ["none" if p == "none" else "toxic" for p in fine]
        print(f"\n[{split}] n={len(idx)}  gold: {dict(Counter(gold))}")
        for cls in ("toxic", "none"):
            p, r, f, n = prf(gold, pred, cls)
            print(f"  {cls:6s} precision {p:.3f}  recall {r:.3f}  F1 {f:.3f}  (support {n})")
        for g in ("toxic", "none"):
            dist = Counter(fine[k] for k, i in enumerate(idx) if gold[k] == g)
            print(f"  gold {g:5s} -> predicted {dict(dist)}")
    if args.errors:
        print(f"\nerrors in {args.errors}:")
        for i, (f, n, text, gold) in enumerate(items):
            if split_of(f, n) != args.errors:
                continue
            label = "none" if preds[i].label == "none" else "toxic"
            if label != gold:
                print(f"  {gold:5s} -> {preds[i].label:7s} {f}:{n} {preds[i].evidence} | {text}")


if __name__ == "__main__":
    main()
