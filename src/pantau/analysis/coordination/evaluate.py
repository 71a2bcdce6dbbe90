"""Scoring flagged accounts against planted truth (the demo's planted_coordination.json, the
synthetic benchmark's groups): account-level precision, recall and false-positive rates.

An account counts as *expected* when it took part in a planted campaign on two or more
occasions (one act is not a pattern anyone could detect); flagging any planted account, even
one with a single occasion, is not a false positive.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

Key = tuple[str, str]  # (platform, account_id)


@dataclass(frozen=True)
class Score:
    flagged: int
    expected: int
    true_positives: int
    precision: float
    recall: float
    organic_lookalikes: int
    organic_flagged: int
    other_accounts: int
    other_flagged: int

    @property
    def organic_fpr(self) -> float:
        return self.organic_flagged / self.organic_lookalikes if self.organic_lookalikes else 0.0

    @property
    def other_fpr(self) -> float:
        return self.other_flagged / self.other_accounts if self.other_accounts else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "organic_fpr": self.organic_fpr, "other_fpr": self.other_fpr}


def truth_sets(groups: Iterable[dict[str, Any]], min_occasions: int = 2
               ) -> tuple[set[Key], set[Key], set[Key]]:
    """(every planted account, planted accounts expected to be found, organic look-alikes)."""
    planted: set[Key] = set()
    expected: set[Key] = set()
    organic: set[Key] = set()
    for group in groups:
        for account in group["accounts"]:
            key = (account["platform"], str(account["account_id"]))
            if group["coordinated"]:
                planted.add(key)
                if account.get("occasions", 0) >= min_occasions:
                    expected.add(key)
            else:
                organic.add(key)
    return planted, expected, organic - planted


def score(flagged: set[Key], groups: Iterable[dict[str, Any]], all_accounts: set[Key],
          min_occasions: int = 2) -> Score:
    planted, expected, organic = truth_sets(groups, min_occasions)
    tp_any = len(flagged & planted)
    found = len(flagged & expected)
    others = all_accounts - planted - organic
    return Score(
        flagged=len(flagged), expected=len(expected), true_positives=tp_any,
        precision=tp_any / len(flagged) if flagged else 1.0,
        recall=found / len(expected) if expected else 1.0,
        organic_lookalikes=len(organic), organic_flagged=len(flagged & organic),
        other_accounts=len(others), other_flagged=len(flagged & others))
