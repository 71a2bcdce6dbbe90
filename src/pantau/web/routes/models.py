"""The models page: each model's accuracy against the coders with 95% intervals, its shares
corrected for its errors, and the loop: draw a validation sample (coded blind), update the
figures, train an in-domain model and compare its scores before accepting it."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse

from ... import validate
from ...errors import PantauError
from ..context import Ctx, admin_write_ctx, user_ctx

router = APIRouter(prefix="/models")


def _figures(ctx: Ctx) -> tuple[list[dict], list[dict]]:
    """The stored figures (analysis_validation_*), else computed now."""
    try:
        acc = ctx.db.rows("SELECT * FROM analysis_validation_accuracy", cache=False)
        est = ctx.db.rows("SELECT * FROM analysis_validation_estimates WHERE group_kind = 'all'",
                          cache=False)
        return acc, est
    except Exception:  # noqa: BLE001 - not analysed yet: compute
        acc, est = validate.compute(ctx.db, ctx.codebook, bootstrap=300)
        return acc, [r for r in est if r["group_kind"] == "all"]


@router.get("")
def models_page(request: Request, ctx: Ctx = Depends(user_ctx)):
    acc, est = _figures(ctx)
    tasks = []
    for spec in validate.validatable(ctx.codebook):
        rows = [r for r in est if r["task"] == spec.task]
        if not rows:
            continue
        accuracy = {(r["scheme"], r["label"]): r for r in acc if r["task"] == spec.task}
        tasks.append({"spec": spec, "model": rows[0]["model_source"],
                      "coded": max((r["coded"] for r in rows), default=0),
                      "assigned": max((r["assigned"] for r in rows), default=0),
                      "rows": [{**r, "acc": accuracy.get((r["scheme"], r["label"]))}
                               for r in rows]})
    trained = request.query_params.get("trained")
    return ctx.render("models.html", tasks=tasks, trained=trained,
                      figures=ctx.app.__dict__.get("adapted", {}).get(trained))


@router.post("/validate")
async def draw(request: Request, ctx: Ctx = Depends(admin_write_ctx)):
    form = await request.form()
    coders = [c.strip() for c in str(form.get("coders", "")).split(",") if c.strip()]
    try:
        width = float(str(form.get("ci_width", "0.2")).replace(",", "."))
    except ValueError:
        raise PantauError("the interval width is a number between 0 and 1") from None
    drawn = validate.draw(ctx.db, ctx.codebook, str(form.get("task", "")), coders=coders,
                          ci_width=width, overlap=0.2, created_by=ctx.user)
    return RedirectResponse(f"/coding/samples/{drawn['sample_id']}", status_code=303)


@router.post("/refresh")
async def refresh(ctx: Ctx = Depends(admin_write_ctx)):
    """Recompute accuracy and corrected shares from the codes so far."""
    with ctx.db.write() as tx:
        validate.ensure_tables(tx)
    acc, est = validate.compute(ctx.db, ctx.codebook)
    with ctx.db.write() as tx:
        validate.write_tables(tx.execute, acc, est)
    return RedirectResponse("/models", status_code=303)


@router.post("/train")
async def train(request: Request, ctx: Ctx = Depends(admin_write_ctx)):
    """Fit an in-domain model and show its cross-validated scores beside the shipped model's;
    `accept` saves it (enrich then relabels with it)."""
    from ..learn import adapt_from_coding

    form = await request.form()
    task = str(form.get("task", ""))
    result = adapt_from_coding(ctx.app.project, task, db=ctx.db)
    if form.get("accept") == "yes":
        result.save(ctx.app.project)
        result.figures["saved"] = True
    ctx.app.__dict__.setdefault("adapted", {})[task] = result.figures
    return RedirectResponse(f"/models?trained={task}", status_code=303)
