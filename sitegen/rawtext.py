"""Read raw scraped articles safely, whatever encoding the scraper left them in.

Raw files come from many sites and tools: UTF-8 with or without a BOM,
UTF-16 from Windows tools, Windows-1256 from older Arabic sites, and the odd
empty, truncated or binary file. Every stage that reads raw text goes through
`read_raw_article` so each of these is either decoded or reported by file name,
and a bad file never stops a run over the others.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable
from pathlib import Path

MAX_BYTES = 5 * 1024 * 1024
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ARABIC = re.compile(r"[\u0600-\u06ff]")
# Characters of the texts we expect: ASCII, Latin-1, Arabic and its presentation forms.
_PLAIN = re.compile(r"[\x09\x0a\x0d\x20-\x7e\xa0-\xff\u0600-\u06ff\ufb50-\ufeff\u2000-\u206f]")
_LETTER = re.compile(r"[^\W\d_]")
# Control characters that never occur in text (tab, newlines and form feed do).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85]")


class RawInputError(Exception):
    """A raw article that cannot be read as text; the message names the file."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


def read_raw_article(path: Path) -> str:
    """The decoded text of a raw article with '\\n' newlines, or RawInputError."""
    path = Path(path)
    data = _read_bytes(path)
    text = _decode(data, path)
    text = _NEWLINES.sub("\n", text)
    if not text.strip():
        raise RawInputError(path, "empty file (only whitespace)")
    if not _looks_like_text(text):
        raise RawInputError(path, "binary file: mostly control characters, not text")
    return text


def iter_raw_files(paths: Iterable[Path | str]) -> list[Path]:
    """Raw files named directly or found as *.txt under folders, sorted, no repeats.

    A path that does not exist is kept, so the reader reports it by name like
    any other bad input instead of the list silently shrinking.
    """
    found: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.update(p for p in path.rglob("*.txt") if p.is_file())
        else:
            found.add(path)
    return sorted(found)


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise RawInputError(path, f"file too large ({size:,} bytes; the limit is 5 MB)")
        if path.is_dir():
            raise RawInputError(path, "is a folder, not a file")
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise RawInputError(path, "no such file") from exc
    except OSError as exc:
        raise RawInputError(path, f"cannot read: {exc.strerror or exc}") from exc
    if not data.strip():
        raise RawInputError(path, "empty file")
    return data


def _decode(data: bytes, path: Path) -> str:
    """Decode by BOM, then UTF-8, then UTF-16 without BOM, then Windows-1256."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise RawInputError(path, f"has a {encoding} BOM but is not {encoding}") from exc
    if b"\x00" in data:
        return _decode_bomless_utf16(data, path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    text = _try_cp1256(data)
    if text is None:
        raise RawInputError(
            path,
            f"undecodable: not UTF-8 (byte 0x{data[utf8_error.start]:02x} at offset "
            f"{utf8_error.start}), not UTF-16 and not Windows-1256 Arabic",
        )
    return text


def _decode_bomless_utf16(data: bytes, path: Path) -> str:
    """UTF-16 without BOM has NUL bytes all over; any other NUL means binary.

    Both byte orders often decode without error (the wrong one as CJK), so
    the one whose characters are mostly ASCII or Arabic wins.
    """
    best, best_share = None, 0.0
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        share = len(_PLAIN.findall(text)) / max(len(text), 1)
        if share > best_share:
            best, best_share = text, share
    if best is None or best_share < 0.9 or not _looks_like_text(best):
        raise RawInputError(path, "binary file: contains NUL bytes")
    return best


def _try_cp1256(data: bytes) -> str | None:
    """Windows-1256 decodes nearly any bytes, so accept it only when it reads as Arabic.

    ASCII reads the same in every candidate encoding, so only the other
    letters tell: in Arabic text nearly all of them are Arabic, while Latin-1
    French, say, decodes to accented Latin letters (cp1256 keeps é, è, à …).
    """
    try:
        text = data.decode("cp1256")
    except UnicodeDecodeError:
        return None
    foreign = [ch for ch in _LETTER.findall(text) if not ch.isascii()]
    arabic = sum(1 for ch in foreign if _ARABIC.match(ch))
    if not foreign or arabic < 0.9 * len(foreign) or not _looks_like_text(text):
        return None
    return text


def _looks_like_text(text: str) -> bool:
    """True when at most 1% of the characters are control or replacement characters."""
    bad = len(_CONTROL.findall(text))
    return bad <= len(text) // 100
