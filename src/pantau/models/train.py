"""Training pantau's linear text models: the shipped sentiment model and project-local ones.

- `train_sentiment(shared)` rebuilds the shipped model from ../shared/data (see
  scripts/train_sentiment.py and models/cards/sentiment.md);
- `train_project_model(project, task, file, ...)` fits a replacement from a user's own coded
  texts and saves it as PROJECT/models/TASK.joblib, which the registry then prefers.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import PantauError
from .evaluate import apply_label_map
from .linear import FeatureConfig, Featurizer, Lexicon, LinearTextModel

csv.field_size_limit(1 << 30)

# The shipped sentiment recipe, chosen by 5-fold cross-validation on the training data only
# (negation scope 1 vs 2, word weights, C in 4, 10, 25, 60; see models/cards/sentiment.md).
SENTIMENT_CONFIG = FeatureConfig(bits=20, char_orders=(1, 2, 3, 4, 5), word_ngrams=2,
                                 negation_scope=1,
                                 weights={"char": 1.0, "word": 2.0, "bigram": 2.0,
                                          "lexicon": 2.0},
                                 lexicon=True, hashtags=True, hashtag_mark=False)
# project-local models (any task, `pantau models train`): the features of the first shipped
# model, with no lexicon, so h11's train --from-coding and saved project models stay as they were
PROJECT_CONFIG = FeatureConfig(bits=20, char_orders=(1, 2, 3, 4, 5), word_ngrams=2,
                               negation_scope=1,
                               weights={"char": 1.0, "word": 2.0, "bigram": 2.0})
SENTIMENT_C = 25.0
EMOT_TO_SENTIMENT = {"anger": "negative", "fear": "negative", "sadness": "negative",
                     "happy": "positive", "love": "positive"}


# -- reading a user's labelled file -------------------------------------------------------------
def read_labelled(path: Path | str, text_column: str = "text", label_column: str = "label",
                  *, header: bool = True) -> tuple[list[str], list[str]]:
    """Texts and labels from a CSV/TSV or JSON lines file. Without a header (header=False)
    CSV/TSV columns are named by position: "1", "2", ... Rows without a label are skipped; a
    missing column, an unreadable or empty file is a PantauError."""
    path = Path(path)
    if not path.is_file():
        raise PantauError(f"{path} does not exist", "check the path given to --data")
    raw = path.read_bytes().decode("utf-8-sig", errors="replace")
    if not raw.strip():
        raise PantauError(f"{path} is empty", "give a file with a header and labelled rows")
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        rows, columns = _json_rows(raw, path)
    else:
        delimiter = "\t" if suffix == ".tsv" else ","
        reader = csv.reader(io.StringIO(raw, newline=""), delimiter=delimiter)
        first = next(reader, [])
        if header:
            columns = [h.strip() for h in first]
            body = reader
        else:
            columns = [str(i + 1) for i in range(len(first))]
            body = _chain([first], reader)
        rows = (dict(zip(columns, row, strict=False)) for row in body)
    for wanted, option in ((text_column, "--text-column"), (label_column, "--label-column")):
        if wanted not in columns:
            raise PantauError(f"column {wanted!r} not in {path.name}",
                              f"pass {option} NAME; columns: {', '.join(map(str, columns))}")
    texts: list[str] = []
    labels: list[str] = []
    for row in rows:
        label = row.get(label_column)
        label = "" if label is None else str(label).strip()
        if not label:
            continue
        text = row.get(text_column)
        texts.append("" if text is None else str(text))
        labels.append(label)
    if not texts:
        raise PantauError(f"{path.name} has no labelled rows",
                          f"fill the {label_column!r} column")
    return texts, labels


def _chain(*parts):
    for part in parts:
        yield from part


def _json_rows(raw: str, path: Path) -> tuple[list[dict], list[str]]:
    import orjson

    try:
        if path.suffix.lower() == ".json" and raw.lstrip().startswith("["):
            rows = orjson.loads(raw)
        else:
            rows = [orjson.loads(line) for line in raw.splitlines() if line.strip()]
    except orjson.JSONDecodeError as exc:
        raise PantauError(f"{path.name} is not valid JSON: {exc}",
                          "use JSON lines (one object per line) or CSV") from None
    rows = [r for r in rows if isinstance(r, dict)]
    columns = list(dict.fromkeys(k for r in rows[:1000] for k in r))
    return rows, columns


def check_labels(labels: Sequence[str], allowed: Sequence[str] | None, task: str,
                 source: str) -> None:
    if allowed is None:
        return
    unknown = sorted(set(labels) - set(allowed))
    if unknown:
        example = ",".join(f"{u}={allowed[min(i, len(allowed) - 1)]}"
                           for i, u in enumerate(unknown[:3]))
        raise PantauError(
            f"label {unknown[0]!r} in {source} is not a {task} label"
            + (f" ({len(unknown)} unknown labels: {', '.join(unknown[:6])})"
               if len(unknown) > 1 else ""),
            f"valid labels: {', '.join(allowed)}; map the file's own names with --labels, "
            f"e.g. --labels {example}")


# -- fitting ------------------------------------------------------------------------------------
def fit_linear(texts: Sequence[str], labels: Sequence[str], *,
               config: FeatureConfig | None = None, C: float = SENTIMENT_C,
               label_order: Sequence[str] | None = None,
               sample_weight: np.ndarray | None = None,
               lexicon: Lexicon | None = None) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Multinomial logistic regression (balanced class weights) on the hashed features.
    Returns (weights (2**bits, k), bias (k,), label order)."""
    from sklearn.linear_model import LogisticRegression

    config = config or PROJECT_CONFIG
    classes = list(label_order) if label_order else sorted(set(labels))
    if len(set(labels)) < 2:
        raise PantauError("training needs at least two different labels",
                          f"the data holds only {sorted(set(labels))}")
    x = Featurizer(config, lexicon).matrix(texts)
    y = np.array([classes.index(label) for label in labels])
    model = LogisticRegression(C=C, class_weight="balanced", max_iter=3000)
    model.fit(x, y, sample_weight=sample_weight)
    coef = model.coef_.astype(np.float32)
    bias = model.intercept_.astype(np.float32)
    present = list(model.classes_)
    weights = np.zeros((x.shape[1], len(classes)), np.float32)
    b = np.zeros(len(classes), np.float32)
    if len(present) == 2 and coef.shape[0] == 1:  # binary: logits (0, w.x + b)
        weights[:, present[1]] = coef[0]
        b[present[1]] = bias[0]
    else:
        for row, cls in enumerate(present):
            weights[:, cls] = coef[row]
            b[cls] = bias[row]
        for cls in set(range(len(classes))) - set(present):
            b[cls] = -1e4  # a label absent from the data is never predicted
    return weights, b, classes


def cross_validated_f1(texts: Sequence[str], labels: Sequence[str], *, folds: int = 5,
                       config: FeatureConfig | None = None, C: float = SENTIMENT_C,
                       seed: int = 0, lexicon: Lexicon | None = None,
                       sample_weight: np.ndarray | None = None) -> float | None:
    """Macro-F1 of out-of-fold predictions (None when a class has fewer than `folds` texts)."""
    from sklearn.model_selection import StratifiedKFold

    from .evaluate import score

    counts = Counter(labels)
    if len(counts) < 2 or min(counts.values()) < folds:
        return None
    texts, labels = list(texts), list(labels)
    classes = sorted(counts)
    predicted = [""] * len(texts)
    splitter = StratifiedKFold(folds, shuffle=True, random_state=seed)
    for train_idx, test_idx in splitter.split(texts, labels):
        w, b, order = fit_linear([texts[i] for i in train_idx], [labels[i] for i in train_idx],
                                 config=config, C=C, label_order=classes, lexicon=lexicon,
                                 sample_weight=None if sample_weight is None
                                 else sample_weight[train_idx])
        model = LinearTextModel("cv", "0", order, w, b, config or PROJECT_CONFIG,
                                lexicon=lexicon)
        got, _ = model.predict_labels([texts[i] for i in test_idx])
        for i, label in zip(test_idx, got, strict=True):
            predicted[i] = label
    return score(labels, predicted, classes).macro_f1


# -- project-local models -----------------------------------------------------------------------
def train_project_model(project: Any, task_name: str, data: Path | str, *,
                        text_column: str = "text", label_column: str = "label",
                        folds: int = 5, header: bool = True,
                        label_map: dict[str, str] | None = None) -> dict:
    """Fit a replacement for one task from a user's coded texts and save it in the project
    (`label_map` renames the file's labels to the task's, see evaluate.parse_label_map)."""
    from . import registry

    spec = registry.task(task_name)
    if not spec.trainable:
        raise PantauError(f"task {spec.name!r} cannot be trained",
                          "trainable tasks: " + ", ".join(
                              t.name for t in registry.TASKS.values() if t.trainable))
    root = registry.project_root(project)
    if root is None:
        raise PantauError("training a project model needs a project",
                          "run inside a project folder or pass --project DIR")
    texts, labels = read_labelled(data, text_column, label_column, header=header)
    labels = apply_label_map(labels, label_map)
    check_labels(labels, spec.labels, spec.name, Path(data).name)
    counts = Counter(labels)
    if len(counts) < 2:
        raise PantauError(f"{Path(data).name} holds only the label {next(iter(counts))!r}",
                          "training needs texts of at least two labels")
    order = [label for label in (spec.labels or sorted(counts)) if label in counts] \
        if spec.labels else sorted(counts)
    config = PROJECT_CONFIG
    cv = cross_validated_f1(texts, labels, folds=folds, config=config) if folds > 1 else None
    weights, bias, classes = fit_linear(texts, labels, config=config, label_order=order)
    digest = hashlib.sha256(Path(data).read_bytes()).hexdigest()[:12]
    meta = {
        "task": spec.name, "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "data": Path(data).name, "data_sha256": digest, "text_column": text_column,
        "label_column": label_column, "n": len(texts), "label_counts": dict(counts),
        "cv_macro_f1": cv, "folds": folds, "C": SENTIMENT_C,
        **({"label_map": label_map} if label_map else {}),
    }
    path = registry.local_model_path(spec.name, root)
    model = LinearTextModel(spec.model_name, "local", classes, weights, bias, config, meta)
    model.save(path)
    return {"task": spec.name, "path": str(path), **meta}


# -- the shipped sentiment model ----------------------------------------------------------------
_KEY = re.compile(r"\w+")


def _dedupe_key(text: str) -> str:
    return " ".join(_KEY.findall(text.lower()))


def read_smsa(path: Path) -> tuple[list[str], list[str]]:
    texts, labels = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            text, label = line.rsplit("\t", 1)
            texts.append(text)
            labels.append(label.strip())
    return texts, labels


def read_csv_columns(path: Path, text: str, label: str) -> tuple[list[str], list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [r[text] for r in rows], [r[label] for r in rows]


REPO = Path(__file__).resolve().parents[3]
# the project's own political sentences (written for training; the evaluation set in
# data/eval/ is never read here: tests/models/test_sentiment_training.py checks it)
POLITICAL_TRAIN = REPO / "data" / "train" / "sentiment_political.tsv"
# Per-source weights: the target is political social-media text, so product reviews count less
# and the project's political sentences more; news sentences from FacQA passages teach that
# reporting is neutral. Chosen by hand between two trainings (model card), not by a search.
SOURCE_WEIGHTS = {"smsa": 0.4, "nusax": 1.0, "emot": 1.0, "political": 6.0, "news": 0.5}
NEWS_SENTENCES = 1500  # FacQA passages used as neutral news text


def read_political(path: Path = POLITICAL_TRAIN) -> tuple[list[str], list[str]]:
    """label<TAB>text rows (header first)."""
    texts, labels = [], []
    for k, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if k == 0 or not line.strip():
            continue
        label, text = line.split("\t", 1)
        labels.append(label.strip())
        texts.append(text.strip())
    return texts, labels


def read_news_sentences(path: Path, limit: int, seed: int = 0) -> list[str]:
    """FacQA passages (news sentences stored as token lists), joined, a fixed random sample."""
    import ast
    import random

    rows = read_csv_columns(path, "passage", "passage")[0]
    passages = []
    for raw in rows:
        try:
            tokens = ast.literal_eval(raw)
        except (ValueError, SyntaxError):
            continue
        text = " ".join(tokens)
        for a, b in ((" ,", ","), (" .", "."), (" ?", "?"), ("( ", "("), (" )", ")")):
            text = text.replace(a, b)
        if 40 <= len(text) <= 280:
            passages.append(text)
    passages = sorted(set(passages))
    random.Random(seed).shuffle(passages)
    return passages[:limit]


def read_inset(folder: Path) -> dict[str, float]:
    """InSet word -> weight; a word in both lists gets the sum of its two weights. Phrases
    (several words) are left out: the features look at single words."""
    table: dict[str, float] = {}
    for name in ("positive.tsv", "negative.tsv"):
        for k, line in enumerate((folder / name).read_text(encoding="utf-8").splitlines()):
            parts = line.split("\t")
            if k == 0 or len(parts) < 2 or " " in parts[0].strip():
                continue
            try:
                table[parts[0].strip().lower()] = table.get(parts[0].strip().lower(), 0.0) \
                    + float(parts[1])
            except ValueError:
                continue
    return table


def sentiment_lexicon(shared: Path, featurizer: Featurizer | None = None) -> tuple[Lexicon, dict]:
    """InSet (../shared/data/inset-lexicon) with the project's lexicons/sentiment.toml over it;
    negators are left out (the negation scope handles them)."""
    from . import lexicons
    from .linear import NEGATORS

    own = lexicons.load("sentiment").data
    inset = read_inset(shared / "data" / "inset-lexicon")
    words = {k: float(v) for k, v in own.get("words", {}).items()}
    lex = Lexicon.build([inset, words], own.get("contrast", []), own.get("sarcasm", []),
                        featurizer, exclude=NEGATORS)
    return lex, {"inset_words": len(inset), "own_words": len(words),
                 "entries": len(lex.hashes)}


def sentiment_training_data(shared: Path) -> dict[str, Any]:
    """SmSA train + NusaX-senti id train + IndoNLU EmoT train (emotions mapped onto
    sentiment: anger/fear/sadness -> negative, happy/love -> positive) + the project's own
    political sentences (data/train/) + FacQA news sentences as neutral. Every training text
    whose words equal those of a SmSA-valid or NusaX valid/test text is dropped, because NusaX
    reuses SmSA sentences (110 of its 400 test texts are in SmSA train)."""
    data = shared / "data"
    smsa_x, smsa_y = read_smsa(data / "indonlu-smsa" / "train_preprocess.tsv")
    nusax_x, nusax_y = read_csv_columns(data / "nusax-senti-id" / "train.csv", "text", "label")
    emot_x, emot_raw = read_csv_columns(data / "indonlu-emot" / "train_preprocess.csv",
                                        "tweet", "label")
    political_x, political_y = read_political()
    news_x = read_news_sentences(data / "indonlu-facqa" / "train_preprocess.csv",
                                 NEWS_SENTENCES)
    emot_y = [EMOT_TO_SENTIMENT[e] for e in emot_raw]
    held_out: set[str] = set()
    for texts in (read_smsa(data / "indonlu-smsa" / "valid_preprocess.tsv")[0],
                  read_csv_columns(data / "nusax-senti-id" / "valid.csv", "text", "label")[0],
                  read_csv_columns(data / "nusax-senti-id" / "test.csv", "text", "label")[0]):
        held_out.update(_dedupe_key(t) for t in texts)
    texts, labels, sources = [], [], []
    dropped = Counter()
    for name, xs, ys in (("smsa", smsa_x, smsa_y), ("nusax", nusax_x, nusax_y),
                         ("emot", emot_x, emot_y), ("political", political_x, political_y),
                         ("news", news_x, ["neutral"] * len(news_x))):
        for x, y in zip(xs, ys, strict=True):
            if _dedupe_key(x) in held_out:
                dropped[name] += 1
                continue
            texts.append(x)
            labels.append(y)
            sources.append(name)
    return {"texts": texts, "labels": labels, "sources": sources,
            "dropped_as_held_out": dict(dropped),
            "counts": dict(Counter(sources)), "label_counts": dict(Counter(labels))}


def source_weights(sources: Sequence[str],
                   weights: dict[str, float] | None = None) -> np.ndarray:
    weights = weights or SOURCE_WEIGHTS
    return np.array([weights.get(s, 1.0) for s in sources], np.float64)


def train_sentiment(shared: Path, *, version: str) -> tuple[LinearTextModel, dict]:
    from .registry import SENTIMENT_LABELS

    data = sentiment_training_data(shared)
    lexicon, lexicon_info = sentiment_lexicon(shared, Featurizer(SENTIMENT_CONFIG))
    weights, bias, classes = fit_linear(data["texts"], data["labels"], config=SENTIMENT_CONFIG,
                                        C=SENTIMENT_C, label_order=SENTIMENT_LABELS,
                                        sample_weight=source_weights(data["sources"]),
                                        lexicon=lexicon)
    meta = {
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "training": {k: v for k, v in data.items() if k not in ("texts", "labels", "sources")},
        "C": SENTIMENT_C, "class_weight": "balanced", "source_weights": SOURCE_WEIGHTS,
        "lexicon": lexicon_info,
        "sources": ["IndoNLU SmSA train (MIT; SEACrowd lists CC BY-SA 4.0)",
                    "NusaX-senti Indonesian train (CC BY-SA 4.0)",
                    "IndoNLU EmoT train, emotions mapped to sentiment (MIT; SEACrowd lists "
                    "CC BY-SA 4.0)",
                    "IndoNLU FacQA train passages as neutral news sentences (MIT; SEACrowd "
                    "lists CC BY-SA 4.0)",
                    "pantau's own political sentences, data/train/sentiment_political.tsv",
                    "InSet lexicon (Koto & Rahmaningtyas 2017; no licence stated), hashed, "
                    "with pantau's lexicons/sentiment.toml"],
    }
    model = LinearTextModel("sentiment", version, classes, weights, bias, SENTIMENT_CONFIG, meta,
                            lexicon=lexicon)
    return model, data
