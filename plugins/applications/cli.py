"""``python -m xxgk apply``: register applications and see their legal deadlines (thin layer over office.py)."""
from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any, Callable

import click

from . import terms

ROOT = Path(__file__).resolve().parent.parent.parent


def _guard(action: Callable[[], Any]) -> Any:
    """Run `action` through xxgk's handler; invalid records are listed one per line."""
    from xxgk.cli import _run

    return _run(action, outcome="")


def _open(root: Path, path: Path | None, today: dt.date | None) -> Any:
    """The register of the site at `root` (APPLICATIONS_PATH overridden by `path`)."""
    from xxgk.build import load_settings
    from xxgk.settings import resolve

    from .registry import open_register

    xxgk = resolve(load_settings(root).get("XXGK"))
    if path is not None:
        xxgk["APPLICATIONS_PATH"] = str(path.resolve())
    return open_register(root, xxgk, today)


def _tracker_url(root: Path) -> str:
    """The public address of the tracker page (publishconf.py's SITEURL when there is one)."""
    from xxgk.build import load_settings

    from .public import PAGE_URL

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
@click.option("--channel", type=click.Choice(list(terms.CHANNELS)), required=True,
              help="提交方式，决定收到申请之日（第三十一条）。")
@click.option("--category", type=click.Choice(list(terms.APPLICANT_CATEGORIES)), required=True,
              help="申请人类别（年报表三的列）。")
@click.option("--subject", required=True, help="内部摘要：所申请的信息，一行，不写申请人信息。")
@click.option("--received", type=_date, default=None, help="收到申请之日 YYYY-MM-DD，默认今天。")
@click.option("--prefix", default=None, help="编号前缀，默认沿用最近一条记录的前缀。")
@_root
@_path
def new_cmd(channel: str, category: str, subject: str, received: dt.datetime | None, prefix: str | None,
            root: Path, path: Path | None) -> None:
    """登记一件申请：分配编号和查询码，打印交给申请人的回执。

    例：python -m xxgk apply new --channel 网络 --category 自然人 --subject "申请公开2025年港区道路养护合同"
    """
    from .office import create_application, receipt

    root = root.resolve()
    register = _guard(lambda: _open(root, path, None))
    created = _guard(lambda: create_application(register, channel, category, subject,
                                                received.date() if received else None, prefix))
    click.echo(f"已登记 {created.record.path}（只保存查询码的校验值）", err=True)
    for warning in created.progress.warnings:
        click.echo(f"警告: {warning}", err=True)
    click.echo(receipt(created, _guard(lambda: _tracker_url(root))))


@apply.command("list")
@click.option("--json", "as_json", is_flag=True, help="输出全部申请的计算结果和说明（JSON）。")
@click.option("--today", type=_date, default=None, help="按哪一天计算，默认站点设置 TODAY（今天）。")
@_root
@_path
def list_cmd(as_json: bool, today: dt.datetime | None, root: Path, path: Path | None) -> None:
    """列出未办结的申请，最紧急的在前；有逾期的申请时退出码为 1（便于每日任务报警）。

    例：python -m xxgk apply list；python -m xxgk apply list --json > 依申请公开.json
    """
    from .office import list_line, open_applications, register_json

    register = _guard(lambda: _open(root.resolve(), path, today.date() if today else None))
    pending = open_applications(register)
    overdue = [p for p in pending if p.status == "overdue"]
    if as_json:
        click.echo(json.dumps(register_json(register), ensure_ascii=False, indent=2))
    else:
        click.echo(f"截至 {register.today.isoformat()}，未办结的申请：")
        for p in pending:
            click.echo(list_line(p))
        click.echo(f"共 {len(pending)} 件未办结，其中 {len(overdue)} 件逾期。")
    undetermined = list(dict.fromkeys(w for p in pending for w in p.warnings))
    for warning in undetermined:
        click.echo(f"警告: {warning}", err=True)
    if overdue or undetermined:
        sys.exit(1)
