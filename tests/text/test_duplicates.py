"""Copy-paste groups at corpus scale (pantau.text.duplicates)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from pantau.text.duplicates import (
    CoordinationSettings,
    coordinated_copies,
    coordinated_groups,
    duplicate_groups,
    normalise,
)


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


# -- coordinated copies (the one definition shared with the coordination analysis) ----------
SCRIPT = "Sudah terbukti peduli sudah terbukti bekerja nomor satu untuk kota kita"
T0 = datetime(2024, 11, 2, 15, 0)


def _at(*minutes: float) -> list[datetime]:
    return [T0 + timedelta(minutes=m) for m in minutes]


def test_burst_of_three_accounts_inside_the_window_is_coordinated():
    found = coordinated_groups([SCRIPT] * 3, ["a", "b", "c"], _at(0, 10, 29))
    assert found.coordinated == [True, True, True]
    assert found.bursts[found.ids[0]] == 3


def test_the_same_accounts_spread_wider_than_the_window_are_not():
    found = coordinated_groups([SCRIPT] * 3, ["a", "b", "c"], _at(0, 20, 40))
    assert found.coordinated == [False, False, False]
    wider = coordinated_groups([SCRIPT] * 3, ["a", "b", "c"], _at(0, 20, 40),
                               settings=CoordinationSettings(window_minutes=45))
    assert wider.coordinated == [True, True, True]


def test_one_account_pasting_many_times_is_not_several_accounts():
    found = coordinated_groups([SCRIPT] * 5, ["a", "a", "a", "b", "b"], _at(0, 1, 2, 3, 4))
    assert not any(found.coordinated)
    assert coordinated_groups([SCRIPT] * 4, ["a", "b", "c", "c"], _at(0, 1, 2, 3),
                              settings=CoordinationSettings(min_accounts=4)).coordinated == \
        [False] * 4


def test_a_phrase_mostly_scattered_over_days_is_not_coordinated_for_one_chance_burst():
    times = _at(0, 5, 9) + [T0 + timedelta(days=d) for d in range(1, 8)]
    authors = [f"fan{k}" for k in range(10)]
    found = coordinated_groups([SCRIPT] * 10, authors, times)
    assert not any(found.coordinated)
    assert found.bursts[found.ids[0]] == 3
    loose = coordinated_groups([SCRIPT] * 10, authors, times,
                               settings=CoordinationSettings(min_share=0.2))
    assert loose.coordinated == [True] * 3 + [False] * 7


def test_missing_times_or_authors():
    groups = coordinated_groups([SCRIPT] * 4, ["a", "b", "c", None],
                                [T0, "2024-11-02T15:05:00", None, T0])
    assert groups.coordinated == [False] * 4  # only two copies have both an author and a time
    assert coordinated_groups([SCRIPT] * 3, ["a", "b", "c"], None).coordinated is None
    assert coordinated_groups([SCRIPT] * 3, None, _at(0, 1, 2)).coordinated is None


def test_iso_text_epoch_seconds_and_aware_datetimes_mix():
    times = ["2024-11-02T15:00:00+00:00", 1730559900.0, "2024-11-02T15:10:00Z"]
    found = coordinated_groups([SCRIPT] * 3, ["a", "b", "c"], times)
    assert found.coordinated == [True] * 3  # 15:00, 15:05 and 15:10 UTC


def test_settings_from_toml_table_name_the_bad_key():
    assert CoordinationSettings.from_table({"window_minutes": 10}).window_minutes == 10
    with pytest.raises(ValueError, match="min_accounts"):
        CoordinationSettings.from_table({"min_accounts": 1})
    with pytest.raises(ValueError, match="window_minute"):
        CoordinationSettings.from_table({"window_minute": 10})


def test_coordination_leaves_the_groups_as_they_were():
    groups = duplicate_groups([SCRIPT, SCRIPT, "lain kali saja kita bahas soal ini"])
    marked = coordinated_copies(groups, ["a", "b", "c"], _at(0, 1, 2))
    assert marked.ids == groups.ids and marked.sizes == groups.sizes
    assert marked.coordinated == [False, False, False]  # two accounts only
