"""Post function and topic on the written evaluation set: per-function precision/recall/F1,
topic precision/recall, before and after.

    .venv/bin/python benchmarks/post_function.py [--eval data/eval/post_function.jsonl]
        [--before REF] [--no-before] [--keywords-only] [--errors N]

"after" is the post-function and topic coder of this checkout (pantau.models.registry, shipped
codebook); "before" is the same script run on the source of git REF (default: 91220c4, main
before issue 12's work), extracted with `git archive` into a temporary folder. The media text
of the set is passed to coders that take it (predict(texts, media_texts=...)).

The set (data/eval/README.md) is a TEST set: nothing is trained or tuned on it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_EVAL = REPO / "data" / "eval" / "post_function.jsonl"
BEFORE_REF = "91220c4"
FUNCTIONS = [f"P{i}" for i in range(1, 10)]
# the reported failures, checked by name
PROBES = [
    ("Infografis program unggulan kami untuk pendidikan 📚 #Coblos2 #BekasiCerdas", "P1", None),
    ("Misi ke-2: Mewujudkan tata kelola pemerintahan yang bersih dan melayani. #Misi2 "
     "#CoblosNomor1", "P1", None),
    ("Yuk datang ke TPS tanggal 27 November, coblos nomor 2! #Coblos2", "P4", set()),
    ("Q&A bareng Nurul: dari PJU mati sampai pemberdayaan perempuan. Kirim pertanyaanmu di "
     "kolom komentar!", "P7", None),
    ("Sabtu pagi, masak nasi goreng buat anak-anak di rumah. Istri saya masih juara bumbunya "
     "#Keluarga #Coblos3", "P3", None),
]


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def predict(rows: list[dict], keywords_only: bool) -> tuple[list[str], list[set[str]]]:
    from pantau.models import registry

    function = registry.load("function")
    topic = registry.load("topic")
    if keywords_only and getattr(function, "model", None) is not None:
        function.model = None
    texts = [r["text"] for r in rows]
    media = [r.get("media_text") for r in rows]

    def run(model):
        try:
            return model.predict(texts, media_texts=media)
        except TypeError:  # a coder that reads the caption alone
            return model.predict(texts)

    functions = [p.label for p in run(function)]
    topics = [set(p.targets if p.targets is not None else [p.label]) - {"none"}
              for p in run(topic)]
    return functions, topics


def probes() -> list[dict]:
    from pantau.models import registry

    function, topic = registry.load("function"), registry.load("topic")
    out = []
    for text, want, want_topics in PROBES:
        f = function.predict([text])[0]
        t = topic.predict([text])[0]
        found = set(t.targets if t.targets is not None else [t.label]) - {"none"}
        out.append({"text": text, "want": want, "got": f.label, "topics": sorted(found),
                    "topics_ok": want_topics is None or found == want_topics})
    return out


def scores(gold: list[str], pred: list[str]) -> dict:
    out = {}
    for code in FUNCTIONS:
        tp = sum(g == code and p == code for g, p in zip(gold, pred, strict=True))
        n_pred = sum(p == code for p in pred)
        n_gold = sum(g == code for g in gold)
        prec = tp / n_pred if n_pred else 0.0
        rec = tp / n_gold if n_gold else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out[code] = {"precision": prec, "recall": rec, "f1": f1, "n": n_gold, "predicted": n_pred}
    out["macro_f1"] = sum(out[c]["f1"] for c in FUNCTIONS) / len(FUNCTIONS)
    out["accuracy"] = sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold)
    return out


def topic_scores(gold: list[set[str]], pred: list[set[str]]) -> dict:
    tp = sum(len(g & p) for g, p in zip(gold, pred, strict=True))
    n_pred = sum(len(p) for p in pred)
    n_gold = sum(len(g) for g in gold)
    per: dict[str, dict] = {}
    for code in sorted(set().union(*gold, *pred)):
        t = sum(code in g and code in p for g, p in zip(gold, pred, strict=True))
        np_ = sum(code in p for p in pred)
        ng = sum(code in g for g in gold)
        per[code] = {"precision": t / np_ if np_ else 0.0, "recall": t / ng if ng else 0.0,
                     "n": ng, "predicted": np_}
    none_gold = [i for i, g in enumerate(gold) if not g]
    return {"precision": tp / n_pred if n_pred else 0.0, "recall": tp / n_gold if n_gold else 0.0,
            "per_topic": per,
            "posts_without_topic_given_one": sum(1 for i in none_gold if pred[i]),
            "posts_without_topic": len(none_gold)}


def evaluate(eval_path: Path, keywords_only: bool) -> dict:
    rows = read(eval_path)
    functions, topics = predict(rows, keywords_only)
    gold_f = [r["function"] for r in rows]
    gold_t = [set(r["topics"]) for r in rows]
    confusion = Counter(zip(gold_f, functions, strict=True))
    errors = [{"id": r["id"], "gold": g, "pred": p, "text": r["text"][:120]}
              for r, g, p in zip(rows, gold_f, functions, strict=True) if g != p]
    return {"n": len(rows), "functions": scores(gold_f, functions),
            "topics": topic_scores(gold_t, topics),
            "confusion": {f"{g}>{p}": n for (g, p), n in sorted(confusion.items()) if g != p},
            "errors": errors, "probes": probes()}


def before(ref: str, eval_path: Path) -> dict | None:
    """This script's evaluate() run on the source tree of git `ref`."""
    with tempfile.TemporaryDirectory() as tmp:
        try:
            archive = subprocess.run(["git", "-C", str(REPO), "archive", ref, "src"],
                                     capture_output=True, check=True).stdout
            subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        except (OSError, subprocess.CalledProcessError) as exc:
            print(f"before ({ref}): not available ({exc})")
            return None
        env = {**os.environ, "PYTHONPATH": str(Path(tmp) / "src")}
        done = subprocess.run([sys.executable, __file__, "--json", "--eval", str(eval_path),
                               "--no-before"], env=env, capture_output=True, text=True)
        if done.returncode:
            print(f"before ({ref}): failed\n{done.stderr[-2000:]}")
            return None
        return json.loads(done.stdout)


def show(name: str, result: dict) -> None:
    f = result["functions"]
    print(f"\n== {name}: {result['n']} posts  accuracy {f['accuracy']:.3f}  "
          f"macro-F1 {f['macro_f1']:.3f}")
    print("function  precision  recall    F1     n  predicted")
    for code in FUNCTIONS:
        s = f[code]
        print(f"{code:8}  {s['precision']:9.3f}  {s['recall']:6.3f}  {s['f1']:5.3f}  "
              f"{s['n']:4}  {s['predicted']:9}")
    t = result["topics"]
    print(f"topics: precision {t['precision']:.3f}  recall {t['recall']:.3f}  "
          f"(posts with no topic given one: {t['posts_without_topic_given_one']} of "
          f"{t['posts_without_topic']})")
    print("  " + "  ".join(f"{c} {s['precision']:.2f}/{s['recall']:.2f}"
                           for c, s in t["per_topic"].items()))
    top = sorted(result["confusion"].items(), key=lambda kv: -kv[1])[:8]
    print("most frequent confusions (gold>predicted): "
          + ", ".join(f"{k} {v}" for k, v in top))
    print("reported failures:")
    for p in result["probes"]:
        ok = "ok " if p["got"] == p["want"] and p["topics_ok"] else "BAD"
        print(f"  {ok} {p['got']} (want {p['want']}) topics {p['topics']}: {p['text'][:70]}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval", type=Path, default=DEFAULT_EVAL)
    ap.add_argument("--before", default=BEFORE_REF, help="git ref of the 'before' source")
    ap.add_argument("--no-before", action="store_true")
    ap.add_argument("--keywords-only", action="store_true",
                    help="after: without the learned model")
    ap.add_argument("--errors", type=int, default=0, help="print this many misclassified posts")
    ap.add_argument("--demo", action="store_true", help="also score the synthetic demo's posts "
                    "(their planted functions), with the codebook of --before and this one")
    ap.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.json:  # the child run for "before": this tree's pantau, JSON out
        print(json.dumps(evaluate(args.eval, False)))
        return
    sys.path.insert(0, str(REPO / "src"))
    if not args.no_before:
        old = before(args.before, args.eval)
        if old is not None:
            show(f"before ({args.before})", old)
    after = evaluate(args.eval, args.keywords_only)
    show("after" + (" (keywords only)" if args.keywords_only else ""), after)
    for e in after["errors"][:args.errors]:
        print(f"  {e['id']} {e['gold']}>{e['pred']}: {e['text']!r}")
    if args.demo:
        demo(args.before)


def demo(ref: str) -> None:
    """The demo corpus's posts (pantau.demo, seed 7, size small) against the functions the demo
    planted: this checkout's coder, and the keyword coder over the codebook.toml of `ref`."""
    import tomllib

    from pantau.demo import generate
    from pantau.models import codebook, registry

    posts = generate(7, "small").posts
    gold = [p.function for p in posts]
    texts = [p.text for p in posts]
    coders = [("after", registry.load("function"))]
    try:
        raw = subprocess.run(["git", "-C", str(REPO), "show", f"{ref}:src/pantau/codebook.toml"],
                             capture_output=True, check=True, text=True).stdout
        old = codebook.parse(tomllib.loads(raw), Path(f"{ref}:codebook.toml"))
        coders.insert(0, (f"before ({ref} codebook)", codebook.KeywordCoder(
            old.get("post_function"))))
    except (OSError, subprocess.CalledProcessError):
        print(f"demo before ({ref}): not available")
    for name, coder in coders:
        s = scores(gold, [p.label for p in coder.predict(texts)])
        print(f"demo posts, {name}: {len(posts)} posts  accuracy {s['accuracy']:.3f}  "
              f"macro-F1 {s['macro_f1']:.3f}  " + "  ".join(
                  f"{c} {s[c]['precision']:.2f}/{s[c]['recall']:.2f}" for c in FUNCTIONS))


if __name__ == "__main__":
    main()
