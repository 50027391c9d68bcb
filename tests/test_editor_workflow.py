"""Editors' commands through the CLI: new, check, scheduled publishing, atomic publish, live preview."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from click.testing import CliRunner

from foundation.schema import fields_for
from tests.sitekit import ORG, ROOT, entry_text, make_root, wait_until, write_content
from xxgk.cli import main
from xxgk.preview import PreviewState, preview_app, rebuild


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "xxgk", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def test_new_writes_every_field_with_the_next_free_index(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    write_content(root, "tzgg/2024/2024-00007.md", entry_text(serial=7))
    result = CliRunner().invoke(main, ["new", "--column", "通知公告", "--title", "关于开展消防检查的通知",
                                       "--root", str(root)])
    assert result.exit_code == 0, result.output
    path = root / "content/tzgg/2024/2024-00008.md"
    assert "已新建：content/tzgg/2024/2024-00008.md" in result.output
    text = path.read_text(encoding="utf-8")
    values = yaml.safe_load(text.split("---\n")[1])
    assert list(values) == [f.name for f in fields_for("tzgg")]
    assert values["index_no"] == f"{ORG}/2024-00008"
    assert values["title"] == "关于开展消防检查的通知" and values["status"] == "draft"
    assert str(values["date"]) == "2024-12-31"
    assert "# 主题分类（必填）" in text and "# 发文字号（选填）" in text
    # An unfinished draft does not stop the site from building; check lists what it lacks.
    assert cli("build", "--root", str(root)).returncode == 0
    checked = cli("check", "--root", str(root))
    assert checked.returncode == 0
    assert "警告 content/tzgg/2024/2024-00008.md" in checked.stdout and "topic: 缺少必填字段" in checked.stdout


def test_new_never_reuses_a_deleted_index(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    write_content(root, "tzgg/2024/2024-00003.md", entry_text(serial=3))
    gone = write_content(root, "tzgg/2024/2024-00009.md", entry_text(serial=9))
    git = ["git", "-c", "user.email=t@example.com", "-c", "user.name=t"]
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "a"], cwd=root, check=True)
    gone.unlink()
    subprocess.run([*git, "commit", "-qam", "b"], cwd=root, check=True)
    result = CliRunner().invoke(main, ["new", "--column", "tzgg", "--title", "新通知", "--root", str(root)])
    assert "2024-00010.md" in result.output


def test_new_asks_for_what_it_is_not_given(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    result = CliRunner().invoke(main, ["new", "--root", str(root)], input="zcwj\n关于印发管理办法的通知\n")
    assert result.exit_code == 0, result.output
    assert (root / "content/zcwj/2024/2024-00001.md").is_file()
    bad = CliRunner().invoke(main, ["new", "--column", "gg", "--title", "x", "--root", str(root)])
    assert bad.exit_code == 1 and "未知栏目「gg」" in bad.output


def test_check_groups_problems_by_file_and_fails_on_errors(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    write_content(root, "tzgg/2024/2024-00001.md", entry_text(serial=1, genre="便条", doc_no="津东疆管发(2024)1号"))
    write_content(root, "tzgg/2024/2024-00002.md", entry_text(serial=2, summary="联系电话13912345678"))
    write_content(root, "tzgg/2024/2024-00003.md", entry_text(serial=3, written_date="2024-09-20", date="2024-10-25"))
    proc = cli("check", "--root", str(root))
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    out = proc.stdout
    first = out.index("content/tzgg/2024/2024-00001.md\n")
    assert "  错误 content/tzgg/2024/2024-00001.md:7 genre: 「便条」不在允许的取值中" in out[first:]
    assert "  错误 content/tzgg/2024/2024-00001.md:10 doc_no: 文号的年份应使用六角括号〔〕" in out
    assert "  错误 content/tzgg/2024/2024-00002.md:8 隐私: 发现手机号 139******78" in out
    assert "  警告 content/tzgg/2024/2024-00003.md:6 date: 成文后第 22 个工作日才发布" in out
    assert "检查未通过：3 个错误，1 个警告。" in proc.stderr
    assert not (root / "output").exists()  # check writes nothing
    only = cli("check", "--root", str(root), str(root / "content/tzgg/2024/2024-00003.md"))
    assert only.returncode == 0 and "2024-00001" not in only.stdout


def test_scheduled_entry_appears_once_today_passes_its_date(tmp_path: Path) -> None:
    early = make_root(tmp_path / "a", today="2024-12-31")
    write_content(early, "tzgg/2025/2025-00001.md", entry_text(serial=1, year=2025, date="2025-01-02",
                                                                written_date="2024-12-30"))
    checked = cli("check", "--root", str(early))
    assert "暂不公开的信息：\n  content/tzgg/2025/2025-00001.md: 定时发布：2025-01-02 起公开" in checked.stdout
    assert cli("build", "--root", str(early)).returncode == 0
    assert not (early / ".xxgk-preview/output/tzgg/2025-00001.html").exists()
    conf = early / "pelicanconf.py"
    conf.write_text(conf.read_text(encoding="utf-8").replace('"TODAY": "2024-12-31"', '"TODAY": "2025-01-02"'),
                    encoding="utf-8")
    assert cli("build", "--root", str(early)).returncode == 0
    assert (early / ".xxgk-preview/output/tzgg/2025-00001.html").is_file()


def test_failed_publish_leaves_previous_output_untouched(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    write_content(root, "tzgg/2024/2024-00001.md", entry_text(serial=1, title="第一版标题"))
    assert cli("build", "--publish", "--root", str(root)).returncode == 0
    output = root / "output"
    assert output.is_symlink()
    before = {p.relative_to(output): p.read_bytes() for p in output.rglob("*") if p.is_file()}
    live = os.readlink(output)
    write_content(root, "tzgg/2024/2024-00001.md", entry_text(serial=1, title="第二版标题", genre="便条"))
    proc = cli("build", "--publish", "--root", str(root))
    assert proc.returncode == 1 and "便条" in proc.stderr
    assert os.readlink(output) == live
    after = {p.relative_to(output): p.read_bytes() for p in output.rglob("*") if p.is_file()}
    assert after == before
    assert len(list((root / ".xxgk-builds").iterdir())) == 1  # the failed build left nothing behind
    write_content(root, "tzgg/2024/2024-00001.md", entry_text(serial=1, title="第二版标题"))
    assert cli("build", "--publish", "--root", str(root)).returncode == 0
    assert "第二版标题" in (output / "tzgg/2024-00001.html").read_text(encoding="utf-8")
    assert 'href="https://xxgk.dongjiang.example.gov.cn/tzgg/"' in (output / "index.html").read_text(encoding="utf-8")


def test_preview_shows_build_errors_on_the_page(tmp_path: Path) -> None:
    from werkzeug.test import Client

    from xxgk.serve import site_app

    root = make_root(tmp_path)
    write_content(root, "tzgg/2024/2024-00001.md", entry_text(serial=1))
    state = PreviewState()
    rebuild(root, root / "output", state)
    client = Client(preview_app(site_app(root / "output"), state))
    page = client.get("/tzgg/2024-00001.html").get_data(as_text=True)
    assert '<script src="/_preview/live.js" defer></script></body>' in page and "预览未更新" not in page
    version = client.get("/_preview/state").get_json()["version"]
    write_content(root, "tzgg/2024/2024-00001.md", entry_text(serial=1, genre="便条"))
    rebuild(root, root / "output", state)
    page = client.get("/tzgg/2024-00001.html").get_data(as_text=True)
    assert "预览未更新：最近一次生成失败" in page
    assert "content/tzgg/2024/2024-00001.md:7: genre: 「便条」不在允许的取值中" in page
    assert client.get("/_preview/state").get_json()["version"] == version + 1


def test_pre_commit_hook_refuses_a_commit_with_errors(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    (root / ".venv").symlink_to(sys.prefix)  # the hook runs .venv/bin/python, as in a checkout
    shutil.copy(ROOT / ".pre-commit-config.yaml", root / ".pre-commit-config.yaml")
    git = ["git", "-c", "user.email=t@example.com", "-c", "user.name=t"]
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    write_content(root, "tzgg/2024/2024-00001.md", entry_text(serial=1, genre="便条"))
    subprocess.run([*git, "add", "content", ".pre-commit-config.yaml"], cwd=root, check=True)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    run = [str(Path(sys.executable).parent / "pre-commit"), "run", "--files", "content/tzgg/2024/2024-00001.md"]
    bad = subprocess.run(run, cwd=root, capture_output=True, text=True, env=env, timeout=300)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "content/tzgg/2024/2024-00001.md:7 genre: 「便条」不在允许的取值中" in bad.stdout
    write_content(root, "tzgg/2024/2024-00001.md", entry_text(serial=1))
    subprocess.run([*git, "add", "content"], cwd=root, check=True)
    good = subprocess.run(run, cwd=root, capture_output=True, text=True, env=env, timeout=300)
    assert good.returncode == 0, good.stdout + good.stderr


def test_preview_and_publish_at_once_never_share_a_folder(tmp_path: Path) -> None:
    """`make serve` running while `make publish` runs (issue 17): the published site stays the
    publishing build, whatever the preview rebuilds, and the preview's feeds name its own port."""
    import socket
    import urllib.request

    root = make_root(tmp_path)
    entry = write_content(root, "tzgg/2024/2024-00001.md", entry_text())
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    preview = subprocess.Popen([sys.executable, "-m", "xxgk", "serve", "--root", str(root), "--port", str(port)],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        feed = root / ".xxgk-preview/output/feeds/all.atom.xml"
        wait_until(feed.is_file, "the preview's first build wrote its feed")
        assert cli("build", "--publish", "--root", str(root)).returncode == 0
        published = (root / "output/feeds/all.atom.xml").read_text(encoding="utf-8")
        assert "https://xxgk.dongjiang.example.gov.cn/tzgg/2024-00001.html" in published
        entry.write_text(entry_text(title="预览中修改的标题"), encoding="utf-8")  # the preview rebuilds …
        wait_until(lambda: "预览中修改的标题" in feed.read_text(encoding="utf-8"), "the preview rebuilt the feed")
        assert f"http://localhost:{port}/tzgg/2024-00001.html" in feed.read_text(encoding="utf-8")
        # … and the public site is still the published build, untouched.
        assert (root / "output/feeds/all.atom.xml").read_text(encoding="utf-8") == published
        assert "localhost" not in (root / "output/sitemap.xml").read_text(encoding="utf-8")
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/tzgg/2024-00001.html", timeout=10).read().decode()
        assert "预览中修改的标题" in page
    finally:
        preview.terminate()
        preview.wait(20)


def test_build_and_check_say_each_thing_once(tmp_path: Path) -> None:
    """Issue 17 item 10: no 「…md:8 第 8 行」, no 「警告: …: 警告:」."""
    root = make_root(tmp_path)
    text = entry_text(serial=1).replace("summary: 部署安全生产检查工作。", "summary: 部署安全 #生产检查工作。")
    write_content(root, "tzgg/2024/2024-00001.md", text)
    built = cli("build", "--root", str(root))
    assert built.returncode == 0, built.stderr
    warning = next(line for line in built.stderr.splitlines() if "summary" in line)
    assert warning.startswith("警告: content/tzgg/2024/2024-00001.md:8: summary: 值在「 #」处被截断"), warning
    assert warning.count("警告") == 1
    checked = cli("check", "--root", str(root))
    line = next(x for x in checked.stdout.splitlines() if "summary" in x)
    assert line.startswith("  警告 content/tzgg/2024/2024-00001.md:8 summary: 值在「 #」处被截断"), line
    assert "第 8 行" not in line and line.count("警告") == 1
