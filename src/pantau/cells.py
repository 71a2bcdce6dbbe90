"""CSV cells that a spreadsheet program will not run as formulas (CSV injection, OWASP).

Excel, LibreOffice and Google Sheets treat a cell starting with `=`, `+`, `-` or `@` as a
formula, and a leading tab or carriage return can hide one. A text from social media can start
with any of them ("-_- capek", "@handle ...", "=HYPERLINK(...)"), so every CSV pantau writes
prefixes such a text cell with a single quote, as OWASP recommends; the csv module (and DuckDB's
COPY) then quote any cell holding the separator or a quote. Numbers are left as they are: a
negative count is a number, not a formula. XLSX files need none of this: their text cells are
written as text (xlsxwriter's write_string, strings_to_formulas off).
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The same test in SQL (DuckDB's regexp: the class holds = + - @ tab and CR).
SQL_FORMULA_START = "'^[=+@\\t\\r-]'"


def safe_cell(value: Any) -> Any:
    """A text starting like a formula gets a leading single quote; anything else is unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(row) -> list[Any]:
    return [safe_cell(v) for v in row]


def safe_sql(column: str) -> str:
    """SQL expression: `column` (a VARCHAR) neutralised like safe_cell."""
    return (f"CASE WHEN regexp_matches({column}, {SQL_FORMULA_START}) "
            f"THEN '''' || {column} ELSE {column} END")
