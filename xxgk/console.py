"""What every xxgk command shares: the default site folder and the handler that turns failures
into editors' messages (no tracebacks)."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Callable

import click

from foundation.errors import ContentError, XxgkError

ROOT = Path(__file__).resolve().parent.parent
REPORT_URL = "https://github.com/xxgk/xxgk/issues"


def run(action: Callable[[], Any], outcome: str = "，网站未生成") -> Any:
    """Run an action; print domain errors cleanly (`outcome` says what did not happen) and any
    other error as one line."""
    try:
        return action()
    except ContentError as exc:
        click.echo(f"发现 {len(exc.problems)} 个问题{outcome}：", err=True)
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
