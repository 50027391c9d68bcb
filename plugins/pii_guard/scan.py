"""Read every output file as text (HTML, XML, JSON, PDF, XLSX, search index) and find identifiers."""
from __future__ import annotations

import html
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

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


def scan_files(root: Path, allowed: frozenset[str]) -> Iterator[tuple[str, Hit]]:
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        text = file_text(path)
        if text:
            for hit in find(text, allowed):
                yield path.relative_to(root).as_posix(), hit


def scan_texts(texts: Iterable[tuple[str, str]], allowed: frozenset[str]) -> Iterator[tuple[str, Hit]]:
    for where, text in texts:
        for hit in find(text, allowed):
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
