"""Rendered images and frames for the SYNTHETIC demo and for the media benchmarks and tests.

Infographics (a title band, numbered programme lines, a slogan and ballot number in the pair's
colours), carousel slides, quote cards, photo-like pictures without designed text, and video
frames with an on-screen text band. Each render returns the image and the exact text drawn on
it, line by line, so OCR can be scored against what is really there.

Fonts: the DejaVu and Liberation families when installed (Debian's fonts-dejavu-core and
fonts-liberation), else Pillow's bundled scalable font, so the demo works anywhere.
"""

from __future__ import annotations

import random
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_FOLDERS = (Path("/usr/share/fonts/truetype/dejavu"),
                Path("/usr/share/fonts/truetype/liberation"))
FONT_NAMES = (
    "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSansCondensed.ttf", "DejaVuSerif.ttf",
    "DejaVuSerif-Bold.ttf", "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf",
    "LiberationSansNarrow-Regular.ttf", "LiberationSerif-Regular.ttf",
    "LiberationSerif-Bold.ttf", "LiberationMono-Regular.ttf",
)
# Background / box / text colour sets, as campaign graphics use them (strong brand colours).
PALETTES = (
    ((196, 30, 58), (255, 255, 255), (255, 221, 0)),     # red, white, yellow
    ((0, 84, 166), (255, 255, 255), (255, 200, 40)),     # blue
    ((0, 122, 61), (255, 255, 255), (250, 230, 120)),    # green
    ((245, 130, 32), (255, 255, 255), (40, 40, 40)),     # orange
    ((30, 30, 30), (255, 214, 0), (255, 255, 255)),      # black and yellow
    ((250, 250, 245), (196, 30, 58), (20, 20, 20)),      # light background, red box
    ((255, 236, 179), (0, 84, 166), (33, 33, 33)),       # cream, blue box
    ((88, 28, 135), (255, 255, 255), (250, 204, 21)),    # purple
)


@dataclass
class Rendered:
    image: Image.Image
    lines: list[str] = field(default_factory=list)  # the text drawn, top to bottom
    kind: str = "infographic"  # infographic | photo | video_frame

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@cache
def phrases() -> dict[str, list[str]]:
    data = resources.files("pantau.demo").joinpath("data", "infographics.toml").read_text("utf-8")
    return tomllib.loads(data)


@cache
def font_files() -> tuple[Path, ...]:
    return tuple(folder / name for folder in FONT_FOLDERS for name in FONT_NAMES
                 if (folder / name).is_file())


@cache
def _font(path: str | None, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    if path is None:
        return ImageFont.load_default(size=size)
    return ImageFont.truetype(path, size)


def pick_font(rng: random.Random, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    files = font_files()
    return _font(str(rng.choice(files)) if files else None, size)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if current and draw.textlength(trial, font=font) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    if current:
        lines.append(current)
    return lines


def _draw_lines(draw: ImageDraw.ImageDraw, lines: list[str], font, x: int, y: int,
                fill, spacing: float = 1.35) -> int:
    size = getattr(font, "size", 20)
    for line in lines:
        draw.text((x, y), line, font=font, fill=fill)
        y += int(size * spacing)
    return y


def infographic(rng: random.Random, *, width: int = 1080, height: int = 1350, no: int = 1,
                pair: str = "", palette: tuple | None = None,
                photo_background: bool = False) -> Rendered:
    """A programme infographic: title on a box, 3–5 numbered items, slogan and ballot number.
    photo_background: a darkened photo behind the text, as poster templates often have."""
    bg, box, accent = palette or rng.choice(PALETTES)
    if photo_background:
        picture = photo(rng, width=width, height=height).image
        image = Image.blend(picture, Image.new("RGB", (width, height), bg), 0.55)
    else:
        image = Image.new("RGB", (width, height), bg)
    draw = ImageDraw.Draw(image)
    words = phrases()
    margin = width // 14
    text_width = width - 2 * margin
    title_font = pick_font(rng, rng.randint(width // 18, width // 13))
    body_font = pick_font(rng, rng.randint(width // 30, width // 22))
    title = _wrap(draw, rng.choice(words["titles"]), title_font, text_width - margin)
    title_size = getattr(title_font, "size", 40)
    box_bottom = margin + int(len(title) * title_size * 1.35) + margin // 2
    draw.rectangle([margin // 2, margin // 2, width - margin // 2, box_bottom], fill=box)
    drawn = list(title)
    _draw_lines(draw, title, title_font, margin, margin, bg if box != bg else accent)
    y = box_bottom + margin // 2
    body_colour = accent if _contrast(accent, bg) > _contrast(box, bg) else box
    for i, item in enumerate(rng.sample(words["items"], rng.randint(3, 5)), start=1):
        lines = _wrap(draw, f"{i}. {item}", body_font, text_width)
        if y + len(lines) * getattr(body_font, "size", 20) * 1.4 > height - 3 * margin:
            break
        y = _draw_lines(draw, lines, body_font, margin, y, body_colour) + margin // 4
        drawn += lines
    footer = f"{rng.choice(words['slogans'])} — No. {no}" + (f" {pair}" if pair else "")
    footer_lines = _wrap(draw, footer, body_font, text_width)
    _draw_lines(draw, footer_lines, body_font, margin,
                height - margin - len(footer_lines) * int(getattr(body_font, "size", 20) * 1.35),
                body_colour)
    return Rendered(image, drawn + footer_lines, "infographic")


def carousel(rng: random.Random, slides: int = 3, **kwargs) -> list[Rendered]:
    """Carousel slides in one palette: slide 1 a cover, the others one programme each."""
    palette = kwargs.pop("palette", None) or rng.choice(PALETTES)
    return [infographic(rng, palette=palette, **kwargs) for _ in range(slides)]


def photo(rng: random.Random, *, width: int = 1080, height: int = 1080,
          watermark: str | None = None) -> Rendered:
    """A photo-like picture: smooth light, soft shapes and sensor noise, no designed text
    (watermark: a small handle in a corner, as reposted photos carry)."""
    small = Image.new("RGB", (32, 32))
    top = tuple(rng.randint(60, 220) for _ in range(3))
    bottom = tuple(rng.randint(20, 160) for _ in range(3))
    pixels = small.load()
    for y in range(32):
        for x in range(32):
            t = y / 31
            pixels[x, y] = tuple(int(a * (1 - t) + b * t + rng.randint(-25, 25))
                                 for a, b in zip(top, bottom, strict=True))
    image = small.resize((width, height), Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randint(4, 12)):  # people, trees, cars: soft blobs
        x, y = rng.randint(0, width), rng.randint(height // 3, height)
        r = rng.randint(width // 20, width // 5)
        draw.ellipse([x - r, y - 2 * r, x + r, y + r],
                     fill=tuple(rng.randint(10, 240) for _ in range(3)))
    image = image.filter(ImageFilter.GaussianBlur(rng.uniform(2, 8)))
    # sensor noise from the seeded generator (Image.effect_noise is not reproducible)
    noise = Image.frombytes("L", (width, height), rng.randbytes(width * height)).convert("RGB")
    image = Image.blend(image, noise, rng.uniform(0.04, 0.1))
    lines = []
    if watermark:
        font = pick_font(rng, max(14, width // 40))
        ImageDraw.Draw(image).text((width // 30, height - width // 15), watermark, font=font,
                                   fill=(255, 255, 255))
        lines.append(watermark)
    return Rendered(image, lines, "photo")


def video_frame(rng: random.Random, *, width: int = 1080, height: int = 1920,
                text: str | None = None) -> Rendered:
    """A vertical video frame: a photo-like scene with one on-screen text band."""
    frame = photo(rng, width=width, height=height).image
    draw = ImageDraw.Draw(frame)
    font = pick_font(rng, rng.randint(width // 22, width // 16))
    line = text or rng.choice(phrases()["subtitles"])
    lines = _wrap(draw, line, font, int(width * 0.84))
    size = getattr(font, "size", 40)
    top = int(height * rng.uniform(0.62, 0.78))
    band = (0, 0, 0) if rng.random() < 0.6 else (255, 255, 255)
    ink = (255, 255, 255) if band == (0, 0, 0) else (0, 0, 0)
    draw.rectangle([int(width * 0.05), top - size // 2, int(width * 0.95),
                    top + int(len(lines) * size * 1.35) + size // 2], fill=band)
    _draw_lines(draw, lines, font, int(width * 0.08), top, ink)
    return Rendered(frame, lines, "video_frame")


def _contrast(a: tuple, b: tuple) -> float:
    def luminance(c: tuple) -> float:
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
    return abs(luminance(a) - luminance(b))


def save_jpeg(rendered: Rendered, path: Path, quality: int = 85) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    rendered.image.save(path, "JPEG", quality=quality)
    return path


SIZES = {"infographic": ((1080, 1350), (1080, 1080), (1080, 1920), (720, 900)),
         "photo": ((1080, 1080), (1080, 1350), (1440, 1080), (720, 720)),
         "video_frame": ((1080, 1920), (1280, 720), (720, 1280))}


def sample(seed: int, kind: str) -> Rendered:
    """One varied image of a kind, fully determined by the seed (for training and evaluating
    the image-type model and OCR: same seed, same pixels)."""
    rng = random.Random(seed)
    width, height = rng.choice(SIZES[kind])
    if kind == "infographic":
        return infographic(rng, width=width, height=height, no=rng.randint(1, 3),
                           photo_background=rng.random() < 0.25)
    if kind == "photo":
        handle = rng.choice([None, None, "@warga.bekasi", "@relawan_02", "foto: tim media"])
        return photo(rng, width=width, height=height, watermark=handle)
    return video_frame(rng, width=width, height=height)
