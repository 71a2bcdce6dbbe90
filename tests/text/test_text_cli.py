"""`pantau text TASK` through the real CLI app."""

from __future__ import annotations

import json

import pytest

from tests.test_cli import run


def lines(result) -> list[dict]:
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_toxicity_from_stdin_keeps_order_and_empty_lines(tmp_path):
    out = lines(run("text", "toxicity", input="dasar anj*ng lu\n\ncina babi\nselamat pagi\n",
                    cwd=tmp_path))
    assert [o["label"] for o in out] == ["abusive", "none", "hate", "none"]
    assert out[0]["evidence"] == ["anj*ng (anjing)"]
    assert out[2]["targets"] == ["ethnicity"]
    assert set(out[1]) == {"label", "scores", "evidence", "targets"}


@pytest.mark.parametrize("task, text, label", [
    ("question", "pak, kapan jalan diperbaiki?", "question"),
    ("category", "Semangat pak, pasti menang!", "dukungan"),
    ("function", "Ayo coblos nomor 3 tanggal 27 November", "P4"),
    ("topic", "banjir lagi di Jatiasih, sampah menumpuk", "banjir"),
])
def test_each_task(tmp_path, task, text, label):
    out = lines(run("text", task, input=text + "\n", cwd=tmp_path))
    assert len(out) == 1 and out[0]["label"] == label
    assert "scores" in out[0]


def test_topic_targets_and_none(tmp_path):
    out = lines(run("text", "topic", input="banjir dan macet lagi\nsemangat\n", cwd=tmp_path))
    assert set(out[0]["targets"]) == {"banjir", "macet"}
    assert out[1]["label"] == "none" and out[1]["targets"] == []


def test_csv_input_with_column_and_batches(tmp_path):
    path = tmp_path / "comments.csv"
    rows = ["id,komentar,akun"] + [f'{i},"tolong perbaiki jalan di rt {i}, pak",u{i}'
                                    for i in range(7)] + ['7,"",u7']
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = lines(run("text", "question", "--input", str(path), "--column", "komentar",
                    "--batch-size", "3", cwd=tmp_path))
    assert len(out) == 8
    assert [o["label"] for o in out] == ["request"] * 7 + ["not_question"]


def test_category_finds_coordinated_copies_across_batches_authors_and_times(tmp_path):
    path = tmp_path / "c.csv"
    text = "Pilih paslon nomor 3 untuk Bekasi yang lebih maju dan sejahtera"
    path.write_text(f'text,author,waktu\n"{text}",a,2024-11-20T10:00:00+07:00\n'
                    f'"mantap",b,2024-11-20T10:01:00+07:00\n'
                    f'"{text}!!",c,2024-11-20T10:07:00+07:00\n'
                    f'"{text}",d,2024-11-20T10:15:00+07:00\n', encoding="utf-8")
    out = lines(run("text", "category", "-i", str(path), "-c", "text", "--author-column",
                    "author", "--time-column", "waktu", "--batch-size", "1", cwd=tmp_path))
    assert [o["label"] for o in out] == ["salinan", "dukungan", "salinan", "salinan"]
    assert any(e.startswith("duplicate_group") for e in out[0]["evidence"])
    # without times the copies are reported but not judged coordinated
    out = lines(run("text", "category", "-i", str(path), "-c", "text", "--author-column",
                    "author", cwd=tmp_path))
    assert "salinan" not in [o["label"] for o in out]
    assert any("not judged" in e for e in out[0]["evidence"])


def test_category_time_column_that_is_not_a_time_names_the_line(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("text,author,waktu\nhalo,a,2024-11-20\nhalo,b,kemarin sore\n",
                    encoding="utf-8")
    result = run("text", "category", "-i", str(path), "-c", "text", "--author-column",
                 "author", "--time-column", "waktu", cwd=tmp_path)
    assert result.exit_code == 1
    assert "line 3" in result.output and "kemarin sore" in result.output
    assert "Traceback" not in result.output


def test_unknown_task_lists_valid_ones(tmp_path):
    result = run("text", "sentimen", input="x\n", cwd=tmp_path)
    assert result.exit_code == 1
    assert "unknown task 'sentimen'" in result.output
    from pantau.models.registry import TASKS

    assert ", ".join(TASKS) in result.output  # the tasks of the registry, in its order
    assert "Traceback" not in result.output


def test_missing_column_names_the_columns(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("id,komentar\n1,halo\n", encoding="utf-8")
    result = run("text", "toxicity", "-i", str(path), "-c", "text", cwd=tmp_path)
    assert result.exit_code == 1
    assert "column 'text' not in" in result.output and "id, komentar" in result.output
    result = run("text", "toxicity", "-i", str(path), cwd=tmp_path)
    assert result.exit_code == 1 and "--column" in result.output


def test_missing_input_file(tmp_path):
    result = run("text", "toxicity", "-i", str(tmp_path / "nope.txt"), cwd=tmp_path)
    assert result.exit_code == 1 and "does not exist" in result.output


def test_project_codebook_is_used(make_project, tmp_path):
    project = make_project()
    config = project.config_path
    config.write_text('codebook = "cb.toml"\n' + config.read_text(encoding="utf-8"),
                      encoding="utf-8")
    (project.root / "cb.toml").write_text(
        '[variables.post_function]\ntarget = "post"\n[[variables.post_function.values]]\n'
        'code = "DEBAT"\nkeywords = ["debat*"]\n[variables.topic]\nmultiple = true\n'
        '[[variables.topic.values]]\ncode = "banjir"\nkeywords = ["banjir"]\n',
        encoding="utf-8")
    out = lines(run("text", "function", "--project", str(project.root),
                    input="nonton debatnya\n", cwd=tmp_path))
    assert out[0]["label"] == "DEBAT"
    result = run("text", "function", "--project", str(tmp_path / "none"), input="x\n",
                 cwd=tmp_path)
    assert result.exit_code == 1 and "pantau.toml" in result.output


def test_normalize_task(tmp_path):
    pytest.importorskip("pantau.text.normalize")
    out = lines(run("text", "normalize", input="gk bgttt yg ngerti\n\n", cwd=tmp_path))
    assert len(out) == 2
    assert out[0]["label"].startswith("tidak") and "yang" in out[0]["label"]
    assert out[0]["scores"]["slang_density"] > 0.5 and "yg" in out[0]["evidence"]
    assert out[1]["label"] == ""
