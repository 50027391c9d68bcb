"""The editors' guide in README.md works as written: every example entry builds, as shown.

Issue 17: a new editor follows only the README; an example that no longer passes `make check`
teaches the mistake.  Each ```markdown block is written where its 索引号 puts it, with the
attachments it names (the demo's own file where the demo has one, else a small real PDF).
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

from tests.sitekit import DEMO_TODAY, ROOT, pdf_bytes

README = (ROOT / "README.md").read_text(encoding="utf-8")
EXAMPLES = re.findall(r"```markdown\n(.*?)```", README, re.S)


def _place(text: str) -> tuple[str, dict]:
    header = yaml.safe_load(text.split("---\n")[1])
    year, serial = header["index_no"].split("/")[1].split("-")
    column = header.get("column") or _column_of(header)
    return f"{column}/{year}/{year}-{serial}.md", header


def _column_of(header: dict) -> str:
    if "party_name" in header:
        return "xzcf"
    if "budget_kind" in header or "budget_year" in header or "department" in header:
        return "czyjs"
    if "policy_kind" in header or "validity" in header:
        return "zcwj"
    return "tzgg"


def test_the_guide_has_an_example_for_every_column() -> None:
    assert sorted({_place(t)[0].split("/")[0] for t in EXAMPLES}) == ["czyjs", "tzgg", "xzcf", "zcwj"]


def test_every_example_entry_in_the_guide_builds(tmp_path: Path) -> None:
    """Added to the demo site, as the guide's reader does: each builds, with no warning of its own."""
    from xxgk.build import build, load_settings

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    for text in EXAMPLES:
        rel, header = _place(text)
        (content / rel).parent.mkdir(parents=True, exist_ok=True)
        (content / rel).write_text(text, encoding="utf-8")
        for item in header.get("attachments") or []:
            target = content / rel.rsplit("/", 1)[0] / item["file"]
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.is_file():
                assert target.suffix == ".pdf", f"README example {rel}: attachment {item['file']} is not in the demo"
                target.write_bytes(pdf_bytes(item.get("title", "附件")))
    out = tmp_path / "output"
    conf = load_settings(ROOT, output=out, overrides={"PATH": str(content)})
    result = build(load_settings(ROOT, output=out, overrides={"PATH": str(content),
                                                              "XXGK": {**conf["XXGK"], "TODAY": DEMO_TODAY}}))
    for text in EXAMPLES:
        rel, header = _place(text)
        page = out / rel.split("/")[0] / f"{rel.rsplit('/', 1)[1][:-3]}.html"
        assert page.is_file(), rel
        assert header["title"] in page.read_text(encoding="utf-8")
        assert not [w for w in result.warnings if rel in w], result.warnings


def test_the_guides_example_message_is_what_the_check_says(tmp_path: Path) -> None:
    """README shows one error message; the mistake it describes gets exactly that message."""
    import pytest

    from tests.sitekit import Site
    from foundation.errors import ContentError

    shown = re.search(r"```\n\s*(content/\S+: doc_no: .+)\n\s*```", README).group(1)
    rel, header = _place(EXAMPLES[0])
    text = EXAMPLES[0].replace(f"doc_no: {header['doc_no']}", "doc_no: 津东疆管发(2025)2号")
    site = Site(tmp_path)
    site.write(rel, text.replace("attachments:\n  - file: files/检查表.pdf\n    title: 安全生产检查表\n", ""))
    with pytest.raises(ContentError) as caught:
        site.build()
    assert shown in [str(p) for p in caught.value.problems]
