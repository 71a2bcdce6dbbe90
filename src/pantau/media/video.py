"""Text shown in a video: keyframes from ffmpeg (scene changes, and at least one every few
seconds because on-screen text often changes without a cut), OCR per frame, repeated lines
merged (the same caption stays on screen across many frames).

ffmpeg is Debian's `ffmpeg` (or any on PATH); without it video text is skipped with a message,
never silently. Speech is not transcribed: SPEECH_TO_TEXT is the place a local model would plug
in (nothing is downloaded).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from rapidfuzz import fuzz

from ..errors import PantauError

SCENE_THRESHOLD = 0.25  # ffmpeg scene score: a new shot
EVERY_SECONDS = 2.0  # at least one frame this often (text overlays change without a cut)
MAX_FRAMES = 60
SAME_LINE = 85  # rapidfuzz ratio at which two OCR lines are one caption read twice
SPEECH_TO_TEXT = None  # a callable(path) -> list[(start_s, end_s, text)] when one is installed
_PTS = re.compile(r"pts_time:([0-9.]+)")


class VideoUnavailable(PantauError):
    """ffmpeg is not installed."""


@dataclass(frozen=True)
class FrameText:
    time_s: float
    text: str
    confidence: float  # 0–1


def ffmpeg() -> str:
    path = shutil.which("ffmpeg")
    if path is None:
        raise VideoUnavailable("ffmpeg was not found: video text is not read",
                               hint="install it: apt-get install ffmpeg")
    return path


def probe(path: Path) -> dict:
    """Duration (s), width and height of a video, from ffprobe (empty when unknown)."""
    ffprobe = shutil.which("ffprobe")
    if ffprobe is None:
        return {}
    out = subprocess.run([ffprobe, "-v", "error", "-select_streams", "v:0", "-show_entries",
                          "format=duration:stream=width,height", "-of", "json", str(path)],
                         capture_output=True, text=True, check=False)
    try:
        data = json.loads(out.stdout or "{}")
    except json.JSONDecodeError:
        return {}
    stream = (data.get("streams") or [{}])[0]
    duration = (data.get("format") or {}).get("duration")
    return {"width": stream.get("width"), "height": stream.get("height"),
            "duration_s": float(duration) if duration else None}


def keyframes(path: Path, *, max_frames: int = MAX_FRAMES) -> list[tuple[float, Image.Image]]:
    """(time in s, frame) at scene changes and at least every EVERY_SECONDS, at most
    max_frames, scaled to at most 1,080 px wide."""
    select = (f"eq(n\\,0)+gt(scene\\,{SCENE_THRESHOLD})+"
              f"gte(t-prev_selected_t\\,{EVERY_SECONDS})")
    with tempfile.TemporaryDirectory(prefix="pantau-frames-") as folder:
        pattern = str(Path(folder) / "f%05d.png")
        run = subprocess.run(
            [ffmpeg(), "-hide_banner", "-nostdin", "-loglevel", "info", "-i", str(path),
             "-vf", f"select='{select}',showinfo,scale='min(1080,iw)':-2",
             "-fps_mode", "vfr", "-frames:v", str(max_frames), pattern],
            capture_output=True, text=True, check=False)
        if run.returncode != 0:
            last = (run.stderr.strip().splitlines() or ["unknown error"])[-1]
            raise PantauError(f"{path}: ffmpeg could not read the video ({last})",
                              hint="check that the file plays; a partial download cannot be read")
        times = [float(m.group(1)) for m in _PTS.finditer(run.stderr)]
        frames = []
        for i, file in enumerate(sorted(Path(folder).glob("f*.png"))):
            with Image.open(file) as image:
                frames.append((times[i] if i < len(times) else float(i), image.copy()))
        return frames


def merge_lines(readings: list[FrameText]) -> list[FrameText]:
    """One entry per caption shown: a line read again in a later frame (the same text, or
    nearly — OCR differs a little frame to frame) is kept once, with its best reading."""
    merged: list[FrameText] = []
    for reading in readings:
        for i, kept in enumerate(merged):
            if fuzz.ratio(kept.text.casefold(), reading.text.casefold()) >= SAME_LINE:
                if reading.confidence > kept.confidence:
                    merged[i] = FrameText(kept.time_s, reading.text, reading.confidence)
                break
        else:
            merged.append(reading)
    return merged
