"""models/adapt.py and active learning: the shipped model adapted in-domain from codes."""

from __future__ import annotations

import json
import random

import pytest
from typer.testing import CliRunner

from pantau.cli import app as cli
from pantau.models import adapt, registry

SARCASM = ["mantap pak, janji lagi janji lagi", "hebat ya, jalan rusak tetap {n} tahun",
           "keren bgt, banjir tiap hujan di rt {n}", "luar biasa, bansos cuma foto doang {n}"]
THANKS = ["terima kasih pak sudah bantu warga rt {n}", "semoga amanah dan sehat selalu {n}",
          "alhamdulillah jalan di gang {n} sudah diperbaiki"]
ASKS = ["jadwal debat ke {n} kapan ya", "lokasi tps {n} di mana", "daftar relawan lewat mana {n}"]


def codes(n_each: int = 20, seed: int = 0) -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    texts, gold = [], []
    for templates, label in ((SARCASM, "negative"), (THANKS, "positive"), (ASKS, "neutral")):
        for k in range(n_each):
            texts.append(rng.choice(templates).format(n=k + 1))
            gold.append(label)
    return texts, gold


def test_adapted_model_learns_the_domain_and_beats_the_shipped_one():
    texts, gold = codes()
    result = adapt.adapt("sentiment", texts, gold, folds=4)
    f = result.figures
    assert f["adapted_macro_f1"] > f["shipped_macro_f1"]
    assert f["adapted_macro_f1"] >= 0.9
    assert f["items"] == 60 and f["labels"] == {"negative": 20, "positive": 20, "neutral": 20}
    predicted = [p.label for p in result.model.predict(["mantap pak, janji lagi janji lagi 99"])]
    assert predicted == ["negative"]


def test_saved_adapted_model_is_the_registry_model_and_refuses_a_changed_base(project):
    texts, gold = codes()
    result = adapt.adapt("sentiment", texts, gold, folds=3)
    path = result.save(project)
    assert path.name == "coding-sentiment.joblib" and path.with_suffix(".json").is_file()
    model = registry.load("sentiment", project)
    assert model.VERSION.startswith("adapted-") and model.NAME == "sentiment"
    assert model.predict(["hebat ya, jalan rusak tetap 7 tahun"])[0].label == "negative"
    import joblib

    payload = joblib.load(path)
    payload["base_version"] = "0.old"
    joblib.dump(payload, path)
    registry._LOCAL_CACHE.clear()
    with pytest.raises(registry.ModelUnavailable, match="changed"):
        registry.load("sentiment", project)


def test_toxicity_adaptation_keeps_the_shipped_sara_targets_where_it_agrees():
    base = adapt.load_shipped("toxicity")
    texts = [f"dasar goblok {k}" for k in range(12)] + [f"semangat pak {k}" for k in range(12)]
    gold = ["abusive"] * 12 + ["none"] * 12
    model = adapt.adapt("toxicity", texts, gold, folds=3, base=base).model
    shipped = base.predict(["dasar kafir, usir saja"])[0]
    adapted = model.predict(["dasar kafir, usir saja"])[0]
    if adapted.label == shipped.label:
        assert adapted.targets == shipped.targets


def _code_comments(project, n: int) -> None:
    from pantau import store

    con = store.connect(project.store_path)
    rows = con.execute("SELECT platform, comment_id, text FROM comments ORDER BY comment_id "
                       f"LIMIT {n}").fetchall()
    for platform, comment_id, text in rows:
        value = ("positive" if text.startswith("mantap") else "negative"
                 if text.startswith("dasar") else "neutral")
        con.execute("INSERT INTO labels (platform, target, target_id, scheme, value, score, "
                    "source) VALUES (?, 'comment', ?, 'sentiment', ?, 1.0, 'coder:ana')",
                    [platform, comment_id, value])
    con.close()


def test_cli_train_from_coding_a_model_task_saves_only_when_accepted(web_project):
    from pantau.models.codebook import SHIPPED

    (web_project.root / "codebook.toml").write_text(SHIPPED.read_text(encoding="utf-8"),
                                                    encoding="utf-8")
    _code_comments(web_project, 60)
    root = str(web_project.root)
    runner = CliRunner()
    declined = runner.invoke(cli, ["models", "train", "--from-coding", "sentiment",
                                   "--project", root], input="n\n")
    assert declined.exit_code == 0, declined.output
    assert "shipped model as it is" in declined.output and "Not saved" in declined.output
    assert not (web_project.root / "models" / "coding-sentiment.joblib").exists()
    accepted = runner.invoke(cli, ["models", "train", "--from-coding", "sentiment", "--yes",
                                   "--json", "--project", root])
    assert accepted.exit_code == 0, accepted.output
    figures = json.loads(accepted.output)
    assert figures["accepted"] and figures["items"] == 60
    assert figures["adapted_macro_f1"] is not None and figures["shipped_macro_f1"] is not None
    assert (web_project.root / "models" / "coding-sentiment.joblib").is_file()
    forgot = runner.invoke(cli, ["models", "forget", "--task", "sentiment", "--project", root])
    assert forgot.exit_code == 0
    assert not (web_project.root / "models" / "coding-sentiment.joblib").exists()


def test_uncertain_samples_take_the_least_sure_items_and_never_validate(web_project):
    from pantau import store, validate
    from pantau.web import coding
    from pantau.web.db import WebStore

    con = store.connect(web_project.store_path)
    con.execute("UPDATE labels SET score = 0.34 WHERE scheme = 'comment_category' AND "
                "target_id IN (SELECT target_id FROM labels WHERE scheme = 'comment_category' "
                "ORDER BY target_id LIMIT 3)")
    low = {r[0] for r in con.execute("SELECT target_id FROM labels WHERE scheme = "
                                     "'comment_category' AND score = 0.34").fetchall()}
    con.close()
    book = coding.load_codebook(web_project)
    db = WebStore(web_project, build_index=False, flag_scheme=coding.flag_scheme(book))
    try:
        sample_id = coding.draw_sample(db, book, target="comment", size=3, coders=["ana"],
                                       overlap=0, variables=["comment_category"],
                                       strategy="uncertain", seed=1)
        drawn = {r["target_id"] for r in db.rows(
            "SELECT target_id FROM coding_items WHERE sample_id = ?", [sample_id], cache=False)}
        assert not validate.is_validation_sample(db, sample_id)
    finally:
        db.close()
    assert drawn == low
