"""Budget tables are kept by attachment content across builds; a changed or broken file is read again."""
from __future__ import annotations

from pathlib import Path

import pytest

from plugins.publication import budgets
from tests.sitekit import budget_xlsx, xlsx_bytes
from tests.sitekit import Site
from foundation.errors import ContentError


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Attachments opened as workbooks in this test."""
    seen: list[str] = []
    real = budgets.read_tables

    def counting(path: Path, max_cells: int = 1_000_000) -> list[budgets.Table]:
        seen.append(path.name)
        return real(path, max_cells)

    monkeypatch.setattr(budgets, "read_tables", counting)
    return seen


def budget(site: Site, data: bytes) -> None:
    site.write("czyjs/2024/files/预算.xlsx", data)
    site.entry("czyjs", fiscal_year=2024, date="2024-02-25", written_date="2024-02-24", approval_date="2024-02-20",
               attachments=[{"file": "files/预算.xlsx", "title": "预算表"}])


def test_an_unchanged_workbook_is_not_opened_again_and_a_changed_one_is(site: Site, opened: list[str]) -> None:
    budget(site, budget_xlsx())
    site.build()
    page = site.read("czyjs/2024-00001.html")
    assert '<td class="num">1,200.50</td>' in page
    assert opened == ["预算.xlsx"]
    site.build()
    assert opened == ["预算.xlsx"]
    assert site.read("czyjs/2024-00001.html") == page
    budget(site, changed_xlsx())
    site.build()
    assert opened == ["预算.xlsx", "预算.xlsx"]
    assert '<td class="num">9,999.50</td>' in site.read("czyjs/2024-00001.html")


def test_an_unreadable_workbook_is_reported_on_every_build(site: Site) -> None:
    budget(site, b"PK not really a workbook")
    for _ in range(2):
        with pytest.raises(ContentError) as caught:
            site.build()
        assert "attachments: 附件「预算表」无法读取为表格" in str(caught.value)


def changed_xlsx() -> bytes:
    return xlsx_bytes({"收支总表": [["项目", "金额（万元）"], ["一般公共预算财政拨款收入", 9999.5]]})
