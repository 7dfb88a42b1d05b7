"""``blocwatch watch``: keep a store current as news arrives (issue 11).

Each pass ingests the given folders (files finished in an earlier pass are skipped by the
ingest's own resume, so nothing is coded twice) and the given RSS/Atom feeds (read with
``feedparser`` from files or URLs; an item already stored is a duplicate by its text and is not
stored again). Between passes the store is not held, so ``serve`` and other readers go on.
"""

from __future__ import annotations

import json
import re
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from blocwatch.pipeline import Hooks, IngestOptions, IngestReport, ingest_paths
from blocwatch.store import Store

_EVERY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def interval(text: str) -> float:
    """Seconds from "30s", "5m", "1h", "1d" or a bare number of seconds."""
    m = _EVERY.match(text or "")
    if not m or float(m.group(1)) <= 0:
        raise ValueError(f"not an interval: {text!r} (use 30s, 5m, 1h)")
    return float(m.group(1)) * _UNITS[m.group(2)]


def _plain(html: str) -> str:
    import lxml.html

    if "<" not in html:
        return html.strip()
    try:
        return " ".join(lxml.html.fromstring(html).text_content().split())
    except Exception:  # noqa: BLE001 - a fragment lxml cannot read: keep its text as given
        return re.sub(r"<[^>]+>", " ", html).strip()


def feed_records(source: str) -> list[dict[str, Any]]:
    """The items of an RSS/Atom feed (a file or a URL) as ingest records: text from the
    item's content or summary, its title, link, date, and the feed's title as the outlet."""
    import feedparser

    parsed = feedparser.parse(source)
    if not parsed.entries:
        reason = getattr(parsed, "bozo_exception", None) or "no items"
        raise ValueError(f"{source}: not a feed with items ({reason})")
    outlet = (parsed.feed.get("title") or "").strip() or None
    out = []
    for e in parsed.entries:
        content = (e.get("content") or [{}])[0].get("value") or e.get("summary") or ""
        text = _plain(content)
        stamp = e.get("published_parsed") or e.get("updated_parsed")
        out.append({"id": e.get("id") or e.get("link") or text[:80], "text": text,
                    "title": _plain(e.get("title") or "") or None, "url": e.get("link"),
                    "outlet": outlet,
                    "date": date(*stamp[:3]).isoformat() if stamp else None})
    return out


def run(store: Store, paths: Sequence[str], feeds: Sequence[str], every: float,
        options: IngestOptions, hooks: Hooks, passes: int = 0,
        on_pass: Callable[[int, IngestReport], None] | None = None,
        sleep: Callable[[float], None] = time.sleep) -> None:
    """Ingest ``paths`` and ``feeds`` every ``every`` seconds; ``passes`` > 0 stops after that
    many passes (0: until interrupted)."""
    n = 0
    while True:
        n += 1
        inputs = list(paths)
        with tempfile.TemporaryDirectory() as tmp:
            for i, feed in enumerate(feeds):
                try:
                    records = feed_records(feed)
                except ValueError as exc:
                    hooks.warning(str(exc))
                    continue
                path = Path(tmp) / f"feed-{i}.jsonl"
                path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n"
                                        for r in records), encoding="utf-8")
                inputs.append(str(path))
            report = ingest_paths(store, inputs, options, hooks,
                                  command="watch " + " ".join([*paths, *feeds]))
        if on_pass is not None:
            on_pass(n, report)
        if passes and n >= passes:
            return
        sleep(every)
