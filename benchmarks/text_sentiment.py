"""Sentiment model: macro-F1 on our political evaluation set, SmSA valid and NusaX-senti id
test, and texts/s.

    .venv/bin/python benchmarks/text_sentiment.py [--shared ../shared] [--baseline]
        [--before REV] [--model FILE]

The political set (data/eval/sentiment_political.tsv, written by the project, never trained on)
is scored 3-class and pos/neg (its neutral texts left out; the model's choice between positive
and negative), like the held-out tweet sets of issue 12. --before REV also scores the model file
as it was at git revision REV (e.g. 91220c4, before issue 12) on the same sets.

Scores: the shipped model (src/pantau/models/data/sentiment.joblib). NusaX reuses SmSA sentences
(110 of its 400 test texts are in SmSA train), so its score is also shown on the 290 test texts
not in SmSA train. Speed: predicting the SmSA valid + NusaX test texts (avg. ~170 characters)
repeated to 40,000 texts, and 40,000 short comments (EmoT valid tweets cut to 12 words), in
batches of 2,048, with 1 and 2 threads; best of 3 runs. --baseline also fits NLP.md's baseline
(TF-IDF word 1-2 + char 2-5, LR C=10 balanced) on the same training data for comparison.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from pantau.models import sentiment  # noqa: E402
from pantau.models.evaluate import score  # noqa: E402
from pantau.models.linear import LinearTextModel  # noqa: E402
from pantau.models.train import (  # noqa: E402
    _dedupe_key,
    read_csv_columns,
    read_smsa,
    sentiment_training_data,
)


def rate(model, texts, runs: int = 3) -> float:
    best = 0.0
    for _ in range(runs):
        started = time.perf_counter()
        model.predict_labels(texts)
        best = max(best, len(texts) / (time.perf_counter() - started))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--baseline", action="store_true")
    parser.add_argument("--before", help="also score the model file of this git revision")
    parser.add_argument("--model", type=Path, help="score this model file instead")
    args = parser.parse_args()
    data = args.shared / "data"
    started = time.perf_counter()
    model = LinearTextModel.load(args.model) if args.model else sentiment.load_shipped()
    path = args.model or sentiment.MODEL_FILE
    print(f"model {path.name}: {path.stat().st_size / 1e6:.1f} MB, "
          f"loaded in {time.perf_counter() - started:.2f} s, source model:{model.NAME}@"
          f"{model.VERSION}")
    smsa_x, smsa_y = read_smsa(data / "indonlu-smsa" / "valid_preprocess.tsv")
    nusax_x, nusax_y = read_csv_columns(data / "nusax-senti-id" / "test.csv", "text", "label")
    seen = {_dedupe_key(t) for t in read_smsa(data / "indonlu-smsa" / "train_preprocess.tsv")[0]}
    unseen = [i for i, t in enumerate(nusax_x) if _dedupe_key(t) not in seen]
    sets = {"SmSA valid": (smsa_x, smsa_y), "NusaX-senti id test": (nusax_x, nusax_y),
            "NusaX test not in SmSA train": ([nusax_x[i] for i in unseen],
                                             [nusax_y[i] for i in unseen])}
    political = read_political_eval()
    models = {"pantau": model}
    if args.before:
        import subprocess
        import tempfile

        raw = subprocess.run(["git", "-C", str(REPO), "show",
                              f"{args.before}:src/pantau/models/data/sentiment.joblib"],
                             capture_output=True, check=True).stdout
        with tempfile.NamedTemporaryFile(suffix=".joblib") as fh:
            fh.write(raw)
            fh.flush()
            models[f"before {args.before}"] = LinearTextModel.load(fh.name)
    for name, m in models.items():
        xs, ys, _ = political
        s3 = score(ys, m.predict_labels(xs)[0], ["positive", "negative", "neutral"])
        keep = [i for i, y in enumerate(ys) if y != "neutral"]
        proba = m.probabilities([xs[i] for i in keep])
        pos, neg = m.LABELS.index("positive"), m.LABELS.index("negative")
        two = ["positive" if p[pos] >= p[neg] else "negative" for p in proba]
        s2 = score([ys[i] for i in keep], two, ["positive", "negative"])
        per = "  ".join(f"{k} P {v['precision']:.3f} R {v['recall']:.3f}"
                        for k, v in s3.per_class.items())
        print(f"{name:>20} | political eval, 3-class n={s3.n:<4} macro-F1 {s3.macro_f1:.4f} "
              f"acc {s3.accuracy:.4f} | {per}")
        print(f"{name:>20} | political eval, pos/neg n={s2.n:<4} macro-F1 {s2.macro_f1:.4f} "
              f"acc {s2.accuracy:.4f}")
    predictors = {name: (lambda xs, m=m: m.predict_labels(xs)[0]) for name, m in models.items()}
    if args.baseline:
        predictors["baseline TF-IDF+LR"] = baseline(args.shared)
    for name, predict in predictors.items():
        for set_name, (xs, ys) in sets.items():
            s = score(ys, predict(xs), ["positive", "negative", "neutral"])
            per = "  ".join(f"{k} P {v['precision']:.3f} R {v['recall']:.3f}"
                            for k, v in s.per_class.items())
            print(f"{name:>20} | {set_name:<29} n={s.n:<5} macro-F1 {s.macro_f1:.4f} "
                  f"acc {s.accuracy:.4f} | {per}")
    long_texts = (smsa_x + nusax_x) * (40_000 // len(smsa_x + nusax_x) + 1)
    long_texts = long_texts[:40_000]
    tweets = read_csv_columns(data / "indonlu-emot" / "valid_preprocess.csv", "tweet",
                              "label")[0]
    short = [" ".join(t.split()[:12]) for t in tweets] * (40_000 // len(tweets) + 1)
    short = short[:40_000]
    print(f"cores: {os.cpu_count()}; load average now: {os.getloadavg()[0]:.1f}")
    for threads in (1, 2):
        m = LinearTextModel(model.NAME, model.VERSION, model.LABELS, model.weights, model.bias,
                            model.config, threads=threads, lexicon=model.lexicon)
        m.predict_labels(long_texts[:5000])  # warm the normaliser cache
        avg_long = sum(map(len, long_texts)) / len(long_texts)
        avg_short = sum(map(len, short)) / len(short)
        print(f"threads={threads}: {rate(m, long_texts):,.0f} texts/s (reviews, "
              f"{avg_long:.0f} chars) · {rate(m, short):,.0f} texts/s (short comments, "
              f"{avg_short:.0f} chars)")


def read_political_eval() -> tuple[list[str], list[str], list[str]]:
    """data/eval/sentiment_political.tsv: texts, labels, elections."""
    lines = (REPO / "data" / "eval" / "sentiment_political.tsv").read_text(
        encoding="utf-8").splitlines()[1:]
    rows = [line.split("\t", 2) for line in lines if line.strip()]
    return [r[2] for r in rows], [r[0] for r in rows], [r[1] for r in rows]


def baseline(shared: Path):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    train = sentiment_training_data(shared)
    pipe = make_pipeline(
        make_union(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
                   TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)),
        LogisticRegression(C=10, class_weight="balanced", max_iter=2000))
    pipe.fit(train["texts"], train["labels"])
    return lambda xs: list(pipe.predict(xs))


if __name__ == "__main__":
    main()
