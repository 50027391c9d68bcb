"""Component parameters: what used to be decided in templates, decided from the schema."""
from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

from foundation.schema import IN_FORCE, NOT_IN_FORCE, field_map
from plugins.portal import params
from tests.sitekit import ORG, Site


def ValidityNotice(state: str, date: str, replacement: object, pending: bool = False) -> SimpleNamespace:
    """Stands in for plugins.publication's notice (a plugin imports no sibling, its tests neither)."""
    return SimpleNamespace(state=state, date=date, replacement=replacement, pending=pending)


def test_listing_columns_are_the_schema_in_listing_fields_index_no_first() -> None:
    for key in ("tzgg", "xzcf", "czyjs", "zcwj"):
        fields = params.listing_fields(key)
        assert [f.name for f in fields] == ["index_no", "title", "publisher", "date"]
        assert all(f.in_listing for f in fields)
    assert [c.label for c in params.listing_columns(params.listing_fields("tzgg"))] == \
        ["索引号", "标题", "发布机构", "发布日期"]


def entry(validity: str) -> SimpleNamespace:
    import datetime as dt
    meta = {"index_no": "X/2024-00001", "title": "标题", "publisher": "财政局", "validity": validity,
            "date": dt.datetime(2024, 5, 6, 9, 30)}
    return SimpleNamespace(metadata=meta, url="zcwj/2024-00001.html", **meta)


def test_listing_row_tags_only_what_is_no_longer_in_force() -> None:
    fields = params.listing_fields("zcwj")
    for state in NOT_IN_FORCE:
        title = params.listing_row(entry(state), fields)[1]
        assert title == params.Cell("title", "标题", "", "zcwj/2024-00001.html", state)
    row = params.listing_row(entry(IN_FORCE), fields)
    assert row[1].not_in_force == ""
    assert row[3] == params.Cell("date", "2024-05-06", "c-date")


def test_notice_variant_from_the_state() -> None:
    replacement = SimpleNamespace(url="zcwj/2.html", title="新办法", doc_no="津东疆管规〔2025〕1号")
    repealed = params.notice_params(ValidityNotice("废止", "2025-06-30", replacement))
    assert repealed["variant"] == "repealed" and repealed["replacement"]["doc_no"] == "津东疆管规〔2025〕1号"
    assert params.notice_params(ValidityNotice("失效", "2025-06-30", None))["variant"] == "expired"
    pending = params.notice_params(ValidityNotice("废止", "2027-01-01", None, pending=True))
    assert pending["variant"] == "pending" and pending["pending"] is True
    assert params.notice_params(None) is None


def test_in_force_filter_url_from_the_choice_slugs() -> None:
    f = field_map("zcwj")["validity"]
    assert params.in_force_url("zcwj") == f"zcwj/validity/{f.choice_slugs[f.choices.index(IN_FORCE)]}/"
    assert params.in_force_url("zcwj") == "zcwj/validity/yx/"


def test_chart_ids_are_unique_even_for_names_of_the_same_length() -> None:
    ids = params.chart_ids({"甲单位": object(), "乙单位": object()})
    assert len(set(ids.values())) == 2


def test_demo_ids_are_unique_in_every_page(demo_output: Path) -> None:
    for page in demo_output.rglob("*.html"):
        ids = re.findall(r'\sid="([^"]+)"', page.read_text(encoding="utf-8"))
        assert len(ids) == len(set(ids)), page


def test_every_link_uses_siteurl_when_publishing(site: Site) -> None:
    """The metadata box's link to a replacing policy was root-relative (a macro without SITEURL)."""
    site.entry("zcwj", serial=1, title="旧办法", validity="废止", validity_date="2024-06-01",
               replaced_by=f"{ORG}/2024-00002")
    site.entry("zcwj", serial=2, title="新办法", date="2024-06-01", written_date="2024-05-28")
    settings = site.settings(publish=True)
    site.build(publish=True)
    for page in site.output.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert not re.findall(r'(?:href|src|action)="/(?!/)', html), page
    old = site.read("zcwj/2024-00001.html")
    assert f'<dd><a href="{settings["SITEURL"]}/zcwj/2024-00002.html">新办法（{ORG}/2024-00002）</a></dd>' in old
    assert f'<a href="{settings["SITEURL"]}/zcwj/validity/yx/">只看现行有效的政策文件</a>' in site.read("zcwj/index.html")
