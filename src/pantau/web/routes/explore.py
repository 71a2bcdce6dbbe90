"""Explore: overview, candidates, posts, one post, comments, unanswered questions, compliance,
analysis tables, imports and rejects. Read-only: every query is the app's own, parameterised,
over the `web` index or the store."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from ...analysis.tables import ANALYSIS_TABLES
from ...report.i18n import t as report_text
from .. import cards
from ..charts import line_chart, report_figures
from ..context import Ctx, admin_ctx, cached_page, get_ctx, user_ctx, user_write_ctx
from ..formatting import fmt_dt
from ..redirects import external_url

router = APIRouter()
PAGE = 50  # rows of a table per page
CARDS = 25  # comments per page: each is a card, tall on a phone

POST_SORTS = ("created_at", "views", "likes", "comments", "shares", "saves", "followers",
              "er_follower", "er_view", "comments_collected")
COMMENT_SORTS = ("created_at", "likes")
DERIVED_FLAGS = ("paid_ad", "quiet_period", "sara", "toxic")
# The report's sections, in its order, when `pantau analyze` has written them.
OVERVIEW_TABLES = (
    "analysis_coverage", "analysis_activity", "analysis_engagement", "analysis_tests",
    "analysis_content_functions", "analysis_content_topics", "analysis_comment_volume",
    "analysis_sentiment", "analysis_comment_categories", "analysis_responsiveness",
    "analysis_youth", "analysis_reliability",
)
from ...analysis.compliance import KINDS as FINDING_KINDS  # noqa: E402


# -- small helpers ----------------------------------------------------------------------------
async def explore_ctx(request: Request) -> Ctx:
    """user_ctx as one async dependency: FastAPI runs a sync dependency in the thread pool,
    and each such hop waits for a thread and the GIL under load (a fresh page made three)."""
    return user_ctx(get_ctx(request))


def _page(request: Request) -> int:
    try:
        return max(1, min(int(request.query_params.get("page", "1")), 10_000))
    except ValueError:
        return 1


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _paged(rows: list[dict], size: int = PAGE) -> tuple[list[dict], bool]:
    """A page of rows fetched with one extra (which says whether there is a next page)."""
    return rows[:size], len(rows) > size


def decorate(ctx: Ctx, comments: list[dict], category_labels: dict[str, str] | None = None
             ) -> list[dict]:
    """Copies of the comments prepared for display in Python (cheaper than template macros):
    the shown handle, time, and label chips (value with its source). Copies, because the rows
    come from the shared read cache and a page in another language may be built at the same
    time."""
    yes, no, answered = ctx.t("yes"), ctx.t("no"), ctx.t("Answered")
    categories = category_labels or {}
    handle, source = ctx.db.handle, ctx.source  # looked up once, not per comment
    out = []
    for c in comments:
        c = {**c}
        c["author"] = handle(c.get("author_handle"))
        c["when"] = fmt_dt(c.get("created_local"))
        chips = []
        for name in ("sentiment", "question", "category", "toxicity"):
            value = c.get(name)  # the questions page reads fewer columns
            if value is not None:
                text = categories.get(value, value) if name == "category" else value
                chips.append((f"chip-{name} v-{value}", text, source(c.get(f"{name}_src"))))
        if c.get("is_question"):
            chips.append(("ok" if c["answered"] else "warn",
                          f"{answered}: {yes if c['answered'] else no}", ""))
        c["chips"] = chips
        out.append(c)
    return out


COMMENT_COLUMNS = """platform, comment_id, post_id, parent_id, candidate_id, created_local,
    text, author_handle, likes, by_candidate, sentiment, sentiment_src, question, question_src,
    category, category_src, toxicity, toxicity_src, is_question, answered"""


def comment_page(ctx: Ctx, where: str, params: list, order: str | None, page: int
                 ) -> list[dict]:
    """One page (plus one row) of web.comment_facts. The table is stored newest first and
    DuckDB keeps insertion order (preserve_insertion_order), so newest first needs no ORDER BY:
    the scan stops once the page is full. Another order takes two steps: the row ids of the
    page, then those rows (ordering only row ids keeps DuckDB's top-N from carrying every
    column of the rows it passes over)."""
    if order is None:
        return ctx.db.rows(f"SELECT {COMMENT_COLUMNS} FROM web.comment_facts WHERE {where} "
                           "LIMIT ? OFFSET ?", [*params, CARDS + 1, (page - 1) * CARDS])
    ids = [r["r"] for r in ctx.db.rows(
        f"SELECT rowid AS r FROM web.comment_facts WHERE {where} ORDER BY {order} "
        "LIMIT ? OFFSET ?", [*params, CARDS + 1, (page - 1) * CARDS])]
    if not ids:
        return []
    found = {r["r"]: r for r in ctx.db.rows(
        f"SELECT rowid AS r, {COMMENT_COLUMNS} FROM web.comment_facts "
        "WHERE rowid BETWEEN ? AND ? AND rowid IN (SELECT unnest(?))",
        [min(ids), max(ids), ids])}
    return [found[i] for i in ids if i in found]


def analysis_tables(ctx: Ctx) -> list[str]:
    return [r["table_name"] for r in ctx.db.rows(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
        "AND table_name LIKE 'analysis\\_%' ESCAPE '\\' ORDER BY table_name")]


def table_rows(ctx: Ctx, table: str, limit: int = 200, offset: int = 0,
               where: str = "", params: list | None = None) -> tuple[list[str], list[dict]]:
    """Rows of an analysis table whose name came from duckdb_tables() (never from the user)."""
    if table not in analysis_tables(ctx):
        raise HTTPException(404, f"no table {table}")
    rows = ctx.db.rows(f'SELECT * FROM "{table}" {where} LIMIT ? OFFSET ?',
                       [*(params or []), limit, offset])
    columns = [c["column_name"] for c in ctx.db.rows(
        "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() "
        "AND table_name = ? ORDER BY column_index", [table])]
    return columns, rows


def phase_names(ctx: Ctx) -> dict[str, str]:
    key = "name_en" if ctx.lang == "en" else "name_id"
    return {p["id"]: p[key] for p in ctx.db.phases if p["kind"] == "phase"}


def option_labels(ctx: Ctx, variable: str) -> dict[str, str]:
    var = ctx.codebook.variables.get(variable)
    return {o.code: ctx.label(o) for o in var.values} if var else {}


# -- overview and candidates ------------------------------------------------------------------
def candidate_figures(ctx: Ctx) -> dict[str, dict[str, Any]]:
    posts = ctx.db.rows("""
        SELECT candidate_id, count(*) AS posts, count(DISTINCT platform) AS platforms,
               sum(views) AS views, sum(likes) AS likes, sum(comments_collected) AS comments,
               median(er_view) AS median_er_view, median(er_follower) AS median_er_follower
        FROM web.post_facts WHERE candidate_id IS NOT NULL GROUP BY ALL""")
    comments = ctx.db.rows("""
        SELECT candidate_id,
               count(*) FILTER (WHERE sentiment IS NOT NULL) AS with_sentiment,
               count(*) FILTER (WHERE sentiment = 'negative') AS negative,
               count(*) FILTER (WHERE is_question AND NOT answered AND NOT by_candidate)
                   AS open_questions,
               count(*) FILTER (WHERE is_question AND NOT by_candidate) AS questions
        FROM web.comment_facts WHERE candidate_id IS NOT NULL GROUP BY ALL""")
    out: dict[str, dict[str, Any]] = {c["candidate_id"]: {} for c in ctx.app.candidates}
    for row in posts + comments:
        out.setdefault(row["candidate_id"], {}).update(row)
    for figures in out.values():
        n = figures.get("with_sentiment") or 0
        figures["negative_share"] = (figures.get("negative", 0) / n) if n else None
    return out


@router.get("/")
@cached_page
def overview(ctx: Ctx = Depends(user_ctx)):
    counts = ctx.db.one("""SELECT (SELECT count(*) FROM posts) AS posts,
                                  (SELECT count(*) FROM comments) AS comments,
                                  (SELECT count(*) FROM accounts) AS accounts,
                                  (SELECT count(*) FROM labels) AS labels,
                                  (SELECT count(*) FROM imports) AS imports""")
    present = set(analysis_tables(ctx))
    sections = []
    for table in OVERVIEW_TABLES:
        if table in present:
            columns, rows = table_rows(ctx, table, limit=60)
            sections.append({"table": table, "title": ANALYSIS_TABLES.get(table, ("",))[0],
                             "columns": columns, "rows": rows})
    findings = (ctx.db.rows("SELECT kind, candidate_id, count(*) AS n FROM analysis_findings "
                            "GROUP BY ALL ORDER BY ALL")
                if "analysis_findings" in present else None)
    return ctx.render("overview.html", counts=counts, figures=candidate_figures(ctx),
                      sections=sections, analysed=bool(present), findings=findings,
                      kinds=kind_labels(ctx),
                      other_tables=sorted(present - set(OVERVIEW_TABLES)),
                      charts=report_figures(ctx.db, ctx.app.project, ctx.lang))


@router.get("/candidates/{candidate_id}")
@cached_page
def candidate(candidate_id: str, ctx: Ctx = Depends(explore_ctx)):
    info = next((c for c in ctx.app.candidates if c["candidate_id"] == candidate_id), None)
    if info is None:
        raise HTTPException(404, f"no candidate {candidate_id}")
    accounts = ctx.db.rows("""
        SELECT platform, account_id, handle, display_name, role, registered, followers
        FROM accounts WHERE candidate_id = ? ORDER BY platform, role, handle""", [candidate_id])
    per_platform = ctx.db.rows("""
        SELECT platform, role, count(*) AS posts, sum(views) AS views, sum(likes) AS likes,
               sum(shares) AS shares, sum(comments_collected) AS comments,
               median(er_view) AS median_er_view, median(er_follower) AS median_er_follower
        FROM web.post_facts WHERE candidate_id = ? GROUP BY ALL ORDER BY ALL""",
                               [candidate_id])
    functions = ctx.db.rows("""
        SELECT post_function AS value, count(*) AS n FROM web.post_facts
        WHERE candidate_id = ? AND post_function IS NOT NULL GROUP BY ALL ORDER BY n DESC""",
                            [candidate_id])
    sentiment = ctx.db.rows("""
        SELECT sentiment AS value, count(*) AS n FROM web.comment_facts
        WHERE candidate_id = ? AND sentiment IS NOT NULL GROUP BY ALL ORDER BY n DESC""",
                            [candidate_id])
    categories = ctx.db.rows("""
        SELECT category AS value, count(*) AS n FROM web.comment_facts
        WHERE candidate_id = ? AND category IS NOT NULL GROUP BY ALL ORDER BY n DESC""",
                             [candidate_id])
    top = ctx.db.rows("""
        SELECT platform, post_id, created_local, left(text, 160) AS text, views, likes,
               er_view, post_function
        FROM web.post_facts WHERE candidate_id = ? ORDER BY views DESC NULLS LAST LIMIT 10""",
                      [candidate_id])
    figures = candidate_figures(ctx).get(candidate_id, {})
    return ctx.render("candidate.html", info=info, accounts=accounts, per_platform=per_platform,
                      functions=functions, sentiment=sentiment, categories=categories, top=top,
                      figures=figures, function_labels=option_labels(ctx, "post_function"),
                      category_labels=option_labels(ctx, "comment_category"))


@router.get("/candidates/{candidate_id}/questions")
@cached_page
def questions(candidate_id: str, request: Request, ctx: Ctx = Depends(explore_ctx)):
    info = next((c for c in ctx.app.candidates if c["candidate_id"] == candidate_id), None)
    if info is None:
        raise HTTPException(404, f"no candidate {candidate_id}")
    page = _page(request)
    sort = "likes" if request.query_params.get("sort") == "likes" else "created_at"
    rows = ctx.db.rows(f"""
        SELECT platform, comment_id, post_id, created_local, text, author_handle, likes,
               sentiment, sentiment_src, question, question_src, category, category_src
        FROM web.comment_facts
        WHERE candidate_id = ? AND is_question AND NOT answered AND NOT by_candidate
        ORDER BY {sort} DESC NULLS LAST, comment_id LIMIT ? OFFSET ?""",
                       [candidate_id, CARDS + 1, (page - 1) * CARDS])
    total = ctx.db.scalar("""SELECT count(*) FROM web.comment_facts WHERE candidate_id = ?
                             AND is_question AND NOT answered AND NOT by_candidate""",
                          [candidate_id])
    rows, more = _paged(rows, CARDS)
    rows = decorate(ctx, rows, option_labels(ctx, "comment_category"))
    for c in rows:  # the post's text from the index held in Python (no join)
        found = ctx.db.post(c["platform"], c["post_id"])
        c["post_text"] = found["text"] if found else None
    html = cards.question_list(rows, ctx.t("Post"), ctx.t("Nothing here yet."))
    return ctx.render("questions.html", info=info, cards=html, total=total, page=page,
                      more=more, sort=sort)


# -- posts ------------------------------------------------------------------------------------
def post_filters(request: Request) -> dict[str, Any]:
    q = request.query_params
    f: dict[str, Any] = {k: (q.get(k) or "").strip() or None for k in (
        "candidate", "platform", "role", "phase", "function", "topic", "flag", "q")}
    f["date_from"], f["date_to"] = _day(q.get("date_from")), _day(q.get("date_to"))
    f["sort"] = q.get("sort") if q.get("sort") in POST_SORTS else "created_at"
    f["order"] = "asc" if q.get("order") == "asc" else "desc"
    return f


@router.get("/posts")
@cached_page
def posts(request: Request, ctx: Ctx = Depends(explore_ctx)):
    f = post_filters(request)
    page = _page(request)
    where, params = ["true"], []
    for key, column in (("candidate", "candidate_id"), ("platform", "platform"),
                        ("role", "role"), ("phase", "phase"), ("function", "post_function")):
        if f[key]:
            where.append(f"{column} = ?")
            params.append(f[key])
    if f["topic"]:
        where.append("list_contains(topics, ?)")
        params.append(f["topic"])
    if f["flag"]:
        where.append("list_contains(flags, ?)")
        params.append(f["flag"])
    if f["date_from"]:
        where.append("created_local >= ?")
        params.append(f["date_from"])
    if f["date_to"]:
        where.append("created_local < ?")
        params.append(f["date_to"] + timedelta(days=1))
    if f["q"]:
        where.append("contains(lower(text), lower(?))")
        params.append(f["q"])
    # the query returns only the posts' numbers; their rows are held in Python (db.post_rows)
    numbers = [r["n"] for r in ctx.db.rows(f"""
        SELECT n FROM web.post_facts WHERE {' AND '.join(where)}
        ORDER BY {f['sort']} {f['order']} NULLS LAST, post_id
        LIMIT ? OFFSET ?""", [*params, PAGE + 1, (page - 1) * PAGE])]
    rows, more = _paged(ctx.db.post_rows(numbers))
    options = ctx.db.one("""
        SELECT list(DISTINCT platform ORDER BY platform) AS platforms,
               list(DISTINCT role ORDER BY role) AS roles,
               list(DISTINCT post_function ORDER BY post_function)
                   FILTER (WHERE post_function IS NOT NULL) AS functions,
               flatten(list(DISTINCT topics)) AS topics, flatten(list(DISTINCT flags)) AS flags
        FROM web.post_facts""") or {}
    topics = sorted(set(option_labels(ctx, "topic")) | set(options.get("topics") or []))
    flag_var = ctx.app.flag_scheme
    flags = sorted(set(option_labels(ctx, flag_var) if flag_var else {}) | set(DERIVED_FLAGS)
                   | set(options.get("flags") or []))
    functions = sorted(set(option_labels(ctx, "post_function"))
                       | set(options.get("functions") or []))
    t = ctx.t
    table = cards.post_rows(
        rows, {"date": t("Date"), "cand": t("Candidate"), "plat": t("Platform"),
               "text": t("Text"), "fn": t("Post function"), "topics": t("Topics"),
               "views": t("Views"), "likes": t("Likes"), "comments": t("Comments"),
               "shares": t("Shares"), "erv": t("Engagement per view"),
               "erf": t("Engagement per follower"), "src": t("Source")},
        phase_names(ctx), ctx.app.candidate_names, option_labels(ctx, "topic"),
        option_labels(ctx, flag_var) if flag_var else {}, ctx.source,
        t("Nothing matches these filters."))
    return ctx.render("posts.html", table_rows=table, f=f, page=page, more=more,
                      platforms=options.get("platforms") or [], roles=options.get("roles") or [],
                      functions=functions, topics=topics, flags=flags, sorts=POST_SORTS,
                      phases=phase_names(ctx), function_labels=option_labels(ctx,
                                                                             "post_function"),
                      topic_labels=option_labels(ctx, "topic"),
                      flag_labels=option_labels(ctx, flag_var) if flag_var else {})


@router.get("/posts/{platform}/{post_id}")
async def post(platform: str, post_id: str, request: Request, ctx: Ctx = Depends(explore_ctx)):
    """Only the thread's query goes to the thread pool; the page is built on the event loop.
    Built in a pool thread, it competed for the GIL with up to forty others switching every
    millisecond, which cost about a fifth more CPU per page under load."""
    comments = await run_in_threadpool(ctx.db.thread, platform, post_id)
    return _post_page(platform=platform, post_id=post_id, request=request, ctx=ctx,
                      comments=comments)


@cached_page
def _post_page(platform: str, post_id: str, request: Request, ctx: Ctx,
               comments: list[dict[str, Any]]):
    found = ctx.db.post(platform, post_id)  # held in Python with its metrics and labels
    if found is None:
        raise HTTPException(404, f"no post {platform}:{post_id}")
    row = {**found, "link": external_url(found["url"])}
    metrics, labels = row["metrics"], row["labels"]
    page = _page(request)
    sort = "likes" if request.query_params.get("sort") == "likes" else "created_at"
    top = [c for c in comments if c["parent_id"] is None]
    if sort == "likes":
        top.sort(key=lambda c: (-(c["likes"] or 0), c["comment_id"]))
    else:
        top.sort(key=lambda c: (c["created_at"] is None, c["created_at"] or 0, c["comment_id"]))
    top, more = _paged(top[(page - 1) * CARDS:], CARDS)
    shown = {c["comment_id"] for c in top}
    replies: dict[str, list[dict]] = {}
    for reply in sorted((c for c in comments if c["parent_id"] in shown),
                        key=lambda c: (c["created_at"] is None, c["created_at"] or 0)):
        replies.setdefault(reply["parent_id"], []).append(reply)
    # one decorate call for the page: each call looks up its words and labels again
    order = []
    for c in top:
        order.append((c, False))
        order.extend((r, True) for r in replies.get(c["comment_id"], []))
    thread = list(zip(decorate(ctx, [c for c, _ in order]), (reply for _, reply in order),
                      strict=True))
    html = cards.thread(thread, ctx.t("Reply by the candidate's account"),
                        ctx.t("Nothing here yet."))
    series = {name: [(m["observed_at"], m[name]) for m in metrics if m[name] is not None]
              for name in ("views", "likes", "comments", "shares")}
    chart = line_chart({ctx.t(k.title()): v for k, v in series.items() if v},
                       title=ctx.t("Metrics over time"))
    return ctx.render("post.html", post=row, metrics=metrics, labels=labels, thread_html=html,
                      page=page, more=more, sort=sort, chart=chart,
                      media=_media_text(ctx, platform, post_id),
                      phases=phase_names(ctx),
                      function_labels=option_labels(ctx, "post_function"))


def _media_text(ctx: Ctx, platform: str, post_id: str) -> list[dict[str, Any]]:
    """The post's media files and the text read from them (pantau media), @mentions masked."""
    rows = ctx.db.rows(
        """SELECT pm.slide, f.kind, f.image_type, t.source, t.start_s, t.text, t.confidence
           FROM post_media pm JOIN media_files f USING (sha256)
           LEFT JOIN media_text t USING (sha256)
           WHERE pm.platform = ? AND pm.post_id = ?
           ORDER BY pm.slide, f.kind, t.source, t.seq""", [platform, post_id])
    return [{**r, "text": ctx.db.masker.text(r["text"])} for r in rows]


# -- comments ---------------------------------------------------------------------------------
@router.get("/comments")
@cached_page
def comments(request: Request, ctx: Ctx = Depends(explore_ctx)):
    q = request.query_params
    f: dict[str, Any] = {k: (q.get(k) or "").strip() or None for k in (
        "candidate", "platform", "sentiment", "category", "question", "toxicity", "q",
        "answered")}
    f["date_from"], f["date_to"] = _day(q.get("date_from")), _day(q.get("date_to"))
    f["sort"] = "likes" if q.get("sort") == "likes" else "created_at"
    page = _page(request)
    where, params = ["true"], []
    for key, column in (("candidate", "candidate_id"), ("platform", "platform"),
                        ("sentiment", "sentiment"), ("category", "category"),
                        ("toxicity", "toxicity")):
        if f[key]:
            where.append(f"{column} = ?")
            params.append(f[key])
    if f["question"] == "yes":
        where.append("is_question")
    elif f["question"] == "no":
        where.append("NOT coalesce(is_question, false)")
    if f["answered"] == "no":
        where.append("is_question AND NOT answered AND NOT by_candidate")
    if f["date_from"]:
        where.append("created_local >= ?")
        params.append(f["date_from"])
    if f["date_to"]:
        where.append("created_local < ?")
        params.append(f["date_to"] + timedelta(days=1))
    if f["q"]:
        where.append("contains(lower(text), lower(?))")
        params.append(f["q"])
    order = "likes DESC NULLS LAST, rowid" if f["sort"] == "likes" else None
    rows = comment_page(ctx, " AND ".join(where), params, order, page)
    rows, more = _paged(rows, CARDS)
    rows = decorate(ctx, rows, option_labels(ctx, "comment_category"))
    html = cards.comment_list(rows, ctx.app.candidate_names, ctx.t("Post"),
                              ctx.t("Nothing matches these filters."))
    options = ctx.db.one("""
        SELECT list(DISTINCT platform ORDER BY platform) AS platforms,
               list(DISTINCT sentiment ORDER BY sentiment)
                   FILTER (WHERE sentiment IS NOT NULL) AS sentiments,
               list(DISTINCT category ORDER BY category)
                   FILTER (WHERE category IS NOT NULL) AS categories,
               list(DISTINCT toxicity ORDER BY toxicity)
                   FILTER (WHERE toxicity IS NOT NULL) AS toxicities
        FROM web.comment_facts""") or {}
    categories = sorted(set(option_labels(ctx, "comment_category"))
                        | set(options.get("categories") or []))
    return ctx.render("comments.html", cards=html, f=f, page=page, more=more,
                      platforms=options.get("platforms") or [],
                      sentiments=options.get("sentiments") or [],
                      categories=categories, toxicities=options.get("toxicities") or [],
                      category_labels=option_labels(ctx, "comment_category"))


# -- compliance, analysis tables, imports -----------------------------------------------------
def kind_labels(ctx: Ctx) -> dict[str, str]:
    return {k: report_text(ctx.lang, f"kind_{k}") for k in FINDING_KINDS}


@router.get("/compliance")
@cached_page
def compliance(request: Request, ctx: Ctx = Depends(explore_ctx)):
    """Compliance leads from analysis_findings (the report's table): filters by kind and
    candidate, in the page's language."""
    if "analysis_findings" not in analysis_tables(ctx):
        return ctx.render("compliance.html", rows=None, counts=[], kinds=kind_labels(ctx),
                          f={}, page=1, more=False)
    q = request.query_params
    f = {"kind": q.get("kind") if q.get("kind") in FINDING_KINDS else None,
         "candidate": q.get("candidate") or None, "review": None}
    page = _page(request)
    where, params = ["true"], []
    if f["kind"]:
        where.append("kind = ?")
        params.append(f["kind"])
    if f["candidate"]:
        where.append("candidate_id = ?")
        params.append(f["candidate"])
    lang = "en" if ctx.lang == "en" else "id"
    from ...leads import STATUSES, findings_sql

    if q.get("review") in (*STATUSES, "open"):
        f["review"] = q.get("review")
        where.append("review_status IS NULL" if f["review"] == "open" else "review_status = ?")
        params += [] if f["review"] == "open" else [f["review"]]
    reviewed = findings_sql(None, reviews=ctx.db.table_exists("lead_reviews"))
    rows = ctx.db.rows(f"""
        SELECT finding_id, lead_key, kind, rule_id, {"rule" if lang == "id" else "rule_en"}
                   AS rule, legal_basis, candidate_id, platform, target, target_id, who,
               what_{lang} AS what, when_local, url, left(evidence, 600) AS evidence,
               label_source, score, note_{lang} AS note, review_status, review_note,
               reviewer, reviewed_at
        FROM ({reviewed}) WHERE {' AND '.join(where)}
        ORDER BY when_local NULLS LAST, finding_id LIMIT ? OFFSET ?""",
                       [*params, PAGE + 1, (page - 1) * PAGE])
    rows, more = _paged(rows)
    for r in rows:
        r["link"] = external_url(r["url"])
    counts = ctx.db.rows("SELECT kind, count(*) AS n FROM analysis_findings GROUP BY ALL")
    return ctx.render("compliance.html", rows=rows, counts=counts, kinds=kind_labels(ctx),
                      f=f, page=page, more=more, statuses=STATUSES)


@router.post("/compliance/review")
async def review_lead(request: Request, ctx: Ctx = Depends(user_write_ctx)):
    """Record an observer's decision on a lead (reviewed / dismissed / escalated + note): who
    is the signed-in user, when is now (UTC). Dismissed leads leave the report's counts."""
    from datetime import UTC, datetime

    from ...errors import PantauError
    from ...leads import STATUSES

    form = await request.form()
    key, status = str(form.get("lead_key", "")), str(form.get("status", ""))
    if status not in STATUSES:
        raise PantauError(f"unknown review status {status!r}", f"use {', '.join(STATUSES)}")
    if not ctx.db.scalar("SELECT count(*) FROM analysis_findings WHERE lead_key = ?", [key],
                         cache=False):
        raise HTTPException(404, f"no lead {key!r}")
    note = str(form.get("note", "")).strip()[:2000] or None
    with ctx.db.write() as tx:
        tx.execute("INSERT INTO lead_reviews VALUES (?, ?, ?, ?, ?)",
                   [key, status, note, ctx.user or ctx.coder or "web",
                    datetime.now(UTC).replace(tzinfo=None)])
    from ..redirects import safe_next

    return RedirectResponse(safe_next(str(form.get("next") or "/compliance")), status_code=303)


@router.get("/analysis")
@cached_page
def analysis_index(ctx: Ctx = Depends(explore_ctx)):
    tables = [{"name": t, "rows": ctx.db.scalar(f'SELECT count(*) FROM "{t}"')}
              for t in analysis_tables(ctx)]
    return ctx.render("analysis.html", tables=tables)


@router.get("/analysis/{table}")
@cached_page
def analysis_table(table: str, request: Request, ctx: Ctx = Depends(explore_ctx)):
    page = _page(request)
    columns, rows = table_rows(ctx, table, limit=PAGE * 4 + 1, offset=(page - 1) * PAGE * 4)
    more = len(rows) > PAGE * 4
    return ctx.render("table.html", table=table, columns=columns, rows=rows[:PAGE * 4],
                      page=page, more=more)


@router.get("/imports")
@cached_page
def imports(ctx: Ctx = Depends(explore_ctx)):
    rows = ctx.db.rows("""SELECT import_id, path, format, started_at, finished_at, status,
                                 records, posts, comments, accounts, metrics, duplicates,
                                 rejected
                          FROM imports ORDER BY import_id DESC LIMIT 500""")
    return ctx.render("imports.html", rows=rows)


@router.get("/imports/{import_id}/rejects")
def rejects(import_id: int, request: Request, ctx: Ctx = Depends(admin_ctx)):
    info = ctx.db.one("SELECT import_id, path, format, rejected FROM imports "
                      "WHERE import_id = ?", [import_id])
    if info is None:
        raise HTTPException(404, f"no import {import_id}")
    page = _page(request)
    rows = ctx.db.rows("""SELECT line_no, reason, left(raw, 4000) AS raw FROM rejects
                          WHERE import_id = ? ORDER BY line_no LIMIT ? OFFSET ?""",
                       [import_id, PAGE + 1, (page - 1) * PAGE])
    rows, more = _paged(rows)
    return ctx.render("rejects.html", info=info, rows=rows, page=page, more=more)
