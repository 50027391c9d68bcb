"""Bounds on what one file may ask of the build: each case stops at once with a message naming the
file, the line or attachment, the bound and its setting; real documents pass."""
from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest

from plugins.pii_guard import PrivacyError
from tests.sitekit import Site, pdf_bytes
from foundation.errors import ContentError, XxgkError


def problems(site: Site, expected: type[XxgkError] = ContentError, **kw: object) -> str:
    """The message of the build's failure, which must be an `expected` (an archive's bounds are the guard's)."""
    with pytest.raises(expected) as exc:
        site.build(**kw)
    return str(exc.value)


def xxgk(site: Site, **values: object) -> dict[str, object]:
    return {"XXGK": {**site.settings()["XXGK"], **values}}


def test_a_huge_source_file_is_refused_at_once(site: Site) -> None:
    site.entry(body="通知正文。" * 700_000)  # 10.5 MB
    started = time.monotonic()
    message = problems(site)
    assert time.monotonic() - started < 20
    assert "content/tzgg/2024/2024-00001.md:1: 文件: 文件太大：10.0 MB，超过 2 MB" in message
    assert "MAX_SOURCE_MB" in message


def test_a_long_real_document_passes(site: Site) -> None:
    """The longest law of the corpus is 0.3 MB; a 1 MB body of articles builds."""
    body = "\n\n".join(f"第{i}条 为了规范政府信息公开工作（依照本条例），制定本规定。" for i in range(20_000))
    site.entry(body=body)
    site.build()
    assert (site.output / "tzgg/2024-00001.html").stat().st_size > 1_000_000


@pytest.mark.parametrize(("body", "words"), [
    ("[" * 8000 + "x", "没有配对的 [ 或 ("), ("[a](" * 8000, "没有配对的 [ 或 ("),
    ("".join("  " * i + "- 项\n" for i in range(300)), "列表或引用嵌套了"), (">" * 300 + " 引用", "列表或引用嵌套了"),
])
def test_markdown_that_would_take_minutes_is_refused_at_once(site: Site, body: str, words: str) -> None:
    site.entry(body="第一段。\n\n" + body)
    started = time.monotonic()
    message = problems(site)
    assert time.monotonic() - started < 20
    assert "content/tzgg/2024/2024-00001.md:" in message and words in message and "MAX_MARKDOWN_NESTING" in message


def test_an_attachment_over_its_size(site: Site) -> None:
    site.write("tzgg/2024/files/大.pdf", pdf_bytes() + b"\0" * (2 * 1024 * 1024))
    site.entry(attachments=["files/大.pdf"])
    message = problems(site, **xxgk(site, MAX_ATTACHMENT_MB=1))
    assert "附件「files/大.pdf」太大：2.0 MB，超过 1 MB" in message and "MAX_ATTACHMENT_MB" in message


def bomb_xlsx(rows: int) -> bytes:
    """A workbook whose one sheet claims `rows` rows: small compressed, large expanded."""
    from tests.sitekit import xlsx_skeleton

    sheet = io.StringIO()
    sheet.write('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
    for r in range(1, rows + 1):
        sheet.write(f'<row r="{r}"><c r="A{r}"><v>1</v></c><c r="B{r}"><v>2</v></c></row>')
    sheet.write("</sheetData></worksheet>")
    return xlsx_skeleton(sheet.getvalue().encode())


def test_a_workbook_that_expands_to_many_cells(site: Site) -> None:
    site.write("czyjs/2024/files/表.xlsx", bomb_xlsx(60_000))
    site.entry("czyjs", attachments=["files/表.xlsx"])
    started = time.monotonic()
    message = problems(site, **xxgk(site, MAX_TABLE_CELLS=50_000))
    assert time.monotonic() - started < 30
    assert "附件「表」超过 50,000 个单元格，不能读取为表格" in message and "MAX_TABLE_CELLS" in message


def test_archives_over_their_bounds(site: Site) -> None:
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as z:
        for i in range(30):
            z.writestr(f"{i}.txt", "无")
    site.write("tzgg/2024/files/多.zip", many.getvalue())
    big = io.BytesIO()
    with zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("zero.txt", b"0" * (3 * 1024 * 1024))
    site.write("tzgg/2024/files/大.zip", big.getvalue())
    site.entry(attachments=["files/多.zip", "files/大.zip"])
    message = problems(site, PrivacyError, **xxgk(site, MAX_ARCHIVE_FILES=20, MAX_EXPANDED_MB=1))
    assert "content/tzgg/2024/files/多.zip：隐私检查无法读取该文件：压缩包中有 30 个文件，超过 20 个" in message
    assert "content/tzgg/2024/files/大.zip：隐私检查无法读取该文件：解压后超过 1 MB" in message


def test_the_demo_budgets_pass_the_default_bounds(demo_output: Path) -> None:
    assert (demo_output / "czyjs/2025-00004.html").is_file()
