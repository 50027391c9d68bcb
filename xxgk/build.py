"""Run a Pelican build of an xxgk site and turn its failures into clean messages."""
from __future__ import annotations

import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pelican import Pelican
from pelican.settings import read_settings

from .errors import ContentError, SettingsError, XxgkError


class BuildError(XxgkError):
    """Pelican reported errors while building (logged at ERROR level)."""


@dataclass
class BuildResult:
    output: Path
    warnings: list[str] = field(default_factory=list)


class _Recorder(logging.Handler):
    """Collect warnings and errors that Pelican and the plugins log during a build."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def load_settings(root: Path, publish: bool = False, output: Path | None = None,
                  overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Read pelicanconf.py (or publishconf.py) of the site at `root`, with overrides."""
    conf = root / ("publishconf.py" if publish else "pelicanconf.py")
    if not conf.is_file():
        raise SettingsError(f"找不到设置文件 {conf}")
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    override: dict[str, Any] = {"PATH": str(root / "content"), "THEME": str(root / "theme")}
    if output is not None:
        override["OUTPUT_PATH"] = str(output)
    else:
        override["OUTPUT_PATH"] = str(root / "output")
    override.update(overrides or {})
    return read_settings(str(conf), override=override)


def build(settings: dict[str, Any]) -> BuildResult:
    """Build the site; raise ContentError/SettingsError/BuildError with every problem."""
    recorder = _Recorder()
    root_logger = logging.getLogger()
    root_logger.addHandler(recorder)
    try:
        Pelican(settings).run()
    finally:
        root_logger.removeHandler(recorder)
    errors = [r.getMessage() for r in recorder.records if r.levelno >= logging.ERROR]
    if errors:
        # Pelican logs some failures (e.g. a plugin that cannot register, a
        # template error) and carries on; a disclosure site must not publish
        # half-right output, so any logged error fails the build.
        raise BuildError("构建时出现错误:\n" + "\n".join(errors))
    warnings = [r.getMessage() for r in recorder.records if r.levelno == logging.WARNING]
    return BuildResult(Path(settings["OUTPUT_PATH"]), warnings)


__all__ = ["BuildError", "BuildResult", "ContentError", "SettingsError", "build", "load_settings"]
