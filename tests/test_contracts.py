"""Lists that must agree, checked: every format module is registered, every analysis_* table
and every label scheme is documented in docs/DEVELOPING.md, every finding kind has a label in
both languages. A new format, table, scheme or kind fails here until it is registered and
documented."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from pantau import formats
from pantau.analysis.compliance import KINDS
from pantau.analysis.tables import ANALYSIS_TABLES
from pantau.models import registry
from pantau.report.i18n import STRINGS

ROOT = Path(__file__).resolve().parents[1]
FORMATS = ROOT / "src" / "pantau" / "formats"
GUIDE = ROOT / "docs" / "DEVELOPING.md"
NOT_FORMATS = {"__init__", "base"}  # the registry and the shared reader code


def format_modules_on_disk() -> set[str]:
    modules = {p.stem for p in FORMATS.glob("*.py")}
    modules |= {p.parent.name for p in FORMATS.glob("*/__init__.py")}
    return modules - NOT_FORMATS


def _calls_register(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(isinstance(node, ast.Call) and getattr(node.func, "id", None) == "register"
               for node in ast.walk(tree))


def test_every_format_module_is_listed_and_registers_a_format():
    assert set(formats.FORMAT_MODULES) == format_modules_on_disk(), \
        "formats/__init__.py FORMAT_MODULES and the modules in formats/ differ"
    for name in formats.FORMAT_MODULES:
        path = FORMATS / f"{name}.py"
        if not path.is_file():
            path = FORMATS / name / "__init__.py"
        assert _calls_register(path), f"formats/{name} calls no register(Format(...))"
    assert len(formats.all_formats()) >= len(formats.FORMAT_MODULES)


@pytest.fixture(scope="module")
def guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


def _table_rows(text: str) -> set[str]:
    """The first cells of the guide's Markdown tables, without backticks."""
    return {m.group(1).strip().strip("`") for m in re.finditer(r"^\|([^|\n]+)\|", text,
                                                                  re.MULTILINE)}


def test_every_analysis_table_is_documented(guide):
    missing = sorted(set(ANALYSIS_TABLES) - _table_rows(guide))
    assert not missing, f"docs/DEVELOPING.md lists no row for {missing} (## Analysis tables)"


def label_schemes() -> set[str]:
    from pantau.web.coding import load_codebook

    schemes = {s for task in registry.TASKS.values() for s in task.schemes}
    schemes.add(registry.DUPLICATE_GROUP)
    schemes |= set(load_codebook(None).variables)  # the coders' variables are schemes too
    return schemes


def test_every_label_scheme_is_documented(guide):
    missing = sorted(label_schemes() - _table_rows(guide))
    assert not missing, f"docs/DEVELOPING.md lists no row for scheme(s) {missing} " \
        "(## Label schemes)"


def test_the_documentation_checks_can_fail(guide):
    assert "analysis_not_a_table" not in _table_rows(guide)
    assert "analysis_posts" in _table_rows("| `analysis_posts` | one row per post |\n")


def test_every_finding_kind_has_a_label_in_both_languages():
    for kind in KINDS:
        for lang in ("id", "en"):
            assert f"kind_{kind}" in STRINGS[lang], f"report/i18n.py: no kind_{kind} ({lang})"
