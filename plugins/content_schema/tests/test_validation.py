"""Every kind of content mistake fails the build with one exact `path:line: field: problem` line."""
from __future__ import annotations

import pytest

from tests.sitekit import ORG, Site
from foundation.errors import ContentError


def problems_of(site: Site) -> list[str]:
    with pytest.raises(ContentError) as caught:
        site.build()
    return [str(p) for p in caught.value.problems]


def test_valid_entry_builds(site: Site) -> None:
    site.entry()
    site.build()
    assert (site.output / "tzgg/2024-00001.html").is_file()


def test_missing_required_field(site: Site) -> None:
    site.entry(summary=None)
    assert problems_of(site) == [
        "content/tzgg/2024/2024-00001.md:1: summary: 缺少必填字段（expected 一行 “summary: …”，"
        "内容概述：一两句话概括主要内容（纯文本）。 例如 部署春节期间安全生产检查和值班值守工作。）"]


def test_unknown_field_suggests_nearest(site: Site) -> None:
    site.entry(publsher="党政办公室")
    assert "content/tzgg/2024/2024-00001.md:10: publsher: 未知字段，是否应为 publisher（发布机构）？" in problems_of(site)


def test_chinese_key_is_an_error_not_body_text(site: Site) -> None:
    site.entry(**{"索引号": "x"})
    problems = problems_of(site)
    assert problems == ["content/tzgg/2024/2024-00001.md:10: 索引号: 字段名要用英文键：请把「索引号」写作 index_no"]


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x7f", "\ufffe"])
def test_an_invisible_control_character_is_named_with_where_it_is(site: Site, char: str) -> None:
    site.entry(title=f"关于{char}通知", summary=f"概述{char}")
    problems = problems_of(site)
    assert any(p.startswith("content/tzgg/2024/2024-00001.md:") and ": title: 第 3 个字是看不见的控制字符 "
               f"U+{ord(char):04X}" in p for p in problems), problems
    assert any(": summary: 第 3 个字是看不见的控制字符" in p for p in problems), problems


def test_bad_date(site: Site) -> None:
    site.entry(date="2024-02-30")
    assert problems_of(site) == [
        "content/tzgg/2024/2024-00001.md:6: date: 日期「2024-02-30」不存在：2024 年 2 月只有 29 天（expected YYYY-MM-DD，例如 2024-03-15）"]


def test_value_outside_allowed_set(site: Site) -> None:
    site.entry(genre="通告书")
    assert problems_of(site)[0].startswith(
        "content/tzgg/2024/2024-00001.md:7: genre: 「通告书」不在允许的取值中，是否应为「通告」？（expected 其一：决议、决定")


def test_malformed_index_no(site: Site) -> None:
    site.entry(index_no="2024-00001")
    assert problems_of(site) == [
        f"content/tzgg/2024/2024-00001.md:9: index_no: 索引号「2024-00001」格式不正确（expected 机构代码/年份-五位流水号，例如 {ORG}/2024-00012）"]


def test_index_no_of_another_organisation(site: Site) -> None:
    site.entry(index_no="000014349/2024-00001")
    assert problems_of(site) == [
        f"content/tzgg/2024/2024-00001.md:9: index_no: 索引号的机构代码「000014349」与站点设置 ORG_CODE 不一致（expected {ORG}/2024-00001）"]


def test_duplicate_index_no_names_both_files(site: Site) -> None:
    site.entry(serial=1)
    site.entry(serial=1, rel="tzgg/2024/copy.md", title="另一条通知")
    assert problems_of(site) == [
        f"content/tzgg/2024/copy.md:9: index_no: 索引号 {ORG}/2024-00001 重复，已被 content/tzgg/2024/2024-00001.md 使用"
        "（expected 全站唯一，请改用未使用的流水号，make new 会自动分配）"]


@pytest.mark.parametrize("typed", ["津东疆管发[2024]3号", "津东疆管发(2024)3号", "津东疆管发（2024）3号", "津东疆管发【2024】3号"])
def test_doc_no_with_wrong_brackets_offers_normalised_form(site: Site, typed: str) -> None:
    site.entry(doc_no=typed)
    assert problems_of(site) == [
        "content/tzgg/2024/2024-00001.md:10: doc_no: 文号的年份应使用六角括号〔〕（expected「津东疆管发〔2024〕3号」）"]


def test_file_in_wrong_column_folder(site: Site) -> None:
    from tests.sitekit import entry_text
    site.write("tzgg/2024/2024-00001.md", entry_text("zcwj").replace("---\n", "---\ncolumn: zcwj\n", 1))
    assert problems_of(site) == [
        "content/tzgg/2024/2024-00001.md:2: column: 文件放错了栏目文件夹：它属于 zcwj，却在 content/tzgg/ 下"
        "（expected 移到 content/zcwj/，或改正 column）"]


def test_field_of_another_column(site: Site) -> None:
    site.entry(fiscal_year=2024)
    assert problems_of(site) == [
        "content/tzgg/2024/2024-00001.md:10: fiscal_year: 本栏目（通知公告）没有这个字段，它属于 财政预算决算（czyjs） 栏目"
        "：文件是否放错了栏目文件夹？"]


def test_file_outside_column_folders(site: Site) -> None:
    site.write("misc/note.md", "---\ntitle: x\n---\n")
    assert problems_of(site) == [
        "content/misc/note.md:1: 栏目: 文件不在任何栏目文件夹中（expected content/tzgg、content/xzcf、"
        "content/czyjs、content/zcwj 或 content/pages 下）"]


def test_missing_attachment_file(site: Site) -> None:
    site.entry(attachments=[{"file": "files/预算.pdf", "title": "预算表"}])
    assert problems_of(site) == [
        "content/tzgg/2024/2024-00001.md:10: attachments: 附件文件「files/预算.pdf」不存在：找的是 content/tzgg/2024/files/预算.pdf"
        "（expected 附件相对于本文件所在文件夹的路径：把附件放进同一文件夹下的 files/ 文件夹，写 files/文件名）"]


def test_attachment_path_cannot_escape(site: Site) -> None:
    site.entry(attachments=[{"file": "../../secret.pdf"}])
    assert problems_of(site) == [
        "content/tzgg/2024/2024-00001.md:10: attachments: 附件「../../secret.pdf」不能用绝对路径或 ..（expected "
        "附件相对于本文件所在文件夹的路径：把附件放进同一文件夹下的 files/ 文件夹，写 files/文件名）"]


def test_yaml_syntax_error_names_the_line(site: Site) -> None:
    site.write("tzgg/2024/bad.md", "---\ntitle: 标题\nsummary: \"未闭合\ndate: 2024-01-01\n---\n正文\n")
    assert problems_of(site) == [
        "content/tzgg/2024/bad.md:3: 元数据: 引号不成对：从这一行开始的引号没有结束（expected 值两端各一个 \" 或 '）"]


def test_no_front_matter(site: Site) -> None:
    site.write("tzgg/2024/plain.md", "索引号: 11120116MB1K23456X/2024-00009\n正文\n")
    assert problems_of(site) == [
        "content/tzgg/2024/plain.md:1: 元数据: 文件应以 --- 开头的元数据块开始（expected '---' on line 1, "
        "then one 'key: value' per line, then '---')"]


def test_conditionally_required_and_forbidden_fields(site: Site) -> None:
    site.entry(column="zcwj", validity="废止")
    site.entry(column="xzcf", serial=2, party_type="自然人", party_name="张某某")
    problems = problems_of(site)
    assert ("content/zcwj/2024/2024-00001.md:1: validity_date: 缺少必填字段（因为有效性为「废止」）（expected 一行 "
            "“validity_date: …”，失效/废止日期：文件失效或废止的日期；有效的文件不填。 例如 2025-06-30）") in problems
    assert "content/xzcf/2024/2024-00002.md:11: credit_code: 行政相对人类别为「自然人」时不应填写统一社会信用代码，请删除这一行" in problems
    assert "content/xzcf/2024/2024-00002.md:12: legal_rep: 行政相对人类别为「自然人」时不应填写法定代表人，请删除这一行" in problems


def test_dangling_reference(site: Site) -> None:
    site.entry(column="zcwj", validity="废止", validity_date="2024-06-01", replaced_by=f"{ORG}/2024-00099")
    assert problems_of(site) == [
        f"content/zcwj/2024/2024-00001.md:13: replaced_by: 找不到索引号为 {ORG}/2024-00099 的信息（expected 本站已有条目的索引号）"]


def test_every_problem_is_reported_at_once(site: Site) -> None:
    site.entry(serial=1, date="昨天", genre="便条")
    site.entry(serial=2, summary=None)
    site.write("tzgg/2024/binary.md", b"\x00\x01\x02")
    problems = problems_of(site)
    assert len(problems) == 4
    assert "content/tzgg/2024/binary.md:1: 文件: 不是 UTF-8 编码的文本文件（请用 UTF-8 保存）" in problems


def test_bom_and_crlf_are_accepted(site: Site) -> None:
    from tests.sitekit import entry_text
    site.write("tzgg/2024/2024-00001.md", ("\ufeff" + entry_text()).replace("\n", "\r\n").encode())
    site.build()
    assert "关于开展安全生产检查的通知" in site.read("tzgg/2024-00001.html")


def test_script_in_body_is_removed(site: Site) -> None:
    site.entry(body="正文<script>alert(1)</script><a href=\"javascript:alert(1)\">链接</a>")
    site.build()
    html = site.read("tzgg/2024-00001.html")
    assert "<script>alert" not in html and "javascript:" not in html


def test_required_pages_must_exist(site: Site) -> None:
    site.entry()
    (site.content / "pages/wzsm.md").unlink()
    assert problems_of(site) == [
        "content/pages/wzsm.md: 页面: 缺少「网站声明」页面（expected 文件 content/pages/wzsm.md，其中 slug: wzsm）"]


@pytest.mark.parametrize("body", ["", "   \n\n", "（在这里写正文。可以用 ## 小标题、列表和表格。）"])
def test_a_published_entry_needs_a_body_a_draft_may_wait(site: Site, body: str) -> None:
    from foundation.errors import ContentError

    path = site.entry(body=body)
    line = path.read_text(encoding="utf-8").split("\n").index("---", 1) + 2
    with pytest.raises(ContentError) as exc:
        site.build()
    assert f"content/tzgg/2024/2024-00001.md:{line}: 正文: 正文" in str(exc.value)
    site.entry(body=body, status="draft")
    assert any("正文" in w for w in site.build().warnings)
