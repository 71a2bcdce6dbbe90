"""Issue 14 point 14: `pantau models evaluate` and `train` accept a dataset's own label names
through --labels (e.g. negatif=negative); macro-F1 averages over the classes the gold labels
hold, while the per-class table still lists every class."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pantau.errors import PantauError
from pantau.models.evaluate import parse_label_map, score
from tests.test_cli import run
from tests.text.test_models_cli import NEGATIVE, POSITIVE, write_csv


@pytest.fixture
def indonesian_labels(tmp_path) -> Path:
    rows = [(t, "positif") for t in POSITIVE] + [(t, "negatif") for t in NEGATIVE]
    return write_csv(tmp_path / "berlabel.csv", rows)


def test_macro_f1_is_over_the_gold_classes():
    # gold never holds "neutral"; one text was predicted neutral
    gold = ["positive", "positive", "negative", "negative"]
    predicted = ["positive", "neutral", "negative", "negative"]
    s = score(gold, predicted, ["positive", "negative", "neutral"])
    f1_pos, f1_neg = 2 / 3, 1.0
    assert s.macro_f1 == pytest.approx((f1_pos + f1_neg) / 2, abs=1e-4)
    assert set(s.per_class) == {"positive", "negative", "neutral"}  # full table still there
    assert s.per_class["neutral"]["support"] == 0


def test_parse_label_map():
    assert parse_label_map("negatif=negative, positif=positive,netral=neutral",
                           ("positive", "negative", "neutral")) == {
        "negatif": "negative", "positif": "positive", "netral": "neutral"}
    with pytest.raises(PantauError, match="negatif"):
        parse_label_map("negatif", ("negative",))
    with pytest.raises(PantauError, match="'jelek'"):
        parse_label_map("negatif=jelek", ("positive", "negative", "neutral"))


def test_evaluate_with_a_label_mapping(indonesian_labels):
    refused = run("models", "evaluate", "--task", "sentiment", "--data", str(indonesian_labels))
    assert refused.exit_code == 1 and "--labels" in refused.output
    result = run("models", "evaluate", "--task", "sentiment", "--data", str(indonesian_labels),
                 "--labels", "negatif=negative,positif=positive", "--json")
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert scores["n"] == len(POSITIVE) + len(NEGATIVE)
    assert scores["per_class"]["positive"]["support"] == len(POSITIVE)
    assert "neutral" in scores["per_class"]
    f1s = [scores["per_class"][c]["f1"] for c in ("positive", "negative")]
    assert scores["macro_f1"] == pytest.approx(sum(f1s) / 2, abs=2e-4)
    assert scores["label_map"] == {"negatif": "negative", "positif": "positive"}


def test_train_with_a_label_mapping(indonesian_labels, make_project):
    project = make_project()
    result = run("models", "train", "--project", str(project.root), "--task", "sentiment",
                 "--data", str(indonesian_labels), "--labels",
                 "negatif=negative,positif=positive", "--folds", "0", "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["label_counts"] == {"positive": len(POSITIVE), "negative": len(NEGATIVE)}
