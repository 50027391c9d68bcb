"""Natural persons' names in penalty records are masked, and found wherever else they are written."""
from __future__ import annotations

import pytest

from plugins.pii_guard.names import name_form, variants
from foundation.privacy.readers import ocr
from foundation.errors import ContentError
from tests.sitekit import Site

from .documents import docx_with, pdf_with, scanned_pdf

PERSON = {"party_type": "自然人", "credit_code": None, "legal_rep": None}


def problems(site: Site) -> str:
    with pytest.raises(ContentError) as exc:
        site.build()
    return str(exc.value)


def line_of(site: Site, rel: str, text: str) -> int:
    lines = (site.content / rel).read_text(encoding="utf-8").split("\n")
    return next(i for i, line in enumerate(lines, 1) if text in line)


def test_names_are_compared_without_spaces_and_by_their_parts() -> None:
    assert name_form("张　三") == name_form("张 三") == name_form("张\u200b三") == "张三"
    assert variants("买买提·艾力") == ["买买提·艾力", "买买提艾力", "买买提", "艾力"]
    assert variants("买买提・艾力") == variants("买买提.艾力") == variants("买买提·艾力")


def test_the_name_is_masked_on_the_page_whatever_its_spacing(site: Site) -> None:
    site.entry("xzcf", party_name="张　三", **PERSON, body="当事人：张某某")
    site.build()
    page = site.read("xzcf/2024-00001.html")
    assert "张某某" in page and "张　三" not in page and "张三" not in page


@pytest.mark.parametrize("where,value", [
    ("body", "当事人张　三，男。"), ("body", "当事人张 三。"), ("title", "张 三违法案"), ("keywords", "罚款、张三"),
    ("violation_type", "张三无证经营"), ("license", "张三的许可证"), ("summary", "对张三作出处罚"),
])
def test_the_full_name_anywhere_in_the_entry_is_named_at_its_line(site: Site, where: str, value: str) -> None:
    fields = {"body": value} if where == "body" else {where: value}
    site.entry("xzcf", party_name="张三", **PERSON, **fields)
    message = problems(site)
    line = line_of(site, "xzcf/2024/2024-00001.md", value[:4] if where == "body" else f"{where}:")
    field = "正文" if where == "body" else where
    assert f"content/xzcf/2024/2024-00001.md:{line}: {field}: 自然人姓名「张三」出现在" in message
    assert "改写为「张某某」" in message


def test_a_dotted_name_is_found_whole_and_by_its_parts(site: Site) -> None:
    site.entry("xzcf", party_name="买买提·艾力", **PERSON, body="当事人：买某某。\n\n经查，买买提在东疆港区……")
    message = problems(site)
    assert "自然人姓名「买买提·艾力」出现在正文中" in message


def test_the_name_in_an_attachment_title_file_name_and_text(site: Site) -> None:
    site.write("xzcf/2024/files/张三决定书.pdf", pdf_with("行政处罚决定书 当事人：张某某"))
    site.write("xzcf/2024/files/决定书.pdf", pdf_with("行政处罚决定书 当事人：张三"))
    site.write("xzcf/2024/files/送达.docx", docx_with(body="送达人 张三"))
    site.entry("xzcf", party_name="张三", **PERSON, attachments=[
        {"file": "files/张三决定书.pdf", "title": "决定书"}, {"file": "files/决定书.pdf", "title": "处罚决定书"},
        {"file": "files/送达.docx", "title": "送达回证"}])
    message = problems(site)
    assert "字段 attachments" in message                     # the file name, in the front matter
    assert "出现在附件「处罚决定书」的第 1 页" in message
    assert "出现在附件「送达回证」的正文" in message


@pytest.mark.skipif(not ocr.available(), reason="make test installs tesseract-ocr (Makefile ocr-deps)")
def test_the_name_in_a_scanned_decision(site: Site) -> None:
    from .documents import CJK_FONT

    if not CJK_FONT.is_file():
        pytest.skip("make test installs fonts-wqy-microhei to draw Chinese text")
    site.write("xzcf/2024/files/扫描件.pdf", scanned_pdf("当事人：张三丰"))
    site.entry("xzcf", party_name="张三丰", **PERSON, attachments=[{"file": "files/扫描件.pdf", "title": "决定书"}])
    assert "出现在附件「决定书」的第 1 页（图像文字识别）" in problems(site)


def test_the_operator_of_a_sole_trader_is_masked_and_checked(site: Site) -> None:
    trader = {"party_type": "个体工商户", "party_name": "东疆港区李记小吃店", "legal_rep": None,
              "credit_code": "92120116MA0H3T8U6Q"}
    site.entry("xzcf", operator="李建国", **trader, body="经营者：李某某。")
    site.build()
    page = site.read("xzcf/2024-00001.html")
    assert "李某某" in page and "李建国" not in page
    site.entry("xzcf", operator="李建国", **trader, body="经营者李建国。")
    assert "自然人姓名「李建国」出现在正文" in problems(site)


def test_a_name_that_cannot_be_checked_is_said(site: Site) -> None:
    site.entry("xzcf", party_name="张某某", **PERSON)
    trader = {"party_type": "个体工商户", "party_name": "某某小吃店", "legal_rep": None, "credit_code": "92120116MA0H3T8U6Q"}
    site.entry("xzcf", serial=2, **trader)
    warnings = site.build().warnings
    assert any("已写成打码形式「张某某」，无法核对" in w for w in warnings)
    assert any("content/xzcf/2024/2024-00002.md" in w and "没有填写经营者姓名" in w for w in warnings)


def test_a_draft_only_warns(site: Site) -> None:
    site.entry("xzcf", party_name="张三", **PERSON, status="draft", body="当事人张三。")
    warnings = site.build().warnings
    assert any("自然人姓名「张三」出现在正文" in w for w in warnings)
