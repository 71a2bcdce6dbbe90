"""HTML for the repeated parts of the explore pages (comment cards, rows of the posts table),
built in Python: a Jinja loop costs an escape call, a Markup object and a generator step per
value, which made these loops most of a page's rendering time. The output is what the
templates wrote before, and every value from the data goes through `esc` (markupsafe's escaping,
Jinja's autoescape), so social-media text stays text."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape

from .formatting import fmt_dt, fmt_num, fmt_ratio


def esc(value: Any) -> str:
    """markupsafe's escape (Jinja's autoescape), as a plain str: a Markup would escape
    whatever is added to it."""
    return str(escape(value))


def url_part(value: Any) -> str:
    """Jinja's `urlencode` filter on a string (quote with "/" kept), escaped."""
    return esc(quote(str(value), safe="/"))


_CHIPS: dict[tuple, str] = {}


def chips(items: Iterable[tuple[str, str, str]]) -> str:
    """Label chips (class, text, source). Comments share a few combinations of labels, so
    the HTML of each combination is remembered."""
    key = tuple(items)
    html = _CHIPS.get(key)
    if html is None:
        html = "".join(f'<span class="chip {esc(cls)}" title="{esc(src)}">{esc(text)}'
                       f'{f"<small>{esc(src)}</small>" if src else ""}</span>'
                       for cls, text, src in key)
        if len(_CHIPS) >= 10_000:
            _CHIPS.clear()
        _CHIPS[key] = html
    return html


def _likes(c: dict[str, Any]) -> str:
    return "—" if c["likes"] is None else esc(c["likes"])


def _post_link(c: dict[str, Any]) -> str:
    return (f'/posts/{url_part(c["platform"])}/{url_part(c["post_id"])}'
            f'#c-{esc(c["comment_id"])}')


def thread(items: list[tuple[dict[str, Any], bool]], reply_note: str, empty: str) -> Markup:
    """A post's comment thread: (comment, is_reply) pairs, replies grouped under their
    comment (post.html)."""
    if not items:
        return Markup(f"<p>{esc(empty)}</p>\n")
    note = f" · <em>{esc(reply_note)}</em>"
    out = []
    for i, (c, reply) in enumerate(items):
        if reply and not items[i - 1][1]:
            out.append('<div class="replies">')
        by = c["by_candidate"]
        out.append(
            f'<article class="comment{" by-candidate" if by else ""}" '
            f'id="c-{esc(c["comment_id"])}">\n'
            f'  <header><strong>{esc(c["author"]) if c["author"] else "—"}</strong> · '
            f'{esc(c["when"])} · ♥ {_likes(c)}{note if by else ""}</header>\n'
            f'  <p class="ctext">{esc(c["text"] or "")}</p>\n'
            f'  <footer>{chips(c["chips"])}</footer>\n</article>\n')
        if reply and (i == len(items) - 1 or not items[i + 1][1]):
            out.append("</div>")
    return Markup("".join(out))


def comment_list(rows: list[dict[str, Any]], candidate_names: dict[str, str], post_word: str,
                 empty: str) -> Markup:
    """Comment cards of the comments explorer (comments.html)."""
    if not rows:
        return Markup(f"<p>{esc(empty)}</p>\n")
    word = esc(post_word)
    out = []
    for c in rows:
        cid = c["candidate_id"]
        cand = (f' · <a href="/candidates/{url_part(cid)}">'
                f'{esc(candidate_names.get(cid, cid))}</a>' if cid else "")
        out.append(
            f'<article class="comment{" by-candidate" if c["by_candidate"] else ""}">\n'
            f'  <header><strong>{esc(c["author"]) if c["author"] else "—"}</strong> · '
            f'{esc(c["when"])} · ♥ {_likes(c)} · {esc(c["platform"])}{cand} · '
            f'<a href="{_post_link(c)}">{word}</a></header>\n'
            f'  <p class="ctext">{esc(c["text"] or "")}</p>\n'
            f'  <footer>{chips(c["chips"])}</footer>\n</article>\n')
    return Markup("".join(out))


def question_list(rows: list[dict[str, Any]], post_word: str, empty: str) -> Markup:
    """Question cards of a candidate's unanswered questions (questions.html)."""
    if not rows:
        return Markup(f"<p>{esc(empty)}</p>\n")
    word = esc(post_word)
    out = []
    for c in rows:
        context = (f'  <p class="context"><small>↳ {esc(c["post_text"][:160])}</small></p>\n'
                   if c["post_text"] else "")
        out.append(
            '<article class="comment">\n'
            f'  <header><strong>{esc(c["author"]) if c["author"] else "—"}</strong> · '
            f'{esc(c["when"])} · ♥ {_likes(c)} · {esc(c["platform"])} · '
            f'<a href="{_post_link(c)}">{word}</a></header>\n'
            f'  <p class="ctext">{esc(c["text"] or "")}</p>\n{context}'
            f'  <footer>{chips(c["chips"])}</footer>\n</article>\n')
    return Markup("".join(out))


def post_rows(rows: list[dict[str, Any]], labels: dict[str, str], phases: dict[str, str],
              candidate_names: dict[str, str], topic_labels: dict[str, str],
              flag_labels: dict[str, str], source: Callable[[int | None], str],
              empty: str) -> Markup:
    """Rows of the posts table (posts.html); `labels` are the column names shown on phones."""
    if not rows:
        return Markup(f'<tr><td colspan="12">{esc(empty)}</td></tr>\n')
    L = {k: esc(v) for k, v in labels.items()}
    out = []
    for p in rows:
        cid = p["candidate_id"]
        cand = (f'<a href="/candidates/{url_part(cid)}">{esc(candidate_names.get(cid, cid))}'
                "</a>" if cid else "—")
        text = p["text"][:220] if p["text"] else p["text"]
        fn = p["post_function"]
        fn_chip = (f'<span class="chip" title="{L["src"]}: {esc(source(p["post_function_src"]))}'
                   f'">{esc(fn)}</span>' if fn else "")
        tags = "".join(f'<span class="chip topic">{esc(topic_labels.get(x, x))}</span>'
                       for x in p["topics"])
        tags += "".join(f'<span class="chip flag">{esc(flag_labels.get(x, x))}</span>'
                        for x in p["flags"])
        numbers = "".join(f'  <td class="n" data-label="{L[k]}">{esc(v)}</td>\n' for k, v in (
            ("views", fmt_num(p["views"])), ("likes", fmt_num(p["likes"])),
            ("comments", fmt_num(p["comments"])), ("shares", fmt_num(p["shares"])),
            ("erv", fmt_ratio(p["er_view"])), ("erf", fmt_ratio(p["er_follower"]))))
        out.append(
            "<tr>\n"
            f'  <td data-label="{L["date"]}">{esc(fmt_dt(p["created_local"]))}<br><small>'
            f'{esc(phases.get(p["phase"], p["phase"] or ""))}</small></td>\n'
            f'  <td data-label="{L["cand"]}">{cand}</td>\n'
            f'  <td data-label="{L["plat"]}">{esc(p["platform"])}<br><small>'
            f'{esc(p["account"] or "")} · {esc(p["role"])}</small></td>\n'
            f'  <td data-label="{L["text"]}" class="text"><a href="/posts/'
            f'{url_part(p["platform"])}/{url_part(p["post_id"])}">'
            f'{esc(text or "(" + str(p["post_id"]) + ")")}</a></td>\n'
            f'  <td data-label="{L["fn"]}">{fn_chip}</td>\n'
            f'  <td data-label="{L["topics"]}">{tags}</td>\n'
            f"{numbers}</tr>\n")
    return Markup("".join(out))
