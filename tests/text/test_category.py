"""Comment category and copy-paste (buzzer) detection."""

from __future__ import annotations

import pytest

from pantau.models import category
from pantau.models.category import assign_duplicate_groups, normalise_for_duplicates


@pytest.fixture(scope="module")
def cat():
    return category.load(sentiment=None)


@pytest.mark.parametrize("text, expected", [
    ("Semangat pak Tri, pasti menang! 💪", "dukungan"),
    ("Pak, kapan KJP untuk SMA swasta cair?", "pertanyaan"),
    ("Janji doang, mana buktinya? kecewa berat", "kritik"),
    ("dasar kadrun goblok", "serangan"),
    ("tolong perhatikan banjir di kampung kami pak", "aspirasi"),
    ("cek bio kak, slot gacor maxwin hari ini", "spam"),
    ("golput aja, semua sama saja", "netral"),
    ("ok", "netral"),
    ("", "netral"),
])
def test_categories(cat, text, expected):
    p = cat.predict([text])[0]
    assert p.label == expected, p
    assert set(p.scores) == set(category.LABELS)


def test_attack_carries_sara_targets(cat):
    p = cat.predict(["dasar cina kafir"])[0]
    assert p.label == "serangan"
    assert "ethnicity" in p.targets and "religion" in p.targets


def test_copy_paste_from_several_authors_is_spam(cat):
    text = "Pilih paslon nomor 3 untuk Bekasi yang lebih maju dan sejahtera"
    texts = [text, text.upper() + "!!!", text + " 🔥🔥", "Semangat pak!", text]
    preds = cat.predict(texts, authors=["a", "b", "c", "d", "a"])
    assert [p.label for p in preds[:3]] == ["spam"] * 3
    assert any(e.startswith("duplicate_group: dup-") for e in preds[0].evidence)
    assert preds[3].label == "dukungan"
    # one author repeating themselves is not a buzzer network
    same = cat.predict([text, text], authors=["a", "a"])
    assert all(p.label != "spam" for p in same)


def test_short_common_comments_are_not_duplicates():
    groups = assign_duplicate_groups(["aamiin", "aamiin", "mantap pak", "mantap pak"])
    assert groups.ids == [None] * 4


def test_near_duplicates_group_and_ids_are_stable():
    base = "mari bersama kita wujudkan kota bekasi yang bersih aman dan sejahtera untuk semua warga"
    other = "harga cabai naik lagi di pasar kranji hari ini"
    texts = [base, base.replace("semua", "seluruh"), other]
    g1 = assign_duplicate_groups(texts)
    g2 = assign_duplicate_groups(list(reversed(texts)))
    assert g1.ids[0] == g1.ids[1] is not None and g1.ids[2] is None
    assert g1.ids[0] == g2.ids[2]  # same id whatever the order
    assert normalise_for_duplicates("Mantaaap!!! @budi https://x.co/a") == "mantap"


def test_large_batch_runs(cat):
    texts = [f"komentar nomor {i} tentang jalan rusak di rt {i % 40}" for i in range(3000)]
    groups = assign_duplicate_groups(texts)
    assert len(groups.ids) == 3000
