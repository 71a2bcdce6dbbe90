"""pantau leads: review compliance leads (reviewed / dismissed / escalated) and export the
escalated ones for a report to Bawaslu."""

from __future__ import annotations

from enum import StrEnum
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

leads_app = typer.Typer(help="Review compliance leads and export the escalated ones "
                             "(Bawaslu). / Tinjau temuan kepatuhan.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(leads_app, name="leads")


class Status(StrEnum):
    reviewed = "reviewed"
    dismissed = "dismissed"
    escalated = "escalated"


def _analysed(proj, con) -> None:
    from ..analysis import is_current, run_all

    if not is_current(proj, con):
        run_all(proj, con)


@leads_app.command("list")
def list_leads(
    status: Annotated[str | None, typer.Option(
        "--status", help="Only leads with this review status (reviewed, dismissed, escalated, "
        "or 'open' for leads not reviewed yet).")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="Only this kind of lead.")] = None,
    project: ProjectOption = None,
    json: JsonOption = False,
    debug: DebugOption = False,
) -> None:
    """List the compliance leads with their review (runs the analyses when stale)."""
    with handle_errors(debug):
        from .. import leads

        proj = open_project(project)
        con = proj.connect()
        try:
            _analysed(proj, con)
            where, params = ["true"], []
            if status == "open":
                where.append("review_status IS NULL")
            elif status:
                where.append("review_status = ?")
                params.append(status)
            if kind:
                where.append("kind = ?")
                params.append(kind)
            rows = con.execute(
                f"SELECT * FROM ({leads.findings_sql(con)}) WHERE {' AND '.join(where)} "
                "ORDER BY kind, when_local NULLS LAST, finding_id", params).dicts()
        finally:
            con.close()
        if json:
            print_json(rows)
            return
        print_table(f"{len(rows)} leads", ["lead_key", "kind", "rule", "who", "when",
                                            "review"],
                    [(r["lead_key"], r["kind"], r["rule_id"], r["who"] or "–",
                      str(r["when_local"] or "–")[:16], r["review_status"] or "open")
                     for r in rows])
        console.print("Review one: [bold]pantau leads review LEAD_KEY --status dismissed "
                      "--note \"...\" --by NAME[/]")


@leads_app.command("review")
def review_lead(
    lead: Annotated[str, typer.Argument(help="The lead's lead_key (or finding_id).")],
    status: Annotated[Status, typer.Option("--status", "-s", help="Your decision.")],
    by: Annotated[str, typer.Option("--by", help="Who reviews (your name).")],
    note: Annotated[str | None, typer.Option("--note", "-n", help="Why.")] = None,
    project: ProjectOption = None,
    json: JsonOption = False,
    debug: DebugOption = False,
) -> None:
    """Mark a lead reviewed, dismissed (it leaves the report's counts) or escalated (it goes
    into `pantau leads export`)."""
    with handle_errors(debug):
        from .. import leads

        proj = open_project(project)
        con = proj.connect()
        try:
            _analysed(proj, con)
            found = leads.review(con, lead, status.value, note=note, reviewer=by)
        finally:
            con.close()
        if json:
            print_json(found)
            return
        console.print(f"{found['lead_key']} ({found['kind']}, {found['rule_id']}): "
                      f"[bold]{found['review_status']}[/] by {found['reviewer']}.")


@leads_app.command("export")
def export_leads(
    output: Annotated[Path, typer.Option("--output", "-o", help="CSV file to write.")]
    = Path("bawaslu-leads.csv"),
    lang: Annotated[str, typer.Option("--lang", "-l", help="Language of the rule text "
                                                            "(id or en).")] = "id",
    project: ProjectOption = None,
    json: JsonOption = False,
    debug: DebugOption = False,
) -> None:
    """Write the escalated leads for a report to Bawaslu: account, time, URL, rule, legal
    basis, evidence and the SHA-256 of the raw record kept from the import."""
    with handle_errors(debug):
        from .. import leads

        proj = open_project(project)
        con = proj.connect()
        try:
            _analysed(proj, con)
            result = leads.export_escalated(proj, con, output, lang=lang)
        finally:
            con.close()
        if json:
            print_json(result)
            return
        console.print(f"Wrote {result['leads']} escalated leads to [bold]{result['file']}[/]."
                      + ("" if result["leads"] else " Escalate one first: pantau leads review "
                         "LEAD_KEY --status escalated --by NAME"))
