"""Who holds the store: DuckDB's lock errors read into a message that names the process and
says what to do (used by store.connect and by pantau.sharing's snapshots)."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import StoreError

# pantau's commands, to name the one holding the store from its command line
COMMANDS = ("serve", "import", "enrich", "analyze", "report", "export", "demo", "coding",
            "models", "media", "status", "query", "raw", "text", "leads", "coordination")
_PID = re.compile(r"\(PID (\d+)\)")


def lock_holder(message: str) -> int | None:
    """The process id DuckDB names in a lock error, if any."""
    found = _PID.search(message)
    return int(found.group(1)) if found else None


def describe_process(pid: int | None) -> str:
    """`pantau serve (pid 123)`, or the command line of whatever else holds the store."""
    if pid is None:
        return "another process"
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        words = [a.decode(errors="replace") for a in args if a]
    except OSError:
        return f"another process (pid {pid})"
    if "pantau" in " ".join(words):
        sub = next((w for w in words[1:] if w in COMMANDS), None)
        return f"pantau {sub} (pid {pid})" if sub else f"pantau (pid {pid})"
    return f"{Path(words[0]).name if words else 'a process'} (pid {pid})"


def is_lock_error(exc: BaseException) -> bool:
    text = str(exc)
    return "Could not set lock" in text or "Conflicting lock" in text


def busy_error(path: Path, message: str, command: str | None = None) -> StoreError:
    """What a command that must write says when another process holds the store."""
    pid = lock_holder(message)
    holder = describe_process(pid)
    stop = f"stop it (Ctrl-C in its terminal{f', or kill {pid}' if pid else ''})"
    again = f", run {command} again" if command else ", run this command again"
    restart = ", then start pantau serve again" if holder.startswith("pantau serve") else ""
    return StoreError(
        f"{path} is in use by {holder}: this command changes the store and cannot run beside it",
        f"{stop}{again}{restart}; reading commands (status, query, report, export, analyze) "
        "work meanwhile on a snapshot")
