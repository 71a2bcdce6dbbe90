"""Post function and topic by weighted evidence (pantau.models.function), and the written
evaluation sets (data/eval), which nothing may train on."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from pantau.errors import ConfigError
from pantau.models import codebook, registry
from pantau.models.function import EvidenceCoder, features, hashtag_words, split_post

REPO = Path(__file__).resolve().parents[2]
EVAL = REPO / "data" / "eval"
TRAIN = REPO / "data" / "train"


@pytest.fixture(scope="module")
def function():
    return registry.load("function")


@pytest.fixture(scope="module")
def topic():
    return registry.load("topic")


def test_registry_loads_the_evidence_coders(function, topic):
    assert isinstance(function, EvidenceCoder) and isinstance(topic, EvidenceCoder)
    assert function.NAME == "post_function" and topic.NAME == "topic"
    assert function.model is not None  # the shipped learned weights


@pytest.mark.parametrize("text, code", [
    ("Infografis program unggulan kami untuk pendidikan 📚 #Coblos2 #BekasiCerdas", "P1"),
    ("Misi ke-2: Mewujudkan tata kelola pemerintahan yang bersih. #Misi2 #CoblosNomor1", "P1"),
    ("Pagi ini blusukan ke Pasar Kranji, ngobrol dengan pedagang sayur #Coblos3", "P2"),
    ("Sabtu pagi masak nasi goreng buat anak-anak di rumah, istri saya juara bumbunya "
     "#Coblos1", "P3"),
    ("27 November datang ke TPS, coblos nomor 2! Ajak keluarga ya #Coblos2", "P4"),
    ("Doa restu dari para kiai dan pengasuh pondok pesantren. Terima kasih atas "
     "kepercayaannya #Coblos3", "P5"),
    ("Sepuluh tahun petahana berkuasa, banjir makin parah. Janji palsu! #Coblos2", "P6"),
    ("Q&A bareng Nurul! Kirim pertanyaanmu di kolom komentar, besok kami jawab lewat live "
     "#Coblos2", "P7"),
    ("Selamat Hari Guru Nasional, terima kasih para guru #Coblos1", "P8"),
    ("ikutan trend joget velocity 😂 maaf kaku wkwk #Coblos3", "P9"),
])
def test_functions(function, text, code):
    p = function.predict([text])[0]
    assert p.label == code, p
    assert any(e.startswith(f"{code}: ") for e in p.evidence)


def test_campaign_hashtags_alone_do_not_make_mobilisation(function):
    """The reported failure: #…coblos… hashtags pushed programme posts to P4."""
    text = ("Program kredit usaha tanpa bunga untuk pedagang kecil, tanpa agunan. "
            "#Coblos2 #Coblos2 #PilihNomor2 #MenangkanNomor2 #CoblosNo2")
    p = function.predict([text])[0]
    assert p.label == "P1", p
    assert any(e.startswith("P4: ") and e.endswith("[hashtags]") for e in p.evidence)


def test_hashtag_weight_is_read_from_the_codebook(tmp_path):
    """With hashtags counting as much as the caption, the same post goes to P4: the weight is
    data, not code."""
    variable = codebook.load(None).get("post_function")
    from dataclasses import replace

    heavy = replace(variable, evidence={**variable.evidence, "hashtags": 1.0, "model": 0})
    text = "Program beasiswa untuk siswa #CoblosNomor2 #PilihNomor2 #AyoCoblos #Coblos2"
    assert EvidenceCoder(heavy).predict([text])[0].label == "P4"
    light = replace(variable, evidence={**variable.evidence, "model": 0})
    assert EvidenceCoder(light).predict([text])[0].label == "P1"


def test_media_text_is_evidence(function):
    caption = "Geser ➡️ #Coblos3"
    media = "PROGRAM UNGGULAN: SERAGAM GRATIS, BEASISWA 5.000 SISWA, INSENTIF GURU HONORER"
    with_media = function.predict([caption], media_texts=[media])[0]
    assert with_media.label == "P1"
    assert any(e.endswith("[media_text]") for e in with_media.evidence)
    assert function.predict([caption])[0].label != "P1"
    with pytest.raises(ValueError):
        function.predict(["a", "b"], media_texts=["x"])


def test_default_when_there_is_too_little_evidence(function):
    variable = codebook.load(None).get("post_function")
    from dataclasses import replace

    coder = EvidenceCoder(replace(variable, evidence={**variable.evidence, "model": 0}))
    p = coder.predict(["..."])[0]
    assert p.label == variable.default and "default: too little evidence" in p.evidence


@pytest.mark.parametrize("text", [
    "Ayo datang ke TPS 27 November, coblos nomor urut 2!",
    "Saksi TPS kumpul di posko jam 6 pagi, kawal suara sampai C1",
    "Cek DPT kamu dan lokasi TPS di situs KPU",
])
def test_election_mechanics_are_not_topics(topic, text):
    p = topic.predict([text])[0]
    assert p.label == "none" and p.targets == [], p


def test_waste_still_found_with_tps_phrases(topic):
    p = topic.predict(["TPS liar di pinggir jalan penuh sampah, truk sampah jarang datang"])[0]
    assert "sampah" in p.targets


def test_a_weak_word_alone_is_no_topic(topic):
    assert topic.predict(["jalan sehat bareng warga pagi ini"])[0].targets == []
    assert "infrastruktur" in topic.predict(["jalan rusak dan berlubang di desa kami"])[0].targets


def test_election_mechanics_word_as_topic_cue_is_refused():
    import tomllib

    shipped = codebook.SHIPPED.read_text(encoding="utf-8")
    edited = shipped.replace('keywords = [\n  "sampah", "tpa",',
                             'keywords = [\n  "sampah", "tps",', 1)
    assert edited != shipped
    book = codebook.parse(tomllib.loads(edited), Path("codebook.toml"))
    with pytest.raises(ConfigError, match="'tps' is listed in not_evidence"):
        EvidenceCoder(book.get("topic"))


def test_unknown_evidence_setting_is_refused():
    variable = codebook.load(None).get("post_function")
    from dataclasses import replace

    with pytest.raises(ConfigError, match="unknown key 'hashtag'"):
        EvidenceCoder(replace(variable, evidence={"hashtag": 0.2}))


def test_parts_of_a_post():
    caption, tags = split_post("Program #BekasiBebasBanjir dari @kpu https://x.co/a #coblos2")
    assert tags == ["BekasiBebasBanjir", "coblos2"]
    assert "#" not in caption and "@" not in caption and "http" not in caption
    assert hashtag_words("BekasiBebasBanjir") == "bekasi bebas banjir"
    assert hashtag_words("CoblosNo2") == "coblos no 2"
    assert "#banjir" in features("Program air #BebasBanjir", "INFOGRAFIS")
    assert "m:infografis" in features("Program air #BebasBanjir", "INFOGRAFIS")


def test_a_new_learned_model_or_codebook_changes_the_version(function):
    variable = codebook.load(None).get("post_function")
    from dataclasses import replace

    keywords_only = EvidenceCoder(replace(variable, evidence={**variable.evidence, "model": 0}))
    assert keywords_only.VERSION != function.VERSION
    assert keywords_only.model is None


# -- the written sets -------------------------------------------------------------------------
def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_post_evaluation_set_is_large_and_covers_every_function_and_topic():
    rows = _jsonl(EVAL / "post_function.jsonl")
    assert len(rows) >= 600
    assert len({r["id"] for r in rows}) == len(rows)
    assert len({r["text"] for r in rows}) == len(rows)
    counts = {code: sum(r["function"] == code for r in rows) for code in
              codebook.load(None).get("post_function").codes}
    assert min(counts.values()) >= 50, counts
    topics = set(codebook.load(None).get("topic").codes)
    found = {t for r in rows for t in r["topics"]}
    assert found <= topics and len(found) == len(topics)
    assert sum(bool(r["media_text"]) for r in rows) >= 20


def test_training_posts_are_separate_from_the_evaluation_posts():
    evaluation = {r["text"] for r in _jsonl(EVAL / "post_function.jsonl")}
    training = {r["text"] for r in _jsonl(TRAIN / "post_function_train.jsonl")}
    assert training and not (training & evaluation)


def test_no_training_code_reads_the_evaluation_sets():
    """data/eval is a TEST set: only benchmarks and tests may name it."""
    names = ("post_function.jsonl", "comment_category.csv")
    offenders = []
    for folder in ("src", "scripts"):
        for path in (REPO / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8").replace("post_function_train.jsonl", "")
            if any(name in text for name in names):
                offenders.append(str(path.relative_to(REPO)))
    assert offenders == []
    from importlib import util

    spec = util.spec_from_file_location("train_pf", REPO / "scripts" / "train_post_function.py")
    module = util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with pytest.raises(SystemExit, match="never trained on"):
        module.read(EVAL / "post_function.jsonl")


def test_comment_evaluation_set_has_authors_times_and_every_category():
    from pantau.models.category import LABELS
    from pantau.text.duplicates import as_seconds

    with (EVAL / "comment_category.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) >= 300
    assert {r["category"] for r in rows} == set(LABELS)
    assert all(r["author"] and as_seconds(r["created_at"]) is not None for r in rows)
