"""Filling the demo's text templates (data/*.toml) with words, deterministically.

A template is a string with {slot}s. A slot is looked up first in the context the caller gives
(the pair's names, its programmes, ...), then in vocab.toml; a list means "pick one". Picks use
the caller's random.Random, so the same seed gives the same text.
"""

from __future__ import annotations

import random
import re
import tomllib
from functools import cache
from importlib import resources
from typing import Any

_SLOT = re.compile(r"\{(\w+)\}")


@cache
def load(name: str) -> dict[str, Any]:
    text = resources.files("pantau.demo").joinpath("data", f"{name}.toml").read_text("utf-8")
    return tomllib.loads(text)


class Phrasebook:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.vocab = load("vocab")
        self.captions = load("captions")
        self.comments = load("comments")
        self._slang = sorted(self.vocab["slang"].items(), key=lambda kv: -len(kv[0]))
        self._slang_re = {
            word: re.compile(rf"\b{re.escape(word)}\b", re.IGNORECASE) for word, _ in self._slang
        }

    def pick(self, options: list[str] | tuple[str, ...]) -> str:
        return options[self.rng.randrange(len(options))]

    def fill(self, template: str, context: dict[str, Any], depth: int = 0) -> str:
        def replace(match: re.Match[str]) -> str:
            slot = match.group(1)
            value = context.get(slot, self.vocab.get(slot))
            if value is None:
                return match.group(0)
            if isinstance(value, (list, tuple)):
                value = self.pick(value)
            value = str(value)
            if depth < 2 and "{" in value:
                value = self.fill(value, context, depth + 1)
            return value

        return _SLOT.sub(replace, template)

    def informal(self, text: str, rate: float) -> str:
        """Rewrite some words into chat spelling (yang -> yg) with probability `rate` each."""
        for word, short in self._slang:
            if self.rng.random() < rate:
                text = self._slang_re[word].sub(short, text)
        return text

    def hashtags(self, own: list[str], count: int) -> list[str]:
        tags = list(own)
        pool = list(self.vocab["tag_umum"])
        while len(tags) < count and pool:
            tags.append(pool.pop(self.rng.randrange(len(pool))))
        return tags
