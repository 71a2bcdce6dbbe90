"""The store's schema: each migration takes it from version i to i+1.

Tables and column names are a contract (docs/DEVELOPING.md): users query them, exports carry
them. Times are naive TIMESTAMPs in UTC; ids are VARCHAR (64-bit ids never pass through float).
"""

from __future__ import annotations

import duckdb

from .protocol import Connection, one_row

SCHEMA_VERSION = 5

# Each migration takes the store from version i to i+1. Never edit a released one: add a new one.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
    CREATE TABLE IF NOT EXISTS candidates (
        candidate_id VARCHAR, election VARCHAR, ballot_number INTEGER, name VARCHAR,
        running_mate VARCHAR, parties VARCHAR[], color VARCHAR);
    CREATE TABLE IF NOT EXISTS accounts (
        platform VARCHAR NOT NULL, account_id VARCHAR NOT NULL, handle VARCHAR,
        display_name VARCHAR, candidate_id VARCHAR, role VARCHAR, registered BOOLEAN,
        followers BIGINT, followers_observed_at TIMESTAMP, first_seen TIMESTAMP,
        last_seen TIMESTAMP);
    CREATE TABLE IF NOT EXISTS posts (
        platform VARCHAR NOT NULL, post_id VARCHAR NOT NULL, account_id VARCHAR,
        created_at TIMESTAMP, text VARCHAR, media_type VARCHAR, duration_s DOUBLE, url VARCHAR,
        hashtags VARCHAR[], mentions VARCHAR[], is_ad BOOLEAN, lang VARCHAR, music_id VARCHAR,
        source_format VARCHAR, first_seen TIMESTAMP, last_seen TIMESTAMP, import_id BIGINT);
    CREATE TABLE IF NOT EXISTS post_metrics (
        platform VARCHAR NOT NULL, post_id VARCHAR NOT NULL, observed_at TIMESTAMP NOT NULL,
        views BIGINT, likes BIGINT, comments BIGINT, shares BIGINT, saves BIGINT,
        followers BIGINT, reach BIGINT, impressions BIGINT, source_format VARCHAR,
        import_id BIGINT);
    CREATE TABLE IF NOT EXISTS comments (
        platform VARCHAR NOT NULL, comment_id VARCHAR NOT NULL, post_id VARCHAR,
        parent_id VARCHAR, author_id VARCHAR, author_handle VARCHAR, created_at TIMESTAMP,
        text VARCHAR, likes BIGINT, reply_count BIGINT, by_post_author BOOLEAN,
        source_format VARCHAR, first_seen TIMESTAMP, last_seen TIMESTAMP, import_id BIGINT);
    CREATE TABLE IF NOT EXISTS labels (
        platform VARCHAR NOT NULL, target VARCHAR NOT NULL, target_id VARCHAR NOT NULL,
        scheme VARCHAR NOT NULL, value VARCHAR, score DOUBLE, source VARCHAR NOT NULL,
        created_at TIMESTAMP DEFAULT (now()::TIMESTAMP), evidence VARCHAR);
    CREATE SEQUENCE IF NOT EXISTS import_ids START 1;
    CREATE TABLE IF NOT EXISTS imports (
        import_id BIGINT PRIMARY KEY, path VARCHAR, sha256 VARCHAR, size_bytes BIGINT,
        raw_path VARCHAR,
        format VARCHAR, started_at TIMESTAMP, finished_at TIMESTAMP, status VARCHAR,
        records BIGINT, posts BIGINT, comments BIGINT, accounts BIGINT, metrics BIGINT,
        duplicates BIGINT, rejected BIGINT);
    CREATE TABLE IF NOT EXISTS rejects (
        import_id BIGINT, line_no BIGINT, reason VARCHAR, raw VARCHAR);
    CREATE TABLE IF NOT EXISTS events (
        event_id VARCHAR, name VARCHAR, starts_at TIMESTAMP, ends_at TIMESTAMP, kind VARCHAR);
    """,
    # 2: which model version has labelled which item (pantau.enrich). Stores of version 1 may
    # already hold it, created by enrich itself with these very columns: IF NOT EXISTS keeps it.
    """
    CREATE TABLE IF NOT EXISTS enrich_state (
        platform VARCHAR NOT NULL, target VARCHAR NOT NULL, target_id VARCHAR NOT NULL,
        task VARCHAR NOT NULL, source VARCHAR NOT NULL);
    """,
    # 3: an observer's reviews of compliance leads (pantau.leads), one row per decision; the
    # latest per lead_key is in force (the history stays: who decided what, when).
    """
    CREATE TABLE IF NOT EXISTS lead_reviews (
        lead_key VARCHAR NOT NULL, status VARCHAR NOT NULL, note VARCHAR,
        reviewer VARCHAR NOT NULL, reviewed_at TIMESTAMP NOT NULL);
    """,
    # 4: a coder's review of a coordination community (web app): one row per decision, the
    # latest per community_key counts; the key is a hash of the members' platform ids
    # (analysis_coordination_communities), so a review follows the same set of accounts.
    """
    CREATE TABLE IF NOT EXISTS coordination_reviews (
        community_key VARCHAR NOT NULL, status VARCHAR NOT NULL, coder VARCHAR NOT NULL,
        note VARCHAR, accounts INTEGER, reviewed_at TIMESTAMP NOT NULL);
    """,
    # 5: media beside the exports (pantau.media): distinct files, their posts, the text read
    # from them, what `pantau media fetch` tried; post_media_text is what enrich reads.
    """
    CREATE TABLE IF NOT EXISTS media_files (
        sha256 VARCHAR PRIMARY KEY, kind VARCHAR NOT NULL, ext VARCHAR, path VARCHAR,
        bytes BIGINT, width INTEGER, height INTEGER, duration_s DOUBLE,
        image_type VARCHAR, image_type_score DOUBLE, image_type_because VARCHAR,
        read_by VARCHAR, read_at TIMESTAMP, read_error VARCHAR, added_at TIMESTAMP);
    CREATE TABLE IF NOT EXISTS post_media (
        platform VARCHAR NOT NULL, post_id VARCHAR NOT NULL, slide INTEGER NOT NULL,
        sha256 VARCHAR NOT NULL, kind VARCHAR NOT NULL, lang VARCHAR, linked_by VARCHAR,
        source_path VARCHAR, linked_at TIMESTAMP);
    CREATE TABLE IF NOT EXISTS media_text (
        sha256 VARCHAR NOT NULL, source VARCHAR NOT NULL, seq INTEGER NOT NULL,
        start_s DOUBLE, end_s DOUBLE, text VARCHAR, confidence DOUBLE, lang VARCHAR);
    CREATE TABLE IF NOT EXISTS media_fetches (
        url VARCHAR PRIMARY KEY, platform VARCHAR, post_id VARCHAR, slide INTEGER,
        kind VARCHAR, status VARCHAR, http_status INTEGER, sha256 VARCHAR, error VARCHAR,
        fetched_at TIMESTAMP);
    CREATE OR REPLACE VIEW post_media_text AS
        SELECT pm.platform, pm.post_id,
               string_agg(t.text, chr(10) ORDER BY pm.slide, t.source, t.seq) AS text,
               list(DISTINCT t.source ORDER BY t.source) AS sources,
               min(t.confidence) AS min_confidence
        FROM post_media pm JOIN media_text t USING (sha256)
        WHERE t.text IS NOT NULL AND t.text <> ''
        GROUP BY pm.platform, pm.post_id;
    """,
]

TABLES = (
    "candidates", "accounts", "posts", "post_metrics", "comments", "labels",
    "imports", "rejects", "events",
)


def schema_version(con: Connection) -> int:
    try:
        row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except duckdb.CatalogException:
        return 0
    return int(row[0]) if row else 0


def table_counts(con: Connection) -> dict[str, int]:
    return {t: one_row(con.execute(f"SELECT count(*) FROM {t}"))[0] for t in TABLES}
