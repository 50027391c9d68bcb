"""The xxgk command line: a thin layer over typed functions, with no tracebacks for editors."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Callable

import click

from plugins.applications.cli import apply
from .errors import ContentError, XxgkError

ROOT = Path(__file__).resolve().parent.parent
REPORT_URL = "https://github.com/xxgk/xxgk/issues"


def _run(action: Callable[[], Any]) -> Any:
    """Run an action; print domain errors cleanly and any other error as one line."""
    try:
        return action()
    except ContentError as exc:
        click.echo(f"发现 {len(exc.problems)} 个问题，网站未生成：", err=True)
        for p in exc.problems:
            click.echo(f"  {p}", err=True)
        sys.exit(1)
    except XxgkError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as exc:  # noqa: BLE001 - last line of defence for editors
        click.echo(f"内部错误（{type(exc).__name__}: {exc}）。请把这一行和执行的命令报告到 {REPORT_URL}",
                   err=True)
        sys.exit(2)


@click.group()
def main() -> None:
    """xxgk：政府信息公开专栏生成工具。"""


@main.command("build")
@click.option("--publish", is_flag=True, help="使用 publishconf.py（正式发布，绝对网址）。")
@click.option("--output", type=click.Path(path_type=Path), default=None, help="输出目录，默认 output/。")
@click.option("--root", type=click.Path(path_type=Path), default=ROOT, help="站点目录。")
def build_cmd(publish: bool, output: Path | None, root: Path) -> None:
    """生成网站。例：python -m xxgk build --publish"""
    from .build import build, load_settings

    result = _run(lambda: build(load_settings(root.resolve(), publish, output)))
    for w in result.warnings:
        click.echo(f"警告: {w}", err=True)
    click.echo(f"网站已生成：{result.output}")


@main.command("serve")
@click.option("--port", default=8000, show_default=True, help="端口。")
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址。")
@click.option("--output", type=click.Path(path_type=Path), default=ROOT / "output", help="已生成的网站目录。")
def serve_cmd(port: int, host: str, output: Path) -> None:
    """在本机预览已生成的网站。例：python -m xxgk serve --port 8123"""
    from .serve import serve

    _run(lambda: serve(output.resolve(), host, port))


@main.command("docs")
@click.option("--root", type=click.Path(path_type=Path), default=ROOT, help="站点目录。")
def docs_cmd(root: Path) -> None:
    """根据内容模式和设置重新生成 docs/fields.md 和 docs/settings.md。例：python -m xxgk docs"""
    from plugins.content_schema.docs import write_docs

    for path in _run(lambda: write_docs(root)):
        click.echo(f"已生成 {path}")


main.add_command(apply)
