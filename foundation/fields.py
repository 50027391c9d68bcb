"""Building blocks of the content schema: a field and a column, as plain data."""
from __future__ import annotations

from dataclasses import dataclass, field as dc_field

# Field kinds: what each holds, as editors read it in docs/fields.md.  foundation/validate.py
# has one check per kind (CHECKS, the same keys: checked when it is imported).
KINDS: dict[str, str] = {
    "text": "一行文字",                 # one line of plain text
    "longtext": "文字（可多行）",       # plain text, may span lines (never rendered as Markdown)
    "date": "日期 YYYY-MM-DD",
    "choice": "从列表中选一项",          # one of `choices` (or of the settings list named by `choices_from`)
    "list": "列表（顿号分隔）",          # list of short texts; a 、/，/, separated string is accepted too
    "index_no": "索引号",               # <organisation code>/<YYYY>-<5-digit serial>
    "doc_no": "文号",                   # such as 津东疆管发〔2023〕5号
    "amount": "数字（万元）",            # a non-negative number
    "year": "年份",                     # a four-digit year
    "number": "整数",                   # a whole number ≥ 0
    "ref": "另一条信息的索引号",         # the 索引号 of another entry on the site
    "attachments": "附件列表",          # list of {file, title}
    "column": "栏目",                   # a column key or its Chinese name
    "status": "状态",                   # published / draft
}


@dataclass(frozen=True)
class Field:
    """One metadata field of an entry: how to check it, show it, index it, feed it."""

    name: str                      # key in the front matter (ASCII, stable)
    label: str                     # Chinese label for the public and for editors
    kind: str
    help: str                      # what the field means, for editors (Chinese)
    example: str = ""
    required: bool = False
    # Required only when another field has one of these values, e.g. {"validity": ("失效", "废止")}.
    required_if: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Required when any of these other fields is filled in (a pair that only means something together).
    required_with: tuple[str, ...] = ()
    # Must be absent when another field has one of these values.
    forbidden_if: tuple[tuple[str, tuple[str, ...]], ...] = ()
    choices: tuple[str, ...] = ()
    choices_from: str = ""         # name of a site setting holding (value, slug) pairs
    choice_slugs: tuple[str, ...] = ()  # URL names of `choices`, same order (facet pages)
    meanings: tuple[tuple[str, str], ...] = ()  # (what editors write, the allowed value meant)
    # Characters replaced in a value before it is checked (what editors type for what the value uses).
    replace: tuple[tuple[str, str], ...] = ()
    plausible_max: float = 0       # an amount above this is probably in the wrong unit (warning)
    default: object = None
    max_length: int = 0
    in_box: bool = True            # shown in the metadata box of the document page
    in_listing: bool = False       # a column of the catalogue listing
    facet: bool = False            # the catalogue offers filter pages by this field
    search: str = ""               # "" | "text" (segmented) | "id" (exact) | "keyword" (facet value)
    boost: float = 1.0
    feed: str = ""                 # "" | "title" | "description" | "category" | "enclosure"

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"field {self.name}: unknown kind {self.kind!r}")
        if not self.name.isascii():
            raise ValueError(f"field {self.name}: front-matter keys must be ASCII")
        if self.facet and self.kind == "choice" and not self.choices_from \
                and len(self.choice_slugs) != len(self.choices):
            raise ValueError(f"field {self.name}: a facet over choices needs one URL slug per choice")


@dataclass(frozen=True)
class Column:
    """One content column under 法定主动公开内容, with the fields only it has."""

    key: str                       # short URL name used by Chinese government sites
    name: str                      # 通知公告 …
    description: str
    fields: tuple[Field, ...] = dc_field(default_factory=tuple)
    # Values a new entry of this column starts with (`make new`), e.g. 有效性 有效 for notices.
    prefill: tuple[tuple[str, str], ...] = ()
