"""Checks that need every entry at once: unique 索引号 and references that resolve."""
from __future__ import annotations

from typing import Any, Iterable

from pelican.generators import ArticlesGenerator, PagesGenerator

from xxgk.errors import Problem

from .schema import REQUIRED_PAGES, all_fields


def entries_of(generators: Iterable[Any]) -> list[Any]:
    """Every entry read in this build, published or not (a draft's 索引号 is taken too)."""
    out: list[Any] = []
    for g in generators:
        if isinstance(g, ArticlesGenerator):
            out += g.articles + g.drafts + g.hidden_articles
    return out


def _line(entry: Any, name: str) -> int:
    return entry.metadata.get("field_lines", {}).get(name, 1)


def check_site(generators: Iterable[Any]) -> list[Problem]:
    """Return every cross-file problem: duplicate 索引号, dangling references."""
    entries = entries_of(generators)
    problems: list[Problem] = []
    seen: dict[str, Any] = {}
    for entry in sorted(entries, key=lambda e: e.metadata["source_label"]):
        no = entry.metadata["index_no"]
        if no in seen:
            first = seen[no].metadata["source_label"]
            problems.append(Problem(
                entry.metadata["source_label"], _line(entry, "index_no"), "index_no",
                f"索引号 {no} 重复，已被 {first} 使用（expected 全站唯一，请改用未使用的流水号，"
                "make new 会自动分配）"))
        else:
            seen[no] = entry
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
