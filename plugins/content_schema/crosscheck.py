"""Checks that need every entry at once: unique 索引号 and references that resolve."""
from __future__ import annotations

import os
from pathlib import Path

from typing import Any, Iterable

from pelican.generators import ArticlesGenerator, PagesGenerator

from foundation.errors import Problem

from foundation.schema import REQUIRED_PAGES, all_fields


def entries_of(generators: Iterable[Any]) -> list[Any]:
    """Every entry read in this build, published or not (a draft's 索引号 is taken too)."""
    out: list[Any] = []
    for g in generators:
        if isinstance(g, ArticlesGenerator):
            out += g.articles + g.drafts + g.hidden_articles
    return out


def _line(entry: Any, name: str) -> int:
    return entry.metadata.get("field_lines", {}).get(name, 1)


def check_site(generators: Iterable[Any], claimed: dict[str, tuple[str, int]] | None = None) -> list[Problem]:
    """Return every cross-file problem: duplicate 索引号, dangling references.  `claimed` holds
    the 索引号 of entries left out of this build for their own errors (source label ->
    (索引号, line)): they count as existing, so each problem is reported once, at its cause."""
    entries = entries_of(generators)
    problems: list[Problem] = []
    numbers = [(e.metadata["source_label"], e.metadata["index_no"], _line(e, "index_no")) for e in entries]
    numbers += [(label, no, line) for label, (no, line) in (claimed or {}).items()]
    seen: dict[str, str] = {}
    for label, no, line in sorted(numbers):
        if no in seen:
            problems.append(Problem(
                label, line, "index_no",
                f"索引号 {no} 重复，已被 {seen[no]} 使用（expected 全站唯一，请改用未使用的流水号，"
                "make new 会自动分配）"))
        else:
            seen[no] = label
    refs = [f for f in all_fields().values() if f.kind == "ref"]
    for entry in entries:
        for f in refs:
            target = entry.metadata.get(f.name)
            if target and target not in seen:
                problems.append(Problem(
                    entry.metadata["source_label"], _line(entry, f.name), f.name,
                    f"找不到索引号为 {target} 的信息（expected 本站已有条目的索引号）"))
            elif target and target == entry.metadata["index_no"]:
                problems.append(Problem(
                    entry.metadata["source_label"], _line(entry, f.name), f.name, "不能引用本条信息自己"))
    problems += missing_pages(generators)
    return problems


def missing_pages(generators: Iterable[Any]) -> list[Problem]:
    """The statutory and footer pages the site lacks (published ones only count)."""
    slugs = {p.slug for g in generators if isinstance(g, PagesGenerator) for p in g.pages}
    return [Problem(f"content/pages/{slug}.md", 0, "页面",
                    f"缺少「{title}」页面（expected 文件 content/pages/{slug}.md，其中 slug: {slug}）")
            for slug, title in REQUIRED_PAGES.items() if slug not in slugs]


def links_out(content: Path) -> list[Problem]:
    """Every symbolic link under the content folder that leads out of it (a file, or a folder
    such as `ln -s /etc content/tzgg/2026/evil`): its name and target.  Nothing outside the
    site's folders is read or published."""
    root = content.resolve()
    problems = []
    for dirpath, dirnames, filenames in os.walk(content):  # links are not followed
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            if path.is_symlink():
                target = path.resolve()
                if not target.is_relative_to(root):
                    label = "content/" + path.relative_to(content).as_posix()
                    problems.append(Problem(label, 0, "文件", f"是指向网站文件夹之外（{target}）的链接，不能发布"
                                            "（expected 删除这个链接，把需要发布的文件本身放进 content/ 下）"))
    return problems
