"""Entry bodies render to exactly what Python-Markdown's stock inline pass gives.

The reader's inline pass skips texts in which no inline pattern can match
(markup._InlineSkippingPlainText); these tests hold it to the stock pass.
"""
from __future__ import annotations

from pathlib import Path

import markdown
from hypothesis import given, settings, strategies as st
from markdown.treeprocessors import InlineProcessor

from foundation import markup

ROOT = Path(__file__).resolve().parents[3]

# Chinese prose, full-width punctuation, and every character Markdown gives a meaning to.
PIECES = ["第一条", "东疆综合保税区", "。", "，", "：", "（", "）", "“", "”", "2024", "-", "1.", "#", "##",
          ">", "*", "_", "`", "\\", "[", "]", "(", ")", "!", "<", ">", "&", "&amp;", "<b>", "</b>",
          "<http://x.cn>", "<a@b.cn>", "|", ":", "~", "^", "[^1]", "[^1]: 注", "*[HTML]: 超文本",
          "{: #id}", '"', "'", "--", "...", " ", "  ", "\t", "\n", "\n\n", "    ", "---", "===", "```"]
TEXTS = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


def _stock(smart: bool) -> markdown.Markdown:
    extensions = [e for e in markup.MARKDOWN_EXTENSIONS if smart or e != "smarty"]
    return markdown.Markdown(extensions=extensions, extension_configs=markup.MARKDOWN_CONFIG,
                             output_format="html")


STOCK = {smart: _stock(smart) for smart in (False, True)}


def test_the_renderers_skip_plain_text() -> None:
    for smart in (False, True):
        md = markup._renderer(smart)
        assert isinstance(md.treeprocessors["inline"], markup._InlineSkippingPlainText)
        assert type(STOCK[smart].treeprocessors["inline"]) is InlineProcessor


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_no_inline_pattern_matches_a_text_without_its_triggers(text: str) -> None:
    md = markup._renderer(False)
    if md.treeprocessors["inline"]._trigger.search(text):
        return
    for item in md.inlinePatterns._priority:
        assert md.inlinePatterns[item.name].compiled_re.search(text) is None, item.name


@settings(max_examples=400, deadline=None)
@given(TEXTS, st.booleans())
def test_same_html_as_the_stock_inline_pass(text: str, smart: bool) -> None:
    assert markup._renderer(smart).reset().convert(text) == STOCK[smart].reset().convert(text)


def test_same_html_for_every_demo_body() -> None:
    bodies = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "content").rglob("*.md"))]
    assert len(bodies) > 30
    for body in bodies:
        smart = any(t in body for t in markup.SMARTY_TRIGGERS)
        assert markup._renderer(smart).reset().convert(body) == STOCK[smart].reset().convert(body)


def test_an_unknown_inline_pattern_keeps_the_stock_pass() -> None:
    """An extension whose patterns the trigger table does not know (wikilinks' [[…]]) gets the
    stock pass, never a fast one that could skip its matches."""
    md = markdown.Markdown(extensions=["extra", "wikilinks"])
    markup._skip_plain_text(md)
    assert type(md.treeprocessors["inline"]) is InlineProcessor
    assert "wikilink" in md.reset().convert("见 [[政策文件]]。")
