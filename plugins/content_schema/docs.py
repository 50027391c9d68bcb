"""Generate the editors' field reference (docs/fields.md) from the schema itself."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from foundation.settings import BUILD_SETTINGS, REQUIRED, SERVICE_SETTINGS, SETTINGS, Setting

from foundation.fields import KINDS, Field
from foundation.schema import COLUMNS, COMMON_FIELDS, PAGE_FIELDS



def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def _required(f: Field) -> str:
    if f.required:
        return "必填"
    conds = [f"{name} 为 {'/'.join(vals)} 时必填" for name, vals in f.required_if]
    conds += [f"填写 {name} 时必填" for name in f.required_with]
    conds += [f"{name} 为 {'/'.join(vals)} 时不填" for name, vals in f.forbidden_if]
    return "；".join(conds) or "选填"


def _allowed(f: Field, site: dict[str, Any]) -> str:
    if f.choices_from:
        names = "、".join(name for name, _slug in site.get(f.choices_from) or ())
        return f"本站的取值（站点设置 {f.choices_from}）：{names}" if names else f"见站点设置 {f.choices_from}"
    return "、".join(f.choices)


def field_table(fields: tuple[Field, ...], site: dict[str, Any]) -> str:
    rows = ["| 字段名（键） | 名称 | 类型 | 是否必填 | 说明 | 可选值 | 示例 |",
            "|---|---|---|---|---|---|---|"]
    for f in fields:
        example = f.example.replace("{ORG}", "<机构代码>")
        rows.append(f"| `{f.name}` | {f.label} | {KINDS[f.kind]} | {_required(f)} | {_cell(f.help)} | "
                    f"{_cell(_allowed(f, site))} | {_cell(example)} |")
    return "\n".join(rows)


def fields_reference(site: dict[str, Any]) -> str:
    """The whole editors' reference as Markdown; `site` is the resolved XXGK settings (the values
    of setting-backed lists such as TOPICS are listed as this site has them)."""
    parts = [
        "# 字段参考（编辑手册）",
        "",
        "> 本文件由 `.venv/bin/xxgk docs` 根据 `foundation/schema.py` 自动生成，请勿手工修改。",
        "",
        "每条信息是一个 Markdown 文件：开头是 `---` 包围的元数据（每行 `字段名: 值`，字段名用下表的英文键），"
        "之后是正文。",
        "",
        "## 所有栏目共有的字段",
        "",
        field_table(COMMON_FIELDS, site),
    ]
    for c in COLUMNS:
        parts += ["", f"## {c.name}（`content/{c.key}/`）", "", c.description, ""]
        parts += [field_table(c.fields, site) if c.fields else "本栏目只有共有字段。"]
    parts += ["", "## 独立页面（`content/pages/`）", "", field_table(PAGE_FIELDS, site), ""]
    return "\n".join(parts)


def settings_reference(site: dict[str, Any]) -> str:
    """The site settings reference (the XXGK dict in pelicanconf.py) as Markdown."""
    rows = ["# 站点设置参考", "",
            "> 本文件由 `.venv/bin/xxgk docs` 根据 `foundation/settings.py` 自动生成，请勿手工修改。", "",
            "在 `pelicanconf.py` 的 `XXGK = {...}` 中设置。", "",
            "| 设置项 | 默认值 | 说明 |", "|---|---|---|"]
    rows += _setting_rows(SETTINGS)
    rows += ["", "## 构建设置", "",
             "写在 `pelicanconf.py` 的顶层（不在 `XXGK` 中）；`xxgk` 命令按需为每次构建设置，一般不必手工设置。", "",
             "| 设置项 | 默认值 | 说明 |", "|---|---|---|", *_setting_rows(BUILD_SETTINGS)]
    rows += ["", "## 正式环境服务的环境变量", "",
             "检索和办理进度查询服务（`xxgk serve-production`、gunicorn）从进程的环境变量读取（见 docs/search.md、SECURITY.md）。", "",
             "| 环境变量 | 默认值 | 说明 |", "|---|---|---|", *_setting_rows(SERVICE_SETTINGS)]
    return "\n".join(rows) + "\n"


def _setting_rows(settings: tuple[Setting, ...]) -> list[str]:
    return [f"| `{s.name}` | {'（必填）' if s.default is REQUIRED else f'`{s.default!r}`'} | {_cell(s.help)} |"
            for s in settings]


DOCS = {"docs/fields.md": fields_reference, "docs/settings.md": settings_reference}


def write_docs(root: Path, site: dict[str, Any]) -> list[Path]:
    """Regenerate every generated document under `root` for its resolved settings `site`;
    return the paths written."""
    written = []
    for rel, make in DOCS.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(make(site), encoding="utf-8")
        written.append(path)
    return written
