"""Learning from the coders: a project model from human codes, scored on items it did not see."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta

import pytest

from pantau import store
from pantau.errors import PantauError
from pantau.web.learn import gold_codes, load_coding_model, train_from_coding

TEXTS = {
    "P1": ["program sekolah gratis untuk semua anak", "beasiswa dan kartu sehat gratis",
           "rencana perbaikan jalan dan drainase", "visi misi kami untuk kota"],
    "P2": ["blusukan ke pasar pagi ini bersama warga", "kunjungan ke kampung nelayan",
           "silaturahmi dengan warga kecamatan", "menghadiri pengajian di masjid"],
    "P4": ["ayo coblos nomor dua tanggal 27", "jangan lupa datang ke tps",
           "pilih kami, gunakan hak pilihmu", "ajak keluarga coblos nomor dua"],
}


def _add_coded_posts(project, n: int = 60, *, topics: bool = False) -> None:
    rng = random.Random(1)
    con = store.connect(project.store_path)
    for i in range(n):
        code = list(TEXTS)[i % 3]
        post_id = f"8{i:018d}"
        text = f"{rng.choice(TEXTS[code])} {rng.choice(['', 'hari ini', 'bersama'])} #{i}"
        con.execute("INSERT INTO posts (platform, post_id, account_id, created_at, text) "
                    "VALUES ('tiktok', ?, '1001', ?, ?)",
                    [post_id, datetime(2024, 10, 1) + timedelta(hours=i), text])
        coders = {"ana": code}
        if i % 3 == 0:  # a third double-coded; budi disagrees on every sixth of those
            coders["budi"] = code if i % 18 else "P2"
        for coder, value in coders.items():
            con.execute("INSERT INTO labels (platform, target, target_id, scheme, value, "
                        "source) VALUES ('tiktok', 'post', ?, 'post_function', ?, ?)",
                        [post_id, value, f"coder:{coder}"])
            if topics:
                topic = "pendidikan" if code == "P1" else None
                con.execute("INSERT INTO labels (platform, target, target_id, scheme, value, "
                            "source) VALUES ('tiktok', 'post', ?, 'topic', ?, ?)",
                            [post_id, topic, f"coder:{coder}"])
    con.close()


def test_gold_codes():
    assert gold_codes({"a": ("P1",), "b": ("P1",)}) == ("P1",)
    assert gold_codes({"a": ("P1",), "b": ("P2",)}) is None
    assert gold_codes({"a": ("P1",), "b": ("P2",), "c": ("P1",)}) == ("P1",)
    assert gold_codes({"a": ("P1",), "b": ("P2",), "adjudicated": ("P2",)}) == ("P2",)
    assert gold_codes({"a": ()}) == ()


def test_train_from_coding_reports_agreement_on_unseen_items(web_project):
    _add_coded_posts(web_project)
    result = train_from_coding(web_project, "post_function", folds=4)
    f = result.figures
    assert f["items"] == 60 - 4 and f["unresolved_items"] == 4  # 1-1 splits are left out
    assert f["labels"] == {"P1": 16, "P2": 20, "P4": 20}
    assert 0.5 < f["macro_f1"] <= 1 and 0.5 < f["alpha"] <= 1
    assert f["baseline_macro_f1"] < f["macro_f1"]
    assert f["alpha_ci"][0] <= f["alpha"] <= f["alpha_ci"][1]
    assert f["human_alpha"] is not None and f["human_alpha"] < 1
    assert "did not see" in f["evaluation"]
    path = result.save(web_project)
    assert path.exists() and json.loads(path.with_suffix(".json").read_text())["items"] == 56
    model = load_coding_model(path)
    assert model.NAME == "coding-post_function" and model.VERSION == result.model.VERSION
    predictions = model.predict(["ayo coblos nomor dua", "program beasiswa gratis", None])
    assert predictions[0].label == "P4" and predictions[1].label == "P1"
    assert set(predictions[0].scores) == {"P1", "P2", "P4"}


def test_train_several_values(web_project):
    _add_coded_posts(web_project, 45, topics=True)
    result = train_from_coding(web_project, "topic", folds=3)
    f = result.figures
    assert f["per_value"]["pendidikan"]["present"] == 15
    assert f["per_value"]["banjir"]["skipped"]
    assert f["macro_f1"] > 0.5
    path = result.save(web_project)
    model = load_coding_model(path)
    out = model.predict(["program sekolah gratis", "ayo coblos"])
    assert out[0].targets == ["pendidikan"] and out[1].label == "none"


def test_too_few_codes_are_refused(web_project):
    with pytest.raises(PantauError, match="at least 20"):
        train_from_coding(web_project, "post_function")
    with pytest.raises(PantauError, match="no variable"):
        train_from_coding(web_project, "nonexistent")


def test_cli_from_coding_saves_only_when_accepted(web_project):
    from typer.testing import CliRunner

    from pantau.cli import app

    _add_coded_posts(web_project)
    runner = CliRunner()
    base = ["models", "train", "--from-coding", "post_function", "--folds", "4",
            "--project", str(web_project.root)]
    declined = runner.invoke(app, base, input="n\n")
    assert declined.exit_code == 0, declined.output
    assert "macro_f1" in declined.output and "Not saved" in declined.output
    assert not (web_project.root / "models" / "coding-post_function.joblib").exists()
    accepted = runner.invoke(app, [*base, "--yes", "--json"])
    assert accepted.exit_code == 0, accepted.output
    figures = json.loads(accepted.output)
    assert figures["accepted"] is True and figures["items"] == 56
    assert (web_project.root / "models" / "coding-post_function.joblib").exists()
    from pantau.models import registry

    model = registry.load("function", web_project)
    assert model.NAME == "coding-post_function"


def test_cli_train_needs_a_source(web_project):
    from typer.testing import CliRunner

    from pantau.cli import app

    result = CliRunner().invoke(app, ["models", "train", "--project", str(web_project.root)])
    assert result.exit_code == 1
    assert "--task and --data, or --from-coding" in result.output
