"""Speed of pantau.text: tokenising, language id, stemming, normalising (texts/s, 1 core).

    .venv/bin/python benchmarks/text_basics.py [--shared ../shared]

Texts: EmoT valid tweets and SmSA valid sentences, repeated to 20,000. Language id also prints
how often each answer came out on texts known to be Indonesian (all of these are), and its
accuracy on xSID test: short requests in Indonesian ("# text =") and their English originals
("# text-en =").
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from pantau.models.train import read_csv_columns, read_smsa  # noqa: E402
from pantau.text import langid, normalize, stem, tokens  # noqa: E402


def timed(fn, texts) -> float:
    started = time.perf_counter()
    fn(texts)
    return len(texts) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    args = parser.parse_args()
    data = args.shared / "data"
    tweets = read_csv_columns(data / "indonlu-emot" / "valid_preprocess.csv", "tweet",
                              "label")[0]
    smsa = read_smsa(data / "indonlu-smsa" / "valid_preprocess.tsv")[0]
    base = tweets + smsa
    texts = (base * (20_000 // len(base) + 1))[:20_000]
    print(f"{len(texts)} texts, avg {sum(map(len, texts)) / len(texts):.0f} characters")
    print(f"tokenize      {timed(lambda ts: [tokens.tokenize(t) for t in ts], texts):>10,.0f}/s")
    langs = Counter(langid.languages(base))
    print(f"langid (cold) {timed(lambda ts: [langid.detect(t) for t in ts], texts):>10,.0f}/s"
          f"   answers on {len(base)} Indonesian texts: {dict(langs)}")
    xsid = (data / "xsid-id" / "id.test.conll").read_text(encoding="utf-8").splitlines()
    for prefix, want in (("# text = ", "id"), ("# text-en = ", "en")):
        sents = [line.removeprefix(prefix) for line in xsid if line.startswith(prefix)]
        got = Counter(langid.languages(sents))
        print(f"langid on xSID test {want!r} sentences: {got[want] / len(sents):.3f} correct "
              f"(n={len(sents)}; {dict(got)})")
    n = normalize.Normalizer()
    print(f"normalize     {timed(lambda ts: [n.text(t) for t in ts], texts):>10,.0f}/s (cold)"
          f"   {timed(lambda ts: [n.text(t) for t in ts], texts):,.0f}/s (warm cache)")
    print(f"stem words    {timed(lambda ts: [stem.stem_text(t) for t in ts], texts):>10,.0f}"
          f"/s (cold)   {timed(lambda ts: [stem.stem_text(t) for t in ts], texts):,.0f}/s (warm)")


if __name__ == "__main__":
    main()
