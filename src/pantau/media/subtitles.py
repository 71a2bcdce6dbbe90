"""Subtitle and caption files (.vtt, .srt): yt-dlp's manual and automatic subtitles, TikTok's
captions, any file a user keeps beside a video.

Parsing is webvtt-py's (it reads both WebVTT and SubRip). Automatic captions repeat themselves:
YouTube's roll each line up through two or three cues and add word-timing tags, so a line that
was already emitted among the last few is not emitted again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import PantauError

SUFFIXES = (".vtt", ".srt")
_RECENT = 4  # a rolled-up line reappears within the next few cues


@dataclass(frozen=True)
class Cue:
    start_s: float
    end_s: float
    text: str


def read_subtitles(path: Path) -> list[Cue]:
    """The distinct lines of a subtitle file, in order, with the time each first appears."""
    import webvtt
    from webvtt.errors import MalformedFileError

    suffix = path.suffix.lower()
    try:
        captions = webvtt.from_srt(str(path)) if suffix == ".srt" else webvtt.read(str(path))
    except (MalformedFileError, UnicodeDecodeError, ValueError) as exc:
        raise PantauError(f"{path}: not a readable {suffix} subtitle file ({exc})",
                          hint="open it in a text editor; yt-dlp writes .vtt with "
                               "--write-subs") from None
    cues: list[Cue] = []
    recent: list[str] = []
    for caption in captions:
        start, end = _seconds(caption.start), _seconds(caption.end)
        for line in caption.text.splitlines():
            text = " ".join(line.split())
            key = text.casefold()
            if not text or key in recent:
                continue
            recent = [*recent[-(_RECENT - 1):], key]
            cues.append(Cue(start, end, text))
    return cues


def subtitle_language(path: Path) -> str | None:
    """yt-dlp names subtitle files STEM.LANG.vtt (e.g. `… [id].id.vtt`, `.en-orig.vtt`)."""
    parts = path.name.split(".")
    if len(parts) >= 3 and 1 < len(parts[-2]) <= 12:
        return parts[-2]
    return None


def _seconds(stamp: str) -> float:
    parts = stamp.replace(",", ".").split(":")
    total = 0.0
    for part in parts:
        total = total * 60 + float(part)
    return round(total, 3)
