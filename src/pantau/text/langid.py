"""Language of a text: id, en or other (the `lang` label scheme).

Short informal comments defeat character n-gram models ("keren banget" comes out Dutch, "gas pol"
Spanish), so cue words decide first: Indonesian function words, informal spellings (the
normaliser's own lexicons) and words ending in -kan/-nya/-lah/-kah; English function words; and
common Javanese/Sundanese words (which count as `other`). Without any cue, a text of mostly
Sastrawi root words is Indonesian. Only then does py3langid (BSD-3, model inside the wheel)
decide, restricted to a few languages; Malay counts as Indonesian, Javanese as other, and a
European language only when py3langid is at least 90% sure (slang like "gas pol" is not
Spanish).

Score: with cue words, (cues for the winner + 1) / (all cues + 2); with py3langid, its
probability over the restricted set. A text with no letters (emoji, numbers) is `other`, score 0.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache

_LETTERS = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_URL = re.compile(r"(?:https?://|www\.)\S+")
_MENTION = re.compile(r"@[\w.]+")

LANGS = ("id", "en", "other")


def _words(block: str) -> frozenset[str]:
    return frozenset(block.split())


# What py3langid may answer, and how that maps onto LANGS.
_LANGID_SET = ("id", "en", "ms", "jv", "ar", "zh", "ja", "ko", "th", "ru", "hi", "fr", "es", "de",
               "nl", "pt", "it")
# A European language must be this sure before short slang without cue words counts as other.
_SURE = 0.9
_LANGID_MAP = {"id": "id", "ms": "id", "en": "en"}
_ID_SUFFIXES = ("kan", "nya", "lah", "kah")
_EUROPEAN = frozenset({"fr", "es", "de", "nl", "pt", "it"})

ID_CUES = _words("""
yang dan di ke dari ini itu tidak ada saya aku kamu kita kami mereka dia untuk dengan pada akan
sudah belum bisa juga saja lagi sekali sangat semoga terima kasih pak bu bapak ibu mas mbak kak
bang adik warga rakyat kota tolong mohon harus mau ingin jangan apa siapa kapan mana kenapa
mengapa bagaimana berapa atau tapi tetapi karena kalau jadi agar supaya masih sama buat oleh
sebagai dalam tersebut adalah merupakan bukan hanya cuma lebih paling baik bagus mantap keren
hebat semangat maju terus sehat selalu amin pilih coblos nomor calon paslon pemilu pilkada wali
gubernur presiden dukung menang janji kerja nyata orang anak sekolah banjir macet sampah harga
murah mahal gratis bantuan pemerintah kampanye debat suara golput bohong benar salah setuju
lanjutkan periode banget nya lah pun para kalian beliau kasihan sabar amanah berkah sukses jaya
selamat pagi siang sore malam hari tahun juta ribu rumah jalan uang pasti cepat lambat sudahlah
tps otw gan gas pol kpu bawaslu dprd capres cawapres cagub cawagub cawalkot
""")
EN_CUES = _words("""
the a an and or but is are was were be been being i you he she it we they me my your his her its
our their this that these those of in on at to for with from by about not yes do does did dont
can will would should could have has had what who when where why how good great love like thank
thanks please best nice so very all just go get make people city vote win god bless congrats
congratulations happy sir keep up job well more much too really amazing beautiful hope wish new
see know think want need time day today here there if then than also only still never always
every some any because after before over out into them him us right wrong true fake news world
country leader election campaign support free let lets our mr mrs miss guys man women men
""")
# Javanese and Sundanese words frequent in comments (they count as `other`).
REGIONAL_CUES = _words("""
ora opo iki kuwi wis karo ning piye ngopo sampeyan panjenengan monggo mboten nggih matur nuwun
sugeng enggal kulo rek cah ojo nuhun hatur pisan urang maneh teu naon kumaha sareng abdi atuh
mangga wilujeng sumuhun henteu
""")


@cache
def _cues() -> dict[str, int]:
    """word -> 0 (Indonesian), 1 (English), 2 (regional). Indonesian cues include informal
    spellings and their standard forms from pantau's own lexicons."""
    from .normalize import _data_path, read_lexicon

    indonesian: set[str] = set(ID_CUES)
    for name in ("lexicon_id.tsv", "lexicon_stif.tsv"):
        for key, value in read_lexicon(_data_path(name)).items():
            indonesian.add(key)
            indonesian.update(value.split())
    cues = {w: 2 for w in REGIONAL_CUES}
    cues.update({w: 1 for w in EN_CUES})
    cues.update({w: 0 for w in indonesian - EN_CUES - REGIONAL_CUES})
    return cues


@cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(_LANGID_SET))
    return identifier


def warm() -> None:
    """Load what detect() loads on first use."""
    _cues()
    _identifier()


def detect(text: str | None) -> tuple[str, float]:
    """(language, score): language is id, en or other."""
    if not text:
        return "other", 0.0
    # Links, mentions and words never span whitespace, so a text's counts are the sums of its
    # whitespace-separated chunks' counts; chunks (mostly single words) repeat, so they are
    # counted once and cached.
    chunks = _CHUNKS
    counts = [0, 0, 0]
    n_words = n_known = 0
    parts = []
    for chunk in text.lower().split():
        info = chunks.get(chunk)
        if info is None:
            info = _chunk(chunk)
        if info[3]:
            counts[0] += info[0]
            counts[1] += info[1]
            counts[2] += info[2]
            n_words += info[3]
            n_known += info[4]
            parts.append(info[5])
    if not n_words:
        return "other", 0.0
    n_id, n_en, n_regional = counts
    total = n_id + n_en + n_regional
    if total:
        best = max(counts)
        if n_id == best and n_id > n_en:
            return "id", (n_id + 1) / (total + 2)
        if n_en == best and n_en > n_id:
            return "en", (n_en + 1) / (total + 2)
        if n_regional == best and n_regional > n_id:
            return "other", (n_regional + 1) / (total + 2)
    elif n_known * 2 >= n_words:  # no cue word: mostly Indonesian dictionary words
        return "id", (n_known + 1) / (n_words + 2)  # ("salut", "penipu") is enough
    ranked = _identifier().rank(" ".join(parts))
    lang, prob = ranked[0]
    if lang in _EUROPEAN and prob < _SURE:
        lang, prob = next((lp for lp in ranked if lp[0] in _LANGID_MAP), ranked[0])
    return _LANGID_MAP.get(lang, "other"), round(float(prob), 4)


_CHUNKS: dict[str, tuple[int, int, int, int, int, str]] = {}
_MAX_CHUNKS = 500_000


def _chunk(chunk: str) -> tuple[int, int, int, int, int, str]:
    """(Indonesian, English, regional cue words, words, Sastrawi root words, the words joined
    by spaces) of one lowercased whitespace-free chunk."""
    from .normalize import root_words

    t = chunk
    if "http" in t or "www." in t:
        t = _URL.sub(" ", t)
    if "@" in t:
        t = _MENTION.sub(" ", t)
    words = _LETTERS.findall(t)
    cues = _cues()
    counts = [0, 0, 0]
    for w in words:
        k = cues.get(w)
        if k is not None:
            counts[k] += 1
        elif len(w) > 5 and w.endswith(_ID_SUFFIXES):  # temukan, rumahnya, pergilah
            counts[0] += 1
    roots = root_words()
    info = (*counts, len(words), sum(w in roots for w in words), " ".join(words))
    if len(_CHUNKS) > _MAX_CHUNKS:
        _CHUNKS.clear()
    _CHUNKS[chunk] = info
    return info  # type: ignore[return-value]


def detect_many(texts: Iterable[str | None]) -> list[tuple[str, float]]:
    """detect() for each text; identical texts are decided once."""
    seen: dict[str | None, tuple[str, float]] = {}
    out = []
    for text in texts:
        hit = seen.get(text)
        if hit is None:
            hit = detect(text)
            if len(seen) < 100_000:
                seen[text] = hit
        out.append(hit)
    return out


def languages(texts: Sequence[str | None]) -> list[str]:
    return [lang for lang, _ in detect_many(texts)]
