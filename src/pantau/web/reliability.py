"""Krippendorff's alpha with a bootstrap interval: moved to pantau.analysis.reliability (the
web app is not the only user: learning from the coders and the report need it too). These
names stay importable from here for existing callers."""

from __future__ import annotations

from ..analysis.reliability import (
    RELIABLE,
    TENTATIVE,
    Alpha,
    _alpha_from,
    _unit_coincidences,
    krippendorff_alpha,
    krippendorff_alpha_nominal,
    verdict,
)

__all__ = ["RELIABLE", "TENTATIVE", "Alpha", "_alpha_from", "_unit_coincidences",
           "krippendorff_alpha", "krippendorff_alpha_nominal", "verdict"]
