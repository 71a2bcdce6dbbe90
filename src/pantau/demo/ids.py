"""Platform-shaped ids for the demo, built the way each platform builds them.

TikTok ids carry the creation second in their top 32 bits; X ids are snowflakes (milliseconds
since 2010-11-04 shifted by 22); Instagram media pks carry milliseconds since 2011-08-24 shifted
by 23, and the shortcode in the URL is the pk in a base-64 alphabet. So the demo's ids sort by
time like real ones do, and all are 64-bit integers that must never pass through a float.
"""

from __future__ import annotations

import random
import string
from datetime import datetime

TWITTER_EPOCH_MS = 1288834974657
INSTAGRAM_EPOCH_MS = 1314220021721
SHORTCODE_ALPHABET = string.ascii_uppercase + string.ascii_lowercase + string.digits + "-_"


class IdMaker:
    """Unique ids for one corpus; a collision (astronomically unlikely) is retried."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[int] = set()

    def _unique(self, make) -> int:
        while True:
            value = make()
            if value not in self.used:
                self.used.add(value)
                return value

    def tiktok(self, moment: datetime) -> str:
        seconds = int(moment.timestamp())
        return str(self._unique(lambda: (seconds << 32) | self.rng.getrandbits(32)))

    def snowflake(self, moment: datetime) -> str:
        ms = int(moment.timestamp() * 1000) - TWITTER_EPOCH_MS
        return str(self._unique(lambda: (ms << 22) | self.rng.getrandbits(22)))

    def instagram(self, moment: datetime) -> int:
        ms = int(moment.timestamp() * 1000) - INSTAGRAM_EPOCH_MS
        return self._unique(lambda: (ms << 23) | self.rng.getrandbits(23))

    def number(self, digits: int) -> str:
        """A random id with this many digits, below 2**63 (platform ids are signed 64-bit)."""
        low = 10 ** (digits - 1)
        high = min(10 * low, 2**63)
        return str(self._unique(lambda: self.rng.randrange(low, high)))

    def token(self, length: int, prefix: str = "") -> str:
        alphabet = string.ascii_letters + string.digits + "-_"
        return prefix + "".join(self.rng.choice(alphabet) for _ in range(length))


def shortcode(pk: int) -> str:
    """Instagram's URL code for a media pk."""
    code = ""
    while pk:
        pk, rest = divmod(pk, 64)
        code = SHORTCODE_ALPHABET[rest] + code
    return code or "A"
