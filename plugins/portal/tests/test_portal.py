"""Catalogue listings, year archives, filter pages, document pages and the statutory structure."""
from __future__ import annotations

import re

from tests.sitekit import ORG, Site


def fill(site: Site, n: int = 25) -> None:
    """n notices: the first 15 in 2024, the rest in 2023, alternating publishers and topics."""
    for i in range(1, n + 1):
        year = 2024 if i <= 15 else 2023
        month = (i % 12) + 1
        site.entry(serial=i, year=year, title=f"第{i}号通知", date=f"{year}-{month:02d}-10",
                   written_date=f"{year}-{month:02d}-01",
                   publisher="党政办公室" if i % 2 else "财政局",
                   topic="综合政务\\政务公开" if i % 3 else "财政、金融、审计\\财政",
                   validity="有效" if i % 5 else "失效")


def titles(html: str) -> list[str]:
    return re.findall(r'<td data-label="标题"><a href="[^"]+">([^<]+)</a>', html)


def test_listing_is_paginated_newest_first(site: Site) -> None:
    fill(site)
    site.build()
    first = site.read("tzgg/index.html")
    second = site.read("tzgg/index_2.html")
    assert len(titles(first)) == 20 and len(titles(second)) == 5
    dates = re.findall(r'data-label="发布日期"><time datetime="([\d-]+)"', first + second)
    assert dates == sorted(dates, reverse=True)
    assert "共 25 条，第 1 / 2 页" in first
    assert 'href="/tzgg/index_2.html" rel="next"' in first
    assert 'href="/tzgg/" rel="prev"' in second
    headers = re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', first)
    assert headers == ["索引号", "标题", "发布机构", "发布日期"]


def test_year_archives(site: Site) -> None:
    fill(site)
    site.build()
    y2023 = site.read("tzgg/2023/index.html")
    assert sorted(titles(y2023)) == sorted(f"第{i}号通知" for i in range(16, 26))
    assert 'href="/tzgg/2023/" aria-current="page" class="current">2023年（10）</a>' in y2023
    assert "2024年（15）" in y2023


def test_filter_pages_for_topic_publisher_and_validity(site: Site) -> None:
    fill(site)
    site.build()
    by_publisher = site.read("tzgg/publisher/czj/index.html")
    assert sorted(titles(by_publisher)) == sorted(f"第{i}号通知" for i in range(2, 26, 2))
    by_topic = site.read("tzgg/topic/cz/index.html")
    assert sorted(titles(by_topic)) == sorted(f"第{i}号通知" for i in range(3, 26, 3))
    expired = site.read("tzgg/validity/sx/index.html")
    assert sorted(titles(expired)) == sorted(f"第{i}号通知" for i in (5, 10, 15, 20, 25))
    assert "当前筛选：有效性：失效" in expired
    listing = site.read("tzgg/index.html")
    assert 'href="/tzgg/publisher/czj/">财政局（12）</a>' in listing
    assert 'href="/tzgg/topic/cz/">财政、金融、审计\\财政（8）</a>' in listing


def test_document_page(site: Site) -> None:
    fill(site, 3)
    site.build()
    html = site.read("tzgg/2024-00002.html")
    assert '<html lang="zh-CN">' in html
    assert "<dt>索引号</dt>" in html and f"<dd>{ORG}/2024-00002</dd>" in html
    assert "<dd>2024-03-10</dd>" in html  # 发布日期 as a date, not a timestamp
    # previous = newer (第3号, March 10 → April), next = older
    assert re.search(r'上一篇：<a href="/tzgg/2024-00003.html" rel="prev">第3号通知</a>', html)
    assert re.search(r'下一篇：<a href="/tzgg/2024-00001.html" rel="next">第1号通知</a>', html)
    crumbs = re.search(r'<nav class="breadcrumbs".*?</nav>', html, re.S).group(0)
    assert [t for t in re.findall(r">([^<>]+)</(?:a|li)>", crumbs)] == ["首页", "法定主动公开内容", "通知公告", "第2号通知"]


def test_home_shows_statutory_structure_and_columns(site: Site) -> None:
    fill(site, 8)
    site.entry("xzcf", serial=30)
    site.build()
    home = site.read("index.html")
    for text in ("政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报",
                 "通知公告", "行政处罚/公示", "财政预算决算", "政策文件"):
        assert text in home
    latest = re.search(r'<section class="column-card" aria-labelledby="col-tzgg">.*?</section>', home, re.S).group(0)
    assert latest.count("<li>") == 6  # HOME_LATEST
    assert "更多通知公告（共 8 条）" in latest
    assert (site.output / "fdzdgknr/index.html").is_file()
    assert (site.output / "nb/index.html").is_file()


def test_footer_on_every_page(site: Site) -> None:
    fill(site, 2)
    site.page("gybw", "关于本网")
    site.build()
    xxgk = site.settings()["XXGK"]
    pages = list(site.output.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        html = page.read_text(encoding="utf-8")
        for needle in (f"主办单位：{xxgk['ORG_NAME']}", f"网站标识码：{xxgk['SITE_CODE']}",
                       f'<a href="{xxgk["ICP_URL"]}" rel="noopener">{xxgk["ICP"]}</a>', xxgk["PSB"],
                       "我为政府网站找错", 'alt="党政机关网站标识"', "网站地图", "关于本网", "网站声明"):
            assert needle in html, (page, needle)


def test_missing_site_setting_fails_the_build(site: Site) -> None:
    import pytest

    from foundation.errors import SettingsError

    site.entry()
    xxgk = dict(site.settings()["XXGK"])
    del xxgk["ICP"]
    xxgk["PAGE_SIZ"] = 10
    with pytest.raises(SettingsError) as caught:
        site.build(XXGK=xxgk)
    message = str(caught.value)
    assert "XXGK['ICP']: 缺少必填设置" in message
    assert "XXGK['PAGE_SIZ']: 未知的设置项，是否应为 PAGE_SIZE？" in message


def test_print_stylesheet_hides_navigation() -> None:
    from tests.sitekit import ROOT

    css = (ROOT / "theme/static/css/site.css").read_text(encoding="utf-8")
    print_rules = css[css.index("@media print"):]
    for selector in (".site-nav", ".search-box", ".breadcrumbs", ".entry-nav", ".filters", ".pagination"):
        assert selector in print_rules


def test_page_window() -> None:
    from foundation.display import page_window

    assert page_window(1, 1) == [1]
    assert page_window(1, 5) == [1, 2, 3, 4, 5]
    assert page_window(1, 400) == [1, 2, 3, 4, None, 400]
    assert page_window(200, 400) == [1, None, 197, 198, 199, 200, 201, 202, 203, None, 400]
    assert page_window(396, 400) == [1, None, 393, 394, 395, 396, 397, 398, 399, 400]
    assert page_window(5, 9) == [1, 2, 3, 4, 5, 6, 7, 8, 9]  # no gap of one page


def test_a_long_catalogue_links_a_window_of_pages(site: Site) -> None:
    """A column of many pages links the first, the last and three on each side, with … between."""
    for i in range(1, 181):
        site.entry("tzgg", i, title=f"第{i}号通知")
    site.build()
    page = site.read("tzgg/index.html")
    nav = page[page.index('<nav class="pagination"'):]
    nav = nav[:nav.index("</nav>")]
    linked = re.findall(r'<a href="/tzgg/(?:index_(\d+)\.html)?"(?: rel="(?:prev|next)")?>', nav)
    numbers = sorted({int(n) if n else 1 for n in linked})
    assert numbers == [2, 3, 4, 9]
    assert '<span aria-current="page">1</span>' in nav
    assert nav.count('<span class="gap" aria-hidden="true">…</span>') == 1
    assert "共 180 条，第 1 / 9 页" in nav
