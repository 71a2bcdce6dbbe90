"""Text tasks are declarative: a task's registry entry says how many label rows it writes, with
what evidence, which other tasks' predictions it reuses and what it reads; enrich follows the
entry and never branches on a task's name. A new classifier needs only its entry."""

from __future__ import annotations

import ast
import dataclasses
import sys
import types
from pathlib import Path

import pytest

from pantau import enrich as enrichment
from pantau.models import registry, rows
from pantau.models.base import Prediction
from tests.conftest import query
from tests.text.test_enrich import fill

SRC = Path(registry.__file__).resolve().parents[1]  # src/pantau


class Shouty:
    """A toy classifier: 'loud' when the text has an exclamation mark."""

    NAME = "shouty"
    VERSION = "1"
    LABELS = ("loud", "calm")

    def __init__(self) -> None:
        self.toxicity = None
        self.calls = 0

    def predict(self, texts):
        self.calls += 1
        out = []
        for text in texts:
            loud = "!" in (text or "")
            out.append(Prediction("loud" if loud else "calm", {"loud": 0.9 if loud else 0.1},
                                  ["!"] if loud else None, ["bang"] if loud else None))
        return out


class Exclaims(Shouty):
    """Reads the toxicity task's predictions through its `toxicity` attribute."""

    NAME = "exclaims"

    def predict(self, texts):
        tox = self.toxicity.predict(texts)
        return [Prediction("yes" if "!" in (t or "") else "no", {},
                           None, [p.label for p in tox]) for t in texts]


@pytest.fixture
def toy_module(monkeypatch):
    module = types.ModuleType("pantau_toy_models")
    module.shouty = Shouty()
    module.exclaims = Exclaims()
    module.load_shouty = lambda: module.shouty
    module.load_exclaims = lambda: module.exclaims
    monkeypatch.setitem(sys.modules, "pantau_toy_models", module)
    return module


def _add(monkeypatch, task: registry.Task) -> None:
    monkeypatch.setitem(registry.TASKS, task.name, task)


def test_a_new_one_row_task_with_evidence_and_extra_rows_needs_only_its_entry(
        project, monkeypatch, toy_module):
    fill(project)
    _add(monkeypatch, registry.Task(
        "shouty", "shouty", ("shout", "shout_target"), ("comment",),
        (("pantau_toy_models", "load_shouty"),), Shouty.LABELS, evidence=True,
        extra_rows=_target_rows))
    result = enrichment.enrich(project, tasks=["shouty"])
    assert result.sources["shouty"] == "model:shouty@1"
    got = query(project, "SELECT target_id, scheme, value, score, evidence FROM labels "
                "WHERE scheme LIKE 'shout%' ORDER BY target_id, scheme")
    loud = {r["target_id"] for r in got if r["value"] == "loud"}
    assert loud == {"c0", "c4"}
    assert {r["target_id"] for r in got if r["scheme"] == "shout"} == \
        {f"c{i}" for i in range(7)}  # exactly one row per comment
    assert [r["target_id"] for r in got if r["scheme"] == "shout_target"] == ["c0", "c4"]
    assert all(r["evidence"] == '["!"]' for r in got if r["value"] == "loud")
    # one row per item: the row itself records the item was seen, no state row
    assert query(project, "SELECT count(*) AS n FROM enrich_state WHERE task = 'shouty'")[0][
        "n"] == 0
    again = enrichment.enrich(project, tasks=["shouty"])
    assert again.items == {"comment": 0}


def _target_rows(task, cols, target, platforms, ids, preds, source):
    for p, i, pred in zip(platforms.to_pylist(), ids.to_pylist(), preds, strict=True):
        for t in pred.targets or ():
            for column, value in zip(rows.LABEL_COLUMNS, (p, target, i, "shout_target", t,
                                                          None, source, None), strict=True):
                cols[column].append(value)


def test_a_new_task_with_a_varying_number_of_rows_keeps_state(project, monkeypatch,
                                                              toy_module):
    fill(project)
    _add(monkeypatch, registry.Task(
        "shouty", "shouty", ("shout_target",), ("comment",),
        (("pantau_toy_models", "load_shouty"),), None, rows=rows.ANY,
        build_rows=_target_rows))
    enrichment.enrich(project, tasks=["shouty"])
    got = query(project, "SELECT target_id FROM labels WHERE scheme = 'shout_target' "
                "ORDER BY 1")
    assert [r["target_id"] for r in got] == ["c0", "c4"]
    # no row for the calm comments: the state table says they were seen
    assert query(project, "SELECT count(*) AS n FROM enrich_state WHERE task = 'shouty'")[0][
        "n"] == 7
    assert enrichment.enrich(project, tasks=["shouty"]).items == {"comment": 0}


def test_a_task_without_a_row_builder_is_refused():
    task = registry.Task("broken", "broken", ("b",), ("comment",), (), None, rows=rows.ANY)
    with pytest.raises(ValueError, match="build_rows"):
        rows.label_rows(task, rows.empty_columns(), "comment", None, None, [], "model:b@1")


def test_a_consumer_reuses_the_predictions_of_the_task_it_consumes(project, monkeypatch,
                                                                   toy_module):
    """The consumed model is replayed: it is not asked to predict the same texts again."""
    fill(project)
    tox = registry.load("toxicity")
    toy_module.exclaims.toxicity = tox
    _add(monkeypatch, registry.Task(
        "exclaims", "exclaims", ("exclaims",), ("comment",),
        (("pantau_toy_models", "load_exclaims"),), None, consumes=("toxicity",)))
    calls = []
    original = type(tox).predict
    monkeypatch.setattr(type(tox), "predict",
                        lambda self, texts: calls.append(len(texts)) or original(self, texts))
    enrichment.enrich(project, tasks=["exclaims", "toxicity"], workers=0)
    assert len(calls) == 2  # the toxicity task, on comments and on posts; never the consumer
    assert toy_module.exclaims.toxicity is tox  # the real model is put back afterwards
    calls.clear()
    enrichment.enrich(project, tasks=["exclaims"], workers=0)
    assert calls == []  # nothing new to label


def test_run_order_puts_consumed_tasks_first_and_refuses_a_circle(monkeypatch):
    order = registry.run_order(["lang", "category", "question", "sentiment", "toxicity"])
    assert order.index("toxicity") < order.index("question") < order.index("category")
    assert order.index("sentiment") < order.index("category")
    assert sorted(order) == sorted(["lang", "category", "question", "sentiment", "toxicity"])
    spec = registry.TASKS["toxicity"]
    monkeypatch.setitem(registry.TASKS, "toxicity",
                        dataclasses.replace(spec, consumes=("category",)))
    with pytest.raises(ValueError, match="circle"):
        registry.run_order(["category", "toxicity"])


def test_every_registered_task_is_complete():
    for name, task in registry.TASKS.items():
        assert task.name == name
        assert task.schemes and set(task.targets) <= {"post", "comment"}
        assert task.rows in (rows.ONE, rows.ANY)
        if task.rows == rows.ANY:
            assert task.build_rows is not None, name
        assert set(task.consumes) <= set(registry.TASKS), name
        assert set(task.inputs) <= {"authors", registry.DUPLICATE_GROUP}, name
    enriched = tuple(t for t in registry.TASKS if registry.TASKS[t].enrich)
    assert enriched == registry.DEFAULT_TASKS
    assert enrichment.DEFAULT_TASKS == registry.DEFAULT_TASKS
    registry.run_order(list(registry.TASKS))  # no circle among the shipped tasks


def test_enrich_and_the_text_command_never_name_a_task():
    """Behaviour per task lives in the registry: no task name as a string literal here."""
    names = set(registry.TASKS)
    for path in [*sorted((SRC / "enrich").glob("*.py")), SRC / "enrich.py",
                 SRC / "cli" / "text_cmds.py"]:
        if not path.is_file():
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
                      and node.body and isinstance(node.body[0], ast.Expr)}
        found = [node.value for node in ast.walk(tree)
                 if isinstance(node, ast.Constant) and node.value in names
                 and id(node) not in docstrings]
        assert not found, f"{path.name} names tasks {found}"
