"""Every file the site publishes, read as the texts a reader of it could see.

A file is read into *parts* (a page of a PDF, a sheet of a workbook, the header of a
Word document, a file inside a ZIP …), each named so that a finding says where it is
(「第 2 页」, 「工作表「收支总表」 B7」, 「页眉」).  What is read, per type:

- text (Markdown, HTML, XML, JSON, CSV, TXT, SVG, CSS, JS): the text, in UTF-8, UTF-16
  or GB 18030; table columns with their header before each cell (text.py);
- PDF: the text of every page (column gaps kept apart), document information and XMP
  metadata, bookmarks, annotations, form fields, embedded files, and the pages that are
  images, by OCR (pdf.py);
- Word, Excel and PowerPoint (DOCX, XLSX, PPTX) and OFD: every XML part of the package
  (body, headers and footers, comments, notes, properties, defined names, cells with
  numbers written out in full and formulas), and the images and files inside (ooxml.py);
- legacy Excel (XLS): every cell, note and property, and every string of the file (legacy.py);
- ZIP: every file inside, recursively, within size and depth bounds (archive.py);
- images: their text by OCR, and their metadata (image.py).

Any other type is refused (Refused) with what to do instead: a byte the guard cannot
read is a byte it cannot promise about.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable

from foundation.errors import XxgkError


class Unreadable(XxgkError):
    """A file (or a part of one) could not be read; `fix` says what the editor can do."""

    def __init__(self, reason: str, fix: str = "请重新导出或另存该文件后再附上"):
        self.reason, self.fix = reason, fix
        super().__init__(f"{reason}（{fix}）")


class Refused(Unreadable):
    """A type of file the guard does not read and the site therefore does not publish."""


@dataclass(frozen=True)
class Limits:
    """Bounds on what one file may expand to (ZIP bombs, deep nesting)."""

    depth: int = 3                       # files inside files inside files
    members: int = 2000                  # files in one ZIP or Office package (MAX_ARCHIVE_FILES)
    expanded: int = 512 * 1024 * 1024    # bytes a file may expand to, everything inside counted (MAX_EXPANDED_MB)
    cells: int = 1_000_000               # cells of one workbook (MAX_TABLE_CELLS)
    image_pixels: int = 60_000_000       # pixels of one image (OCR)
    pdf_objects: int = 200_000           # objects of one PDF walked for their strings

    @classmethod
    def of(cls, settings: dict) -> "Limits":
        """The bounds a site's settings (XXGK_RESOLVED) set."""
        return cls(members=settings["MAX_ARCHIVE_FILES"], expanded=settings["MAX_EXPANDED_MB"] * 1024 * 1024,
                   cells=settings["MAX_TABLE_CELLS"])


@dataclass(frozen=True)
class Part:
    where: str                           # e.g. 第 2 页, 工作表「Sheet1」; "" for a whole text file
    text: str
    lines: tuple[str, ...] | None = None  # a label per line of text (cells), or None
    lossy: bool = False                  # lines are numbers stored as floating point (Excel)
    file_lines: tuple[int, ...] | None = None  # the line of the file each line comes from

    def locate(self, line: int) -> tuple[int, str]:
        """(line of the file or 0, place within the file) of line `line` (1-based) of this part."""
        if self.file_lines is not None and 0 < line <= len(self.file_lines):
            return self.file_lines[line - 1], ""
        if self.lines is not None and 0 < line <= len(self.lines):
            return 0, f"{self.where} {self.lines[line - 1]}".strip()
        return (line, "") if not self.where else (0, self.where)


@dataclass
class Reading:
    parts: list[Part] = field(default_factory=list)
    unscanned: list[str] = field(default_factory=list)  # image parts no OCR could read

    def add(self, other: "Reading", prefix: str) -> None:
        """Take the parts of a file inside this one, named under `prefix`."""
        for p in other.parts:
            self.parts.append(Part(f"{prefix} {p.where}".strip(), p.text, p.lines, p.lossy))  # no file lines
        self.unscanned += [f"{prefix} {u}".strip() for u in other.unscanned]


@dataclass
class Context:
    """What a read needs besides the bytes: bounds, the OCR cache, how deep it is."""

    limits: Limits = Limits()
    ocr_cache: Path | None = None
    depth: int = 0
    budget: list[int] = field(default_factory=lambda: [0])  # bytes expanded so far (shared)

    def inner(self) -> "Context":
        if self.depth + 1 > self.limits.depth:
            raise Unreadable(f"文件嵌套超过 {self.limits.depth} 层", "请把里面的文件直接作为附件")
        return Context(self.limits, self.ocr_cache, self.depth + 1, self.budget)

    def expand(self, n: int) -> None:
        self.budget[0] += n
        if self.budget[0] > self.limits.expanded:
            raise Unreadable(f"解压后超过 {size_text(self.limits.expanded)}",
                             "请拆分为几个较小的文件，或直接附上其中的文件")


Reader = Callable[[bytes, Context], Reading]


def size_text(n: int) -> str:
    """A size in the units editors know."""
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:g} MB"
    return f"{n / 1024:g} KB" if n >= 1024 else f"{n} 字节"

# What to do instead, for types that are not read (so not published).
REFUSED: dict[str, str] = {
    ".doc": "旧版 Word 文件无法完整检查个人信息：请另存为 .docx 或 PDF 后再附上",
    ".wps": "WPS 文字文件无法检查个人信息：请另存为 .docx 或 PDF 后再附上",
    ".et": "WPS 表格文件无法检查个人信息：请另存为 .xlsx 后再附上",
    ".dps": "WPS 演示文件无法检查个人信息：请另存为 .pptx 或 PDF 后再附上",
    ".ppt": "旧版 PowerPoint 文件无法检查个人信息：请另存为 .pptx 或 PDF 后再附上",
    ".rtf": "RTF 文件无法检查个人信息：请另存为 .docx 或 PDF 后再附上",
    ".rar": "RAR 压缩包无法检查个人信息：请改为 ZIP 压缩包，或直接附上其中的文件",
    ".7z": "7z 压缩包无法检查个人信息：请改为 ZIP 压缩包，或直接附上其中的文件",
}


@functools.cache
def readers() -> dict[str, Reader]:
    from . import archive, image, legacy, ooxml, pdf, text

    out: dict[str, Reader] = {}
    for module in (text, pdf, ooxml, legacy, archive, image):
        out.update(module.READERS)
    return out


# What may be attached to an entry and published: documents, tables, images and archives,
# each read by the guard.  Web pages, scripts and SVG are read too (the site's own output),
# but never published as attachments: served from the site, they would run in it.
ATTACHMENT_TYPES = (".pdf", ".ofd", ".docx", ".xlsx", ".xls", ".pptx", ".csv", ".txt", ".zip", ".jpg", ".jpeg",
                    ".png", ".gif", ".bmp", ".tif", ".tiff", ".webp")


def attachable(name: str) -> bool:
    """Whether files named so may be published as attachments."""
    return PurePosixPath(name).suffix.lower() in ATTACHMENT_TYPES


def readable(name: str) -> bool:
    """Whether files named so are read (and so may be published)."""
    return PurePosixPath(name).suffix.lower() in readers()


def refusal(name: str) -> str:
    """What to do with a file of a type that is not read, or not published as an attachment."""
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in REFUSED:
        return REFUSED[suffix]
    if readable(name):
        return f"{suffix} 文件不能作为附件发布（网页、脚本和程序文件会在本网站中运行）：请转换为 PDF 后再附上"
    return (f"{suffix or '没有扩展名的'}文件无法检查个人信息，不能发布：请转换为 PDF、OFD、Word（.docx）、"
            "Excel（.xlsx）、图片或 ZIP 后再附上")


def read_bytes(data: bytes, name: str, ctx: Context | None = None) -> Reading:
    """Read `data` as the file `name` would be read; raise Unreadable (Refused for a type
    that is not read)."""
    ctx = ctx or Context()
    reader = readers().get(PurePosixPath(name).suffix.lower())
    if reader is None:
        raise Refused(f"不能检查 {PurePosixPath(name).suffix or '该类型'} 文件", refusal(name))
    return reader(data, ctx)


def read_path(path: Path, ctx: Context | None = None) -> Reading:
    return read_bytes(path.read_bytes(), path.name, ctx)
