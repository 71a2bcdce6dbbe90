"""Train the shipped sentiment model from ../shared/data and print its scores.

    OMP_NUM_THREADS=1 .venv/bin/python scripts/train_sentiment.py [--shared ../shared]
        [--out src/pantau/models/data/sentiment.joblib] [--version 1] [--cv]

Training data: IndoNLU SmSA train + NusaX-senti id train + IndoNLU EmoT train (emotions mapped to
sentiment) + the project's political sentences (data/train/sentiment_political.tsv) + FacQA news
sentences as neutral, weighted per source (models/train.py SOURCE_WEIGHTS), minus any text equal
(same words) to a SmSA valid or NusaX valid/test text; lexicon features from InSet
(../shared/data/inset-lexicon) with lexicons/sentiment.toml over it. Valid and test splits are
only scored, never trained on; the political evaluation set (data/eval/) is not read here at all
(benchmarks/text_sentiment.py scores it). Figures go into models/cards/sentiment.md.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from pantau.models.evaluate import score  # noqa: E402
from pantau.models.linear import LinearTextModel  # noqa: E402
from pantau.models.train import (  # noqa: E402
    SENTIMENT_C,
    SENTIMENT_CONFIG,
    _dedupe_key,
    cross_validated_f1,
    read_csv_columns,
    read_smsa,
    source_weights,
    train_sentiment,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--out", type=Path,
                        default=REPO / "src" / "pantau" / "models" / "data" / "sentiment.joblib")
    parser.add_argument("--version", default="2")
    parser.add_argument("--cv", action="store_true",
                        help="also print a 5-fold cross-validated macro-F1 on the training data")
    args = parser.parse_args()
    data = args.shared / "data"

    started = time.perf_counter()
    model, training = train_sentiment(args.shared, version=args.version)
    print(f"trained on {len(training['texts'])} texts {training['counts']} "
          f"labels {training['label_counts']}; dropped as held-out duplicates "
          f"{training['dropped_as_held_out']} ({time.perf_counter() - started:.0f} s)")
    if args.cv:
        cv = cross_validated_f1(training["texts"], training["labels"], config=SENTIMENT_CONFIG,
                                C=SENTIMENT_C, lexicon=model.lexicon,
                                sample_weight=source_weights(training["sources"]))
        print(f"5-fold CV macro-F1 on the training data: {cv:.4f}")

    path = model.save(args.out)  # scored below as shipped: saved, then loaded back
    model = LinearTextModel.load(path)
    smsa_x, smsa_y = read_smsa(data / "indonlu-smsa" / "valid_preprocess.tsv")
    nusax_x, nusax_y = read_csv_columns(data / "nusax-senti-id" / "test.csv", "text", "label")
    smsa_train = {_dedupe_key(t) for t in read_smsa(data / "indonlu-smsa" /
                                                    "train_preprocess.tsv")[0]}
    unseen = [i for i, t in enumerate(nusax_x) if _dedupe_key(t) not in smsa_train]
    results = {}
    for name, xs, ys in (("SmSA valid", smsa_x, smsa_y), ("NusaX-senti id test", nusax_x, nusax_y),
                         ("NusaX test, texts not in SmSA train", [nusax_x[i] for i in unseen],
                          [nusax_y[i] for i in unseen])):
        got, _ = model.predict_labels(xs)
        s = score(ys, got, ["positive", "negative", "neutral"])
        results[name] = s
        per = " ".join(f"{k}:{v['f1']:.3f}" for k, v in s.per_class.items())
        print(f"{name}: n={s.n} macro-F1 {s.macro_f1:.4f} accuracy {s.accuracy:.4f} ({per})")
    model.meta["scores"] = {k: {"macro_f1": v.macro_f1, "accuracy": v.accuracy, "n": v.n}
                            for k, v in results.items()}
    model.save(path)
    print(f"saved {path} ({path.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
