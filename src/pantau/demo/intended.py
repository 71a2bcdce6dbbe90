"""What the demo generator meant each comment and post to be, in the models' label schemes.

The generator writes a comment from a template of a category (data/comments.toml) and a post
from a caption of a post function; regenerating the corpus with the demo's seed and size gives
those intentions back. benchmarks/validation_demo.py codes a validation sample with them (a
simulated coder who is always right), to show corrected estimates against the truth.

    labels = intended_labels(seed=7, size="small")
    labels["sentiment"][("tiktok", "7301...")]  -> "positive"
"""

from __future__ import annotations

from .corpus import generate

# generator category -> (sentiment, question, toxicity, comment_category)
COMMENT_INTENT: dict[str, tuple[str, str, str, str]] = {
    "dukungan": ("positive", "not_question", "none", "dukungan"),
    "pertanyaan": ("neutral", "question", "none", "pertanyaan"),
    "aspirasi": ("neutral", "not_question", "none", "aspirasi"),
    "kritik": ("negative", "not_question", "none", "kritik"),
    "serangan": ("negative", "not_question", "abusive", "serangan"),
    "sara": ("negative", "not_question", "hate", "serangan"),
    "spam": ("neutral", "not_question", "none", "spam"),
    "netral": ("neutral", "not_question", "none", "netral"),
    "golput": ("negative", "not_question", "none", "kritik"),
    "humor": ("neutral", "not_question", "none", "netral"),
    "salam": ("positive", "not_question", "none", "netral"),
    "buzzer": ("positive", "not_question", "none", "spam"),  # one script, many accounts
    "setuju": ("positive", "not_question", "none", "netral"),
    "bantah": ("negative", "not_question", "none", "netral"),
    "jawaban": ("neutral", "not_question", "none", "netral"),
}
SCHEMES = ("sentiment", "question", "toxicity", "comment_category")


def _sara_targets(text: str) -> list[str]:
    low = text.lower()
    found = []
    if "agama" in low:
        found.append("religion")
    if "suku" in low or "etnis" in low:
        found.append("ethnicity")
    if "kubu" in low or "pendukung" in low:
        found.append("group")
    return found or ["group"]


def intended_labels(seed: int = 7, size: str = "small",
                    scale: float = 1.0) -> dict[str, dict[tuple[str, str], tuple[str, ...]]]:
    """{scheme: {(platform, id): values}} for the comment schemes, sara and post_function."""
    corpus = generate(seed, size, scale)
    out: dict[str, dict[tuple[str, str], tuple[str, ...]]] = {
        s: {} for s in (*SCHEMES, "sara", "post_function")}
    for post in corpus.posts:
        out["post_function"][(post.platform, post.post_id)] = (post.function,)
        for comment in post.all_comments():
            intent = COMMENT_INTENT.get(comment.category)
            if intent is None:
                continue
            key = (post.platform, comment.comment_id)
            for scheme, value in zip(SCHEMES, intent, strict=True):
                out[scheme][key] = (value,)
            out["sara"][key] = tuple(_sara_targets(comment.text)) if intent[2] == "hate" \
                else ()
    return out
