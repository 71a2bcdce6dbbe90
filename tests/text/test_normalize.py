"""The informal-Indonesian normaliser and its word error rate."""

from __future__ import annotations

import pytest

from pantau.models.evaluate import corpus_wer, edit_distance, wer_words
from pantau.text.normalize import Normalizer, informal_share, normalize, normalize_word


@pytest.mark.parametrize("informal,standard", [
    ("gk", "tidak"), ("gak", "tidak"), ("ga", "tidak"), ("nggak", "tidak"), ("tdk", "tidak"),
    ("yg", "yang"), ("bgt", "banget"), ("bgttt", "banget"), ("dgn", "dengan"), ("udh", "sudah"),
    ("sdh", "sudah"), ("blm", "belum"), ("krn", "karena"), ("karna", "karena"),
    ("mantaaap", "mantap"), ("makasih", "terima kasih"), ("teman2", "teman-teman"),
    ("temen2", "teman-teman"), ("nyoblos", "mencoblos"), ("milih", "memilih"),
    ("matiin", "matikan"), ("wkwkwk", "haha"), ("gw", "saya"), ("jgn", "jangan"),
])
def test_words(informal, standard):
    assert normalize_word(informal) == standard


def test_standard_words_and_names_are_kept():
    n = Normalizer()
    for word in ("saat", "maaf", "kaya", "pas", "makan", "minum", "bekasi", "jokowi", "mengapa"):
        assert n.word(word) == word


def test_text_keeps_everything_but_words():
    text = "Gk bgt!!! @pak_wali #Bekasi2024 https://t.co/x 😡 yg penting 10.000rb"
    assert normalize(text) == ("tidak banget!!! @pak_wali #bekasi2024 https://t.co/x 😡 "
                               "yang penting 10.000rb")
    assert normalize("") == "" and normalize(None) == ""


def test_particles_are_dropped_only_on_request():
    assert normalize("gk tau sih, ya udah") == "tidak tahu sih, ya sudah"
    assert normalize("gk tau sih, ya udah", drop_particles=True) == "tidak tahu , sudah"


def test_negations_survive():
    for word in ("gak", "ngga", "enggak", "kagak", "gk", "tdk", "ndak"):
        assert normalize_word(word) == "tidak"
    assert normalize("jgn blm bkn") == "jangan belum bukan"


def test_informal_share():
    assert informal_share("gk bgt yg ini") == pytest.approx(0.75)
    assert informal_share("Saya setuju") == 0.0
    assert informal_share("🔥🔥") is None and informal_share(None) is None


def test_wer_definition():
    assert wer_words("Halo, admin!") == ["halo", "admin"]
    assert edit_distance(["a", "b", "c"], ["a", "c"]) == 1
    assert edit_distance([], ["a"]) == 1
    # total edits / total reference words, not a mean of sentence rates
    assert corpus_wer(["a b", "x"], ["a b c d", "y"]) == pytest.approx(3 / 5)


@pytest.mark.shared
def test_stif_test_wer_beats_the_baselines(data_dir):
    """Corpus WER on STIF test: none 0.413, IndoCollex lookup ~0.30 (NLP.md), target <= 0.25."""
    folder = data_dir / "stif-indonesia"
    informal = (folder / "test.inf").read_text(encoding="utf-8").splitlines()
    formal = (folder / "test.for").read_text(encoding="utf-8").splitlines()
    assert corpus_wer(informal, formal) == pytest.approx(0.413, abs=0.001)
    assert corpus_wer([normalize(s) for s in informal], formal) <= 0.25
