"""The toxicity model on pantau's own test sets: the functional hate suite and the political
comments set (data/eval; written for pantau, never trained on).

Prints, per functionality of data/eval/hate_functional_id.csv, the accuracy of the hate-vs-not
decision (and of toxic-vs-none), then hate-vs-not macro-F1, the share of hateful cases labelled
`hate`, toxic-vs-none macro-F1; the same toxic-vs-none figures on
data/eval/political_comments_id.csv; and the throughput.

    .venv/bin/python benchmarks/hate_suite.py [--rules] [--errors FUNCTIONALITY|all]

--rules scores the rule stage alone (the lexicon without the learned model), for comparison.
--fast-path-check compares the shipped model with and without its fast path (texts where the
rules find nothing that could fire are `none` without the learned stage) on every set here and
the BLOB-toxic held-out half (when ../shared is present): toxic and hate recall both ways.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from pantau.models import toxicity  # noqa: E402

SUITE = REPO / "data" / "eval" / "hate_functional_id.csv"
POLITICAL = REPO / "data" / "eval" / "political_comments_id.csv"


def macro_f1(gold: list[bool], pred: list[bool]) -> float:
    f1s = []
    for cls in (True, False):
        tp = sum(g == cls and p == cls for g, p in zip(gold, pred, strict=True))
        fp = sum(g != cls and p == cls for g, p in zip(gold, pred, strict=True))
        fn = sum(g == cls and p != cls for g, p in zip(gold, pred, strict=True))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(f1s) / 2


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def fast_path_check(model, suite: list[dict[str, str]], shared: Path) -> None:
    sets = {"hate suite": [(r["text"], r["label"]) for r in suite]}
    if POLITICAL.is_file():
        sets["political comments"] = [(r["text"], r["label"]) for r in read(POLITICAL)]
    blob = shared / "data" / "blob-toxic-id"
    if blob.is_dir():
        import importlib.util

        spec = importlib.util.spec_from_file_location("blob_benchmark",
                                                      REPO / "benchmarks" / "toxicity.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        sets["BLOB held-out half"] = [
            (t, "abusive" if g == "toxic" else "none") for f, n, t, g in module.read_blob(shared)
            if module.split_of(f, n) == "test"]
    print("\nfast path check (toxic recall / hate recall; labels that differ):")
    for name, items in sets.items():
        texts = [t for t, _ in items]
        out = {}
        for fast in (True, False):
            model.fast_path = fast
            out[fast] = [p.label for p in model.predict(texts)]
        model.fast_path = True
        toxic = [i for i, (_, g) in enumerate(items) if g != "none"]
        hate = [i for i, (_, g) in enumerate(items) if g == "hate"]

        def rec(labels: list[str], idx: list[int], ok: tuple[str, ...]) -> str:
            return f"{sum(labels[i] in ok for i in idx) / len(idx):.3f}" if idx else "-"

        differ = sum(a != b for a, b in zip(out[True], out[False], strict=True))
        toxic_labels = ("abusive", "hate")
        print(f"  {name:20s} with fast path {rec(out[True], toxic, toxic_labels)} / "
              f"{rec(out[True], hate, ('hate',))}; without {rec(out[False], toxic, toxic_labels)}"
              f" / {rec(out[False], hate, ('hate',))}; {differ} of {len(items)} labels differ")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rules", action="store_true", help="the rule stage alone")
    ap.add_argument("--errors", help="print the errors of one functionality (or 'all')")
    ap.add_argument("--fast-path-check", action="store_true",
                    help="recall with and without the fast path")
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    args = ap.parse_args()
    model = toxicity.ToxicityClassifier() if args.rules else toxicity.load()
    print(f"model {model.NAME}@{model.VERSION} ({'rules only' if args.rules else 'as shipped'})")
    rows = read(SUITE)
    texts = [r["text"] for r in rows]
    t0 = time.perf_counter()
    preds = model.predict(texts)
    elapsed = time.perf_counter() - t0
    by_f: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    for r, p in zip(rows, preds, strict=True):
        hate_ok = (p.label == "hate") == (r["label"] == "hate")
        toxic_ok = (p.label != "none") == (r["label"] != "none")
        by_f[r["functionality"]].append((hate_ok, toxic_ok))
    print(f"\nhate suite: {len(rows)} cases, {len({r['group'] for r in rows} - {'-'})} groups "
          f"({SUITE.relative_to(REPO)})")
    print(f"  {'functionality':26s} {'gold':8s} {'n':>4s}  hate-vs-not acc  toxic-vs-none acc")
    gold_of = {r["functionality"]: r["label"] for r in rows}
    for name in sorted(by_f, key=lambda f: (gold_of[f] != "hate", f)):
        items = by_f[name]
        h = sum(a for a, _ in items) / len(items)
        t = sum(b for _, b in items) / len(items)
        print(f"  {name:26s} {gold_of[name]:8s} {len(items):4d}  {h:15.3f}  {t:17.3f}")
    gold_h = [r["label"] == "hate" for r in rows]
    pred_h = [p.label == "hate" for p in preds]
    gold_t = [r["label"] != "none" for r in rows]
    pred_t = [p.label != "none" for p in preds]
    hateful = [p for g, p in zip(gold_h, pred_h, strict=True) if g]
    not_hateful = [p for g, p in zip(gold_h, pred_h, strict=True) if not g]
    print(f"  hate vs not: macro-F1 {macro_f1(gold_h, pred_h):.3f}; hateful cases labelled hate "
          f"{sum(hateful) / len(hateful):.1%}; non-hateful labelled hate "
          f"{sum(not_hateful) / len(not_hateful):.1%}")
    print(f"  toxic vs none: macro-F1 {macro_f1(gold_t, pred_t):.3f}")
    groups: dict[str, list[bool]] = defaultdict(list)
    for r, p in zip(rows, preds, strict=True):
        if r["label"] == "hate":
            groups[r["group"]].append(p.label == "hate")
    worst = sorted(groups, key=lambda g: sum(groups[g]) / len(groups[g]))[:5]
    print("  hateful recall, weakest groups: " + ", ".join(
        f"{g} {sum(groups[g]) / len(groups[g]):.2f}" for g in worst))
    if POLITICAL.is_file():
        prow = read(POLITICAL)
        pp = model.predict([r["text"] for r in prow])
        g_t = [r["label"] != "none" for r in prow]
        p_t = [p.label != "none" for p in pp]
        g_h = [r["label"] == "hate" for r in prow]
        p_h = [p.label == "hate" for p in pp]
        tp = sum(g and p for g, p in zip(g_t, p_t, strict=True))
        print(f"\npolitical comments: {len(prow)} ({POLITICAL.relative_to(REPO)}); toxic "
              f"{sum(g_t)}, hate {sum(g_h)}")
        print(f"  toxic vs none: macro-F1 {macro_f1(g_t, p_t):.3f}; toxic precision "
              f"{tp / max(sum(p_t), 1):.3f} recall {tp / max(sum(g_t), 1):.3f}")
        print(f"  hate vs not: macro-F1 {macro_f1(g_h, p_h):.3f}")
        if args.errors:
            for r, p in zip(prow, pp, strict=True):
                if (p.label != "none") != (r["label"] != "none") or \
                        (p.label == "hate") != (r["label"] == "hate"):
                    print(f"    {r['label']:7s} -> {p.label:7s} {p.evidence} | {r['text']}")
    print(f"\nthroughput: {len(texts)} suite texts in {elapsed:.3f} s "
          f"({len(texts) / elapsed:,.0f} texts/s, one batch, cold caches)")
    if args.fast_path_check and not args.rules:
        fast_path_check(model, rows, args.shared)
    if args.errors:
        print("\nerrors:")
        for r, p in zip(rows, preds, strict=True):
            if args.errors not in ("all", r["functionality"]):
                continue
            if (p.label == "hate") != (r["label"] == "hate") or \
                    (p.label != "none") != (r["label"] != "none"):
                print(f"  {r['functionality']:22s} {r['label']:7s} -> {p.label:7s} "
                      f"{p.evidence} | {r['text']}")


if __name__ == "__main__":
    main()
