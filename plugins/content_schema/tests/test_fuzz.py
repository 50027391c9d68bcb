"""Property-based fuzzing of the content reader and validator (hypothesis, 10,500 generated files).

Every generated file must end either as a valid entry or as problems that each
name the file, a line, a field and a message: never an exception.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from foundation import frontmatter
from foundation.markup import render_markdown
from foundation.schema import COLUMNS, all_fields
from foundation.validate import check_entry
from tests.sitekit import BASE, ORG, OWN, ROOT
from xxgk.build import load_settings
from foundation.settings import resolve

SETTINGS = resolve(load_settings(ROOT)["XXGK"])
LABEL = "content/tzgg/2024/fuzz.md"
KEYS = list(all_fields()) + ["索引号", "标题", "publsher", "Title", "", "column", "x" * 300]
COLUMN_KEYS = [c.key for c in COLUMNS]
ODD_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80)
FULLWIDTH = st.sampled_from(["：", "，", "、", "（", "）", "〔", "〕", "【", "】", "＂", "＃", "　", "\u200b", "\ufeff"])
VALUES: st.SearchStrategy[Any] = st.one_of(
    ODD_TEXT,
    st.integers(min_value=-10**20, max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.lists(ODD_TEXT, max_size=4),
    st.dictionaries(ODD_TEXT, ODD_TEXT, max_size=3),
    st.text(alphabet="0123456789-/年月日〔〕()[]号津东疆管发", max_size=30),
    st.builds(lambda n: "字" * n, st.integers(min_value=0, max_value=5000)),  # huge fields
    st.lists(st.dictionaries(st.sampled_from(["file", "title", "x"]), ODD_TEXT, max_size=3), max_size=3),
)


def check_outcome(raw: bytes | str, column: str) -> None:
    parsed = frontmatter.split(raw, LABEL)
    problems = list(parsed.problems)
    if not parsed.problems:
        checked = check_entry(parsed.values, parsed.lines, column, LABEL, Path("/nonexistent"), SETTINGS)
        problems += checked.problems
        if not any(p.severity == "error" for p in problems):
            # A valid entry: it has what a page needs, and its body renders.
            for name in ("title", "index_no", "date", "summary"):
                assert name in checked.values
            render_markdown(parsed.body)
    for p in problems:
        assert p.path == LABEL and isinstance(p.line, int) and p.line >= 0
        assert p.field and p.message and "Traceback" not in p.message
        assert str(p).startswith(f"{LABEL}:")


def valid_values(column: str) -> dict[str, Any]:
    return {**BASE, **OWN[column], "index_no": f"{ORG}/2024-00001"}


@settings(max_examples=4000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(column=st.sampled_from(COLUMN_KEYS), changes=st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=6),
       drop=st.sets(st.sampled_from(KEYS), max_size=4))
def test_broken_metadata_and_wrong_types(column: str, changes: dict[str, Any], drop: set[str]) -> None:
    values = {k: v for k, v in valid_values(column).items() if k not in drop}
    values.update(changes)
    try:
        header = yaml.safe_dump(values, allow_unicode=True, sort_keys=False, default_style=None)
    except yaml.YAMLError:
        header = "\n".join(f"{k}: {v!r}" for k, v in values.items()) + "\n"
    check_outcome("---\n" + header + "---\n正文\n", column)


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=600), prefix=st.sampled_from([b"", b"---\n", b"\xef\xbb\xbf---\r\n", b"---\r"]))
def test_binary_junk_boms_and_line_ends(data: bytes, prefix: bytes) -> None:
    check_outcome(prefix + data, "tzgg")


@settings(max_examples=4500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(column=st.sampled_from(COLUMN_KEYS), noise=st.lists(st.tuples(st.integers(0, 2000), FULLWIDTH | ODD_TEXT),
                                                           max_size=5),
       crlf=st.booleans(), bom=st.booleans())
def test_odd_unicode_full_width_punctuation_and_crlf(column: str, noise: list[tuple[int, str]], crlf: bool,
                                                     bom: bool) -> None:
    text = "---\n" + yaml.safe_dump(valid_values(column), allow_unicode=True, sort_keys=False) + "---\n正文\n"
    for at, piece in noise:
        at = at % (len(text) + 1)
        text = text[:at] + piece + text[at:]
    if crlf:
        text = text.replace("\n", "\r\n")
    check_outcome(("\ufeff" if bom else "") + text, column)
