"""Manual coding end to end through the HTTP API and the CLI: samples with overlap, the coding
screen, codes as `coder:NAME` labels, alpha, disagreements, adjudication, spreadsheets."""

from __future__ import annotations

import csv
import io
import re

import pytest
from typer.testing import CliRunner

from pantau import store
from pantau.cli import app as cli

from .support import ADMIN, CODER, csrf_of, login


def _token(client) -> str:
    return csrf_of(client.get("/coding").text)


def _set_coder(client, name: str) -> None:
    response = client.post("/coding/coder", data={"coder": name, "csrf": _token(client)})
    assert response.status_code == 303


def _draw(client, **form) -> int:
    data = {"target": "post", "size": "10", "coders": "ana, budi", "overlap": "0.5",
            "seed": "7", **form, "csrf": _token(client)}
    response = client.post("/coding/samples", data=data)
    assert response.status_code == 303, response.text[:800]
    return int(response.headers["location"].rsplit("/", 1)[1])


def _code(client, sample: int, codes: dict[str, list[str]], action: str = "save",
          path: str | None = None):
    """Save codes for the item the coding screen shows (at `path`, default the next uncoded
    item); returns (position, response)."""
    page = client.get(path or f"/coding/samples/{sample}/code")
    assert page.status_code == 200, page.text[:500]
    position = int(re.search(r'/code/(\d+)" id="code-form"', page.text).group(1))
    data: dict[str, str | list[str]] = {"csrf": csrf_of(page.text), "action": action}
    data.update({f"v.{name}": values for name, values in codes.items()})
    return position, client.post(f"/coding/samples/{sample}/code/{position}", data=data)


def _labels(client, source: str) -> list[dict]:
    return client.app.state.web.db.rows(
        "SELECT target_id, scheme, value FROM labels WHERE source = ? ORDER BY ALL",
        [source], cache=False)


def test_a_coder_name_is_needed_before_coding(client):
    sample = _draw(client)
    response = client.get(f"/coding/samples/{sample}/code")
    assert response.status_code == 303 and response.headers["location"].startswith("/coding")
    bad = client.post("/coding/coder", data={"coder": "<b>x</b>", "csrf": _token(client)})
    assert bad.status_code == 400
    _set_coder(client, "ana")
    assert "coder:ana" in client.get("/coding").text


def test_sample_with_overlap_is_split_between_coders(client):
    sample = _draw(client, size="10", overlap="0.4", coders="ana,budi,cici")
    db = client.app.state.web.db
    rows = db.rows("SELECT position, coder, double_coded FROM coding_items WHERE sample_id = ?",
                   [sample], cache=False)
    positions = {r["position"] for r in rows}
    assert positions == set(range(10))
    double = {r["position"] for r in rows if r["double_coded"]}
    assert len(double) == 4 and len(rows) == 14
    for p in double:
        assert len({r["coder"] for r in rows if r["position"] == p}) == 2
    assert {r["coder"] for r in rows} == {"ana", "budi", "cici"}
    # the same seed draws the same items; a second sample leaves out items already drawn
    items = db.rows("SELECT DISTINCT target_id FROM coding_items WHERE sample_id = ?",
                    [sample], cache=False)
    again = _draw(client, size="10", overlap="0", coders="ana")
    other = db.rows("SELECT DISTINCT target_id FROM coding_items WHERE sample_id = ?",
                    [again], cache=False)
    assert not {r["target_id"] for r in items} & {r["target_id"] for r in other}


@pytest.mark.parametrize(("form", "message"), [
    ({"size": "0"}, "between 1"), ({"overlap": "2"}, "overlap"), ({"coders": ""}, "coder"),
    ({"target": "account"}, "target"), ({"variables": "tone"}, "not post variables"),
    ({"size": "ten"}, "whole number"), ({"candidate": "nobody"}, "nothing to sample"),
])
def test_bad_sample_requests_are_refused(client, form, message):
    data = {"target": "post", "size": "5", "coders": "ana", "overlap": "0.2", **form,
            "csrf": _token(client)}
    response = client.post("/coding/samples", data=data)
    assert response.status_code == 400 and message in response.text


def test_coding_screen_saves_labels_as_coder_name(client):
    sample = _draw(client, size="4", overlap="0", coders="ana")
    _set_coder(client, "ana")
    screen = client.get(f"/coding/samples/{sample}/code").text
    assert 'data-keys="1234567890' in screen and "<kbd>1</kbd>" in screen
    assert 'name="v.post_function"' in screen and 'name="v.topic"' in screen
    assert 'type="checkbox" name="v.topic"' in screen and 'type="radio" name="v.post_function"' \
        in screen
    position, response = _code(client, sample, {"post_function": ["P4"],
                                                "topic": ["banjir", "macet"]})
    assert response.status_code == 303
    assert "saved=1" in response.headers["location"]
    labels = _labels(client, "coder:ana")
    assert [(r["scheme"], r["value"]) for r in labels] == [
        ("post_flags", None), ("post_function", "P4"), ("topic", "banjir"), ("topic", "macet")]
    # coding the same item again replaces the codes
    page = client.get(f"/coding/samples/{sample}/code?pos={position}")
    assert 'value="P4" checked' in page.text
    client.post(f"/coding/samples/{sample}/code/{position}",
                data={"csrf": csrf_of(page.text), "v.post_function": "P1"})
    assert [(r["scheme"], r["value"]) for r in _labels(client, "coder:ana")] == [
        ("post_flags", None), ("post_function", "P1"), ("topic", None)]
    # the coder's code now wins over the model everywhere
    target = labels[0]["target_id"]
    platform = client.app.state.web.db.scalar("SELECT platform FROM posts WHERE post_id = ?",
                                              [target])
    post = client.get(f"/posts/{platform}/{target}").text
    assert "coder:ana" in post
    assert f'/posts/{platform}/{target}"' in client.get("/posts?function=P1").text


def test_invalid_codes_are_refused(client):
    sample = _draw(client, size="2", overlap="0", coders="ana")
    _set_coder(client, "ana")
    _, bad_value = _code(client, sample, {"post_function": ["P99"]})
    assert bad_value.status_code == 400 and "not in the codebook" in bad_value.text
    _, two = _code(client, sample, {"post_function": ["P1", "P2"]})
    assert two.status_code == 400 and "one value" in two.text
    _, missing = _code(client, sample, {"topic": ["banjir"]})
    assert missing.status_code == 400 and "choose a value for post_function" in missing.text
    assert _labels(client, "coder:ana") == []
    # another coder's items are not yours to code
    position = client.app.state.web.db.scalar(
        "SELECT min(position) FROM coding_items WHERE sample_id = ?", [sample], cache=False)
    _set_coder(client, "eve")
    response = client.post(f"/coding/samples/{sample}/code/{position}",
                           data={"csrf": _token(client), "v.post_function": "P1"})
    assert response.status_code == 400 and "not assigned" in response.text


def test_skip_and_finish(client):
    sample = _draw(client, size="2", overlap="0", coders="ana")
    _set_coder(client, "ana")
    first, skipped = _code(client, sample, {}, action="skip")
    assert skipped.status_code == 303
    second, saved = _code(client, sample, {"post_function": ["P2"]},
                          path=skipped.headers["location"])
    assert second != first
    assert saved.headers["location"].endswith(f"?pos={first}&saved=1")  # back to the skipped
    _, saved = _code(client, sample, {"post_function": ["P3"]}, path=saved.headers["location"])
    assert saved.headers["location"] == f"/coding/samples/{sample}/code"
    done = client.get(saved.headers["location"])
    assert 'id="done"' in done.text


def _double_code(client, sample: int, answers: dict[str, str]) -> None:
    """ana and budi code all their items; budi differs from ana on the items in `answers`."""
    db = client.app.state.web.db
    for coder in ("ana", "budi"):
        _set_coder(client, coder)
        for item in db.rows("SELECT position, target_id FROM coding_items WHERE sample_id = ? "
                            "AND coder = ? ORDER BY position", [sample, coder], cache=False):
            value = "P1"
            if coder == "budi":
                value = answers.get(item["target_id"], "P1")
            page = client.get(f"/coding/samples/{sample}/code?pos={item['position']}")
            response = client.post(f"/coding/samples/{sample}/code/{item['position']}",
                                   data={"csrf": csrf_of(page.text), "v.post_function": value,
                                         "v.topic": "banjir"})
            assert response.status_code == 303


def test_alpha_disagreements_and_adjudication(client):
    sample = _draw(client, size="12", overlap="1", coders="ana,budi",
                   variables=["post_function", "topic"])
    db = client.app.state.web.db
    items = [r["target_id"] for r in db.rows(
        "SELECT DISTINCT target_id FROM coding_items WHERE sample_id = ? ORDER BY 1",
        [sample], cache=False)]
    answers = {items[0]: "P2", items[1]: "P3", items[2]: "P2", items[3]: "P2", items[4]: "P2",
               items[5]: "P2"}
    # ana says P1 everywhere; budi says P2/P3 on six: about half agree
    _double_code(client, sample, answers)
    page = client.get(f"/coding/reliability?sample={sample}").text
    row = re.search(r'data-variable="post_function" data-value="">(.*?)</tr>', page, re.S)
    assert row and "unreliable" in row.group(1) and "12</td>" in row.group(1)
    assert re.search(r'data-variable="topic" data-value="banjir">.*?undefined', page, re.S)
    disagreements = client.get(f"/coding/disagreements?variable=post_function&sample={sample}")
    assert disagreements.text.count('<article class="disagreement">') == 6
    # the admin settles one
    response = client.post("/coding/adjudicate", data={
        "csrf": _token(client), "variable": "post_function", "platform": "tiktok",
        "target_id": items[0], "value": "P2", "sample": str(sample)})
    platform = db.scalar("SELECT platform FROM posts WHERE post_id = ?", [items[0]])
    if platform != "tiktok":
        response = client.post("/coding/adjudicate", data={
            "csrf": _token(client), "variable": "post_function", "platform": platform,
            "target_id": items[0], "value": "P2", "sample": str(sample)})
    assert response.status_code == 303
    settled = db.rows("SELECT value, evidence FROM labels WHERE source = 'coder:adjudicated'",
                      cache=False)
    assert settled == [{"value": "P2", "evidence": '{"adjudicated_by": "local"}'}]
    after = client.get(f"/coding/disagreements?variable=post_function&sample={sample}").text
    assert 'class="settled"' in after
    # the settled code is the effective label: analyses prefer it
    assert f"/posts/{platform}/{items[0]}\"" in client.get("/posts?function=P2").text
    # alpha still compares the coders only (an adjudicated code is not a third coder)
    again = client.get(f"/coding/reliability?sample={sample}").text
    assert re.search(r'data-variable="post_function" data-value="">.*?<td class="n">2</td>',
                     again, re.S)


def test_comment_codes_update_the_explorer(client):
    sample = _draw(client, target="comment", size="3", overlap="0", coders="ana",
                   variables="comment_category")
    _set_coder(client, "ana")
    before = client.get("/comments?category=kritik").text  # rendered and cached
    assert "coder:ana" not in before
    screen = client.get(f"/coding/samples/{sample}/code").text
    assert "Unggahan yang dikomentari" in screen  # the post it answers, as context
    assert "tone" not in re.findall(r'name="v\.(\w+)"', screen)
    _, response = _code(client, sample, {"comment_category": ["kritik"]})
    assert response.status_code == 303
    coded = _labels(client, "coder:ana")[0]["target_id"]
    html = client.get("/comments?category=kritik").text  # the write emptied the cache
    assert f"#c-{coded}" in html and "coder:ana" in html


def test_user_added_variable_is_codable(client):
    sample = _draw(client, target="comment", size="2", overlap="0", coders="ana",
                   variables="tone")
    _set_coder(client, "ana")
    screen = client.get(f"/coding/samples/{sample}/code?lang=en").text
    assert "Tone &lt;b&gt;of the comment&lt;/b&gt;" in screen
    _, response = _code(client, sample, {"tone": ["kasar"]})
    assert response.status_code == 303
    assert [r["value"] for r in _labels(client, "coder:ana")] == ["kasar"]


def test_web_export_and_import_round_trip(client):
    sample = _draw(client, size="4", overlap="0.5", coders="ana,budi")
    exported = client.get(f"/coding/samples/{sample}/export.csv")
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text.lstrip("\ufeff"))))
    assert len(rows) == 6 and set(rows[0]) >= {"sample_id", "coder", "text", "post_function"}
    assert any(r["text"].startswith("'") is False and "<script>" in r["text"] for r in rows)
    for r in rows:
        r["post_function"] = "P5"
        r["topic"] = "macet;banjir"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    response = client.post(f"/coding/samples/{sample}/import",
                           data={"csrf": _token(client)},
                           files={"file": ("codes.csv", out.getvalue().encode(), "text/csv")})
    assert response.status_code == 303, response.text[:600]
    db = client.app.state.web.db
    assert db.scalar("SELECT count(*) FROM coding_items WHERE sample_id = ? "
                     "AND coded_at IS NOT NULL", [sample], cache=False) == 6
    assert db.scalar("SELECT count(*) FROM labels WHERE source IN ('coder:ana', 'coder:budi') "
                     "AND scheme = 'topic'", cache=False) == 12


def test_formula_cells_are_defused_in_exports(client):
    from pantau.cells import safe_cell as _safe_cell

    assert _safe_cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert _safe_cell("@cmd") == "'@cmd" and _safe_cell("biasa") == "biasa"


def test_coder_codes_under_their_account(auth_client):
    login(auth_client, "ana", ADMIN[1])
    sample = _draw(auth_client, size="2", overlap="0", coders="budi")
    bad = auth_client.post("/coding/samples", data={
        "target": "post", "size": "2", "coders": "mallory", "overlap": "0",
        "csrf": _token(auth_client)})
    assert bad.status_code == 400 and "no user named mallory" in bad.text
    auth_client.post("/logout", data={"csrf": _token(auth_client)})
    login(auth_client, "budi", CODER[1])
    assert auth_client.post("/coding/coder", data={"coder": "ana",
                                                   "csrf": _token(auth_client)}).status_code \
        == 400
    _, response = _code(auth_client, sample, {"post_function": ["P7"]})
    assert response.status_code == 303
    assert [r["value"] for r in _labels(auth_client, "coder:budi")
            if r["scheme"] == "post_function"] == ["P7"]
    # a coder exports only their own rows and imports nobody else's
    exported = auth_client.get(f"/coding/samples/{sample}/export.csv").text
    rows = list(csv.DictReader(io.StringIO(exported.lstrip("\ufeff"))))
    assert {r["coder"] for r in rows} == {"budi"}
    rows[0]["coder"] = "ana"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    forged = auth_client.post(f"/coding/samples/{sample}/import",
                              data={"csrf": _token(auth_client)},
                              files={"file": ("c.csv", out.getvalue().encode(), "text/csv")})
    assert forged.status_code == 403


# -- the CLI ----------------------------------------------------------------------------------
def _cli(*args):
    result = CliRunner().invoke(cli, list(args))
    return result


def test_cli_sample_export_import_alpha(web_project, tmp_path):
    root = str(web_project.root)
    drawn = _cli("coding", "sample", "--project", root, "--size", "6", "--coders", "ana,budi",
                 "--overlap", "1", "--seed", "3", "--variable", "post_function", "--json")
    assert drawn.exit_code == 0, drawn.output
    listing = _cli("coding", "samples", "--project", root)
    assert "post_function" in listing.output and "ana, budi" in listing.output
    xlsx = tmp_path / "codes.xlsx"
    exported = _cli("coding", "export", "1", "--out", str(xlsx), "--project", root)
    assert exported.exit_code == 0, exported.output
    import openpyxl

    book = openpyxl.load_workbook(xlsx)
    assert book.sheetnames == ["coding", "codebook"]
    sheet = book["coding"]
    header = [c.value for c in sheet[1]]
    column = header.index("post_function") + 1
    coders = header.index("coder") + 1
    for row in range(2, sheet.max_row + 1):
        coder = sheet.cell(row, coders).value
        sheet.cell(row, column).value = "P1" if coder == "ana" or row % 2 else "P2"
    book.save(xlsx)
    imported = _cli("coding", "import", str(xlsx), "--project", root, "--json")
    assert imported.exit_code == 0, imported.output
    assert '"coded": 12' in imported.output
    alpha = _cli("coding", "alpha", "--project", root, "--json")
    assert alpha.exit_code == 0 and '"variable": "post_function"' in alpha.output
    table = _cli("coding", "alpha", "--project", root, "--sample", "1")
    assert "post_function" in table.output
    csv_out = tmp_path / "codes.csv"
    assert _cli("coding", "export", "1", "--out", str(csv_out), "--project", root,
                "--coder", "ana").exit_code == 0
    assert (tmp_path / "codes.codebook.csv").exists()
    text = csv_out.read_text(encoding="utf-8-sig")
    assert text.count("\n") == 7 and ",ana," in text


def test_cli_import_refuses_bad_files(web_project, tmp_path):
    root = str(web_project.root)
    _cli("coding", "sample", "--project", root, "--size", "2", "--coders", "ana")
    path = tmp_path / "bad.csv"
    path.write_text("sample_id,position,coder,platform,target_id,post_function\n"
                    "1,0,ana,tiktok,123,P1\n", encoding="utf-8")
    result = _cli("coding", "import", str(path), "--project", root)
    assert result.exit_code == 1 and "not in sample 1" in result.output
    con = store.connect(web_project.store_path)
    item = con.execute("SELECT platform, target_id FROM coding_items WHERE position = 0") \
        .fetchone()
    con.close()
    path.write_text("sample_id,position,coder,platform,target_id,post_function\n"
                    f"1,0,ana,{item[0]},{item[1]},P42\n", encoding="utf-8")
    result = _cli("coding", "import", str(path), "--project", root)
    assert result.exit_code == 1 and "row 2" in result.output and "P42" in result.output
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    assert "lacks column" in _cli("coding", "import", str(path), "--project", root).output


def test_cli_accounts(web_project):
    root = str(web_project.root)
    runner = CliRunner()
    added = runner.invoke(cli, ["coding", "add-user", "ana", "--role", "admin",
                                "--password-stdin", "--project", root],
                          input="a very long password\n")
    assert added.exit_code == 0, added.output
    weak = runner.invoke(cli, ["coding", "add-user", "budi", "--password-stdin", "--project",
                               root], input="short\n")
    assert weak.exit_code == 1 and "at least" in weak.output
    assert "ana" in runner.invoke(cli, ["coding", "users", "--project", root]).output
    assert runner.invoke(cli, ["coding", "remove-user", "ana", "--project", root]).exit_code == 0
    assert "ana" not in runner.invoke(cli, ["coding", "users", "--project", root]).output
