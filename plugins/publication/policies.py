"""Policy validity (有效 / 失效 / 废止), replacements and interpretations (政策解读).

A repealed or expired policy stays online with a prominent notice that links
its replacement (GOV.UK's withdrawn notice is the model, domain.md §2); the
replacement links back, and a policy lists the 解读 that explain it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class ValidityNotice:
    state: str            # 失效 or 废止
    date: str
    replacement: Any      # the replacing entry, or None


def relate(articles: list[Any], hidden: list[Any]) -> None:
    """Set validity_notice, replaces, interpretations and status_label on policies."""
    by_index = {a.metadata["index_no"]: a for a in articles}
    for entry in articles + hidden:
        entry.replaces = []
        entry.interpretations = []
        entry.validity_notice = None
        entry.status_label = ""
    for entry in articles:
        meta = entry.metadata
        if meta.get("column") != "zcwj":
            continue
        if meta.get("validity") in ("失效", "废止"):
            replacement = by_index.get(meta.get("replaced_by") or "")
            entry.validity_notice = ValidityNotice(meta["validity"], meta["validity_date"].isoformat(), replacement)
            entry.status_label = f"已{meta['validity']}"
            if replacement is not None:
                replacement.replaces.append(entry)
        target = by_index.get(meta.get("interprets") or "")
        if target is not None:
            target.interpretations.append(entry)
