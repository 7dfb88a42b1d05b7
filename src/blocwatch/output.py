"""Listings in the three formats every command offers: table (people), json and csv (programs)."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, TextIO

from blocwatch.safety import printable

FORMATS = ("table", "json", "csv")


def _json_default(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return None
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def dumps(value: Any, indent: int | None = 2) -> str:
    return json.dumps(value, ensure_ascii=False, indent=indent, default=_json_default)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (list, dict)):
        return dumps(value, indent=None)
    return str(value)


def emit(rows: Sequence[dict[str, Any]], fmt: str, columns: Sequence[str] | None = None,
         out: TextIO | None = None, widths: dict[str, int] | None = None) -> None:
    """Print rows as a table, a JSON array or CSV with a header."""
    out = out or sys.stdout
    if fmt == "json":
        out.write(dumps(list(rows)) + "\n")
        return
    columns = list(columns or (rows[0].keys() if rows else []))
    if fmt == "csv":
        # on a terminal, control characters in titles and names are escaped (they could drive
        # it); into a file or a pipe the data goes unchanged
        shown = printable if _isatty(out) else str
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([shown(_cell(row.get(c))) for c in columns])
        return
    print_table(rows, columns, out, widths or {})


def print_table(rows: Sequence[dict[str, Any]], columns: Sequence[str], out: TextIO,
                widths: dict[str, int]) -> None:
    """A plain aligned text table; long cells are cut with an ellipsis to keep one line a row."""
    cells = [[printable(_cell(r.get(c)).replace("\n", " ")) for c in columns] for r in rows]
    sizes = []
    for i, col in enumerate(columns):
        longest = max([len(col)] + [len(row[i]) for row in cells])
        sizes.append(min(longest, widths.get(col, 60)))
    room = _terminal_columns(out)
    if room and sizes:  # on a terminal, the widest columns give way until a row fits
        while sum(sizes) + 2 * (len(sizes) - 1) > room and max(sizes) > 8:
            i = sizes.index(max(sizes))
            sizes[i] -= 1

    def fit(text: str, n: int) -> str:
        text = text.replace("\n", " ")
        return text if len(text) <= n else text[: n - 1] + "…"

    out.write("  ".join(col.ljust(n) for col, n in zip(columns, sizes, strict=True)).rstrip()
              + "\n")
    out.write("  ".join("-" * n for n in sizes) + "\n")
    for row in cells:
        out.write("  ".join(fit(c, n).ljust(n) for c, n in zip(row, sizes, strict=True)).rstrip()
                  + "\n")
    if not rows:
        out.write("(no rows)\n")


def _terminal_columns(out: TextIO) -> int | None:
    """The terminal's width when writing to one (``COLUMNS`` overrides its size), else None:
    files and pipes get whole cells."""
    import shutil

    if not _isatty(out):
        return None
    return shutil.get_terminal_size((100, 24)).columns


def _isatty(out: TextIO) -> bool:
    try:
        return out.isatty()
    except (AttributeError, ValueError):
        return False
