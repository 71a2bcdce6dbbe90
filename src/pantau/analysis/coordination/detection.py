"""What one detection run found: the events it read, the network, and how the co-sharing
window was chosen (shared by the package and the table writer)."""

from __future__ import annotations

from dataclasses import dataclass

from .events import Events
from .network import Network


@dataclass
class Detection:
    events: Events
    network: Network
    share_window: float
    share_window_source: str  # "estimated" | "set"
    share_estimate: dict[str, float]
    seconds: dict[str, float]
