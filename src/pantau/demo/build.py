"""Building the demo project end to end: files, then the same pipeline a user runs.

    generate corpus -> write exports/ -> pantau.toml + README.txt -> import (ingest.import_paths,
    exactly as `pantau import`) -> enrich -> analyze -> report.html

When enrich, analyze or report fails, the step is recorded as failed with the reason and the
demo goes on (with raise_errors, the error is raised).
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import PantauError
from ..project import CONFIG_NAME, Project, load_config
from . import scenario as sc
from .campaigns import TRUTH_NAME
from .corpus import Corpus, generate
from .media import MEDIA_FOLDER, write_media
from .project_files import pantau_toml, readme
from .writers import WrittenFile, write_exports

PIPELINE = ("import", "media", "enrich", "analyze", "report")
README_NAME = "README.txt"
REPORT_NAME = "report.html"

StageFn = Callable[[str], None]


@dataclass
class Step:
    name: str
    status: str  # done | failed
    message: str = ""
    seconds: float = 0.0


@dataclass
class DemoResult:
    root: Path
    seed: int
    size: str
    files: list[WrittenFile]
    corpus_posts: int
    corpus_comments: int
    imports: list[Any] = field(default_factory=list)  # ingest.FileSummary
    steps: list[Step] = field(default_factory=list)
    report: Path | None = None
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "root": str(self.root), "seed": self.seed, "size": self.size,
            "synthetic": True, "election": sc.ELECTION_NAME,
            "files": [{"path": f.path.resolve().relative_to(self.root).as_posix(),
                       "platform": f.platform,
                       "format": f.format, "records": f.records, "bytes": f.size}
                      for f in self.files],
            "corpus": {"posts": self.corpus_posts, "comments": self.corpus_comments},
            "imports": [s.as_dict() for s in self.imports],
            "steps": [s.__dict__ for s in self.steps],
            "report": str(self.report) if self.report else None,
            "seconds": round(self.seconds, 2),
        }


def is_demo_folder(root: Path) -> bool:
    for name in (CONFIG_NAME, README_NAME):
        path = root / name
        try:
            if path.is_file() and sc.SYNTHETIC_MARKER in path.read_text("utf-8", "replace"):
                return True
        except OSError:
            continue
    return False


def prepare_folder(root: Path, *, force: bool) -> None:
    if root.exists() and not root.is_dir():
        raise PantauError(f"{root} exists and is not a folder", "choose another --out DIR")
    if root.exists() and any(root.iterdir()):
        if not force:
            raise PantauError(
                f"{root} already exists and is not empty",
                "open it with `pantau status --project " + str(root) + "`, pass --force to "
                "rebuild the demo there, or choose another folder with --out DIR")
        if not is_demo_folder(root):
            raise PantauError(
                f"{root} is not a pantau demo folder; --force only replaces a demo",
                "choose another folder with --out DIR")
        for child in sorted(root.iterdir()):
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
    root.mkdir(parents=True, exist_ok=True)


def write_files(root: Path, corpus: Corpus) -> list[WrittenFile]:
    """pantau.toml, exports/ and README.txt; byte-identical for the same seed and size."""
    config = root / CONFIG_NAME
    config.write_text(pantau_toml(corpus.seed, corpus.size), encoding="utf-8", newline="\n")
    load_config(config)  # what we write must validate
    files = write_exports(corpus, root / "exports")
    write_media(corpus, root / "exports")
    (root / README_NAME).write_text(readme(corpus.seed, corpus.size, files), encoding="utf-8",
                                    newline="\n")
    # what was planted, for scoring coordination detection (not imported: not platform data)
    (root / TRUTH_NAME).write_text(
        json.dumps({"synthetic": sc.SYNTHETIC_MARKER, "seed": corpus.seed, "size": corpus.size,
                    "groups": [g.as_dict() for g in corpus.planted]}, indent=1,
                   ensure_ascii=False) + "\n", encoding="utf-8", newline="\n")
    return files


def build_demo(
    root: Path,
    *,
    seed: int = 7,
    size: str = "small",
    lang: str = "id",
    force: bool = False,
    scale: float = 1.0,
    steps: tuple[str, ...] = PIPELINE,
    on_stage: StageFn | None = None,
    on_file_start: Callable[..., Any] | None = None,
    raise_errors: bool = False,
) -> DemoResult:
    """Write the demo folder and run the pipeline over it. `scale` < 1 makes a smaller corpus
    (tests); `steps` picks which of import, enrich, analyze, report run (() writes the files
    only); `raise_errors` re-raises a failing optional step instead of recording it (--debug).
    """
    unknown = [s for s in steps if s not in PIPELINE]
    if unknown:
        raise ValueError(f"unknown demo steps {unknown} (known: {PIPELINE})")
    if size not in sc.SIZES:
        raise PantauError(f"unknown size {size!r}", f"use one of: {', '.join(sc.SIZES)}")
    started = time.perf_counter()
    stage = on_stage or (lambda _name: None)
    prepare_folder(root, force=force)
    stage("Generating the synthetic corpus")
    t0 = time.perf_counter()
    corpus = generate(seed, size, scale)
    stage("Writing export files")
    files = write_files(root, corpus)
    result = DemoResult(root.resolve(), seed, size, files, len(corpus.posts),
                        corpus.comment_count())
    result.steps.append(Step("generate", "done", f"{len(files)} files",
                             time.perf_counter() - t0))
    project = Project(root)
    if "import" in steps:
        _import(result, root, stage, on_file_start)
    if "media" in steps:
        _optional(result, "media", stage, "Reading media text (OCR, subtitles)", raise_errors,
                  lambda: _media(project, root / "exports" / MEDIA_FOLDER))
    if "enrich" in steps:
        _optional(result, "enrich", stage, "Labelling text (enrich)", raise_errors,
                  lambda: _enrich(project, stage))
    if "analyze" in steps:
        _optional(result, "analyze", stage, "Running analyses", raise_errors,
                  lambda: _analyze(project, stage))
    if "report" in steps:
        _optional(result, "report", stage, "Writing the report", raise_errors,
                  lambda: _report(project, root / REPORT_NAME, lang, result))
    result.seconds = time.perf_counter() - started
    return result


def _import(result: DemoResult, root: Path, stage: StageFn,
            on_file_start: Callable[..., Any] | None) -> None:
    from ..ingest import import_paths

    stage("Importing the exports")
    t0 = time.perf_counter()
    project = Project(root)
    con = project.connect()
    try:
        result.imports = import_paths(con, project.config, [str(root / "exports")],
                                      raw_dir=root / "raw", on_file_start=on_file_start)
    finally:
        con.close()
    refused = [s for s in result.imports if s.status in ("refused", "failed")]
    rejected = sum(s.rejected for s in result.imports)
    message = f"{len(result.imports)} files, {rejected} rejected"
    if refused:
        message += f"; {len(refused)} refused (format module missing?)"
    result.steps.append(Step("import", "done", message, time.perf_counter() - t0))


def _optional(result: DemoResult, name: str, stage: StageFn, label: str, raise_errors: bool,
              run: Callable[[], str]) -> None:
    stage(label)
    t0 = time.perf_counter()
    try:
        message = run()
    except Exception as exc:  # a later step must not sink the demo
        if raise_errors:
            raise
        result.steps.append(Step(name, "failed", f"{type(exc).__name__}: {exc}",
                                 time.perf_counter() - t0))
        return
    result.steps.append(Step(name, "done", message or "", time.perf_counter() - t0))


def _relay(stage: StageFn, prefix: str) -> Callable[..., None]:
    """A progress callback that accepts whatever a step reports (a name, counts, ...)."""

    def progress(*args: Any, **kwargs: Any) -> None:
        if args and isinstance(args[0], str):
            stage(f"{prefix}: {args[0]}")

    return progress


def _media(project: Project, folder: Path) -> str:
    from ..media import library

    added = library.add(project, [folder])
    read = library.read(project)
    skipped = "; ".join(f"{kind}: {why}" for kind, why in read.skipped.items())
    return (f"{added.linked} media files linked, {read.texts} lines of text read"
            + (f" (skipped {skipped})" if skipped else ""))


def _enrich(project: Project, stage: StageFn) -> str:
    from .. import enrich

    result = enrich.enrich(project, progress=_relay(stage, "Labelling text"))
    items = result.items
    return (f"{items.get('comment', 0):,} comments and {items.get('post', 0):,} posts labelled "
            f"in {result.seconds:.1f}s")


def _analyze(project: Project, stage: StageFn) -> str:
    from .. import analysis

    summary = analysis.run_all(project, progress=_relay(stage, "Running analyses"))
    if isinstance(summary, dict) and "tables" in summary:
        return f"{len(summary['tables'])} analysis tables"
    return _describe(summary)


def _report(project: Project, out: Path, lang: str, result: DemoResult) -> str:
    from .. import report

    report.write_report(project, out, lang=lang, figures_dir=None)
    result.report = out.resolve()
    return str(out.name)


def _describe(summary: Any) -> str:
    if isinstance(summary, dict):
        parts = [f"{k}={v}" for k, v in summary.items() if isinstance(v, (int, float, str))]
        return ", ".join(parts[:4])
    return ""
