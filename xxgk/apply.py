"""``.venv/bin/xxgk apply``: register applications and see their legal deadlines (a thin layer
over foundation/requests/office.py)."""
from __future__ import annotations

import datetime as dt
import inspect
import json
import sys
from pathlib import Path
from typing import Any, Callable

import click

from foundation.requests import terms

from .console import ROOT, run


def _guard(action: Callable[[], Any]) -> Any:
    """Run `action` through xxgk's handler; invalid records are listed one per line."""
    return run(action, outcome="")


def _open(root: Path, path: Path | None, today: dt.date | None) -> Any:
    """The register of the site at `root` (APPLICATIONS_PATH overridden by `path`)."""
    from foundation.requests.registry import open_register
    from foundation.settings import resolve

    from .build import load_settings

    xxgk = resolve(load_settings(root).get("XXGK"))
    if path is not None:
        xxgk["APPLICATIONS_PATH"] = str(path.resolve())
    return open_register(root, xxgk, today)


def _tracker_url(root: Path) -> str:
    """The public address of the tracker page (publishconf.py's SITEURL when there is one)."""
    from plugins.applications.public import PAGE_URL

    from .build import load_settings

    settings = load_settings(root, publish=(root / "publishconf.py").is_file())
    return f"{str(settings.get('SITEURL') or '').rstrip('/')}/{PAGE_URL}"


_root = click.option("--root", type=click.Path(path_type=Path, file_okay=False), default=ROOT,
                     help="站点文件夹（含 pelicanconf.py）。")
_path = click.option("--path", type=click.Path(path_type=Path, file_okay=False), default=None,
                     help="登记记录文件夹，默认按站点设置 APPLICATIONS_PATH。")
_date = click.DateTime(formats=["%Y-%m-%d"])


@click.group("apply")
def apply() -> None:
    """依申请公开：登记申请、查看办理期限。记录格式见 docs/applications.md。"""


@apply.command("new")
# Values are checked by the record's own validation (Chinese messages, suggestions by meaning),
# not by click.Choice, whose refusal is in English.
@click.option("--channel", required=True, metavar="|".join(terms.CHANNELS),
              help="提交方式，决定收到申请之日（第三十一条）：" + "、".join(terms.CHANNELS) + "。")
@click.option("--category", required=True, metavar="类别",
              help="申请人类别（年报表三的列）：" + "、".join(terms.APPLICANT_CATEGORIES) + "。")
@click.option("--subject", required=True, help="内部摘要：所申请的信息，一行，不写申请人信息。")
@click.option("--received", type=_date, default=None, help="收到申请之日 YYYY-MM-DD，默认今天。")
@click.option("--prefix", default=None, help="编号前缀，默认沿用最近一条记录的前缀。")
@_root
@_path
def new_cmd(channel: str, category: str, subject: str, received: dt.datetime | None, prefix: str | None,
            root: Path, path: Path | None) -> None:
    """登记一件申请：分配编号和查询码，打印交给申请人的回执。

    例：.venv/bin/xxgk apply new --channel 网络 --category 自然人 --subject "申请公开2025年港区道路养护合同"
    """
    from foundation.requests.office import create_application, late_notes, receipt

    root = root.resolve()
    register = _guard(lambda: _open(root, path, None))
    created = _guard(lambda: create_application(register, channel, category, subject,
                                                received.date() if received else None, prefix))
    click.echo(f"已登记 {created.record.path}（只保存查询码的校验值）", err=True)
    for note in late_notes(created.progress):
        click.echo(f"警告: {note}", err=True)
    for warning in created.progress.warnings:
        click.echo(f"警告: {warning}", err=True)
    click.echo(receipt(created, _guard(lambda: _tracker_url(root))))


@apply.command("list")
@click.option("--json", "as_json", is_flag=True, help="输出全部申请的计算结果和说明（JSON）。")
@click.option("--today", type=_date, default=None, help="按哪一天计算，默认站点设置 TODAY（今天）。")
@_root
@_path
def list_cmd(as_json: bool,
        today: dt.datetime | None, root: Path, path: Path | None) -> None:
    """列出未办结的申请，最紧急的在前；有逾期或补正期限已过的申请时退出码为 1（便于每日任务报警）。

    例：.venv/bin/xxgk apply list；.venv/bin/xxgk apply list --json > 依申请公开.json
    """
    from foundation.requests.office import correction_lapsed, list_text, open_applications, register_json

    register = _guard(lambda: _open(root.resolve(), path, today.date() if today else None))
    pending = open_applications(register)
    overdue = [p for p in pending if p.status == "overdue"]
    if as_json:
        click.echo(json.dumps(register_json(register), ensure_ascii=False, indent=2))
    else:
        for line in list_text(register.today, pending):
            click.echo(line)
    undetermined = list(dict.fromkeys(w for p in pending for w in p.warnings))
    for warning in undetermined:
        click.echo(f"警告: {warning}", err=True)
    if overdue or undetermined or any(correction_lapsed(p) for p in pending):
        sys.exit(1)


def _record_event(root: Path, path: Path | None, today: dt.datetime | None, number: str, kind: str,
                  when: dt.datetime | None, **extra: Any) -> None:
    """Append one event to a record (checked like a hand-written one) and print the new deadlines."""
    from foundation.requests.office import add_event, progress_text

    register = _guard(lambda: _open(root.resolve(), path, today.date() if today else None))
    progress = _guard(lambda: add_event(register, number, kind, when.date() if when else None, **extra))
    click.echo(f"已记录「{kind}」：{progress.record.path}", err=True)
    for line in progress_text(progress):
        click.echo(line)
    for warning in progress.warnings:
        click.echo(f"警告: {warning}", err=True)


_number = click.argument("number")
_when = click.option("--date", "when", type=_date, default=None, help="事项发生之日 YYYY-MM-DD，默认今天。")
_today = click.option("--today", type=_date, default=None, help="按哪一天计算期限，默认站点设置 TODAY（今天）。")


@apply.command("correction")
@_number
@click.option("--due", type=_date, required=True, help="告知申请人的补正期限 YYYY-MM-DD。")
@_when
@_today
@_root
@_path
def correction_cmd(number: str, due: dt.datetime, when: dt.datetime | None,
        today: dt.datetime | None, root: Path, path: Path | None) -> None:
    """补正告知：一次性告知申请人需要补正的事项和补正期限（第三十条，收到申请之日起 7 个工作日内）。

    例：.venv/bin/xxgk apply correction DJ-2026-0003 --date 2026-11-24 --due 2026-12-08
    """
    _record_event(root, path, today, number, terms.CORRECTION_NOTICE, when, due=due.date())


@apply.command("corrected")
@_number
@_when
@_today
@_root
@_path
def corrected_cmd(number: str, when: dt.datetime | None,
        today: dt.datetime | None, root: Path, path: Path | None) -> None:
    """补正收到：收到补正后的申请，答复期限自这一天起重新计算（第三十条）。

    例：.venv/bin/xxgk apply corrected DJ-2026-0003 --date 2026-12-01
    """
    _record_event(root, path, today, number, terms.CORRECTION_RECEIVED, when)


@apply.command("extend")
@_number
@click.option("--approved", type=_date, required=True,
              help="政府信息公开工作机构负责人同意延期之日 YYYY-MM-DD（第三十三条第二款）。")
@click.option("--days", type=click.IntRange(1, terms.MAX_EXTENSION_DAYS), default=terms.MAX_EXTENSION_DAYS,
              show_default=True, help="延长的工作日数，最长 20。")
@_when
@_today
@_root
@_path
def extend_cmd(number: str, approved: dt.datetime, days: int, when: dt.datetime | None,
        today: dt.datetime | None, root: Path, path: Path | None) -> None:
    """延期：经负责人同意并告知申请人，延长答复期限（第三十三条第二款，最长 20 个工作日）。--date 是告知申请人之日。

    例：.venv/bin/xxgk apply extend DJ-2026-0002 --approved 2026-11-10 --date 2026-11-11 --days 15
    """
    _record_event(root, path, today, number, terms.EXTENSION, when, approved=approved.date(), days=days)


_party = click.option("--party", required=True, metavar="|".join(terms.CONSULTED),
                      help="征求意见的对象：第三方（第三十二条）或其他机关（第三十四条）。")


def _consult_command(name: str, kind: str, doc: str) -> None:
    """`xxgk apply consult` and `consulted`: the start and the end of a consultation, alike but
    for the event they record."""
    @apply.command(name, help=inspect.cleandoc(doc))
    @_number
    @_party
    @_when
    @_today
    @_root
    @_path
    def command(number: str, party: str, when: dt.datetime | None,
                today: dt.datetime | None, root: Path, path: Path | None) -> None:
        _record_event(root, path, today, number, kind, when, party=party)


_consult_command("consult", terms.CONSULT_START, """征求意见开始：征求第三方或其他机关意见，所需时间不计入答复期限（第三十三条第三款）。

    例：.venv/bin/xxgk apply consult DJ-2026-0002 --party 第三方 --date 2026-11-02
    """)
_consult_command("consulted", terms.CONSULT_END, """征求意见结束：收到意见（或期限届满），答复期限接着计算。

    例：.venv/bin/xxgk apply consulted DJ-2026-0002 --party 第三方 --date 2026-11-16
    """)


@apply.command("answer")
@_number
@click.option("--outcome", required=True, metavar="结果",
              help="办理结果（年报表三的类别）：" + "、".join(terms.OUTCOMES) + "。")
@click.option("--reason", default=None,
              help="不予公开、无法提供、不予处理、其他处理时的具体情形（年报表三的细分，取值见 docs/applications.md）。")
@_when
@_today
@_root
@_path
def answer_cmd(number: str, outcome: str, reason: str | None, when: dt.datetime | None,
        today: dt.datetime | None, root: Path, path: Path | None) -> None:
    """答复：作出答复，申请办结。

    例：.venv/bin/xxgk apply answer DJ-2026-0002 --outcome 予以公开 --date 2026-11-20
    """
    _record_event(root, path, today, number, terms.ANSWER, when, outcome=outcome, reason=reason)


@apply.command("withdraw")
@_number
@_when
@_today
@_root
@_path
def withdraw_cmd(number: str, when: dt.datetime | None,
        today: dt.datetime | None, root: Path, path: Path | None) -> None:
    """撤回：申请人撤回申请，申请办结。

    例：.venv/bin/xxgk apply withdraw DJ-2026-0002 --date 2026-11-05
    """
    _record_event(root, path, today, number, terms.WITHDRAWAL, when)
