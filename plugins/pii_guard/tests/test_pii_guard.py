"""The PII guard finds identifiers wherever they leak, and leaves official data alone."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import Workbook
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from plugins.pii_guard import PrivacyError, guard, scan
from plugins.pii_guard.detect import find, id_check_digit, luhn_valid
from tests.sitekit import Site

ID = "11010519491231002X"        # the GB 11643 example: valid check digit
BAD_ID = "110105194912310021"    # same number, wrong check digit
MOBILE = "13912345678"
CARD = "6222021234567890128"     # Luhn-valid 19 digits


def test_detectors() -> None:
    assert id_check_digit(ID[:17]) == "X"
    assert luhn_valid(CARD) and not luhn_valid(CARD[:-1] + "9")
    assert [h.kind for h in find(f"身份证 {ID}，电话 139-1234-5678，银行卡号：{CARD}")] == ["身份证号", "手机号", "银行卡号"]
    assert find(f"号码 {BAD_ID}") == []
    assert find("津东疆管发〔2023〕5号 索引号 11120116MB1K23456X/2024-00012 金额 73,920.00 万元") == []
    assert find(f"订单编号 {CARD}") == []           # a long number without card context
    assert find("电话 022-25601234") == []          # landline
    assert find("热线 13800001111", frozenset({"13800001111"})) == []  # official number allowed


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


def test_pdf_text_is_every_page_in_order(tmp_path: Path) -> None:
    """The extractor runs without system fonts (plugins/pii_guard/scan.py): characters still
    come from the PDF's CMaps and encodings, on every page, with plain line breaks."""
    path = tmp_path / "名单.pdf"
    path.write_bytes(pdf_with("第一页 申请人 张某某", f"第二页 联系电话 {MOBILE}"))
    assert scan.pdf_text(path).splitlines() == [
        "第一页 申请人 张某某", "No. 2024-017", "第二页 联系电话 13912345678", "No. 2024-017"]
    assert [h.kind for h in find(scan.pdf_text(path))] == ["手机号"]


def xlsx_with(text: str) -> bytes:
    wb = Workbook()
    wb.active.append(["联系人电话", text])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def caught(site: Site) -> str:
    with pytest.raises(PrivacyError) as exc:
        site.build()
    return str(exc.value)


def test_identifier_in_body_fails_with_source_and_masked_match(site: Site) -> None:
    site.entry(body=f"当事人身份证号码：{ID}。")
    message = caught(site)
    assert "content/tzgg/2024/2024-00001.md: 身份证号 110*************2X 出现在 tzgg/2024-00001.html" in message
    assert ID not in message


def test_identifier_in_metadata(site: Site) -> None:
    site.entry(summary=f"联系电话{MOBILE}。")
    message = caught(site)
    assert "content/tzgg/2024/2024-00001.md: 手机号 139******78 出现在" in message


def test_identifier_in_pdf_attachment(site: Site) -> None:
    site.write("tzgg/2024/files/名单.pdf", pdf_with(f"申请人 {ID}"))
    site.entry(attachments=["files/名单.pdf"])
    assert "content/tzgg/2024/files/名单.pdf: 身份证号 110*************2X 出现在 tzgg/2024-00001/名单.pdf" in caught(site)


def test_identifier_in_xlsx_attachment(site: Site) -> None:
    site.write("tzgg/2024/files/名单.xlsx", xlsx_with(MOBILE))
    site.entry(attachments=["files/名单.xlsx"])
    assert "content/tzgg/2024/files/名单.xlsx: 手机号 139******78 出现在 tzgg/2024-00001/名单.xlsx" in caught(site)


def test_identifier_in_a_feed(tmp_path: Path) -> None:
    out = tmp_path / "output"
    out.mkdir()
    (out / "rss.xml").write_text(f"<rss><item><title>卡号 {CARD}</title></item></rss>", encoding="utf-8")
    (tmp_path / "content").mkdir()
    [finding] = guard(out, tmp_path / "content", [])
    assert (finding.output, finding.hit.kind, finding.source) == ("rss.xml", "银行卡号", "")


def test_entity_encoded_identifier_is_found(tmp_path: Path) -> None:
    out = tmp_path / "output"
    out.mkdir()
    encoded = "".join(f"&#{ord(c)};" for c in MOBILE)
    (out / "a.html").write_text(f"<p>{encoded}</p>", encoding="utf-8")
    (tmp_path / "content").mkdir()
    assert [f.hit.kind for f in guard(out, tmp_path / "content", [])] == ["手机号"]


def test_clean_site_and_official_phones_pass(site: Site) -> None:
    site.entry(body="咨询电话：022-25601234；文号 津东疆管发〔2023〕5号；身份证号示例 110105194912310021（校验位错误）。")
    site.build()
    assert (site.output / "tzgg/2024-00001.html").is_file()
