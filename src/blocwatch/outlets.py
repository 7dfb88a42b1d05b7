"""Who published a document: the outlet, by which corroboration is counted.

A story told by three outlets is corroborated three times; told three times by one outlet, once.
The outlet comes from the record's metadata or the page (``og:site_name``), else from the
registrable domain of its URL ("https://edition.cnn.com/…" → ``cnn.com``, "news.bbc.co.uk" →
``bbc.co.uk``), read with ``tldextract`` and the Public Suffix List snapshot bundled in its wheel
(never fetched). Documents with no outlet at all count together as one outlet, ``unknown``: a
corpus of pasted texts is not corroborated by its own size.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from urllib.parse import urlsplit

#: The one outlet of every document that names none (in counts, never stored).
UNKNOWN = "unknown"


@lru_cache(maxsize=1)
def _extractor():
    import tldextract

    # suffix_list_urls=(): the snapshot in the wheel, no download; cache_dir=None: no files
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def outlet_of_url(url: str | None) -> str | None:
    """The registrable domain of a web address (http or https), lower case; None for other
    schemes, bare IP addresses, hosts without a public suffix and anything unreadable."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.rstrip(".")
    try:
        ipaddress.ip_address(host)
        return None
    except ValueError:
        pass
    found = _extractor()(host)
    return found.top_domain_under_public_suffix.lower() or None
