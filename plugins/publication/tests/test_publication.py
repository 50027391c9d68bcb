"""Publication rules: penalty publicity periods, withdrawal, masking, policy validity, budgets, timeliness."""
from __future__ import annotations

import datetime as dt
import re

import feedparser
import pytest

from plugins.publication.penalties import mask_name, publicity_end
from tests.sitekit import ORG, Site, budget_xlsx
from foundation.errors import ContentError

POLICY = {"short_months": 3, "long_months": 36, "low_fine_max": 1,
          "short_categories": ["通报批评", "罚款"], "term_categories": ["限制开展生产经营活动", "限制从业"]}


def today(site: Site, day: str) -> dict:
    return {"XXGK": {**site.settings()["XXGK"], "TODAY": day}}


@pytest.mark.parametrize(("meta", "end"), [
    ({"penalty_categories": ["罚款"], "fine": 0.5}, dt.date(2024, 6, 4)),          # low fine: 3 months
    ({"penalty_categories": ["通报批评"]}, dt.date(2024, 6, 4)),
    ({"penalty_categories": ["罚款"], "fine": 5}, dt.date(2027, 3, 4)),            # otherwise 3 years
    ({"penalty_categories": ["罚款", "没收违法所得"], "fine": 0.5, "confiscation": 0.2}, dt.date(2027, 3, 4)),
    ({"penalty_categories": ["限制从业"], "valid_until": dt.date(2030, 1, 1)}, dt.date(2030, 1, 1)),
    ({"penalty_categories": ["罚款"], "fine": 0.5, "publicity_end": dt.date(2025, 1, 1)}, dt.date(2025, 1, 1)),
])
def test_publicity_end_follows_the_policy_table(meta: dict, end: dt.date) -> None:
    assert publicity_end({"date": dt.date(2024, 3, 5), **meta}, POLICY) == end


@pytest.mark.parametrize(("raw", "masked"), [("张三", "张某某"), ("欧阳娜娜", "欧阳某某"), ("李某某", "李某某")])
def test_mask_name(raw: str, masked: str) -> None:
    assert mask_name(raw, "{surname}某某") == masked


def penalty_site(site: Site) -> None:
    site.entry("xzcf", serial=1, title="低额罚款处罚", penalty_categories="罚款", fine=0.5,
               penalty_content="罚款人民币五千元。")
    site.entry("xzcf", serial=2, title="高额罚款处罚", penalty_categories="罚款", fine=5)


def listed_titles(site: Site) -> str:
    return site.read("xzcf/index.html") + site.read("xzcf/rss.xml") + site.read("feeds/all.atom.xml")


def test_expired_penalty_leaves_listing_page_and_feeds(site: Site) -> None:
    penalty_site(site)
    site.build(**today(site, "2024-06-04"))
    assert "低额罚款处罚" in listed_titles(site)
    assert "<dt>公示截止期</dt>" in site.read("xzcf/2024-00001.html")
    site.build(**today(site, "2024-06-05"))
    assert "低额罚款处罚" not in listed_titles(site)
    assert not (site.output / "xzcf/2024-00001.html").exists()
    assert "高额罚款处罚" in listed_titles(site)
    assert (site.content / "xzcf/2024/2024-00001.md").is_file()  # the source stays


def test_early_stop(site: Site) -> None:
    site.entry("xzcf", serial=2, title="高额罚款处罚", penalty_categories="罚款", fine=5, stop_date="2025-01-10")
    site.build(**today(site, "2025-01-09"))
    assert (site.output / "xzcf/2024-00002.html").is_file()
    site.build(**today(site, "2025-01-10"))
    assert not (site.output / "xzcf/2024-00002.html").exists()


def test_withdrawn_penalty_shows_only_the_notice(site: Site) -> None:
    site.entry("xzcf", serial=1, title="天津某某物流有限公司行政处罚决定", decision_changed_date="2024-04-01",
               withdrawn_date="2024-04-10", withdrawal_reason="该处罚决定已被复议机关撤销。")
    result = site.build(**today(site, "2024-05-01"))
    html = site.read("xzcf/2024-00001.html")
    assert "本条信息已于 2024-04-10 撤下公示" in html and "该处罚决定已被复议机关撤销。" in html
    for private in ("天津某某物流有限公司", "91120116MA05ABCD1K", "李某某", "未按规定公示年度报告"):
        assert private not in html
    assert "天津某某物流有限公司" not in listed_titles(site)
    # 2024-04-01 → 04-10: 04-02, 04-03, 04-07 (调休 Sunday), 04-08..10 = 6 working days (清明 04-04..06 off).
    assert any("处罚决定变更后第 6 个工作日才撤下公示" in w for w in result.warnings)


def test_withdrawal_needs_a_reason(site: Site) -> None:
    site.entry("xzcf", withdrawn_date="2024-04-10")
    with pytest.raises(ContentError) as caught:
        site.build()
    assert "withdrawal_reason: 缺少必填字段（因为填写了撤下公示日期）" in str(caught.value)


def test_a_withdrawal_reason_needs_its_date(site: Site) -> None:
    site.entry("xzcf", withdrawal_reason="该行政处罚决定已被依法撤销。")
    with pytest.raises(ContentError) as caught:
        site.build()
    assert "withdrawn_date: 缺少必填字段（因为填写了撤下原因）" in str(caught.value)


def test_natural_person_name_is_masked_and_checked(site: Site) -> None:
    site.entry("xzcf", party_type="自然人", party_name="王小明", credit_code=None, legal_rep=None)
    site.build(**today(site, "2024-04-01"))
    html = site.read("xzcf/2024-00001.html")
    assert "<dd>王某某</dd>" in html and "王小明" not in html
    site.entry("xzcf", party_type="自然人", party_name="王小明", credit_code=None, legal_rep=None,
               body="当事人王小明未取得许可从事经营。")
    with pytest.raises(ContentError) as caught:
        site.build(**today(site, "2024-04-01"))
    assert "正文: 自然人姓名「王小明」出现在正文中" in str(caught.value)  # where it is written (plugins.pii_guard.names)


def policy_site(site: Site) -> None:
    site.entry("zcwj", serial=1, title="旧办法", validity="废止", validity_date="2024-06-01",
               replaced_by=f"{ORG}/2024-00002")
    site.entry("zcwj", serial=2, title="新办法", date="2024-06-01", written_date="2024-05-28")
    site.entry("zcwj", serial=3, title="新办法解读", policy_kind="政策解读", interprets=f"{ORG}/2024-00002",
               date="2024-06-02", written_date="2024-06-01")


def test_repealed_policy_notice_and_links(site: Site) -> None:
    policy_site(site)
    site.build()
    old = site.read("zcwj/2024-00001.html")
    assert "本文件已于 2024-06-01 废止" in old
    assert '现行文件：<a href="/zcwj/2024-00002.html">新办法</a>' in old
    assert old.index("本文件已于") < old.index('<dl class="meta-box">')  # at the top
    new = site.read("zcwj/2024-00002.html")
    assert '<a href="/zcwj/2024-00001.html">旧办法</a>（废止于 2024-06-01）' in new
    assert '<a href="/zcwj/2024-00003.html">新办法解读</a>' in new
    assert '<span class="tag tag-废止">废止</span>' in site.read("zcwj/index.html")
    current = site.read("zcwj/validity/yx/index.html")
    assert "新办法" in current and "旧办法" not in current
    assert "只看现行有效的政策文件" in site.read("zcwj/index.html")
    titles = [e.title for e in feedparser.parse(site.read("zcwj/rss.xml")).entries]
    assert "旧办法（已废止）" in titles
    from werkzeug.test import Client

    from xxgk.serve import site_app

    results = Client(site_app(site.output)).get("/search?q=旧办法").get_data(as_text=True)
    assert '<span class="tag tag-废止">已废止</span>' in results


def test_budget_tables_chart_and_late_warning(site: Site) -> None:
    for year, serial in ((2023, 1), (2024, 2)):
        site.write(f"czyjs/{year}/files/预算.xlsx", budget_xlsx())
        site.entry("czyjs", serial=serial, year=year, fiscal_year=year, date=f"{year}-03-05",
                   written_date=f"{year}-03-01", approval_date=f"{year}-02-01",
                   attachments=[{"file": "files/预算.xlsx", "title": "预算表"}])
    result = site.build()
    html = site.read("czyjs/2024-00002.html")
    assert "<caption>收支总表</caption>" in html
    assert '<th scope="row">一般公共预算财政拨款收入</th><td class="num">1,200.50</td>' in html
    assert "<strong>本表无数据</strong>。说明：本单位无政府性基金收支。" in html
    listing = site.read("czyjs/index.html")
    assert "<svg" in listing and 'aria-hidden="true"' in listing
    assert '<th scope="row">2023年预算</th><td class="num">10.00</td><td class="num">12.50</td>' in listing
    for days in (32, 33):  # 2023-02-01 → 03-05 and 2024-02-01 → 03-05 (a leap year)
        assert any(f"批复后第 {days} 日才公开，超过预算法第十四条规定的 20 日" in w for w in result.warnings)


def test_late_proactive_publication_warns_in_working_days(site: Site) -> None:
    # 2024-09-20 → 10-25: 09-23..27 (5), 09-29 调休 Sunday, 09-30, 国庆 10-01..07 off, 10-08..11,
    # 10-12 调休 Saturday, 10-14..18, 10-21..25 → 22 working days.
    site.entry(written_date="2024-09-20", date="2024-10-25")
    result = site.build()
    assert any("成文后第 22 个工作日才发布，超过条例第二十六条规定的 20 个工作日" in w for w in result.warnings)
    assert (site.output / "tzgg/2024-00001.html").is_file()


def test_unreadable_budget_attachment_is_an_error(site: Site) -> None:
    site.write("czyjs/2024/files/预算.xlsx", b"PK not really a workbook")
    site.entry("czyjs", attachments=[{"file": "files/预算.xlsx", "title": "预算表"}])
    with pytest.raises(ContentError) as caught:
        site.build()
    assert "attachments: 附件「预算表」无法读取为表格" in str(caught.value)


def test_a_repeal_still_to_come_leaves_the_policy_in_force_until_its_day(site: Site) -> None:
    """validity: 废止 with a later validity_date (issue 17): 有效 today with a notice saying when,
    and 废止 by itself at the first build on or after the day."""
    site.entry("zcwj", serial=1, title="旧办法", validity="废止", validity_date="2024-12-15",
               replaced_by=f"{ORG}/2024-00002")
    site.entry("zcwj", serial=2, title="新办法", date="2024-06-01", written_date="2024-05-28")
    site.build(**today(site, "2024-12-02"))
    page = site.read("zcwj/2024-00001.html")
    assert "本文件现行有效，将于 2024-12-15 废止" in page and "本文件已于" not in page
    assert "届时由" in page and "新办法" in page
    assert re.search(r"<dt>有效性</dt>\s*<dd>有效</dd>", page)
    assert "旧办法" in site.read("zcwj/validity/yx/index.html")
    site.build(**today(site, "2024-12-15"))
    page = site.read("zcwj/2024-00001.html")
    assert "本文件已于 2024-12-15 废止" in page and re.search(r"<dt>有效性</dt>\s*<dd>废止</dd>", page)
    assert "旧办法" not in site.read("zcwj/validity/yx/index.html")


def test_check_lists_the_changes_to_come(site: Site) -> None:
    from xxgk.check import check
    from foundation.settings import resolve

    site.entry("zcwj", serial=1, title="旧办法", validity="失效", validity_date="2025-03-01")
    settings = site.settings(**today(site, "2024-12-02"))
    settings["XXGK_RESOLVED"] = resolve(settings["XXGK"])
    assert check(settings).changes == [("content/zcwj/2024/2024-00001.md",
                                        "现行有效，将于 2025-03-01 失效（当天起重新生成时自动改为失效）")]
