"""The web index's rules are checked in code, not only described: a post's thread is one rowid
range of web.comment_threads, posts sit at their number `n`, and the tables are written in
reading order only with preserve_insertion_order. Breaking a rule raises IndexBroken."""

from __future__ import annotations

import pytest

from pantau.web.db import IndexBroken, require_insertion_order


def _a_comment(db) -> dict:
    return db.one("SELECT platform, post_id, comment_id FROM web.comment_facts "
                  "WHERE post_id IS NOT NULL ORDER BY comment_id LIMIT 1", cache=False)


def test_the_built_index_keeps_its_rules(client):
    client.app.state.web.db.check_index()


def test_a_row_added_inside_a_thread_range_is_caught(client):
    db = client.app.state.web.db
    target = _a_comment(db)
    with db.write() as tx:  # a second copy of a comment: its post's range now has a gap
        tx.execute("INSERT INTO web.comment_threads SELECT * FROM web.comment_threads "
                   "WHERE platform = ? AND comment_id = ?",
                   [target["platform"], target["comment_id"]])
    with pytest.raises(IndexBroken, match="rowid range|moved"):
        db.check_index()


def test_a_comment_outside_its_thread_range_is_refused_when_relabelled(client):
    db = client.app.state.web.db
    target = _a_comment(db)
    platform, post_id = target["platform"], target["post_id"]
    db._threads[(platform, post_id)] = (10**9, 10**9 + 1)  # a range the comment is not in
    with pytest.raises(IndexBroken, match="not in its post's rowid range"), db.write() as tx:
        tx.execute("INSERT INTO labels (platform, target, target_id, scheme, value, score, "
                   "source) VALUES (?, 'comment', ?, 'sentiment', 'positive', 1.0, "
                   "'coder:ana')", [platform, target["comment_id"]])
        tx.after(lambda cur: db.refresh_labels(cur, "comment", platform,
                                               target["comment_id"]))


def test_posts_held_out_of_their_number_are_caught(client):
    db = client.app.state.web.db
    db._post_rows[0], db._post_rows[1] = db._post_rows[1], db._post_rows[0]
    with pytest.raises(IndexBroken, match="not at its number"):
        db.check_index()


def test_the_index_is_not_built_without_insertion_order():
    import duckdb

    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = false")
    with pytest.raises(IndexBroken, match="preserve_insertion_order"):
        require_insertion_order(con)
    con.execute("SET preserve_insertion_order = true")
    require_insertion_order(con)
