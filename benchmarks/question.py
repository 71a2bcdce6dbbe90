"""Question-to-the-candidate rules against the project's own labelled set, per label.

data/labels/question_labels.csv holds file, line, label and origin: `shared` rows point into
../shared/data (texts read here by file and line), `written` rows into
data/labels/question_written.tsv (sentences the project wrote: political comments to candidates).
Coding follows data/labels/QUESTION_GUIDELINE.md. The set is split by a hash of file and line:
`dev` (the cue weights were fitted on it: scripts/fit_question_weights.py) and `test` (never used
for fitting or tuning: the held-out figure). Prints precision, recall and F1 per label, per split
and per origin, the confusion matrix of the test half, and texts/s.

    .venv/bin/python benchmarks/question.py [--shared ../shared] [--errors dev|test]
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

from pantau.models.question import LABELS, load  # noqa: E402

LABELLED = REPO / "data" / "labels" / "question_labels.csv"
WRITTEN_PREFIX = "written/"
csv.field_size_limit(1 << 30)


def split_of(file: str, line: int) -> str:
    return "dev" if hashlib.sha1(f"{file}:{line}".encode()).digest()[0] % 2 == 0 else "test"


def text_at(data: Path, file: str, line: int, cache: dict) -> str:
    """The text at `line` of `file`, as defined in QUESTION_GUIDELINE.md."""
    if file not in cache:
        if file.startswith(WRITTEN_PREFIX):
            path = REPO / "data" / "labels" / file.removeprefix(WRITTEN_PREFIX)
            lines = path.read_text(encoding="utf-8").split("\n")
            cache[file] = {k: t.split("\t", 2)[2] for k, t in enumerate(lines, 1)
                           if k > 1 and t.strip()}
            return cache[file][line]
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


def load_labelled(shared: Path) -> list[dict]:
    """Rows of the labelled set with their text and split; rows whose source file is not
    available (no ../shared) are left out."""
    with LABELLED.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    cache: dict = {}
    out = []
    for r in rows:
        line = int(r["line"])
        try:
            text = text_at(shared / "data", r["file"], line, cache)
        except FileNotFoundError:
            continue
        out.append({"file": r["file"], "line": line, "label": r["label"],
                    "origin": r.get("origin") or "shared", "text": text,
                    "split": split_of(r["file"], line)})
    return out


def prf(gold: list[str], pred: list[str], cls: str) -> tuple[float, float, float, int]:
    tp = sum(g == cls and p == cls for g, p in zip(gold, pred, strict=True))
    fp = sum(g != cls and p == cls for g, p in zip(gold, pred, strict=True))
    fn = sum(g == cls and p != cls for g, p in zip(gold, pred, strict=True))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0), tp + fn


def report(name: str, gold: list[str], pred: list[str]) -> None:
    acc = sum(g == q for g, q in zip(gold, pred, strict=True)) / max(len(gold), 1)
    f1s = []
    print(f"[{name}] n={len(gold)} accuracy {acc:.3f}")
    for cls in LABELS:
        p, r, f1, support = prf(gold, pred, cls)
        f1s.append(f1)
        print(f"    {cls:12s} n={support:3d}  precision {p:.3f}  recall {r:.3f}  F1 {f1:.3f}")
    print(f"    macro-F1 {sum(f1s) / len(f1s):.3f}")
    # the old two-way view: question vs everything else
    two_g = ["question" if g == "question" else "other" for g in gold]
    two_p = ["question" if q == "question" else "other" for q in pred]
    p, r, f1, _ = prf(two_g, two_p, "question")
    print(f"    question vs rest: precision {p:.3f} recall {r:.3f} F1 {f1:.3f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--errors", choices=["dev", "test"], help="print the errors of one split")
    args = ap.parse_args()
    rows = load_labelled(args.shared)
    texts = [r["text"] for r in rows]
    model = load()
    t0 = time.perf_counter()
    preds = model.predict(texts)
    elapsed = time.perf_counter() - t0
    counts = dict(Counter(r["label"] for r in rows))
    print(f"model {model.NAME}@{model.VERSION}: {len(texts)} texts in {elapsed:.3f} s "
          f"({len(texts) / elapsed:,.0f} texts/s, toxicity included); labels {counts}")
    rules = type(model)(model.lexicon, toxicity=None)
    many = texts * 20
    t0 = time.perf_counter()
    rules.predict(many)
    rate = len(many) / (time.perf_counter() - t0)
    print(f"rules alone (as in enrich, toxicity reused): {rate:,.0f} texts/s")
    for split in ("test", "dev"):
        idx = [i for i, r in enumerate(rows) if r["split"] == split]
        report(split + (" (held out)" if split == "test" else " (weights fitted here)"),
               [rows[i]["label"] for i in idx], [preds[i].label for i in idx])
    for origin in ("written", "shared"):
        idx = [i for i, r in enumerate(rows) if r["origin"] == origin and r["split"] == "test"]
        if idx:
            report(f"test, {origin}", [rows[i]["label"] for i in idx],
                   [preds[i].label for i in idx])
    idx = [i for i, r in enumerate(rows) if r["split"] == "test"]
    confusion = Counter((rows[i]["label"], preds[i].label) for i in idx)
    print("confusion on test (rows gold, columns predicted):")
    print("    " + " ".join(f"{c[:10]:>10s}" for c in LABELS))
    for g in LABELS:
        print(f"    {g[:12]:12s}" + " ".join(f"{confusion[(g, c)]:>10d}" for c in LABELS)[2:])
    if args.errors:
        print(f"errors in {args.errors}:")
        for i, r in enumerate(rows):
            if r["split"] == args.errors and preds[i].label != r["label"]:
                print(f"  {r['label']:12s} -> {preds[i].label:12s} {preds[i].evidence} "
                      f"| {r['text'][:150]}")


if __name__ == "__main__":
    main()
