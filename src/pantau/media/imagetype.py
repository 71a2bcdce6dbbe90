"""What kind of picture a post shows: infographic (a designed, text-heavy graphic or poster),
photo, or video frame (a still with on-screen text, a thumbnail).

A small, explainable model: five measurements and a depth-3 decision tree whose thresholds are
in data/image_type.json (written by scripts/train_image_type.py; card in
models/cards/image_type.md). `explain()` says which thresholds decided.

Measurements (on a 192-px thumbnail and the OCR reading):
- text_area: share of the image covered by read text lines;
- text_lines: lines read (capped at 20);
- flat_share: share of pixels in the 8 most common colours (5 bits a channel): designed
  graphics are a few flat colours, photos are not;
- edge_density: mean edge strength (0–1);
- aspect: height / width (9:16 video frames, 4:5 posts, 1:1).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from PIL import Image, ImageFilter, ImageStat

from .ocr import OcrResult

FEATURES = ("text_area", "text_lines", "flat_share", "edge_density", "aspect")
TYPES = ("infographic", "photo", "video_frame")


@dataclass(frozen=True)
class ImageType:
    value: str
    score: float  # share of the training images in the deciding leaf that had this type
    because: str  # the thresholds on the path, readable


def measure(image: Image.Image, reading: OcrResult) -> dict[str, float]:
    thumb = image.convert("RGB")
    thumb.thumbnail((192, 192))
    quantised = thumb.point(lambda v: v & 0xF8)
    total = thumb.width * thumb.height
    counts = sorted((n for n, _ in quantised.getcolors(total) or []), reverse=True)
    flat = sum(counts[:8]) / total
    edges = ImageStat.Stat(thumb.convert("L").filter(ImageFilter.FIND_EDGES)).mean[0] / 255
    return {"text_area": round(reading.text_area, 4),
            "text_lines": float(min(len(reading.lines), 20)),
            "flat_share": round(flat, 4), "edge_density": round(edges, 4),
            "aspect": round(image.height / image.width, 4) if image.width else 1.0}


@cache
def tree() -> dict[str, Any]:
    text = resources.files("pantau.media").joinpath("data", "image_type.json").read_text("utf-8")
    return json.loads(text)


def classify(features: dict[str, float], model: dict[str, Any] | None = None) -> ImageType:
    node = (model or tree())["root"]
    path = []
    while "leaf" not in node:
        name, threshold = node["feature"], node["threshold"]
        go_left = features[name] <= threshold
        path.append(f"{name} {'≤' if go_left else '>'} {threshold:g}")
        node = node["left"] if go_left else node["right"]
    counts = node["leaf"]
    value = max(counts, key=counts.get)
    return ImageType(value, round(counts[value] / max(1, sum(counts.values())), 3),
                     "; ".join(path))


def tree_from_sklearn(model: Any) -> dict[str, Any]:
    """A fitted sklearn DecisionTreeClassifier as plain JSON (no pickle to trust or version)."""
    t = model.tree_
    classes = [str(c) for c in model.classes_]

    def node(i: int) -> dict[str, Any]:
        if t.children_left[i] == -1:
            weights = t.value[i][0]
            share = weights / weights.sum() if weights.sum() else weights
            samples = int(t.n_node_samples[i])
            return {"leaf": {c: round(float(s) * samples, 1) for c, s in zip(
                classes, share, strict=True) if s > 0}}
        return {"feature": FEATURES[t.feature[i]], "threshold": round(float(t.threshold[i]), 4),
                "left": node(t.children_left[i]), "right": node(t.children_right[i])}

    return {"features": list(FEATURES), "classes": classes, "root": node(0)}
