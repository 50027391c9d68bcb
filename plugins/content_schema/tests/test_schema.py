"""The schema is the single source: box labels, the editors' reference and settings docs follow it."""
from __future__ import annotations

import re

from plugins.content_schema.docs import DOCS, fields_reference
from foundation.schema import COLUMNS, COMMON_FIELDS, fields_for
from tests.sitekit import ROOT, Site


def _site() -> dict:
    from xxgk.build import load_settings
    from foundation.settings import resolve
    return resolve(load_settings(ROOT)["XXGK"])


def test_generated_docs_are_in_sync() -> None:
    for rel, make in DOCS.items():
        on_disk = (ROOT / rel).read_text(encoding="utf-8")
        assert on_disk == make(_site()), f"{rel} is stale: run `.venv/bin/xxgk docs`"


def test_reference_lists_the_sites_topics() -> None:
    """Issue 17 item 10: the allowed topics are listed, not 「见站点设置 TOPICS」."""
    text = fields_reference(_site())
    assert "见站点设置" not in text
    for name, _slug in _site()["TOPICS"]:
        assert name.replace("\\", "\\\\") in text or name in text


def test_reference_lists_every_field_of_every_column() -> None:
    text = fields_reference(_site())
    for column in COLUMNS:
        assert f"## {column.name}" in text
        for f in fields_for(column.key):
            assert re.search(rf"\| `{f.name}` \| {re.escape(f.label)} \|", text), f.name


def test_metadata_box_follows_schema_labels_and_order(site: Site) -> None:
    site.entry(doc_no="津东疆管发〔2024〕3号", keywords="安全、检查")
    site.build()
    html = site.read("tzgg/2024-00001.html")
    labels = re.findall(r"<dt>(.*?)</dt>", html)
    expected = [f.label for f in COMMON_FIELDS if f.in_box]
    assert labels == expected


def test_column_specific_fields_appear_in_the_box(site: Site) -> None:
    site.entry("xzcf")
    site.build()
    html = site.read("xzcf/2024-00001.html")
    labels = re.findall(r"<dt>(.*?)</dt>", html)
    own = [f.label for f in COLUMNS[1].fields]
    assert [label for label in labels if label in own] == [
        f.label for f in COLUMNS[1].fields
        if f.in_box and f.name not in ("license", "valid_until", "remarks", "confiscation", "operator")]


def test_scheduled_and_draft_entries_are_not_published(site: Site) -> None:
    site.entry(serial=1, date="2024-03-05")
    site.entry(serial=2, date="2024-05-01", written_date="2024-04-28")
    site.entry(serial=3, status="draft")
    site.build(XXGK={**site.settings()["XXGK"], "TODAY": "2024-04-01"})
    assert (site.output / "tzgg/2024-00001.html").is_file()
    assert not (site.output / "tzgg/2024-00002.html").exists()
    assert not (site.output / "tzgg/2024-00003.html").exists()
    site.build(XXGK={**site.settings()["XXGK"], "TODAY": "2024-05-01"})
    assert (site.output / "tzgg/2024-00002.html").is_file()
