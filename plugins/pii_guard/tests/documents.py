"""Real files for the guard's tests, made with the libraries that write them (never mocks)."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


def pdf_with(*pages: str) -> bytes:
    """A PDF with one line of text a page in a CJK font it does not embed (as most office PDFs of
    Chinese text made without font embedding are), its digits in Helvetica."""
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    for text in pages:
        c.setFont("STSong-Light", 12)
        c.drawString(72, 760, text)
        c.setFont("Helvetica", 12)
        c.drawString(72, 740, "No. 2024-017")
        c.showPage()
    c.save()
    return buf.getvalue()


def pdf_columns(*cells: str) -> bytes:
    """A PDF with one table row: each cell drawn in its own column, 100 points apart."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("Helvetica", 10)
    for i, cell in enumerate(cells):
        c.drawString(72 + 100 * i, 760, cell)
    c.showPage()
    c.save()
    return buf.getvalue()


def pdf_form(value: str) -> bytes:
    """A PDF with a filled text field (AcroForm), the value only in the field."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.drawString(72, 760, "申请表")
    c.acroForm.textfield(name="phone", value=value, x=72, y=700, width=200, height=20)
    c.showPage()
    c.save()
    return buf.getvalue()


def pdf_extras(author: str = "", subject: str = "", note: str = "", bookmark: str = "",
               embedded: tuple[str, bytes] | None = None) -> bytes:
    """A plain PDF with strings outside its pages: document information, an annotation,
    a bookmark, an embedded file (pypdf)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.annotations import Text

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(pdf_with("通知正文"))))
    meta = {k: v for k, v in (("/Author", author), ("/Subject", subject)) if v}
    if meta:
        writer.add_metadata(meta)
    if note:
        writer.add_annotation(page_number=0, annotation=Text(text=note, rect=(50, 550, 200, 650)))
    if bookmark:
        writer.add_outline_item(title=bookmark, page_number=0)
    if embedded:
        writer.add_attachment(*embedded)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def text_image(text: str, size: int = 40, fmt: str = "PNG", exif_description: str = "") -> bytes:
    """An image of `text` in black on white (a scan, a photo of a list), as PNG or JPEG."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(CJK_FONT), size) if CJK_FONT.is_file() else ImageFont.load_default(size)
    width = int(size * 0.8 * len(text)) + 2 * size
    image = Image.new("RGB", (max(width, 400), size * 3), "white")
    ImageDraw.Draw(image).text((size, size), text, fill="black", font=font)
    buf = io.BytesIO()
    if exif_description:
        exif = Image.Exif()
        exif[0x010E] = exif_description  # ImageDescription
        image.save(buf, format=fmt, exif=exif)
    else:
        image.save(buf, format=fmt)
    return buf.getvalue()


def scanned_pdf(text: str) -> bytes:
    """A PDF whose one page is an image of `text` and has no text layer: a scan."""
    from reportlab.lib.utils import ImageReader

    from PIL import Image

    png = text_image(text, 48)  # drawn at half its pixels: about 144 dpi
    width, height = Image.open(io.BytesIO(png)).size
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    shown = min(520, width * 0.5)  # about 144 dpi on the page, aspect kept
    c.drawImage(ImageReader(io.BytesIO(png)), 40, 600, width=shown, height=shown * height / width)
    c.showPage()
    c.save()
    return buf.getvalue()


def docx_with(body: str = "正文", header: str = "", footer: str = "", comment: str = "", author: str = "",
              table: tuple[str, str] | None = None, runs: tuple[str, ...] = ()) -> bytes:
    import docx

    document = docx.Document()
    paragraph = document.add_paragraph(body)
    for run in runs:  # one number in several runs, as Word saves an edited one
        paragraph.add_run(run)
    if header:
        document.sections[0].header.paragraphs[0].text = header
    if footer:
        document.sections[0].footer.paragraphs[0].text = footer
    if comment:
        document.add_comment(paragraph.runs[0], text=comment, author="审核人")
    if author:
        document.core_properties.author = author
    if table:
        grid = document.add_table(rows=2, cols=2)
        grid.cell(0, 0).text, grid.cell(0, 1).text = "姓名", table[0]
        grid.cell(1, 0).text, grid.cell(1, 1).text = "张某某", table[1]
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def xlsx_with(cells: dict[str, object] | None = None, comment: str = "", header: str = "", creator: str = "",
              defined: str = "", sheet: str = "名单") -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.workbook.defined_name import DefinedName

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for ref, value in (cells or {"A1": "项目", "B1": "金额"}).items():
        ws[ref] = value
    if comment:
        ws["A1"].comment = Comment(comment, "审核人")
    if header:
        ws.oddHeader.center.text = header
    if creator:
        wb.properties.creator = creator
    if defined:
        wb.defined_names["联系"] = DefinedName("联系", attr_text=f'"{defined}"')
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def with_cached_value(xlsx: bytes, ref: str, value: str) -> bytes:
    """The workbook with a cached value saved for the formula in cell `ref` (as Excel saves it;
    openpyxl writes formulas without one)."""
    import re

    src = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = re.sub(rf'<c r="{ref}"[^>]*>(<f>.*?</f>)<v\s*/?>(</v>)?</c>',
                              lambda m: f'<c r="{ref}" t="str">{m[1]}<v>{value}</v></c>', data.decode()).encode()
            dst.writestr(info, data)
    return out.getvalue()


def xls_with(cells: dict[tuple[int, int], object], header: str = "") -> bytes:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("名单")
    for (row, col), value in cells.items():
        sheet.write(row, col, value)
    if header:
        sheet.header_str = header.encode("ascii")  # xlwt writes headers as ASCII
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def ofd_with(*texts: str) -> bytes:
    """An OFD (GB/T 33190-2016) document: its zip of XML, one text object a line."""
    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    objects = "".join(
        f'<ofd:TextObject ID="{i + 10}" Boundary="20 {20 + 10 * i} 150 8" Font="1" Size="4">'
        f'<ofd:TextCode X="0" Y="6">{t}</ofd:TextCode></ofd:TextObject>' for i, t in enumerate(texts))
    files = {
        "OFD.xml": f'<ofd:OFD {ns} Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>1</ofd:DocID>'
                   '<ofd:Title>决定书</ofd:Title></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>'
                   '</ofd:DocBody></ofd:OFD>',
        "Doc_0/Document.xml": f'<ofd:Document {ns}><ofd:CommonData><ofd:MaxUnitID>99</ofd:MaxUnitID>'
                              '<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>'
                              '</ofd:CommonData><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/>'
                              '</ofd:Pages></ofd:Document>',
        "Doc_0/Pages/Page_0/Content.xml": f'<ofd:Page {ns}><ofd:Content><ofd:Layer ID="2">{objects}</ofd:Layer>'
                                          '</ofd:Content></ofd:Page>',
    }
    return zip_with({k: v.encode("utf-8") for k, v in files.items()})


def zip_with(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()
