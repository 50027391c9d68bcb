"""Nothing outside the site's folders is read or published: links that lead out are errors,
named with their target, in the build and in make check."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.sitekit import Site
from xxgk.check import check
from foundation.errors import ContentError
from foundation.settings import resolve


def outside(tmp_path: Path) -> Path:
    secret = tmp_path / "elsewhere"
    secret.mkdir()
    (secret / "passwd.txt").write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    (secret / "note.md").write_text("---\ntitle: x\n---\n外面的文件\n", encoding="utf-8")
    return secret


def failed(site: Site) -> str:
    with pytest.raises(ContentError) as exc:
        site.build()
    assert not (site.output / "tzgg/2024-00001/passwd.txt").exists()
    return str(exc.value)


def checked(site: Site) -> list[str]:
    settings = site.settings()
    settings["XXGK_RESOLVED"] = resolve(settings["XXGK"])
    return [str(p) for p in check(settings).errors]


def test_an_attachment_linked_to_a_file_outside(site: Site, tmp_path: Path) -> None:
    secret = outside(tmp_path)
    (site.content / "tzgg/2024/files").mkdir(parents=True)
    os.symlink(secret / "passwd.txt", site.content / "tzgg/2024/files/passwd.txt")
    site.entry(attachments=["files/passwd.txt"])
    message = failed(site)
    assert f"附件「files/passwd.txt」指向网站文件夹之外（{secret / 'passwd.txt'}）" in message
    assert "content/tzgg/2024/files/passwd.txt: 文件: 是指向网站文件夹之外" in message
    assert any("指向网站文件夹之外" in p for p in checked(site))


def test_a_folder_linked_outside(site: Site, tmp_path: Path) -> None:
    secret = outside(tmp_path)
    (site.content / "tzgg/2024").mkdir(parents=True)
    os.symlink(secret, site.content / "tzgg/2024/evil")
    site.entry(attachments=["evil/passwd.txt"])
    message = failed(site)
    assert f"content/tzgg/2024/evil: 文件: 是指向网站文件夹之外（{secret}）的链接" in message
    assert "附件「evil/passwd.txt」指向网站文件夹之外" in message


def test_a_markdown_file_linked_from_outside(site: Site, tmp_path: Path) -> None:
    secret = outside(tmp_path)
    (site.content / "tzgg/2024").mkdir(parents=True)
    os.symlink(secret / "note.md", site.content / "tzgg/2024/2024-00009.md")
    message = failed(site)
    assert f"content/tzgg/2024/2024-00009.md: 文件: 指向网站文件夹之外（{secret / 'note.md'}）" in message
    assert "Could not process" not in message


def test_links_inside_the_site_are_fine(site: Site) -> None:
    site.write("tzgg/2024/files/a.txt", "附件内容")
    os.symlink(site.content / "tzgg/2024/files/a.txt", site.content / "tzgg/2024/files/b.txt")
    site.entry(attachments=["files/b.txt"])
    site.build()
    assert (site.output / "tzgg/2024-00001/b.txt").read_text(encoding="utf-8") == "附件内容"
