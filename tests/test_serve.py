"""The preview server: files, folders, 404 page, methods, no way out of the output folder."""
from __future__ import annotations

from pathlib import Path

from werkzeug.test import Client

from xxgk.serve import site_app


def make_output(tmp_path: Path) -> Path:
    out = tmp_path / "output"
    (out / "tzgg").mkdir(parents=True)
    (out / "index.html").write_text("<p>首页</p>", encoding="utf-8")
    (out / "tzgg/index.html").write_text("<p>通知公告</p>", encoding="utf-8")
    (out / "404.html").write_text("<p>页面未找到</p>", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    return out


def test_serves_files_and_folders(tmp_path: Path) -> None:
    client = Client(site_app(make_output(tmp_path)))
    home = client.get("/")
    assert home.status_code == 200 and "首页" in home.get_data(as_text=True)
    assert home.headers["Content-Type"] == "text/html; charset=utf-8"
    assert client.get("/tzgg").status_code == 301
    assert "通知公告" in client.get("/tzgg/").get_data(as_text=True)


def test_missing_page_and_traversal_get_the_404_page(tmp_path: Path) -> None:
    client = Client(site_app(make_output(tmp_path)))
    for path in ("/nope.html", "/../secret.txt", "/%2e%2e/secret.txt"):
        response = client.get(path)
        assert response.status_code == 404
        assert "secret" not in response.get_data(as_text=True)
        assert "页面未找到" in response.get_data(as_text=True)


def test_only_get_and_head(tmp_path: Path) -> None:
    client = Client(site_app(make_output(tmp_path)))
    assert client.post("/").status_code == 405
    head = client.head("/")
    assert head.status_code == 200 and head.get_data() == b""


def test_production_app_from_env(tmp_path: Path, monkeypatch: object) -> None:
    from xxgk.serve import app_from_env

    monkeypatch.setenv("XXGK_OUTPUT", str(make_output(tmp_path)))
    client = Client(app_from_env())
    response = client.get("/")
    assert response.status_code == 200 and "首页" in response.get_data(as_text=True)
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert client.get("/search?q=x").status_code == 503  # no index built in this folder: a clear 503
