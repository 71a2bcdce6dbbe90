"""Manual coding: the codebook, random samples with double-coded overlap, saving a coder's codes
as labels (`coder:NAME`), reliability per variable, disagreements and adjudication, and the
spreadsheet round trip for coders who work outside the browser.

A code is a row in `labels` like any model's label, so analyses prefer it automatically
(a coder beats a model). A variable that takes several values (topics, flags) stores one row
per value, and one row with value NULL when the coder found none: "coded, nothing applies" is
then different from "not coded".
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from ..cells import safe_row
from ..errors import PantauError
from ..models.codebook import Codebook, Variable, load
from ..models.learn import ADJUDICATED  # the reserved coder name of settled codes
from ..project import Project
from .reliability import krippendorff_alpha

CODER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
TARGETS = ("post", "comment")


# -- the codebook ---------------------------------------------------------------------------
# The codebook is the one models/codebook.py reads (the project's `codebook = "file.toml"` or
# the shipped one), so manual and automatic coding use the same variables and values.
def load_codebook(project: Project) -> Codebook:
    return load(project)


def variables_for(codebook: Codebook, target: str) -> list[Variable]:
    return [v for v in codebook.variables.values() if v.target == target]


def flag_scheme(codebook: Codebook) -> str | None:
    """The post variable holding review flags (several values), if the codebook has one."""
    for v in codebook.variables.values():
        if v.target == "post" and v.multiple and "flag" in v.name:
            return v.name
    return None


# -- names --------------------------------------------------------------------------------
def check_coder_name(name: str) -> str:
    name = (name or "").strip()
    if not CODER_NAME.match(name):
        raise PantauError(f"{name!r} is not a usable coder name",
                          "use 1-40 letters, digits, '.', '_' or '-', starting with a letter "
                          "or digit")
    if name.lower() == ADJUDICATED:
        raise PantauError(f"{name!r} is reserved for adjudicated codes", "choose another name")
    return name


def source_of(coder: str) -> str:
    return f"coder:{coder}"


# -- samples ------------------------------------------------------------------------------
def draw_sample(db, codebook: Codebook, *, target: str, size: int, coders: list[str],
                overlap: float, variables: list[str] | None = None, candidate: str | None = None,
                platform: str | None = None, seed: int | None = None, name: str | None = None,
                created_by: str | None = None, exclude_sampled: bool = True,
                own_posts: bool = True, strategy: str = "random") -> int:
    """Draw `size` random items with text; a share `overlap` of them goes to two coders (for
    reliability), the rest to one coder each, in turn. Returns the sample id.

    Posts are drawn from the accounts listed in pantau.toml (`own_posts`): the store also keeps
    the public's X replies as posts, and a post function is only defined for a campaign's own
    posts.

    strategy "uncertain" (active learning) takes the items the model of the first chosen
    variable is least sure of (lowest score of its label) instead of random ones: codes that
    teach a retrained model most (`pantau models train --from-coding`). Such a sample is never
    a validation sample, so it never enters accuracy or corrected estimates."""
    import secrets

    if target not in TARGETS:
        raise PantauError(f"target must be post or comment, not {target!r}")
    if size < 1 or size > 100_000:
        raise PantauError("the sample size must be between 1 and 100,000")
    if not 0 <= overlap <= 1:
        raise PantauError("overlap is a share between 0 and 1 (e.g. 0.2 for 20%)")
    coders = list(dict.fromkeys(check_coder_name(c) for c in coders if c.strip()))
    if not coders:
        raise PantauError("name at least one coder")
    available = [v.name for v in variables_for(codebook, target)]
    chosen = variables or available
    unknown = [v for v in chosen if v not in available]
    if unknown or not chosen:
        raise PantauError(f"variables {unknown or chosen} are not {target} variables",
                          f"choose from {', '.join(available) or '(none)'}")
    seed = secrets.randbelow(2**31) if seed is None else int(seed)
    where, params = ["t.text IS NOT NULL", "length(trim(t.text)) > 0"], []
    if candidate:
        where.append("a.candidate_id = ?")
        params.append(candidate)
    if platform:
        where.append("t.platform = ?")
        params.append(platform)
    if target == "post" and own_posts:
        where.append("a.candidate_id IS NOT NULL")
    if exclude_sampled:
        where.append(f"""NOT EXISTS (SELECT 1 FROM coding_items i JOIN coding_samples s
                         USING (sample_id) WHERE s.target = '{target}'
                         AND i.platform = t.platform AND i.target_id = t.{target}_id)""")
    if target == "post":
        source = ("posts t LEFT JOIN accounts a ON a.platform = t.platform "
                  "AND a.account_id = t.account_id")
    else:
        source = ("comments t LEFT JOIN posts p ON p.platform = t.platform "
                  "AND p.post_id = t.post_id LEFT JOIN accounts a ON a.platform = p.platform "
                  "AND a.account_id = p.account_id")
    if strategy not in ("random", "uncertain"):
        raise PantauError(f"strategy must be random or uncertain, not {strategy!r}")
    order = f"hash(t.platform || ':' || t.{target}_id || ':' || ?), t.{target}_id"
    if strategy == "uncertain":
        scheme = chosen[0]
        source += (f" JOIN (SELECT platform, target_id, min(score) AS score FROM labels "
                   f"WHERE target = '{target}' AND scheme = ? AND source LIKE 'model:%' "
                   f"AND score IS NOT NULL GROUP BY ALL) m ON m.platform = t.platform "
                   f"AND m.target_id = t.{target}_id")
        params.insert(0, scheme)
        order = "m.score, " + order
    items = db.rows(f"""
        SELECT t.platform, t.{target}_id AS target_id FROM {source}
        WHERE {' AND '.join(where)}
        ORDER BY {order}
        LIMIT ?""", [*params, seed, size], cache=False)
    if not items and strategy == "uncertain":
        raise PantauError(f"no model scores for {chosen[0]} to rank by",
                          "run `pantau enrich`, or draw a random sample")
    if not items:
        raise PantauError("nothing to sample: no item with text matches",
                          "widen the filters, or import data first"
                          + ("; posts are drawn only from the accounts listed in pantau.toml"
                             if target == "post" and own_posts else ""))
    return store_sample(db, codebook, target=target, variables=chosen,
                        items=[(i["platform"], i["target_id"]) for i in items], coders=coders,
                        overlap=overlap, seed=seed, name=name, created_by=created_by,
                        filters={"candidate": candidate, "platform": platform,
                                 "strategy": strategy})


def store_sample(db, codebook: Codebook, *, target: str, variables: list[str],
                 items: list[tuple[str, str]], coders: list[str], overlap: float,
                 seed: int, name: str | None = None, created_by: str | None = None,
                 filters: dict[str, Any] | None = None) -> int:
    """Store a sample of the given (platform, id) items: a share `overlap` goes to two coders
    (for reliability), the rest to one coder each, in turn. Returns the sample id."""
    coders = list(dict.fromkeys(check_coder_name(c) for c in coders if c.strip()))
    if not coders:
        raise PantauError("name at least one coder")
    if not 0 <= overlap <= 1:
        raise PantauError("overlap is a share between 0 and 1 (e.g. 0.2 for 20%)")
    if not items:
        raise PantauError("nothing to sample: no item matches",
                          "widen the filters, or import and enrich data first")
    doubles = round(len(items) * overlap) if len(coders) >= 2 else 0
    rows = []
    for position, (platform, target_id) in enumerate(items):
        first = coders[position % len(coders)]
        rows.append((position, platform, target_id, first, position < doubles))
        if position < doubles:
            second = coders[(position + 1) % len(coders)]
            rows.append((position, platform, target_id, second, True))
    with db.write() as tx:
        sample_id = tx.execute("SELECT nextval('coding_sample_ids')")[0][0]
        tx.execute("""INSERT INTO coding_samples (sample_id, name, target, variables, size,
                      overlap, coders, seed, filters, created_by)
                      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                   [sample_id, name or f"{target} sample {sample_id}", target, variables,
                    len(items), overlap, coders, seed, json.dumps(filters or {}), created_by])
        tx.cur.executemany(
            "INSERT INTO coding_items (sample_id, position, platform, target_id, coder, "
            "double_coded) VALUES (?, ?, ?, ?, ?, ?)", [[sample_id, *r] for r in rows])
    return int(sample_id)


def samples(db) -> list[dict[str, Any]]:
    return db.rows("""
        SELECT s.*, count(i.position) AS assignments,
               count(i.coded_at) AS coded,
               count(DISTINCT i.position) FILTER (WHERE i.double_coded) AS double_items
        FROM coding_samples s LEFT JOIN coding_items i USING (sample_id)
        GROUP BY ALL ORDER BY s.sample_id DESC""")


def sample(db, sample_id: int) -> dict[str, Any]:
    found = db.one("SELECT * FROM coding_samples WHERE sample_id = ?", [sample_id])
    if not found:
        raise PantauError(f"no coding sample {sample_id}", "see the samples with "
                          "`pantau coding samples` or on the coding page")
    return found


def progress(db, sample_id: int) -> list[dict[str, Any]]:
    return db.rows("""SELECT coder, count(*) AS items, count(coded_at) AS coded
                      FROM coding_items WHERE sample_id = ? GROUP BY coder ORDER BY coder""",
                   [sample_id])


def assignments(db, sample_id: int, coder: str) -> list[dict[str, Any]]:
    return db.rows("""SELECT position, platform, target_id, double_coded, coded_at
                      FROM coding_items WHERE sample_id = ? AND coder = ?
                      ORDER BY position""", [sample_id, coder], cache=False)


def item_text(db, target: str, platform: str, target_id: str) -> dict[str, Any] | None:
    """The text to code and its context (for a comment: the post it answers), with ordinary
    people's handles pseudonymised as everywhere else in the app (the author, @mentions in the
    texts, the handle in the post's address)."""
    row = _item_row(db, target, platform, target_id)
    if row is None:
        return None
    masker = db.masker
    return {**row, "account": masker.handle(row["account"]), "text": masker.text(row["text"]),
            "context": masker.text(row["context"]), "url": masker.url(row["url"])}


def _item_row(db, target: str, platform: str, target_id: str) -> dict[str, Any] | None:
    if target == "post":
        return db.one("""
            SELECT p.platform, p.post_id AS target_id, p.text, p.created_at, p.media_type,
                   p.url, a.handle AS account, a.candidate_id, NULL AS context
            FROM posts p LEFT JOIN accounts a ON a.platform = p.platform
                                              AND a.account_id = p.account_id
            WHERE p.platform = ? AND p.post_id = ?""", [platform, target_id])
    found = db.one("""
        SELECT c.platform, c.comment_id AS target_id, c.text, c.created_at,
               NULL AS media_type, NULL AS url, c.author_handle AS account, a.candidate_id,
               p.text AS context, c.post_id, c.parent_id, par.text AS parent_text
        FROM comments c
        LEFT JOIN posts p ON p.platform = c.platform AND p.post_id = c.post_id
        LEFT JOIN accounts a ON a.platform = p.platform AND a.account_id = p.account_id
        LEFT JOIN comments par ON par.platform = c.platform AND par.comment_id = c.parent_id
        WHERE c.platform = ? AND c.comment_id = ?""", [platform, target_id])
    if found:
        found = dict(found)
        found["thread"] = thread_of(db, platform, found)
    return found


THREAD_LIMIT = 12


def thread_of(db, platform: str, comment: dict[str, Any]) -> list[dict[str, Any]]:
    """The comment's thread in time order (its top comment and the replies under it, at most
    THREAD_LIMIT, centred on the comment), texts only: the coder sees the exchange, not the
    commenters' handles."""
    top = comment.get("parent_id") or comment["target_id"]
    rows = db.rows("""
        SELECT comment_id, text, created_at, by_post_author, comment_id = ? AS is_item
        FROM comments WHERE platform = ? AND (comment_id = ? OR parent_id = ?)
        ORDER BY comment_id = ? DESC, created_at, comment_id""",
                   [comment["target_id"], platform, top, top, top], cache=False)
    if len(rows) <= 1:
        return []
    head, replies = rows[0], rows[1:]
    at = next((k for k, r in enumerate(replies) if r["is_item"]), 0)
    start = max(0, min(at - THREAD_LIMIT // 2, len(replies) - THREAD_LIMIT + 1))
    return [head, *replies[start:start + THREAD_LIMIT - 1]]


def codes_of(db, target: str, platform: str, target_id: str, schemes: list[str],
             source: str) -> dict[str, list[str]]:
    """One source's codes for one item: {scheme: [values]} ([] = coded, nothing applies)."""
    found: dict[str, list[str]] = {}
    for row in db.rows("""SELECT scheme, value FROM labels WHERE target = ? AND platform = ?
                          AND target_id = ? AND source = ? AND scheme IN (SELECT unnest(?))
                          ORDER BY value""",
                       [target, platform, target_id, source, schemes], cache=False):
        found.setdefault(row["scheme"], [])
        if row["value"] is not None:
            found[row["scheme"]].append(row["value"])
    return found


def validate_codes(codebook: Codebook, variables: list[str],
                   codes: dict[str, list[str]]) -> dict[str, list[str]]:
    """Refuse values outside the codebook and several values for a one-value variable."""
    clean: dict[str, list[str]] = {}
    for name in variables:
        variable = codebook.get(name)
        values = [v for v in codes.get(name, []) if v != ""]
        bad = [v for v in values if v not in variable.codes]
        if bad:
            raise PantauError(f"{name}: {bad[0]!r} is not in the codebook",
                              f"use one of {', '.join(variable.codes)}")
        if not variable.multiple and len(values) > 1:
            raise PantauError(f"{name} takes one value, got {len(values)}")
        if name in codes:
            clean[name] = sorted(set(values))
    return clean


def write_codes(tx, codebook: Codebook, *, target: str, platform: str, target_id: str,
                coder: str, codes: dict[str, list[str]]) -> None:
    """Replace one coder's codes for one item (inside a write transaction). A one-value
    variable with no value is left uncoded; a several-value one is stored as 'none applies'."""
    source = source_of(coder)
    for name, values in codes.items():
        variable = codebook.get(name)
        if not values and not variable.multiple:
            continue
        tx.execute("DELETE FROM labels WHERE target = ? AND platform = ? AND target_id = ? "
                   "AND scheme = ? AND source = ?", [target, platform, target_id, name, source])
        for value in values or [None]:
            tx.execute("INSERT INTO labels (platform, target, target_id, scheme, value, score, "
                       "source) VALUES (?, ?, ?, ?, ?, 1.0, ?)",
                       [platform, target, target_id, name, value, source])


def save_item(db, codebook: Codebook, *, sample_id: int, position: int, coder: str,
              codes: dict[str, list[str]]) -> None:
    """Store a coder's codes for one assigned item and mark it coded."""
    s = sample(db, sample_id)
    item = db.one("SELECT platform, target_id FROM coding_items WHERE sample_id = ? "
                  "AND position = ? AND coder = ?", [sample_id, position, coder], cache=False)
    if item is None:
        raise PantauError(f"item {position} of sample {sample_id} is not assigned to {coder}")
    clean = validate_codes(codebook, list(s["variables"]), codes)
    missing = [n for n in s["variables"]
               if not codebook.get(n).multiple and not clean.get(n)]
    if missing:
        raise PantauError(f"choose a value for {', '.join(missing)}",
                          "every one-value variable needs a code")
    with db.write() as tx:
        write_codes(tx, codebook, target=s["target"], platform=item["platform"],
                    target_id=item["target_id"], coder=coder, codes=clean)
        tx.execute("UPDATE coding_items SET coded_at = now()::TIMESTAMP WHERE sample_id = ? "
                   "AND position = ? AND coder = ?", [sample_id, position, coder])
        _refresh(db, tx, s["target"], item["platform"], item["target_id"])


def _refresh(db, tx, target: str, platform: str, target_id: str) -> None:
    if getattr(db, "indexed", False):
        tx.after(lambda cur: db.refresh_labels(cur, target, platform, target_id))


# -- reliability and disagreements --------------------------------------------------------
def coder_codes(db, target: str, schemes: list[str], sample_id: int | None = None,
                include_adjudicated: bool = False) -> dict[str, dict[tuple, dict[str, tuple]]]:
    """{scheme: {(platform, target_id): {coder: tuple(sorted values)}}} from coder labels."""
    where = ["l.target = ?", "l.source LIKE 'coder:%'", "l.scheme IN (SELECT unnest(?))"]
    params: list[Any] = [target, schemes]
    if not include_adjudicated:
        where.append("l.source <> ?")
        params.append(source_of(ADJUDICATED))
    join = ""
    if sample_id is not None:
        join = ("JOIN (SELECT DISTINCT platform, target_id FROM coding_items "
                "WHERE sample_id = ?) i ON i.platform = l.platform AND i.target_id = l.target_id")
        params.insert(0, sample_id)
    out: dict[str, dict[tuple, dict[str, list]]] = {s: defaultdict(dict) for s in schemes}
    for row in db.rows(f"""
            SELECT l.scheme, l.platform, l.target_id, substr(l.source, 7) AS coder,
                   list(l.value ORDER BY l.value) FILTER (WHERE l.value IS NOT NULL) AS vals
            FROM labels l {join} WHERE {' AND '.join(where)} GROUP BY ALL""", params):
        out[row["scheme"]][(row["platform"], row["target_id"])][row["coder"]] = \
            tuple(row["vals"] or ())
    return {s: dict(units) for s, units in out.items()}


def reliability(db, codebook: Codebook, *, target: str | None = None,
                sample_id: int | None = None, bootstrap: int = 1000) -> list[dict[str, Any]]:
    """Krippendorff's alpha (nominal) per variable over items coded by two or more coders;
    for a several-value variable, one row per value (present or not)."""
    rows: list[dict[str, Any]] = []
    targets = [target] if target else list(TARGETS)
    for t in targets:
        variables = variables_for(codebook, t)
        if not variables:
            continue
        codes = coder_codes(db, t, [v.name for v in variables], sample_id)
        for variable in variables:
            units = codes.get(variable.name, {})
            if not variable.multiple:
                data = {u: {c: (v[0] if v else None) for c, v in by.items()}
                        for u, by in units.items()}
                rows.append({"variable": variable.name, "value": None, "target": t,
                             **krippendorff_alpha(data, bootstrap=bootstrap).as_dict()})
                continue
            # the set of values as one nominal value (as analysis_reliability), then each
            # value on its own: present or not
            data = {u: {c: "|".join(v) or "(none)" for c, v in by.items()}
                    for u, by in units.items()}
            rows.append({"variable": variable.name, "value": None, "target": t,
                         **krippendorff_alpha(data, bootstrap=bootstrap).as_dict()})
            for value in variable.values:
                data = {u: {c: value.code in v for c, v in by.items()}
                        for u, by in units.items()}
                rows.append({"variable": variable.name, "value": value.code, "target": t,
                             **krippendorff_alpha(data, bootstrap=bootstrap).as_dict()})
    return rows


def disagreements(db, codebook: Codebook, variable: str, *, sample_id: int | None = None,
                  limit: int = 200) -> list[dict[str, Any]]:
    """Items coded by two or more coders who differ on `variable`, with the settled code."""
    var = codebook.get(variable)
    units = coder_codes(db, var.target, [var.name], sample_id,
                        include_adjudicated=True).get(var.name, {})
    out = []
    for (platform, target_id), by in sorted(units.items()):
        adjudicated = by.pop(ADJUDICATED, None)
        if len(by) < 2 or len(set(by.values())) == 1:
            continue
        out.append({"platform": platform, "target_id": target_id, "codes": dict(sorted(
            by.items())), "adjudicated": adjudicated})
        if len(out) >= limit:
            break
    return out


def adjudicate(db, codebook: Codebook, *, variable: str, platform: str, target_id: str,
               values: list[str], by: str) -> None:
    """Settle a disagreement: store the final code as `coder:adjudicated` (evidence = who)."""
    var = codebook.get(variable)
    clean = validate_codes(codebook, [variable], {variable: values})
    if not var.multiple and not clean.get(variable):
        raise PantauError("choose the settled value")
    with db.write() as tx:
        write_codes(tx, codebook, target=var.target, platform=platform, target_id=target_id,
                    coder=ADJUDICATED, codes=clean)
        tx.execute("UPDATE labels SET evidence = ? WHERE target = ? AND platform = ? AND "
                   "target_id = ? AND scheme = ? AND source = ?",
                   [json.dumps({"adjudicated_by": by}), var.target, platform, target_id,
                    variable, source_of(ADJUDICATED)])
        _refresh(db, tx, var.target, platform, target_id)


# -- spreadsheets -------------------------------------------------------------------------
BASE_COLUMNS = ("sample_id", "position", "coder", "platform", "target", "target_id", "text",
                "context")


def export_rows(db, codebook: Codebook, sample_id: int,
                coder: str | None = None) -> tuple[list[str], list[list[Any]]]:
    """One row per assignment with the text, its context and the codes given so far
    (several values joined by ';')."""
    s = sample(db, sample_id)
    variables = list(s["variables"])
    target = s["target"]
    table, key = ("posts", "post_id") if target == "post" else ("comments", "comment_id")
    context = ("NULL" if target == "post" else
               "(SELECT left(p.text, 500) FROM posts p WHERE p.platform = t.platform "
               "AND p.post_id = t.post_id)")
    params: list[Any] = [sample_id]
    where = "i.sample_id = ?"
    if coder:
        where += " AND i.coder = ?"
        params.append(coder)
    items = db.rows(f"""
        SELECT i.position, i.coder, i.platform, i.target_id, t.text, {context} AS context
        FROM coding_items i LEFT JOIN {table} t ON t.platform = i.platform
                                                AND t.{key} = i.target_id
        WHERE {where} ORDER BY i.coder, i.position""", params, cache=False)
    codes = coder_codes(db, target, variables, sample_id)
    rows = []
    for item in items:
        unit = (item["platform"], item["target_id"])
        row = [sample_id, item["position"], item["coder"], item["platform"], target,
               item["target_id"], db.masker.text(item["text"]),
               db.masker.text(item["context"])]
        for name in variables:
            given = codes.get(name, {}).get(unit, {}).get(item["coder"])
            row.append("" if given is None else ";".join(given))
        rows.append(row)
    return [*BASE_COLUMNS, *variables], rows


def codebook_rows(codebook: Codebook, variables: list[str]) -> list[list[str]]:
    rows = [["variable", "several_values", "code", "label_id", "label_en"]]
    for name in variables:
        v = codebook.get(name)
        for o in v.values:
            rows.append([v.name, "yes" if v.multiple else "no", o.code, o.label_id, o.label_en])
    return rows


def write_export(path: Path, columns: list[str], rows: list[list[Any]],
                 codebook_table: list[list[str]]) -> list[Path]:
    """CSV (plus NAME.codebook.csv beside it) or XLSX (a second sheet 'codebook')."""
    if path.suffix.lower() == ".xlsx":
        import xlsxwriter

        book = xlsxwriter.Workbook(str(path), {"strings_to_urls": False,
                                               "strings_to_formulas": False})
        sheet = book.add_worksheet("coding")
        sheet.write_row(0, 0, columns)
        for r, row in enumerate(rows, start=1):
            sheet.write_row(r, 0, ["" if v is None else str(v) for v in row])
        sheet.freeze_panes(1, 0)
        cb = book.add_worksheet("codebook")
        for r, row in enumerate(codebook_table):
            cb.write_row(r, 0, row)
        book.close()
        return [path]
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        writer.writerows(safe_row(row) for row in rows)
    side = path.with_name(path.stem + ".codebook.csv")
    with side.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(safe_row(row) for row in codebook_table)
    return [path, side]


def read_import(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        raise PantauError(f"{path} does not exist")
    if path.suffix.lower() == ".xlsx":
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        sheet = book["coding"] if "coding" in book.sheetnames else book.worksheets[0]
        values = list(sheet.iter_rows(values_only=True))
        book.close()
        if not values:
            return []
        header = [str(h or "").strip() for h in values[0]]
        return [{h: ("" if v is None else str(v)) for h, v in zip(header, row, strict=False)}
                for row in values[1:]]
    text = path.read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def import_rows(db, codebook: Codebook, rows: list[dict[str, str]],
                coder: str | None = None) -> dict[str, int]:
    """Store codes from an exported spreadsheet. A row with at least one code filled in
    counts as coded (an empty several-value cell then means 'none applies'); rows with no
    code are skipped. Every row is checked before anything is written."""
    missing = [c for c in ("sample_id", "position", "coder", "platform", "target_id")
               if rows and c not in rows[0]]
    if missing:
        raise PantauError(f"the file lacks column(s) {', '.join(missing)}",
                          "import the file `pantau coding export` wrote, with its header")
    planned = []
    samples_seen: dict[int, dict[str, Any]] = {}
    for n, row in enumerate(rows, start=2):
        try:
            sample_id, position = int(row["sample_id"]), int(row["position"])
        except (TypeError, ValueError):
            raise PantauError(f"row {n}: sample_id and position must be numbers") from None
        if sample_id not in samples_seen:
            samples_seen[sample_id] = sample(db, sample_id)
        s = samples_seen[sample_id]
        who = check_coder_name(coder or row["coder"])
        given = {name: [v.strip() for v in (row.get(name) or "").split(";") if v.strip()]
                 for name in s["variables"] if name in row}
        if not any(given.values()):
            continue
        try:
            clean = validate_codes(codebook, list(s["variables"]), given)
        except PantauError as exc:
            raise PantauError(f"row {n}: {exc.message}", exc.hint) from None
        item = db.one("SELECT platform, target_id FROM coding_items WHERE sample_id = ? "
                      "AND position = ? AND platform = ? AND target_id = ?",
                      [sample_id, position, row["platform"], row["target_id"]], cache=False)
        if item is None:
            raise PantauError(f"row {n}: item {position} ({row['platform']}:"
                              f"{row['target_id']}) is not in sample {sample_id}",
                              "do not edit the id columns of an exported file")
        planned.append((s, item, who, clean, sample_id, position))
    with db.write() as tx:
        for s, item, who, clean, sample_id, position in planned:
            write_codes(tx, codebook, target=s["target"], platform=item["platform"],
                        target_id=item["target_id"], coder=who, codes=clean)
            assigned = tx.execute("SELECT count(*) FROM coding_items WHERE sample_id = ? "
                                  "AND position = ? AND coder = ?", [sample_id, position, who])
            if assigned[0][0]:
                tx.execute("UPDATE coding_items SET coded_at = now()::TIMESTAMP "
                           "WHERE sample_id = ? AND position = ? AND coder = ?",
                           [sample_id, position, who])
            else:  # a coder who was not assigned the item still coded it: record that
                tx.execute("INSERT INTO coding_items (sample_id, position, platform, "
                           "target_id, coder, double_coded, coded_at) VALUES "
                           "(?, ?, ?, ?, ?, true, now()::TIMESTAMP)",
                           [sample_id, position, item["platform"], item["target_id"], who])
            _refresh(db, tx, s["target"], item["platform"], item["target_id"])
    return {"rows": len(rows), "coded": len(planned), "skipped": len(rows) - len(planned)}
