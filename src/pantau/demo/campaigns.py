"""Planted coordination in the synthetic demo, and organic activity that merely looks similar.

Planted (data/campaigns.toml, plus the buzzer scripts of corpus._buzz):
- copy-paste bursts: each pair's buzzers paste one script under a post within 15 minutes;
- a co-commenting ring: a few accounts attack one pair under many of its posts within minutes,
  each in its own words;
- a link pushed in bursts by new accounts (name + digits handles, few followers) on two
  platforms, each with its own words around the same link.
Organic look-alikes: a popular slogan repeated by unrelated fans over weeks, and a genuine
viral news link shared by many unrelated commenters in the day after a debate.

Everything planted is recorded (Corpus.planted) so tests and benchmarks score against it; the
demo folder gets it as planted_coordination.json.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from . import scenario as sc
from .phrases import load

# The corpus's records (corpus.Person, DemoPost, DemoComment) and its generator are passed in:
# this module never imports corpus.py, which calls it.
Person = DemoPost = DemoComment = _Generator = _Weighted = Any

TRUTH_NAME = "planted_coordination.json"


@dataclass
class PlantedGroup:
    """A set of accounts acting together (coordinated) or alike by chance (organic)."""

    name: str
    # copy_paste_burst | co_comment_ring | link_push | organic_slogan | organic_viral_link
    kind: str
    coordinated: bool
    members: list[Person] = field(default_factory=list)
    platforms: dict[str, str] = field(default_factory=dict)  # person_id -> platform
    actions: dict[str, int] = field(default_factory=dict)  # person_id -> planted comments
    occasions: dict[str, int] = field(default_factory=dict)  # person_id -> posts/bursts

    def add(self, person: Person, platform: str, occasion: bool = True) -> None:
        if person.person_id not in self.platforms:
            self.members.append(person)
            self.platforms[person.person_id] = platform
        self.actions[person.person_id] = self.actions.get(person.person_id, 0) + 1
        if occasion:
            self.occasions[person.person_id] = self.occasions.get(person.person_id, 0) + 1

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "kind": self.kind, "coordinated": self.coordinated,
            "accounts": [{"platform": self.platforms[p.person_id], "account_id": p.person_id,
                          "handle": p.handle, "comments": self.actions[p.person_id],
                          "occasions": self.occasions.get(p.person_id, 0)}
                         for p in self.members],
        }


def _limit() -> datetime:
    return sc.CAPTURE_MAIN.astimezone(UTC) - timedelta(minutes=5)


def _resort(posts: list[DemoPost]) -> None:
    for post in posts:
        post.comments.sort(key=lambda c: (c.created, c.comment_id))


def buzzer_groups(platform: str, posts: list[DemoPost]) -> list[PlantedGroup]:
    """The copy-paste bursts corpus._buzz made, one group per pair (category "buzzer")."""
    groups: dict[str, PlantedGroup] = {}
    for post in posts:
        seen: set[str] = set()
        for comment in post.comments:
            if comment.category != "buzzer" or comment.author.buzzer_for is None:
                continue
            pair = comment.author.buzzer_for
            group = groups.setdefault(pair, PlantedGroup(
                f"copy-paste:{platform}:{pair}", "copy_paste_burst", True))
            group.add(comment.author, platform, occasion=comment.author.person_id not in seen)
            seen.add(comment.author.person_id)
    return [groups[k] for k in sorted(groups)]


def plant(gen: _Generator, platform: str, posts: list[DemoPost], people: _Weighted,
          buzzers: dict[str, list[Person]]) -> list[PlantedGroup]:
    """Add the planted campaigns and the organic look-alikes of `platform` to its posts."""
    data = load("campaigns")
    rng = random.Random(f"pantau-demo:{gen.seed}:campaigns:{platform}")
    out = buzzer_groups(platform, posts)
    touched: list[DemoPost] = []
    if data["ring"]["platform"] == platform:
        out.append(_ring(gen, rng, platform, posts, data["ring"], touched))
    if platform in data["link_push"]["platforms"]:
        out.append(_link_push(gen, rng, platform, posts, data["link_push"], touched))
    if data["organic_slogan"]["platform"] == platform:
        out.append(_slogan(gen, rng, platform, posts, people, data["organic_slogan"], touched))
    if platform in data["organic_viral_link"]["platforms"]:
        out.append(_viral(gen, rng, platform, posts, people, data["organic_viral_link"],
                          touched))
    _resort(touched)
    return out


def _scaled(gen: _Generator, n: int, low: int) -> int:
    return max(low, round(n * min(1.0, 0.4 + gen.scale)))


def _add(gen: _Generator, rng: random.Random, post: DemoPost, author: Person,
         created: datetime, text: str, category: str) -> DemoComment:
    comment = gen.new_comment(post, author, created, text, category,
                              likes=int(rng.lognormvariate(0.3, 1.0)))
    post.comments.append(comment)
    return comment


def _context(gen: _Generator, post: DemoPost, extra: dict[str, Any]) -> dict[str, Any]:
    return {**gen._context(post.pair, post.platform), **extra}


def _ring(gen, rng, platform, posts, spec, touched) -> PlantedGroup:
    group = PlantedGroup(f"co-comment-ring:{platform}:{spec['target']}", "co_comment_ring",
                         True)
    vocab = gen.words.vocab
    members = []
    for _ in range(spec["members"]):
        first, last = rng.choice(vocab["nama_depan"]), rng.choice(vocab["nama_belakang"])
        handle = gen._handle(rng, platform, first, last)
        members.append(gen._person(platform, handle, f"{first} {last}", rng))
    targets = [p for p in posts if p.pair is not None and p.pair.id == spec["target"]]
    chosen = rng.sample(targets, k=min(len(targets), _scaled(gen, spec["posts"], 4)))
    limit = _limit()
    low, high = spec["per_post"]
    for post in sorted(chosen, key=lambda p: p.created):
        start = min(post.created + timedelta(minutes=rng.uniform(5, 180)), limit)
        context = _context(gen, post, {})
        for member in rng.sample(members, k=rng.randint(low, min(high, len(members)))):
            created = min(start + timedelta(seconds=rng.uniform(0, spec["spread_minutes"] * 60)),
                          limit)
            text = gen.words.informal(gen.words.fill(rng.choice(spec["texts"]), context), 0.3)
            _add(gen, rng, post, member, created, text, "kritik")
            group.add(member, platform)
        touched.append(post)
    return group


def _link_push(gen, rng, platform, posts, spec, touched) -> PlantedGroup:
    group = PlantedGroup(f"link-push:{platform}", "link_push", True)
    count = spec["members"][spec["platforms"].index(platform)]
    members = []
    for _ in range(count):
        handle = f"{rng.choice(spec['handle_words'])}{rng.choice(spec['handle_words'])}" \
                 f"{rng.randrange(1000, 99999)}"
        person = gen._person(platform, handle, handle.title(), rng)
        person.followers = rng.randint(0, 25)
        members.append(person)
    # the bursts fall at the same moments on both platforms: one seeded schedule
    schedule = random.Random(f"pantau-demo:{gen.seed}:link-push-schedule")
    days = sc.campaign_days()
    moments = sorted(datetime(d.year, d.month, d.day, schedule.randint(7, 21),
                              schedule.randrange(60), tzinfo=sc.WIB).astimezone(UTC)
                     for d in schedule.sample(days[10:], k=_scaled(gen, spec["bursts"], 4)))
    limit = _limit()
    low, high = spec["per_burst"]
    for moment in moments:
        before = [p for p in posts if p.created < moment - timedelta(minutes=30)]
        if not before:
            continue
        recent = sorted(before, key=lambda p: p.created)[-30:]
        for member in rng.sample(members, k=rng.randint(low, min(high, len(members)))):
            post = rng.choice(recent)
            created = min(moment + timedelta(seconds=rng.uniform(0, spec["spread_minutes"] * 60)),
                          limit)
            text = gen.words.fill(rng.choice(spec["texts"]), _context(gen, post,
                                                                      {"url": spec["url"]}))
            _add(gen, rng, post, member, created, text, "spam")
            group.add(member, platform)
            touched.append(post)
    return group


def _slogan(gen, rng, platform, posts, people, spec, touched) -> PlantedGroup:
    group = PlantedGroup(f"organic-slogan:{platform}:{spec['pair']}", "organic_slogan", False)
    targets = [p for p in posts if p.pair is not None and p.pair.id == spec["pair"]]
    fans: list[Person] = []
    seen: set[str] = set()
    for _ in range(spec["fans"] * 4):
        person = people.pick(rng)
        if person.person_id not in seen:
            seen.add(person.person_id)
            fans.append(person)
        if len(fans) >= _scaled(gen, spec["fans"], 10):
            break
    limit = _limit()
    for fan in fans:
        for _ in range(rng.choice((1, 1, 1, 2))):
            post = rng.choice(targets)
            created = min(post.created + timedelta(seconds=rng.expovariate(1 / (20 * 3600))
                                                    + 60), limit)
            text = gen.words.fill(spec["text"], _context(gen, post, {}))
            _add(gen, rng, post, fan, created, text, "dukungan")
            group.add(fan, platform)
            touched.append(post)
    return group


def _viral(gen, rng, platform, posts, people, spec, touched) -> PlantedGroup:
    group = PlantedGroup(f"organic-viral-link:{platform}", "organic_viral_link", False)
    count = _scaled(gen, spec["sharers"][spec["platforms"].index(platform)], 6)
    debate_end = datetime(sc.DEBATES[0].year, sc.DEBATES[0].month, sc.DEBATES[0].day, 22, 0,
                          tzinfo=sc.WIB).astimezone(UTC)
    recent = [p for p in posts if debate_end - timedelta(days=3) <= p.created
              <= debate_end + timedelta(hours=spec["after_debate_hours"])] or posts
    seen: set[str] = set()
    limit = _limit()
    for _ in range(count * 4):
        person = people.pick(rng)
        if person.person_id in seen:
            continue
        seen.add(person.person_id)
        # the news spreads fast at first, then slower: exponential delays, mean 8 hours
        delay = min(rng.expovariate(1 / (8 * 3600)), spec["after_debate_hours"] * 3600)
        created = min(debate_end + timedelta(seconds=delay + 600), limit)
        post = rng.choice([p for p in recent if p.created < created] or recent)
        text = gen.words.fill(rng.choice(spec["texts"]), _context(gen, post,
                                                                  {"url": spec["url"]}))
        _add(gen, rng, post, person, created, text, "netral")
        group.add(person, platform)
        touched.append(post)
        if len(seen) >= count:
            break
    return group
