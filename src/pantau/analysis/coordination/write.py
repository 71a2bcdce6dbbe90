"""The analysis_coordination_* tables: settings and null, communities, accounts, edges and
example evidence. Handles of ordinary accounts are pseudonymised (privacy.display_handle);
the tables carry no platform account ids. Column meanings: analysis/tables.py."""

from __future__ import annotations

import hashlib
import math
import re
from typing import Any

import numpy as np
import pyarrow as pa

from ... import privacy
from .detection import Detection
from .signals import SIGNALS

TABLES = ("analysis_coordination_settings", "analysis_coordination_signals",
          "analysis_coordination_communities", "analysis_coordination_accounts",
          "analysis_coordination_edges", "analysis_coordination_evidence")
# name + digits: letters (optionally one separator) then four or more digits, e.g. user48120337
HANDLE_DIGITS = r"^[a-z]+[._]?[0-9]{4,}$"
EVIDENCE_PER_SIGNAL = 3


def _register(con, name: str, columns: dict[str, Any]) -> None:
    con.register(name + "_arrow", pa.table(columns))
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_arrow")
    con.unregister(name + "_arrow")


def write_tables(ctx, det: Detection) -> dict[str, Any]:
    con, net, s = ctx.con, det.network, det.network.settings
    n = net.n_actors
    # -- settings and signals -------------------------------------------------------------
    windows = dict(s.windows, co_share=det.share_window)
    rows = [("window_scale", str(s.window_scale), "", s.sources.get("window_scale", "default"))]
    for name in SIGNALS:
        rows.append((f"{name}.window", f"{windows[name]:.0f}", "seconds",
                     det.share_window_source if name == "co_share"
                     else _source(s, {"co_comment": "co_comment_window",
                                      "copy_paste": "copy_window",
                                      "sync_burst": "burst_bin"}[name])))
    if det.share_window_source == "estimated":
        raw = det.share_estimate.get("raw_seconds", float("nan"))
        rows.append(("co_share.estimate", "nan" if math.isnan(raw) else f"{raw:.0f}",
                     "seconds", f"CooRnet rule over {int(det.share_estimate.get('items', 0))} "
                     f"fastest items (quantile {s.share_quantile}, share {s.share_share}), "
                     f"kept within {s.share_min_window:.0f}-{s.share_max_window:.0f} s"))
    for attr, unit in (("similarity", "5-gram Jaccard"), ("min_words", "words"),
                       ("co_comment_min_occasions", "posts"),
                       ("copy_min_accounts", "accounts"), ("copy_min_share", "share"),
                       ("burst_min_actions", "actions"), ("burst_factor", "x own mean"),
                       ("min_occasions", "occasions"), ("fdr", "share"),
                       ("null_replicates", "shuffles"), ("seed", ""),
                       ("max_neighbours", "actions"), ("min_community", "accounts")):
        rows.append((attr, str(getattr(s, attr)), unit, _source(s, attr)))
    con.execute("""CREATE OR REPLACE TABLE analysis_coordination_settings (
        setting VARCHAR, value VARCHAR, unit VARCHAR, source VARCHAR)""")
    con.executemany("INSERT INTO analysis_coordination_settings VALUES (?, ?, ?, ?)", rows)

    con.execute("""CREATE OR REPLACE TABLE analysis_coordination_signals (
        signal VARCHAR, window_s DOUBLE, threshold INTEGER, observed_pairs BIGINT,
        pairs_above_threshold BIGINT, null_pairs DOUBLE, null_pairs_above_threshold DOUBLE,
        null_replicates INTEGER, fdr DOUBLE, null_model VARCHAR)""")
    null_model = ("comment delays after their post permuted among the comments of each "
                  "platform; post times permuted within each platform and day (accounts, "
                  "posts and texts kept)")
    for name in SIGNALS:
        r = net.signals[name]
        above = int(r.extra.get("kept", 0))
        con.execute("INSERT INTO analysis_coordination_signals VALUES "
                    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [name, r.window, r.threshold, r.observed_pairs, above, r.null_pairs,
                     float(np.mean(r.null_edges)) if r.null_edges else 0.0,
                     s.null_replicates, s.fdr, null_model])

    # -- members ----------------------------------------------------------------------------
    members = np.flatnonzero(net.community >= 0)
    _register(con, "_co_members", {"aid": members.astype(np.int64),
                                   "community_id": net.community[members].astype(np.int64)})
    actors = con.execute("""
        SELECT m.aid, m.community_id, a.platform, a.account_id, a.handle
        FROM _co_members m JOIN _co_actors a USING (aid) ORDER BY m.aid""").fetchall()
    key, public = ctx.key, ctx.public
    shown = {aid: privacy.display_handle(handle or account_id, key, public)
             for aid, _c, _p, account_id, handle in actors}
    platform_of = {aid: p for aid, _c, p, _i, _h in actors}
    community_keys: dict[int, str] = {}
    by_community: dict[int, list[str]] = {}
    for _aid, cid, platform, account_id, _h in actors:
        by_community.setdefault(cid, []).append(f"{platform}:{account_id}")
    for cid, keys in by_community.items():
        community_keys[cid] = hashlib.sha1("\n".join(sorted(keys)).encode()).hexdigest()[:12]
    _register(con, "_co_shown", {
        "aid": pa.array(list(shown), pa.int64()),
        "account": pa.array(list(shown.values()), pa.string())})

    # -- edges ------------------------------------------------------------------------------
    a, b = net.pairs // n, net.pairs % n
    inside = (net.community[a] >= 0) & (net.community[a] == net.community[b])
    edge_cols: dict[str, Any] = {
        "aid_a": a.astype(np.int64), "aid_b": b.astype(np.int64),
        "community_id": np.where(inside, net.community[a], -1).astype(np.int64),
        "weight": net.weight.astype(np.float64)}
    for name in SIGNALS:
        edge_cols[name] = net.per_signal[name]
    _register(con, "_co_edges", edge_cols)
    signal_cols = ", ".join(f"e.{name}" for name in SIGNALS)
    con.execute(f"""
        CREATE OR REPLACE TABLE analysis_coordination_edges AS
        SELECT nullif(e.community_id, -1) AS community_id,
               xa.platform AS platform_a, sa.account AS account_a,
               xb.platform AS platform_b, sb.account AS account_b,
               {signal_cols}, round(e.weight, 3) AS weight
        FROM _co_edges e
        JOIN _co_actors xa ON xa.aid = e.aid_a JOIN _co_actors xb ON xb.aid = e.aid_b
        JOIN _co_shown sa ON sa.aid = e.aid_a JOIN _co_shown sb ON sb.aid = e.aid_b
        WHERE e.community_id >= 0
        ORDER BY community_id, weight DESC, account_a, account_b""")

    # -- accounts (traits) ----------------------------------------------------------------
    columns = {r[0] for r in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE table_name = 'accounts'").fetchall()}
    created = "a.created_at" if "created_at" in columns else "NULL::TIMESTAMP"
    bio = "(coalesce(a.bio, '') = '')" if "bio" in columns else "NULL::BOOLEAN"
    following = "a.following" if "following" in columns else "NULL::BIGINT"
    local = ctx.local("e.created_at")
    con.execute(f"""
        CREATE OR REPLACE TABLE analysis_coordination_accounts AS
        WITH acts AS (
            SELECT e.aid, e.kind, e.created_at, {local} AS created_local,
                   epoch(e.created_at) - lag(epoch(e.created_at)) OVER
                       (PARTITION BY e.aid ORDER BY e.created_at) AS gap
            FROM _co_events e JOIN _co_members m USING (aid)),
        cadence AS (
            SELECT aid, count(*) AS actions, count(*) FILTER (WHERE kind = 'comment')
                       AS comments,
                   count(DISTINCT created_local::DATE) AS active_days,
                   round(median(gap) / 60, 1) AS median_gap_minutes,
                   round(stddev_samp(gap) / nullif(avg(gap), 0), 2) AS gap_cv,
                   min(created_local) AS first_local, max(created_local) AS last_local
            FROM acts GROUP BY aid),
        degree AS (
            SELECT aid, count(*) AS partners, round(sum(weight), 3) AS strength
            FROM (SELECT aid_a AS aid, weight FROM _co_edges WHERE community_id >= 0
                  UNION ALL SELECT aid_b, weight FROM _co_edges WHERE community_id >= 0)
            GROUP BY aid)
        SELECT m.community_id, x.platform, s.account, c.actions, c.comments, c.active_days,
               c.first_local, c.last_local, c.median_gap_minutes, c.gap_cv,
               d.partners, d.strength,
               regexp_matches(lower(ltrim(coalesce(x.handle, ''), '@')), '{HANDLE_DIGITS}')
                   AS handle_name_digits,
               a.followers, {following} AS following,
               CASE WHEN {following} > 0 THEN round(a.followers / {following}, 3) END
                   AS follower_following_ratio,
               {created} AS account_created, {bio} AS empty_bio
        FROM _co_members m JOIN _co_actors x USING (aid) JOIN _co_shown s USING (aid)
        JOIN cadence c USING (aid) LEFT JOIN degree d USING (aid)
        LEFT JOIN accounts a ON a.platform = x.platform AND a.account_id = x.account_id
        ORDER BY m.community_id, d.strength DESC NULLS LAST, s.account""")

    # -- communities ------------------------------------------------------------------------
    _community_table(ctx, community_keys)
    _evidence_table(ctx, det, shown, platform_of)
    _mask_mentions(ctx)
    return {"communities": len(community_keys), "flagged_accounts": int(len(members)),
            "edges": int(inside.sum()),
            "thresholds": {k: v.threshold for k, v in net.signals.items()},
            "windows": {k: round(v.window, 1) for k, v in net.signals.items()},
            "share_window_source": det.share_window_source}


MENTION = re.compile(r"@([A-Za-z0-9_.]{2,30})")


def _mask_mentions(ctx) -> None:
    """Texts keep their words but not the handles of ordinary people they @mention (as the
    report does): @handle becomes @warga-... unless it is a candidate's linked account."""
    con, key, public = ctx.con, ctx.key, ctx.public

    def mask(text):
        if not text or "@" not in text:
            return text
        return MENTION.sub(lambda m: "@" + privacy.display_handle(m.group(1), key, public),
                           text)

    for table, columns in (("analysis_coordination_evidence", ("text_a", "text_b")),
                           ("analysis_coordination_communities", ("top_texts",))):
        arrow = con.sql(f"SELECT * FROM {table}").to_arrow_table()
        if not arrow.num_rows:
            continue
        for column in columns:
            values = arrow.column(column).to_pylist()
            masked = [[mask(x) for x in v] if isinstance(v, list) else mask(v)
                      for v in values]
            arrow = arrow.set_column(arrow.schema.get_field_index(column),
                                     arrow.schema.field(column),
                                     pa.array(masked, arrow.schema.field(column).type))
        con.register("_co_masked", arrow)
        con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM _co_masked")
        con.unregister("_co_masked")


def _source(s, attr: str) -> str:
    return s.sources.get(attr, "defaults")


def _community_table(ctx, community_keys: dict[int, str]) -> None:
    con = ctx.con
    _register(con, "_co_keys", {
        "community_id": pa.array(list(community_keys), pa.int64()),
        "community_key": pa.array(list(community_keys.values()), pa.string())})
    sentiment = ctx.labels("sentiment", "comment")
    toxicity = ctx.labels("toxicity", "comment")
    category = ctx.labels("comment_category", "comment")
    none = ("(SELECT NULL::VARCHAR AS platform, NULL::VARCHAR AS target_id, "
            "NULL::VARCHAR AS value WHERE false)")
    local = ctx.local("e.created_at")
    total_comments = con.execute("SELECT count(*) FROM comments").fetchone()[0] or 0
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _co_member_events AS
        SELECT m.community_id, e.eidx, e.kind, e.platform, e.event_id, e.aid, e.created_at,
               {local} AS created_local, e.text, x.post_id, acc.candidate_id,
               sen.value AS sentiment, tox.value AS toxicity, cat.value AS category
        FROM _co_members m JOIN _co_events e USING (aid)
        JOIN _co_ctx x ON x.pidx = e.pidx
        LEFT JOIN posts p ON p.platform = x.platform AND p.post_id = x.post_id
        LEFT JOIN accounts acc ON acc.platform = p.platform AND acc.account_id = p.account_id
        LEFT JOIN {sentiment or none} sen ON sen.platform = e.platform
            AND sen.target_id = e.event_id AND e.kind = 'comment'
        LEFT JOIN {toxicity or none} tox ON tox.platform = e.platform
            AND tox.target_id = e.event_id AND e.kind = 'comment'
        LEFT JOIN {category or none} cat ON cat.platform = e.platform
            AND cat.target_id = e.event_id AND e.kind = 'comment'""")
    con.execute(f"""
        CREATE OR REPLACE TABLE analysis_coordination_communities AS
        WITH base AS (
            SELECT community_id, count(DISTINCT aid) AS accounts,
                   string_agg(DISTINCT platform, ', ' ORDER BY platform) AS platforms,
                   count(*) FILTER (WHERE kind = 'comment') AS comments,
                   count(*) FILTER (WHERE kind = 'post') AS posts,
                   count(DISTINCT post_id) AS posts_touched,
                   min(created_local) AS first_local, max(created_local) AS last_local,
                   count(sentiment) AS sentiment_labelled,
                   count(*) FILTER (WHERE sentiment = 'negative') AS negative,
                   count(*) FILTER (WHERE sentiment = 'positive') AS positive,
                   count(toxicity) AS toxicity_labelled,
                   count(*) FILTER (WHERE toxicity IS NOT NULL AND toxicity <> 'none') AS toxic
            FROM _co_member_events GROUP BY community_id),
        stance AS (
            SELECT community_id, candidate_id, count(*) AS n,
                   count(*) FILTER (WHERE sentiment = 'positive' OR category = 'dukungan')
                       AS pro,
                   count(*) FILTER (WHERE sentiment = 'negative'
                                    OR category IN ('serangan', 'kritik')) AS contra
            FROM _co_member_events WHERE kind = 'comment' AND candidate_id IS NOT NULL
            GROUP BY ALL),
        sides AS (
            SELECT community_id,
                   list(candidate_id ORDER BY pro DESC, candidate_id)
                       FILTER (WHERE pro >= 0.5 * n AND pro > contra) AS pushes,
                   list(candidate_id ORDER BY contra DESC, candidate_id)
                       FILTER (WHERE contra >= 0.5 * n AND contra > pro) AS attacks,
                   list(candidate_id || ': ' || n || ' comments, ' || pro || ' pro, '
                        || contra || ' contra' ORDER BY n DESC, candidate_id) AS stance_detail
            FROM stance GROUP BY community_id),
        texts AS (
            SELECT community_id, list(text ORDER BY uses DESC, text)[:3] AS top_texts
            FROM (SELECT community_id, any_value(left(text, 200) ORDER BY eidx) AS text,
                         count(*) AS uses
                  FROM _co_member_events e LEFT JOIN _co_groups g USING (eidx)
                  WHERE text IS NOT NULL AND text <> ''
                  GROUP BY community_id, coalesce(g.grp::VARCHAR, lower(trim(text)))
                  HAVING count(*) >= 2)
            GROUP BY community_id),
        shared AS (
            SELECT community_id,
                   list(item ORDER BY uses DESC, item) FILTER (WHERE item LIKE 'url:%')
                       AS urls,
                   list(item ORDER BY uses DESC, item) FILTER (WHERE item LIKE '#%')
                       AS hashtags
            FROM (SELECT e.community_id, r.item, count(*) AS uses
                  FROM _co_member_events e JOIN _co_item_rows r USING (eidx)
                  GROUP BY ALL HAVING count(DISTINCT e.aid) >= 2)
            GROUP BY community_id),
        traits AS (
            SELECT community_id,
                   round(avg(handle_name_digits::INTEGER), 3) AS share_handle_name_digits,
                   median(followers) AS median_followers,
                   round(avg(empty_bio::INTEGER), 3) AS share_empty_bio,
                   min(account_created) AS created_first, max(account_created) AS created_last
            FROM analysis_coordination_accounts GROUP BY community_id),
        edges AS (
            SELECT community_id, count(*) AS edges,
                   {", ".join(f"count(*) FILTER (WHERE {n} > 0) AS edges_{n}"
                              for n in SIGNALS)}
            FROM analysis_coordination_edges GROUP BY community_id)
        SELECT b.community_id, k.community_key, b.accounts, b.platforms, b.comments, b.posts,
               b.posts_touched,
               CASE WHEN {total_comments} > 0 THEN round(b.comments / {total_comments}, 5)
               END AS share_of_comments,
               b.first_local, b.last_local,
               round(date_diff('minute', b.first_local, b.last_local) / 1440.0, 2) AS span_days,
               coalesce(s.pushes, []) AS pushes, coalesce(s.attacks, []) AS attacks,
               s.stance_detail,
               CASE WHEN b.sentiment_labelled > 0
                    THEN round(b.negative / b.sentiment_labelled, 3) END AS negative_share,
               CASE WHEN b.sentiment_labelled > 0
                    THEN round(b.positive / b.sentiment_labelled, 3) END AS positive_share,
               CASE WHEN b.toxicity_labelled > 0
                    THEN round(b.toxic / b.toxicity_labelled, 3) END AS toxic_share,
               coalesce(t.top_texts, []) AS top_texts,
               coalesce(list_transform(sh.urls[:3], lambda u: substr(u, 5)), []) AS top_urls,
               coalesce(sh.hashtags[:5], []) AS top_hashtags,
               ed.edges, {", ".join(f"ed.edges_{n}" for n in SIGNALS)},
               tr.share_handle_name_digits, tr.median_followers, tr.share_empty_bio,
               tr.created_first, tr.created_last
        FROM base b JOIN _co_keys k USING (community_id)
        LEFT JOIN sides s USING (community_id) LEFT JOIN texts t USING (community_id)
        LEFT JOIN shared sh USING (community_id) LEFT JOIN traits tr USING (community_id)
        LEFT JOIN edges ed USING (community_id)
        ORDER BY b.community_id""")


def _evidence_table(ctx, det: Detection, shown: dict[int, str],
                    platform_of: dict[int, str]) -> None:
    """The strongest pairs of each community in each signal, with the two actions that make
    the pair's first occasion."""
    con, net = ctx.con, det.network
    n = net.n_actors
    rows: dict[str, list] = {k: [] for k in ("community_id", "signal", "rank", "weight",
                                              "aid_a", "aid_b", "eidx_a", "eidx_b")}
    a, b = net.pairs // n, net.pairs % n
    same = (net.community[a] >= 0) & (net.community[a] == net.community[b])
    for name in SIGNALS:
        r = net.signals[name]
        values = net.per_signal[name]
        pick = np.flatnonzero(same & (values > 0))
        if not len(pick) or not len(r.weights.pairs):
            continue
        order = np.lexsort((net.pairs[pick], -values[pick], net.community[a[pick]]))
        pick = pick[order]
        rank_in: dict[int, int] = {}
        for k in pick.tolist():
            cid = int(net.community[a[k]])
            rank = rank_in.get(cid, 0) + 1
            if rank > EVIDENCE_PER_SIGNAL:
                continue
            rank_in[cid] = rank
            pos = int(np.searchsorted(r.weights.pairs, net.pairs[k]))
            rows["community_id"].append(cid)
            rows["signal"].append(name)
            rows["rank"].append(rank)
            rows["weight"].append(int(values[k]))
            rows["aid_a"].append(int(a[k]))
            rows["aid_b"].append(int(b[k]))
            rows["eidx_a"].append(int(r.evidence.first[pos]))
            rows["eidx_b"].append(int(r.evidence.second[pos]))
    _register(con, "_co_evidence", {
        "community_id": pa.array(rows["community_id"], pa.int64()),
        "signal": pa.array(rows["signal"], pa.string()),
        "rank": pa.array(rows["rank"], pa.int64()),
        "weight": pa.array(rows["weight"], pa.int64()),
        "eidx_a": pa.array(rows["eidx_a"], pa.int64()),
        "eidx_b": pa.array(rows["eidx_b"], pa.int64())})
    local_a, local_b = ctx.local("ea.created_at"), ctx.local("eb.created_at")
    con.execute(f"""
        CREATE OR REPLACE TABLE analysis_coordination_evidence AS
        SELECT v.community_id, v.signal, v.rank, v.weight AS occasions,
               ea.platform AS platform_a, sa.account AS account_a, ea.kind AS kind_a,
               ea.event_id AS id_a, xa.post_id AS post_a, {local_a} AS time_a,
               left(ea.text, 300) AS text_a,
               eb.platform AS platform_b, sb.account AS account_b, eb.kind AS kind_b,
               eb.event_id AS id_b, xb.post_id AS post_b, {local_b} AS time_b,
               left(eb.text, 300) AS text_b,
               round(abs(epoch(eb.created_at) - epoch(ea.created_at)) / 60, 1)
                   AS minutes_apart
        FROM _co_evidence v
        JOIN _co_events ea ON ea.eidx = v.eidx_a JOIN _co_events eb ON eb.eidx = v.eidx_b
        JOIN _co_ctx xa ON xa.pidx = ea.pidx JOIN _co_ctx xb ON xb.pidx = eb.pidx
        JOIN _co_shown sa ON sa.aid = ea.aid JOIN _co_shown sb ON sb.aid = eb.aid
        ORDER BY v.community_id, v.signal, v.rank""")
    del shown, platform_of
