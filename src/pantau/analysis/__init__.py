"""Analyses: SQL over the store (DuckDB) plus SciPy statistics, written to `analysis_*` tables
(CREATE OR REPLACE: derived data, no migration) that the report, exports and the web app read.

    from pantau.analysis import run_all
    summary = run_all(project)          # {"tables": {name: rows}, "seconds": ..., ...}

All times are local to the election (pantau.toml `election.timezone`); every aggregate is a
GROUP BY over `analysis_posts` (one row per post) or the comments under those posts, so a
figure traces back to its rows with `pantau query`. Table and column meanings: tables.py.
"""

from __future__ import annotations

import hashlib
import time
from datetime import UTC, datetime
from typing import Any

from . import (
    activity,
    audience,
    compliance,
    content,
    engagement,
    media,
    method,
    reliability,
    responsiveness,
    stats,
    timeline,
    validation,
    youth,
)
from .base import Context, build_comments, build_posts, mask_people
from .coordination import run as coordination_run
from .tables import ANALYSIS_TABLES

__all__ = ["ANALYSIS_TABLES", "analysis_state", "is_current", "run_all"]

STEPS = (
    ("posts", build_posts),
    ("comments", build_comments),
    ("method", method.run),
    ("activity", activity.run),
    ("engagement", engagement.run),
    ("statistics", stats.run),
    ("content", content.run),
    ("media", media.run),
    ("audience", audience.run),
    ("responsiveness", responsiveness.run),
    ("youth", youth.run),
    ("timeline", timeline.run),
    ("compliance", compliance.run),
    ("reliability", reliability.run),
    ("validation", validation.run),
    ("coordination", coordination_run),
    # last: whatever the steps above wrote, no ordinary person is named in a URL or text
    ("privacy", mask_people),
)
STATE_TABLES = ("posts", "comments", "post_metrics", "labels", "accounts", "events")


def analysis_state(project, con) -> dict[str, Any]:
    """What the analyses depend on: row counts, the latest label, and the config and rules
    files. When this differs from the stored run, the analysis tables are stale."""
    state: dict[str, Any] = {
        f"n_{t}": con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in STATE_TABLES}
    state["labels_last_at"] = str(con.execute("SELECT max(created_at) FROM labels").fetchone()[0])
    digest = hashlib.sha256(project.config_path.read_bytes())
    digest.update(str(project.rules.get("path", "")).encode())
    rules_path = project.rules.get("path")
    if rules_path:
        try:
            with open(rules_path, "rb") as fh:
                digest.update(fh.read())
        except OSError:
            pass
    state["config_sha256"] = digest.hexdigest()
    return state


def is_current(project, con) -> bool:
    try:
        row = con.execute("SELECT * FROM analysis_runs ORDER BY run_at DESC LIMIT 1").dicts()
    except Exception:  # noqa: BLE001 - no analysis yet (table missing)
        return False
    if not row:
        return False
    stored = row[0]
    if any(t not in existing_tables(con) for t in ANALYSIS_TABLES):
        return False
    return all(str(stored.get(k)) == str(v) for k, v in analysis_state(project, con).items())


def existing_tables(con) -> set[str]:
    return {r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE NOT temporary").fetchall()}


def run_all(project, con=None, *, progress=None) -> dict[str, Any]:
    """Run every analysis and (re)write the analysis_* tables.

    Each table is replaced atomically (CREATE OR REPLACE); analysis_runs is dropped first and
    written last, so an interrupted run leaves the analysis marked stale, never current. (One
    transaction around everything would hold two million comment rows in transaction-local
    memory.)"""
    own = con is None
    if own:
        con = project.connect(snapshot_ok=True)
    started = time.perf_counter()
    try:
        ctx = Context(project, con)
        con.execute("DROP TABLE IF EXISTS analysis_runs")
        for name, step in STEPS:
            t0 = time.perf_counter()
            if progress:
                progress(name)
            step(ctx)
            ctx.timings[name] = round(time.perf_counter() - t0, 3)
        seconds = time.perf_counter() - started
        state = analysis_state(project, con)
        from .. import __version__

        run = {"run_at": datetime.now(UTC).replace(tzinfo=None), "seconds": seconds,
               "pantau_version": __version__, "timezone": ctx.tz,
               "rules": str(project.rules.get("id", project.config.election.rules)),
               **state}
        columns = ", ".join(f'? AS "{k}"' for k in run)
        con.execute(f"CREATE OR REPLACE TABLE analysis_runs AS SELECT {columns}",
                    list(run.values()))
        tables = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ANALYSIS_TABLES}
        for temp in [r[0] for r in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE temporary").fetchall()]:
            con.execute(f"DROP TABLE IF EXISTS temp.main.{temp}")
        summary = {"tables": tables, "seconds": round(time.perf_counter() - started, 3),
                   "timings": ctx.timings}
        if getattr(con, "holder", None):  # a snapshot (pantau.sharing): the store is unchanged
            summary["snapshot_because_store_held_by"] = con.holder
        return summary
    finally:
        if own:
            con.close()
