"""Issue 17: what editors write wrongly is named on its own line, in Chinese, once, at its cause."""
from __future__ import annotations

import pytest

from tests.sitekit import ORG, Site, entry_text
from foundation.errors import ContentError


def problems_of(site: Site) -> list[str]:
    with pytest.raises(ContentError) as caught:
        site.build()
    return [str(p) for p in caught.value.problems]


def raw_entry(site: Site, rel: str, replace: dict[str, str], **kw: object) -> None:
    """An entry whose YAML is edited as text (so YAML, not the test, reads the value)."""
    text = entry_text(**kw)
    for old, new in replace.items():
        assert old in text
        text = text.replace(old, new)
    site.write(rel, text)


# -- item 5: impossible dates are field problems, and one bad file hides no other's problems

def test_impossible_dates_are_named_like_any_other_bad_value(site: Site) -> None:
    raw_entry(site, "tzgg/2024/2024-00001.md", {"date: '2024-03-05'": "date: 2025-02-30"})
    raw_entry(site, "zcwj/2024/2024-00002.md", {"written_date: '2024-03-01'": "written_date: 2026-13-01"},
              column="zcwj", serial=2)
    site.entry(serial=3, genre="便条")
    problems = problems_of(site)
    assert "content/tzgg/2024/2024-00001.md:6: date: 日期「2025-02-30」不存在：2025 年 2 月只有 28 天" \
           "（expected YYYY-MM-DD，例如 2024-03-15）" in problems
    assert any(p.startswith("content/zcwj/2024/2024-00002.md:") and ": written_date: 日期「2026-13-01」不存在：一年只有 12 个月，没有 13 月（expected YYYY-MM-DD"
               in p for p in problems)
    assert any(p.startswith("content/tzgg/2024/2024-00003.md:7: genre:") for p in problems)
    assert not any("Could not process" in p for p in problems)


# -- item 6: YAML mistakes in Chinese, on the line where they are

@pytest.mark.parametrize("line, message", [
    ("publisher：东疆综合保税区管理委员会",
     "content/tzgg/2024/2024-00001.md:{n}: 元数据: 这一行用了全角冒号「：」：字段名后要用半角冒号加空格"
     "（expected “publisher: 值”；字段名要用英文键，见 docs/fields.md）"),
    ("keywords: 通知: 安全",
     "content/tzgg/2024/2024-00001.md:{n}: 元数据: 值里有「: 」（冒号加空格），YAML 把它当成了字段分隔："
     "请给整个值加引号（expected 例如 title: \"关于: 某事的通知\"）"),
    ("\tkeywords: 安全",
     "content/tzgg/2024/2024-00001.md:{n}: 元数据: 这一行有 Tab 字符：YAML 不能用 Tab 缩进或对齐，请把 Tab 换成空格"),
])
def test_yaml_errors_are_explained_on_their_own_line(site: Site, line: str, message: str) -> None:
    text = entry_text()
    lines = text.split("\n")
    at = lines.index("summary: 部署安全生产检查工作。") + 1
    lines.insert(at, line)
    site.write("tzgg/2024/2024-00001.md", "\n".join(lines))
    assert problems_of(site) == [message.format(n=at + 1)]


@pytest.mark.parametrize("text, line, message", [
    ("  title: 标题\ndate: '2024-03-05'\n", 2, "第一个字段前有空格：顶层的字段要从行首写起（expected 删去行首的空格）"),
    ("title: 标题\n  date: '2024-03-05'\n", 3, "这一行缩进了：字段要从行首写起"),
    ("title: [2024] 第 1 号\n", 2, "方括号或花括号不成对：YAML 把以 [ 或 { 开头的值当作列表或映射"),
    ("title: @东疆\n", 2, "这一行有 YAML 不能识别的字符"),
])
def test_more_yaml_mistakes_are_explained(site: Site, text: str, line: int, message: str) -> None:
    site.write("tzgg/2024/bad.md", "---\n" + text + "---\n正文\n")
    [problem] = problems_of(site)
    assert problem.startswith(f"content/tzgg/2024/bad.md:{line}: 元数据: {message}"), problem


def test_a_hash_that_cuts_a_value_short_is_a_warning(site: Site) -> None:
    raw_entry(site, "tzgg/2024/2024-00001.md", {"summary: 部署安全生产检查工作。": "summary: 部署安全 #生产检查工作。"})
    result = site.build()
    assert any(w.startswith("content/tzgg/2024/2024-00001.md:8: summary: 值在「 #」处被截断：YAML 把「#生产检查工作。」"
                            "当作注释删去了") for w in result.warnings), result.warnings


def test_a_full_width_colon_line_folded_into_the_value_above_is_a_warning(site: Site) -> None:
    raw_entry(site, "tzgg/2024/2024-00001.md", {"\ntopic:": "\n  发布机构：东疆\ntopic:"})
    result = site.build()
    assert any(": title: 这一行被并入了上一个字段的值：若「发布机构」是字段" in w for w in result.warnings)


# -- item 7: each problem once, at its cause, all in one run

def test_an_entry_with_an_error_still_holds_its_index_no(site: Site) -> None:
    site.entry(column="zcwj", serial=1, genre="便条")               # its own error
    site.entry(column="zcwj", serial=2, validity="废止", validity_date="2024-03-02",
               replaced_by=f"{ORG}/2024-00001")                    # refers to it: no second problem
    site.entry(column="zcwj", serial=1, rel="zcwj/2024/copy.md")  # a duplicate, found in the same run
    problems = problems_of(site)
    assert [p.split(": ")[1] for p in problems] == ["genre", "index_no"], problems
    assert problems[1].startswith(f"content/zcwj/2024/copy.md:10: index_no: 索引号 {ORG}/2024-00001 重复，"
                                  "已被 content/zcwj/2024/2024-00001.md 使用")


# -- item 9: values that pass but should not

@pytest.mark.parametrize("typed, normal", [
    ("津东疆管发〔2026〕第16号", "津东疆管发〔2026〕16号"),
    ("津东疆管发〔2026〕016号", "津东疆管发〔2026〕16号"),
    ("津东疆管发2026年16号", "津东疆管发〔2026〕16号"),
])
def test_loose_doc_numbers_warn_with_the_normal_form(site: Site, typed: str, normal: str) -> None:
    site.entry(column="zcwj", doc_no=typed)
    warnings = site.build().warnings
    assert any(f": doc_no: 文号「{typed}」不是规范写法：年份用六角括号〔〕，序号不加“第”、不编虚位"
               f"（GB/T 9704—2012 第 7.3.2 条）（expected「{normal}」）" in w for w in warnings), warnings


def test_a_fine_in_yuan_instead_of_wan_yuan_warns_and_says_the_unit(site: Site) -> None:
    site.entry(column="xzcf", fine=10000)
    warnings = site.build().warnings
    assert any(": fine: 10000 万元即 100,000,000 元，超过通常的 1000 万元：本字段的单位是万元" in w
               for w in warnings), warnings
    site.entry(column="xzcf", fine=0.5)
    assert not any("fine" in w for w in site.build().warnings)


@pytest.mark.parametrize("typed, meant", [("公示", "公告"), ("纪要", "会议纪要"), ("通知书", "通知")])
def test_suggestions_go_by_meaning(site: Site, typed: str, meant: str) -> None:
    site.entry(genre=typed)
    [problem] = problems_of(site)
    assert f"genre: 「{typed}」不在允许的取值中，是否应为「{meant}」？（expected 其一：决议、决定" in problem
    assert "请示" not in problem.split("（expected")[0]


def test_no_misleading_guess_when_nothing_is_close(site: Site) -> None:
    site.entry(genre="便条")
    [problem] = problems_of(site)
    assert "genre: 「便条」不在允许的取值中（expected 其一：决议、决定、命令（令）" in problem
