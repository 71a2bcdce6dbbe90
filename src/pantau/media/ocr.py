"""Text in images: Tesseract (through tesserocr, its C-API binding) tuned for social-media graphics.

Why tesserocr rather than pytesseract: it keeps one Tesseract instance with the Indonesian and
English models loaded and reads a Pillow image in-process, instead of starting a process and
writing a temporary file per image (about 0.15 s saved per image, the difference between 3
and 5+ images/s on two cores).

Pre-processing for campaign graphics:
- scale so text is large enough (images under 1,000 px are doubled) and not needlessly large
  (over 2,200 px are reduced);
- read the grey image first (Tesseract binarises it with Otsu and tries inverted lines itself,
  which handles light-on-dark boxes);
- only when that reading is weak (low confidence or little text), read the colour channel with
  the most contrast as well — text on coloured boxes whose grey levels are close to the box's
  (red on blue, yellow on white) survives in one channel — and keep the stronger reading.
Lines Tesseract is unsure of (confidence under MIN_LINE_CONFIDENCE) are dropped: on photos they
are texture read as letters.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from PIL import Image, ImageOps

from ..errors import PantauError

VERSION = "1"  # bump when pre-processing or thresholds change: media is read again
LANGS = "ind+eng"
MIN_LINE_CONFIDENCE = 55.0
WEAK_READING = 75.0  # mean confidence under which the colour-channel reading is tried too
TESSDATA_FOLDERS = (
    "/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata", "/usr/local/share/tessdata", "/opt/homebrew/share/tessdata",
)


class OcrUnavailable(PantauError):
    """Tesseract or its language data is missing."""


@dataclass
class OcrLine:
    text: str
    confidence: float  # 0–100, Tesseract's
    box: tuple[int, int, int, int]  # left, top, right, bottom in the original image


@dataclass
class OcrResult:
    lines: list[OcrLine] = field(default_factory=list)
    width: int = 0
    height: int = 0

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def confidence(self) -> float | None:
        """Mean line confidence weighted by characters, 0–1; None when nothing was read."""
        chars = sum(len(line.text) for line in self.lines)
        if not chars:
            return None
        return sum(line.confidence * len(line.text) for line in self.lines) / chars / 100

    @property
    def text_area(self) -> float:
        """Share of the image covered by the boxes of the lines read."""
        if not self.width or not self.height:
            return 0.0
        area = sum(max(0, r - left) * max(0, b - t) for left, t, r, b in
                   (line.box for line in self.lines))
        return min(1.0, area / (self.width * self.height))

    def _strength(self) -> float:
        return sum(line.confidence * len(line.text) for line in self.lines)


def tessdata_folder() -> str:
    """Where the Indonesian and English models are (TESSDATA_PREFIX wins)."""
    candidates = [os.environ.get("TESSDATA_PREFIX", ""), *TESSDATA_FOLDERS]
    for folder in candidates:
        if folder and all((Path(folder) / f"{lang}.traineddata").is_file()
                          for lang in LANGS.split("+")):
            return folder
    raise OcrUnavailable(
        "Tesseract language data for Indonesian and English was not found",
        hint="install it: apt-get install tesseract-ocr tesseract-ocr-ind tesseract-ocr-eng "
             "(or set TESSDATA_PREFIX to the folder holding ind.traineddata)")


class OcrEngine:
    """One loaded Tesseract; not thread-safe (use one per process)."""

    def __init__(self) -> None:
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # processes, not threads, share cores
        try:
            import tesserocr
        except ImportError as exc:  # pragma: no cover - a dependency of pantau
            raise OcrUnavailable("the tesserocr package is missing",
                                 hint="pip install tesserocr") from exc
        self._tesserocr = tesserocr
        self._api = tesserocr.PyTessBaseAPI(path=tessdata_folder(), lang=LANGS,
                                            psm=tesserocr.PSM.AUTO,
                                            oem=tesserocr.OEM.LSTM_ONLY)
        self._api.SetVariable("debug_file", os.devnull)  # Tesseract's own chatter

    def close(self) -> None:
        self._api.End()

    def read(self, image: Image.Image) -> OcrResult:
        image = ImageOps.exif_transpose(image).convert("RGB")
        scale = _scale_for(image)
        work = image if scale == 1 else image.resize(
            (round(image.width * scale), round(image.height * scale)), Image.Resampling.BICUBIC)
        result = self._read_grey(work.convert("L"), scale, image.size)
        if (result.confidence or 0) * 100 < WEAK_READING or len(result.text) < 20:
            second = self._read_grey(_best_channel(work), scale, image.size)
            if second._strength() > result._strength():
                result = second
        return result

    def read_file(self, path: Path) -> OcrResult:
        with Image.open(path) as image:
            return self.read(image)

    def _read_grey(self, grey: Image.Image, scale: float, size: tuple[int, int]) -> OcrResult:
        tesserocr = self._tesserocr
        api = self._api
        api.SetImage(grey)
        api.Recognize()
        level = tesserocr.RIL.TEXTLINE
        lines: list[OcrLine] = []
        iterator = api.GetIterator()
        if iterator is not None:
            for item in tesserocr.iterate_level(iterator, level):
                try:
                    text = (item.GetUTF8Text(level) or "").strip()
                except RuntimeError:  # an empty line: Tesseract says "No text returned"
                    continue
                confidence = item.Confidence(level)
                box = item.BoundingBox(level)
                if not text or confidence < MIN_LINE_CONFIDENCE or box is None:
                    continue
                if not any(ch.isalnum() for ch in text):
                    continue
                lines.append(OcrLine(" ".join(text.split()), confidence,
                                     tuple(round(v / scale) for v in box)))  # type: ignore[arg-type]
        api.Clear()
        return OcrResult(lines, *size)


def quiet_stderr() -> None:
    """Send this process's C-level stderr to /dev/null: Leptonica prints messages such as
    "Error in boxClipToRectangle" for harmless edge cases. For worker processes only."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)


def _scale_for(image: Image.Image) -> float:
    long_side = max(image.size)
    if long_side < 1000:
        return 2.0
    if long_side > 2200:
        return 2000 / long_side
    return 1.0


def _best_channel(image: Image.Image) -> Image.Image:
    """The colour channel with the widest spread of values (the most text/box contrast)."""
    channels = image.split()
    spreads = []
    for channel in channels:
        histogram = channel.histogram()
        total = sum(histogram)
        mean = sum(i * n for i, n in enumerate(histogram)) / total
        spreads.append(sum(n * (i - mean) ** 2 for i, n in enumerate(histogram)) / total)
    return channels[spreads.index(max(spreads))]


@cache
def engine() -> OcrEngine:
    """This process's engine (loaded once; worker processes each load their own)."""
    return OcrEngine()


def available() -> str | None:
    """None when OCR can run here, else why not (for status messages and test skips)."""
    try:
        import tesserocr  # noqa: F401

        tessdata_folder()
    except (ImportError, OcrUnavailable) as exc:
        return str(exc)
    return None
