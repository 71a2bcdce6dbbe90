"""The hate suite (data/eval) is a test set: well-formed, and kept out of training."""

from __future__ import annotations

import ast
import csv
import importlib.util
import re
from collections import Counter
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SUITE = REPO / "data" / "eval" / "hate_functional_id.csv"
TRAIN = REPO / "data" / "train" / "toxicity_train_id.csv"


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def script(name: str):
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def words(text: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", text.lower()))


def test_suite_is_well_formed_and_large_enough():
    rows = read(SUITE)
    assert len(rows) >= 1000
    assert len({r["case_id"] for r in rows}) == len(rows)
    assert {r["label"] for r in rows} == {"hate", "abusive", "none"}
    groups = {r["group"] for r in rows} - {"-"}
    assert len(groups) >= 20
    functionalities = Counter(r["functionality"] for r in rows)
    for needed in ("derogation_emotion", "threat_direct", "threat_normative", "dehumanisation",
                   "slur", "hate_negation", "counter_quote", "counter_reference",
                   "identity_neutral", "identity_positive", "negated_hate", "abuse_object",
                   "abuse_nonprotected_group", "spelling_leet"):
        assert functionalities[needed] > 0, needed


def test_suite_file_is_what_its_script_writes():
    built = script("build_hate_suite").build()
    rows = read(SUITE)
    assert [(r["case_id"], r["text"], r["label"]) for r in rows] == \
        [(r["case_id"], r["text"], r["label"]) for r in built]


def code_strings(path: Path) -> list[str]:
    """String constants of a module's code (docstrings left out: they may name the rule)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {id(node.body[0].value) for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef) and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)}
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)
            and isinstance(n.value, str) and id(n) not in docs]


def test_training_code_names_no_test_set():
    for path in (REPO / "scripts" / "train_toxicity.py",
                 REPO / "scripts" / "build_toxicity_train.py",
                 REPO / "src" / "pantau" / "models" / "train.py",
                 REPO / "src" / "pantau" / "models" / "toxicity.py"):
        for value in code_strings(path):
            low = value.lower().strip("/")
            assert low != "eval", f"{path.name}: {value!r}"
            for name in ("data/eval", "eval/", "hate_functional", "political_comments"):
                assert name not in low, f"{path.name}: {value!r}"


def test_training_reads_no_file_under_data_eval(shared_dir, monkeypatch):
    train = script("train_toxicity")
    opened: list[Path] = []
    real_open = Path.open

    def recording_open(self, *args, **kwargs):
        opened.append(self.resolve())
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", recording_open)
    real_read = Path.read_text
    monkeypatch.setattr(Path, "read_text", lambda self, *a, **k: (
        opened.append(self.resolve()), real_read(self, *a, **k))[1])
    from pantau.models import toxicity

    texts, labels, _ = train.training_data(shared_dir, toxicity.ToxicityClassifier())
    assert len(texts) == len(labels) > 500
    assert opened, "the recorder saw no file"
    assert not [p for p in opened if (REPO / "data" / "eval") in p.parents]


def test_no_training_sentence_is_a_test_case():
    test_texts = {words(r["text"]) for r in read(SUITE)}
    political = REPO / "data" / "eval" / "political_comments_id.csv"
    if political.is_file():
        test_texts |= {words(r["text"]) for r in read(political)}
    shared = [r["text"] for r in read(TRAIN) if words(r["text"]) in test_texts]
    assert shared == []


def test_training_file_is_what_its_script_writes():
    assert [r["text"] for r in read(TRAIN)] == [r["text"] for r in script(
        "build_toxicity_train").rows()]


@pytest.mark.parametrize("text, label", [
    ("Mampir ke warung nasi padang di Ciketing Udik", "none"),
    ("Q&A bareng Nurul: dari PJU mati sampai pemberdayaan perempuan", "none"),
    ("sampah numpuk di pinggir kali", "none"),
    ("orang buddhis tuh sok spesial. Gw benci mereka.", "hate"),
    ("Seharusnya seseorang tusuk aja para ateis.", "hate"),
    ("orang madura nggak pantas hidup kayak manusia lain.", "hate"),
])
def test_the_issues_failures(text, label):
    from pantau.models import toxicity

    assert toxicity.load().predict([text])[0].label == label
