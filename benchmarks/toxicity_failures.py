"""Before/after for each toxicity failure listed in issue 12.

"Before" is the toxicity model of commit 91220c4 (main before the learned model), run from a
`git archive` of that commit in a temporary folder; "after" is this checkout's model (what
`pantau text toxicity` prints).

    .venv/bin/python benchmarks/toxicity_failures.py [--before-rev 91220c4]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from pantau.models import toxicity  # noqa: E402

# (text, what it should be)
FAILURES = [
    ("Mampir ke warung nasi padang di Ciketing Udik", "none"),
    ("Q&A bareng Nurul: dari PJU mati sampai pemberdayaan perempuan", "none"),
    ("sampah numpuk di pinggir kali", "none"),
    ("orang buddhis tuh sok spesial. Gw benci mereka.", "hate"),
    ("Seharusnya seseorang tusuk aja para ateis.", "hate"),
    ("orang madura nggak pantas hidup kayak manusia lain.", "hate"),
]
SNIPPET = """
import json, sys
from pantau.models.toxicity import load
texts = json.load(sys.stdin)
print(json.dumps([p.as_dict() for p in load().predict(texts)]))
"""


def before(rev: str) -> list[dict] | None:
    texts = [t for t, _ in FAILURES]
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "-C", str(REPO), "archive", rev, "src/pantau"],
                                 capture_output=True)
        if archive.returncode != 0:
            print(f"(before: cannot read commit {rev}: {archive.stderr.decode().strip()})")
            return None
        subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
        env = {**os.environ, "PYTHONPATH": str(Path(tmp) / "src")}
        out = subprocess.run([sys.executable, "-c", SNIPPET], input=json.dumps(texts),
                             capture_output=True, text=True, env=env, cwd=tmp)
        if out.returncode != 0:
            print(f"(before: the old model failed: {out.stderr.strip()[-300:]})")
            return None
        return json.loads(out.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before-rev", default="91220c4")
    args = ap.parse_args()
    old = before(args.before_rev)
    model = toxicity.load()
    new = [p.as_dict() for p in model.predict([t for t, _ in FAILURES])]
    print(f"before: model of {args.before_rev}; after: {model.NAME}@{model.VERSION}\n")
    fixed = 0
    for k, (text, want) in enumerate(FAILURES):
        after = new[k]
        ok = after["label"] == want
        fixed += ok
        print(f"{text}\n  should be {want}")
        if old is not None:
            print(f"  before: {old[k]['label']:7s} {old[k].get('evidence')} "
                  f"{old[k].get('targets')}")
        print(f"  after:  {after['label']:7s} {after.get('evidence')} {after.get('targets')}"
              f"  {'OK' if ok else 'STILL WRONG'}")
    print(f"\n{fixed} of {len(FAILURES)} as they should be now")


if __name__ == "__main__":
    main()
