"""Before/after for the sentiment and question failures listed in issue 12.

    .venv/bin/python benchmarks/failures_sentiment_question.py [--before REV]

"Before" is the model as it was at git revision REV (default: the last commit before the issue-12
work on these models), read from the repository with `git show` — the sentiment model file, and
the question rules with their lexicon; "after" is the code and model of this checkout. Each line
prints the text, what it must (not) be, and both labels; the last column says whether the
requirement holds now. Without git history the before column reads "n/a".
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from pantau.models import lexicons, question, sentiment, toxicity  # noqa: E402
from pantau.models.linear import LinearTextModel  # noqa: E402

BEFORE = "91220c4"  # main before issue 12's sentiment/question work

# (text, requirement): "= label" must be that label; "!= label" must not be
SENTIMENT = [
    ("Masukan yang sangat penting. Ini alasan kami menyiapkan program makan bergizi gratis "
     "untuk anak sekolah", "!= negative"),
    ("Remuk hatiku lihat Beliau #freeahok", "!= positive"),
    ("Kayak orang jualan sabun wangi, tapi sendirinya tidak pernah mandi. Janji doang manis",
     "!= positive"),
    ("hebat banget ya gubernur kita, korupsinya sampai triliunan", "!= positive"),
    ("Visinya keren di brosur, tapi jalan kampung tetap hancur", "= negative"),
    ("#2019GantiPresiden udah cukup 5 thn dibohongin", "= negative"),
    ("Debat capres malam ini jam 19.00 di Hotel Bidakara", "= neutral"),
]
QUESTION = [
    ("Baca beritanya…https://m.kumparan.com/a?utm_source=x", "= not_question"),
    ("lanjutkan pak Uu, programnya masuk akal bgt", "= not_question"),
    ("hoax itu, cek dulu", "= not_question"),
    ("emang bisa apa dia?", "= rhetorical"),
    ("kapan sih pemimpin jujur?", "= rhetorical"),
    ("tolong perbaiki jalan di Desa Cibeber pak", "= request"),
    ("Pak, kapan jalan di RT 05 diperbaiki?", "= question"),
]


def git_show(rev: str, path: str) -> bytes | None:
    try:
        return subprocess.run(["git", "-C", str(REPO), "show", f"{rev}:{path}"],
                              capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None


def before_sentiment(rev: str, tmp: Path):
    raw = git_show(rev, "src/pantau/models/data/sentiment.joblib")
    if raw is None:
        return None
    (tmp / "sentiment.joblib").write_bytes(raw)
    return LinearTextModel.load(tmp / "sentiment.joblib")


def before_question(rev: str, tmp: Path):
    code = git_show(rev, "src/pantau/models/question.py")
    toml = git_show(rev, "src/pantau/models/lexicons/question.toml")
    if code is None or toml is None:
        return None
    path = tmp / "question_before.py"
    path.write_bytes(code)
    # loaded as a module of pantau.models, so its relative imports find today's package
    spec = importlib.util.spec_from_file_location("pantau.models._question_before", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    lex = lexicons.Lexicon("question", path, tomllib.loads(toml.decode()), "before")
    return module.QuestionClassifier(lex, toxicity.load())


def holds(label: str, requirement: str) -> bool:
    op, want = requirement.split()
    return (label == want) if op == "=" else (label != want)


def show(title: str, cases: list, before, after) -> int:
    texts = [t for t, _ in cases]
    old = [p.label for p in before.predict(texts)] if before is not None else ["n/a"] * len(texts)
    new = [p.label for p in after.predict(texts)]
    print(f"{title}\n  {'must be':<16s} {'before':<13s} {'after':<13s} ok  text")
    ok = 0
    for (text, req), b, a in zip(cases, old, new, strict=True):
        good = holds(a, req)
        ok += good
        print(f"  {req:<16s} {b:<13s} {a:<13s} {'yes' if good else 'NO ':3s} {text[:70]}")
    before_ok = sum(holds(b, r) for (_, r), b in zip(cases, old, strict=True)) \
        if before is not None else None
    print(f"  holds: before {before_ok if before_ok is not None else 'n/a'}/{len(cases)}, "
          f"after {ok}/{len(cases)}")
    return ok


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", default=BEFORE, help="git revision of the old models")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        show(f"sentiment (before: {args.before})", SENTIMENT,
             before_sentiment(args.before, Path(tmp)), sentiment.load_shipped())
        show(f"question (before: {args.before})", QUESTION,
             before_question(args.before, Path(tmp)), question.load())


if __name__ == "__main__":
    main()
