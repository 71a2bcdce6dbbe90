"""pantau.text: tokens, language id, stemming, stopwords."""

from __future__ import annotations

import pytest

from pantau.text import langid
from pantau.text.stem import stem, stem_text
from pantau.text.stopwords import is_stopword, remove_stopwords, stopwords
from pantau.text.tokens import hashtags, mentions, tokenize, tokenize_kinds, words


def kinds(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for kind, token in tokenize_kinds(text):
        out.setdefault(kind, []).append(token)
    return out


def test_social_media_tokens_stay_whole():
    text = ("Mantaaap pak @tri_adhianto.official!! 👍🏽👍 #BekasiMaju https://t.co/Ab12?x=1. "
            "coblos no. 3, 10.000rb 50% 13:00 teman2 anak-anak 🇮🇩 👨‍👩‍👧")
    k = kinds(text)
    assert k["mention"] == ["@tri_adhianto.official"]
    assert k["hashtag"] == ["#BekasiMaju"]
    assert k["url"] == ["https://t.co/Ab12?x=1"]  # the full stop after it is punctuation
    assert k["emoji"] == ["👍🏽", "👍", "🇮🇩", "👨‍👩‍👧"]
    assert k["number"] == ["3", "10.000rb", "50%", "13:00"]
    assert "teman2" in k["word"] and "anak-anak" in k["word"] and "Mantaaap" in k["word"]


def test_no_character_is_lost():
    text = "gk bgt!!! 😡 @a #b http://x.y/z ~^_^~ 2024"
    assert "".join(tokenize(text)) == text.replace(" ", "")


def test_empty_and_helpers():
    assert tokenize("") == [] and tokenize(None) == [] and tokenize_kinds(None) == []
    assert words("Halo @min, #Pilkada 2024 GAK jelas") == ["halo", "gak", "jelas"]
    assert hashtags("a #x b #y") == ["#x", "#y"] and mentions("@a dan @b_c.") == ["@a", "@b_c"]


@pytest.mark.parametrize("text,lang", [
    ("gk bgt pak", "id"), ("keren banget", "id"), ("mantap pak lanjutkan", "id"),
    ("semoga amanah", "id"), ("gas pol", "id"), ("Selamat pagi warga Bekasi", "id"),
    ("good job sir, keep it up", "en"), ("I love this city", "en"),
    ("opo iki rek", "other"), ("matur nuwun", "other"), ("🔥🔥🔥", "other"), ("", "other"),
    ("السلام عليكم ورحمة الله", "other"), ("Bonjour tout le monde, je suis content", "other"),
    ("Good job pak, semoga amanah dan sehat selalu", "id"),
])
def test_language(text, lang):
    got, score = langid.detect(text)
    assert got == lang
    assert 0.0 <= score <= 1.0


def test_language_batch_keeps_order():
    texts = ["mantap pak", "thank you so much", None, "mantap pak"]
    assert langid.languages(texts) == ["id", "en", "other", "id"]


def test_stem_is_cached_and_safe():
    assert stem("pemerintahan") == "perintah"
    assert stem("Mencoblos") == "coblos"
    assert stem("#Pilkada") == "#pilkada"  # not a word: lowercased only
    assert stem_text("Para pemilih mendukung kebijakan") == ["para", "pilih", "dukung", "bijak"]
    assert stem("") == ""


def test_stopwords_keep_negations_and_question_words():
    stop = stopwords()
    assert len(stop) > 600
    for word in ("tidak", "bukan", "belum", "jangan", "gak", "nggak", "apa", "siapa", "kapan",
                 "mana", "kenapa", "mengapa", "gimana", "bagaimana", "berapa"):
        assert word not in stop, word
    assert is_stopword("yang") and is_stopword("YG") and is_stopword("dan")
    assert remove_stopwords(["saya", "tidak", "tahu", "kenapa", "jalan", "ini", "rusak"]) == \
        ["tidak", "kenapa", "jalan", "rusak"]
