"""The editable codebook: loading, project override, function and topic coders."""

from __future__ import annotations

import pytest

from pantau.errors import ConfigError
from pantau.models import codebook
from pantau.project import Project


def test_shipped_codebook_has_functions_and_topics():
    cb = codebook.load(None)
    assert cb.get("post_function").codes == [f"P{i}" for i in range(1, 10)]
    topic = cb.get("topic")
    assert topic.multiple
    for code in ("banjir", "sampah", "macet", "pendidikan", "kesehatan", "ekonomi",
                 "lapangan_kerja", "infrastruktur"):
        assert code in topic.codes
    for v in cb.get("post_function").values:
        assert v.label_id and v.label_en and v.keywords


@pytest.mark.parametrize("text, code", [
    ("Ayo coblos nomor 3 tanggal 27 November!", "P4"),
    ("Selamat Hari Santri Nasional, semoga santri terus berkarya", "P8"),
    ("Pagi ini blusukan ke Pasar Baru, menyapa para pedagang", "P2"),
    ("Program kami: sekolah gratis dan beasiswa untuk anak Bekasi", "P1"),
    ("Live jam 8 malam ini, tulis pertanyaan kalian di kolom komentar ya", "P7"),
    ("wkwkwk ikutan trend joget dulu", "P9"),
])
def test_function(text, code):
    p = codebook.load_function().predict([text])[0]
    assert p.label == code, p
    assert any(e.startswith(code) for e in p.evidence)


def test_function_default_when_nothing_matches():
    p = codebook.load_function().predict(["..."])[0]
    assert p.label == "P3" and p.evidence == ["default: no keyword matched"]


def test_topics_main_label_and_targets():
    p = codebook.load_topic().predict(
        ["Atasi banjir dan sampah di Bekasi, jalan rusak juga harus diperbaiki"])[0]
    assert p.label in ("banjir", "sampah", "infrastruktur")
    assert {"banjir", "sampah", "infrastruktur"} <= set(p.targets)
    none = codebook.load_topic().predict(["semangat pak!"])[0]
    assert none.label == "none" and none.targets == []


def _with_codebook(project, name):
    """Put `codebook = NAME` at the top of pantau.toml (a top-level key)."""
    path = project.config_path
    path.write_text(f'codebook = "{name}"\n' + path.read_text(encoding="utf-8"), encoding="utf-8")
    return Project(project.root)


def test_project_override(make_project):
    project = _with_codebook(make_project(), "my-codebook.toml")
    (project.root / "my-codebook.toml").write_text("""
[variables.post_function]
target = "post"
default = "X"
[[variables.post_function.values]]
code = "X"
label_id = "Lainnya"
label_en = "Other"
[[variables.post_function.values]]
code = "DEBAT"
label_id = "Debat"
label_en = "Debate"
keywords = ["debat*"]
[variables.topic]
target = "post"
multiple = true
[[variables.topic.values]]
code = "banjir"
keywords = ["banjir"]
""", encoding="utf-8")
    assert codebook.codebook_path(project).name == "my-codebook.toml"
    f = codebook.load_function(project.root)
    assert f.predict(["Nonton debatnya ya"])[0].label == "DEBAT"
    assert f.predict(["halo"])[0].label == "X"
    assert f.VERSION != codebook.load_function().VERSION


def test_missing_or_broken_override_is_a_clear_error(make_project, tmp_path):
    project = _with_codebook(make_project(), "nope.toml")
    with pytest.raises(ConfigError, match="does not exist"):
        codebook.load(project)
    bad = _with_codebook(make_project(name="bad"), "bad.toml")
    (bad.root / "bad.toml").write_text(
        '[variables.x]\ntarget = "post"\n[[variables.x.values]]\ncode = "A"\n'
        'patterns = ["(unclosed"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="bad pattern"):
        codebook.load(bad)
