"""PDF: the text of every page, every string of the document, embedded files, and scanned pages.

Page text comes from PDFium (pypdfium2: 1.8 ms a budget, docs/performance.md), which
is native code: the scan runs it in worker processes so that a file crashing it only
costs that worker (scan.py).  A wide gap between characters on one line is a column
of a table, not a space inside a number, so it becomes a tab (numbers.py does not join
across tabs): 「138  2500  1200」 in three columns of a budget is three amounts.

The rest of the document — information dictionary (Author, Subject …), XMP metadata,
bookmarks, annotations, form fields and their values, embedded files — is walked
with pypdf, every string of it read.  A page that is an image (a scan), or mostly
one, is rendered and read by OCR.
"""
from __future__ import annotations

import functools
import hashlib
import io
import re
from collections import defaultdict
from typing import Any

from . import Context, Part, Reading, Unreadable, read_bytes
from .image import ocr_image

# A gap wider than this many glyph heights between two characters of a line is a column gap.
COLUMN_GAP = 1.5
# A page with less text than this and an image, or an image over this share of its area, is OCRed.
SCANNED_TEXT = 32
SCANNED_AREA = 0.3
OCR_DPI = 300
# Keys not walked for strings: back links, and what PDFium reads or that holds no text.
_SKIP = {"/Parent", "/P", "/Font", "/FontDescriptor", "/Resources", "/AP", "/Pages", "/Prev", "/Last",
         "/StructTreeRoot", "/ParentTree", "/XObject", "/ColorSpace", "/Shading", "/Pattern", "/ExtGState"}


@functools.cache
def pdfium() -> Any:
    """PDFium, set up (once a process) to extract text without system fonts.  By default it
    finds and parses a system font for every font a PDF does not embed (a CJK one for
    STSong-Light and the like), once per document: 7 ms a page, for glyph shapes text
    extraction never uses.  Characters come from the PDF's own encodings, CMaps and ToUnicode
    tables, so the text is the same with and without them (tested), in 1.8 ms for a 3-page
    budget instead of 23 (14 with pypdf)."""
    import pypdfium2

    class NoSystemFonts(pypdfium2.PdfSysfontBase):  # type: ignore[misc]
        def EnumFonts(self, _info: Any, _mapper: Any) -> None:  # noqa: N802 - PDFium's names
            return None

        def MapFont(self, _info: Any, *_request: Any) -> None:  # noqa: N802
            return None

        def GetFont(self, _info: Any, _face: Any) -> None:  # noqa: N802
            return None

    NoSystemFonts().setup()
    return pypdfium2


# Spaces between characters of numbers and codes: where a column gap can glue two numbers.
_SPACES_IN_LINE = re.compile(r"(?<=[0-9A-Za-z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]) +"
                             r"(?=[0-9A-Za-z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a])")


def _page_text(textpage: Any) -> str:
    """The text of a page, with column gaps as tabs and plain line breaks."""
    text = textpage.get_text_range()
    if len(text) == textpage.count_chars():  # one character an index: boxes can be asked for
        pieces, last = [], 0
        for m in _SPACES_IN_LINE.finditer(text):
            left, right = textpage.get_charbox(m.start() - 1), textpage.get_charbox(m.end())
            height = max(left[3] - left[1], right[3] - right[1], 1.0)
            if right[0] - left[2] > COLUMN_GAP * height:
                pieces += [text[last:m.start()], "\t"]
                last = m.end()
        text = "".join(pieces) + text[last:]
    return text.replace("\r\n", "\n")


def _scanned(page: Any, text: str) -> bool:
    raw = pdfium().raw
    width, height = page.get_size()
    area = max(width * height, 1.0)
    images = 0.0
    for obj in page.get_objects(filter=(raw.FPDF_PAGEOBJ_IMAGE,), max_depth=4):
        left, bottom, right, top = obj.get_bounds()
        images += max(0.0, right - left) * max(0.0, top - bottom)
    if images <= 0:
        return False
    return len("".join(text.split())) < SCANNED_TEXT or images / area >= SCANNED_AREA


def _pages(data: bytes, ctx: Context, reading: Reading) -> None:
    lib = pdfium()
    digest = hashlib.sha256(data).digest()
    try:
        document = lib.PdfDocument(data)
    except lib.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise Unreadable("PDF 设有打开密码", "请提供没有密码的文件") from exc
        raise Unreadable(f"PDF 无法打开（{exc}）") from exc
    try:
        for n, page in enumerate(document, 1):
            textpage = page.get_textpage()
            text = _page_text(textpage)
            textpage.close()
            reading.parts.append(Part(f"第 {n} 页", text))
            if _scanned(page, text):
                key = digest + n.to_bytes(4, "big") + OCR_DPI.to_bytes(2, "big")
                ocr_image(lambda page=page: page.render(scale=OCR_DPI / 72).to_pil(), key, ctx, f"第 {n} 页", reading)
            page.close()
    finally:
        document.close()


def _strings(data: bytes, ctx: Context, reading: Reading) -> None:
    """Every string of the document outside the page contents, by where it is."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        pdf = PdfReader(io.BytesIO(data), strict=False)
        if pdf.is_encrypted:
            pdf.decrypt("")  # only an owner password: readable by anyone, as PDFium read it
        roots: list[tuple[Any, str]] = [(pdf.trailer.get("/Info"), "文档属性")]
        catalogue = pdf.trailer["/Root"].get_object()
        named = {"/Outlines": "书签", "/AcroForm": "表单域", "/Names": "文档附件和名称", "/Metadata": "XMP 元数据"}
        roots += [(catalogue.get(k), label) for k, label in named.items()]
        roots += [(v, "文档结构") for k, v in catalogue.items() if k not in named and k not in _SKIP]
        roots += [(page.get("/Annots"), f"第 {n} 页 注释") for n, page in enumerate(pdf.pages, 1)]
        texts: dict[str, list[str]] = defaultdict(list)
        _walk(roots, texts, ctx, reading)
    except Unreadable:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise Unreadable(f"PDF 文件结构有误，无法完整检查（{type(exc).__name__}）",
                         "请用办公软件重新导出 PDF 后再附上") from exc
    reading.parts += [Part(label, "\n".join(found)) for label, found in texts.items() if found]


def _walk(roots: list[tuple[Any, str]], texts: dict[str, list[str]], ctx: Context, reading: Reading) -> None:
    from pypdf.generic import ArrayObject, ByteStringObject, DictionaryObject, IndirectObject

    seen: set[tuple[int, int]] = set()
    stack = [r for r in reversed(roots) if r[0] is not None]
    while stack:
        obj, label = stack.pop()
        if isinstance(obj, IndirectObject):
            obj = _resolve(obj, seen, ctx)
            if obj is None:
                continue
        if isinstance(obj, ByteStringObject):
            texts[label].append(bytes(obj).decode("latin-1"))
        elif isinstance(obj, str):
            texts[label].append(str(obj))
        elif isinstance(obj, DictionaryObject):
            stack += _dictionary(obj, label, texts, ctx, reading)
        elif isinstance(obj, ArrayObject):
            stack += [(v, label) for v in obj]


def _resolve(ref: Any, seen: set[tuple[int, int]], ctx: Context) -> Any:
    """The object an indirect reference points to, or None when it was reached before."""
    key = (ref.idnum, ref.generation)
    if key in seen:
        return None
    seen.add(key)
    if len(seen) > ctx.limits.pdf_objects:
        raise Unreadable(f"PDF 含超过 {ctx.limits.pdf_objects} 个对象", "请拆分该文件")
    return ref.get_object()


def _dictionary(obj: Any, label: str, texts: dict[str, list[str]], ctx: Context,
                reading: Reading) -> list[tuple[Any, str]]:
    """Read a dictionary's embedded file and XMP metadata; return its values, to be walked."""
    from pypdf.generic import StreamObject

    if obj.get("/Type") == "/Page":
        return []  # reached from a bookmark or a link: its annotations are walked as its own
    if "/EF" in obj:
        _embedded(obj, ctx, reading)
    if isinstance(obj, StreamObject) and obj.get("/Type") == "/Metadata":
        texts["XMP 元数据"].append(obj.get_data().decode("utf-8", "replace"))
    return [(v, label) for k, v in obj.items() if k not in _SKIP and k != "/EF"]


def _embedded(spec: Any, ctx: Context, reading: Reading) -> None:
    """A file embedded in the PDF (a file specification with /EF), read as its own type."""
    name = str(spec.get("/UF") or spec.get("/F") or "附件")
    stream = spec["/EF"].get_object().get("/F")
    if stream is None:
        return
    data = stream.get_object().get_data()
    ctx.expand(len(data))
    reading.add(read_bytes(data, name, ctx.inner()), f"嵌入文件「{name}」")


def read_pdf(data: bytes, ctx: Context) -> Reading:
    reading = Reading()
    _pages(data, ctx, reading)
    _strings(data, ctx, reading)
    return reading


READERS = {".pdf": read_pdf}
