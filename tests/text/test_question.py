"""Question-to-the-candidate cues on informal Indonesian."""

from __future__ import annotations

import pytest

from pantau.models.question import load


@pytest.fixture(scope="module")
def q():
    return load()


@pytest.mark.parametrize("text", [
    "Pak, kapan jalan di RT 05 diperbaiki?",
    "min cara pakai vouchernya gmn",
    "apakah program sekolah gratis berlaku untuk SMA swasta",
    "mau tanya pak, KJP masih ada ga",
    "tolong perhatikan banjir di kampung kami pak 🙏",
    "mohon dibantu bu, bansos kami belum cair",
    "bisa dibantu ga kak?",
    "berapa anggaran buat program itu?",
    "Perbaiki jalan Sultan Agung pak, rusak parah",
    "benarkah bapak akan menaikkan gaji guru honorer",
    "@tri_adhianto kok lampu jalan di Jatiasih mati terus ya",
    "gimanaaa nasib honorer pak???",
])
def test_questions_and_requests(q, text):
    p = q.predict([text])[0]
    assert p.label == "question", p
    assert p.evidence


@pytest.mark.parametrize("text", [
    "Semangat pak, semoga menang! 💪",
    "masa gitu aja gak bisa?",
    "pelayanannya lambat banget, kecewa",
    "makasih min udah dibantu",
    "apapun yang terjadi tetap dukung nomor 3",
    "entah kenapa aku sedih terus",
    "gak apa apa pak, yang penting jujur",
    "masalahnya ga diperbaiki sampai sekarang",
    "",
])
def test_not_questions(q, text):
    assert q.predict([text])[0].label == "not_question"


def test_insulting_rhetorical_question_is_damped(q):
    p = q.predict(["otaknya di mana sih, goblok?"])[0]
    assert "toxic: insult" in p.evidence


def test_scores_sum_to_one_and_batch_order(q):
    texts = ["kapan?", "mantap", None, "tolong dong min"]
    preds = q.predict(texts)
    assert [p.label for p in preds] == ["question", "not_question", "not_question", "question"]
    for p in preds:
        assert abs(p.scores["question"] + p.scores["not_question"] - 1) < 1e-3


@pytest.mark.shared
def test_labelled_set_is_readable_and_balanced(data_dir):
    import csv
    from pathlib import Path

    labels = Path(__file__).resolve().parents[2] / "data" / "labels" / "question_labels.csv"
    rows = list(csv.DictReader(labels.open(encoding="utf-8")))
    assert len(rows) >= 400
    assert set(rows[0]) == {"file", "line", "label"}  # no text stored
    assert {r["label"] for r in rows} == {"question", "not_question"}
    assert all((data_dir / r["file"]).is_file() for r in rows)
