"""What the public may see of an application, and its rendering for the no-JavaScript service.

Only the number, the received date, the status, the deadlines with how they
were computed, the extension, pauses, reply date and outcome category leave
the office (../shared/domain.md §3): never the subject, the applicant
category or the channel.  `render_status` renders (templates/tracker_status.html)
the same markup as ``theme/static/js/tracker.js`` builds in the browser (tests
compare the two).
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader

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
    return _handling_notes(p) + _deadline_notes(p)


def _handling_notes(p: Progress) -> list[str]:
    """What the office did: asked for a correction, answered on the spot, or the applicant withdrew."""
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
    return notes


def _deadline_notes(p: Progress) -> list[str]:
    """How the answer deadline stands today: days left, days late, or not yet known."""
    notes: list[str] = []
    if p.days_left is not None:
        notes.append(f"截至 {p.today.isoformat()}，距答复期限还有 {p.days_left} 个工作日（含当日）。")
    if p.status == "overdue":
        days = f" {p.overdue_days} 个工作日" if p.overdue_days is not None else ""
        notes.append(f"截至 {p.today.isoformat()}，已超过答复期限{days}，尚未答复。")
    unknown = next((d.unknown_year for d in (p.answer, p.final) if d and d.unknown_year), None)
    if unknown and not p.closed:
        notes.append(f"{unknown} 年节假日安排尚未公布，答复期限待国务院办公厅公布后确定。")
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

# The no-JavaScript service renders results outside Pelican's run, so the plugin keeps the two
# templates it needs beside it; autoescape: every value of a status is escaped.
_ENV = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=True,
                   auto_reload=False, keep_trailing_newline=False)


def render_status(data: dict[str, Any]) -> str:
    """The result block for one application (keep in step with render() in tracker.js)."""
    return str(_ENV.get_template("tracker_status.html").render(data=data))


def render_message(text: str) -> str:
    """A message in place of a result (not found, missing input)."""
    return str(_ENV.get_template("tracker_message.html").render(text=text))


__all__ = ["MISSING", "NOT_FOUND", "PAGE", "PUBLIC_KEYS", "QUERY_PATH", "STATUS_DIR", "TITLE", "public_status",
           "render_message", "render_status"]
