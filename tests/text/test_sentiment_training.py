"""Sentiment for political text: lexicon features, hashtags, contrast, and the separation of the
training data from the project's political evaluation set (data/eval/)."""

from __future__ import annotations

import builtins
from pathlib import Path

import numpy as np
import pytest

from pantau.models import sentiment
from pantau.models.linear import (
    LEXICON_FEATURES,
    FeatureConfig,
    Featurizer,
    Lexicon,
    LinearTextModel,
)
from pantau.models.train import POLITICAL_TRAIN, _dedupe_key, read_political

REPO = Path(__file__).resolve().parents[2]
EVAL = REPO / "data" / "eval" / "sentiment_political.tsv"


def eval_rows() -> list[tuple[str, str]]:
    lines = EVAL.read_text(encoding="utf-8").splitlines()[1:]
    return [(line.split("\t")[0], line.split("\t", 2)[2]) for line in lines if line.strip()]


def test_evaluation_set_is_large_three_class_and_apart_from_training():
    rows = eval_rows()
    assert len(rows) >= 400
    assert {label for label, _ in rows} == {"positive", "negative", "neutral"}
    train_texts, train_labels = read_political()
    assert set(train_labels) == {"positive", "negative", "neutral"}
    assert POLITICAL_TRAIN.parent != EVAL.parent
    overlap = {_dedupe_key(t) for t in train_texts} & {_dedupe_key(t) for _, t in rows}
    assert not overlap


@pytest.mark.shared
def test_training_never_opens_the_evaluation_folder(shared_dir, monkeypatch):
    from pantau.models import train

    opened: list[str] = []
    real_open, real_read_text, real_read_bytes = builtins.open, Path.read_text, Path.read_bytes

    def spy_open(file, *args, **kwargs):
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    def spy_read_text(self, *args, **kwargs):
        opened.append(str(self))
        return real_read_text(self, *args, **kwargs)

    def spy_read_bytes(self):
        opened.append(str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(builtins, "open", spy_open)
    monkeypatch.setattr(Path, "read_text", spy_read_text)
    monkeypatch.setattr(Path, "read_bytes", spy_read_bytes)
    data = train.sentiment_training_data(shared_dir)
    train.sentiment_lexicon(shared_dir)
    monkeypatch.undo()
    assert any("sentiment_political" in p and "/train/" in p for p in opened)
    assert not [p for p in opened if "/data/eval" in p.replace("\\", "/")]
    keys = {_dedupe_key(t) for t in data["texts"]}
    assert not keys & {_dedupe_key(t) for _, t in eval_rows()}
    assert set(data["counts"]) == {"smsa", "nusax", "emot", "political", "news"}


CFG = FeatureConfig(bits=16, char_orders=(), word_ngrams=1, negation_scope=1, lexicon=True)


def lexicon() -> Lexicon:
    # words are normalised like texts ("gk" -> "tidak"), so the featurizer is given
    return Lexicon.build([{"bagus": 3, "buruk": -4, "korupsi": -4}, {"bagus": 2}],
                         contrast=["tapi"], irony=["sok"], exclude=["gk"],
                         featurizer=Featurizer(CFG))


def dense(texts: list[str]) -> np.ndarray:
    f = Featurizer(CFG, lexicon())
    r, b, v = f.hashed(f.prepare(texts))
    out = np.zeros((len(texts), len(LEXICON_FEATURES)))
    top = f.dense_buckets()
    for row, col, val in zip(r, b, v, strict=True):
        if col >= top[0]:
            out[row, col - top[0]] += val
    return out


def test_lexicon_features_negation_contrast_and_irony():
    x = dense(["bagus", "gk bagus", "bagus tapi korupsinya parah", "sok bagus", "netral"])
    pos, neg, pos_after, neg_after, mixed, ironic, irony = x.T
    assert pos[0] == pytest.approx(np.log1p(2))  # the later layer replaces the earlier weight
    assert pos[1] == 0 and neg[1] == pytest.approx(np.log1p(2))  # negation flips the sign
    assert neg_after[2] == pytest.approx(np.log1p(4)) and pos_after[2] == 0  # "-nya" counts
    assert mixed[2] > 0
    assert ironic[3] > 0 and irony[3] == 1 and ironic[0] == 0
    assert not x[4].any()


def test_lexicon_round_trips_through_a_model_file(tmp_path):
    cfg = FeatureConfig(bits=12, char_orders=(2,), lexicon=True, hashtags=True)
    weights = np.random.default_rng(0).normal(size=(1 << 12, 3)).astype(np.float32)
    model = LinearTextModel("s", "1", ("positive", "negative", "neutral"), weights,
                            np.zeros(3), cfg, lexicon=lexicon())
    again = LinearTextModel.load(model.save(tmp_path / "m.joblib"))
    texts = ["bagus tapi buruk #GantiPresiden", "tidak bagus"]
    assert np.allclose(model.probabilities(texts), again.probabilities(texts))
    # a model saved without the new switches featurises as before (no lexicon, no hashtags)
    old = FeatureConfig.from_dict({k: v for k, v in cfg.as_dict().items()
                                   if k not in ("lexicon", "hashtags")})
    assert not old.lexicon and not old.hashtags


def test_hashtags_yield_their_words():
    f = Featurizer(FeatureConfig(hashtags=True))
    got = f.prepare(["#2019GantiPresiden udah cukup", "#gantipresiden", "cek https://a.id/x?y=1"])
    assert got[0].startswith("# 2019gantipresiden 2019 ganti presiden")
    unmarked = Featurizer(FeatureConfig(hashtags=True, hashtag_mark=False))
    assert unmarked.prepare(["#JokowiLagi"]) == ["jokowilagi jokowi lagi"]
    assert "ganti presiden" in got[1]
    assert "url" in got[2] and "?" not in got[2]


@pytest.fixture(scope="module")
def model():
    return sentiment.load_shipped()


@pytest.mark.parametrize("text, wrong", [
    ("Masukan yang sangat penting. Ini alasan kami menyiapkan program makan bergizi gratis untuk "
     "anak sekolah", "negative"),
    ("Remuk hatiku lihat Beliau #freeahok", "positive"),
    ("Kayak orang jualan sabun wangi, tapi sendirinya tidak pernah mandi. Janji doang manis",
     "positive"),
    ("hebat banget ya gubernur kita, korupsinya sampai triliunan", "positive"),
])
def test_issue_12_failures(model, text, wrong):
    assert model.predict([text])[0].label != wrong


def test_shipped_model_carries_its_lexicon(model):
    assert model.config.lexicon and model.lexicon is not None and len(model.lexicon.hashes) > 1000
