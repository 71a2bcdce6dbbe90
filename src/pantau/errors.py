"""Errors a user can act on. The CLI prints them as one line with a hint, never a traceback."""

from __future__ import annotations


class PantauError(Exception):
    """An error caused by the user's input or setup, with a hint on how to fix it."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} (hint: {self.hint})" if self.hint else self.message


class ConfigError(PantauError):
    """pantau.toml or a rules file is invalid."""


class FormatError(PantauError):
    """A file is not in a format pantau knows."""


class StoreError(PantauError):
    """The store refused an operation (e.g. a write through `pantau query`)."""
