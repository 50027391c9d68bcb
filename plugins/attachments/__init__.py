"""Attachments plugin: publish each entry's files with type and size, for download and feeds.

条例 第二十四条 requires the platform to offer download of originals; readers
expect the file type and size before they download (domain.md §7).
"""
from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from pelican import signals
from pelican.generators import Generator

from foundation.outputs import place_copy, previous_output

TYPE_LABELS = {
    ".pdf": "PDF", ".xlsx": "Excel", ".xls": "Excel", ".docx": "Word", ".doc": "Word",
    ".csv": "CSV", ".ofd": "OFD", ".zip": "ZIP", ".jpg": "图片", ".jpeg": "图片", ".png": "图片",
    ".wps": "WPS", ".et": "WPS表格", ".txt": "文本",
}
MIME_EXTRA = {".ofd": "application/ofd", ".wps": "application/vnd.ms-works", ".et": "application/vnd.ms-excel"}


@dataclass(frozen=True)
class Attachment:
    title: str
    source: str
    save_as: str       # path below the output folder
    url: str           # percent-encoded URL below SITEURL
    size: int
    mime: str
    type_label: str
    size_label: str
    extension: str


def size_label(n: int) -> str:
    """Human-readable size in the units Chinese portals use."""
    if n < 1024:
        return f"{n} 字节"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


def describe(entry_dir: str, item: dict[str, str]) -> Attachment:
    """Describe one attachment of the entry published at `entry_dir` (e.g. tzgg/2024-00012)."""
    source = Path(item["source"])
    ext = source.suffix.lower()
    save_as = f"{entry_dir}/{PurePosixPath(item['file']).name}"
    mime = MIME_EXTRA.get(ext) or mimetypes.guess_type(source.name)[0] or "application/octet-stream"
    size = source.stat().st_size
    return Attachment(item["title"], str(source), save_as, quote(save_as), size, mime,
                      TYPE_LABELS.get(ext, ext.lstrip(".").upper() or "文件"), size_label(size),
                      ext.lstrip("."))


def describe_entries(generator: Any) -> None:
    """Give every entry its `attachment_list` (empty when it has none)."""
    for entry in generator.articles + generator.drafts + generator.hidden_articles:
        base = f"{entry.metadata['column']}/{entry.metadata['slug']}"
        entry.attachment_list = [describe(base, item) for item in entry.metadata.get("attachments", [])]


class AttachmentsGenerator(Generator):
    """Copy the attachments of published entries into the output."""

    def generate_context(self) -> None:
        self.files = [a for e in self.context.get("articles", []) for a in e.attachment_list]

    def generate_output(self, writer: Any) -> None:
        out = Path(self.output_path)
        previous = previous_output(self.settings)
        for a in self.files:
            # An attachment the previous build published unchanged is linked, not copied again.
            place_copy(Path(a.source), out / a.save_as, previous / a.save_as if previous else None)


def get_generators(pelican: Any) -> type[AttachmentsGenerator]:
    return AttachmentsGenerator


def register() -> None:
    signals.article_generator_finalized.connect(describe_entries)
    signals.get_generators.connect(get_generators)
