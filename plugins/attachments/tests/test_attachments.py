"""Attachments are published beside their entry and listed with type and size."""
from __future__ import annotations

import pytest

from plugins.attachments import size_label
from tests.sitekit import Site, pdf_bytes


@pytest.mark.parametrize(("n", "label"), [(512, "512 字节"), (2048, "2.0 KB"), (3 * 1024 * 1024, "3.0 MB")])
def test_size_label(n: int, label: str) -> None:
    assert size_label(n) == label


def test_attachment_is_copied_and_listed(site: Site) -> None:
    data = pdf_bytes("通知全文")
    site.write("tzgg/2024/files/通知全文.pdf", data)
    site.entry(attachments=[{"file": "files/通知全文.pdf", "title": "通知全文"}])
    site.build()
    copied = site.output / "tzgg/2024-00001/通知全文.pdf"
    assert copied.read_bytes() == data
    html = site.read("tzgg/2024-00001.html")
    assert ('<a href="/tzgg/2024-00001/%E9%80%9A%E7%9F%A5%E5%85%A8%E6%96%87.pdf" download>通知全文</a>'
            in html)
    assert f"（PDF，{size_label(len(data))}）" in html


def test_draft_attachments_are_not_published(site: Site) -> None:
    site.write("tzgg/2024/files/a.pdf", pdf_bytes())
    site.entry(status="draft", attachments=["files/a.pdf"])
    site.build()
    assert not (site.output / "tzgg/2024-00001").exists()
