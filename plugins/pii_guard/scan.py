"""Read every output file as text (HTML, XML, JSON, PDF, XLSX, search index) and find identifiers."""
from __future__ import annotations

import html
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from xxgk.cache import stamp

from .detect import Hit, find

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".html", ".htm", ".xml", ".json", ".txt", ".csv", ".js", ".css", ".svg", ".md"}


@dataclass(frozen=True)
class Finding:
    output: str       # where it was found (output file, or index field)
    source: str       # the source file it came from, when known
    hit: Hit

    def __str__(self) -> str:
        return f"{self.source or '（来源未知）'}: {self.hit.kind} {self.hit.masked} 出现在 {self.output}"


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def xlsx_text(path: Path) -> str:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        return "\n".join(" ".join("" if c is None else str(c) for c in row)
                         for ws in wb.worksheets for row in ws.iter_rows(values_only=True))
    finally:
        wb.close()


EXTRACTORS: dict[str, Callable[[Path], str]] = {".pdf": pdf_text, ".xlsx": xlsx_text}


def file_text(path: Path) -> str | None:
    """The readable text of a file, or None when no library reads its type."""
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        text = path.read_text(encoding="utf-8", errors="replace")
        # Entities would hide digits from the patterns (&#49;&#51;8…).
        return html.unescape(text) if suffix in (".html", ".htm", ".xml", ".svg") else text
    extractor = EXTRACTORS.get(suffix)
    if extractor is None:
        return None
    try:
        return extractor(path)
    except Exception as exc:  # noqa: BLE001 - an unreadable attachment is reported, not fatal
        log.warning("隐私检查无法读取 %s（%s），请人工检查该文件", path, exc)
        return None


def file_hits(path: Path, allowed: frozenset[str], cache: Any = None) -> list[Hit]:
    """The identifiers in one file; with a cache (xxgk/cache.py), a file with the same bytes is
    not read again.  A file whose text could not be extracted is not cached, so its warning
    is logged on every build."""
    if cache is None or not cache.enabled:
        text = file_text(path)
        return find(text, allowed) if text else []
    suffix = path.suffix.lower()
    if suffix not in TEXT_SUFFIXES and suffix not in EXTRACTORS:
        return []
    key = stamp(path.read_bytes()).hex() + suffix  # by content: any page or file with these bytes
    found = cache.get(key, b"")
    if found is not None:
        return found
    text = file_text(path)
    found = find(text, allowed) if text else []
    if text is not None or suffix not in EXTRACTORS:
        cache.put(key, b"", found)
    return found


def scan_files(root: Path, allowed: frozenset[str], cache: Any = None) -> Iterator[tuple[str, Hit]]:
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        for hit in file_hits(path, allowed, cache):
            yield path.relative_to(root).as_posix(), hit


def scan_texts(texts: Iterable[tuple[str, str]], allowed: frozenset[str],
               cache: Any = None) -> Iterator[tuple[str, Hit]]:
    for where, text in texts:
        if cache is not None and cache.enabled:
            key = stamp(text.encode("utf-8")).hex() + ":text"
            found = cache.get(key, b"")
            if found is None:
                found = find(text, allowed)
                cache.put(key, b"", found)
        else:
            found = find(text, allowed)
        for hit in found:
            yield where, hit


class SourceIndex:
    """Find which source file a leaked identifier came from."""

    def __init__(self, content: Path, label_root: Path):
        self._texts: list[tuple[str, str]] = []
        for path in sorted(content.rglob("*")):
            if path.is_file():
                text = file_text(path)
                if text:
                    self._texts.append((path.relative_to(label_root).as_posix(), text))

    def source_of(self, hit: Hit) -> str:
        for label, text in self._texts:
            if any(h.value == hit.value for h in find(text)):
                return label
        return ""
