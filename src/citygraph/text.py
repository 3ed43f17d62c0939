"""From raw bytes to clean text: decoding, HTML main-text extraction, boilerplate removal.

Real pages arrive with menus, tickers and lists of every province around one story; later stages
assume prose, so this stage keeps the paragraphs and drops the rest. Every rejection is a
`DocumentError` with a one-line reason, so a batch can report it and go on.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from citygraph import dates
from citygraph.model import Document

__all__ = [
    "DocumentError",
    "MAX_BYTES",
    "decode",
    "read_document",
    "document_from_bytes",
    "clean_lines",
    "is_html",
]

MAX_BYTES = 5_000_000  # a press release is a few KB; anything this large is not one

_HTML_START = re.compile(rb"^\s*(<!doctype html|<html|<head|<body|<!--|<\?xml[^>]*>\s*<html)", re.I)
_HTML_TAGS = re.compile(rb"<(p|div|article|nav|body|h1|span|br)\b[^>]*>", re.I)
_BULLET_CHARS = "\u2022\u00b7\u25cf\u25aa\u2023\u2043*-–—>|"
_BULLET = re.compile(rf"^[\s{re.escape(_BULLET_CHARS)}]+")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u3000]+")
_SENTENCE_END = re.compile(r"[.!?:;\"”’)]\s*$")
_QUOTE_CHARS = "\u2019\u2018\u201c\u201d\u00b4`"
_QUOTES = str.maketrans(_QUOTE_CHARS, "''\"\"''")


_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


class DocumentError(ValueError):
    """An input that cannot be read as a document; the message is one line for the user."""


def is_html(data: bytes) -> bool:
    """Whether bytes look like an HTML page rather than plain text.

    >>> is_html(b"<!DOCTYPE html><html><body><p>x</p></body></html>")
    True
    >>> is_html(b"Seoul and Vientiane signed an MOU.")
    False
    """
    head = data[:4096]
    return bool(_HTML_START.match(head)) or len(_HTML_TAGS.findall(head)) >= 3


def decode(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM, or UTF-16 with BOM); refuse binary and other encodings."""
    if not data.strip():
        raise DocumentError("empty document")
    if len(data) > MAX_BYTES:
        raise DocumentError(f"document too large ({len(data):,} bytes; the limit is {MAX_BYTES:,})")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DocumentError(f"invalid UTF-16 text at byte {exc.start}") from None
    if b"\x00" in data[:8192]:
        raise DocumentError("binary file, not a text document")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})") from None
    controls = len(_CONTROLS.findall(text, 0, 8192))
    if controls > max(8, len(text[:8192]) // 50):
        raise DocumentError("binary file, not a text document")
    if not any(ch.isalpha() for ch in text):
        raise DocumentError("no text in document")
    return text


def _html_to_text(html: str, url: str | None) -> tuple[str, str | None, str | None]:
    """Main text, title and date of a page; trafilatura drops navigation, footers and scripts."""
    import trafilatura  # imported lazily: it is slow to import and plain text never needs it

    # extensive date search makes htmldate call dateparser over every locale (~0.1 s a page); `fast` skips
    # the second opinion of the readability/jusText fallbacks (a fifth of the time; the same text on every
    # page we test with), and a page the main extractor cannot read still falls back to its whole text below
    doc = trafilatura.bare_extraction(
        html,
        url=url,
        fast=True,
        include_comments=False,
        include_tables=True,
        favor_recall=True,
        with_metadata=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = getattr(doc, "text", None) if doc is not None else None
    if not text:
        from lxml import html as lxml_html

        try:
            root = lxml_html.fromstring(html)
        except Exception:  # lxml raises several types on broken markup
            raise DocumentError("HTML page with no readable text") from None
        for bad in root.xpath("//script|//style|//nav|//footer|//header"):
            bad.drop_tree()
        text = root.text_content()
        return text, None, None
    title = getattr(doc, "title", None)
    date = getattr(doc, "date", None)
    if title and not text.lstrip().startswith(title):
        text = f"{title}\n{text}"
    return text, title, date


_OCR_APOSTROPHE = re.compile(r"\b(?=[aot])(of|the|and|to)'(?=\s)")
_BROKEN_HYPHEN = re.compile(r"(?<=[^\W\d_])-[ ]+(?=[^\W\d_])")


def _normalise(text: str) -> str:
    # each step is tried only where its cheap pre-test says it can change something
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if any(q in text for q in _QUOTE_CHARS):
        text = text.translate(_QUOTES)
    text = _OCR_APOSTROPHE.sub(r"\1", text)  # scans read "of" as "of'"
    if "- " in text:
        text = _BROKEN_HYPHEN.sub("-", text)  # "Seine- et- Oise", "co- operate"
    return text.replace("\r\n", "\n").replace("\r", "\n")


_LOWER = re.compile(r"[^\W\d_]")
_UPPER = re.compile(r"[A-Z\u00c0-\u00de\u0391-\u03a9\u0410-\u042f]")


def _mostly_upper(line: str) -> bool:
    if sum(map(line.count, "etaoinsrhl")) * 5 >= len(line):
        return False  # a fifth of the line is common lower-case letters: prose, decided in a few scans
    letters = len(_LOWER.findall(line))
    if letters < 12:
        return False
    return len(_UPPER.findall(line)) / letters > 0.8


_WRAP_END = re.compile(r"(?:\b(?:and|or|of|the|in|between|with|to|for|a|an|on|by|from)|,)$", re.I)


def _unwrap(lines: list[str]) -> list[str]:
    """Join hard-wrapped lines (scans, PDFs, e-mails): a line that ends mid-phrase continues below.

    >>> _unwrap(["Komaki City in Aichi Prefecture, and", "Grant County signed.", "Next"])
    ['Komaki City in Aichi Prefecture, and Grant County signed.', 'Next']
    """
    out: list[str] = []
    for line in lines:
        prev = out[-1] if out else ""
        wrapped = (
            prev
            and line
            and not _SENTENCE_END.search(prev)
            and len(prev.split()) >= 3
            and (_WRAP_END.search(prev) or (line[0].islower() and len(prev) > 40))
        )
        if wrapped:
            out[-1] = f"{prev} {line}"
        else:
            out.append(line)
    return out


def _unbullet(line: str) -> str:
    return _BULLET.sub("", line).strip() if line and line[0] in _BULLET_CHARS else line


def clean_lines(text: str) -> list[str]:
    """Paragraph lines of the story, without menus, tickers and runs of short list items.

    A run of three or more short lines that do not end a sentence is a menu or a list of places;
    a line with several bullet separators is a news ticker. Upper-case headings are title-cased
    so that names in them read like names elsewhere.

    >>> clean_lines("Home\\nNews\\nAn Giang\\nBac Giang\\nSeoul and Hanoi signed an MOU on Monday.")
    ['Seoul and Hanoi signed an MOU on Monday.']
    """
    raw = _unwrap([_unbullet(line.strip()) for line in _SPACES.sub(" ", text).split("\n")])
    short = [bool(line) and len(line.split()) <= 4 and not _SENTENCE_END.search(line) for line in raw]
    keep: list[str] = []
    i = 0
    while i < len(raw):
        if short[i]:
            j = i
            while j < len(raw) and (short[j] or not raw[j]):
                j += 1
            run = sum(short[i:j])
            if run < 3:
                keep.extend(line for line in raw[i:j] if line and len(line.split()) >= 3)
            else:  # a menu or a list of places, but "Tom Taylor, Commissioner" lines sign a document
                keep.extend(line for line in raw[i:j] if _SIGNATURE_LINE.match(line))
            i = j
            continue
        line = raw[i]
        i += 1
        if not line or line.count("\u2022") >= 2 or line.count(" | ") >= 2 or _COOKIES.search(line):
            continue
        keep.append(_title_case(line) if _mostly_upper(line) else line)
    return keep


_COOKIES = re.compile(
    r"\bcookies?\b.*\b(?:accept|consent|use|privacy|settings|analy[sz]e)|\b(?:we|this site) uses? cookies",
    re.I,
)
_SIGNATURE_LINE = re.compile(r"^[A-Z][\w.'-]+(?: [A-Z][\w.'-]+){1,4}, [A-Za-z][\w .'-]{2,40}$")
_SMALL = {"of", "in", "and", "the", "on", "for", "between", "to", "with", "at", "by", "a", "an", "or", "from"}


def _title_case(line: str) -> str:
    """Title-case an upper-case heading, keeping function words lower: names stay separate."""
    words = line.title().split(" ")
    return " ".join(w.lower() if i and w.lower() in _SMALL else w for i, w in enumerate(words))


def document_from_bytes(data: bytes, source: str, *, published: str | None = None) -> Document:
    """Decode and clean one input; raise DocumentError with a one-line reason when it is not usable."""
    title = None
    if is_html(data):
        text, title, page_date = _html_to_text(decode(data), source if "://" in source else None)
        published = published or page_date
    else:
        text = decode(data)
    text = _normalise(text)
    lines = clean_lines(text)
    if not lines:
        raise DocumentError("no prose in document (only navigation or lists)")
    header = None if published else dates.header_date(text.split("\n", 40)[:40])
    return Document(
        source=source,
        text="\n".join(lines),
        title=title,
        published=published,
        header_date=header.isoformat() if header else None,
    )


def read_document(path: Path, *, source: str | None = None, published: str | None = None) -> Document:
    """Read a file as a document; errors name the problem, never raise a traceback to the user."""
    try:
        if path.is_dir():
            raise DocumentError("is a directory")
        data = path.read_bytes()
    except FileNotFoundError:
        raise DocumentError("no such file") from None
    except PermissionError:
        raise DocumentError("permission denied") from None
    except OSError as exc:
        raise DocumentError(exc.strerror or "cannot read file") from None
    return document_from_bytes(data, source or path.as_posix(), published=published)
