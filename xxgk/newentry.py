"""Create a new entry file with every field of its column, ready for an editor to fill in."""
from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

from foundation.bounds import PLACEHOLDER
from foundation.yamltext import scalar_text
from foundation.fields import Field
from foundation.schema import COLUMNS_BY_KEY, COLUMNS_BY_NAME, fields_for

from foundation.errors import XxgkError

_INDEX_LINE = re.compile(r"^index_no:\s*['\"]?([0-9A-Z]+)/(\d{4})-(\d{5})", re.M)


class NewEntryError(XxgkError):
    """The new entry cannot be created (unknown column, empty title, file exists)."""


def column_key(value: str) -> str:
    """The column key for a key (tzgg) or a Chinese name (通知公告)."""
    value = value.strip()
    if value in COLUMNS_BY_KEY:
        return value
    if value in COLUMNS_BY_NAME:
        return COLUMNS_BY_NAME[value].key
    names = "、".join(f"{c.key}（{c.name}）" for c in COLUMNS_BY_KEY.values())
    raise NewEntryError(f"未知栏目「{value}」，可选：{names}")


def _serials_in(text: str, org: str, year: int) -> set[int]:
    return {int(m[3]) for m in _INDEX_LINE.finditer(text) if m[1] == org and int(m[2]) == year}


def used_serials(root: Path, org: str, year: int) -> set[int]:
    """Serials of `year` used by any entry now, or by one deleted in git history (never reused)."""
    used: set[int] = set()
    for path in (root / "content").rglob("*.md"):
        used |= _serials_in(path.read_text(encoding="utf-8", errors="replace"), org, year)
    try:
        # Deleted entries keep their 索引号 (domain.md §2: never reuse): read them from history.
        log = subprocess.run(["git", "log", "-p", "--diff-filter=D", "--format=", "--", "content"],
                             cwd=root, capture_output=True, text=True, timeout=60, check=False)
        removed = "\n".join(line[1:] for line in log.stdout.splitlines() if line.startswith("-"))
        used |= _serials_in(removed, org, year)
    except (OSError, subprocess.SubprocessError):
        pass  # not a git checkout: the files on disk are all there is
    return used


def next_index_no(root: Path, org: str, year: int) -> str:
    """The next free 索引号 of the year."""
    used = used_serials(root, org, year)
    return f"{org}/{year}-{(max(used) + 1 if used else 1):05d}"


def _yaml_value(value: str) -> str:
    return scalar_text(value) if value else ""


def _comment(f: Field) -> str:
    need = "必填" if f.required else ("视情况必填" if f.required_if or f.required_with else "选填")
    allowed = ""
    if f.choices:
        allowed = f"；可选：{'、'.join(f.choices)}"
    elif f.choices_from:
        allowed = f"；可选值见 docs/fields.md（站点设置 {f.choices_from}）"
    example = f.example.replace("{ORG}", "…") if f.example and "\n" not in f.example else ""
    return f"# {f.label}（{need}）：{f.help.rstrip('。')}{allowed}{'。例：' + example if example else ''}"


def entry_text(column: str, title: str, index_no: str, today: dt.date, org_name: str) -> str:
    """The new file: every field of the column, each after a comment saying what it means."""
    prefilled = {
        "title": title, "column": column, "index_no": index_no, "date": today.isoformat(),
        "written_date": today.isoformat(), "status": "draft", "issuer": org_name,
        **dict(COLUMNS_BY_KEY[column].prefill),
    }
    lines = ["---", "# 新信息：填写各字段后把 status 改为 published（或删除该行），运行 make check 检查。"]
    for f in fields_for(column):
        if f.kind == "attachments":
            lines += [_comment(f), "attachments: []", "#  - file: files/附件文件名.pdf", "#    title: 附件名称"]
            continue
        value = prefilled.get(f.name, "")
        lines += [_comment(f), f"{f.name}: {_yaml_value(value)}".rstrip()]
    lines += ["---", "", PLACEHOLDER, ""]
    return "\n".join(lines)


def create_entry(root: Path, column: str, title: str, today: dt.date, org: str, org_name: str) -> Path:
    """Write the new entry under content/<column>/<year>/ and return its path."""
    column = column_key(column)
    title = title.strip()
    if not title or "\n" in title:
        raise NewEntryError("标题不能为空，也不能换行")
    index_no = next_index_no(root, org, today.year)
    serial = index_no.split("/", 1)[1]
    path = root / "content" / column / str(today.year) / f"{serial}.md"
    if path.exists():
        raise NewEntryError(f"{path} 已存在")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(entry_text(column, title, index_no, today, org_name), encoding="utf-8")
    return path
