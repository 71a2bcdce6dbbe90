"""The `pantau` command. Each command is thin: parse, call the library, print."""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="pantau",
    help="pantau: how candidates campaign on social media and how the public answers "
    "(Indonesian elections first). / Cara kandidat berkampanye di media sosial dan "
    "bagaimana publik menanggapinya.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Command groups, one module each; a module registers its commands on the app.
COMMAND_MODULES = (
    "project_cmds",
    "demo_cmd",
    "text_cmds",
    "models_cmds",
    "report_cmds",
    "web_cmds",
    "validate_cmds",
    "coordination_cmds",
    "media_cmds",
    "leads_cmds",
)

for _name in COMMAND_MODULES:
    importlib.import_module(f"{__name__}.{_name}").register(app)


def main() -> None:
    app()
