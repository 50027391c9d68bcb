"""The command line: clean messages and exit codes, never a traceback."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from tests.sitekit import ROOT, entry_text, make_root, write_content
from xxgk.cli import main


def test_build_succeeds(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    write_content(root, "tzgg/2024/2024-00001.md", entry_text())
    result = CliRunner().invoke(main, ["build", "--root", str(root)])
    assert result.exit_code == 0, result.output
    assert "网站已生成" in result.output
    assert (root / ".xxgk-preview/output/tzgg/2024-00001.html").is_file()  # a preview build, never output/
    assert not (root / "output").exists()


def test_build_failure_lists_problems_without_traceback(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    write_content(root, "tzgg/2024/2024-00001.md", entry_text(genre="便条", date="2024-13-01"))
    proc = subprocess.run([sys.executable, "-m", "xxgk", "build", "--root", str(root)], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "发现 2 个问题，网站未生成：" in proc.stderr
    assert "content/tzgg/2024/2024-00001.md:6: date: 日期「2024-13-01」不存在：一年只有 12 个月，没有 13 月（expected YYYY-MM-DD" in proc.stderr
    assert "content/tzgg/2024/2024-00001.md:7: genre: 「便条」不在允许的取值中" in proc.stderr


def test_bad_settings_fail_cleanly(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    conf = root / "pelicanconf.py"
    conf.write_text(conf.read_text(encoding="utf-8").replace('"SITE_CODE": "1201160012",', '"SITE_CODE": "12",'),
                    encoding="utf-8")
    write_content(root, "tzgg/2024/2024-00001.md", entry_text())
    proc = subprocess.run([sys.executable, "-m", "xxgk", "build", "--root", str(root)], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "XXGK['SITE_CODE']: 格式不正确（应为 10位网站标识码，如 1200000001），当前值 '12'" in proc.stderr


def test_unexpected_error_is_one_line(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    shutil.rmtree(root / "theme" / "templates")
    write_content(root, "tzgg/2024/2024-00001.md", entry_text())
    proc = subprocess.run([sys.executable, "-m", "xxgk", "build", "--root", str(root)], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
