"""Comment category on the written evaluation set: per-category precision/recall/F1, before and
after, plus the reported failures (a link makes spam; copies by two accounts are buzzers).

    .venv/bin/python benchmarks/comment_category.py [--eval data/eval/comment_category.csv]
        [--before REF] [--no-before] [--errors N]

The set holds authors and posting times, so coordinated copies (salinan) are judged with the
time window of lexicons/category.toml [coordination]. "after" is the category classifier of
this checkout without the sentiment model's contribution switched off (as enrich runs it);
"before" is this script run on the source of git REF (default 91220c4) in a subprocess. The
set (data/eval/README.md) is a TEST set: nothing is trained or tuned on it.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_EVAL = REPO / "data" / "eval" / "comment_category.csv"
BEFORE_REF = "91220c4"
CATEGORIES = ["dukungan", "kritik", "pertanyaan", "aspirasi", "serangan", "salinan", "spam",
              "netral"]


def read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def predict(rows: list[dict]) -> list[str]:
    from pantau.models import category

    model = category.load()
    texts = [r["text"] for r in rows]
    authors = [r["author"] for r in rows]
    times = [r["created_at"] for r in rows]
    try:
        preds = model.predict(texts, authors, times=times)
    except TypeError:  # before: no time window
        preds = model.predict(texts, authors)
    return [p.label for p in preds]


# the reported failures: (texts, authors, times, the label none of them may get)
PROBES = [
    ("a link alone",
     ["baca beritanya https://kumparan.com/berita/jalan-rusak-bekasi, jalan kami rusak"],
     None, None, "spam"),
    ("a copy by two authors days apart",
     ["Pilih paslon nomor 3 untuk Bekasi yang lebih maju dan sejahtera"] * 2, ["a", "b"],
     ["2024-11-01T10:00:00+07:00", "2024-11-09T21:00:00+07:00"], "spam/salinan"),
]


def probes() -> list[dict]:
    from pantau.models import category

    model = category.load()
    out = []
    for name, texts, authors, times, banned in PROBES:
        try:
            preds = model.predict(texts, authors, times=times)
        except TypeError:
            preds = model.predict(texts, authors)
        labels = [p.label for p in preds]
        out.append({"name": name, "labels": labels,
                    "ok": not any(label in banned.split("/") for label in labels),
                    "evidence": [e for p in preds for e in p.evidence][:3]})
    return out


def evaluate(path: Path) -> dict:
    rows = read(path)
    gold = [r["category"] for r in rows]
    pred = predict(rows)
    per = {}
    for c in CATEGORIES:
        tp = sum(g == c and p == c for g, p in zip(gold, pred, strict=True))
        n_pred, n_gold = pred.count(c), gold.count(c)
        prec = tp / n_pred if n_pred else 0.0
        rec = tp / n_gold if n_gold else 0.0
        per[c] = {"precision": prec, "recall": rec,
                  "f1": 2 * prec * rec / (prec + rec) if prec + rec else 0.0,
                  "n": n_gold, "predicted": n_pred}
    links = [i for i, r in enumerate(rows) if "http" in r["text"] or "bit.ly" in r["text"]
             or "s.id/" in r["text"]]
    not_spam_links = [i for i in links if gold[i] != "spam"]
    return {
        "n": len(rows), "per": per,
        "accuracy": sum(g == p for g, p in zip(gold, pred, strict=True)) / len(rows),
        "macro_f1": sum(per[c]["f1"] for c in CATEGORIES) / len(CATEGORIES),
        "spam_share": pred.count("spam") / len(rows),
        "links_not_spam_called_spam": (sum(pred[i] == "spam" for i in not_spam_links),
                                       len(not_spam_links)),
        "confusion": {f"{g}>{p}": n for (g, p), n in
                      sorted(Counter(zip(gold, pred, strict=True)).items()) if g != p},
        "errors": [{"id": r["id"], "gold": g, "pred": p, "text": r["text"][:100]}
                   for r, g, p in zip(rows, gold, pred, strict=True) if g != p],
        "probes": probes(),
    }


def before(ref: str, path: Path) -> dict | None:
    with tempfile.TemporaryDirectory() as tmp:
        try:
            archive = subprocess.run(["git", "-C", str(REPO), "archive", ref, "src"],
                                     capture_output=True, check=True).stdout
            subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        except (OSError, subprocess.CalledProcessError) as exc:
            print(f"before ({ref}): not available ({exc})")
            return None
        env = {**os.environ, "PYTHONPATH": str(Path(tmp) / "src")}
        done = subprocess.run([sys.executable, __file__, "--json", "--eval", str(path)],
                              env=env, capture_output=True, text=True)
        if done.returncode:
            print(f"before ({ref}): failed\n{done.stderr[-2000:]}")
            return None
        return json.loads(done.stdout)


def show(name: str, r: dict) -> None:
    print(f"\n== {name}: {r['n']} comments  accuracy {r['accuracy']:.3f}  macro-F1 "
          f"{r['macro_f1']:.3f}  labelled spam {r['spam_share']:.1%}")
    print("category    precision  recall    F1     n  predicted")
    for c in CATEGORIES:
        s = r["per"][c]
        print(f"{c:10}  {s['precision']:9.3f}  {s['recall']:6.3f}  {s['f1']:5.3f}  {s['n']:4}  "
              f"{s['predicted']:9}")
    called, total = r["links_not_spam_called_spam"]
    print(f"comments with a link that are not spam, labelled spam: {called} of {total}")
    top = sorted(r["confusion"].items(), key=lambda kv: -kv[1])[:8]
    print("most frequent confusions (gold>predicted): " + ", ".join(f"{k} {v}" for k, v in top))
    print("reported failures:")
    for p in r["probes"]:
        print(f"  {'ok ' if p['ok'] else 'BAD'} {p['name']}: {', '.join(p['labels'])}  "
              f"{p['evidence']}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval", type=Path, default=DEFAULT_EVAL)
    ap.add_argument("--before", default=BEFORE_REF)
    ap.add_argument("--no-before", action="store_true")
    ap.add_argument("--errors", type=int, default=0)
    ap.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.json:
        print(json.dumps(evaluate(args.eval)))
        return
    sys.path.insert(0, str(REPO / "src"))
    if not args.no_before:
        old = before(args.before, args.eval)
        if old is not None:
            show(f"before ({args.before})", old)
    after = evaluate(args.eval)
    show("after", after)
    for e in after["errors"][:args.errors]:
        print(f"  {e['id']} {e['gold']}>{e['pred']}: {e['text']!r}")


if __name__ == "__main__":
    main()
