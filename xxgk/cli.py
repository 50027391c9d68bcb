"""The xxgk command line: a thin layer over typed functions, with no tracebacks for editors."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from foundation.schema import COLUMNS

from .apply import apply
from .console import ROOT, run
from .production import THREADS


@click.group()
def main() -> None:
    """xxgk：政府信息公开专栏生成工具。"""


@main.command("build")
@click.option("--publish", is_flag=True, help="使用 publishconf.py（正式发布，绝对网址）。")
@click.option("--output", type=click.Path(path_type=Path), default=None,
              help="输出目录：默认 --publish 时为 output/，否则为预览目录 .xxgk-preview/output/。")
@click.option("--root", type=click.Path(path_type=Path), default=ROOT, help="站点目录。")
def build_cmd(publish: bool, output: Path | None, root: Path) -> None:
    """生成网站：先生成到新目录，全部成功后才替换 output/。例：.venv/bin/xxgk build --publish"""
    from .build import build_atomically, default_output, preview_overrides

    root = root.resolve()
    target = (output or default_output(root, publish)).absolute()
    overrides = None if publish else preview_overrides(root)
    result = run(lambda: build_atomically(root, publish, target, overrides))
    for w in result.warnings:
        click.echo(f"警告: {w}", err=True)
    click.echo(f"网站已生成：{result.output}")


@main.command("check")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--root", type=click.Path(path_type=Path), default=ROOT, help="站点目录。")
def check_cmd(files: tuple[Path, ...], root: Path) -> None:
    """检查全部内容、附件、隐私和依申请公开记录，不生成网站。有错误时退出码为 1。

    给出文件时（如 pre-commit 传入暂存的文件）只报告这些文件的问题，但仍检查整个网站。
    例：.venv/bin/xxgk check   或   .venv/bin/xxgk check content/tzgg/2026/2026-00013.md"""
    from .build import load_settings
    from .check import check

    root = root.resolve()
    report = run(lambda: check(load_settings(root)))
    if files:
        report = report.only(_labels(files, root))
    for path, problems in report.by_file().items():
        click.echo(path)
        for p in problems:
            kind = "错误" if p.severity == "error" else "警告"
            click.echo(f"  {kind} {p.where} {p.field}: {p.message}")
    for message in report.messages:
        click.echo(f"警告: {message}")
    if report.pending:
        click.echo("暂不公开的信息：")
        for source, why in report.pending:
            click.echo(f"  {source}: {why}")
    if report.changes:
        click.echo("到期自动变更的信息：")
        for source, what in report.changes:
            click.echo(f"  {source}: {what}")
    errors, warnings = len(report.errors), len(report.problems) - len(report.errors)
    if errors:
        click.echo(f"检查未通过：{errors} 个错误，{warnings} 个警告。", err=True)
        sys.exit(1)
    click.echo(f"检查通过：0 个错误，{warnings} 个警告，{len(report.pending)} 条暂不公开。")


def _labels(files: tuple[Path, ...], root: Path) -> set[str]:
    """Files as the check names them: paths relative to the site folder."""
    out = set()
    for f in files:
        path = (f if f.is_absolute() else Path.cwd() / f).resolve()
        try:
            out.add(path.relative_to(root).as_posix())
        except ValueError:
            out.add(f.as_posix())
    return out


@main.command("new")
@click.option("--column", help="栏目：" + "、".join(f"{c.key} {c.name}" for c in COLUMNS) + "。")
@click.option("--title", help="标题。")
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), default=None, help="发布日期，默认今天。")
@click.option("--root", type=click.Path(path_type=Path), default=ROOT, help="站点目录。")
def new_cmd(column: str | None, title: str | None, day: Any, root: Path) -> None:
    """新建一条信息，自动分配索引号。例：.venv/bin/xxgk new --column tzgg --title 关于……的通知"""
    from .build import load_settings
    from .newentry import column_key, create_entry
    from foundation.settings import resolve

    column = column or click.prompt("栏目（" + " / ".join(f"{c.key} {c.name}" for c in COLUMNS) + "）")
    key = run(lambda: column_key(column))
    title = title or click.prompt("标题")
    xxgk = run(lambda: resolve(load_settings(root.resolve())["XXGK"]))
    today = day.date() if day else xxgk["TODAY"]
    path = run(lambda: create_entry(root.resolve(), key, title, today, xxgk["ORG_CODE"], xxgk["ORG_NAME"]))
    click.echo(f"已新建：{path.relative_to(root.resolve())}")
    click.echo("请填写各字段（每个字段上方的注释说明了含义），把 status 改为 published，然后运行 make check。")


@main.command("serve")
@click.option("--port", default=8000, show_default=True, help="端口。")
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址。")
@click.option("--output", type=click.Path(path_type=Path), default=None,
              help="网站目录：默认为预览目录 .xxgk-preview/output/（--no-watch 时为正式网站 output/）。")
@click.option("--root", type=click.Path(path_type=Path), default=ROOT, help="站点目录。")
@click.option("--watch/--no-watch", default=True, show_default=True, help="先生成网站，保存文件后自动重新生成。")
def serve_cmd(port: int, host: str, output: Path | None, root: Path, watch: bool) -> None:
    """在本机预览网站（含检索和办理进度查询）。例：.venv/bin/xxgk serve --port 8123"""
    from .serve import serve

    from .build import default_output

    root = root.resolve()
    # Watching, the preview builds into its own folder; without, it shows the published site.
    folder = output or default_output(root, publish=not watch)
    run(lambda: serve(folder.absolute(), host, port, root if watch else None))


@main.command("serve-production")
@click.option("--port", default=8081, show_default=True, help="端口。")
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址（放在 nginx 后面时用 127.0.0.1）。")
@click.option("--processes", default=0, show_default=True, help="进程数，0 表示每个 CPU 核心一个。")
@click.option("--threads", default=THREADS, show_default=True, help="每个进程的线程数（多了反而慢，见 docs/search.md）。")
def serve_production_cmd(port: int, host: str, processes: int, threads: int) -> None:
    """正式环境的检索和查询服务：网站在 $XXGK_OUTPUT。例：XXGK_OUTPUT=/srv/xxgk/output .venv/bin/xxgk serve-production"""
    from .production import serve
    from .serve import app_from_env

    app = run(app_from_env, "，服务未启动")
    serve(app, host, port, processes, threads, log=lambda m: click.echo(m, err=True))


@main.command("docs")
@click.option("--root", type=click.Path(path_type=Path), default=ROOT, help="站点目录。")
def docs_cmd(root: Path) -> None:
    """根据内容模式和设置重新生成 docs/fields.md 和 docs/settings.md。例：.venv/bin/xxgk docs"""
    from plugins.content_schema.docs import write_docs
    from .build import load_settings
    from foundation.settings import resolve

    root = root.resolve()
    for path in run(lambda: write_docs(root, resolve(load_settings(root)["XXGK"]))):
        click.echo(f"已生成 {path}")


main.add_command(apply)
