"""`pantau models list|evaluate|train|forget`, reading labelled files, project-local models."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pantau.errors import PantauError
from pantau.models import registry
from pantau.models.evaluate import score
from pantau.models.train import read_labelled, train_project_model
from tests.test_cli import run

POSITIVE = ["mantap pak lanjutkan", "semoga amanah pak", "keren programnya", "salut pak wali",
            "terima kasih sudah diperbaiki", "bagus sekali kerjanya", "setuju pak", "top pak"]
NEGATIVE = ["jalan rusak tidak diperbaiki", "kecewa sama janjinya", "banjir lagi parah",
            "pembohong", "gk becus", "sampah numpuk bau", "macet parah tiap hari", "payah"]


def write_csv(path: Path, rows: list[tuple[str, str]], header=("text", "label")) -> Path:
    import csv

    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        if header:
            w.writerow(header)
        w.writerows(rows)
    return path


def one_line_error(result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines[0].startswith("Error:"), result.output
    return result.output


@pytest.fixture
def labelled(tmp_path) -> Path:
    rows = [(t, "positive") for t in POSITIVE] + [(t, "negative") for t in NEGATIVE]
    return write_csv(tmp_path / "coded.csv", rows)


def test_score_macro_f1_and_confusion():
    s = score(["a", "a", "b", "b"], ["a", "b", "b", "b"], ["a", "b"])
    assert s.confusion == [[1, 1], [0, 2]]
    assert s.per_class["a"]["precision"] == 1.0 and s.per_class["a"]["recall"] == 0.5
    assert s.macro_f1 == pytest.approx((2 / 3 + 0.8) / 2, abs=1e-4)


def test_read_labelled_formats_and_errors(tmp_path):
    path = write_csv(tmp_path / "x.tsv", [], header=None)
    path.write_text("isi\tkelas\nbagus\tpositive\n\t\nburuk\t\n", encoding="utf-8")
    assert read_labelled(path, "isi", "kelas") == (["bagus"], ["positive"])
    jl = tmp_path / "x.jsonl"
    jl.write_text('{"text": "a", "label": "neutral"}\n{"text": "b"}\n', encoding="utf-8")
    assert read_labelled(jl) == (["a"], ["neutral"])
    raw = tmp_path / "raw.tsv"
    raw.write_text("bagus sekali\tpositive\n", encoding="utf-8")
    assert read_labelled(raw, "1", "2", header=False) == (["bagus sekali"], ["positive"])
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    with pytest.raises(PantauError, match="empty"):
        read_labelled(tmp_path / "empty.csv")
    with pytest.raises(PantauError, match="column 'teks'"):
        read_labelled(jl, "teks")
    with pytest.raises(PantauError, match="does not exist"):
        read_labelled(tmp_path / "nope.csv")


def test_evaluate_cli(labelled):
    result = run("models", "evaluate", "--task", "sentiment", "--data", str(labelled), "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["n"] == 16 and 0.0 <= out["macro_f1"] <= 1.0
    assert out["labels"] == ["positive", "negative", "neutral"]
    assert len(out["confusion"]["matrix"]) == 3
    assert out["source"].startswith("model:sentiment@")
    text = run("models", "evaluate", "--task", "sentiment", "--data", str(labelled))
    assert "macro-F1" in text.output and "Confusion" in text.output


def test_evaluate_cli_errors(tmp_path, labelled):
    out = one_line_error(run("models", "evaluate", "--task", "sentiment", "--data",
                             str(labelled), "--label-column", "kelas"))
    assert "column 'kelas'" in out and "columns: text, label" in out
    bad = write_csv(tmp_path / "bad.csv", [("ok", "positive"), ("hmm", "senang")])
    out = one_line_error(run("models", "evaluate", "--task", "sentiment", "--data", str(bad)))
    assert "'senang'" in out and "valid labels: positive, negative, neutral" in out
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    one_line_error(run("models", "evaluate", "--task", "sentiment", "--data",
                       str(tmp_path / "empty.csv")))
    one_line_error(run("models", "evaluate", "--task", "nope", "--data", str(labelled)))


def test_train_project_model_and_registry_prefers_it(project, labelled):
    summary = train_project_model(project, "sentiment", labelled, folds=2)
    path = Path(summary["path"])
    assert path == project.root / "models" / "sentiment.joblib" and path.is_file()
    assert summary["n"] == 16 and summary["label_counts"] == {"positive": 8, "negative": 8}
    local = registry.load("sentiment", project)
    assert local.VERSION.startswith("local-") and local.NAME == "sentiment"
    assert local.LABELS == ("positive", "negative")
    assert registry.load("sentiment", project.root) is local  # cached per file
    assert registry.load("sentiment").VERSION != local.VERSION  # no project: the shipped one
    preds = local.predict(["mantap pak lanjutkan", "banjir lagi parah"])
    assert [p.label for p in preds] == ["positive", "negative"]


def test_train_cli(project, labelled, tmp_path):
    result = run("models", "train", "--task", "sentiment", "--data", str(labelled),
                 "--project", str(project.root), "--folds", "2", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["task"] == "sentiment"
    listing = json.loads(run("models", "list", "--project", str(project.root), "--json").output)
    row = next(r for r in listing if r["task"] == "sentiment")
    assert row["model"] == "project" and "@local-" in row["source"]
    gone = run("models", "forget", "--task", "sentiment", "--project", str(project.root))
    assert gone.exit_code == 0 and "Deleted" in gone.output
    assert not (project.root / "models" / "sentiment.joblib").exists()
    one_line = write_csv(tmp_path / "one.csv", [("a", "positive"), ("b", "positive")])
    out = one_line_error(run("models", "train", "--task", "sentiment", "--data", str(one_line),
                             "--project", str(project.root)))
    assert "two labels" in out
    out = one_line_error(run("models", "train", "--task", "lang", "--data", str(labelled),
                             "--project", str(project.root)))
    assert "cannot be trained" in out


def test_registry_uses_a_model_learnt_from_the_coders(project, labelled):
    """pantau.web.learn saves models/coding-SCHEME.joblib; the newer project file wins."""
    import time

    from pantau.models.linear import LinearTextModel

    summary = train_project_model(project, "sentiment", labelled, folds=0)
    trained = LinearTextModel.load(summary["path"])
    time.sleep(0.01)
    coding = project.root / "models" / "coding-sentiment.joblib"
    LinearTextModel("coding-sentiment", "20241127.abc", trained.LABELS, trained.weights,
                    trained.bias, trained.config).save(coding)
    model = registry.load("sentiment", project)
    assert (model.NAME, model.VERSION) == ("coding-sentiment", "20241127.abc")
    listing = json.loads(run("models", "list", "--project", str(project.root), "--json").output)
    assert next(r for r in listing if r["task"] == "sentiment")["model"] == "coders"
