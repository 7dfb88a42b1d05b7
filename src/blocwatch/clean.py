"""The clean stage: raw bytes, HTML or scraped text in; article body and honest metadata out.

Two kinds of input reach this stage. HTML pages go through trafilatura (F1 0.972 on the
article-extraction benchmark with the settings below: ``blocwatch eval extraction``). Plain
text is often a *page dump*: text copied off a news page with its furniture still around the
article (scrape date, section label, headline, standfirst, share prompts, teaser lists).
``clean_text`` finds the article in such a dump with line-level rules that do not depend on
any one site: the body is the stretch of lines with the most prose and the least chrome (a
maximum-sum segment over per-line scores), the header zone before it gives title, standfirst,
section, date and byline, and everything after it is cut.

Metadata is never invented: a field is None unless the page states it.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from blocwatch.document import Extracted

# --------------------------------------------------------------------------------------------
# Bytes to text
# --------------------------------------------------------------------------------------------

_MAGIC = (
    (b"\x89PNG", "PNG image"),
    (b"GIF8", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"%PDF", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or docx/xlsx/epub)"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"BZh", "bzip2-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"\x7fELF", "executable"),
    (b"MZ", "executable"),
    (b"RIFF", "audio/video/image container"),
    (b"\x00\x00\x00\x18ftyp", "MP4 video"),
    (b"\x00\x00\x00\x20ftyp", "MP4 video"),
    (b"\xd0\xcf\x11\xe0", "legacy Office document"),
    (b"SQLite format 3", "SQLite database"),
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_TEXT_CONTROLS = set(b"\t\n\r\f\v\x1b")
# charset-normalizer guesses among these are all "some western single-byte code page"; on
# short news text it cannot tell them apart, and cp1252 is what such files almost always are.
_WESTERN = {
    "cp1252",
    "windows-1252",
    "latin_1",
    "latin-1",
    "iso8859_1",
    "iso-8859-1",
    "iso8859_15",
    "iso8859_9",
    "cp1250",
    "iso8859_2",
    "mac_roman",
    "mac_latin2",
    "cp850",
    "cp437",
    "cp858",
    "ascii",
}


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 text without a BOM shows NULs in every other byte (for Latin-script text)."""
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    even_nul = even.count(0) / len(even)
    odd_nul = odd.count(0) / max(1, len(odd))
    if odd_nul > 0.3 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.3 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def binary_reason(data: bytes) -> str | None:
    """Why ``data`` is not text (a short reason to show the user), or None if it looks like text."""
    if not data:
        return None
    for bom, _ in _BOMS:
        if data.startswith(bom):
            return None
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return f"binary file ({what})"
    sample = data[:8192]
    if b"\x00" in sample:
        if _utf16_without_bom(sample):
            return None
        return "binary file (contains NUL bytes)"
    controls = sum(1 for byte in sample if byte < 32 and byte not in _TEXT_CONTROLS)
    if controls / len(sample) > 0.05:
        return f"binary file ({controls / len(sample):.0%} control bytes)"
    return None


def looks_binary(data: bytes) -> bool:
    """True for images, archives, executables and other non-text bytes the caller should reject."""
    return binary_reason(data) is not None


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Decode the bytes UTF-8 rejects as cp1252 (latin-1 for its five holes): mixed files."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    out = []
    for byte in bad:
        try:
            out.append(bytes([byte]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(byte))
    return "".join(out), error.end


codecs.register_error("blocwatch-cp1252", _cp1252_fallback)

_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_MOJIBAKE = re.compile(r"(?:Ã[\u0080-\u00bf]|â€|Â[\u00a0-\u00bf])")


def _repair_mojibake(text: str) -> str:
    """Undo UTF-8 once decoded as cp1252 ("â€™" for "'"), line by line, only where it helps."""
    if not _MOJIBAKE.search(text):
        return text
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if not _MOJIBAKE.search(line):
            continue
        try:
            fixed = line.encode("cp1252").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if len(_MOJIBAKE.findall(fixed)) < len(_MOJIBAKE.findall(line)):
            lines[i] = fixed
    return "\n".join(lines)


def decode_bytes(data: bytes) -> str:
    """Text from bytes of unknown encoding: BOMs, UTF-8, UTF-16, cp1252 and mixtures of them.

    Mostly-UTF-8 files with a few cp1252 bytes (pasted smart quotes) are common in scraped
    corpora; decoding them byte-by-byte in the failing spots keeps both parts right, where a
    whole-file guess would garble one of them.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace").lstrip("\ufeff")
    if b"\x00" in data[:8192]:
        utf16 = _utf16_without_bom(data[:8192])
        if utf16:
            return data.decode(utf16, errors="replace")
    try:
        return _repair_mojibake(data.decode("utf-8")).lstrip("\ufeff")
    except UnicodeDecodeError:
        pass
    # Mostly valid multi-byte UTF-8 means a UTF-8 file with stray legacy bytes; CJK legacy
    # encodings also form a few valid-looking sequences, but fail on most of their bytes.
    high = sum(1 for byte in data if byte >= 0x80)
    invalid = sum(1 for ch in data.decode("utf-8", "surrogateescape") if "\udc80" <= ch <= "\udcff")
    if _UTF8_MULTIBYTE.search(data) and invalid <= 0.25 * high:
        return data.decode("utf-8", errors="blocwatch-cp1252").lstrip("\ufeff")
    guess = None
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is not None:
            guess = best.encoding
    except ImportError:  # pragma: no cover - charset-normalizer ships with requests/trafilatura
        guess = None
    if guess and guess.lower().replace("-", "_") not in {w.replace("-", "_") for w in _WESTERN}:
        try:
            return data.decode(guess)
        except (UnicodeDecodeError, LookupError):
            pass
    return _repair_mojibake(data.decode("cp1252", errors="blocwatch-cp1252"))


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------

MONTHS = {
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
}
WEEKDAYS = {
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thur",
    "thurs",
    "fri",
    "sat",
    "sun",
}
_DATE_FILLER = {"at", "of", "on", "the", "am", "pm", "a.m", "p.m", "a", "p", "m", "h", "hrs"}
TIMEZONES = {
    "gmt",
    "utc",
    "bst",
    "cet",
    "cest",
    "eet",
    "eest",
    "est",
    "edt",
    "cst",
    "cdt",
    "mst",
    "mdt",
    "pst",
    "pdt",
    "et",
    "pt",
    "ct",
    "ist",
    "jst",
    "kst",
    "aest",
    "aedt",
    "msk",
    "z",
}
_DATE_TOKEN = re.compile(r"[A-Za-z]+\.?|\d{1,4}(?:st|nd|rd|th)?|[^\sA-Za-z\d]")
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
_NUMERIC_DATE = re.compile(
    r"\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ]\d{1,2}:\d\d(?::\d\d(?:\.\d+)?)?)?"
    r"(?:Z|[+-]\d\d:?\d\d)?\b|\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\b"
)
_TIME = re.compile(r"\b\d{1,2}[:.]\d\d(?:[:.]\d\d)?(?:\s*[ap]\.?m\.?)?\b", re.I)

# Labels before a date on its own line. The first group dates the article; the second names
# the day the page was read or re-edited, which is not the publication date.
_PUBLISHED_LABEL = r"published(?:\s+on)?|first\s+published(?:\s+on)?|posted(?:\s+on)?|date|dated"
_OTHER_LABEL = (
    r"today|updated(?:\s+on)?|last\s+updated(?:\s+on)?|last\s+modified|modified|accessed(?:\s+on)?"
    r"|retrieved(?:\s+on)?|scraped(?:\s+on)?|crawled(?:\s+on)?|fetched(?:\s+on)?|printed(?:\s+on)?"
    r"|downloaded(?:\s+on)?|as\s+of"
)
_DATE_LABEL = re.compile(
    rf"^\s*(?:(?P<pub>{_PUBLISHED_LABEL})|(?P<other>{_OTHER_LABEL}))\b\s*[:\-–—|]?\s*", re.I
)


def _is_date_phrase(text: str) -> bool:
    """True when ``text`` is nothing but a calendar date with a year (and maybe a time)."""
    text = text.strip().strip("|•·-–—,()[]").strip()
    if not text or len(text) > 60:
        return False
    if _NUMERIC_DATE.fullmatch(text):
        return True
    if not _YEAR.search(text):
        return False
    text = _TIME.sub(" ", text)
    has_month = False
    for token in _DATE_TOKEN.findall(text):
        low = token.lower().rstrip(".")
        if low in MONTHS:
            has_month = True
        elif not (
            low in WEEKDAYS
            or low in _DATE_FILLER
            or low in TIMEZONES
            or re.fullmatch(r"\d{1,4}(?:st|nd|rd|th)?", low)
            or re.fullmatch(r"[^\w\s]", token)
        ):
            return False
    return has_month


def parse_date(text: str) -> date | None:
    """A full calendar date from ``text``, or None: no part is ever filled in from today."""
    text = _DATE_LABEL.sub("", text.strip())
    numeric = _NUMERIC_DATE.search(text)
    if numeric and numeric.group(1):
        y, m, d = int(numeric.group(1)), int(numeric.group(2)), int(numeric.group(3))
        try:
            return date(y, m, d)
        except ValueError:
            return None
    if not _YEAR.search(text):
        return None
    cleaned = _TIME.sub(" ", text)
    cleaned = re.sub(
        r"\b(" + "|".join(sorted(TIMEZONES, key=len, reverse=True)) + r")\b",
        " ",
        cleaned,
        flags=re.I,
    )
    cleaned = re.sub(r"\b(at|on|the)\b", " ", cleaned, flags=re.I)
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", cleaned)
    cleaned = re.sub(r"\s+", " ", cleaned).strip(" ,|-–—")
    try:
        import dateparser
    except ImportError:  # pragma: no cover - dateparser is a declared dependency
        return None
    settings = {
        "PREFER_DAY_OF_MONTH": "first",
        "REQUIRE_PARTS": ["day", "month", "year"],
        "STRICT_PARSING": True,
        "RETURN_AS_TIMEZONE_AWARE": False,
        "PARSERS": ["absolute-time"],
    }
    try:
        parsed = dateparser.parse(cleaned, languages=["en"], settings=settings)
    except Exception:  # noqa: BLE001 - dateparser raises assorted errors on odd input
        return None
    if isinstance(parsed, datetime):
        return parsed.date()
    return None


@dataclass
class _DateLine:
    value: date | None
    kind: str  # "published", "plain" or "other" (today / updated / accessed ...)


def _date_line(line: str) -> _DateLine | None:
    """Classify a line that holds only a (labelled) date; None for any other line."""
    stripped = line.strip().strip("*_#").strip()
    label = _DATE_LABEL.match(stripped)
    rest = stripped[label.end() :] if label else stripped
    if not _is_date_phrase(rest):
        return None
    kind = "plain"
    if label:
        kind = "published" if label.group("pub") else "other"
        if re.match(r"\s*(?:last\s+)?updated", label.group(0), re.I):
            kind = "updated"
    return _DateLine(parse_date(rest), kind)


_META_SPLIT = re.compile(
    r"\s*(?:\||•|·|\s[-–—]\s)\s*|\s+(?=by\s)|\s+(?=(?:last\s+)?updated\b)", re.I
)
_RELATIVE_TIME = re.compile(
    r"^(?:(?:last\s+)?updated|published|posted)?\s*:?\s*\d+\s*(?:seconds?|secs?|minutes?|mins?"
    r"|hours?|hrs?|days?|weeks?|months?)\s+ago\b.*$|^(?:(?:last\s+)?updated|published|posted)"
    r"\s*:?\s*(?:just now|today|yesterday)$",
    re.I,
)


def _meta_line(line: str) -> tuple[_DateLine | None, str | None] | None:
    """(date, author) from a line made only of dates and bylines, e.g. "Posted 9 May 2023 by X".

    None when the line holds anything else, so body sentences are never mistaken for metadata.
    """
    text = line.strip().strip("*_").strip()
    if len(text) > 160:
        return None
    found_date: _DateLine | None = None
    author: str | None = None
    byline_seen = False
    for part in (p for p in _META_SPLIT.split(text) if p and p.strip()):
        part = part.strip().rstrip(",")
        dated = _date_line(part)
        if dated is not None:
            found_date = found_date or dated
            continue
        name = _parse_byline(part)
        if name is not None:
            author = author or name
            byline_seen = True
            continue
        if _RELATIVE_TIME.match(part) and (found_date is not None or author is not None):
            continue  # "Updated 2 hours ago" next to a real date or byline
        if re.fullmatch(r"by\s+\w+(?:\s+\w+){0,2}", part, re.I) and found_date is not None:
            byline_seen = True  # "by staff": a byline without a usable name
            continue
        return None
    if found_date is None and not byline_seen:
        return None
    return found_date, author


# --------------------------------------------------------------------------------------------
# Line classes for page dumps
# --------------------------------------------------------------------------------------------

_SOCIAL = (
    r"facebook|twitter|x|linkedin|whatsapp|telegram|reddit|pinterest|email|e-mail|messenger"
    r"|flipboard|bluesky|threads|mastodon|print|copy link|copy url|sms"
)
# Lines that are page furniture wherever they stand; dropping them must not split the body.
_DROP = re.compile(
    r"^(?:"
    rf"(?:share|share this(?: article| story| page| post)?|share on (?:{_SOCIAL})|tweet(?: this)?"
    rf"|(?:{_SOCIAL})|shares?|\d+\s+shares?|comments?|\d+\s+comments?)"
    r"|(?:share|email|send) this (?:article|story|page|post)\b.*"
    r"|share (?:this|on|via)\b.{0,60}"
    r"|follow (?:us|me)\b.*|follow @\w+.*|like us on \w+.*"
    r"|(?:sign up|subscribe|register)\b.{0,80}\b(?:newsletter|briefing|updates|inbox|alerts)\b.*"
    r"|(?:get|receive) (?:our|the)\b.{0,60}\bnewsletter\b.*"
    r"|(?:newsletter|subscribe(?: now| today)?|sign (?:in|up)|log ?in|log ?out|register|my account)"
    r"|save|saved|save (?:this )?(?:article|story|for later)\b.*|save articles? to read later\b.*"
    r"|accessibility help|listen|watch|play|pause|live|download (?:the )?app\b.*"
    r"|(?:read|see|also read|read also|watch|listen|related|more|more on this story)\s*[:|»>]\s*.+"
    r"|read more|read more (?:here|at .*|on .*)|continue reading.*|click here\b.*"
    r"|(?:story|article) continues (?:below|after).*|advertisement|advert|ad|sponsored"
    r"|sponsored content|paid content|promoted|scroll to (?:continue|top).*|back to top"
    r"|skip to (?:main )?(?:content|navigation)|toggle navigation|menu|close|search|home|loading\.*"
    r"|(?:image|photo|picture|video) (?:caption|source|credit)s?\b.*|media caption\b.*"
    r"|(?:image|photo|photograph|picture|credit|source)\s*:\s*.{0,120}"
    r"|(?:getty images|reuters|afp|ap|epa|shutterstock)(?:\s*/\s*\w+)*"
    r"|listen to (?:this|the) (?:article|story).*|\d+\s*min(?:ute)?s?\s*read|reading time.*"
    r"|(?:updated|published|posted)?\s*\d+\s*(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?"
    r"|weeks?|months?)\s+ago(?:\s+at\s+\d{1,2}[:.]\d\d(?:\s*[ap]\.?m\.?)?)?"
    r"|(?:©|\(c\)|copyright\b).*|.*\ball rights reserved\b.*"
    r"|(?:terms (?:of|and) (?:use|service|conditions)|privacy (?:policy|notice)|cookie policy"
    r"|contact us|about us|accessibility|manage (?:cookies|preferences|consent))"
    r"|tags?\s*:.*|topics?\s*:.*|filed under\b.*|keywords?\s*:.*"
    r")\s*$",
    re.I,
)
_COOKIE = re.compile(
    r"\b(?:we|this (?:web)?site|our (?:web)?site|this page) uses? cookies\b|\bcookie (?:policy|"
    r"settings|preferences|consent|notice)\b|^\s*(?:accept|reject|allow|manage)(?: all)? cookies\b"
    r"|\bby (?:continuing|using this site)\b.*\b(?:agree|accept|consent)\b"
    r"|\bcookies?\b.*\b(?:website|browser|consent|opt[- ]out|third[- ]party)\b"
    r"|\b(?:website|browser|consent|opt[- ]out|third[- ]party)\b.*\bcookies?\b",
    re.I,
)
# Headings of the lists pages put after (or beside) the article: where they stand, the
# article has ended.
_STOP = re.compile(
    r"^(?:related(?: articles?| stories| content| coverage| news| posts| topics| reading| links)?"
    r"|latest(?: news| stories| contents?| articles| headlines| posts| updates| videos)?"
    r"|more (?:from|on|in|stories|news|like this|to read|top stories)\b.{0,40}|more stories"
    r"|most (?:read|popular|viewed|shared|commented|watched)(?: .{0,30})?"
    r"|you (?:may|might) (?:also )?(?:like|enjoy|be interested in)|recommended(?: for you| stories|"
    r" reading| articles)?|trending(?: now| stories| news)?|top (?:stories|news|headlines)"
    r"|editor'?s? picks?|don'?t miss|read next|up next|what to read next|popular(?: now| stories)?"
    r"|also (?:in|on) .{1,30}|(?:from )?around the web|sponsored (?:stories|links)|comments?"
    r"|\d+ comments?|leave a (?:comment|reply)|join the (?:conversation|discussion)"
    r"|(?:in )?other news|further reading|see also|explore more|news in brief"
    r")\s*:?\s*$",
    re.I,
)
# Where reader comments begin, the article is over for good: comments are never the body,
# however long they run.
_COMMENTS = re.compile(
    r"^(?:\d+\s+)?(?:comments?|responses?|replies|discussion)(?:\s*\(\d+\))?$"
    r"|^(?:(?:show|view|read|see|hide|load|top|reader|readers'?|all|latest|newest|oldest|recent"
    r"|best|rated|featured|most|more|\d+)\s+){1,3}comments?$"
    r"|^(?:leave|post|add|write) a (?:comment|reply|response)\b.*"
    r"|^(?:join|start) the (?:conversation|discussion|debate)\b.*"
    r"|^comments? (?:are|have been) closed\b.*"
    r"|^what do you think\??$",
    re.I,
)
_BYLINE = re.compile(
    r"^\s*(?:by|written by|words by|story by|author\s*:|reported by)\s+(?P<name>.+?)\s*$", re.I
)
_NAME_WORD = re.compile(r"^(?:[A-Z][\w'’.\-]*|[A-Z]\.|and|&|de|da|van|von|der|al|el|bin|la|le)$")
_TERMINAL = re.compile(r"[.!?…:;][\"'”’»)\]]*\s*$|[\"”»]\s*$")
_ELLIPSIS = re.compile(r"(?:…|\.\.\.|\[\.\.\.\]|\[…\])\s*$")
_BULLET = re.compile(r"^\s*(?:[-*•▪◦·]|\d{1,2}[.)])\s+")
_NAV_SEP = re.compile(r"\s(?:\||•|·|/|»|›|>)\s")
_WORD = re.compile(r"[^\W\d_][\w'’\-]*")
_MD_TITLE = re.compile(r"^#\s+(?P<title>\S.*?)\s*#*\s*$")
_MD_SUBHEAD = re.compile(r"^#{2,6}\s+\S")


def _words(line: str) -> list[str]:
    return _WORD.findall(line)


def _parse_byline(line: str) -> str | None:
    """The author named by a byline ("By Jane Doe, Kyiv"), or None if ``line`` is not one."""
    match = _BYLINE.match(line.strip().strip("*_"))
    if not match:
        return None
    name = match.group("name")
    name = re.split(r"\s*(?:[|•·,;]|\s[-–—]\s|\bin\s+[A-Z])\s*", name)[0].strip()
    words = name.split()
    if not 1 <= len(words) <= 8 or name.endswith((".", "?", "!")) and not name.endswith(" Jr."):
        return None
    if not all(_NAME_WORD.match(w) for w in words):
        return None
    if not any(w[0].isupper() for w in words):
        return None
    return name


_CREDIT = re.compile(
    r"^(?:additional\s+)?(?:reporting|writing|editing|compiled|produced|graphics|photos?|video)"
    r"(?:\s+and\s+\w+)?\s+by\s+(?P<names>.+)$",
    re.I,
)


def _is_credit_line(text: str) -> bool:
    """Wire-story credits: "(Reporting by Jane Doe in Kyiv; Editing by John Roe)"."""
    parts = [p.strip() for p in _bare(text).rstrip(".").split(";") if p.strip()]
    if not parts:
        return False
    for part in parts:
        match = _CREDIT.match(part)
        if not match:
            return False
        words = re.split(r"[\s,]+", match.group("names").strip())
        if not all(
            w and (w[0].isupper() or w in {"and", "in", "&", "de", "van", "von"}) for w in words
        ):
            return False
    return True


def _is_furniture(line: str) -> bool:
    text = line.strip().strip("*_>").strip()
    if not text:
        return False
    if _DROP.match(text) or _DROP.match(_bare(text)) or _COOKIE.search(text):
        return True
    if _is_credit_line(text):
        return True
    # Menus flattened onto one line: "Home | World | Politics | Business".
    parts = [p.strip() for p in re.split(r"\s*(?:\||•|·)\s*", text) if p.strip()]
    return len(parts) >= 3 and all(len(_words(p)) <= 3 for p in parts)


def _is_teaser(text: str) -> bool:
    """A one-sentence lead cut off with an ellipsis, as teaser lists show under headlines."""
    if not _ELLIPSIS.search(text) or len(_words(text)) > 40:
        return False
    return not re.search(r"[.!?][\"”’)]?\s+[A-Z“\"]", _ELLIPSIS.sub("", text))


def _is_prose(line: str) -> bool:
    """A paragraph of running text: several words ending like a sentence, or simply long."""
    text = line.strip()
    n = len(_words(text))
    if _is_teaser(text):
        return False
    if n >= 25:
        return True
    return n >= 8 and bool(_TERMINAL.search(text)) and not text.endswith(":")


def _title_case_share(line: str) -> float:
    words = [w for w in _words(line) if len(w) > 3]
    if not words:
        return 0.0
    return sum(1 for w in words if w[0].isupper()) / len(words)


def _is_label(line: str) -> bool:
    """A short category label such as "World News", "Politics" or "Business & Economy"."""
    text = line.strip().strip(":").strip()
    if not text or len(text) > 32 or re.search(r"[\d.!?,;\"“”()]", text):
        return False
    words = text.replace("&", " ").replace("/", " ").split()
    if not 1 <= len(words) <= 3:
        return False
    return all(w[0].isupper() for w in words if w.lower() not in {"and", "of", "the", "in"})


_NOT_HEADLINE = re.compile(
    r"^(?:by|written by|posted|published|updated|photo|image|credit|source|tags?|filed|"
    r"reading time|copy|follow|skip|e-?mail|subscribe|download|sign|log ?in|share|print|save|"
    r"read|browse|more|watch|listen|advertisement|sponsored|tweet|pin it|welcome to|"
    r"click|tap|install|open in|view|see all|see more|show|load more|why you can trust|"
    r"these are external links)\b"
    r"|[|]|(?-i:,\s*[A-Z][A-Z.&' ]{3,}$)",  # menus, credits "Jane Doe, ASSOCIATED PRESS"
    re.I,
)


def _is_headline(line: str) -> bool:
    """A line that could be a headline: one short sentence-like phrase, not body or chrome."""
    text = _strip_markup(line)
    n = len(_words(text))
    if not 3 <= n <= 30 or len(text) > 250:
        return False
    if _NOT_HEADLINE.search(text) or text.count(":") > 1 or "#" in text or "http" in text:
        return False
    letters = [c for c in text if c.isalpha()]
    if letters and all(c.isupper() for c in letters if c.lower() != c.upper()):
        return False  # kickers and credits in capitals, not headlines
    if re.search(r"[.!?][\"”’)]?\s+[A-Z“\"]", text):
        return False  # two sentences: a paragraph, not a headline
    if text.endswith(".") and not text.endswith("..."):
        return n <= 14 and _title_case_share(text) > 0.6
    return not text.endswith((":", ";", ",", "…", "..."))


@dataclass
class _Line:
    index: int
    raw: str
    text: str
    kind: str  # blank, drop, stop, date, byline, prose, md_title, subhead, bullet, short
    date: _DateLine | None = None
    author: str | None = None
    duplicate: bool = False
    teaser: bool = False


_CAPTION_LABEL = re.compile(
    r"^(?:image|photo|picture|video|media|graphic)\s+(?:caption|source|credit)s?\s*[,:]?$", re.I
)


def _after_caption_label(previous: list[_Line]) -> bool:
    for item in reversed(previous):
        if item.kind != "blank":
            return bool(_CAPTION_LABEL.match(item.text))
    return False


def _bare(text: str) -> str:
    """A line without the brackets and markup around it: "[ 167 comments ]" -> "167 comments"."""
    return text.strip().strip("[](){}<>*_#|•·–—- \t").strip()


def _unwrap(lines: list[str]) -> list[str]:
    """Rejoin paragraphs of hard-wrapped text (every line cut near one width) into one line each.

    Line-level rules need a paragraph per line; a wrapped line is recognised by reaching
    close to the wrap width, so a short line (a headline, a paragraph's last line) ends a group.
    """
    lengths = sorted(len(line.rstrip()) for line in lines if line.strip())
    if len(lengths) < 8:
        return lines
    width = lengths[int(0.9 * (len(lengths) - 1))]
    if not 40 <= width <= 100 or lengths[-1] > width + 25:
        return lines
    if sum(1 for n in lengths if n >= 0.75 * width) < 0.5 * len(lengths):
        return lines
    units: list[str] = []
    group: list[str] = []
    for line in lines:
        if group and (not line.strip() or len(group[-1].rstrip()) < 0.75 * width):
            units.append(" ".join(part.strip() for part in group))
            group = []
        if line.strip():
            group.append(line)
        else:
            units.append(line)
    if group:
        units.append(" ".join(part.strip() for part in group))
    return units


def _key(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def _classify(lines: list[str]) -> list[_Line]:
    out: list[_Line] = []
    for i, raw in enumerate(lines):
        text = raw.strip()
        item = _Line(i, raw, text, "short")
        if not text:
            item.kind = "blank"
        elif (meta := _meta_line(text)) is not None:
            item.date, item.author = meta
            item.kind = "date" if item.date is not None else "byline"
        elif _COMMENTS.match(_bare(text)) and len(_words(text)) <= 6:
            item.kind = "comments"
        elif _STOP.match(_bare(text)):
            item.kind = "stop"
        elif _is_furniture(text):
            item.kind = "drop"
        elif _MD_TITLE.match(text):
            item.kind = "md_title"
        elif _MD_SUBHEAD.match(text):
            item.kind = "subhead"
        elif _is_prose(text):
            item.kind = "prose"
        elif _BULLET.match(text):
            item.kind = "bullet"
        if item.kind in {"short", "prose"} and _after_caption_label(out):
            item.kind = "drop"  # the caption under an "Image caption," label
        if text and item.kind in {"short", "prose", "subhead", "bullet"}:
            key = _key(text)
            previous = next((it for it in reversed(out) if it.kind != "blank"), None)
            if previous is not None and previous.text and key == _key(previous.text):
                item.duplicate = True  # teaser lists repeat each headline (image alt + link)
            item.teaser = _is_teaser(text)
        out.append(item)
    return out


# A "Related" / "Latest" heading costs as much as this many words of prose: a box of links
# in mid-article is bridged, a list after the article is not reached.
_STOP_COST = 40.0
# Words of prose before a comments heading that make it the article rather than a preamble.
_MIN_ARTICLE = 40.0
_SENTENCE_END = re.compile(r"[.!?][\"'”’»)\]]*\s*$")


def _line_score(item: _Line) -> float | None:
    """How much a line votes for being inside the article; None means "the article ends here".

    Prose earns its word count; headline-like and menu-like lines cost a little each, so a
    few subheadings or list items between paragraphs are bridged while a teaser list or a
    menu separates two stretches of text. This is the body-text-extraction idea (Finn et al.
    2001) applied to lines instead of tags.
    """
    if item.kind in {"blank", "drop", "byline"}:
        return 0.0
    if item.kind == "comments" or item.duplicate:
        return None
    if item.kind == "stop":
        return -_STOP_COST
    if item.kind == "date":
        if item.date is not None and item.date.kind == "published":
            return 0.0  # a "Published: ..." line inside the article does not end it
        return -25.0  # teaser lists carry a date under every entry
    n = len(_words(item.text))
    if item.kind == "prose":
        return float(n)
    if item.teaser:
        return -2.0 - 0.5 * n
    if n >= 2 and _SENTENCE_END.search(item.text) and not _NAV_SEP.search(item.text):
        return 0.5 * n  # a short paragraph: "He denied it."
    if item.kind in {"subhead", "bullet", "md_title"}:
        return -1.0
    return -2.0 - 0.5 * n


def _best_span(items: list[_Line]) -> tuple[int, int] | None:
    """The stretch of lines with the highest total score (maximum-sum segment, Kadane)."""
    best: tuple[float, int, int] | None = None
    total, start = 0.0, None
    for item in items:
        if item.kind == "comments" and best is not None and best[0] >= _MIN_ARTICLE:
            break
        score = _line_score(item)
        if score is None:
            total, start = 0.0, None
            continue
        if start is None:
            if item.kind != "prose":
                continue  # a span starts and ends on a paragraph
            start, total = item.index, 0.0
        total += score
        if total <= 0:
            total, start = 0.0, None
            continue
        if item.kind == "prose" and (best is None or total > best[0]):
            best = (total, start, item.index)
    return (best[1], best[2]) if best else None


def _pick_date(candidates: Iterable[_DateLine]) -> date | None:
    """Prefer a date the page calls publication, then a bare date, then an update date;
    among equals, the one nearest the article (candidates come in reading order towards it)."""
    ranked = {"published": 0, "plain": 1, "updated": 2}
    usable = [c for c in candidates if c.value is not None and c.kind in ranked]
    if not usable:
        return None
    return min(reversed(usable), key=lambda c: ranked[c.kind]).value


def clean_text(raw: str, url: str | None = None) -> Extracted:
    """The article inside plain text that may be a scraped page dump, with its stated metadata.

    The body is the densest stretch of prose lines (subheadings and short lines between
    paragraphs are bridged, teaser lists and "Related" boxes are not); the header before it
    yields title, standfirst, section, byline and date; whatever follows is cut. Text that is
    already a bare article passes through whole, minus furniture lines such as share prompts.
    """
    text = raw.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    lines = _unwrap(text.split("\n"))
    items = _classify(lines)
    content = [it for it in items if it.kind != "blank"]
    if not content:
        return Extracted(text="", url=url)

    best = _best_span(items)
    if best is None:
        # No paragraph reads like prose (very short text): keep every non-furniture line.
        kept = [it.raw.rstrip() for it in items if it.kind in {"short", "subhead", "bullet"}]
        authors = [it.author for it in items if it.author]
        return Extracted(
            text=_join(kept),
            published=_pick_date(it.date for it in items if it.date is not None),
            url=url,
            author=authors[0] if authors else None,
        )
    start, end = best

    # Header zone: walk back from the body over metadata lines to find the headline.
    header = [it for it in items[:start] if it.kind != "blank"]
    title, standfirst, title_pos = _find_title(header)
    # Section: a lone short label just above the headline (not one of a column of menu
    # labels). Without a headline the header is not understood, so no section is claimed.
    section = None
    if title_pos is not None:
        section = _find_section(items, header[max(0, title_pos - 4) : title_pos])

    dates = [it.date for it in header if it.kind == "date" and it.date is not None]
    authors = [it.author for it in header if it.kind == "byline"]
    # A byline or "Published" line can also follow the article.
    trailer = items[end + 1 :]
    dates += [
        it.date
        for it in trailer[:12]
        if it.kind == "date" and it.date is not None and it.date.kind == "published"
    ]
    authors += [it.author for it in trailer[:6] if it.kind == "byline"]
    published = _pick_date(dates)
    inside = items[start : end + 1]
    published = published or _pick_date(it.date for it in inside if it.kind == "date" and it.date)
    authors += [it.author for it in inside[:3] if it.kind == "byline"]
    author = authors[0] if authors else None

    # Body: the run itself, led by the standfirst and any subheading right above it.
    body_start = start
    if standfirst is not None:
        body_start = standfirst.index
    else:
        for it in reversed(items[:start]):
            if it.kind == "blank":
                continue
            if it.kind == "subhead":
                body_start = it.index
                continue
            break
    kept = [
        it.raw.rstrip()
        for it in items[body_start : end + 1]
        if it.kind not in {"drop", "date", "byline", "stop", "comments"}
    ]
    found_url, outlet = _source_hints(lines, _join(kept))
    return Extracted(
        text=_join(kept),
        title=title,
        published=published,
        section=section,
        outlet=outlet,
        url=url or found_url,
        author=author,
    )


_URL_LINE = re.compile(r"^\s*(?:url|source|link)?\s*:?\s*(https?://[^\s<>\"]+)\s*$", re.I)
_COPYRIGHT = re.compile(r"^\s*(?i:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?)?"
                        r"\s*(?P<name>[A-Z][\w&.' -]{1,60}?)\s*(?:[.,;|]|(?i:all rights)|$)")
#: Wire services named in a dateline ("KYIV (Reuters) -", "WASHINGTON (AP) —").
_WIRE = re.compile(r"^[A-Z][A-Za-z .,'-]{1,60}\((Reuters|AP|AFP|Bloomberg|Xinhua|dpa|UPI|TASS|"
                   r"ANSA|EFE|Kyodo|Yonhap|PTI|IANS|BERNAMA|Anadolu|CNN|BBC)\)\s*[-–—]")


def _source_hints(lines: list[str], body: str) -> tuple[str | None, str | None]:
    """Where a page dump says it comes from: a URL line near its top or bottom, a copyright
    line ("© 2024 Reuters"), or the wire service of its dateline ("KYIV (Reuters) -"). Only
    what the text states: nothing is guessed from the wording."""
    edge = lines[:8] + lines[-8:]
    url = next((m.group(1) for line in edge if (m := _URL_LINE.match(line))), None)
    outlet = next((m.group("name").strip() for line in edge
                   if len(line) <= 100 and (m := _COPYRIGHT.match(line))), None)
    if outlet is None and (m := _WIRE.match(body.lstrip())):
        outlet = m.group(1)
    return url, outlet


# How many metadata lines (dates, bylines, share prompts, captions) may stand between the
# headline and the first paragraph.
_MAX_HEADER_SKIP = 8


def _find_title(header: list[_Line]) -> tuple[str | None, _Line | None, int | None]:
    """(title, standfirst line, title position in ``header``) from the lines above the body.

    The headline is the headline-like line nearest the body, or the one above a standfirst;
    a markdown "# Title" wins. Anything less clear gives None rather than a guess.
    """
    for pos, item in enumerate(header):
        if item.kind == "md_title":
            match = _MD_TITLE.match(item.text)
            after = [it for it in header[pos + 1 :] if it.kind in {"short", "prose"}]
            lone = len(after) == 1 and _is_standfirst(after[0].text)
            standfirst = after[0] if lone else None
            return (match.group("title").strip() if match else None), standfirst, pos
    found: list[tuple[int, _Line]] = []
    skipped = 0
    for pos in range(len(header) - 1, -1, -1):
        item = header[pos]
        skippable = item.kind in {"date", "byline", "drop"} or (
            not found
            and (item.kind == "subhead" or (item.kind == "short" and _is_label(item.text)))
        )
        if skippable:
            skipped += 1  # a byline, a date, "Share", an author's name, a caption label
            if skipped > _MAX_HEADER_SKIP:
                break
            continue
        candidate = item.kind in {"short", "prose"} and not item.duplicate
        if candidate and (_is_headline(item.text) or (not found and _is_standfirst(item.text))):
            found.append((pos, item))
            skipped = 0
            if len(found) == 2:
                break
            continue
        break
    if not found:
        return None, None, None
    pos, nearest = found[0]
    if len(found) == 2:
        above_pos, above = found[1]
        if not _is_headline(nearest.text) or _looks_like_standfirst(nearest.text, above.text):
            return _strip_markup(above.text), nearest, above_pos
    if _is_headline(nearest.text) and len(_words(nearest.text)) <= 20:
        return _strip_markup(nearest.text), None, pos
    return None, None, None


def _strip_markup(text: str) -> str:
    return text.strip().strip("*_").strip()


def _is_standfirst(text: str) -> bool:
    """A sentence or two in sentence case under a headline, summing the story up."""
    n = len(_words(text))
    if not 8 <= n <= 60 or _title_case_share(text) >= 0.6 or _NOT_HEADLINE.search(text):
        return False
    return len(re.findall(r"[.!?][\"”’)]?\s+[A-Z“\"]", text)) <= 1


def _looks_like_standfirst(nearest: str, above: str) -> bool:
    """Is ``nearest`` (just above the body) a standfirst under the headline ``above``?"""
    n_near, n_above = len(_words(nearest)), len(_words(above))
    if nearest.rstrip().endswith((".", "!", "?")) and n_near >= 8:
        return True
    # A standfirst is a longer line than the headline above it, written in sentence case.
    return n_near >= 10 and n_near > n_above and _title_case_share(nearest) < 0.6


def _find_section(items: list[_Line], header: list[_Line]) -> str | None:
    explicit = None
    for item in header:
        match = re.match(r"^\s*(?:section|category|filed in)\s*:\s*(.{1,40})$", item.text, re.I)
        if match:
            explicit = match.group(1).strip()
    if explicit:
        return explicit
    candidates = []
    for item in header[-4:]:
        if item.kind not in {"short"} or not _is_label(item.text) or _is_furniture(item.text):
            continue
        neighbours = [
            items[j]
            for j in (item.index - 1, item.index + 1)
            if 0 <= j < len(items) and items[j].kind != "blank"
        ]
        if any(n.kind == "short" and _is_label(n.text) for n in neighbours):
            continue  # one label among many: a menu
        candidates.append(item)
    # Breadcrumbs "Home > World > Europe": the last crumb names the section.
    for item in header[-4:]:
        crumbs = [c.strip() for c in re.split(r"\s*(?:»|›|>|/|\|)\s*", item.text) if c.strip()]
        if (
            2 <= len(crumbs) <= 4
            and crumbs[0].lower() in {"home", "news"}
            and all(len(_words(c)) <= 4 and not re.search(r"[.!?,;:]", c) for c in crumbs[1:])
        ):
            return crumbs[-1]
    return candidates[-1].text.strip().strip(":") if candidates else None


def _join(lines: list[str]) -> str:
    """Lines back into text, with at most one blank line between paragraphs."""
    out: list[str] = []
    for line in lines:
        if not line.strip():
            if out and out[-1] != "":
                out.append("")
            continue
        out.append(line)
    return "\n".join(out).strip()


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------

_FURNITURE_TAGS = (
    "script",
    "style",
    "noscript",
    "nav",
    "header",
    "footer",
    "aside",
    "iframe",
    "svg",
    "input",
    "button",
    "select",
    "textarea",
    "template",
    "figure",
    "figcaption",
)
_BLOCK_TAGS = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "br",
    "tr",
    "blockquote",
    "pre",
    "dd",
    "dt",
    "table",
    "ul",
    "ol",
    "hr",
}


def _meta_fields(tree) -> dict[str, str]:
    """Title, date, site, section, author and language as the page declares them in <head>."""
    found: dict[str, str] = {}
    wanted = {
        "og:title": "title",
        "twitter:title": "title",
        "article:published_time": "date",
        "og:published_time": "date",
        "datepublished": "date",
        "pubdate": "date",
        "publishdate": "date",
        "date": "date",
        "dc.date": "date",
        "dc.date.issued": "date",
        "sailthru.date": "date",
        "parsely-pub-date": "date",
        "og:site_name": "outlet",
        "application-name": "outlet",
        "article:section": "section",
        "parsely-section": "section",
        "author": "author",
        "article:author": "author",
        "dc.creator": "author",
    }
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        value = (meta.get("content") or "").strip()
        field = wanted.get(key)
        if field and value and field not in found and not value.startswith("http"):
            found[field] = value
    if "title" not in found:
        title = tree.findtext(".//title")
        if title and title.strip():
            found["title"] = title.strip()
    lang = tree.get("lang") if tree.tag == "html" else None
    if lang is None:
        html_el = tree.find(".//html") if tree.tag != "html" else None
        lang = html_el.get("lang") if html_el is not None else None
    if lang:
        found["language"] = lang.strip().split("-")[0].split("_")[0].lower()
    return found


def _fallback_text(tree) -> str:
    """Body text with the obvious furniture elements removed, one block per line."""
    from lxml import etree

    body = tree.find(".//body")
    if body is None:
        body = tree
    for element in list(body.iter(*_FURNITURE_TAGS)):
        parent = element.getparent()
        if parent is not None:
            parent.remove(element)
    for element in body.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCK_TAGS:
            element.tail = "\n\n" + (element.tail or "")
            if element.tag.lower() != "br":
                element.text = "\n\n" + (element.text or "")
    text = etree.tostring(body, method="text", encoding="unicode")
    return re.sub(r"[ \t\u00a0]+", " ", text)


def html_to_text(html: str) -> str:
    """The page's text one block per line, minus menus, headers, footers and scripts.

    What a reader would get by copying the page: used as the fallback when trafilatura finds
    no article, and by ``blocwatch eval extraction --mode text`` to test ``clean_text``.
    """
    tree = _parse_html(html)
    return _fallback_text(tree) if tree is not None else ""


def _to_date(value: str | None) -> date | None:
    if not value:
        return None
    return parse_date(value)


def _parse_html(html: str):
    """An lxml tree, or None for empty or unparseable input."""
    import lxml.html
    from lxml import etree

    if not html or not html.strip():
        return None
    try:
        return lxml.html.fromstring(html)
    except ValueError:
        # "<?xml ... encoding=...?>" pages: lxml only accepts those declarations on bytes.
        try:
            return lxml.html.fromstring(html.encode("utf-8"))
        except (ValueError, etree.ParserError):
            return None
    except etree.ParserError:
        return None


def extract_html(html: str, url: str | None = None) -> Extracted:
    """Article body and stated metadata of an HTML page (empty text if there is no article).

    trafilatura finds the body. ``favor_precision`` because furniture in the body turns into
    false events downstream, and on the benchmark it costs little recall (F1 0.966 -> 0.972).
    Its extensive date search is off because it guesses from copyright lines and free text.
    Metadata it misses is read from the page's <meta> tags.
    """

    tree = _parse_html(html)
    meta = _meta_fields(tree) if tree is not None else {}

    doc = None
    try:
        import trafilatura

        doc = trafilatura.bare_extraction(
            html,
            url=url,
            include_comments=False,
            include_tables=True,
            favor_precision=True,
            with_metadata=True,
            date_extraction_params={
                "original_date": True,
                "extensive_search": False,
                "max_date": date.today().isoformat(),
            },
        )
    except Exception:  # noqa: BLE001 - a broken page must not stop a batch
        doc = None

    if doc is not None and (getattr(doc, "text", None) or "").strip():
        text = _paragraphs(doc.text, doc.title)
        title = doc.title or meta.get("title")
        published = _to_date(doc.date) or _to_date(meta.get("date"))
        outlet = doc.sitename or meta.get("outlet")
        categories = [c for c in (doc.categories or []) if c and c.strip()]
        section = categories[0].strip() if categories else meta.get("section")
        author = doc.author or meta.get("author")
        language = doc.language or meta.get("language")
        page_url = doc.url or url
    else:
        fallback = clean_text(_fallback_text(tree)) if tree is not None else Extracted(text="")
        text = fallback.text
        title = meta.get("title") or fallback.title
        published = _to_date(meta.get("date")) or fallback.published
        outlet = meta.get("outlet")
        section = meta.get("section") or fallback.section
        author = meta.get("author") or fallback.author
        language = meta.get("language")
        page_url = url
    return Extracted(
        text=text,
        title=(title or "").strip() or None,
        published=published,
        section=section or None,
        outlet=(outlet or "").strip() or None,
        url=page_url or None,
        author=(author or "").strip() or None,
        language=language or None,
    )


def _paragraphs(text: str, title: str | None) -> str:
    """trafilatura's one-line-per-block text as paragraphs separated by blank lines."""
    lines = [line.strip() for line in text.split("\n")]
    lines = [line for line in lines if line]
    if all(_is_furniture(line) for line in lines):
        return ""  # a menu or a share bar is all the page had: no article
    if title and lines and lines[0].strip() == title.strip():
        lines = lines[1:]  # the headline repeated as the first block is not body text
    return "\n\n".join(lines)
