"""Task name -> classifier, the one place enrich, `pantau text` and `pantau models` get models from.

    from pantau.models import registry
    model = registry.load("sentiment", project)   # project: Project, folder Path, or None

A project-local replacement wins over the shipped model: PROJECT/models/TASK.joblib (from
`pantau models train`; VERSION "local-" + a hash of the file, so replacing it makes enrich
relabel) or PROJECT/models/coding-SCHEME.joblib (learnt from the coders in the web app,
pantau.models.learn); the newer file wins when both exist. Shipped models are imported lazily, so
a task whose module is missing raises ModelUnavailable (a LookupError) and the rest keep working.

Tasks and what they label (schemes in docs/DEVELOPING.md):
    lang -> lang · sentiment -> sentiment · question -> question · toxicity -> toxicity (+ sara)
    category -> comment_category · function -> post_function · topic -> topic (one row per topic)
    normalize -> slang_density
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .base import Classifier, Prediction
from .rows import ANY, ONE, RowBuilder, sara_rows, score_rows, topic_rows

SENTIMENT_LABELS = ("positive", "negative", "neutral")
CATEGORY_LABELS = ("dukungan", "kritik", "pertanyaan", "aspirasi", "serangan", "salinan", "spam",
                   "netral")
FUNCTION_LABELS = tuple(f"P{i}" for i in range(1, 10))


class ModelUnavailable(LookupError):
    """The task is known but its model cannot be loaded here (module missing, broken file)."""


@dataclass(frozen=True)
class Task:
    """One text task: what enrich, `pantau text` and `pantau models` need to know about it.
    enrich reads these declarations and never branches on a task's name."""

    name: str  # on the command line
    model_name: str  # NAME of the classifier, in label sources model:NAME@VERSION
    schemes: tuple[str, ...]  # label schemes it writes (the first is its main one)
    targets: tuple[str, ...]  # post / comment
    loaders: tuple[tuple[str, str], ...]  # (module, function) tried in order
    labels: tuple[str, ...] | None  # the values a user's training data may hold (None: any)
    trainable: bool = True
    description: str = ""
    # ONE: exactly one row per item in the main scheme (that row also says the item was
    # seen); ANY: zero or more rows per item, built by build_rows
    rows: str = ONE
    evidence: bool = False  # ONE rows carry the prediction's evidence
    extra_rows: RowBuilder | None = None  # ONE tasks: rows in their other schemes
    build_rows: RowBuilder | None = None  # ANY tasks: all their rows
    # tasks whose predictions for the same items the model reuses instead of running them
    # again: the model holds those models as attributes of the same names (question.toxicity)
    consumes: tuple[str, ...] = ()
    # what predict() reads besides the text: "authors" and DUPLICATE_GROUP (copy-paste groups
    # over the whole corpus, computed by enrich first). A task reading the text alone gets
    # each distinct text of a batch once.
    inputs: tuple[str, ...] = ()
    enrich: bool = True  # part of enrich's default tasks
    card: str = ""  # its model card: models/cards/CARD.md (default: the task's name)

    @property
    def text_only(self) -> bool:
        return not self.inputs


# The copy-paste groups over all comments: computed by enrich before the tasks (they are an
# input of the category task), written as scheme DUPLICATE_GROUP; not a per-text model.
DUPLICATE_GROUP = "duplicate_group"

TASKS: dict[str, Task] = {t.name: t for t in (
    Task("lang", "lang", ("lang",), ("post", "comment"),
         (("pantau.models.registry", "_load_lang"),), ("id", "en", "other"), False,
         "language: id, en, other (cue words, then py3langid)", card="text_basics"),
    Task("sentiment", "sentiment", ("sentiment",), ("comment", "post"),
         (("pantau.models.sentiment", "load"),), SENTIMENT_LABELS, True,
         "positive / negative / neutral with probabilities"),
    Task("question", "question", ("question",), ("comment",),
         (("pantau.models.question", "load"),),
         ("question", "request", "rhetorical", "not_question"), True,
         "question / request / rhetorical / not_question: what a comment asks of the candidate",
         evidence=True, consumes=("toxicity",)),
    Task("toxicity", "toxicity", ("toxicity", "sara"), ("comment", "post"),
         (("pantau.models.toxicity", "load"),), ("none", "abusive", "hate"), True,
         "none / abusive / hate, with SARA targets", evidence=True, extra_rows=sara_rows),
    Task("category", "comment_category", ("comment_category",), ("comment",),
         (("pantau.models.category", "load"),), CATEGORY_LABELS, True,
         "comment category (dukungan, kritik, pertanyaan, ...)", evidence=True,
         consumes=("toxicity", "question", "sentiment"), inputs=("authors", DUPLICATE_GROUP)),
    Task("function", "post_function", ("post_function",), ("post",),
         (("pantau.models.function", "load"), ("pantau.models.codebook", "load_function")),
         FUNCTION_LABELS, True,
         "post function P1-P9 (codebook)", evidence=True),
    Task("topic", "topic", ("topic",), ("post", "comment"),
         (("pantau.models.topic", "load"), ("pantau.models.codebook", "load_topic")),
         None, True,
         "issue topics (codebook), one row per topic", rows=ANY,
         build_rows=topic_rows),
    Task("flags", "post_flags", ("post_flags",), ("post",),
         (("pantau.models.codebook", "load_flags"),), None, False,
         "review flags (codebook post_flags: money_or_goods, children, ...), one row per flag "
         "found; the compliance rules read them", rows=ANY, build_rows=topic_rows),
    Task("normalize", "normalize", ("slang_density",), ("post",),
         (("pantau.models.registry", "_load_normalize"),), None, False,
         "normalised text; score = share of informal words", rows=ANY,
         build_rows=score_rows),
)}

DEFAULT_TASKS = tuple(name for name, t in TASKS.items() if t.enrich)


def run_order(names: Sequence[str]) -> list[str]:
    """The tasks in an order where every task comes after the ones it consumes (otherwise as
    given), so that their predictions are there to reuse."""
    wanted = set(names)
    out: list[str] = []

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in out:
            return
        if name in path:
            raise ValueError(f"tasks consume each other in a circle: {' -> '.join(path)}")
        for needed in TASKS[name].consumes if name in TASKS else ():
            if needed in wanted:
                visit(needed, (*path, name))
        out.append(name)

    for name in names:
        visit(name, ())
    return out


LOCAL_FOLDER = "models"


def card_path(name: str) -> Path | None:
    """The model card of the task whose model or schemes go by `name` (as in a label source
    model:NAME@VERSION; duplicate_group: the task reading it), if the card exists."""
    from importlib import resources

    for spec in TASKS.values():
        if name in (spec.name, spec.model_name, *spec.schemes) or \
                (name == DUPLICATE_GROUP and DUPLICATE_GROUP in spec.inputs):
            card = resources.files("pantau.models").joinpath("cards",
                                                             f"{spec.card or spec.name}.md")
            return Path(str(card)) if card.is_file() else None
    return None


def task(name: str) -> Task:
    try:
        return TASKS[name.strip().lower()]
    except KeyError:
        raise LookupError(f"unknown task {name!r}; tasks: {', '.join(TASKS)}") from None


def project_root(project: Any) -> Path | None:
    """A folder from a Project, a path, or None."""
    if project is None:
        return None
    if isinstance(project, str | Path):
        return Path(project)
    root = getattr(project, "root", None)
    return Path(root) if root is not None else None


def local_model_path(task_name: str, project: Any) -> Path | None:
    """Where `pantau models train` saves the project's model for a task."""
    root = project_root(project)
    if root is None:
        return None
    return root / LOCAL_FOLDER / f"{task(task_name).name}.joblib"


def coding_model_path(task_name: str, project: Any) -> Path | None:
    """Where the web app's "learn from the coders" saves a model for the task's scheme
    (pantau.models.learn: models/coding-SCHEME.joblib)."""
    root = project_root(project)
    if root is None:
        return None
    return root / LOCAL_FOLDER / f"coding-{task(task_name).schemes[0]}.joblib"


def project_model_path(task_name: str, project: Any) -> Path | None:
    """The project's own model in force for a task, if any: the newer of the two files."""
    found = [p for p in (local_model_path(task_name, project),
                         coding_model_path(task_name, project)) if p is not None and p.is_file()]
    return max(found, key=lambda p: p.stat().st_mtime_ns) if found else None


_LOCAL_CACHE: dict[tuple[str, int], Any] = {}


def load(name: str, project: Any = None) -> Classifier:
    """The classifier for a task: the project's own (models/TASK.joblib) if present, else the
    shipped one. Raises LookupError for an unknown task, ModelUnavailable if it cannot load."""
    spec = task(name)
    local = project_model_path(spec.name, project)
    if local is not None:
        return _load_local(spec, local)
    errors = []
    for module_name, function in spec.loaders:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and module_name.startswith(exc.name):
                errors.append(f"{module_name} is not installed")
                continue
            raise
        loader = getattr(module, function, None)
        if loader is None:
            errors.append(f"{module_name}.{function} does not exist")
            continue
        return _call_loader(loader, project)
    raise ModelUnavailable(f"no model for task {spec.name!r}: {'; '.join(errors)}")


def _call_loader(loader: Callable, project: Any) -> Classifier:
    try:
        takes_project = bool(inspect.signature(loader).parameters)
    except (TypeError, ValueError):
        takes_project = False
    if takes_project:
        return loader(project_root(project) if project is not None else None)
    return loader()


def _load_local(spec: Task, path: Path) -> Classifier:
    from .linear import LinearTextModel, file_digest

    key = (str(path.resolve()), path.stat().st_mtime_ns)
    if key not in _LOCAL_CACHE:
        try:
            if path.name.startswith("coding-"):  # trained from the coders in the web app
                from .learn import load_coding_model

                model = load_coding_model(path)
            else:
                model = LinearTextModel.load(path, name=spec.model_name,
                                             version=f"local-{file_digest(path)}")
        except Exception as exc:  # noqa: BLE001 - a damaged user file: say which
            raise ModelUnavailable(f"cannot read the project model {path}: {exc}") from None
        _LOCAL_CACHE[key] = model
    return _LOCAL_CACHE[key]


def available() -> dict[str, str | None]:
    """task -> None when its model loads, else why not (for `pantau models list`)."""
    out: dict[str, str | None] = {}
    for name in TASKS:
        try:
            load(name)
            out[name] = None
        except Exception as exc:  # noqa: BLE001
            out[name] = str(exc)
    return out


# -- models that wrap pantau.text ---------------------------------------------------------------
def _text_data_digest() -> str:
    """A hash of pantau.text's lexicons: editing them changes lang and normalize output.
    (The number before it changes with the code: bump it when the rules change.)"""
    import hashlib
    from importlib import resources

    h = hashlib.sha256()
    folder = resources.files("pantau.text").joinpath("data")
    for name in ("lexicon_id.tsv", "lexicon_stif.tsv", "lexicon_indocollex.tsv"):
        h.update(folder.joinpath(name).read_bytes())
    return h.hexdigest()[:8]


class LanguageModel:
    """`lang`: id / en / other (pantau.text.langid)."""

    NAME = "lang"
    LABELS = ("id", "en", "other")

    def __init__(self) -> None:
        self.VERSION = "2." + _text_data_digest()

    def predict(self, texts: Sequence[str | None]) -> list[Prediction]:
        from ..text.langid import detect_many

        return [Prediction(lang, {lang: round(score, 4)}) for lang, score in detect_many(texts)]

    def warm(self) -> None:
        """Load the cue words and py3langid's model now (before worker processes fork, so
        that they share one copy instead of each loading its own)."""
        from ..text.langid import warm

        warm()


class SlangModel:
    """`normalize`: label = the normalised text; scores = {"slang_density": share of informal
    words}; evidence = the informal words. Enrich stores slang_density (value NULL)."""

    NAME = "normalize"
    LABELS: tuple[str, ...] = ()

    def __init__(self) -> None:
        from ..text.normalize import default

        self.VERSION = "2." + _text_data_digest()
        self.normalizer = default()

    def predict(self, texts: Sequence[str | None]) -> list[Prediction]:
        out = []
        for text in texts:
            share, informal = self.normalizer.informal_share(text)
            out.append(Prediction(self.normalizer.text(text) if text else "",
                                  {} if share is None else {"slang_density": round(share, 4)},
                                  informal))
        return out


def _load_lang() -> LanguageModel:
    return LanguageModel()


def _load_normalize() -> SlangModel:
    return SlangModel()
