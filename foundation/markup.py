"""Editors' Markdown as public HTML: rendered once by Python-Markdown, sanitised by nh3.

The one place HTML is made safe: entry bodies (plugins.content_schema), annual reports,
search snippets and the `sanitised` template filter all come through here.
"""
from __future__ import annotations

import functools
import re
from typing import Any

import markdown
import nh3
from markdown.treeprocessors import InlineProcessor
from markupsafe import Markup

MARKDOWN_EXTENSIONS = ["extra", "sane_lists", "smarty"]
# Table cell alignment as the align attribute: nh3 strips style attributes.
MARKDOWN_CONFIG = {"tables": {"use_align_attribute": True}}
# Tags an editor's Markdown may produce; scripts, styles, forms and frames never
# reach the public page (the search service's CSP forbids inline script anyway).
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del",
    "details", "div", "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
    "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "title", "lang"}, "a": {"href"}, "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align"}, "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start"}, "abbr": {"title"},
}


# smarty's patterns all need one of these in the text (quotes, -- and ---, ...); without
# them its extra pass over the tree, half the cost of rendering, cannot change anything.
SMARTY_TRIGGERS = ('"', "'", "--", "...")


# What each of Python-Markdown's inline patterns (those of MARKDOWN_EXTENSIONS) needs in a
# text to match: `code`, \escapes, [links] ![images] [^footnotes], <autolinks> and <html>,
# &entities;, *emphasis* or _emphasis_, and two spaces before a line break.
INLINE_TRIGGERS: dict[str, tuple[str, ...]] = {
    "backtick": ("`",), "escape": ("\\",), "footnote": ("[",), "reference": ("[",), "link": ("[",),
    "image_link": ("[",), "image_reference": ("[",), "short_reference": ("[",), "short_image_ref": ("[",),
    "autolink": ("<",), "automail": ("<",), "linebreak": ("  \n",), "html": ("<",), "entity": ("&",),
    "em_strong": ("*", "_"),
}


class _InlineSkippingPlainText(InlineProcessor):
    """Python-Markdown's inline pass, skipping each text in which none of the inline patterns
    can match (most of an office's paragraphs: Chinese prose with full-width punctuation),
    instead of trying the 15 patterns one by one on it: the same tree, in less than half the
    time of that pass (docs/performance.md; tested against the stock pass)."""

    def __init__(self, md: markdown.Markdown, trigger: re.Pattern[str]):
        super().__init__(md)
        self._trigger = trigger

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802,N803 - the name it overrides
        if patternIndex == 0 and not self._trigger.search(data):
            return data
        return super()._InlineProcessor__handleInline(data, patternIndex)  # type: ignore[misc]


def _skip_plain_text(md: markdown.Markdown) -> None:
    names = [item.name for item in md.inlinePatterns._priority]
    if not set(names) <= INLINE_TRIGGERS.keys():
        return  # a pattern whose triggers are unknown here: keep the stock pass
    triggers = {t for name in names for t in INLINE_TRIGGERS[name]}
    trigger = re.compile("|".join(re.escape(t) for t in sorted(triggers, key=len, reverse=True)))
    md.treeprocessors.register(_InlineSkippingPlainText(md, trigger), "inline", 20)


@functools.cache
def _renderer(smart: bool) -> markdown.Markdown:
    """One Markdown instance per extension set, made once per process and reused (reset before
    each text): making one costs more than rendering a typical entry."""
    extensions = [e for e in MARKDOWN_EXTENSIONS if smart or e != "smarty"]
    md = markdown.Markdown(extensions=extensions, extension_configs=MARKDOWN_CONFIG, output_format="html")
    _skip_plain_text(md)
    return md


def sanitise(html: str) -> str:
    """HTML with only the allowed tags, attributes and URL schemes (nh3)."""
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes={"http", "https", "mailto", "tel"}, link_rel=None)


def render_markdown(text: str) -> str:
    """Render an entry body to sanitised HTML."""
    return sanitise(_renderer(any(t in text for t in SMARTY_TRIGGERS)).reset().convert(text))


def sanitised(html: Any) -> Markup:
    """The template filter `sanitised`: the one place HTML is marked safe for the templates,
    which escape everything else (autoescape).  An entry's body was sanitised when it was
    read; it is sanitised again here (nh3 is idempotent, and fast) so that nothing a template
    passes through this filter can carry script, whatever it is."""
    return Markup(sanitise(str(html or "")))
