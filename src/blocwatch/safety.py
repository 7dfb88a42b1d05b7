"""What keeps one bad input from taking a run down: names safe to print and store, strings
safe to store, nesting limits, and the log that keeps the traceback of an unexpected error.

Why a module of its own: every stage (read, clean, code, store) and every surface (CLI, API)
needs the same answers, and a terminal or a database must never see raw bytes from a file name.
"""

from __future__ import annotations

import os
import re
import traceback
from datetime import UTC, datetime
from pathlib import Path

#: C0 and C1 control characters and DEL, except tab: escape sequences (ANSI, OSC) start with
#: them, and a file name or a title carrying one would drive the terminal it is printed on.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def printable(text: object) -> str:
    """``text`` with control characters and undecodable bytes written as escapes (``\\x1b``)."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", path_text(str(text)))


def _surrogate_escape(ch: str) -> str:
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # a byte os.fsdecode could not decode (a non-UTF-8 name)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}"


def path_text(path: str | os.PathLike) -> str:
    """A path as text that is valid Unicode: a file name that is not UTF-8 keeps its bytes as
    ``\\xNN`` escapes, so it can be printed, stored and matched on the next run."""
    s = os.fspath(path)
    return s if not _SURROGATE.search(s) else _SURROGATE.sub(
        lambda m: _surrogate_escape(m.group()), s)


def scrub(text: str) -> str:
    """A string that UTF-8 can encode: lone surrogates (JSON's ``"\\ud800"``) become U+FFFD."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


#: How deep a JSON record may nest. News records are flat; a deeper one is damaged or hostile.
MAX_JSON_DEPTH = 32


def too_deep(value: object, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether a parsed JSON value nests deeper than ``limit`` (checked without recursion)."""
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        v, depth = stack.pop()
        if isinstance(v, dict):
            items = v.values()
        elif isinstance(v, list):
            items = v
        else:
            continue
        if depth >= limit:
            return True
        stack.extend((x, depth + 1) for x in items if isinstance(x, (dict, list)))
    return False


def web_link(url: object) -> str | None:
    """``url`` when it is an http(s) address a page may link to; None otherwise (a record's
    ``javascript:`` or ``data:`` URL must never become a live link in a report)."""
    if not isinstance(url, str):
        return None
    u = url.strip()
    return u if re.match(r"(?i)https?://[^\s/]", u) else None


FAULT_ENV = "BLOCWATCH_FAULT"


def fault(stage: str, text: str = "") -> None:
    """A fault-injection point, as databases have them: ``BLOCWATCH_FAULT=stage:MARKER``
    raises here when ``text`` contains MARKER (or always, with no marker). Tests and
    ``bench/fuzz.py`` use it to prove that an unexpected error at each stage costs one record,
    not the run; unset, it costs one dictionary lookup."""
    spec = os.environ.get(FAULT_ENV)
    if not spec:
        return
    want, _, marker = spec.partition(":")
    if want == stage and (not marker or marker in text):
        raise RuntimeError(f"fault injected at the {stage} stage ({FAULT_ENV})")


LOG_ENV = "BLOCWATCH_ERROR_LOG"


def error_log() -> Path:
    """Where full tracebacks of unexpected errors go (``BLOCWATCH_ERROR_LOG``, else the user's
    cache folder): the terminal gets one line that points here."""
    if os.environ.get(LOG_ENV):
        return Path(os.environ[LOG_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "blocwatch" / "errors.log"


def log_exception(context: str, exc: BaseException) -> str:
    """Append the traceback of ``exc`` to the error log; returns the line a user sees."""
    where = error_log()
    try:
        where.parent.mkdir(parents=True, exist_ok=True)
        with open(where, "a", encoding="utf-8", errors="backslashreplace") as fh:
            fh.write(f"--- {datetime.now(UTC).isoformat(timespec='seconds')} "
                     f"{printable(context)}\n")
            fh.write("".join(traceback.format_exception(exc)))
        ref = f"traceback in {where}"
    except OSError:
        ref = "traceback not saved: the error log is not writable"
    return f"internal error: {type(exc).__name__}: {printable(str(exc))[:200]} ({ref})"
