"""What a source file's body must be, and bounds on what it may ask of the build, with messages
an editor can act on.

A 50 MB body took 44 s and 1.8 GB to build; Python-Markdown's inline patterns are quadratic
in the brackets a paragraph leaves open (8,000 of them: 8 s), and a list nested 300 levels
deep exceeds Python's recursion limit.  Real documents are far inside the bounds (the
longest law of the corpus is 0.3 MB; its brackets nest one deep), and each bound is a
setting (MAX_SOURCE_MB, MAX_MARKDOWN_NESTING, foundation/settings.py).
"""
from __future__ import annotations

import re

MB = 1024 * 1024
_LIST_ITEM = re.compile(r"^([ \t]*)(?:[-*+]|\d{1,9}[.)])[ \t]")
_QUOTES = re.compile(r"^[ \t]*((?:>[ \t]?)+)")


def too_big(size: int, limit_mb: int) -> str:
    """The problem of a source file of `size` bytes, or ''."""
    if size <= limit_mb * MB:
        return ""
    return (f"文件太大：{size / MB:.1f} MB，超过 {limit_mb} MB（expected 把正文拆成几条信息，大的表格、名单或原文"
            "作为附件；设置 MAX_SOURCE_MB）")


def nesting(body: str, limit: int) -> tuple[int, str] | None:
    """(line within the body, problem) of the first paragraph that opens more than `limit`
    brackets it does not close, or a list or quotation nested deeper than `limit`."""
    open_square = open_round = 0
    start = 1
    for n, line in enumerate(body.split("\n"), 1):
        if not line.strip():
            open_square = open_round = 0
            start = n + 1
            continue
        for c in line:
            if c == "[":
                open_square += 1
            elif c == "]" and open_square:
                open_square -= 1
            elif c == "(":
                open_round += 1
            elif c == ")" and open_round:
                open_round -= 1
        if max(open_square, open_round) > limit:
            return start, (f"这一段有超过 {limit} 个没有配对的 [ 或 (（expected 方括号、圆括号成对使用，正文中的括号"
                           "请用全角【】（）；设置 MAX_MARKDOWN_NESTING）")
        item = _LIST_ITEM.match(line)
        depth = len(item[1].expandtabs(4)) // 2 + 1 if item else 0
        quotes = _QUOTES.match(line)
        depth = max(depth, quotes[1].count(">") if quotes else 0)
        if depth > limit:
            return n, (f"列表或引用嵌套了 {depth} 层，超过 {limit} 层（expected 减少缩进层次；设置 MAX_MARKDOWN_NESTING）")
    return None


# The body `make new` writes (xxgk/newentry.py): a published entry must have replaced it.
PLACEHOLDER = "（在这里写正文。可以用 ## 小标题、列表和表格。）"


def unfinished(body: str) -> str:
    """The problem of a body with nothing to publish (empty, or still make new's placeholder), or ''."""
    text = body.strip()
    if not text:
        return "正文是空的（expected 在第二个 --- 之后写正文；草稿可以暂时不写）"
    if PLACEHOLDER in text:
        return f"正文还是 make new 留下的提示「{PLACEHOLDER}」（expected 换成正文；草稿可以暂时保留）"
    return ""
