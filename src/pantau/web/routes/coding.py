"""Manual coding: samples, the keyboard coding screen, reliability, disagreements, and the
spreadsheet round trip from the browser."""

from __future__ import annotations

import io
from pathlib import Path

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from ...cells import safe_row
from ...errors import PantauError
from .. import coding
from ..context import Ctx, admin_write_ctx, user_ctx, user_write_ctx
from ..reliability import RELIABLE, TENTATIVE

router = APIRouter(prefix="/coding")
# Keys that choose a value on the coding screen, in order (j and k move between variables).
KEYS = "1234567890abcdefghilmnopqrsuvwxyz"


def _int(value, default: int | None = None) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _sample_or_404(ctx: Ctx, sample_id: int) -> dict:
    try:
        return coding.sample(ctx.db, sample_id)
    except PantauError:
        raise HTTPException(404, f"no coding sample {sample_id}") from None


@router.get("")
def home(ctx: Ctx = Depends(user_ctx)):
    samples = coding.samples(ctx.db)
    mine = {}
    if ctx.coder:
        for row in ctx.db.rows("""SELECT sample_id, count(*) AS items, count(coded_at) AS coded
                                  FROM coding_items WHERE coder = ? GROUP BY ALL""",
                               [ctx.coder], cache=False):
            mine[row["sample_id"]] = row
    users = ctx.app.auth.users() if ctx.app.auth.required else []
    candidates = ctx.app.candidates
    platforms = [r["platform"] for r in ctx.db.rows(
        "SELECT DISTINCT platform FROM posts ORDER BY 1")]
    return ctx.render("coding_home.html", samples=samples, mine=mine, users=users,
                      candidates=candidates, platforms=platforms)


@router.post("/coder")
async def set_coder(request: Request, ctx: Ctx = Depends(user_write_ctx)):
    if ctx.app.auth.required:
        raise HTTPException(400, "with accounts, you code under your user name")
    form = await request.form()
    name = coding.check_coder_name(str(form.get("coder", "")))
    ctx.app.auth.set_coder(ctx.sid, name)  # kept in the store with the session
    return RedirectResponse(coding_next(form.get("next")), status_code=303)


def coding_next(value) -> str:
    from ..redirects import safe_next

    return safe_next(str(value) if value else "/coding")


@router.post("/samples")
async def new_sample(request: Request, ctx: Ctx = Depends(user_write_ctx)):
    form = await request.form()
    target = str(form.get("target", "post"))
    coders = [c.strip() for c in str(form.get("coders", "")).split(",") if c.strip()]
    coders += [str(c) for c in form.getlist("coder") if str(c).strip()]
    if ctx.app.auth.required:
        known = {u["name"] for u in ctx.app.auth.users()}
        unknown = [c for c in coders if c not in known]
        if unknown:
            raise PantauError(f"no user named {', '.join(unknown)}",
                              "coders need accounts: an admin adds them on the Users page")
    try:
        overlap = float(str(form.get("overlap", "0.2")).replace(",", ".") or 0)
    except ValueError:
        raise PantauError("overlap must be a number between 0 and 1") from None
    size = _int(form.get("size"))
    if size is None:
        raise PantauError("the sample size must be a whole number")
    sample_id = coding.draw_sample(
        ctx.db, ctx.codebook, target=target, size=size, coders=coders, overlap=overlap,
        variables=[str(v) for v in form.getlist("variables")] or None,
        candidate=str(form.get("candidate") or "") or None,
        platform=str(form.get("platform") or "") or None,
        seed=_int(form.get("seed")), name=str(form.get("name") or "") or None,
        created_by=ctx.user)
    return RedirectResponse(f"/coding/samples/{sample_id}", status_code=303)


@router.get("/samples/{sample_id}")
def sample_page(sample_id: int, ctx: Ctx = Depends(user_ctx)):
    s = _sample_or_404(ctx, sample_id)
    progress = coding.progress(ctx.db, sample_id)
    mine = coding.assignments(ctx.db, sample_id, ctx.coder) if ctx.coder else []
    return ctx.render("coding_sample.html", s=s, progress=progress, mine=mine,
                      done=sum(1 for m in mine if m["coded_at"]))


@router.get("/samples/{sample_id}/code")
def code_screen(sample_id: int, request: Request, ctx: Ctx = Depends(user_ctx)):
    s = _sample_or_404(ctx, sample_id)
    if not ctx.coder:
        return RedirectResponse(f"/coding?next=/coding/samples/{sample_id}/code",
                                status_code=303)
    items = coding.assignments(ctx.db, sample_id, ctx.coder)
    if not items:
        return ctx.render("coding_done.html", s=s, message="No items assigned to you in "
                          "this sample.")
    positions = [i["position"] for i in items]
    pos = _int(request.query_params.get("pos"))
    if pos not in positions:
        pos = next((i["position"] for i in items if not i["coded_at"]), None)
        if pos is None:
            return ctx.render("coding_done.html", s=s, message="All items coded. Thank you!")
    k = positions.index(pos)
    item = items[k]
    text = coding.item_text(ctx.db, s["target"], item["platform"], item["target_id"])
    variables = [ctx.codebook.get(v) for v in s["variables"]]
    current = coding.codes_of(ctx.db, s["target"], item["platform"], item["target_id"],
                              list(s["variables"]), coding.source_of(ctx.coder))
    from ... import validate

    return ctx.render("coding_item.html", s=s, item=item, text=text, variables=variables,
                      blind=validate.is_validation_sample(ctx.db, sample_id),
                      current=current, index=k, total=len(items),
                      coded=sum(1 for i in items if i["coded_at"]),
                      prev_pos=positions[k - 1] if k > 0 else None,
                      next_pos=positions[k + 1] if k + 1 < len(items) else None,
                      saved=request.query_params.get("saved") == "1", keys=KEYS)


@router.post("/samples/{sample_id}/code/{position}")
async def save_code(sample_id: int, position: int, request: Request,
                    ctx: Ctx = Depends(user_write_ctx)):
    s = _sample_or_404(ctx, sample_id)
    if not ctx.coder:
        raise HTTPException(400, "choose a coder name first")
    form = await request.form()
    if form.get("action") != "skip":
        codes = {name: [str(v) for v in form.getlist(f"v.{name}")] for name in s["variables"]}
        coding.save_item(ctx.db, ctx.codebook, sample_id=sample_id, position=position,
                         coder=ctx.coder, codes=codes)
    items = coding.assignments(ctx.db, sample_id, ctx.coder)
    positions = [i["position"] for i in items]
    later = [i["position"] for i in items if not i["coded_at"] and i["position"] > position]
    earlier = [i["position"] for i in items if not i["coded_at"]]
    if form.get("action") == "skip":
        following = [p for p in positions if p > position]
        nxt = following[0] if following else (earlier[0] if earlier else None)
    else:
        nxt = later[0] if later else (earlier[0] if earlier else None)
    target = f"/coding/samples/{sample_id}/code"
    if nxt is not None:
        target += f"?pos={nxt}&saved=1"
    return RedirectResponse(target, status_code=303)


@router.get("/reliability")
def reliability_page(request: Request, ctx: Ctx = Depends(user_ctx)):
    sample_id = _int(request.query_params.get("sample"))
    target = request.query_params.get("target")
    target = target if target in coding.TARGETS else None
    rows = coding.reliability(ctx.db, ctx.codebook, target=target, sample_id=sample_id)
    samples = coding.samples(ctx.db)
    chosen = next((s for s in samples if s["sample_id"] == sample_id), None)
    if chosen:  # only the variables that sample codes
        rows = [r for r in rows if r["variable"] in chosen["variables"]]
    return ctx.render("reliability.html", rows=rows, samples=samples, sample_id=sample_id,
                      target=target, reliable=RELIABLE, tentative=TENTATIVE)


@router.get("/disagreements")
def disagreements_page(request: Request, ctx: Ctx = Depends(user_ctx)):
    names = list(ctx.codebook.variables)
    variable = request.query_params.get("variable")
    variable = variable if variable in names else (names[0] if names else None)
    sample_id = _int(request.query_params.get("sample"))
    rows = []
    var = None
    if variable:
        var = ctx.codebook.get(variable)
        rows = coding.disagreements(ctx.db, ctx.codebook, variable, sample_id=sample_id)
        for row in rows:
            row["item"] = coding.item_text(ctx.db, var.target, row["platform"],
                                           row["target_id"])
    return ctx.render("disagreements.html", rows=rows, variable=var, names=names,
                      sample_id=sample_id, samples=coding.samples(ctx.db))


@router.post("/adjudicate")
async def adjudicate(request: Request, ctx: Ctx = Depends(admin_write_ctx)):
    form = await request.form()
    variable = str(form.get("variable", ""))
    coding.adjudicate(ctx.db, ctx.codebook, variable=variable,
                      platform=str(form.get("platform", "")),
                      target_id=str(form.get("target_id", "")),
                      values=[str(v) for v in form.getlist("value") if str(v)], by=ctx.user)
    back = f"/coding/disagreements?variable={variable}"
    if form.get("sample"):
        back += f"&sample={_int(form.get('sample'), 0)}"
    return RedirectResponse(back, status_code=303)


@router.get("/samples/{sample_id}/export.csv")
def export_csv(sample_id: int, ctx: Ctx = Depends(user_ctx)):
    s = _sample_or_404(ctx, sample_id)
    coder = None if ctx.is_admin else ctx.coder
    columns, rows = coding.export_rows(ctx.db, ctx.codebook, sample_id, coder)
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows(safe_row(row) for row in rows)
    name = f"pantau-sample-{s['sample_id']}{'-' + coder if coder else ''}.csv"
    return Response("\ufeff" + buffer.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="{name}"'})


@router.post("/samples/{sample_id}/import")
async def import_csv(sample_id: int, request: Request, ctx: Ctx = Depends(user_write_ctx)):
    _sample_or_404(ctx, sample_id)
    form = await request.form()
    upload = form.get("file")
    if upload is None or not hasattr(upload, "read"):
        raise PantauError("choose a CSV or XLSX file exported from this sample")
    data = await upload.read()
    if len(data) > 20 * 1024 * 1024:
        raise PantauError("the file is larger than 20 MB")
    suffix = Path(upload.filename or "x.csv").suffix.lower()
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=suffix if suffix in (".csv", ".xlsx") else ".csv"
                                     ) as tmp:
        tmp.write(data)
        tmp.flush()
        rows = coding.read_import(Path(tmp.name))
    rows = [r for r in rows if str(r.get("sample_id", "")).strip() == str(sample_id)]
    if not ctx.is_admin:
        others = {r.get("coder") for r in rows} - {ctx.coder}
        if others:
            raise HTTPException(403, "a coder imports only their own codes")
    coding.import_rows(ctx.db, ctx.codebook, rows)
    return RedirectResponse(f"/coding/samples/{sample_id}", status_code=303)
