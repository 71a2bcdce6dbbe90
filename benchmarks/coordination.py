"""Coordination detection: accuracy against planted networks, false positives on organic-only
data, stability under window changes, and speed/memory at 2,000,000 comments.

    python benchmarks/coordination.py                  # everything (several minutes)
    python benchmarks/coordination.py --part accuracy  # demo + synthetic benchmark only
    python benchmarks/coordination.py --part speed --comments 2000000 --posts 100000

Prints figures (and `uptime` load beside them: the machine is shared); asserts nothing.

The synthetic benchmark writes straight into a project store: organic commenters (Zipf
activity, delays after each post drawn from an exponential mix, texts of random words), organic
look-alikes (popular slogans repeated by unrelated fans over days, viral links shared by many
people within a day, very active organic commenters) and four campaign shapes (copy-paste
teams pasting scripts within minutes, co-commenting rings writing their own words,
link-pushing new accounts in bursts, accounts bursting together across posts).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from pantau.analysis.coordination import (  # noqa: E402
    detect,
    flagged_accounts,
    load_settings,
    with_copy_definition,
)
from pantau.analysis.coordination.evaluate import score  # noqa: E402
from pantau.project import Project  # noqa: E402

T0 = 1_727_740_800  # 2024-10-01 00:00 UTC
DAY = 86_400
TOML = """[election]
name = "Synthetic coordination benchmark"
rules = "pilkada-2024"
timezone = "Asia/Jakarta"

[[candidates]]
id = "pair-1"
ballot_number = 1
name = "Satu"

[[candidates]]
id = "pair-2"
ballot_number = 2
name = "Dua"
"""


def uptime() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


class Synth:
    """Rows of a synthetic platform, with what was planted."""

    def __init__(self, seed: int, n_posts: int, n_comments: int, campaigns: bool) -> None:
        self.rng = np.random.default_rng(seed)
        self.n_posts, self.n_comments = n_posts, n_comments
        self.vocab = np.array([f"{a}{b}" for a in ("ka", "lu", "mi", "so", "re", "ta", "ne",
                                                     "di", "po", "be", "ga", "ju")
                               for b in ("ran", "tik", "mos", "lah", "pun", "sar", "don", "kin",
                                         "ba", "ro", "wi", "les", "nap", "gul", "tes", "rim",
                                         "hal", "mar", "zen", "dup")])
        self.rows: dict[str, list] = {k: [] for k in ("post", "author", "t", "text")}
        self.groups: list[dict] = []
        self.campaigns = campaigns
        self.next_account = 0

    def accounts(self, n: int, prefix: str) -> list[str]:
        out = [f"{prefix}{self.next_account + i}" for i in range(n)]
        self.next_account += n
        return out

    def add(self, post: np.ndarray, author: list | np.ndarray, t: np.ndarray,
            text: list | np.ndarray) -> None:
        self.rows["post"].append(np.asarray(post, np.int64))
        self.rows["author"].append(np.asarray(author, object))
        self.rows["t"].append(np.asarray(t, np.int64))
        self.rows["text"].append(np.asarray(text, object))

    def random_texts(self, n: int) -> np.ndarray:
        lengths = self.rng.integers(4, 11, n)
        words = self.vocab[self.rng.integers(0, len(self.vocab), lengths.sum())]
        cuts = np.cumsum(lengths)[:-1]
        return np.array([" ".join(w) for w in np.split(words, cuts)], object)

    def build(self) -> None:
        rng = self.rng
        self.post_time = np.sort(T0 + rng.integers(0, 55 * DAY, self.n_posts))
        self.post_pair = rng.integers(1, 3, self.n_posts)
        # post popularity: heavy-tailed
        pop = rng.pareto(1.3, self.n_posts) + 1
        self.post_weight = pop / pop.sum()
        n_org = self.n_comments
        reserved = 0
        if self.campaigns:
            reserved = self.plant()
        n_org = max(0, self.n_comments - reserved - self.lookalikes())
        commenters = max(1000, n_org // 8)
        org = self.accounts(commenters, "org")
        activity = 1.0 / (np.arange(1, commenters + 1) + 10) ** 0.9
        who = rng.choice(commenters, n_org, p=activity / activity.sum())
        post = rng.choice(self.n_posts, n_org, p=self.post_weight)
        # delays: most within hours, some days later
        delay = np.where(rng.random(n_org) < 0.8, rng.exponential(4 * 3600, n_org),
                         rng.exponential(3 * DAY, n_org)) + 30
        self.add(post, np.array(org, object)[who], self.post_time[post] + delay,
                 self.random_texts(n_org))

    def _posts_after(self, t: float, k: int, pair: int | None = None) -> np.ndarray:
        ok = np.flatnonzero((self.post_time < t - 600) & (self.post_time > t - 3 * DAY)
                            & ((self.post_pair == pair) if pair else True))
        if not len(ok):
            ok = np.flatnonzero(self.post_time < t) if (self.post_time < t).any() else \
                np.arange(self.n_posts)
        return self.rng.choice(ok, k)

    def group(self, name: str, kind: str, coordinated: bool, members: list[str],
              occasions: dict[str, int]) -> None:
        self.groups.append({"name": name, "kind": kind, "coordinated": coordinated,
                            "accounts": [{"platform": "tiktok", "account_id": m,
                                          "occasions": occasions.get(m, 0)} for m in members]})

    def plant(self) -> int:
        rng, made = self.rng, 0
        scale = max(1.0, self.n_comments / 200_000)
        # copy-paste teams
        for g in range(int(6 * scale)):
            team = self.accounts(int(rng.integers(5, 13)), f"paste{g}_")
            occ: dict[str, int] = {}
            scripts = [" ".join(self.vocab[rng.integers(0, len(self.vocab), 12)])
                       for _ in range(3)]
            for _ in range(int(rng.integers(4, 10))):
                start = T0 + rng.integers(2 * DAY, 55 * DAY)
                posts = self._posts_after(start, 1)
                part = rng.choice(team, int(rng.integers(3, len(team) + 1)), replace=False)
                self.add(np.repeat(posts, len(part)), part,
                         start + rng.integers(0, 600, len(part)),
                         [scripts[int(rng.integers(0, 3))]] * len(part))
                made += len(part)
                for m in part:
                    occ[m] = occ.get(m, 0) + 1
            self.group(f"paste{g}", "copy_paste_burst", True, team, occ)
        # co-commenting rings (own words)
        for g in range(int(4 * scale)):
            ring = self.accounts(int(rng.integers(4, 9)), f"ring{g}_")
            occ = {}
            target = int(rng.integers(1, 3))
            for _ in range(int(rng.integers(6, 16))):
                start = T0 + rng.integers(2 * DAY, 55 * DAY)
                post = self._posts_after(start, 1, target)
                part = rng.choice(ring, int(rng.integers(3, len(ring) + 1)), replace=False)
                self.add(np.repeat(post, len(part)), part,
                         start + rng.integers(0, 300, len(part)), self.random_texts(len(part)))
                made += len(part)
                for m in part:
                    occ[m] = occ.get(m, 0) + 1
            self.group(f"ring{g}", "co_comment_ring", True, ring, occ)
        # link pushers: new accounts, bursts, own words around one link, different posts
        for g in range(int(3 * scale)):
            team = self.accounts(int(rng.integers(4, 9)), f"user{g}00")
            occ = {}
            url = f"https://s.id/push{g}x{int(rng.integers(1000, 9999))}"
            for _ in range(int(rng.integers(4, 9))):
                start = T0 + rng.integers(2 * DAY, 55 * DAY)
                part = rng.choice(team, int(rng.integers(3, len(team) + 1)), replace=False)
                texts = [f"{t} {url}" for t in self.random_texts(len(part))]
                self.add(self._posts_after(start, len(part)), part,
                         start + rng.integers(0, 900, len(part)), texts)
                made += len(part)
                for m in part:
                    occ[m] = occ.get(m, 0) + 1
            self.group(f"push{g}", "link_push", True, team, occ)
        # synchronised bursters: each posts 4-6 comments across posts in the same hour
        for g in range(int(3 * scale)):
            team = self.accounts(int(rng.integers(5, 10)), f"sync{g}_")
            occ = {}
            for m in team:  # a quiet baseline
                k = int(rng.integers(3, 8))
                t = T0 + rng.integers(0, 55 * DAY, k)
                self.add(rng.choice(self.n_posts, k), [m] * k, t, self.random_texts(k))
                made += k
            for _ in range(int(rng.integers(3, 6))):
                start = T0 + rng.integers(2 * DAY, 55 * DAY)
                part = rng.choice(team, int(rng.integers(3, len(team) + 1)), replace=False)
                for m in part:
                    k = int(rng.integers(4, 7))
                    self.add(self._posts_after(start, k), [m] * k,
                             start + rng.integers(0, 2400, k), self.random_texts(k))
                    made += k
                    occ[m] = occ.get(m, 0) + 1
            self.group(f"sync{g}", "sync_burst", True, team, occ)
        return made

    def lookalikes(self) -> int:
        """Organic activity that looks like coordination: slogans, viral links."""
        rng, made = self.rng, 0
        scale = max(1.0, self.n_comments / 200_000)
        for g in range(int(5 * scale)):
            fans = self.accounts(int(rng.integers(60, 200)), f"fan{g}_")
            slogan = " ".join(self.vocab[rng.integers(0, len(self.vocab), 8)])
            t = T0 + rng.integers(0, 55 * DAY, len(fans))
            self.add(rng.choice(self.n_posts, len(fans), p=self.post_weight), fans, t,
                     [slogan] * len(fans))
            made += len(fans)
            self.group(f"slogan{g}", "organic_slogan", False, fans, {})
        for g in range(int(4 * scale)):
            sharers = self.accounts(int(rng.integers(40, 150)), f"viral{g}_")
            url = f"https://news.example/{g}/berita-{int(rng.integers(10**5, 10**6))}"
            start = T0 + rng.integers(2 * DAY, 50 * DAY)
            t = start + rng.exponential(6 * 3600, len(sharers)).astype(np.int64)
            texts = [f"{x} {url}" for x in self.random_texts(len(sharers))]
            self.add(np.array([self._posts_after(x, 1)[0] for x in t]), sharers, t, texts)
            made += len(sharers)
            self.group(f"viral{g}", "organic_viral_link", False, sharers, {})
        return made

    def write(self, project: Project) -> None:
        post = np.concatenate(self.rows["post"])
        author = np.concatenate(self.rows["author"])
        t = np.concatenate(self.rows["t"])
        text = np.concatenate(self.rows["text"])
        n = len(post)
        comments = pa.table({
            "platform": pa.array(["tiktok"] * n),
            "comment_id": pa.array([f"c{i}" for i in range(n)]),
            "post_id": pa.array([f"p{i}" for i in post.tolist()]),
            "author_id": pa.array(author.tolist(), pa.string()),
            "author_handle": pa.array(author.tolist(), pa.string()),
            "created_at": pa.array((t * 1_000_000).astype("datetime64[us]")),
            "text": pa.array(text.tolist(), pa.string()),
        })
        posts = pa.table({
            "platform": pa.array(["tiktok"] * self.n_posts),
            "post_id": pa.array([f"p{i}" for i in range(self.n_posts)]),
            "account_id": pa.array([f"cand{p}" for p in self.post_pair.tolist()]),
            "created_at": pa.array((self.post_time * 1_000_000).astype("datetime64[us]")),
            "text": pa.array(["video kampanye"] * self.n_posts),
        })
        con = project.connect()
        try:
            con.register("_c", comments)
            con.register("_p", posts)
            con.execute("INSERT INTO comments BY NAME SELECT * FROM _c")
            con.execute("INSERT INTO posts BY NAME SELECT * FROM _p")
            con.execute("INSERT INTO accounts (platform, account_id, handle, candidate_id, role) "
                        "VALUES ('tiktok', 'cand1', 'satu', 'pair-1', 'official'), "
                        "('tiktok', 'cand2', 'dua', 'pair-2', 'official')")
        finally:
            con.close()


def make_project(folder: Path, seed: int, posts: int, comments: int, campaigns: bool
                 ) -> tuple[Project, list[dict]]:
    folder.mkdir(parents=True)
    (folder / "pantau.toml").write_text(TOML, encoding="utf-8")
    project = Project(folder)
    synth = Synth(seed, posts, comments, campaigns)
    synth.build()
    synth.write(project)
    return project, synth.groups


def evaluate(project: Project, groups: list[dict], scale: float = 1.0) -> tuple[dict, set]:
    con = project.connect()
    try:
        settings = with_copy_definition(load_settings(project.root), project).scaled(scale)
        det = detect(con, settings)
        flagged = flagged_accounts(con, det)
        everyone = {(p, a) for p, a in con.execute(
            "SELECT platform, account_id FROM _co_actors").fetchall()}
        result = score(flagged, groups, everyone).as_dict()
        result["thresholds"] = {k: v.threshold for k, v in det.network.signals.items()}
        result["share_window_s"] = round(det.share_window)
        return result, flagged
    finally:
        con.close()


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0


def part_accuracy(work: Path, demo: Path | None) -> None:
    print(f"## accuracy (load {uptime()})")
    sets = []
    if demo is not None:
        truth = json.loads((demo / "planted_coordination.json").read_text())["groups"]
        project = Project(demo)
        for scale in (1.0, 0.75, 1.25):
            result, flagged = evaluate(project, truth, scale)
            sets.append(flagged)
            print(f"demo window x{scale}: P={result['precision']:.3f} R={result['recall']:.3f} "
                  f"flagged={result['flagged']} expected={result['expected']} "
                  f"organic look-alikes flagged={result['organic_flagged']}/"
                  f"{result['organic_lookalikes']} other flagged={result['other_flagged']}/"
                  f"{result['other_accounts']} thresholds={result['thresholds']}")
        print(f"demo stability: Jaccard(x1, x0.75)={jaccard(sets[0], sets[1]):.3f} "
              f"Jaccard(x1, x1.25)={jaccard(sets[0], sets[2]):.3f}")
    for seed in (1, 2, 3):
        project, groups = make_project(work / f"synth{seed}", seed, 5_000, 200_000, True)
        flagged_by = []
        for scale in (1.0, 0.75, 1.25):
            result, flagged = evaluate(project, groups, scale)
            flagged_by.append(flagged)
            print(f"synthetic seed {seed} window x{scale}: P={result['precision']:.3f} "
                  f"R={result['recall']:.3f} flagged={result['flagged']} "
                  f"expected={result['expected']} organic look-alikes flagged="
                  f"{result['organic_flagged']}/{result['organic_lookalikes']} other flagged="
                  f"{result['other_flagged']}/{result['other_accounts']} "
                  f"thresholds={result['thresholds']} share_window={result['share_window_s']}s")
        print(f"synthetic seed {seed} stability: "
              f"Jaccard(x1, x0.75)={jaccard(flagged_by[0], flagged_by[1]):.3f} "
              f"Jaccard(x1, x1.25)={jaccard(flagged_by[0], flagged_by[2]):.3f}")
        organic, groups0 = make_project(work / f"organic{seed}", seed, 5_000, 200_000, False)
        result, _ = evaluate(organic, groups0)
        n_accounts = result["other_accounts"] + result["organic_lookalikes"]
        print(f"organic-only seed {seed}: flagged={result['flagged']} of "
              f"{result['other_accounts'] + result['organic_lookalikes']} accounts "
              f"(FPR={result['flagged'] / max(1, n_accounts):.5f}); "
              f"look-alikes flagged={result['organic_flagged']}/{result['organic_lookalikes']} "
              f"(load {uptime()})")


SPEED_CODE = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[2])
from pathlib import Path
from pantau.project import Project
from pantau.analysis.base import Context
from pantau.analysis.coordination import run
p = Project(Path(sys.argv[1])); con = p.connect(); t = time.perf_counter()
s = run(Context(p, con)); s['total_seconds'] = time.perf_counter() - t
s['max_rss_mb'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(s, default=str))
"""


def enrich_duplicate_groups(project: Project) -> float:
    """What `pantau enrich` leaves behind for every comment: its duplicate_group label (when
    it has copies) and an enrich_state row; written here with text.duplicates, timed."""
    from pantau.text.duplicates import duplicate_groups

    con = project.connect()
    try:
        table = con.sql("SELECT platform, comment_id, text, author_id FROM comments"
                        ).to_arrow_table()
        t0 = time.perf_counter()
        groups = duplicate_groups(table.column("text").to_pylist(),
                                  table.column("author_id").to_pylist())
        seconds = time.perf_counter() - t0
        ids = pa.array(groups.ids, pa.string())
        con.register("_g", pa.table({"platform": table.column("platform"),
                                     "comment_id": table.column("comment_id"), "grp": ids}))
        con.execute("""INSERT INTO labels (platform, target, target_id, scheme, value, source)
                       SELECT platform, 'comment', comment_id, 'duplicate_group', grp,
                              'model:duplicate_group@bench' FROM _g WHERE grp IS NOT NULL""")
        con.execute("""INSERT INTO enrich_state SELECT platform, 'comment', comment_id,
                       'duplicate_group', 'model:duplicate_group@bench' FROM _g""")
        return seconds
    finally:
        con.close()


def timed_run(project: Project) -> dict:
    out = subprocess.run([sys.executable, "-c", SPEED_CODE, str(project.root),
                          str(ROOT / "src")], capture_output=True, text=True, check=False)
    if out.returncode:
        raise SystemExit(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def part_speed(work: Path, posts: int, comments: int) -> None:
    t0 = time.perf_counter()
    project, _ = make_project(work / "speed", 11, posts, comments, True)
    print(f"## speed: generated {comments:,} comments, {posts:,} posts in "
          f"{time.perf_counter() - t0:.0f} s (load {uptime()})", flush=True)
    grouping = enrich_duplicate_groups(project)
    print(f"enrich's share (text.duplicates over all comments, done once by pantau enrich): "
          f"{grouping:.1f} s (load {uptime()})", flush=True)
    summary = timed_run(project)
    print(f"pantau coordination (enrich's groups present) on {comments:,} comments / "
          f"{posts:,} posts: {summary['total_seconds']:.1f} s, peak RSS "
          f"{summary['max_rss_mb']:.0f} MB (load {uptime()}); stages {summary['seconds']}; "
          f"communities {summary['communities']}, flagged {summary['flagged_accounts']}",
          flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("all", "accuracy", "speed"), default="all")
    parser.add_argument("--demo", type=Path, help="a built demo folder (pantau demo -o DIR)")
    parser.add_argument("--comments", type=int, default=2_000_000)
    parser.add_argument("--posts", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pantau-coord-") as tmp:
        work = Path(tmp)
        if args.part in ("all", "accuracy"):
            demo = args.demo
            if demo is None:
                from pantau.demo import build_demo

                demo = work / "demo"
                build_demo(demo, steps=("import",))
            part_accuracy(work, demo)
        if args.part in ("all", "speed"):
            part_speed(work, args.posts, args.comments)


if __name__ == "__main__":
    main()
