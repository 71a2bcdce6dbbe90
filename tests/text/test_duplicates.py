"""Copy-paste groups at corpus scale (pantau.text.duplicates)."""

from __future__ import annotations

from pantau.text.duplicates import duplicate_groups, normalise


def test_normalise():
    assert normalise("Ayo COBLOS nomor 3!!! 👍 @bekasi https://t.co/x #BekasiMaju") == \
        "ayo coblos nomor 3 bekasimaju"
    assert normalise("mantaaap") == "mantap" and normalise(None) == ""


def test_identical_and_near_identical_are_grouped():
    base = "ayo warga bekasi coblos nomor tiga untuk perubahan kota yang lebih baik"
    texts = [
        base, base + " 👍👍", base.upper() + "!!!", base.replace("tiga", "3"),
        base.replace("lebih baik", "lebih maju"),  # one phrase changed: still a copy
        "jalan rusak di jatiasih belum diperbaiki juga sampai sekarang",
        "mantap pak", "mantap pak",  # too short to count as copy-paste
        None, "",
    ]
    groups = duplicate_groups(texts, authors=["a", "b", "c", "d", "e", "f", "g", "h", None, None])
    first = groups.ids[0]
    assert first is not None and first.startswith("dup-")
    assert groups.ids[1] == groups.ids[2] == first
    assert groups.ids[4] == first
    assert groups.ids[5] is None and groups.ids[6] is None and groups.ids[8] is None
    assert groups.sizes[first] >= 4 and groups.authors[first] == groups.sizes[first]


def test_many_distinct_texts_stay_apart():
    texts = [f"warga nomor {i} mengeluh soal {w} di kampung {i * 7}"
             for i, w in enumerate(["banjir", "sampah", "macet", "air", "listrik"] * 40)]
    groups = duplicate_groups(texts, similarity=0.95)
    assert sum(g is not None for g in groups.ids) < len(texts) // 4
