"""What the open-data files hold, derived from the content schema (foundation.schema): which
fields of a column are public, how each value is written in JSON and CSV, and the JSON Schema
that describes the files.  Adding a field to the schema adds it here, to every file and to
the JSON Schema, with no edit in this plugin."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from foundation.display import display
from foundation.fields import Field
from foundation.schema import COLUMNS, fields_for
from foundation.validate import PATTERNS

# JSON Schema dialect of the published schemas.
DIALECT = "https://json-schema.org/draft/2020-12/schema"
# Keys every record has beside its fields (what the listing links to, and how).
RECORD_KEYS: tuple[tuple[str, str], ...] = (
    ("url", "网址"), ("column_name", "栏目名称"), ("data_url", "本条数据网址"),
)
ATTACHMENTS_LABEL = "附件"


def public_fields(column: str) -> tuple[Field, ...]:
    """The fields of a column that its public page shows: the title, the column, and every
    field of the metadata box (plugins.portal.views.metadata_box: Field.in_box).  Fields the
    page does not show (status, stop and withdrawal dates, attachments as written in the
    front matter) are not data either."""
    return tuple(f for f in fields_for(column) if f.in_box or f.name in ("title", "column"))


def catalogue_fields() -> tuple[Field, ...]:
    """The union of every column's public fields, in schema order (common fields first), for
    the whole catalogue's CSV, where one table holds every column."""
    seen: dict[str, Field] = {}
    for column in COLUMNS:
        for f in public_fields(column.key):
            seen.setdefault(f.name, f)
    return tuple(seen.values())


def json_value(value: Any, f: Field) -> Any:
    """A field's value as JSON: dates ISO 8601, lists as arrays, amounts and years as numbers,
    everything else as the text the page shows (None when the field is empty)."""
    if value in (None, "", []):
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if f.kind == "list":
        return [str(v) for v in (value if isinstance(value, (list, tuple)) else [value])]
    if f.kind in ("amount", "number", "year"):
        number = Decimal(str(value))
        return int(number) if number == number.to_integral_value() else float(number)
    return display(value, f)


# A cell Excel or another spreadsheet would read as a formula (CSV injection, OWASP): what an
# editor typed must stay text, so such a cell starts with an apostrophe, which they show as text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_value(value: Any, f: Field) -> str:
    """A field's value in a CSV cell: the text the page shows ('' when empty), never a formula."""
    return "" if value in (None, "", []) else cell(display(value, f))


def _value_schema(f: Field, settings: dict[str, Any]) -> dict[str, Any]:
    kinds: dict[str, dict[str, Any]] = {
        "date": {"type": "string", "format": "date"},
        "list": {"type": "array", "items": {"type": "string"}},
        "amount": {"type": "number", "minimum": 0},
        "number": {"type": "integer", "minimum": 0},
        "year": {"type": "integer", "minimum": 1949, "maximum": 9999},
    }
    out = dict(kinds.get(f.kind, {"type": "string"}))
    pattern = PATTERNS.get("index_no" if f.kind == "ref" else f.kind)  # a ref is another entry's 索引号
    if pattern:
        out["pattern"] = pattern
    choices = [value for value, _slug in settings[f.choices_from]] if f.choices_from else list(f.choices)
    if choices and f.kind == "choice":
        out["enum"] = choices
    if choices and f.kind == "list":
        out["items"] = {"type": "string", "enum": choices}
    if f.kind == "column":
        out["enum"] = [c.key for c in COLUMNS]
    if f.max_length and out.get("type") == "string":
        out["maxLength"] = f.max_length
    return {"title": f.label, "description": f.help, **out}


def record_schema(column: str, settings: dict[str, Any]) -> dict[str, Any]:
    """The JSON Schema of one entry's record in a column."""
    fields = public_fields(column)
    properties: dict[str, Any] = {
        f.name: ({"anyOf": [_value_schema(f, settings), {"type": "null"}]} if not f.required
                 else _value_schema(f, settings)) for f in fields}
    properties["column"] = {**_value_schema(next(f for f in fields if f.name == "column"), settings),
                            "const": column}
    for f in fields:
        if f.kind == "ref":
            properties[f"{f.name}_url"] = {"title": f"{f.label}网址", "type": ["string", "null"], "format": "uri"}
    properties.update({
        "url": {"title": "网址", "type": "string", "format": "uri"},
        "column_name": {"title": "栏目名称", "type": "string"},
        "data_url": {"title": "本条数据网址", "type": "string", "format": "uri"},
        "attachments": {"title": ATTACHMENTS_LABEL, "type": "array", "items": {
            "type": "object", "additionalProperties": False,
            "required": ["title", "url", "media_type", "size"],
            "properties": {"title": {"title": "附件名称", "type": "string"},
                           "url": {"title": "附件网址", "type": "string", "format": "uri"},
                           "media_type": {"title": "文件类型", "type": "string"},
                           "size": {"title": "大小（字节）", "type": "integer", "minimum": 0}}}},
    })
    required = sorted({f.name for f in fields if f.required} | {"column", "url", "column_name", "data_url",
                                                                 "attachments"})
    return {"type": "object", "title": next(c.name for c in COLUMNS if c.key == column),
            "additionalProperties": False, "required": required, "properties": properties}


def catalogue_schema(settings: dict[str, Any], base: str) -> dict[str, Any]:
    """The JSON Schema of catalogue.json, of each column's file and of each entry's file."""
    defs = {c.key: record_schema(c.key, settings) for c in COLUMNS}
    record = {"oneOf": [{"$ref": f"#/$defs/{c.key}"} for c in COLUMNS]}
    return {
        "$schema": DIALECT,
        "$id": f"{base}/data/catalogue.schema.json",
        "title": "政府信息公开目录",
        "description": "本网站公开的政府信息目录（《中华人民共和国政府信息公开条例》第十二条）：catalogue.json、"
                       "各栏目的 <栏目>.json 和每条信息网页旁的 .json 文件的格式，由内容模式生成。",
        "$defs": {**defs, "record": record},
        "oneOf": [
            {"$ref": "#/$defs/record"},
            {"type": "object", "additionalProperties": False, "required": ["title", "publisher", "modified",
                                                                            "count", "entries"],
             "properties": {"title": {"type": "string"}, "publisher": {"type": "string"},
                            "modified": {"type": "string", "format": "date"},
                            "column": {"type": "string", "enum": [c.key for c in COLUMNS]},
                            "count": {"type": "integer", "minimum": 0},
                            "fields": {"type": "object", "additionalProperties": {"type": "string"}},
                            "entries": {"type": "array", "items": {"$ref": "#/$defs/record"}}}},
        ],
    }
