"""Derive pantau's Indonesian text tables from the shared training data (run by a maintainer).

    .venv/bin/python scripts/build_text_data.py [--shared ../shared]

Writes, under src/pantau/text/data/:
- stopwords_id.txt: stopwords-iso (MIT) minus negations, question words and evaluative words,
  which sentiment and question detection need;
- lexicon_stif.tsv: informal -> formal word pairs learned by aligning the STIF-Indonesia *train*
  sentences (MIT) word by word (dev and test are never read);
- lexicon_indocollex.tsv: the IndoCollex informal -> formal dictionary (MIT), filtered.
The licences and the sources' commits are recorded in src/pantau/text/data/NOTICE.md.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import re
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src" / "pantau" / "text" / "data"

# Never dropped as stopwords: negations, question words, and words that carry an evaluation.
KEEP = {
    "tidak", "tak", "bukan", "bukankah", "belum", "jangan", "tanpa", "kurang", "enggak", "nggak",
    "apa", "apakah", "apaan", "siapa", "siapakah", "kapan", "kapankah", "mana", "manakah",
    "dimana", "kemana", "kenapa", "mengapa", "gimana", "bagaimana", "bagaimanakah", "berapa",
    "berapakah", "bilamana", "adakah", "bolehkah", "bisakah", "haruskah", "mengapakah",
    "baik", "benar", "betul", "salah", "sangat", "terlalu", "paling", "lebih", "penting",
    "mohon", "tolong", "harus", "boleh", "ingin", "mau", "jangankan", "percuma",
}

# Alignments of STIF customer-service tweets that are wrong, or too domain-bound, for
# political social media (e.g. "kaya" is also "rich"; "pas" also "exactly").
STIF_BLOCK = {
    "makasih", "makasi", "thank", "ongkir", "call", "buja", "kokoh", "giliran", "guna", "ilangan",
    "l", "hbs", "segini", "gini", "kaya", "pas", "buat", "game", "member", "full", "limit", "fine",
    "not", "regis", "nelp", "bangking", "credits", "internetan", "ilang2an", "sampai2", "kira2",
    "cek", "check", "sama", "lagi", "mau", "tanya", "apa", "kalo", "jadi", "bisa", "dulu", "via",
    "driver", "cust", "customer", "trouble", "problem", "sad", "reply", "apps", "app", "apk", "apl",
    "hape", "dm", "no", "x", "d", "kah", "kan", "ka", "kaa", "gofud", "tokped", "emoney",
    "ibanking",
    "topup", "gojek", "eror", "terfavorite", "regristrasi", "mbanya",
}

WORDS = re.compile(r"\w+")


def words(line: str) -> list[str]:
    return WORDS.findall(line.lower())


def build_stopwords(shared: Path) -> list[str]:
    src = shared / "data" / "stopwords-iso-id" / "stopwords-id.txt"
    listed = {w.strip().lower() for w in src.read_text(encoding="utf-8").split() if w.strip()}
    return sorted(listed - KEEP)


def build_stif(shared: Path, min_count: int = 2) -> list[tuple[str, str, int, int]]:
    """(informal, formal, times aligned so, times seen) for words whose most frequent aligned
    form in the train split differs from the word itself."""
    folder = shared / "data" / "stif-indonesia"
    informal = (folder / "train.inf").read_text(encoding="utf-8").splitlines()
    formal = (folder / "train.for").read_text(encoding="utf-8").splitlines()
    aligned: dict[str, Counter] = defaultdict(Counter)
    for inf_line, for_line in zip(informal, formal, strict=True):
        a, b = words(inf_line), words(for_line)
        matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                for w in a[i1:i2]:
                    aligned[w][w] += 1
            elif op == "replace" and i2 - i1 == j2 - j1:
                for k in range(i2 - i1):
                    aligned[a[i1 + k]][b[j1 + k]] += 1
            elif op == "replace" and i2 - i1 == 1:
                aligned[a[i1]][" ".join(b[j1:j2])] += 1
            elif op == "delete":
                for w in a[i1:i2]:
                    aligned[w][""] += 1
    rows = []
    for word, counts in aligned.items():
        best, n = max(((f, c) for f, c in counts.items() if f), key=lambda fc: fc[1],
                      default=("", 0))
        if (best and best != word and n >= min_count and n > counts[word]
                and word not in STIF_BLOCK and "xxx" not in word and not word.isdigit()
                and "xxx" not in best):
            rows.append((word, best, n, sum(counts.values())))
    return sorted(rows)


def build_indocollex(shared: Path) -> list[tuple[str, str]]:
    """The dictionary without entries holding digits (numbers are tokens of their own), without
    identities, and without informal forms that are also standard root words (Sastrawi's list)."""
    import Sastrawi

    roots_file = Path(Sastrawi.__file__).parent / "Stemmer" / "data" / "kata-dasar.txt"
    roots = set(roots_file.read_text(encoding="utf-8").split())
    src = shared / "data" / "indo-collex" / "inforformal-formal-Indonesian-dictionary.tsv"
    rows = {}
    with src.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            informal = row["informal"].strip().lower()
            formal = " ".join(row["formal"].strip().lower().split())
            if (not informal or not formal or informal == formal or re.search(r"\d", informal)
                    or informal in roots):
                continue
            rows[informal] = formal
    return sorted(rows.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)

    stop = build_stopwords(args.shared)
    (OUT / "stopwords_id.txt").write_text(
        "# Derived from stopwords-iso/stopwords-id (MIT) by scripts/build_text_data.py:\n"
        "# negations, question words and evaluative words removed. See NOTICE.md.\n"
        + "\n".join(stop) + "\n", encoding="utf-8")

    stif = build_stif(args.shared)
    with (OUT / "lexicon_stif.tsv").open("w", encoding="utf-8") as fh:
        fh.write("# Learned from STIF-Indonesia train (MIT) by scripts/build_text_data.py; "
                 "see NOTICE.md.\n# informal\tformal\taligned\tseen\n")
        for word, formal, n, total in stif:
            fh.write(f"{word}\t{formal}\t{n}\t{total}\n")

    collex = build_indocollex(args.shared)
    with (OUT / "lexicon_indocollex.tsv").open("w", encoding="utf-8") as fh:
        fh.write("# Filtered from IndoCollex's informal-formal dictionary (MIT) by "
                 "scripts/build_text_data.py; see NOTICE.md.\n")
        for word, formal in collex:
            fh.write(f"{word}\t{formal}\n")
    print(f"stopwords: {len(stop)} · STIF pairs: {len(stif)} · IndoCollex entries: {len(collex)}")


if __name__ == "__main__":
    main()
