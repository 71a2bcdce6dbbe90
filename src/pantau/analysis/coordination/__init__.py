"""Coordinated behaviour: patterns consistent with coordination, for human review.

    from pantau.analysis.coordination import run
    run(ctx)                 # one step of `pantau analyze`; `pantau coordination` runs it alone

Signals (signals.py) over user-settable windows (settings.py, defaults.toml): co-commenting,
copy-paste (pantau.text.duplicates groups), co-sharing of URLs/hashtags/sounds (window estimated
from the data as CooRnet does unless set), synchronised bursts above each account's own
baseline. A weighted account graph keeps the pairs above a threshold set against a
shuffled-time null; Leiden finds communities (network.py); each is described in the
analysis_coordination_* tables (write.py; columns in analysis/tables.py). Method and defaults:
docs/coordination.md.
"""

from __future__ import annotations

import time
from typing import Any

from .detection import Detection
from .events import load_events
from .network import build_network
from .settings import Settings, load_settings, with_copy_definition
from .signals import estimate_share_window

__all__ = ["Detection", "Settings", "detect", "load_settings", "run", "with_copy_definition"]


def detect(con, settings: Settings) -> Detection:
    """Signals, null, graph and communities; leaves the temp tables _co_* for write.py."""
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    from ...text.duplicates import CoordinationSettings

    copy = CoordinationSettings(settings.windows["copy_paste"] / 60.0,
                                settings.copy_min_accounts, settings.copy_min_share)
    events = load_events(con, similarity=settings.similarity, min_words=settings.min_words,
                         copy=copy, hashtags=settings.hashtags, sounds=settings.sounds)
    seconds.update(events.seconds)
    if settings.share_window is None:
        base, info = estimate_share_window(events, settings.share_quantile,
                                           settings.share_share, settings.share_min_window,
                                           settings.share_max_window)
        share_window, source = base * settings.window_scale, "estimated"
    else:
        share_window, source, info = settings.windows["co_share"], "set", {}
    seconds["load"] = time.perf_counter() - t0
    network = build_network(events, settings, share_window)
    seconds.update(network.seconds)
    return Detection(events, network, float(share_window), source, info, seconds)


def flagged_accounts(con, detection: Detection) -> set[tuple[str, str]]:
    """(platform, account_id) of every account in a reported community."""
    import numpy as np

    aids = np.flatnonzero(detection.network.community >= 0).tolist()
    if not aids:
        return set()
    rows = con.execute(
        "SELECT platform, account_id FROM _co_actors WHERE list_contains(?, aid)",
        [aids]).fetchall()
    return {(r[0], r[1]) for r in rows}


def run(ctx, settings: Settings | None = None) -> dict[str, Any]:
    """Detect and (re)write the analysis_coordination_* tables."""
    from .write import write_tables

    if settings is None:
        settings = with_copy_definition(load_settings(getattr(ctx.project, "root", None)),
                                        ctx.project)
    detection = detect(ctx.con, settings)
    t0 = time.perf_counter()
    summary = write_tables(ctx, detection)
    detection.seconds["tables"] = time.perf_counter() - t0
    summary["seconds"] = {k: round(v, 3) for k, v in detection.seconds.items()}
    return summary
