"""Generating the synthetic demo corpus in memory: accounts, posts, counts, comment threads.

Deterministic: every random choice comes from `random.Random` instances seeded from the demo
seed and a stage name, and no set or dict order that depends on hashing reaches the output.
The writers (writers.py) turn this corpus into the export files real tools produce.
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from . import scenario as sc
from .campaigns import PlantedGroup, plant
from .ids import IdMaker, shortcode
from .phrases import Phrasebook

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
FUNCTIONS = ("P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "P9")

# Comment categories and their base weights (templates in data/comments.toml).
COMMENT_WEIGHTS = {
    "dukungan": 30, "pertanyaan": 11, "aspirasi": 13, "kritik": 10, "serangan": 4, "sara": 1,
    "spam": 3, "netral": 14, "golput": 3, "humor": 6, "salam": 3,
}
PAIR_COMMENT_BIAS = {
    "pair-1": {"dukungan": 1.2, "salam": 1.5},
    "pair-2": {"netral": 1.4, "humor": 1.4, "pertanyaan": 1.2, "dukungan": 0.8},
    "pair-3": {"kritik": 1.5, "aspirasi": 1.4, "serangan": 1.3},
}
ANSWERED = {"pertanyaan": 1.0, "aspirasi": 1.0, "dukungan": 0.15, "kritik": 0.15}
BUZZER_CLUSTERS = {"pair-1": 10, "pair-2": 12, "pair-3": 9}


@dataclass
class Person:
    """Who writes: a commenter, a buzzer, or a campaign account."""

    person_id: str
    handle: str
    name: str
    sec_uid: str = ""
    followers: int = 0
    buzzer_for: str | None = None


@dataclass
class DemoAccount:
    spec: sc.AccountSpec
    person: Person
    followers_later: int
    created_at: datetime

    @property
    def platform(self) -> str:
        return self.spec.platform

    @property
    def pair(self) -> sc.Pair | None:
        return sc.PAIR_BY_ID.get(self.spec.pair) if self.spec.pair else None


@dataclass
class DemoComment:
    comment_id: str
    post: DemoPost
    author: Person
    created: datetime
    text: str
    category: str
    likes: int = 0
    parent: DemoComment | None = None
    reply_to: DemoComment | None = None  # the reply this one answers, inside a thread
    replies: list[DemoComment] = field(default_factory=list)
    lang: str = "id"

    @property
    def by_post_author(self) -> bool:
        return self.author is self.post.account.person


@dataclass
class DemoPost:
    platform: str
    post_id: str
    account: DemoAccount
    created: datetime
    text: str
    function: str
    hashtags: list[str]
    mentions: list[str]
    media_type: str  # video | image | carousel | text | link | live
    duration: float | None = None
    music: dict[str, Any] | None = None
    counts: dict[str, int] = field(default_factory=dict)
    counts_later: dict[str, int] | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    comments: list[DemoComment] = field(default_factory=list)  # top level; replies nested

    @property
    def pair(self) -> sc.Pair | None:
        return self.account.pair

    def all_comments(self) -> list[DemoComment]:
        out: list[DemoComment] = []
        for top in self.comments:
            out.append(top)
            out.extend(top.replies)
        return out


@dataclass
class Corpus:
    seed: int
    size: str
    accounts: list[DemoAccount]
    posts: list[DemoPost]
    capture_main: datetime = sc.CAPTURE_MAIN
    capture_later: datetime = sc.CAPTURE_LATER
    # what campaigns.py planted (and the organic look-alikes), for tests and benchmarks
    planted: list[PlantedGroup] = field(default_factory=list)

    def posts_on(self, platform: str) -> list[DemoPost]:
        return [p for p in self.posts if p.platform == platform]

    def comment_count(self) -> int:
        return sum(len(p.all_comments()) for p in self.posts)


def generate(seed: int = 7, size: str = "small", scale: float = 1.0) -> Corpus:
    """The whole corpus. `scale` shrinks or grows the size's volumes (tests use 0.1)."""
    if size not in sc.SIZES:
        raise ValueError(f"unknown size {size!r} (known: {', '.join(sc.SIZES)})")
    return _Generator(seed, sc.SIZES[size], scale).run()


def _rng(seed: int, stage: str) -> random.Random:
    return random.Random(f"pantau-demo:{seed}:{stage}")


class _Weighted:
    """Fast repeated weighted picks (cumulative weights + bisect)."""

    def __init__(self, items: list[Any], weights: list[float]) -> None:
        self.items = items
        self.cum = list(itertools.accumulate(weights))

    def pick(self, rng: random.Random) -> Any:
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.cum[-1])]


class _Generator:
    def __init__(self, seed: int, size: sc.Size, scale: float) -> None:
        self.seed = seed
        self.size = size
        self.scale = scale
        self.ids = IdMaker(_rng(seed, "ids"))
        self.words = Phrasebook(_rng(seed, "words"))
        self._music_ids: dict[str, str] = {}
        self.planted: list[PlantedGroup] = []

    # -- people -------------------------------------------------------------------------
    def run(self) -> Corpus:
        accounts = self._accounts()
        posts: list[DemoPost] = []
        for platform in ("tiktok", "instagram", "facebook", "x"):
            posts.extend(self._posts(platform, [a for a in accounts if a.platform == platform]))
        for platform in ("tiktok", "instagram", "x"):
            platform_posts = [p for p in posts if p.platform == platform]
            target = round(self.size.comments.get(platform, 0) * self.scale)
            if platform_posts and target:
                self._comments(platform, platform_posts, target)
        posts.extend(self._planted(accounts))
        for post in posts:
            self._finish_counts(post)
        self._recapture(posts)
        posts.sort(key=lambda p: (p.platform, p.created, p.post_id))
        return Corpus(self.seed, self.size.name, accounts, posts, planted=self.planted)

    def _accounts(self) -> list[DemoAccount]:
        rng = _rng(self.seed, "accounts")
        out = []
        for spec in sc.ACCOUNTS:
            if spec.platform == "tiktok":
                person_id, sec = self.ids.number(19), self.ids.token(64, "MS4wLjABAAAA")
            elif spec.platform == "x":
                person_id, sec = self.ids.number(rng.choice((10, 18, 19))), ""
            elif spec.platform == "instagram":
                person_id, sec = self.ids.number(rng.choice((10, 11))), ""
            else:
                person_id, sec = "1000" + self.ids.number(11), ""
            person = Person(person_id, spec.handle, spec.display_name, sec, spec.followers)
            created = datetime(rng.randint(2014, 2023), rng.randint(1, 12), rng.randint(1, 28),
                               rng.randint(0, 23), rng.randint(0, 59), tzinfo=UTC)
            later = int(spec.followers * rng.uniform(1.01, 1.05))
            out.append(DemoAccount(spec, person, later, created))
        return out

    def _commenters(self, platform: str, count: int) -> tuple[_Weighted, dict[str, list[Person]]]:
        rng = _rng(self.seed, f"commenters:{platform}")
        vocab = self.words.vocab
        people, weights = [], []
        for rank in range(1, count + 1):
            first = rng.choice(vocab["nama_depan"])
            last = rng.choice(vocab["nama_belakang"])
            handle = self._handle(rng, platform, first, last)
            name = self.words.fill(rng.choice(vocab["julukan"]),
                                   {"nama_depan": first, "nama_belakang": last})
            people.append(self._person(platform, handle, name, rng))
            weights.append(1.0 / (rank + 20) ** 0.9)  # a few very active commenters
        buzzers: dict[str, list[Person]] = {}
        for pair_id, n in BUZZER_CLUSTERS.items():
            group = []
            for i in range(max(3, round(n * min(1.0, 0.4 + self.scale)))):
                if platform == "tiktok":
                    handle = f"user{self.ids.number(10)}"
                else:
                    handle = f"warga{rng.randrange(10**6, 10**7)}"
                person = self._person(platform, handle, f"Warga Bekasi {i + 1}", rng)
                person.buzzer_for = pair_id
                group.append(person)
            buzzers[pair_id] = group
        return _Weighted(people, weights), buzzers

    def _handle(self, rng: random.Random, platform: str, first: str, last: str) -> str:
        style = rng.random()
        if style < 0.25:
            handle = f"{first}{last}".lower()
        elif style < 0.5:
            handle = f"{first}_{rng.randrange(10, 9999)}".lower()
        elif style < 0.7:
            handle = f"{first}.{last}{rng.randrange(1, 99)}".lower()
        elif style < 0.85:
            handle = f"{first}{rng.choice(['bks', 'bekasi', 'jkt', 'official', 'xx'])}".lower()
        else:
            handle = f"user{rng.randrange(10**9, 10**10)}"
        if platform == "x":
            handle = handle.replace(".", "_")[:15]
        return handle

    def _person(self, platform: str, handle: str, name: str, rng: random.Random) -> Person:
        if platform == "tiktok":
            return Person(self.ids.number(19), handle, name, self.ids.token(64, "MS4wLjABAAAA"),
                          int(rng.lognormvariate(4, 1.5)))
        return Person(self.ids.number(rng.choice((9, 10, 18, 19))), handle, name, "",
                      int(rng.lognormvariate(4, 1.5)))

    # -- posts --------------------------------------------------------------------------
    def _posts(self, platform: str, accounts: list[DemoAccount]) -> list[DemoPost]:
        rng = _rng(self.seed, f"posts:{platform}")
        total = max(len(accounts), round(self.size.posts[platform] * self.scale))
        special: list[tuple[DemoAccount, datetime, str]] = []
        by_key = {(a.platform, a.spec.handle): a for a in accounts}
        for (plat, handle) in sc.PRE_CAMPAIGN_ACCOUNTS:
            if plat == platform:
                account = by_key[(plat, handle)]
                special.append((account, self._moment(rng, sc.BALLOT_DRAW), "dated"))
                special.append((account, self._moment(rng, date(2024, 9, 24)), "dated"))
        for table, kind in ((sc.QUIET_POSTS, "quiet"), (sc.VOTING_DAY_POSTS, "voting")):
            for (plat, handle), n in table.items():
                if plat != platform:
                    continue
                for i in range(n):
                    day = sc.QUIET_DAYS[i % 3] if kind == "quiet" else sc.VOTING_DAY
                    special.append((by_key[(plat, handle)], self._moment(rng, day), kind))
        regular = max(0, total - len(special))
        days = sc.campaign_days()
        day_pick = _Weighted(days, [sc.day_weight(d) for d in days])
        account_pick = _Weighted(accounts, [a.spec.weight for a in accounts])
        plan = list(special)
        for account in accounts:  # every account posts at least once
            plan.append((account, self._moment(rng, day_pick.pick(rng)), "regular"))
        for _ in range(max(0, regular - len(accounts))):
            plan.append((account_pick.pick(rng), self._moment(rng, day_pick.pick(rng)),
                         "regular"))
        posts = [self._post(rng, platform, account, moment, kind)
                 for account, moment, kind in plan]
        return posts

    def _planted(self, accounts: list[DemoAccount]) -> list[DemoPost]:
        """The planted compliance cases and non-cases (scenario.PLANTED), made last so that
        the rest of the corpus stays as it was."""
        rng = _rng(self.seed, "planted")
        by_handle = {a.spec.handle: a for a in accounts if a.platform == "tiktok"}
        out = []
        for n, case in enumerate(sc.PLANTED):
            account = by_handle[case.handle]
            created = case.when.astimezone(UTC)
            post = self._post(rng, "tiktok", account, created, "regular")
            post.text = case.text + ("" if case.reply else sc.PLANTED_MARK)
            post.hashtags, post.mentions, post.function = [], [], "P2"
            post.extra["is_ad"] = case.is_ad
            if case.reply:
                who, text = case.reply
                author = account.person if who == "account" else Person(
                    f"69{n:017d}", f"warga.contoh{n}", f"Warga Contoh {n}",
                    sec_uid=f"MS4wLjABAAAAplanted{n:04d}", followers=12)
                when = created + timedelta(hours=2)
                post.comments.append(DemoComment(
                    self._comment_id("tiktok", when), post, author, when,
                    text + sc.PLANTED_MARK, "planted", likes=3))
            out.append(post)
        return out

    def _moment(self, rng: random.Random, day: date) -> datetime:
        if day == sc.VOTING_DAY:  # polls are open 07:00-13:00 WIB
            hour = rng.randint(6, 12)
        else:
            hour = rng.choices(range(24), weights=sc.HOUR_WEIGHTS)[0]
        local = datetime(day.year, day.month, day.day, hour, rng.randrange(60),
                         rng.randrange(60), tzinfo=sc.WIB)
        return local.astimezone(UTC)

    def _context(self, pair: sc.Pair | None, platform: str) -> dict[str, Any]:
        if pair is None:
            pair = sc.PAIRS[0]
        mates = [a.handle for a in sc.ACCOUNTS
                 if a.platform == platform and a.pair == pair.id and a.role == "candidate"]
        return {
            "no": pair.ballot_number, "nama": pair.short, "wakil": pair.mate_short,
            "pasangan": pair.pasangan, "tag": pair.tag, "slogan": pair.slogan,
            "program": list(pair.programs), "program2": list(pair.programs),
            "panggil": [f"pak {pair.short}", f"pak {pair.short}", f"bang {pair.short}"],
            "panggil_wakil": f"{pair.mate_title} {pair.mate_short}",
            "akun_wakil": mates[0] if mates else "",
            "misi": ["1", "2", "3", "4", "5"], "tps": [f"0{n:02d}" for n in range(1, 40)],
        }

    def _caption(self, rng: random.Random, account: DemoAccount, created: datetime,
                 kind: str) -> tuple[str, str, list[str], list[str]]:
        words = self.words
        pair = account.pair
        local_day = created.astimezone(sc.WIB).date().isoformat()
        weights = sc.FUNCTION_WEIGHTS[pair.id if pair else None]
        function = rng.choices(FUNCTIONS, weights=weights)[0]
        captions = words.captions
        if pair is None:
            template = words.pick(captions["media"])
        elif kind == "quiet":
            function = "P4"
            teachers_day = local_day == "2024-11-25"
            pool = [t for t in captions["quiet"] if ("Hari Guru" in t) == teachers_day]
            template = words.pick(pool or captions["quiet"])
        elif kind == "voting":
            function = rng.choice(("P3", "P4"))
            template = words.pick(captions["voting"])
        elif local_day in captions["dated"] and (kind == "dated" or rng.random() < 0.6):
            template = words.pick(captions["dated"][local_day])
            function = _dated_function(template)
        else:
            pool = list(captions[function])
            weekday = WEEKDAYS[created.astimezone(sc.WIB).weekday()]
            if function == "P8" and weekday in captions["weekday"]:
                pool = captions["weekday"][weekday] * 2 + pool
            template = words.pick(pool)
        context = self._context(pair, account.platform)
        text = words.fill(template, context)
        text = text[:1].upper() + text[1:]
        if pair is not None and rng.random() < 0.35:
            text += " " + words.fill(words.pick(words.vocab["penutup"]), context)
        if account.spec.role == "volunteer":
            text = words.informal(text, 0.4)
        mentions = []
        if pair is not None and function in ("P3", "P5", "P7") and rng.random() < 0.4:
            mate = context["akun_wakil"]
            if mate and mate != account.spec.handle:
                text += f" bareng @{mate}"
                mentions.append(mate)
        own = [f"#{pair.tag}", f"#Coblos{pair.ballot_number}"] if pair else []
        if pair and rng.random() < 0.3:
            own = own[:1]
        if "#DebatPilkadaBekasi" in text:
            own = own[:1]
        limit = {"tiktok": 5, "instagram": 7, "facebook": 2, "x": 2}[account.platform]
        tags = words.hashtags(own, rng.randint(min(len(own), limit), limit))
        hashtags = [t.lstrip("#") for t in tags]
        hashtags += [w.lstrip("#").rstrip(".,!") for w in text.split() if w.startswith("#")]
        if tags:
            joiner = "\n\n" if account.platform == "instagram" else " "
            text = text + joiner + " ".join(tags)
        if account.platform == "x" and len(text) > 280:
            text = text[:277].rsplit(" ", 1)[0] + "…"
        return text, function, _unique(hashtags), mentions

    def _post(self, rng: random.Random, platform: str, account: DemoAccount, created: datetime,
              kind: str) -> DemoPost:
        text, function, hashtags, mentions = self._caption(rng, account, created, kind)
        pair = account.pair
        reach = pair.reach if pair else 1.5
        boost = {"P9": 1.7, "P4": 0.8, "P1": 0.9, "P8": 0.7, "P6": 1.4}.get(function, 1.0)
        local_day = created.astimezone(sc.WIB).date()
        if any(local_day in (d, d + timedelta(days=1)) for d in sc.DEBATES):
            boost *= 1.5
        spread = rng.lognormvariate(0, 0.85) * boost * reach
        followers = account.spec.followers
        if platform == "tiktok":
            post_id = self.ids.tiktok(created)
            media_type = "video"
            duration = float(max(6, min(180, round(rng.lognormvariate(3.5, 0.6)))))
            views = int(followers * 0.9 * spread) + rng.randrange(50, 400)
            likes = int(views * rng.uniform(0.03, 0.1))
            counts = {"views": views, "likes": likes,
                      "shares": int(likes * rng.uniform(0.02, 0.12)),
                      "saves": int(likes * rng.uniform(0.01, 0.06))}
            post = DemoPost(platform, post_id, account, created, text, function, hashtags,
                            mentions, media_type, duration, counts=counts)
            post.music = self._music(rng, post)
            return post
        if platform == "instagram":
            pk = self.ids.instagram(created)
            roll = rng.random()
            media_type = "video" if roll < 0.45 else "carousel" if roll < 0.7 else "image"
            likes = int(followers * rng.uniform(0.01, 0.05) * spread) + rng.randrange(5, 60)
            counts = {"likes": likes}
            duration = None
            if media_type == "video":
                counts["views"] = int(likes * rng.uniform(8, 22))
                duration = round(rng.uniform(8, 90), 3)
            post = DemoPost(platform, shortcode(pk), account, created, text, function, hashtags,
                            mentions, media_type, duration, counts=counts)
            post.extra = {"pk": str(pk), "slides": rng.randint(2, 8)}
            return post
        if platform == "facebook":
            roll = rng.random()
            fb_type = ("Photo" if roll < 0.45 else "Native Video" if roll < 0.7 else
                       "Status" if roll < 0.85 else "Link" if roll < 0.95 else
                       "Live Video Complete")
            media_type = {"Photo": "image", "Native Video": "video", "Status": "text",
                          "Link": "link", "Live Video Complete": "live"}[fb_type]
            reactions = int(followers * rng.uniform(0.004, 0.03) * spread) + rng.randrange(3, 40)
            counts = {"likes": reactions, "shares": int(reactions * rng.uniform(0.03, 0.2))}
            duration = None
            if media_type in ("video", "live"):
                counts["views"] = int(reactions * rng.uniform(10, 40))
                duration = float(rng.randint(20, 240) if media_type == "video"
                                 else rng.randint(900, 3600))
            post = DemoPost(platform, "10" + self.ids.number(14), account, created, text,
                            function, hashtags, mentions, media_type, duration, counts=counts)
            post.extra = {"type": fb_type}
            return post
        # x
        roll = rng.random()
        media_type = "video" if roll < 0.25 else "image" if roll < 0.65 else "text"
        likes = int(followers * rng.uniform(0.005, 0.03) * spread) + rng.randrange(2, 30)
        counts = {"likes": likes, "retweets": int(likes * rng.uniform(0.1, 0.4)),
                  "quotes": int(likes * rng.uniform(0.0, 0.05)),
                  "bookmarks": int(likes * rng.uniform(0.0, 0.08)),
                  "views": int(likes * rng.uniform(25, 70))}
        duration = float(rng.randint(10, 140)) if media_type == "video" else None
        post = DemoPost(platform, self.ids.snowflake(created), account, created, text, function,
                        hashtags, mentions, media_type, duration, counts=counts)
        post.extra = {"media_key": f"{3 if media_type == 'image' else 7}_{self.ids.number(19)}"}
        return post

    def _music(self, rng: random.Random, post: DemoPost) -> dict[str, Any]:
        """A pair's campaign jingle or a trending sound, re-used across videos; else original."""
        pair = post.pair
        roll = rng.random()
        if pair is not None and roll < 0.4:
            key = f"jingle:{pair.id}"
            title = f"Jingle {pair.pasangan} - Bekasi {pair.slogan.split()[-1]}"
            author = f"Tim Kreatif {pair.pasangan}"
            original = False
        elif roll < 0.6:
            n = rng.randrange(6)
            key = f"trend:{n}"
            title = ("Bekasi Punya Cerita", "Joget Pemilu Remix", "Suara Rakyat (DJ Version)",
                     "Sound Viral Bekasi", "Semangat Pagi", "Lagu Santai Sore")[n]
            author = ("DJ Patriot", "Remix Kampung", "Studio Kalimalang", "Bekasi Beat",
                      "Kreator Bekasi", "Lofi Bekasi")[n]
            original = False
        else:
            return {"id": self.ids.tiktok(post.created), "title": f"suara asli - "
                    f"{post.account.spec.display_name}", "authorName":
                    post.account.spec.display_name, "original": True,
                    "duration": int(post.duration or 30)}
        if key not in self._music_ids:
            self._music_ids[key] = str(7_100_000_000_000_000_000 + _stable_number(
                self.seed, key) % 10**17)
        return {"id": self._music_ids[key], "title": title, "authorName": author,
                "original": original, "duration": 60}

    # -- comments -----------------------------------------------------------------------
    def _comments(self, platform: str, posts: list[DemoPost], target: int) -> None:
        rng = _rng(self.seed, f"comments:{platform}")
        people, buzzers = self._commenters(
            platform, max(50, round(self.size.commenters * min(1.0, self.scale * 1.5))))
        weights = [((p.counts.get("views") or p.counts.get("likes", 1) * 30) ** 0.7)
                   * rng.lognormvariate(0, 0.5) for p in posts]
        total = sum(weights)
        for post, weight in zip(posts, weights, strict=True):
            n = max(1, round(target * weight / total))
            self._thread(rng, post, n, people, buzzers)
        self.planted.extend(plant(self, platform, posts, people, buzzers))

    def _thread(self, rng: random.Random, post: DemoPost, n: int, people: _Weighted,
                buzzers: dict[str, list[Person]]) -> None:
        pair = post.pair
        limit = sc.CAPTURE_MAIN.astimezone(UTC) - timedelta(minutes=5)
        window = (limit - post.created).total_seconds()
        weights = dict(COMMENT_WEIGHTS)
        for key, factor in PAIR_COMMENT_BIAS.get(pair.id if pair else "", {}).items():
            weights[key] *= factor
        if post.function == "P8":
            weights["salam"] *= 8
        if post.function == "P7":
            weights["pertanyaan"] *= 2.5
        local_day = post.created.astimezone(sc.WIB).date()
        if any(local_day in (d, d + timedelta(days=1)) for d in sc.DEBATES):
            weights["kritik"] *= 1.8
            weights["serangan"] *= 2.0
        categories = list(weights)
        category_pick = _Weighted(categories, [weights[c] for c in categories])
        context = self._context(pair, post.platform)

        def delay(scale_hours: float) -> timedelta:
            seconds = rng.expovariate(1 / (scale_hours * 3600))
            if seconds >= window:
                seconds = window * rng.uniform(0.05, 0.95)
            return timedelta(seconds=max(30, seconds))

        made = 0
        if pair is not None and rng.random() < 0.25 and n >= 8:
            made += self._buzz(rng, post, buzzers[pair.id], limit)
        while made < n:
            category = category_pick.pick(rng)
            created = min(post.created + delay(10), limit)
            top = self._comment(rng, post, people.pick(rng), created, category, context)
            post.comments.append(top)
            made += 1
            # The account answers questions and complaints at its own rate, thanks a few
            # supporters and critics, and ignores the rest.
            answer_rate = post.account.spec.answer_rate * ANSWERED.get(category, 0.0)
            when = top.created + timedelta(seconds=rng.uniform(1800, 40 * 3600))
            if rng.random() < answer_rate and when < limit:
                answer = self._comment(rng, post, post.account.person, when, "jawaban", context,
                                       answering=category)
                answer.parent = top
                top.replies.append(answer)
                made += 1
            if rng.random() < 0.13:
                for _ in range(rng.choice((1, 1, 1, 2, 2, 3, 4))):
                    kind = "setuju" if rng.random() < 0.55 else "bantah"
                    previous = top.replies[-1] if top.replies and rng.random() < 0.3 else None
                    start = (previous or top).created
                    when = start + timedelta(seconds=rng.expovariate(1 / 7200) + 60)
                    if when >= limit:
                        break
                    reply = self._comment(rng, post, people.pick(rng), when, kind, context)
                    reply.parent = top
                    reply.reply_to = previous
                    top.replies.append(reply)
                    made += 1
        for top in post.comments:
            top.replies.sort(key=lambda c: (c.created, c.comment_id))
        post.comments.sort(key=lambda c: (c.created, c.comment_id))

    def _buzz(self, rng: random.Random, post: DemoPost, group: list[Person],
              limit: datetime) -> int:
        """Several accounts paste the same script within minutes: coordinated support."""
        script = self.words.pick(self.words.comments["buzzer"][post.pair.id])
        start = min(post.created + timedelta(minutes=rng.uniform(3, 90)), limit)
        members = rng.sample(group, k=min(len(group), rng.randint(4, 9)))
        for member in members:
            created = min(start + timedelta(seconds=rng.uniform(0, 900)), limit)
            comment = DemoComment(self._comment_id(post.platform, created), post, member,
                                  created, script, "buzzer", likes=rng.randint(0, 3))
            post.comments.append(comment)
        return len(members)

    def _comment(self, rng: random.Random, post: DemoPost, author: Person, created: datetime,
                 category: str, context: dict[str, Any], answering: str = "") -> DemoComment:
        words = self.words
        comments = words.comments
        if category == "jawaban":
            pool = comments["jawaban"].get(answering) or comments["jawaban"]["dukungan"]
        elif category in ("setuju", "bantah"):
            pool = comments["balasan"][category]
        else:
            pool = comments[category]
        text = words.fill(words.pick(pool), context)
        if category != "jawaban":
            text = words.informal(text, 0.35)
            if rng.random() < 0.15:
                text = text.lower()
        likes = int(rng.lognormvariate(0.5, 1.4)) if category != "jawaban" else \
            rng.randint(5, 120)
        comment_id = self._comment_id(post.platform, created)
        lang = "id" if any(ch.isalpha() for ch in text) else "un"
        return DemoComment(comment_id, post, author, created, text, category, likes, lang=lang)

    def new_comment(self, post: DemoPost, author: Person, created: datetime, text: str,
                    category: str, likes: int = 0) -> DemoComment:
        """A top-level comment with a fresh id (campaigns.py plants these)."""
        return DemoComment(self._comment_id(post.platform, created), post, author, created,
                           text, category, likes=likes)

    def _comment_id(self, platform: str, created: datetime) -> str:
        if platform == "tiktok":
            return self.ids.tiktok(created)
        if platform == "x":
            return self.ids.snowflake(created)
        return "18" + self.ids.number(15)  # Instagram comment pks

    # -- counts -------------------------------------------------------------------------
    def _finish_counts(self, post: DemoPost) -> None:
        """Counts shown on the post cover at least the comments captured (capture is partial)."""
        rng = _rng(self.seed, f"counts:{post.platform}:{post.post_id}")
        captured = len(post.all_comments())
        if post.platform == "x":
            post.counts["replies"] = captured + int(captured * rng.uniform(0, 0.4))
        else:
            base = max(captured, int(post.counts.get("likes", 0) * rng.uniform(0.01, 0.05)))
            post.counts["comments"] = base + int(base * rng.uniform(0, 0.6))
        if post.platform == "facebook":
            post.extra["reactions"] = _split_reactions(rng, post.counts["likes"])

    def _recapture(self, posts: list[DemoPost]) -> None:
        rng = _rng(self.seed, "recapture")
        for post in posts:
            if post.platform not in ("tiktok", "instagram"):
                continue
            if post.created.astimezone(sc.WIB).date() >= sc.VOTING_DAY:
                continue
            if rng.random() >= sc.RECAPTURE_SHARE:
                continue
            age = (sc.CAPTURE_MAIN - post.created).days
            growth = 1 + 0.6 * math.exp(-age / 12)
            post.counts_later = {
                key: value + int(value * (growth - 1) * rng.uniform(0.5, 1.5)) + rng.randint(0, 3)
                for key, value in post.counts.items()
            }


def _dated_function(template: str) -> str:
    lowered = template.lower()
    if "debat" in lowered:
        return "P7"
    if "selamat hari" in lowered:
        return "P8"
    return "P4"


def _split_reactions(rng: random.Random, total: int) -> dict[str, int]:
    shares = {"Love": rng.uniform(0.05, 0.25), "Care": rng.uniform(0.0, 0.05),
              "Haha": rng.uniform(0.0, 0.06), "Wow": rng.uniform(0.0, 0.03),
              "Sad": rng.uniform(0.0, 0.02), "Angry": rng.uniform(0.0, 0.04)}
    out = {name: int(total * share) for name, share in shares.items()}
    out["Likes"] = max(0, total - sum(out.values()))
    return out


def _stable_number(seed: int, key: str) -> int:
    return random.Random(f"pantau-demo:{seed}:music:{key}").getrandbits(64)


def _unique(values: list[str]) -> list[str]:
    seen: list[str] = []
    for value in values:
        if value and value.lower() not in [s.lower() for s in seen]:
            seen.append(value)
    return seen
