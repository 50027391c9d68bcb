"""What the public may see of an application, and its rendering for the no-JavaScript service.

Only the number, the received date, the status, the deadlines with how they
were computed, the extension, pauses, reply date and outcome category leave
the office (../shared/domain.md §3): never the subject, the applicant
category or the channel.  `render_status` builds the same markup as
``theme/static/js/tracker.js`` does in the browser (tests compare the two).
"""
from __future__ import annotations

import datetime as dt
import html
from typing import Any

from foundation.requests import terms
from foundation.requests.deadlines import Deadline, Progress

PAGE = "ysqgk/index.html"
PAGE_URL = "ysqgk/"
STATUS_DIR = "ysqgk/status"
QUERY_PATH = "/ysqgk/query"
TITLE = "依申请公开办理进度查询"
# One message for a wrong code and an unknown number, so neither can be told apart.
NOT_FOUND = "未找到与该申请编号和查询码对应的申请。请核对后重新输入（查询码不区分大小写，连字符可省略）。"
MISSING = "请输入申请编号和查询码。"
PUBLIC_KEYS = ("number", "received", "as_of", "status", "closed", "reply_date", "outcome", "deadlines",
               "extension", "pauses", "notes", "days_left", "overdue_days")


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _deadline(d: Deadline) -> dict[str, Any]:
    return {"label": d.label, "basis": d.basis, "date": _iso(d.due), "result": d.result,
            "explanation": list(d.explanation)}


def public_notes(p: Progress) -> list[str]:
    """Plain sentences about where the application stands (nothing about who or what)."""
    notes: list[str] = []
    notice = p.record.first(terms.CORRECTION_NOTICE)
    if p.status == "awaiting_correction" and notice:
        due = f"，补正期限至 {notice.due.isoformat()}" if notice.due else ""
        notes.append(f"本机关已于 {notice.date.isoformat()} 告知申请人补正{due}；答复期限自收到补正之日起计算（第三十条）。")
    if p.reply_date and p.reply_date == p.record.received and not notice:
        notes.append("当场答复（第三十三条第一款）。")
    if p.reply_date and p.final is None:
        notes.append("答复时尚未收到补正，答复期限未起算（第三十条）。")
    closing = p.record.closing
    if p.status == "withdrawn" and closing:
        notes.append(f"申请人于 {closing.date.isoformat()} 撤回申请，办理终结。")
    if p.days_left is not None:
        notes.append(f"截至 {p.today.isoformat()}，距答复期限还有 {p.days_left} 个工作日（含当日）。")
    if p.status == "overdue":
        days = f" {p.overdue_days} 个工作日" if p.overdue_days is not None else ""
        notes.append(f"截至 {p.today.isoformat()}，已超过答复期限{days}，尚未答复。")
    for d in (p.answer, p.final):
        if d and d.unknown_year and not p.closed:
            notes.append(f"{d.unknown_year} 年节假日安排尚未公布，答复期限待国务院办公厅公布后确定。")
            break
    return notes


def public_status(p: Progress) -> dict[str, Any]:
    """The public JSON of one application: exactly PUBLIC_KEYS."""
    out = {
        "number": p.record.number,
        "received": p.record.received.isoformat(),
        "as_of": p.today.isoformat(),
        "status": p.status_label,
        "closed": p.closed,
        "reply_date": _iso(p.reply_date),
        "outcome": p.outcome or None,
        "deadlines": [_deadline(d) for d in p.deadlines],
        "extension": ({"approved": p.extension.approved.isoformat(), "notified": p.extension.notified.isoformat(),
                       "days": p.extension.days, "text": p.extension.text()} if p.extension else None),
        "pauses": [{"party": x.party, "start": x.start.isoformat(), "end": _iso(x.end), "text": x.text()}
                   for x in p.pauses],
        "notes": public_notes(p),
        "days_left": p.days_left,
        "overdue_days": p.overdue_days,
    }
    return out


# ------------------------------------------------------------------ markup

class Node(str):
    """Markup already built (inserted as is); plain str children are escaped."""


def h(tag: str, attrs: dict[str, str] | None = None, *children: str | None) -> Node:
    """One element, as tracker.js builds it with document.createElement."""
    attr = "".join(f' {k}="{html.escape(v)}"' for k, v in (attrs or {}).items())
    inner = "".join(c if isinstance(c, Node) else html.escape(c) for c in children if c is not None)
    return Node(f"<{tag}{attr}>{inner}</{tag}>")


def _row(label: str, value: str) -> Node:
    return h("div", {"class": "meta-row"}, h("dt", None, label), h("dd", None, value))


def render_status(data: dict[str, Any]) -> str:
    """The result block for one application (keep in step with render() in tracker.js)."""
    rows = [_row("收到申请日期", data["received"]), _row("办理状态", data["status"])]
    if data["reply_date"]:
        rows.append(_row("答复日期", data["reply_date"]))
    if data["outcome"]:
        rows.append(_row("办理结果", data["outcome"]))
    if data["extension"]:
        rows.append(_row("延长答复期限", data["extension"]["text"]))
    rows += [_row("暂停计算", x["text"]) for x in data["pauses"]]
    parts: list[str | None] = [
        h("h2", {"id": "tracker-status-h"}, "申请编号 " + data["number"]),
        h("dl", {"class": "meta-box"}, *rows),
    ]
    if data["notes"]:
        parts.append(h("ul", {"class": "tracker-notes"}, *[h("li", None, n) for n in data["notes"]]))
    parts.append(h("h3", None, "期限及计算方法"))
    for d in data["deadlines"]:
        parts.append(h(
            "div", {"class": "deadline"},
            h("h4", None, d["label"] + "：" + (d["date"] or "暂无法确定")),
            h("p", {"class": "deadline-basis"}, "依据：" + d["basis"]),
            h("p", {"class": "deadline-result"}, d["result"]) if d["result"] else None,
            h("ol", {"class": "deadline-steps"}, *[h("li", None, s) for s in d["explanation"]]),
        ))
    parts.append(h("p", {"class": "tracker-as-of"}, "以上信息截至 " + data["as_of"] + "。"))
    return h("section", {"class": "tracker-status", "aria-labelledby": "tracker-status-h"}, *parts)


def render_message(text: str) -> str:
    """A message in place of a result (not found, missing input)."""
    return h("p", {"class": "tracker-message", "role": "alert"}, text)


__all__ = ["MISSING", "NOT_FOUND", "PAGE", "PUBLIC_KEYS", "QUERY_PATH", "STATUS_DIR", "TITLE", "public_status",
           "render_message", "render_status"]
