"""pantau coordination: coordinated-behaviour signals, network and communities."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .common import (
    DebugOption,
    JsonOption,
    ProjectOption,
    console,
    handle_errors,
    open_project,
    print_json,
    print_table,
)


def register(app: typer.Typer) -> None:
    app.command("coordination")(coordination)


def coordination(
    co_comment_window: Annotated[str | None, typer.Option(
        "--co-comment-window", help='Co-commenting window, e.g. "10m".')] = None,
    copy_window: Annotated[str | None, typer.Option(
        "--copy-window", help='Copy-paste window, e.g. "1h".')] = None,
    share_window: Annotated[str | None, typer.Option(
        "--share-window", help='Co-sharing window, e.g. "5m", or "auto" (CooRnet estimate).')]
    = None,
    burst_bin: Annotated[str | None, typer.Option(
        "--burst-bin", help='Time bin of synchronised bursts, e.g. "1h".')] = None,
    window_scale: Annotated[float | None, typer.Option(
        "--window-scale", help="Multiply every window, e.g. 1.25 (robustness checks).")] = None,
    gexf: Annotated[Path | None, typer.Option(
        "--gexf", help="Also write the network as GEXF (Gephi).")] = None,
    graphml: Annotated[Path | None, typer.Option(
        "--graphml", help="Also write the network as GraphML.")] = None,
    project: ProjectOption = None,
    json: JsonOption = False,
    debug: DebugOption = False,
) -> None:
    """Find patterns consistent with coordination (buzzer networks) for human review and
    write the analysis_coordination_* tables. Settings: coordination.toml beside pantau.toml
    (see docs/coordination.md), then these options."""
    with handle_errors(debug):
        from ..analysis.base import Context
        from ..analysis.coordination import load_settings, run, with_copy_definition
        from ..analysis.coordination.graph_export import write_gexf, write_graphml
        from ..analysis.coordination.settings import parse_duration

        proj = open_project(project)
        overrides = {
            "co_comment_window": co_comment_window and parse_duration(
                co_comment_window, "--co-comment-window"),
            "copy_window": copy_window and parse_duration(copy_window, "--copy-window"),
            "burst_bin": burst_bin and parse_duration(burst_bin, "--burst-bin"),
            "window_scale": window_scale,
        }
        settings = with_copy_definition(load_settings(proj.root, **overrides), proj)
        if share_window is not None:
            from dataclasses import replace

            value = None if share_window.strip().lower() == "auto" else parse_duration(
                share_window, "--share-window")
            settings = replace(settings, share_window=value,
                               sources={**settings.sources, "share_window": "command line"})
        if window_scale is not None and window_scale <= 0:
            from ..errors import PantauError

            raise PantauError("--window-scale must be positive", "e.g. 0.75 or 1.25")
        con = proj.connect()
        try:
            with console.status("Looking for coordination…", spinner="dots") if not json \
                    else _nothing():
                summary = run(Context(proj, con), settings)
            written = {}
            if gexf:
                written["gexf"] = (str(gexf), write_gexf(con, gexf))
            if graphml:
                written["graphml"] = (str(graphml), write_graphml(con, graphml))
        finally:
            con.close()
        summary["files"] = written
        if json:
            print_json(summary)
            return
        print_table("Signals", ["signal", "window (s)", "threshold (occasions)"],
                    [(k, summary["windows"][k], summary["thresholds"][k] or "—")
                     for k in summary["windows"]])
        console.print(f"{summary['communities']} communities, {summary['flagged_accounts']} "
                      "accounts: patterns consistent with coordination, for human review. "
                      "Details: [bold]pantau query \"SELECT * FROM "
                      "analysis_coordination_communities\"[/].")
        for kind, (path, nodes) in written.items():
            console.print(f"Wrote {path} ({kind}, {nodes} accounts).")


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None
