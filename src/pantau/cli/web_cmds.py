"""The web app and manual coding: serve, and the `coding` group (samples, spreadsheets,
reliability, accounts)."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import Annotated

import typer

from ..errors import PantauError
from .common import (
    DebugOption,
    JsonOption,
    ProjectOption,
    console,
    err_console,
    handle_errors,
    open_project,
    print_json,
    print_table,
)

coding_app = typer.Typer(help="Manual coding: samples, spreadsheets, reliability, accounts.",
                         no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.add_typer(coding_app, name="coding")


def serve(
    host: Annotated[str, typer.Option(help="Address to bind. Anything but loopback requires "
                                      "accounts (pantau coding add-user).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8765,
    auth: Annotated[bool, typer.Option("--auth", help="Require login even on loopback.")]
    = False,
    threads: Annotated[int, typer.Option(help="Worker threads for requests.")] = 40,
    memory_limit: Annotated[str, typer.Option(help="DuckDB memory limit.")] = "2GB",
    secure_cookies: Annotated[bool, typer.Option(
        help="Mark cookies Secure (when a TLS proxy stands in front).")] = False,
    allowed_host: Annotated[list[str] | None, typer.Option(
        help="Host names the app answers to (default on loopback: localhost, 127.0.0.1).")]
    = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="No access log.")] = False,
    project: ProjectOption = None,
    debug: DebugOption = False,
) -> None:
    """Start the local web app on the project's store: explore, code by hand, measure
    agreement. It holds the store while it runs: reading commands (status, query, report,
    export, analyze) work meanwhile on a snapshot; stop it with Ctrl-C before import or
    enrich."""
    with handle_errors(debug):
        import uvicorn

        from ..web.app import create_app, is_loopback, warm_up

        proj = open_project(project)
        err_console.print("Preparing the web index…", highlight=False)
        app = create_app(proj, host=host, require_auth=auth, memory_limit=memory_limit,
                         secure_cookies=secure_cookies, allowed_hosts=allowed_host,
                         threads=threads)
        state = app.state.web
        warm = warm_up(app)
        shown = f"[{host}]" if ":" in host else host
        mode = ("login required" if state.auth.required
                else "no login (loopback only)")
        err_console.print(
            f"pantau serve: http://{shown}:{port}/  ({mode}; index built in "
            f"{state.db.index_seconds:.1f} s, first pages in {warm:.1f} s)", highlight=False)
        if not is_loopback(host):
            err_console.print("[yellow]Listening beyond this machine: use TLS in front "
                              "(a reverse proxy) when the network is not yours.[/]")
        uvicorn.run(app, host=host, port=port, log_level="warning",
                    access_log=not quiet, server_header=False, proxy_headers=False)


def _store(project, *, snapshot_ok: bool = False):
    """The store for a coding command; a reading one (snapshot_ok) reads a snapshot when
    pantau serve holds the store (pantau.sharing)."""
    from ..web.coding import flag_scheme, load_codebook
    from ..web.db import WebStore

    proj = open_project(project)
    codebook = load_codebook(proj)
    return proj, WebStore(proj, build_index=False, flag_scheme=flag_scheme(codebook),
                          snapshot_ok=snapshot_ok), codebook


@coding_app.command("sample")
def draw(
    target: Annotated[str, typer.Option(help="post or comment")] = "post",
    size: Annotated[int, typer.Option(help="Number of items.")] = 100,
    coders: Annotated[str, typer.Option(help="Comma-separated coder names.")] = "",
    overlap: Annotated[float, typer.Option(help="Share coded by two coders (0-1).")] = 0.2,
    variable: Annotated[list[str] | None, typer.Option(
        help="Variables to code (default: all of the target).")] = None,
    candidate: Annotated[str | None, typer.Option(help="Only this candidate's items.")] = None,
    platform: Annotated[str | None, typer.Option(help="Only this platform.")] = None,
    seed: Annotated[int | None, typer.Option(help="Random seed (reproducible draw).")] = None,
    name: Annotated[str | None, typer.Option(help="A name for the sample.")] = None,
    strategy: Annotated[str, typer.Option(
        help="random, or uncertain: the items the model of the first variable is least sure "
             "of (active learning for `pantau models train --from-coding`; never used to "
             "measure accuracy).")] = "random",
    project: ProjectOption = None,
    json: JsonOption = False,
    debug: DebugOption = False,
) -> None:
    """Draw a sample to code (random, or the model's least certain items), with a share
    double-coded for reliability. To measure a model, use `pantau validate`."""
    from ..web import coding

    with handle_errors(debug):
        _, db, codebook = _store(project)
        try:
            sample_id = coding.draw_sample(
                db, codebook, target=target, size=size, coders=coders.split(","),
                overlap=overlap, variables=variable, candidate=candidate, platform=platform,
                seed=seed, name=name, created_by="cli", strategy=strategy)
            s = coding.sample(db, sample_id)
        finally:
            db.close()
        if json:
            print_json(s)
        else:
            console.print(f"Sample {sample_id}: {s['size']} {target}s for "
                          f"{', '.join(s['coders'])} (overlap {s['overlap']:.0%}, seed "
                          f"{s['seed']}). Code it in `pantau serve` or with "
                          f"`pantau coding export {sample_id} --out FILE.xlsx`.")


@coding_app.command("samples")
def list_samples(project: ProjectOption = None, json: JsonOption = False,
                 debug: DebugOption = False) -> None:
    """The coding samples and their progress."""
    from ..web import coding

    with handle_errors(debug):
        _, db, _ = _store(project)
        try:
            rows = coding.samples(db)
        finally:
            db.close()
        if json:
            print_json(rows)
        else:
            print_table("Coding samples", ["id", "name", "target", "variables", "coders",
                                           "size", "double", "coded"],
                        [(r["sample_id"], r["name"], r["target"], ", ".join(r["variables"]),
                          ", ".join(r["coders"]), r["size"], r["double_items"],
                          f"{r['coded']}/{r['assignments']}") for r in rows])


@coding_app.command("export")
def export(
    sample_id: Annotated[int, typer.Argument(help="Sample id (see pantau coding samples).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="FILE.csv or FILE.xlsx")],
    coder: Annotated[str | None, typer.Option(help="Only this coder's items.")] = None,
    project: ProjectOption = None,
    debug: DebugOption = False,
) -> None:
    """Write a sample to a spreadsheet for coders who work outside the browser."""
    from ..web import coding

    with handle_errors(debug):
        if out.suffix.lower() not in (".csv", ".xlsx"):
            raise PantauError("the output must end in .csv or .xlsx")
        _, db, codebook = _store(project)
        try:
            s = coding.sample(db, sample_id)
            columns, rows = coding.export_rows(db, codebook, sample_id, coder)
        finally:
            db.close()
        written = coding.write_export(out, columns, rows,
                                      coding.codebook_rows(codebook, list(s["variables"])))
        console.print(f"Wrote {len(rows)} rows to {', '.join(str(p) for p in written)}. "
                      "Fill in the variable columns (several values: separate with ;), then "
                      f"`pantau coding import {out}`.")


@coding_app.command("import")
def import_codes(
    file: Annotated[Path, typer.Argument(help="A file written by pantau coding export.")],
    coder: Annotated[str | None, typer.Option(
        help="Store all codes under this coder (default: the file's coder column).")] = None,
    project: ProjectOption = None,
    json: JsonOption = False,
    debug: DebugOption = False,
) -> None:
    """Read codes back from a spreadsheet into the store (as coder:NAME labels)."""
    from ..store import StoreBusy
    from ..web import coding

    with handle_errors(debug):
        try:
            _, db, codebook = _store(project)
        except StoreBusy as busy:
            raise StoreBusy(busy.message, f"{busy.hint}; or, with the web app running, upload "
                            "the file on the sample's page (Coding → the sample → Import)",
                            detail=busy.detail) from None
        try:
            result = coding.import_rows(db, codebook, coding.read_import(file), coder)
        finally:
            db.close()
        if json:
            print_json(result)
        else:
            console.print(f"Imported codes for {result['coded']} item(s); "
                          f"{result['skipped']} row(s) without codes skipped.")


@coding_app.command("alpha")
def alpha(
    sample_id: Annotated[int | None, typer.Option("--sample", help="Only this sample.")] = None,
    target: Annotated[str | None, typer.Option(help="post or comment")] = None,
    project: ProjectOption = None,
    json: JsonOption = False,
    debug: DebugOption = False,
) -> None:
    """Krippendorff's alpha per variable over the double-coded items (nominal, bootstrap 95%
    CI): >= .800 reliable, .667-.800 tentative, below that drop the variable."""
    from ..web import coding

    with handle_errors(debug):
        _, db, codebook = _store(project, snapshot_ok=True)
        try:
            rows = coding.reliability(db, codebook, target=target, sample_id=sample_id)
        finally:
            db.close()
        if json:
            print_json(rows)
            return

        def f(x):
            return "—" if x is None else f"{x:.3f}"

        print_table("Krippendorff's alpha (nominal)",
                    ["variable", "value", "alpha", "95% CI", "units", "coders", "verdict"],
                    [(r["variable"], r["value"] or "", f(r["alpha"]),
                      f"[{f(r['ci_low'])}, {f(r['ci_high'])}]", r["units"], r["coders"],
                      r["verdict"]) for r in rows])


@coding_app.command("add-user")
def add_user(
    name: Annotated[str, typer.Argument(help="User name (also the coder name).")],
    role: Annotated[str, typer.Option(help="admin or coder")] = "coder",
    password_stdin: Annotated[bool, typer.Option(
        "--password-stdin", help="Read the password from standard input.")] = False,
    project: ProjectOption = None,
    debug: DebugOption = False,
) -> None:
    """Create a web account (needed to serve beyond loopback)."""
    from ..web.auth import Auth

    with handle_errors(debug):
        if password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Password: ")
            if getpass.getpass("Again: ") != password:
                raise PantauError("the passwords differ")
        _, db, _ = _store(project)
        try:
            Auth(db, required=True).add_user(name, role, password)
        finally:
            db.close()
        console.print(f"Added {role} {name!r}.")


@coding_app.command("users")
def users(project: ProjectOption = None, json: JsonOption = False,
          debug: DebugOption = False) -> None:
    """The web accounts."""
    from ..web.auth import Auth

    with handle_errors(debug):
        _, db, _ = _store(project)
        try:
            rows = Auth(db, required=True).users()
        finally:
            db.close()
        if json:
            print_json(rows)
        else:
            print_table("Users", ["name", "role", "created"],
                        [(r["name"], r["role"], r["created_at"]) for r in rows])


@coding_app.command("remove-user")
def remove_user(name: Annotated[str, typer.Argument()], project: ProjectOption = None,
                debug: DebugOption = False) -> None:
    """Delete a web account (its codes stay)."""
    from ..web.auth import Auth

    with handle_errors(debug):
        _, db, _ = _store(project)
        try:
            Auth(db, required=True).remove_user(name)
        finally:
            db.close()
        console.print(f"Removed {name!r}.")
