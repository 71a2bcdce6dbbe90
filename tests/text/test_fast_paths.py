"""The shortcuts that make enrich fast give exactly what the plain computation gives.

Each shortcut (toxicity's quick "nothing can fire" check, the per-chunk caches of the topic
coder, duplicate grouping spread over processes) is compared with the slow path it replaces,
on texts built from the lexicons' own words with the spellings, spacing and punctuation that
the rules care about."""

from __future__ import annotations

import multiprocessing as mp
import random
import re
import sys

import pytest

from pantau.models import codebook, toxicity
from pantau.text.duplicates import duplicate_groups

EXTRA = [".", ",", "?", "!", '"', "“", "”", "'", "-", "@user", "#tag", "a", "b", "i", "k*ntol",
         "4nj1ng", "b.a.b.i", "xxxuserxxx", "2", "\n", "\t", "\u00a0", ":", "(", "…", "😂",
         "https://t.co/x", "bit.ly/x", "123", "ΣΑΣ", "\u0130", "dasar", "bukan", "jangan"]


def _texts(n: int, seed: int) -> list[str]:
    from pantau.models import lexicons

    vocab: set[str] = set()
    for name in ("toxicity", "question", "category"):
        vocab |= set(re.findall(r"[^\W\d_]+", lexicons.load(name).path.read_text("utf-8")))
    vocab |= set(re.findall(r"[^\W\d_]+", codebook.SHIPPED.read_text("utf-8")))
    words = sorted(vocab)
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(1, 12)):
            w = rng.choice(EXTRA) if rng.random() < 0.25 else rng.choice(words)
            r = rng.random()
            if r < 0.08:
                w = w.upper()
            elif r < 0.16 and w:
                k = rng.randrange(len(w))
                w = w[:k] + w[k] * 3 + w[k:]
            elif r < 0.22:
                w += rng.choice(["nya", "mu", "2", "in", "lu"])
            elif r < 0.25:
                w = " ".join(w)
            parts.append(w)
        out.append(rng.choice([" ", "", ", ", ". ", "\n"]).join(parts))
    return out


@pytest.fixture(scope="module")
def texts():
    return _texts(3000, seed=5)


def test_toxicity_quick_check_agrees_with_full_analysis(texts):
    fast = toxicity.ToxicityClassifier()
    full = toxicity.ToxicityClassifier()
    full._quiet = lambda text: False  # always the full analysis
    quiet = 0
    for text in texts:
        assert fast.predict_one(text) == full.predict_one(text), text
        quiet += fast._quiet(text)
    assert 0 < quiet < len(texts)  # both paths were exercised


def test_topic_chunk_cache_agrees_with_whole_texts(texts):
    fast = codebook.load_topic()
    plain = codebook.load_topic()
    normalize = plain._normalize
    plain._normalize = lambda text: normalize(text)  # not the shipped function: whole texts
    for text in texts:
        assert fast.predict_one(text) == plain.predict_one(text), text


@pytest.mark.skipif(sys.platform == "win32", reason="fork")
def test_duplicate_groups_over_processes_are_the_same(texts):
    base = "ayo warga bekasi coblos nomor tiga untuk perubahan kota yang lebih baik"
    corpus = texts + [base, base + " 👍", base.replace("tiga", "3"), base.upper()] * 3
    authors = [f"u{i % 17}" for i in range(len(corpus))]
    expected = duplicate_groups(corpus, authors, similarity=0.6, min_words=3)
    assert expected.sizes
    assert duplicate_groups(corpus, authors, similarity=0.6, min_words=3, parts=4) == expected
    with mp.get_context("fork").Pool(2) as pool:
        assert duplicate_groups(corpus, authors, similarity=0.6, min_words=3,
                                mapper=pool.map, parts=3) == expected


def test_blocked_minhash_and_screened_jaccard_agree_with_plain_numpy(texts, monkeypatch):
    import numpy as np

    from pantau.text import duplicates as d

    docs = [d.normalise(t) for t in texts] + ["", "abc", "x" * 70_000]
    hashes, offsets = d._shingle_hashes(docs)
    plain = np.empty((len(offsets), d._PERMS), np.uint64)
    for p in range(d._PERMS):
        v = (hashes ^ d._B[p]) * d._A[p]
        v ^= v >> np.uint64(29)
        plain[:, p] = np.minimum.reduceat(v, offsets)
    monkeypatch.setattr(d, "_BLOCK", 1000)  # many blocks, and a doc longer than one
    sig = d._minhash(hashes, offsets)
    assert (sig == plain).all()
    rng = np.random.default_rng(3)
    pairs = np.sort(rng.integers(0, len(docs), (5000, 2)), axis=1)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    assert np.array_equal(d._agreement(sig, pairs),
                          (sig[pairs[:, 0]] == sig[pairs[:, 1]]).mean(axis=1))
    ids = np.unique(pairs)
    assert np.array_equal(d._sorted_unique(pairs.ravel()), ids)
    sets = [set(hashes[a:b].tolist()) for a, b in
            zip(offsets, np.append(offsets[1:], len(hashes)), strict=True)]
    for similarity in (0.3, 0.8):
        want = [len(sets[x] & sets[y]) / len(sets[x] | sets[y]) >= similarity
                for x, y in pairs.tolist()]
        got = d._similar((pairs, [docs[k] for k in ids.tolist()], similarity))
        assert got.tolist() == want


def test_phrase_search_stops_early_without_missing_a_phrase(texts):
    from pantau.models.question import QuestionClassifier

    matcher = codebook.KeywordMatcher(["jalan rusak", "jalan rusak parah sekali", "banjir",
                                       "kapan", "kapan diperbaiki ya", "a b c d e"])
    words = ["jalan", "rusak", "parah", "sekali", "kapan", "diperbaiki", "ya", "banjir", "a",
             "b", "c", "d"]
    for k in range(len(words)):
        text = " ".join(words[k:])
        toks = codebook._TOKENS.findall(text)
        plain = {kw for kws in (matcher._phrases.get(tuple(toks[i:i + n]))
                                for i in range(len(toks)) for n in range(1, 6)) if kws
                 for kw in kws}
        assert matcher.find(text) == plain
    fast = QuestionClassifier()
    plain = QuestionClassifier()
    plain._lengths = {w: tuple(range(plain._max, 0, -1)) for w in plain._first}
    plain._marks = lambda words: range(len(words))  # a step for every word
    for text in texts:
        assert fast._cues(text) == plain._cues(text), text


def test_category_cues_of_every_kind_at_once_and_label_choice(texts):
    from pantau.models.category import LABELS, CategoryClassifier

    model = CategoryClassifier()
    kinds = 0
    for text in texts:
        low, toks = model._prepared(text)
        found = model._all_cues.find(low, toks)
        plain = {kind: model._found(kind, low, found=found) for kind in model._cues}
        assert model._found_kinds(found) == {k: v for k, v in plain.items() if v}, text
        kinds += len(plain) > 0
    assert kinds
    rng = random.Random(1)
    rank = model._rank
    for _ in range(2000):  # ties are common: scores drawn from a few values
        scores = {c: rng.choice([0.0, 0.6, 1.2, 1.2000000000000002, 2.2]) for c in LABELS}
        assert model._choose(scores) == max(LABELS, key=lambda c: (scores[c], -rank[c]))


def test_question_words_from_cached_chunks_and_spaces(texts):
    from pantau.models import question

    def plain(text: str) -> list[str]:
        out: list[str] = []
        for k, part in enumerate(re.split(r"(\s+)", text.lower())):
            out += ["\n"] * part.count("\n") if k % 2 else question._chunk_words(part)
        return out

    for text in [*texts, " \n x", "a\r\n\n b", "\n", ""]:
        assert question._words(text) == plain(text), text


def test_toxicity_model_fast_path_loses_no_toxic_label(texts):
    # texts the rules find quiet skip the learned stage: it would have called none of them toxic
    model = toxicity.load()
    fast = model.predict(texts)
    model.fast_path = False
    try:
        slow = model.predict(texts)
    finally:
        model.fast_path = True
    skipped = [i for i, t in enumerate(texts) if model.rules._quiet(t, True)]
    assert len(skipped) > 100
    assert [slow[i].label for i in skipped if slow[i].label != "none"] == []
    assert [p.label for p in fast] == [p.label for p in slow]
