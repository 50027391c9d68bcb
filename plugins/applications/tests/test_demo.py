"""The demo records in applications/: every path covered, 2023 as reported, and nothing leaks.

Built as a fixture site with the repository's real records (the demo content/
is edited by others; the records and the tracker do not depend on it).
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from werkzeug.test import Client

from foundation.requests import codes, terms
from foundation.requests.registry import Register, open_register
from plugins.applications.service import tracker_app
from tests.sitekit import DEMO_TODAY, ROOT, Site
from xxgk.build import build
from foundation.settings import resolve

TODAY = DEMO_TODAY


@pytest.fixture(scope="module")
def register() -> Register:
    xxgk = resolve({**_demo_xxgk(), "TODAY": TODAY})
    return open_register(ROOT, xxgk)


def _demo_xxgk() -> dict:
    from xxgk.build import load_settings

    return dict(load_settings(ROOT)["XXGK"])


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = tmp_path_factory.mktemp("demo-applications")
    site = Site(root)
    site.entry()
    shutil.copytree(ROOT / "applications", root / "applications")
    settings = site.settings()
    settings["XXGK"] = {**settings["XXGK"], "TODAY": TODAY}
    build(settings)
    return site


def documented_demo() -> tuple[str, str]:
    """The number and code docs/applications.md gives for trying the tracker."""
    text = (ROOT / "docs/applications.md").read_text(encoding="utf-8")
    m = re.search(r"申请编号 \*\*(\S+?)\*\*、\s*查询码 \*\*(\S+?)\*\*", text)
    return m.group(1), m.group(2)


def test_2023_matches_the_reference_report(register: Register) -> None:
    # 2023 法治政府建设工作报告: 5 applications, all answered within the legal deadline, 办结率 100%.
    s = register.stats(2023)
    assert (s.received, s.answered, s.on_time, s.completion_rate) == (5, 5, 5, "100%")


def test_2025_and_2026_cover_every_path(register: Register) -> None:
    recent = [p for p in register.progress if p.record.year in (2025, 2026)]
    assert 8 <= len(recent) <= 12
    kinds = {e.kind for p in recent for e in p.record.events}
    assert kinds == set(terms.EVENT_KINDS)
    assert {p.outcome for p in recent if p.outcome} == set(terms.OUTCOMES)
    assert {p.status for p in recent} == {"answered", "withdrawn", "overdue", "open", "consulting",
                                          "awaiting_correction"}
    assert any(p.reply_date == p.record.received for p in recent)                      # same-day answer
    assert any(p.record.first(terms.CORRECTION_RECEIVED) and p.answer.start != p.record.received
               for p in recent)                                                        # restart after 补正
    assert any(p.days_left is not None and p.days_left <= 3 for p in recent)            # near the deadline
    assert all(p.on_time for p in recent if p.status == "answered")
    assert {r.applicant_category for r in register.records} >= set(terms.APPLICANT_CATEGORIES)
    assert {r.channel for r in register.records} == set(terms.CHANNELS)


def test_documented_demo_code_opens_the_tracker(demo_site: Site) -> None:
    number, code = documented_demo()
    response = Client(tracker_app(demo_site.output)).get("/ysqgk/query", query_string={"number": number,
                                                                                       "code": code})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert f"申请编号 {number}" in body and "<dd>已答复</dd>" in body and "延长后的答复期限" in body


def test_demo_output_holds_no_subject_or_code_hash(demo_site: Site, register: Register) -> None:
    secrets = [s for r in register.records for s in (r.subject, codes.hash_key(r.code_hash))]
    secrets += ["applicant_category", "code_hash"]
    files = [p for p in demo_site.output.rglob("*") if p.is_file()]
    for path in files:
        data = path.read_bytes()
        leaked = [s for s in secrets if s.encode() in data]
        assert not leaked, (path, leaked)
    assert len(list((demo_site.output / "ysqgk/status").glob("*.json"))) == len(register.records)


def test_records_sit_outside_content(register: Register) -> None:
    # Pelican reads content/ only; records under applications/ can never become pages.
    assert {Path(r.path).parts[0] for r in register.records} == {"applications"}
    assert all(Path(r.path).stem == r.number for r in register.records)
