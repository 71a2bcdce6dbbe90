"""Question-to-the-candidate rules against the project's own labelled set.

data/labels/question_labels.csv holds file, line and label only (coded by hand before the
rules were tuned, following data/labels/QUESTION_GUIDELINE.md); the texts are read here from
../shared/data by file and line. The set is split by a hash of file and line: `dev` (looked at
while tuning the cue weights) and `test` (never looked at while tuning: the held-out figure).
Prints precision, recall and F1 of `question` per split and per source, and texts/s.

    .venv/bin/python benchmarks/question.py [--shared ../shared] [--errors dev]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from pantau.models.question import load  # noqa: E402

LABELS = REPO / "data" / "labels" / "question_labels.csv"
csv.field_size_limit(1 << 30)


def split_of(file: str, line: int) -> str:
    return "dev" if hashlib.sha1(f"{file}:{line}".encode()).digest()[0] % 2 == 0 else "test"


def text_at(data: Path, file: str, line: int, cache: dict) -> str:
    """The text at `line` of `file`, as defined in QUESTION_GUIDELINE.md."""
    if file not in cache:
        path = data / file
        if path.suffix == ".csv":
            column = "question" if path.parent.name == "qasina" else "tweet"
            with path.open(encoding="utf-8", newline="") as fh:
                reader = csv.reader(fh)
                header = next(reader)
                j = header.index(column)
                cache[file] = {k: row[j] for k, row in enumerate(reader, 2)}
        else:
            lines = path.read_text(encoding="utf-8").split("\n")
            if path.suffix == ".tsv":
                cache[file] = {k: t.split("\t")[0] for k, t in enumerate(lines, 1)}
            elif path.suffix == ".conll":
                cache[file] = {k: t.removeprefix("# text = ") for k, t in enumerate(lines, 1)
                               if t.startswith("# text = ")}
            else:
                cache[file] = dict(enumerate(lines, 1))
    return cache[file][line]


def prf(gold, pred, cls="question"):
    tp = sum(g == cls and p == cls for g, p in zip(gold, pred, strict=True))
    fp = sum(g != cls and p == cls for g, p in zip(gold, pred, strict=True))
    fn = sum(g == cls and p != cls for g, p in zip(gold, pred, strict=True))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--errors", choices=["dev", "test"], help="print the errors of one split")
    args = ap.parse_args()
    with LABELS.open(encoding="utf-8", newline="") as fh:
        rows = [(r["file"], int(r["line"]), r["label"]) for r in csv.DictReader(fh)]
    cache: dict = {}
    texts = [text_at(args.shared / "data", f, n, cache) for f, n, _ in rows]
    model = load()
    t0 = time.perf_counter()
    preds = model.predict(texts)
    elapsed = time.perf_counter() - t0
    print(f"model {model.NAME}@{model.VERSION}: {len(texts)} texts in {elapsed:.3f} s "
          f"({len(texts) / elapsed:,.0f} texts/s)")
    groups = {"dev": [], "test": [], "all": []}
    for i, (f, n, _) in enumerate(rows):
        groups[split_of(f, n)].append(i)
        groups["all"].append(i)
    for name, idx in groups.items():
        gold = [rows[i][2] for i in idx]
        pred = [preds[i].label for i in idx]
        p, r, f1 = prf(gold, pred)
        acc = sum(g == q for g, q in zip(gold, pred, strict=True)) / len(idx)
        print(f"[{name:4s}] n={len(idx):3d} question={gold.count('question'):3d}  "
              f"precision {p:.3f}  recall {r:.3f}  F1 {f1:.3f}  accuracy {acc:.3f}")
    print("per source (all):")
    for source in sorted({f.split('/')[0] for f, _, _ in rows}):
        idx = [i for i, (f, _, _) in enumerate(rows) if f.startswith(source + "/")]
        gold = [rows[i][2] for i in idx]
        pred = [preds[i].label for i in idx]
        p, r, f1 = prf(gold, pred)
        print(f"  {source:16s} n={len(idx):3d} {dict(Counter(gold))}  P {p:.3f} R {r:.3f} "
              f"F1 {f1:.3f}")
    if args.errors:
        print(f"errors in {args.errors}:")
        for i, (f, n, gold) in enumerate(rows):
            if split_of(f, n) == args.errors and preds[i].label != gold:
                print(f"  {gold:12s} p={preds[i].scores['question']:.2f} {preds[i].evidence} "
                      f"| {texts[i][:160]}")


if __name__ == "__main__":
    main()
