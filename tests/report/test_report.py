from __future__ import annotations

import re

import pytest

from pantau.errors import PantauError
from pantau.report import render_report, write_report
from pantau.report.build import SECTIONS, is_synthetic
from tests.analysis.fixture import COMMENTS, build
from tests.conftest import BEKASI_TOML


def test_every_section_in_both_languages(rendered):
    for html in (rendered.html_id, rendered.html_en):
        for section in SECTIONS:
            assert f'data-section="{section}"' in html
    assert '<html lang="id">' in rendered.html_id and "Ringkasan" in rendered.html_id
    assert "Kesimpulan" not in rendered.html_id and "dijelaskan oleh" not in rendered.html_id
    assert "CrowdTangle" in rendered.html_id and "sensus" in rendered.html_id
    assert "Temuan kepatuhan" in rendered.html_id and "Daya tanggap" in rendered.html_id
    assert '<html lang="en">' in rendered.html_en and "Summary" in rendered.html_en
    assert "Compliance findings" in rendered.html_en


def test_self_contained_offline(rendered):
    html = rendered.html_id
    assert "<script" not in html and "<link" not in html and "@import" not in html
    assert not re.search(r'\bsrc\s*=\s*"(?:https?:)?//', html)
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", html)
    # charts are inline SVG, one per figure, with ids unique across the page
    assert html.count("<svg ") == len(re.findall(r'<figure id="fig-\d+"', html)) >= 15
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    # every in-page link points at something
    for target in set(re.findall(r'href="#([^"]+)"', html)):
        assert target in ids, target


def test_summary_claims_point_to_their_figures(rendered):
    summary = rendered.html_id.split('data-section="summary"')[1].split("</section>")[0]
    claims = re.findall(r"<li>(.*?)</li>", summary, flags=re.S)
    assert len(claims) >= 8
    assert all('class="ref"' in c for c in claims)
    # numbers come from the analysis: 1 of 3 questions answered on pair-1 TikTok + 1 of 1
    assert "50% (2/4)" in summary
    assert "8 temuan kepatuhan" in summary


def test_synthetic_data_is_announced_everywhere(rendered, tmp_path):
    for html in (rendered.html_id, rendered.html_en):
        assert 'class="synthetic-banner"' in html
        assert html.count('class="synthetic-tag"') == len(SECTIONS)
    assert "DATA SINTETIS" in rendered.html_id and "SYNTHETIC DATA" in rendered.html_en
    real = build(tmp_path / "real", BEKASI_TOML)
    con = real.connect()
    try:
        assert not is_synthetic(con, real.config.election.name)
        con.execute("INSERT OR REPLACE INTO meta VALUES ('synthetic', 'true')")
        assert is_synthetic(con, real.config.election.name)
    finally:
        con.close()
    assert is_synthetic(None, "Pemilu SYNTHETIC demo")


def test_commenters_are_pseudonymised_candidates_are_not(rendered):
    html = rendered.html_id
    commenters = {c[5] for c in COMMENTS if c[5] and c[5].startswith("warga_")}
    for handle in commenters:
        assert handle not in html, handle
    assert "warga-" in html
    assert "@heri_tt" in html and "uu_tt" in html


def test_sections_show_the_numbers(rendered):
    html = rendered.html_en
    assert "Kruskal–Wallis" in html and "Holm" in html
    assert "Program sekolah gratis gimana?" in html  # an unanswered question, listed
    assert "not a verdict" in html
    assert "Debat publik pertama" in html
    assert "0.588" in html  # Krippendorff's alpha of the two coders (1 - 14/34)


def test_figures_written_as_svg_and_png(rendered):
    svgs = sorted(rendered.figures.glob("*.svg"))
    pngs = sorted(rendered.figures.glob("*.png"))
    assert len(svgs) == len(pngs) >= 15
    assert pngs[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert svgs[0].read_text("utf-8").startswith("<svg")


def test_missing_labels_say_run_enrich(tmp_path):
    project = build(tmp_path / "bare", BEKASI_TOML, labels=False)
    con = project.connect()
    try:
        html, report = render_report(project, con, "en")
    finally:
        con.close()
    assert "run `pantau enrich`" in html
    for section in SECTIONS:
        assert f'data-section="{section}"' in html
    assert "No human coding by two or more coders yet" in html


def test_unknown_language_is_one_clear_error(rendered, tmp_path):
    with pytest.raises(PantauError, match="unknown report language"):
        write_report(rendered.project, tmp_path / "x.html", lang="fr")


def test_mentions_of_ordinary_people_are_masked(rendered):
    from pantau.report.build import mention_masker

    con = rendered.project.connect()
    try:
        mask = mention_masker(con)
        text = mask("makasih @warga_a, salam dari @heri_tt")
    finally:
        con.close()
    assert "@warga_a" not in text and "@warga-" in text and "@heri_tt" in text
    assert mask(None) is None and mask("tanpa sebutan") == "tanpa sebutan"
