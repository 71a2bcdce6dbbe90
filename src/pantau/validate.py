"""Validation of the models against coders: stratified samples, accuracy, corrected estimates.

    pantau validate --task sentiment --coders ana,budi      # draw (coded blind in Coding)
    pantau validate report                                  # accuracy + corrected shares

A validation sample is a coding sample (web/coding.py) plus its design: which task and model
version it checks, the strata (the model's predicted label; its main label for a several-value
scheme) with their population sizes, and each item's stratum. Within a stratum the items are
spread over candidate x platform cells in proportion to their size (implicit stratification),
in a random order fixed by the seed. The statistics are in analysis/validation.py.

Tables (documented in docs/DEVELOPING.md):
    validation_designs(sample_id, task, schemes, target, model_source, strata, ci_width,
                       strategy, created_at)       strata: JSON {stratum: population N_h}
    validation_items(sample_id, platform, target_id, stratum)
and the derived analysis_validation_accuracy / analysis_validation_estimates that `pantau
analyze` and `pantau validate report` write (the report and the web app read them).

Only samples with strategy 'random' (the design above) enter the estimates; samples drawn with
`pantau coding sample --strategy uncertain` (active learning) are coded like any other and feed
training, never accuracy or correction.
"""

from __future__ import annotations

import json
import math
import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .analysis import validation as V
from .errors import PantauError
from .models import registry
from .models.codebook import Codebook

SCHEMA = """
CREATE TABLE IF NOT EXISTS validation_designs (
    sample_id BIGINT NOT NULL, task VARCHAR NOT NULL, schemes VARCHAR[], target VARCHAR,
    model_source VARCHAR, strata VARCHAR, ci_width DOUBLE, strategy VARCHAR DEFAULT 'random',
    created_at TIMESTAMP DEFAULT (now()::TIMESTAMP));
CREATE TABLE IF NOT EXISTS validation_items (
    sample_id BIGINT NOT NULL, platform VARCHAR NOT NULL, target_id VARCHAR NOT NULL,
    stratum VARCHAR);
"""
NONE = "none"  # the stratum of items a several-value model gave no value
GROUP_ALL = "all"


class Rows:
    """A store connection seen through WebStore's read interface (rows/one), so that the
    coding functions read from `pantau analyze`'s connection too."""

    def __init__(self, con: Any) -> None:
        self.con = con

    def rows(self, sql: str, params: Any = None, *, cache: bool = False) -> list[dict[str, Any]]:
        return self.con.execute(sql, list(params) if params is not None else []).dicts()

    def one(self, sql: str, params: Any = None, *, cache: bool = False) -> dict[str, Any] | None:
        found = self.rows(sql, params)
        return found[0] if found else None


def _rows(con, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    """Rows as dicts from a WebStore (rows) or a store connection / analysis Context."""
    if hasattr(con, "rows"):
        return con.rows(sql, params or [], cache=False)
    if hasattr(con, "con") and not hasattr(con, "execute"):
        con = con.con
    return con.execute(sql, params or []).dicts()


def _has_table(con, name: str) -> bool:
    return bool(_rows(con, "SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = ?",
                      [name])[0]["n"])


def ensure_tables(tx) -> None:
    for statement in SCHEMA.split(";"):
        if statement.strip():
            tx.execute(statement)


# -- what can be validated --------------------------------------------------------------------
@dataclass(frozen=True)
class Validatable:
    task: str
    schemes: tuple[str, ...]  # the codebook variables coders fill (the main one first)
    target: str
    multiple: bool  # the main scheme takes several values

    @property
    def scheme(self) -> str:
        return self.schemes[0]


def validatable(codebook: Codebook, task: str | None = None) -> list[Validatable]:
    """The registry's tasks whose label schemes are codebook variables (coders can code
    them). Generic over the registry: a new task is validatable once the codebook has a
    variable named like its main scheme."""
    out = []
    for spec in registry.TASKS.values():
        if task and spec.name != task:
            continue
        schemes = tuple(s for s in spec.schemes if s in codebook.variables)
        if not schemes or schemes[0] != spec.schemes[0]:
            continue
        variable = codebook.variables[schemes[0]]
        out.append(Validatable(spec.name, schemes, variable.target, variable.multiple))
    if task and not out:
        names = [v.task for v in validatable(codebook)]
        raise PantauError(f"task {task!r} cannot be validated here",
                          f"tasks with a codebook variable: {', '.join(names) or '(none)'}")
    return out


def _population_sql(target: str) -> tuple[str, str]:
    """FROM clause and key column of the items a model's figures in the report rest on:
    posts of the listed accounts, and the comments under them."""
    if target == "post":
        return ("posts t JOIN accounts a ON a.platform = t.platform "
                "AND a.account_id = t.account_id AND a.candidate_id IS NOT NULL", "post_id")
    return ("comments t JOIN posts p ON p.platform = t.platform AND p.post_id = t.post_id "
            "JOIN accounts a ON a.platform = p.platform AND a.account_id = p.account_id "
            "AND a.candidate_id IS NOT NULL", "comment_id")


def predictions_sql(scheme: str, target: str) -> str:
    """(platform, target_id, candidate_id, value, source, labels) per item of the population:
    the latest model's label (value: the one-value label or the main — highest-scoring — value,
    'none' when a several-value model gave none; labels: every value it gave)."""
    source, key = _population_sql(target)
    return f"""
        WITH m AS (
            SELECT platform, target_id, source,
                   list(value ORDER BY score DESC NULLS LAST, value)
                       FILTER (WHERE value IS NOT NULL) AS vals,
                   max(created_at) AS latest
            FROM labels WHERE scheme = '{scheme}' AND target = '{target}'
              AND source LIKE 'model:%' GROUP BY ALL),
        best AS (SELECT platform, target_id, arg_max(source, latest) AS source
                 FROM m GROUP BY ALL)
        SELECT t.platform, t.{key} AS target_id, a.candidate_id,
               coalesce(m.vals[1], '{NONE}') AS value, m.source,
               coalesce(m.vals, []) AS labels
        FROM {source}
        LEFT JOIN best b ON b.platform = t.platform AND b.target_id = t.{key}
        LEFT JOIN m ON m.platform = b.platform AND m.target_id = b.target_id
                    AND m.source = b.source
        WHERE t.text IS NOT NULL AND length(trim(t.text)) > 0"""


# -- drawing ----------------------------------------------------------------------------------
def allocate(population: dict[str, int], *, ci_width: float, size: int | None = None,
             minimum: int = 10) -> dict[str, int]:
    """Items to code per stratum: enough for a 95% interval of width `ci_width` on the
    stratum's precision; with `size`, that many in all, spread as evenly as the strata allow
    (small strata give their spare items to the others), never fewer than `minimum` per
    stratum where it has them."""
    wanted = {h: V.stratum_size(n, ci_width) for h, n in population.items() if n > 0}
    if size is None:
        return wanted
    alloc = {h: 0 for h in wanted}
    left = size
    open_ = sorted(wanted, key=lambda h: population[h])
    while left > 0 and open_:
        share = max(1, left // len(open_))
        for h in list(open_):
            give = min(share, population[h] - alloc[h], left)
            alloc[h] += give
            left -= give
            if alloc[h] >= population[h]:
                open_.remove(h)
            if left <= 0:
                break
    for h in alloc:
        alloc[h] = max(alloc[h], min(minimum, population[h]))
    return alloc


def _spread(cells: dict[str, int], n: int) -> dict[str, int]:
    """n items over cells in proportion to their sizes (largest remainder)."""
    total = sum(cells.values())
    if total <= n:
        return dict(cells)
    exact = {c: n * k / total for c, k in cells.items()}
    out = {c: math.floor(v) for c, v in exact.items()}
    for c in sorted(exact, key=lambda c: exact[c] - out[c], reverse=True)[:n - sum(out.values())]:
        out[c] += 1
    return out


def draw(db, codebook: Codebook, task: str, *, coders: list[str], overlap: float = 0.2,
         ci_width: float = 0.2, size: int | None = None, seed: int | None = None,
         name: str | None = None, created_by: str | None = None) -> dict[str, Any]:
    """Draw a validation sample for one task (see the module doc); returns its summary."""
    from .web import coding

    (spec,) = validatable(codebook, task)
    if not 0 < ci_width < 1:
        raise PantauError("--ci-width is the width of the 95% interval, between 0 and 1",
                          "e.g. 0.2 for about ±10 percentage points")
    seed = secrets.randbelow(2**31) if seed is None else int(seed)
    # a several-value model writes nothing for an item with no value: such items are its
    # 'none' stratum; a one-value model labels every item it saw
    preds = f"SELECT * FROM ({predictions_sql(spec.scheme, spec.target)})" + (
        "" if spec.multiple else " WHERE source IS NOT NULL")
    sources = _rows(db, f"SELECT source, count(*) AS n FROM ({preds}) WHERE source IS NOT "
                        "NULL GROUP BY ALL ORDER BY n DESC")
    if not sources:
        raise PantauError(f"no {spec.scheme} labels from a model to validate",
                          "run `pantau enrich` first")
    cells = _rows(db, f"""SELECT value AS stratum, coalesce(candidate_id, '') || '/' ||
                              platform AS cell, count(*) AS n FROM ({preds}) GROUP BY ALL""")
    population: dict[str, int] = Counter()
    by_stratum: dict[str, dict[str, int]] = {}
    for r in cells:
        population[r["stratum"]] += r["n"]
        by_stratum.setdefault(r["stratum"], {})[r["cell"]] = r["n"]
    alloc = allocate(dict(population), ci_width=ci_width, size=size)
    quota = [(h, c, k) for h, n in alloc.items() for c, k in _spread(by_stratum[h], n).items()
             if k > 0]
    picked = _rows(db, f"""
        WITH q AS (SELECT unnest(?) AS stratum, unnest(?) AS cell, unnest(?) AS k),
        ranked AS (
            SELECT p.platform, p.target_id, p.value AS stratum,
                   coalesce(p.candidate_id, '') || '/' || p.platform AS cell,
                   row_number() OVER (PARTITION BY p.value, coalesce(p.candidate_id, '') || '/'
                                      || p.platform ORDER BY hash(p.platform || ':' ||
                                      p.target_id || ':' || ?), p.target_id) AS rn
            FROM ({preds}) p)
        SELECT r.platform, r.target_id, r.stratum FROM ranked r
        JOIN q ON q.stratum = r.stratum AND q.cell = r.cell AND r.rn <= q.k
        ORDER BY hash(r.platform || ':' || r.target_id || ':' || ? || ':order'), r.target_id""",
        [[q[0] for q in quota], [q[1] for q in quota], [q[2] for q in quota], seed, seed])
    sample_id = coding.store_sample(
        db, codebook, target=spec.target, variables=list(spec.schemes),
        items=[(r["platform"], r["target_id"]) for r in picked], coders=coders,
        overlap=overlap, seed=seed, name=name or f"validation: {task}",
        created_by=created_by, filters={"purpose": "validation", "task": task})
    strata = {h: int(population[h]) for h in population}
    with db.write() as tx:
        ensure_tables(tx)
        tx.execute("""INSERT INTO validation_designs (sample_id, task, schemes, target,
                      model_source, strata, ci_width, strategy)
                      VALUES (?, ?, ?, ?, ?, ?, ?, 'random')""",
                   [sample_id, task, list(spec.schemes), spec.target, sources[0]["source"],
                    json.dumps(strata, sort_keys=True), ci_width])
        tx.cur.executemany("INSERT INTO validation_items VALUES (?, ?, ?, ?)",
                           [[sample_id, r["platform"], r["target_id"], r["stratum"]]
                            for r in picked])
    drawn = Counter(r["stratum"] for r in picked)
    return {"sample_id": sample_id, "task": task, "target": spec.target,
            "schemes": list(spec.schemes), "model_source": sources[0]["source"],
            "items": len(picked), "seed": seed, "ci_width": ci_width,
            "strata": [{"stratum": h, "population": strata[h], "sampled": drawn.get(h, 0)}
                       for h in sorted(strata, key=lambda h: -strata[h])]}


def is_validation_sample(db, sample_id: int) -> bool:
    """Whether coders must code this sample blind (no model label shown)."""
    if not _has_table(db, "validation_designs"):
        return False
    return bool(_rows(db, "SELECT count(*) AS n FROM validation_designs WHERE sample_id = ?",
                      [sample_id])[0]["n"])


def _gold_codes(by_coder: dict[str, tuple]) -> tuple | None:
    """The settled code of an item (adjudicated, unanimous or majority): the learning
    module's rule."""
    from .models.learn import gold_codes

    return gold_codes(by_coder)


# -- gathering the codes ----------------------------------------------------------------------
def coded_items(db, codebook: Codebook, spec: Validatable, scheme: str) -> tuple[
        list[V.CodedItem], dict[str, int], dict[str, Any]]:
    """The coded items of the task's random validation samples for one scheme, with the
    design's population per stratum (the latest design's) and facts about the sample."""
    from .web import coding

    facts: dict[str, Any] = {"samples": [], "assigned": 0, "coded": 0, "unresolved": 0}
    if not _has_table(db, "validation_designs"):
        return [], {}, facts
    designs = _rows(db, """SELECT * FROM validation_designs WHERE task = ?
                           AND coalesce(strategy, 'random') = 'random'
                           ORDER BY created_at""", [spec.task])
    if not designs:
        return [], {}, facts
    population = json.loads(designs[-1]["strata"])
    facts["samples"] = [d["sample_id"] for d in designs]
    facts["design_model"] = designs[-1]["model_source"]
    ids = [d["sample_id"] for d in designs]
    strata = {(r["platform"], r["target_id"]): r["stratum"] for r in _rows(
        db, "SELECT DISTINCT platform, target_id, stratum FROM validation_items "
            "WHERE sample_id IN (SELECT unnest(?))", [ids])}
    facts["assigned"] = len(strata)
    variable = codebook.get(scheme)
    units = coding.coder_codes(db, spec.target, [scheme], include_adjudicated=True) \
        .get(scheme, {})
    preds = {(r["platform"], r["target_id"]): r for r in _rows(
        db, f"""SELECT p.* FROM ({predictions_sql(scheme, spec.target)}) p
                JOIN (SELECT DISTINCT platform, target_id FROM validation_items
                      WHERE sample_id IN (SELECT unnest(?))) v
                  ON v.platform = p.platform AND v.target_id = p.target_id""", [ids])}
    items = []
    for unit, stratum in strata.items():
        by = units.get(unit)
        if not by:
            continue
        gold = _gold_codes(by)
        if gold is None:
            facts["unresolved"] += 1
            continue
        if not variable.multiple and not gold:
            continue
        pred = preds.get(unit)
        predicted = frozenset(pred["labels"] or []) if pred else frozenset()
        if not variable.multiple and pred:
            predicted = frozenset([pred["value"]])
        items.append(V.CodedItem(stratum, predicted, frozenset(gold),
                                 {"candidate": (pred or {}).get("candidate_id") or "",
                                  "platform": unit[0]}))
    facts["coded"] = len(items)
    return items, population, facts


def population_counts(con, scheme: str, target: str, labels: list[str],
                      multiple: bool) -> tuple[dict[str, dict[str, int]], str | None]:
    """{group: {cell: items}} of the whole population and per candidate ("candidate:ID") and
    platform ("platform:NAME"), from the current model labels; and the current model source."""
    preds = predictions_sql(scheme, target)
    where = "" if multiple else "WHERE source IS NOT NULL"
    rows = _rows(con, f"""SELECT candidate_id, platform, value, labels, count(*) AS n
                          FROM ({preds}) {where} GROUP BY ALL""")
    source = _rows(con, f"""SELECT source, count(*) AS n FROM ({preds})
                            WHERE source IS NOT NULL GROUP BY ALL ORDER BY n DESC LIMIT 1""")
    groups: dict[str, dict[str, int]] = {}
    for r in rows:
        for group in (GROUP_ALL, f"candidate:{r['candidate_id']}", f"platform:{r['platform']}"):
            cells = groups.setdefault(group, {})
            if multiple:
                present = set(r["labels"] or [])
                for label in labels:
                    key = f"{label}|{'present' if label in present else 'absent'}"
                    cells[key] = cells.get(key, 0) + r["n"]
            else:
                cells[r["value"]] = cells.get(r["value"], 0) + r["n"]
    return groups, (source[0]["source"] if source else None)


# -- the figures ------------------------------------------------------------------------------
def compute(con, codebook: Codebook, *, bootstrap: int = V.BOOTSTRAP,
            seed: int = 0) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(accuracy rows, estimate rows) for every validatable scheme with model labels."""
    from .web import coding

    accuracy_rows: list[dict[str, Any]] = []
    estimate_rows: list[dict[str, Any]] = []
    now = datetime.now(UTC).replace(tzinfo=None)
    for spec in validatable(codebook):
        for scheme in spec.schemes:
            variable = codebook.get(scheme)
            labels = variable.codes
            groups, source = population_counts(con, scheme, spec.target, labels,
                                               variable.multiple)
            if source is None:
                continue
            items, population, facts = coded_items(con, codebook, spec, scheme)
            alpha = None
            if facts["samples"]:
                rel = [r for s in facts["samples"] for r in coding.reliability(
                    con, codebook, target=spec.target, sample_id=s, bootstrap=200)
                    if r["variable"] == scheme and r["value"] is None and r["alpha"] is not None]
                alpha = rel[-1] if rel else None
            acc = V.accuracy(items, population, labels, bootstrap=bootstrap, seed=seed) \
                if items else []
            common = {"task": spec.task, "scheme": scheme, "target": spec.target,
                      "model_source": source, "design_model": facts.get("design_model"),
                      "coded": facts["coded"], "assigned": facts["assigned"],
                      "computed_at": now}
            for row in acc:
                accuracy_rows.append({
                    **common, **row.as_row(),
                    "alpha": alpha["alpha"] if alpha else None,
                    "alpha_low": alpha["ci_low"] if alpha else None,
                    "alpha_high": alpha["ci_high"] if alpha else None,
                    "alpha_units": alpha["units"] if alpha else None})
            for c in V.corrected_counts(items, population, groups, labels,
                                        multiple=variable.multiple, bootstrap=bootstrap,
                                        seed=seed):
                kind, _, value = c.group.partition(":")
                estimate_rows.append({**common, **c.as_row(), "group_kind": kind,
                                      "group_value": value or None})
    return accuracy_rows, estimate_rows


ACCURACY_COLUMNS = {
    "task": "VARCHAR", "scheme": "VARCHAR", "target": "VARCHAR", "model_source": "VARCHAR",
    "design_model": "VARCHAR", "coded": "INTEGER", "assigned": "INTEGER", "label": "VARCHAR",
    "coded_predicted": "INTEGER", "coded_gold": "INTEGER",
    "precision": "DOUBLE", "precision_low": "DOUBLE", "precision_high": "DOUBLE",
    "recall": "DOUBLE", "recall_low": "DOUBLE", "recall_high": "DOUBLE",
    "f1": "DOUBLE", "f1_low": "DOUBLE", "f1_high": "DOUBLE",
    "alpha": "DOUBLE", "alpha_low": "DOUBLE", "alpha_high": "DOUBLE", "alpha_units": "INTEGER",
    "computed_at": "TIMESTAMP"}
ESTIMATE_COLUMNS = {
    "task": "VARCHAR", "scheme": "VARCHAR", "target": "VARCHAR", "model_source": "VARCHAR",
    "design_model": "VARCHAR", "coded": "INTEGER", "assigned": "INTEGER", "label": "VARCHAR",
    "group": "VARCHAR", "group_kind": "VARCHAR", "group_value": "VARCHAR", "items": "BIGINT",
    "raw_count": "BIGINT", "raw_share": "DOUBLE", "count": "DOUBLE", "count_low": "DOUBLE",
    "count_high": "DOUBLE", "share": "DOUBLE", "share_low": "DOUBLE", "share_high": "DOUBLE",
    "status": "VARCHAR", "computed_at": "TIMESTAMP"}


def write_tables(execute, accuracy_rows: list[dict[str, Any]],
                 estimate_rows: list[dict[str, Any]]) -> None:
    """(Re)write analysis_validation_accuracy and analysis_validation_estimates through
    `execute(sql, params)`."""
    for name, columns, rows in (("analysis_validation_accuracy", ACCURACY_COLUMNS,
                                 accuracy_rows),
                                ("analysis_validation_estimates", ESTIMATE_COLUMNS,
                                 estimate_rows)):
        cols = ", ".join(f'"{c}" {t}' for c, t in columns.items())
        execute(f"CREATE OR REPLACE TABLE {name} ({cols})", None)
        if rows:
            marks = ", ".join("?" for _ in columns)
            for row in rows:
                execute(f"INSERT INTO {name} VALUES ({marks})",
                        [row.get(c) for c in columns])
