"""Penalty publicity (行政处罚信息公示): how long an entry stays public, and name masking.

市场监督管理行政处罚信息公示规定 第十三条: publicity stops three months after
publication for 通报批评 or a low fine (the threshold is set by provincial
regulators, so it is a setting) and three years after it otherwise; a ban that
runs longer (限制开展生产经营活动, 限制从业) is published to its end.
行政处罚法 第五十条 and 公示规定 第六条: personal data is processed before
publication, so natural persons' names are masked (张某某).
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta

COMPOUND_SURNAMES = (
    "欧阳", "太史", "端木", "上官", "司马", "东方", "独孤", "南宫", "万俟", "闻人", "夏侯", "诸葛",
    "尉迟", "公羊", "赫连", "澹台", "皇甫", "宗政", "濮阳", "公冶", "太叔", "申屠", "公孙", "慕容",
    "仲孙", "钟离", "长孙", "宇文", "司徒", "鲜于", "司空", "闾丘", "子车", "亓官", "司寇", "巫马",
    "公西", "颛孙", "壤驷", "公良", "漆雕", "乐正", "宰父", "谷梁", "拓跋", "夹谷", "轩辕", "令狐",
    "段干", "百里", "呼延", "东郭", "南门", "羊舌", "微生", "梁丘", "左丘", "西门", "第五",
)
_ALREADY_MASKED = re.compile(r".*(某某|某|\*+|＊+|×+)$")


def surname(name: str) -> str:
    """The surname of a Chinese personal name (compound surnames included)."""
    for compound in COMPOUND_SURNAMES:
        if name.startswith(compound) and len(name) > len(compound):
            return compound
    return name[:1]


def mask_name(name: str, pattern: str) -> str:
    """Mask a natural person's name with the NAME_MASK pattern; masked names are kept."""
    name = name.strip()
    if _ALREADY_MASKED.fullmatch(name):
        return name
    return pattern.replace("{surname}", surname(name))


# Which field holds a natural person's name, by 行政相对人类别: a 自然人's own name, the
# 经营者 of a 个体工商户 (whose party_name is the trade name, public).
NAME_FIELDS = {"自然人": "party_name", "个体工商户": "operator"}
_WHITESPACE = re.compile(r"[\s\u200b-\u200f\u2060\ufeff]+")


def mask_names(meta: dict[str, Any], pattern: str) -> tuple[dict[str, str], dict[str, str]]:
    """Mask the natural person's name of a penalty in place: ({field: full name} of what was
    masked, {field: why the full name cannot be checked})."""
    field = NAME_FIELDS.get(meta.get("party_type", ""))
    if field is None:
        return {}, {}
    raw = _WHITESPACE.sub("", str(meta.get(field) or ""))
    if not raw:
        return {}, {field: f"没有填写{'经营者姓名' if field == 'operator' else '当事人姓名'}，无法检查标题、正文和附件中"
                           "是否出现其全名（expected 填写全名，公开时自动打码为「张某某」并检查全文）"}
    masked = mask_name(raw, pattern)
    meta[field] = masked
    if masked == raw:
        return {}, {field: f"已写成打码形式「{raw}」，无法核对标题、正文和附件中是否出现全名（expected 写全名，"
                           "公开时自动打码并检查全文；或人工确认全文已打码）"}
    return {field: raw}, {}


def publicity_end(meta: dict[str, Any], policy: dict[str, Any]) -> dt.date:
    """The last day an entry is public: explicit 公示截止期, else the policy table."""
    if meta.get("publicity_end"):
        return meta["publicity_end"]
    start: dt.date = meta["date"].date() if isinstance(meta["date"], dt.datetime) else meta["date"]
    categories = set(meta.get("penalty_categories") or [])
    fine = Decimal(str(meta.get("fine") or 0))
    confiscated = Decimal(str(meta.get("confiscation") or 0))
    light = (bool(categories) and categories <= set(policy["short_categories"])
             and fine <= Decimal(str(policy["low_fine_max"])) and confiscated == 0)
    months = policy["short_months"] if light else policy["long_months"]
    end = start + relativedelta(months=months) - dt.timedelta(days=1)
    term: dt.date | None = meta.get("valid_until")
    if term and categories & set(policy["term_categories"]) and term > end:
        end = term
    return end


def public_status(meta: dict[str, Any], today: dt.date) -> tuple[str, str]:
    """(status, reason) of a penalty on `today`: published, withdrawn, stopped or expired."""
    withdrawn = meta.get("withdrawn_date")
    if withdrawn and withdrawn <= today:
        return "withdrawn", f"已于 {withdrawn.isoformat()} 撤下公示"
    stop = meta.get("stop_date")
    if stop and stop <= today:
        return "stopped", f"已于 {stop.isoformat()} 提前停止公示"
    if meta["publicity_end"] < today:
        return "expired", f"公示期已于 {meta['publicity_end'].isoformat()} 届满"
    return "published", ""
