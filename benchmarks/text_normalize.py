"""Word error rate of the informal-Indonesian normaliser on STIF-Indonesia test (and dev).

WER here is corpus-level: total word edits (substitutions + insertions + deletions) / total
reference words, over lowercased \\w+ tokens (punctuation is not scored). The reference figures
are computed by the same code: no normalisation, and IndoCollex dictionary lookup (each token
replaced by its dictionary entry, keys lowercased); NLP.md lists 0.413 and 0.299 for them.
The derived STIF table comes from train only; dev was used while writing rules; test is held out.

    .venv/bin/python benchmarks/text_normalize.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from pantau.models.evaluate import corpus_wer  # noqa: E402
from pantau.text.normalize import Normalizer  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    args = parser.parse_args()
    data = args.shared / "data"
    collex = {}
    with (data / "indo-collex" / "inforformal-formal-Indonesian-dictionary.tsv").open(
            encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            collex[row["informal"].strip().lower()] = row["formal"].strip().lower()
    normalizer = Normalizer()
    print("corpus WER = total word edits / total reference words (lowercased \\w+ tokens)")
    for split in ("dev", "test"):
        folder = data / "stif-indonesia"
        informal = (folder / f"{split}.inf").read_text(encoding="utf-8").splitlines()
        formal = (folder / f"{split}.for").read_text(encoding="utf-8").splitlines()
        lookup = [" ".join(collex.get(t, t) for t in s.split()) for s in informal]
        started = time.perf_counter()
        ours = [normalizer.text(s) for s in informal]
        rate = len(informal) / (time.perf_counter() - started)
        dropped = [normalizer.text(s, drop_particles=True) for s in informal]
        words = sum(len(s.split()) for s in formal)
        print(f"STIF {split} ({len(informal)} sentences, {words} reference words):")
        print(f"  no normalisation         {corpus_wer(informal, formal):.4f}")
        print(f"  IndoCollex lookup        {corpus_wer(lookup, formal):.4f}")
        print(f"  pantau normalize         {corpus_wer(ours, formal):.4f}   "
              f"({rate:,.0f} sentences/s, cold cache)")
        print(f"  pantau, particles dropped {corpus_wer(dropped, formal):.4f}")


if __name__ == "__main__":
    main()
