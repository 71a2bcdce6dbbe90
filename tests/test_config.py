"""pantau.toml validation and the shipped rules files."""

from __future__ import annotations

from datetime import date

import pytest

from pantau.errors import ConfigError
from pantau.project import Project, load_config
from pantau.rules_data import load_rules, shipped_rules
from tests.conftest import BEKASI_TOML


def write(tmp_path, text):
    path = tmp_path / "pantau.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_bekasi_config_loads(tmp_path):
    config = load_config(write(tmp_path, BEKASI_TOML))
    assert [c.ballot_number for c in config.candidates] == [1, 2, 3]
    assert config.candidates[1].parties == ["Golkar", "NasDem"]


@pytest.mark.parametrize(("extra", "fragment"), [
    ("\n[election2]\nname = 'x'\n", "unknown key 'election2'"),
    ("\n[[candidates]]\nid = 'pair-4'\nname = 'X'\ncolour = 'red'\n",
     "unknown key 'candidates.3.colour'"),
    ("\n[[accounts]]\ncandidate = 'pair-9'\nplatform = 'tiktok'\nhandle = 'x'\n",
     "names candidate 'pair-9', which is not in [[candidates]]"),
    ("\n[[accounts]]\ncandidate = 'pair-1'\nplatform = 'tiktok'\nhandle = 'Heri'\n"
     "[[accounts]]\ncandidate = 'pair-1'\nplatform = 'tiktok'\nhandle = '@heri'\n",
     "is listed twice"),
    ("\n[[accounts]]\ncandidate = 'pair-1'\nplatform = 'myspace'\nhandle = 'x'\n",
     "accounts.0.platform"),
    ("\n[[events]]\nname = 'Debat'\ndate = 2024-13-01\n", "not valid TOML"),
    ("\n[[events]]\nname = 'Debat'\ndate = 'tomorrow'\n", "events.0.date"),
    ("\n[[accounts]]\ncandidate = 'pair-1'\nplatform = 'tiktok'\n", "a handle or an id"),
])
def test_config_errors_name_the_key(tmp_path, extra, fragment):
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, BEKASI_TOML + extra))
    assert fragment in str(err.value)
    assert err.value.hint


def test_missing_election_is_reported(tmp_path):
    with pytest.raises(ConfigError, match="missing key 'election'"):
        load_config(write(tmp_path, "[[candidates]]\nid = 'a'\nname = 'b'\n"))


def test_bad_timezone(tmp_path):
    text = BEKASI_TOML.replace('timezone = "Asia/Jakarta"', 'timezone = "Asia/Bekasi"')
    with pytest.raises(ConfigError, match="unknown time zone"):
        load_config(write(tmp_path, text))


@pytest.mark.parametrize("name", shipped_rules())
def test_shipped_rules_have_ordered_phases(name):
    rules = load_rules(name)
    phases = rules["phases"]
    assert [p["id"] for p in phases] == [
        "before_campaign", "campaign", "quiet_period", "voting_day", "after"]
    for earlier, later in zip(phases, phases[1:], strict=False):
        assert (later["start"] - earlier["end"]).days == 1, (earlier["id"], later["id"])
    assert rules["accounts"]["max_per_platform"] == 20
    assert rules["rules"]["sources"]


def test_pilkada_2024_calendar_matches_the_regulation():
    phases = {p["id"]: p for p in load_rules("pilkada-2024")["phases"]}
    assert (phases["campaign"]["start"], phases["campaign"]["end"]) == (
        date(2024, 9, 25), date(2024, 11, 23))
    assert (phases["quiet_period"]["start"], phases["quiet_period"]["end"]) == (
        date(2024, 11, 24), date(2024, 11, 26))
    assert phases["voting_day"]["start"] == date(2024, 11, 27)
    windows = {w["id"]: w for w in load_rules("pilkada-2024")["windows"]}
    assert (windows["media_ads"]["start"], windows["media_ads"]["end"]) == (
        date(2024, 11, 10), date(2024, 11, 23))


def test_project_rules_file_of_its_own(tmp_path):
    own = tmp_path / "my-rules.toml"
    own.write_text(
        "[rules]\nid='x'\nname='X'\n[[phases]]\nid='campaign'\nstart=2025-01-01\n"
        "end=2025-01-31\n[accounts]\nmax_per_platform=5\n", encoding="utf-8")
    write(tmp_path, BEKASI_TOML.replace('rules = "pilkada-2024"', 'rules = "my-rules.toml"'))
    project = Project(tmp_path)
    assert project.rules["accounts"]["max_per_platform"] == 5


def test_rules_phase_ending_before_it_starts(tmp_path):
    own = tmp_path / "bad.toml"
    own.write_text("[rules]\nid='x'\n[[phases]]\nid='c'\nstart=2025-02-01\nend=2025-01-01\n"
                   "[accounts]\nmax_per_platform=5\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="ends before it starts"):
        load_rules(str(own))


def test_unknown_rules_name(tmp_path):
    with pytest.raises(ConfigError, match="neither a shipped rules file"):
        load_rules("pilkada-2029", base=tmp_path)
