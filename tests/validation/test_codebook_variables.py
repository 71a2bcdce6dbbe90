"""Point 1 of issue 11: the shipped codebook has a variable for every model a coder validates,
with guidelines in both languages, and coding samples work on a new project."""

from __future__ import annotations

import pytest

from pantau.models import codebook, registry
from pantau.web import coding

MODEL_SCHEMES = {"sentiment": "comment", "question": "comment", "toxicity": "comment",
                 "sara": "comment", "comment_category": "comment", "post_function": "post",
                 "topic": "post", "post_flags": "post"}


@pytest.fixture(scope="module")
def shipped() -> codebook.Codebook:
    return codebook.load(None)


@pytest.mark.parametrize("scheme,target", sorted(MODEL_SCHEMES.items()))
def test_every_model_scheme_is_a_codebook_variable(shipped, scheme, target):
    variable = shipped.get(scheme)
    assert variable.target == target
    assert variable.label_id and variable.label_en


@pytest.mark.parametrize("task", ["sentiment", "question", "toxicity", "category"])
def test_comment_variable_values_are_the_model_labels(shipped, task):
    spec = registry.task(task)
    variable = shipped.get(spec.schemes[0])
    assert set(variable.codes) == set(spec.labels)


def test_sara_values_are_the_toxicity_targets(shipped):
    from pantau.models.toxicity import SARA_TARGETS

    assert set(shipped.get("sara").codes) == set(SARA_TARGETS)
    assert shipped.get("sara").multiple


@pytest.mark.parametrize("scheme", ["sentiment", "question", "toxicity", "sara",
                                    "comment_category", "post_function"])
def test_every_value_has_a_guideline_in_both_languages(shipped, scheme):
    variable = shipped.get(scheme)
    for value in variable.values:
        assert value.description_id.strip(), (scheme, value.code)
        assert value.description_en.strip(), (scheme, value.code)
        assert value.description_id != value.description_en


def test_comment_sample_on_a_new_project_with_the_shipped_codebook(project):
    """A project without its own codebook can draw a comment sample (the reported failure:
    'variables [] are not comment variables')."""
    from pantau import store

    con = store.connect(project.store_path)
    con.execute("INSERT INTO posts (platform, post_id, account_id, text) VALUES "
                "('tiktok', 'p1', 'a1', 'Program sekolah gratis')")
    for k in range(5):
        con.execute("INSERT INTO comments (platform, comment_id, post_id, text) VALUES "
                    "('tiktok', ?, 'p1', ?)", [f"c{k}", f"kapan jalan {k} diperbaiki?"])
    con.close()
    from pantau.web.db import WebStore

    book = coding.load_codebook(project)
    db = WebStore(project, build_index=False, flag_scheme=coding.flag_scheme(book))
    try:
        sample_id = coding.draw_sample(db, book, target="comment", size=4, coders=["ana", "budi"],
                                       overlap=0.5, seed=1)
        drawn = coding.sample(db, sample_id)
    finally:
        db.close()
    assert set(drawn["variables"]) == {"sentiment", "question", "toxicity", "sara",
                                       "comment_category"}
    assert drawn["size"] == 4


def test_post_samples_hold_only_the_listed_accounts_posts(web_project):
    """The public's X replies are stored as posts of unlisted accounts: never sampled for
    post function."""
    from pantau import store
    from pantau.web.db import WebStore

    con = store.connect(web_project.store_path)
    listed = {r[0] for r in con.execute(
        "SELECT account_id FROM accounts WHERE candidate_id IS NOT NULL").fetchall()}
    for k in range(40):
        con.execute("INSERT INTO posts (platform, post_id, account_id, text) VALUES "
                    "('tiktok', ?, '9001', 'reply from the public')", [f"reply{k}"])
    con.close()
    assert listed and "9001" not in listed
    book = coding.load_codebook(web_project)
    db = WebStore(web_project, build_index=False, flag_scheme=coding.flag_scheme(book))
    try:
        sample_id = coding.draw_sample(db, book, target="post", size=100, coders=["ana"],
                                       overlap=0, seed=2)
        owners = {r["account_id"] for r in db.rows(
            "SELECT p.account_id FROM coding_items i JOIN posts p ON p.platform = i.platform "
            "AND p.post_id = i.target_id WHERE i.sample_id = ?", [sample_id], cache=False)}
    finally:
        db.close()
    assert owners and owners <= listed
