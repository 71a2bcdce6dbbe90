"""What every analysis shares: the connection, the election's time zone and rules, effective
labels, and the base table `analysis_posts` that most figures aggregate.

Times in the store are naive UTC. `Context.local(col)` turns one into the election's local time
with DuckDB's icu: `(col AT TIME ZONE 'UTC')` reads the naive value as UTC (a TIMESTAMPTZ), and
`AT TIME ZONE tz` gives back the naive local time, independent of the session's TimeZone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import pyarrow as pa

from .. import privacy
from ..records import POST_METRICS

# Label schemes holding one value per target; the others (topic, sara) may hold several.
MULTI_VALUED = {"topic", "sara", "post_flags"}
# When several sources labelled the same target, a human coder wins over a model, and among
# equals the latest label wins.
PRIORITY = "(source LIKE 'coder:%', created_at)"
PLATFORM_NAMES = {"tiktok": "TikTok", "instagram": "Instagram", "facebook": "Facebook",
                  "x": "X", "youtube": "YouTube"}
# Roles whose posts speak for the candidate (responsiveness: who answers questions).
CAMPAIGN_ROLES = ("official", "candidate")
# Roles bound by the campaign rules when the rules file does not say (`accounts.binds_roles`):
# Keputusan KPU 1363/2024 binds pairs, parties and campaign teams.
BOUND_ROLES = ("official", "candidate", "party", "volunteer")


def platform_name(platform) -> str:
    return PLATFORM_NAMES.get(str(platform), str(platform).capitalize())


def quote(value: str) -> str:
    return "'" + str(value).replace("'", "''") + "'"


@dataclass
class Context:
    project: Any
    con: Any
    timings: dict[str, float] = field(default_factory=dict)
    _labels: dict[tuple[str, str], str | None] = field(default_factory=dict)
    _key: bytes | None = None
    _public: set[str] | None = None

    @property
    def tz(self) -> str:
        return self.project.config.election.timezone

    @property
    def rules(self) -> dict[str, Any]:
        return self.project.rules

    def local(self, column: str) -> str:
        return f"(({column} AT TIME ZONE 'UTC') AT TIME ZONE {quote(self.tz)})"

    def execute(self, sql: str, params: Any = None):
        return self.con.execute(sql, params)

    def scalar(self, sql: str, params: Any = None) -> Any:
        row = self.con.execute(sql, params).fetchone()
        return row[0] if row else None

    def df(self, sql: str):
        return self.con.execute(sql).df()

    def create(self, name: str, select: str, *, temp: bool = False) -> None:
        kind = "TEMP TABLE" if temp else "TABLE"
        self.con.execute(f"CREATE OR REPLACE {kind} {name} AS {select}")

    def table_exists(self, name: str) -> bool:
        return bool(self.scalar(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [name]))

    # -- labels ---------------------------------------------------------------------------
    def labels(self, scheme: str, target: str) -> str | None:
        """Name of a temp table (platform, target_id, value, score, source, evidence) with the
        effective label(s) of `scheme` per target, or None when nothing carries that label."""
        key = (scheme, target)
        if key in self._labels:
            return self._labels[key]
        present = self.scalar(
            "SELECT count(*) FROM (SELECT 1 FROM labels WHERE scheme = ? AND target = ? LIMIT 1)",
            [scheme, target])
        if not present:
            self._labels[key] = None
            return None
        name = f"_lab_{re.sub(r'[^a-z0-9]+', '_', scheme.lower())}_{target}"
        where = f"scheme = {quote(scheme)} AND target = {quote(target)}"
        if scheme in MULTI_VALUED:
            self.create(name, f"""
                WITH l AS (SELECT * FROM labels WHERE {where}),
                best AS (SELECT platform, target_id, arg_max(source, {PRIORITY}) AS source
                         FROM l GROUP BY ALL)
                SELECT l.platform, l.target_id, l.value, max(l.score) AS score, l.source,
                       any_value(l.evidence) AS evidence
                FROM l JOIN best USING (platform, target_id, source)
                WHERE l.value IS NOT NULL
                GROUP BY ALL
            """, temp=True)
        else:
            self.create(name, f"""
                SELECT platform, target_id,
                       arg_max(struct_pack(value := value, score := score, source := source,
                                           evidence := evidence), {PRIORITY}) AS l
                FROM labels WHERE {where} GROUP BY ALL
            """, temp=True)
            self.create(name, f"""
                SELECT platform, target_id, l.value AS value, l.score AS score,
                       l.source AS source, l.evidence AS evidence FROM {name}
            """, temp=True)
        self._labels[key] = name
        return name

    def label_join(self, scheme: str, target: str, alias: str, on: str) -> tuple[str, bool]:
        """A LEFT JOIN clause for the effective label, and whether any such label exists.
        `on` names the target's (platform, id) columns, e.g. 'p.platform, p.post_id'."""
        table = self.labels(scheme, target)
        platform, target_id = (s.strip() for s in on.split(","))
        if table is None:
            return (f"LEFT JOIN (SELECT NULL::VARCHAR AS platform, NULL::VARCHAR AS target_id, "
                    f"NULL::VARCHAR AS value, NULL::DOUBLE AS score, NULL::VARCHAR AS source, "
                    f"NULL::VARCHAR AS evidence WHERE false) {alias} ON false", False)
        return (f"LEFT JOIN {table} {alias} ON {alias}.platform = {platform} "
                f"AND {alias}.target_id = {target_id}", True)

    # -- privacy --------------------------------------------------------------------------
    @property
    def key(self) -> bytes:
        if self._key is None:
            self._key = privacy.project_key(self.con)
        return self._key

    @property
    def public(self) -> set[str]:
        if self._public is None:
            self._public = privacy.public_handles(self.con)
        return self._public

    def pseudonymise(self, table: str, column: str, where: str = "true") -> None:
        """Replace handles in `table.column` (rows matching `where`) by pseudonyms, except
        candidates' linked accounts (public actors). Only distinct handles pass through Python."""
        handles = [r[0] for r in self.execute(
            f"SELECT DISTINCT {column} FROM {table} WHERE {column} IS NOT NULL AND ({where})"
        ).fetchall()]
        if not handles:
            return
        mapping = pa.table({
            "handle": pa.array(handles, pa.string()),
            "shown": pa.array([privacy.display_handle(h, self.key, self.public) for h in handles],
                              pa.string()),
        })
        self.con.register("_pseudonyms", mapping)
        self.create(table, f"""
            SELECT t.* REPLACE (CASE WHEN ({where}) THEN m.shown ELSE t.{column} END
                                AS {column})
            FROM {table} t LEFT JOIN _pseudonyms m ON m.handle = t.{column}
        """, temp=table.startswith("_"))
        self.con.unregister("_pseudonyms")

    # -- rules ----------------------------------------------------------------------------
    def phase_rows(self) -> list[dict[str, Any]]:
        """Phases, windows and events from the rules file, with [start, end) in local time."""
        rows = []
        for kind in ("phases", "windows", "events"):
            for i, item in enumerate(self.rules.get(kind, [])):
                start, end = _as_start(item["start"]), _as_end(item["end"])
                rows.append({
                    "kind": kind[:-1], "id": item["id"], "ord": i,
                    "name_id": item.get("name_id", item["id"]),
                    "name_en": item.get("name_en", item["id"]),
                    "start_local": start, "end_local": end,
                })
        return rows

    def register_phases(self) -> None:
        rows = [r for r in self.phase_rows() if r["kind"] == "phase"]
        self.con.register("_phase_arrow", pa.table({
            "id": pa.array([r["id"] for r in rows], pa.string()),
            "ord": pa.array([r["ord"] for r in rows], pa.int32()),
            "start_local": pa.array([r["start_local"] for r in rows], pa.timestamp("us")),
            "end_local": pa.array([r["end_local"] for r in rows], pa.timestamp("us")),
        }))
        self.create("_phases", "SELECT * FROM _phase_arrow", temp=True)
        self.con.unregister("_phase_arrow")

    def phase_id(self, section: str, default: str) -> str:
        return str(self.rules.get(section, {}).get("phase", default))

    def rule_text(self, section: str) -> str:
        return str(self.rules.get(section, {}).get("rule", section))

    def bound_roles(self) -> tuple[str, ...]:
        roles = self.rules.get("accounts", {}).get("binds_roles")
        return tuple(str(r) for r in roles) if roles else BOUND_ROLES


def _as_start(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return datetime.combine(value, time.min)


def _as_end(value: date | datetime) -> datetime:
    """Rules give inclusive end days; a datetime end is taken as the exact instant."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return datetime.combine(value + timedelta(days=1), time.min)


METRICS = tuple(m for m in POST_METRICS if m != "followers")  # a post's own counts


def build_posts(ctx: Context) -> None:
    """analysis_posts: one row per post with its account's candidate and role, local time,
    phase, latest counts (and the post's age at that capture), followers as observed closest
    to the time of posting (else the account's), the two engagement rates, and its effective
    post labels."""
    ctx.register_phases()
    latest = ",\n".join(
        f"arg_max({m}, observed_at) FILTER (WHERE {m} IS NOT NULL) AS {m}"
        for m in METRICS)  # followers: closest to the time of posting, below
    pf_join, _ = ctx.label_join("post_function", "post", "pf", "p.platform, p.post_id")
    sd_join, _ = ctx.label_join("slang_density", "post", "sd", "p.platform, p.post_id")
    local = ctx.local("p.created_at")
    ctx.create("analysis_posts", f"""
        WITH m AS (
            SELECT pm.platform, pm.post_id, count(*) AS observations,
                   max(pm.observed_at) AS last_observed_at, {latest},
                   -- followers as observed closest to the time of posting, not the latest
                   arg_min(pm.followers, abs(epoch(pm.observed_at) - epoch(px.created_at)))
                       FILTER (WHERE pm.followers IS NOT NULL) AS followers
            FROM post_metrics pm
            LEFT JOIN posts px ON px.platform = pm.platform AND px.post_id = pm.post_id
            GROUP BY ALL),
        c AS (SELECT platform, post_id, count(*) AS comments_collected
              FROM comments GROUP BY ALL),
        base AS (
            SELECT p.platform, p.post_id, p.account_id,
                   a.handle AS account, a.candidate_id, a.role, a.registered,
                   p.created_at, {local} AS created_local,
                   p.media_type, p.duration_s, p.music_id, p.is_ad, p.url,
                   left(p.text, 300) AS caption, p.hashtags,
                   m.views, m.likes, m.comments, m.shares, m.saves,
                   coalesce(m.followers, a.followers) AS followers,
                   coalesce(m.observations, 0) AS observations, m.last_observed_at,
                   date_diff('second', p.created_at, m.last_observed_at) / 3600.0
                       AS age_hours_at_capture,
                   coalesce(c.comments_collected, 0) AS comments_collected,
                   pf.value AS post_function, sd.score AS slang_density
            FROM posts p
            LEFT JOIN accounts a ON a.platform = p.platform AND a.account_id = p.account_id
            LEFT JOIN m ON m.platform = p.platform AND m.post_id = p.post_id
            LEFT JOIN c ON c.platform = p.platform AND c.post_id = p.post_id
            {pf_join}
            {sd_join})
        SELECT base.*,
               created_local::DATE AS date_local,
               hour(created_local) AS hour_local,
               isodow(created_local) AS weekday_local,
               ph.id AS phase,
               CASE WHEN likes IS NULL AND comments IS NULL AND shares IS NULL THEN NULL
                    ELSE coalesce(likes, 0) + coalesce(comments, 0) + coalesce(shares, 0)
               END AS interactions,
               CASE WHEN followers > 0 AND likes IS NOT NULL AND comments IS NOT NULL
                    THEN (likes + comments) / followers END AS er_follower,
               CASE WHEN views > 0 AND likes IS NOT NULL AND comments IS NOT NULL
                         AND shares IS NOT NULL
                    THEN (likes + comments + shares) / views END AS er_view
        FROM base
        LEFT JOIN _phases ph ON base.created_local >= ph.start_local
                             AND base.created_local < ph.end_local
    """)
    # Posting accounts not linked to a candidate may be ordinary people: pseudonymise them.
    ctx.pseudonymise("analysis_posts", "account")


COMMENT_SCHEMES = {"sentiment": "sentiment", "question": "question",
                   "comment_category": "category"}
# A coder's label wins over a model's, then the latest; as one BIGINT key for arg_max.
PRIORITY_KEY = ("(CASE WHEN source LIKE 'coder:%' THEN 10000000000 ELSE 0 END "
                "+ coalesce(epoch(created_at)::BIGINT, 0))")


def build_comments(ctx: Context) -> None:
    """analysis_comments: one row per comment under a candidate's post, with the post's
    candidate, local time, thread, whether the candidate's side wrote it, and the effective
    sentiment, question and category labels. No author or text (join `comments` for those).

    A persistent table (not a temporary one) so DuckDB can page it out: with two million
    comments it would not fit the memory limit as an in-memory temporary table. The three
    label schemes are resolved in one aggregation over `labels`."""
    local = ctx.local("c.created_at")
    roles = ", ".join(quote(r) for r in CAMPAIGN_ROLES)
    campaign = f"FROM accounts WHERE candidate_id IS NOT NULL AND role IN ({roles})"
    ctx.create("_campaign_ids", f"""
        SELECT platform, account_id, list(DISTINCT candidate_id) AS candidates {campaign}
        GROUP BY ALL""", temp=True)
    ctx.create("_campaign_handles", f"""
        SELECT platform, lower(handle) AS handle, list(DISTINCT candidate_id) AS candidates
        {campaign} AND handle IS NOT NULL GROUP BY ALL""", temp=True)
    present = {r[0] for r in ctx.execute(
        "SELECT DISTINCT scheme FROM labels WHERE target = 'comment' AND scheme IN "
        f"({', '.join(quote(s) for s in COMMENT_SCHEMES)})").fetchall()}
    if present:
        pivots = ",\n".join(
            f"arg_max(value, {PRIORITY_KEY}) FILTER (WHERE scheme = {quote(scheme)}) AS {col}"
            for scheme, col in COMMENT_SCHEMES.items())
        labels_cte = f"""lab AS (
            SELECT platform, target_id, {pivots}
            FROM labels WHERE target = 'comment' AND scheme IN
                ({", ".join(quote(s) for s in sorted(present))})
            GROUP BY platform, target_id),"""
        label_join = "LEFT JOIN lab ON lab.platform = c.platform AND lab.target_id = c.comment_id"
    else:
        labels_cte = ("lab AS (SELECT NULL::VARCHAR AS platform, NULL::VARCHAR AS target_id, "
                      "NULL::VARCHAR AS sentiment, NULL::VARCHAR AS question, "
                      "NULL::VARCHAR AS category WHERE false),")
        label_join = "LEFT JOIN lab ON false"
    ctx.create("analysis_comments", f"""
        WITH {labels_cte}
        p AS (SELECT platform, post_id, candidate_id, account_id FROM analysis_posts
              WHERE candidate_id IS NOT NULL)
        SELECT c.platform, c.comment_id, c.post_id, c.parent_id,
               coalesce(c.parent_id, c.comment_id) AS thread_id,
               p.candidate_id, c.created_at, {local} AS created_local, c.likes,
               (coalesce(c.by_post_author, false) OR coalesce(c.author_id = p.account_id, false)
                OR coalesce(list_contains(ci.candidates, p.candidate_id), false)
                OR coalesce(list_contains(ch.candidates, p.candidate_id), false)
               ) AS by_candidate,
               lab.sentiment,
               coalesce(lab.question = 'question' OR lab.category = 'pertanyaan', false)
                   AS is_question,
               lab.category
        FROM comments c
        JOIN p ON p.platform = c.platform AND p.post_id = c.post_id
        LEFT JOIN _campaign_ids ci ON ci.platform = c.platform AND ci.account_id = c.author_id
        LEFT JOIN _campaign_handles ch ON ch.platform = c.platform
                                      AND ch.handle = lower(ltrim(c.author_handle, '@'))
        {label_join}
    """)


def linked_where(alias: str = "") -> str:
    prefix = f"{alias}." if alias else ""
    return f"{prefix}candidate_id IS NOT NULL"


# Columns of analysis tables that may name an ordinary person inside them: post addresses
# (x.com/HANDLE/status/...) and texts (@HANDLE). Handle columns are pseudonymised where built.
URL_COLUMNS = ("url", "post_url", "comment_url", "profile_url")
TEXT_COLUMNS = ("caption", "text", "evidence", "example", "context", "post_text")


def mask_people(ctx: Context) -> None:
    """Last step of every analysis run: in each analysis table, the handle part of post
    addresses and @mentions inside texts become pseudonyms (candidates' accounts stay)."""
    masker = privacy.Masker(ctx.key, ctx.public, privacy.public_ids(ctx.con))
    masker.register(ctx.con)
    columns: dict[str, list[tuple[str, str]]] = {}
    for table, column in ctx.execute(
            "SELECT table_name, column_name FROM duckdb_columns() WHERE NOT internal "
            "AND table_name LIKE 'analysis\\_%' ESCAPE '\\' AND data_type = 'VARCHAR' "
            "AND database_name = current_database() AND schema_name = 'main'").fetchall():
        if column in URL_COLUMNS:
            columns.setdefault(table, []).append((column, "pantau_url"))
        elif column in TEXT_COLUMNS:
            columns.setdefault(table, []).append((column, "pantau_text"))
    for table, cols in columns.items():
        replace = ", ".join(
            f"CASE WHEN contains({c}, {quote('/' if fn == 'pantau_url' else '@')}) "
            f"THEN {fn}({c}) ELSE {c} END AS {c}" for c, fn in cols)
        ctx.create(table, f"SELECT * REPLACE ({replace}) FROM {table}")
