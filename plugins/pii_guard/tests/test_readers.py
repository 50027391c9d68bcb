"""Every type the site publishes is read in every part a reader of it can see, or refused."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from foundation.privacy import readers
from foundation.privacy.readers import ocr, pdf
from plugins.pii_guard.scan import Located, scan_path

from .identifiers import luhn_complete
from .documents import (docx_with, ofd_with, pdf_columns, pdf_extras, pdf_form, pdf_with, scanned_pdf, text_image,
                    with_cached_value, xls_with, xlsx_with, zip_with)

ID = "11010519491231002X"
MOBILE = "13912345678"
CARD = "6222021234567890128"
needs_ocr = pytest.mark.skipif(not ocr.available(), reason="make test installs tesseract-ocr (Makefile ocr-deps)")


def found(tmp_path: Path, name: str, data: bytes) -> list[tuple[str, str]]:
    """(place, kind) of every identifier the guard finds in a file `name` with `data`."""
    path = tmp_path / name
    path.write_bytes(data)
    result = scan_path(path, frozenset())
    assert not result.problem, result.problem
    return sorted({(located.where or f"第 {located.line} 行", located.hit.kind) for located in result.found})


def kinds(tmp_path: Path, name: str, data: bytes) -> set[str]:
    return {kind for _where, kind in found(tmp_path, name, data)}


def test_pdf_pages_in_order_without_system_fonts() -> None:
    reading = readers.read_bytes(pdf_with("第一页 申请人 张某某", f"第二页 联系电话 {MOBILE}"), "a.pdf")
    pages = [p for p in reading.parts if p.where.startswith("第")]
    assert [(p.where, p.text.splitlines()) for p in pages] == [
        ("第 1 页", ["第一页 申请人 张某某", "No. 2024-017"]), ("第 2 页", ["第二页 联系电话 13912345678", "No. 2024-017"])]


def test_pdf_document_information_annotations_bookmarks_and_embedded_files(tmp_path: Path) -> None:
    data = pdf_extras(author=f"作者 {MOBILE}", subject=f"身份证 {ID}", note="电话 13700137000",
                      bookmark="联系 13600136000", embedded=("名单.txt", "银行卡号：6222021234567890128".encode()))
    assert found(tmp_path, "a.pdf", data) == [
        ("书签", "手机号"), ("嵌入文件「名单.txt」", "银行卡号"), ("文档属性", "手机号"), ("文档属性", "身份证号"),
        ("第 1 页 注释", "手机号")]


def test_pdf_form_field_values(tmp_path: Path) -> None:
    assert ("表单域", "手机号") in found(tmp_path, "a.pdf", pdf_form(MOBILE))


def test_pdf_columns_are_not_one_number(tmp_path: Path) -> None:
    """Three amounts in three columns of a budget are not the mobile 13825001200 …"""
    assert found(tmp_path, "a.pdf", pdf_columns("138", "2500", "1200")) == []
    # … while the same digits written with spaces inside one cell are.
    assert kinds(tmp_path, "b.pdf", pdf_columns("138 2500 1200")) == {"手机号"}


def test_docx_body_runs_header_footer_comment_properties_and_tables(tmp_path: Path) -> None:
    data = docx_with(body="正文 ", header=f"页眉 {MOBILE}", footer=f"身份证 {ID}", comment="电话 13700137000",
                     author="13600136000", table=("银行卡号", "6222 0212 3456 7890 128"), runs=("135", "0013", "5000"))
    assert found(tmp_path, "a.docx", data) == [
        ("批注", "手机号"), ("文档属性", "手机号"), ("正文", "手机号"), ("正文", "银行卡号"), ("正文 表格 表格第 2 行", "银行卡号"),
        ("页眉", "手机号"), ("页脚", "身份证号")]


def test_docx_paragraphs_are_not_glued(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("2024")
    document.add_paragraph("1380013800")  # 2024 and a ten-digit number: no mobile
    buf = io.BytesIO()
    document.save(buf)
    assert found(tmp_path, "a.docx", buf.getvalue()) == []


def test_xlsx_cells_comments_headers_names_properties_and_numbers(tmp_path: Path) -> None:
    data = xlsx_with({"A1": "姓名", "B1": "卡号", "A2": "张某某", "B2": 6222021234567890128, "C2": 110105199003071239,
                      "D2": 13912345678}, comment=f"身份证 {ID}", header="电话 13700137000", creator="13600136000",
                     defined="13500135000")
    places = found(tmp_path, "a.xlsx", data)
    assert ("工作表「名单」 D2", "手机号") in places            # a number cell, written out in full
    assert ("工作表「名单」 C2", "身份证号") in places            # an ID typed into a number cell
    assert ("工作表「名单」 B2", "银行卡号") in places            # a card under the header 卡号
    assert ("批注", "身份证号") in places
    assert ("工作表「名单」 其他内容", "手机号") in places        # the page header
    assert ("文档属性", "手机号") in places
    assert ("工作簿（名称定义）", "手机号") in places


def test_xlsx_formulas(tmp_path: Path) -> None:
    formula = '="138"&"0013"&"8000"'
    with pytest.raises(readers.Unreadable, match="B5 单元格的公式没有保存计算结果"):
        readers.read_bytes(xlsx_with({"A1": "x", "B5": formula}), "a.xlsx")
    saved = with_cached_value(xlsx_with({"A1": "x", "B5": formula}), "B5", "合计")
    assert ("工作表「名单」 B5 公式", "手机号") in found(tmp_path, "a.xlsx", saved)


def test_legacy_xls_cells_numbers_and_every_string(tmp_path: Path) -> None:
    data = xls_with({(0, 0): "姓名", (0, 1): "电话", (1, 0): "张某某", (1, 1): 13912345678.0,
                     (2, 1): f"身份证 {ID}"}, header="Tel 13700137000")
    places = found(tmp_path, "a.xls", data)
    assert ("工作表「名单」 B2", "手机号") in places and ("工作表「名单」 B3", "身份证号") in places
    assert ("文件中的其他文字", "手机号") in places  # the page header, which xlrd does not read


def test_ofd_text_objects(tmp_path: Path) -> None:
    assert found(tmp_path, "a.ofd", ofd_with("当事人：张某某", f"联系电话：{MOBILE}")) == [("第 1 页", "手机号")]
    # Two text objects on two lines are two numbers.
    assert found(tmp_path, "b.ofd", ofd_with("2024", "1380013800")) == []


def test_zip_recursively_with_names(tmp_path: Path) -> None:
    inner = zip_with({"附件/名单.docx": docx_with(body=f"电话 {MOBILE}")})
    data = zip_with({"说明.txt": "无".encode(), f"{ID}.txt": b"x", "inner.zip": inner})
    assert found(tmp_path, "a.zip", data) == [
        ("压缩包中的「inner.zip」 压缩包中的「附件/名单.docx」 正文", "手机号"), ("压缩包中的文件名", "身份证号")]


def test_zip_bounds_and_refusals() -> None:
    limits = readers.Limits(depth=2, members=5, expanded=10_000)
    ctx = lambda: readers.Context(limits)  # noqa: E731
    with pytest.raises(readers.Unreadable, match="超过 5 个"):
        readers.read_bytes(zip_with({f"{i}.txt": b"x" for i in range(6)}), "a.zip", ctx())
    with pytest.raises(readers.Unreadable, match="解压后超过"):
        readers.read_bytes(zip_with({"big.txt": b"0" * 20_000}), "a.zip", ctx())
    nested = zip_with({"a.txt": b"x"})
    for _ in range(3):
        nested = zip_with({"n.zip": nested})
    with pytest.raises(readers.Unreadable, match="嵌套超过 2 层"):
        readers.read_bytes(nested, "a.zip", ctx())
    with pytest.raises(readers.Refused, match="旧版 Word"):
        readers.read_bytes(zip_with({"决定书.doc": b"\xd0\xcf\x11\xe0"}), "a.zip", ctx())
    # An encrypted member (zipfile writes none: the flag is set in both headers, as encryption sets it).
    data = bytearray(zip_with({"secret.txt": b"x"}))
    data[6] |= 0x1
    central = data.index(b"PK\x01\x02")
    data[central + 8] |= 0x1
    with pytest.raises(readers.Unreadable, match="设有密码"):
        readers.read_bytes(bytes(data), "a.zip", ctx())
    # A member compressed with a method zipfile has no codec for (9: Deflate64), in both headers.
    data = bytearray(zip_with({"a.txt": b"x"}))
    data[8:10] = (9).to_bytes(2, "little")
    central = data.index(b"PK\x01\x02")
    data[central + 10:central + 12] = (9).to_bytes(2, "little")
    with pytest.raises(readers.Unreadable, match="无法解压的压缩方式"):
        readers.read_bytes(bytes(data), "a.zip", ctx())


@pytest.mark.parametrize("name", ["a.doc", "a.wps", "a.et", "a.rar", "a.7z", "a.exe", "noext"])
def test_types_that_are_not_read_are_refused_with_what_to_do(name: str) -> None:
    with pytest.raises(readers.Refused) as caught:
        readers.read_bytes(b"\xd0\xcf\x11\xe0 anything", name)
    assert "请" in caught.value.fix and not readers.readable(name)


def test_text_in_gb18030_and_utf16(tmp_path: Path) -> None:
    text = "联系电话：１３９１２３４５６７８"
    assert kinds(tmp_path, "a.txt", text.encode("gb18030")) == {"手机号"}
    assert kinds(tmp_path, "b.csv", text.encode("utf-16")) == {"手机号"}


def test_table_columns_label_their_cells(tmp_path: Path) -> None:
    # Luhn-valid, and beginning as no card does: only the column's header says what they are.
    cards = [luhn_complete("940000000000000000"), luhn_complete("911111111111111"), luhn_complete("95000000000000000")]
    rows = "".join(f"| 张某某 | {c} |\n" for c in cards)
    md = f"# 名单\n\n| 姓名 | 银行卡号 |\n|---|---|\n{rows}"
    hits = [loc for loc in scan_path(_write(tmp_path, "a.md", md.encode()), frozenset()).found]
    assert {(h.line, h.hit.kind) for h in hits} >= {(5, "银行卡号"), (6, "银行卡号"), (7, "银行卡号")}
    html = "<table><tr><th>姓名</th><th>账号</th></tr>" + "".join(f"<tr><td>张某某</td><td>{c}</td></tr>"
                                                              for c in cards) + "</table>"
    hits = scan_path(_write(tmp_path, "a.html", html.encode()), frozenset()).found
    assert sorted({h.hit.value for h in hits if h.hit.kind == "银行卡号"}) == sorted(cards)


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@needs_ocr
def test_images_are_read_by_ocr_and_their_metadata(tmp_path: Path) -> None:
    assert kinds(tmp_path, "a.png", text_image(f"TEL {MOBILE}")) == {"手机号"}
    assert ("图片元数据", "身份证号") in found(tmp_path, "b.jpg", text_image("OK", fmt="JPEG",
                                                                           exif_description=f"ID {ID}"))


@needs_ocr
def test_scanned_pdf_pages_are_read_by_ocr(tmp_path: Path) -> None:
    assert found(tmp_path, "a.pdf", scanned_pdf(f"TEL {MOBILE}")) == [("第 1 页（图像文字识别）", "手机号")]


def test_without_ocr_images_are_listed_as_unscanned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "available", lambda: False)
    result = scan_path(_write(tmp_path, "a.pdf", scanned_pdf("TEL")), frozenset())
    assert result.unscanned == ("第 1 页",) and not result.complete
    result = scan_path(_write(tmp_path, "a.png", text_image("TEL")), frozenset())
    assert result.unscanned == ("图像",)


def test_ocr_results_are_kept_by_digest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runs: list[bytes] = []
    monkeypatch.setattr(ocr, "engine", lambda: "tesseract 0")
    monkeypatch.setattr(ocr.subprocess, "run", lambda *a, **k: runs.append(k["input"]) or
                        type("Done", (), {"returncode": 0, "stdout": f"TEL {MOBILE}".encode(), "stderr": b""})())
    made: list[int] = []
    png = lambda: made.append(1) or text_image("x")  # noqa: E731
    assert ocr.read(b"key", png, tmp_path) == ocr.read(b"key", png, tmp_path) == f"TEL {MOBILE}"
    assert len(runs) == len(made) == 1 and list(tmp_path.rglob("*.txt"))  # kept: not even rendered again


def test_a_damaged_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    for name, data in (("a.pdf", b"%PDF-1.4 not really"), ("a.docx", b"PK not a zip"), ("a.xls", b"junk"),
                       ("a.png", b"\x89PNG junk"), ("a.xlsx", zip_with({"xl/workbook.xml": b"<oops"}))):
        result = scan_path(_write(tmp_path, name, data), frozenset())
        assert result.problem and not result.refused, name


def test_locations_name_the_line_of_a_text_file(tmp_path: Path) -> None:
    result = scan_path(_write(tmp_path, "a.md", f"---\ntitle: x\n---\n\n电话 {MOBILE}\n".encode()), frozenset())
    assert [(loc.line, loc.where) for loc in result.found] == [(5, "")]
    assert Located(result.found[0].hit, 5).place("content/a.md") == "content/a.md:5"
    assert pdf.COLUMN_GAP > 1
