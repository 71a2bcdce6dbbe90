"""Corrected shares on the demo, without and with a simulated 300-item validation sample.

Copies a demo project (or builds one), draws a `pantau validate` sample of 300 items per model,
codes every item with what the demo generator intended (pantau.demo.intended: a coder who is
always right), and prints for every label: the intended (true) share over the population the
report uses, the model's share (what the report shows without validation: "not validated"),
and the corrected share with its 95% interval. Usage:

    python benchmarks/validation_demo.py [--project pantau-demo] [--size 300]
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

from pantau import validate
from pantau.demo.intended import intended_labels
from pantau.project import Project
from pantau.web import coding
from pantau.web.db import WebStore

TASKS = ("sentiment", "question", "toxicity", "category", "function")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--project", type=Path, help="a demo project (copied, never changed)")
    ap.add_argument("--size", type=int, default=300)
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pantau-valdemo-")) / "demo"
    if args.project:
        shutil.copytree(args.project, work)
    else:
        from pantau.demo.build import build_demo

        build_demo(work, force=True)
    started = time.perf_counter()
    truth = intended_labels()  # the demo's default seed and size
    project = Project(work)
    book = coding.load_codebook(project)
    db = WebStore(project, build_index=False, flag_scheme=coding.flag_scheme(book))
    try:
        before, _ = None, None
        _, before = validate.compute(db, book)
        for task in TASKS:
            drawn = validate.draw(db, book, task, coders=["generator"], overlap=0,
                                  size=args.size, seed=args.seed)
            spec = validate.validatable(book, task)[0]
            items = db.rows("SELECT position, platform, target_id FROM coding_items "
                            "WHERE sample_id = ?", [drawn["sample_id"]], cache=False)
            with db.write() as tx:
                for item in items:
                    unit = (item["platform"], item["target_id"])
                    codes = {s: list(truth[s][unit]) for s in spec.schemes
                             if s in truth and unit in truth[s]}
                    if not codes:
                        continue
                    coding.write_codes(tx, book, target=spec.target, platform=unit[0],
                                       target_id=unit[1], coder="generator", codes=codes)
                    tx.execute("UPDATE coding_items SET coded_at = now()::TIMESTAMP WHERE "
                               "sample_id = ? AND position = ?",
                               [drawn["sample_id"], item["position"]])
        accuracy, after = validate.compute(db, book)
        population = {}
        for scheme in ("sentiment", "question", "toxicity", "sara", "comment_category",
                       "post_function"):
            target = "post" if scheme == "post_function" else "comment"
            population[scheme] = [(r["platform"], r["target_id"]) for r in db.rows(
                f"SELECT platform, target_id FROM ({validate.predictions_sql(scheme, target)})",
                cache=False)]
    finally:
        db.close()
    print(f"demo {work}; {args.size} coded items per model; "
          f"{time.perf_counter() - started:.0f} s; load {os.getloadavg()[0]:.2f}")
    raw = {(r["scheme"], r["label"]): r for r in before if r["group_kind"] == "all"}
    covered = total = 0
    for scheme, units in population.items():
        known = [truth[scheme][u] for u in units if u in truth[scheme]]
        print(f"\n{scheme} ({len(known)} of {len(units)} items with an intended label)")
        print(f"  {'label':16} {'true':>6} {'model (not validated)':>22} "
              f"{'corrected [95%]':>24} {'precision':>10}")
        for r in (r for r in after if r["scheme"] == scheme and r["group_kind"] == "all"):
            true_share = sum(r["label"] in v for v in known) / len(known) if known else 0
            old = raw[(scheme, r["label"])]
            acc = next((a for a in accuracy if a["scheme"] == scheme
                        and a["label"] == r["label"]), None)
            ok = r["share_low"] is not None and r["share_low"] <= true_share <= r["share_high"]
            covered += ok
            total += r["share"] is not None
            corrected = ("—" if r["share"] is None else
                         f"{r['share']:.1%} [{r['share_low']:.1%}, {r['share_high']:.1%}]")
            precision = "—" if not acc or acc["precision"] is None else f"{acc['precision']:.2f}"
            print(f"  {r['label']:16} {true_share:6.1%} {old['raw_share'] or 0:22.1%} "
                  f"{corrected:>24} {precision:>10} {'' if ok else '(misses)'}")
    print(f"\ncorrected intervals covering the intended share: {covered} of {total}")


if __name__ == "__main__":
    main()
