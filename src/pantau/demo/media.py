"""The demo's media files: real images and short videos for some campaign posts, written beside
the exports as a user's downloads would be (files named by post id), so media linking, OCR,
video text and subtitles run offline on the demo.

- programme posts (P1) with an image or carousel: infographics in the pair's colour, the pair's
  invented programmes as numbered lines, ballot number and slogan; carousels get 3 slides;
- activity, personal and ceremonial posts with an image: photo-like pictures;
- some TikTok videos: two scenes with on-screen text, plus an Indonesian .vtt subtitle file.
Videos need ffmpeg; without it the demo writes images and subtitles only and says so.
Deterministic: the same seed gives the same pixels.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import tempfile
from pathlib import Path

from . import images
from .corpus import Corpus, DemoPost

MAX_IMAGES = 24
MAX_CAROUSELS = 6
MAX_VIDEOS = 6
MEDIA_FOLDER = "media"  # under exports/


def _palette(colour: str) -> tuple:
    hex_colour = colour.lstrip("#")
    rgb = tuple(int(hex_colour[i:i + 2], 16) for i in (0, 2, 4))
    return rgb, (255, 255, 255), (255, 221, 0) if sum(rgb) < 450 else (20, 20, 20)


def _programme_card(rng: random.Random, post: DemoPost, width: int, height: int
                    ) -> images.Rendered:
    pair = post.pair
    palette = _palette(pair.color) if pair else None
    rendered = images.infographic(rng, width=width, height=height,
                                  no=pair.ballot_number if pair else 1,
                                  pair=pair.short if pair else "", palette=palette)
    return rendered


def write_media(corpus: Corpus, exports: Path) -> list[Path]:
    """Render media for a share of the campaign posts; returns the files written."""
    rng = random.Random(f"pantau-demo:{corpus.seed}:media")
    folder = exports / MEDIA_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    counts = {"image": 0, "carousel": 0, "video": 0}
    campaign = [p for p in corpus.posts if p.platform in ("instagram", "tiktok", "facebook")
                and p.account.spec.role in ("official", "candidate")]
    can_encode = shutil.which("ffmpeg") is not None
    for post in campaign:
        if post.media_type == "carousel" and post.function == "P1" \
                and counts["carousel"] < MAX_CAROUSELS:
            for slide in range(1, 4):
                card = _programme_card(rng, post, 1080, 1350)
                written.append(images.save_jpeg(card, folder / f"{post.post_id}_{slide}.jpg",
                                                quality=rng.randint(70, 92)))
            counts["carousel"] += 1
        elif post.media_type == "image" and counts["image"] < MAX_IMAGES:
            if post.function == "P1":
                picture = _programme_card(rng, post, 1080, rng.choice([1080, 1350]))
            elif post.function in ("P2", "P3", "P5", "P8"):
                picture = images.photo(rng, width=1080, height=1080)
            else:
                continue
            written.append(images.save_jpeg(picture, folder / f"{post.post_id}.jpg",
                                            quality=rng.randint(70, 92)))
            counts["image"] += 1
        elif (post.media_type == "video" and post.platform == "tiktok" and can_encode
              and post.function in ("P1", "P2", "P4", "P7") and counts["video"] < MAX_VIDEOS):
            written += _video(rng, post, folder)
            counts["video"] += 1
    return written


def _video(rng: random.Random, post: DemoPost, folder: Path) -> list[Path]:
    """Two 3-second scenes with a text band each, and the spoken lines as a .vtt file."""
    lines = rng.sample(images.phrases()["subtitles"], 2)
    video = folder / f"{post.post_id}.mp4"
    with tempfile.TemporaryDirectory(prefix="pantau-demo-video-") as tmp:
        for i, line in enumerate(lines):
            frame = images.video_frame(rng, width=540, height=960, text=line)
            frame.image.save(Path(tmp) / f"s{i}.png")
        subprocess.run(
            ["ffmpeg", "-loglevel", "error", "-y", "-framerate", "1/3", "-i",
             str(Path(tmp) / "s%d.png"), "-vf", "fps=10,format=yuv420p", "-c:v", "libx264",
             "-threads", "1", "-bitexact", "-map_metadata", "-1", str(video)],
            check=True)
    subtitle = folder / f"{post.post_id}.id.vtt"
    cues = "\n".join(f"00:00:0{3 * i}.000 --> 00:00:0{3 * i + 2}.900\n{line}\n"
                     for i, line in enumerate(lines))
    subtitle.write_text(f"WEBVTT\n\n{cues}", encoding="utf-8", newline="\n")
    return [video, subtitle]
