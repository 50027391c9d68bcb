"""Built sites: an identifier anywhere in what is published fails the build, named at its source."""
from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from plugins.pii_guard import PrivacyError, guard
from foundation.privacy.readers import ocr
from xxgk.build import build_atomically
from foundation.errors import ContentError
from tests.sitekit import ROOT, Site

from .documents import docx_with, ofd_with, pdf_extras, pdf_form, pdf_with, scanned_pdf, text_image, xlsx_with, zip_with

ID = "11010519491231002X"
MOBILE = "13912345678"
CARD = "6222021234567890128"
PASSPORT = "E12345678"
MASKED = {ID: "110*************2X", MOBILE: "139******78", CARD: "622**************28", PASSPORT: "E12****78"}

# The forms of the report (issue 15), each a function of the plain identifier.
FULL = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
TRANSFORMS = {
    "plain": lambda v: v,
    "full-width": lambda v: v.translate(FULL).replace("E", "Ｅ"),
    "entities": lambda v: "".join(f"&#x{ord(c):X};" for c in v.translate(FULL)),
    "separators": lambda v: " ".join(v[i:i + 4] for i in range(0, len(v), 4)).replace(" ", "-", 1),
    "zero-width": lambda v: "\u200b".join(v),
}
LABELS = {ID: "身份证号码", MOBILE: "电话", CARD: "银行卡号", PASSPORT: "护照号码"}


def caught(site: Site, **kw: object) -> str:
    with pytest.raises(PrivacyError) as exc:
        site.build(**kw)
    return str(exc.value)


def test_every_form_in_every_text_place_is_named_at_its_line(site: Site) -> None:
    """Identifier × transformation × place, one entry each, one build: every one is reported
    at the line of its source file, masked, and never shown in full."""
    places = {
        "title": lambda t: {"title": f"关于{t}的通知"},
        "summary": lambda t: {"summary": f"联系{t}。"},
        "keywords": lambda t: {"keywords": f"通知、{t}"},
        "issuer": lambda t: {"issuer": f"办公室{t}"},
        "body": lambda t: {"body": f"正文。\n\n当事人{t}。"},
        "alt text": lambda t: {"body": f"![照片{t}](https://example.org/a.png)"},
        "link title": lambda t: {"body": f'[链接](https://example.org/a "联系{t}")'},
        "link target": lambda t: {"body": f"[链接](https://example.org/?q={t})"},
    }
    expected = []
    serial = itertools.count(1)
    for value, (transform, fn), (place, make) in itertools.product(MASKED, TRANSFORMS.items(), places.items()):
        if place in ("link target", "alt text", "link title") and transform == "zero-width":
            continue  # a URL or an attribute with invisible characters is not what a reader sees as one
        if place == "issuer" and transform == "entities":
            continue  # longer than the field allows
        n = next(serial)
        written = f"{LABELS[value]}{fn(value)}"
        fields = make(written)
        path = site.entry(serial=n, **fields)
        expected.append((f"content/tzgg/2024/2024-{n:05d}.md", value, place, transform, path))
    message = caught(site)
    for label, value, place, transform, path in expected:
        lines = path.read_text(encoding="utf-8").split("\n")
        line = next(i for i, text in enumerate(lines, 1) if _holds(text, value))
        assert f"{label}:{line}: " in message and MASKED[value] in message, (place, transform, label)
    for value in MASKED:
        assert value not in message


def _holds(line: str, value: str) -> bool:
    from foundation.privacy.detect import find

    return any(h.value == value for h in find(line))


def test_penalty_fields_and_party_names(site: Site) -> None:
    site.entry("xzcf", serial=1, facts=f"当事人电话{MOBILE}。")
    site.entry("xzcf", serial=2, license=f"许可证 身份证{ID}")
    site.entry("xzcf", serial=3, remarks=f"退款至银行卡号{CARD}")
    message = caught(site)
    for n, value in ((1, MOBILE), (2, ID), (3, CARD)):
        assert f"content/xzcf/2024/2024-{n:05d}.md:" in message and MASKED[value] in message


ATTACHMENTS = {
    "page.pdf": (pdf_with(f"申请人 {ID}"), "第 1 页"),
    "info.pdf": (pdf_extras(author=f"经办人 {MOBILE}"), "文档属性"),
    "note.pdf": (pdf_extras(note=f"电话 {MOBILE}"), "第 1 页 注释"),
    "mark.pdf": (pdf_extras(bookmark=f"电话 {MOBILE}"), "书签"),
    "form.pdf": (pdf_form(MOBILE), "表单域"),
    "inner.pdf": (pdf_extras(embedded=("名单.txt", f"身份证 {ID}".encode())), "嵌入文件「名单.txt」"),
    "body.docx": (docx_with(body=f"电话 {MOBILE}"), "正文"),
    "head.docx": (docx_with(header=f"电话 {MOBILE}"), "页眉"),
    "note.docx": (docx_with(comment=f"电话 {MOBILE}"), "批注"),
    "meta.docx": (docx_with(author=MOBILE), "文档属性"),
    "cell.xlsx": (xlsx_with({"A1": "电话", "A2": int(MOBILE)}), "工作表「名单」 A2"),
    "note.xlsx": (xlsx_with(comment=f"电话 {MOBILE}"), "批注"),
    "meta.xlsx": (xlsx_with(creator=MOBILE), "文档属性"),
    "name.xlsx": (xlsx_with(defined=MOBILE), "工作簿（名称定义）"),
    "doc.ofd": (ofd_with(f"电话 {MOBILE}"), "第 1 页"),
    "pack.zip": (zip_with({"a/名单.docx": docx_with(body=f"电话 {MOBILE}")}), "压缩包中的「a/名单.docx」 正文"),
}


def test_every_attachment_type_and_part_is_named_with_its_place(site: Site) -> None:
    names = []
    for name, (data, _place) in ATTACHMENTS.items():
        site.write(f"tzgg/2024/files/{name}", data)
        names.append({"file": f"files/{name}", "title": "附件"})
    site.entry(attachments=names)
    message = caught(site)
    for name, (_data, place) in ATTACHMENTS.items():
        assert f"content/tzgg/2024/files/{name} {place}: " in message, name
    assert ".xxgk-builds" not in message and "output" not in message.split("公开后")[0]


def test_an_attachment_file_name_and_title(site: Site) -> None:
    site.write(f"tzgg/2024/files/{MOBILE}.pdf", pdf_with("名单"))
    site.entry(attachments=[{"file": f"files/{MOBILE}.pdf", "title": "名单"}])
    site.entry(serial=2, attachments=[{"file": f"files/{MOBILE}.pdf", "title": f"名单（{ID}）"}])
    message = caught(site)
    assert "content/tzgg/2024/2024-00001.md:" in message and "content/tzgg/2024/2024-00002.md:" in message
    assert MASKED[ID] in message


@pytest.mark.parametrize("name", ["决定书.doc", "决定书.wps", "表.et", "包.rar", "包.7z", "程序.exe"])
def test_types_the_guard_cannot_read_are_refused_at_the_attachment(site: Site, name: str) -> None:
    site.write(f"tzgg/2024/files/{name}", b"\xd0\xcf\x11\xe0 binary")
    site.entry(attachments=[f"files/{name}"])
    with pytest.raises(ContentError) as exc:
        site.build()
    message = str(exc.value)
    assert "content/tzgg/2024/2024-00001.md:" in message and f"附件「files/{name}」不能发布" in message
    assert "请" in message


def test_a_damaged_attachment_fails_the_build_named_at_its_source(site: Site) -> None:
    site.write("tzgg/2024/files/坏.pdf", b"%PDF-1.4 this is not really a pdf")
    site.entry(attachments=["files/坏.pdf"])
    for _ in range(2):  # not cached: reported on every build
        message = caught(site)
        assert "content/tzgg/2024/files/坏.pdf：隐私检查无法读取该文件" in message


def test_a_hit_found_only_in_listings_feeds_and_search_is_named_at_its_source(site: Site) -> None:
    fw = MOBILE.translate(FULL)
    site.entry(body="无。", summary=f"联系{fw}")
    message = caught(site)
    line = next(i for i, t in enumerate((site.content / "tzgg/2024/2024-00001.md").read_text().split("\n"), 1)
                if "summary" in t)
    assert f"content/tzgg/2024/2024-00001.md:{line}: 手机号 139******78（公开后出现在" in message
    assert "（来源未找到" not in message


def test_a_hit_from_the_settings_is_named_there(tmp_path: Path) -> None:
    out = tmp_path / "output"
    out.mkdir()
    (out / "index.html").write_text(f"<footer>热线 {MOBILE}</footer>", encoding="utf-8")
    (tmp_path / "content").mkdir()
    (tmp_path / "pelicanconf.py").write_text(f'XXGK = {{"CONTACT": "热线 {MOBILE}"}}\n', encoding="utf-8")
    findings, unchecked, _ = guard(out, tmp_path / "content", [])
    assert [str(f) for f in findings] == ["pelicanconf.py:1: 手机号 139******78（公开后出现在 index.html）"]
    assert unchecked == []


def test_the_published_site_is_never_named_by_its_build_folder(tmp_path: Path) -> None:
    site = Site(tmp_path)
    site.entry(body=f"电话 {MOBILE}")
    with pytest.raises(PrivacyError) as exc:
        build_atomically(ROOT, output=tmp_path / "output",
                         overrides={"PATH": str(site.content), "XXGK": site.settings()["XXGK"]})
    assert ".xxgk-builds" not in str(exc.value) and "content/tzgg/2024/2024-00001.md:" in str(exc.value)


def test_without_ocr_images_warn_in_preview_and_fail_publishing(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "available", lambda: False)
    site.write("tzgg/2024/files/扫描件.pdf", scanned_pdf("TEL"))
    site.entry(attachments=["files/扫描件.pdf"])
    warnings = site.build().warnings
    assert any("未做文字识别" in w and "content/tzgg/2024/files/扫描件.pdf 第 1 页" in w for w in warnings)
    xxgk = {**site.settings()["XXGK"], "OCR_REQUIRED": True}
    assert "未做文字识别" in caught(site, XXGK=xxgk)


@pytest.mark.skipif(not ocr.available(), reason="make test installs tesseract-ocr (Makefile ocr-deps)")
def test_a_scanned_decision_and_a_photo_are_read_by_ocr(site: Site) -> None:
    site.write("tzgg/2024/files/扫描件.pdf", scanned_pdf(f"TEL {MOBILE}"))
    site.write("tzgg/2024/files/照片.png", text_image(f"ID {ID}"))
    site.entry(attachments=["files/扫描件.pdf", "files/照片.png"])
    message = caught(site)
    assert "content/tzgg/2024/files/扫描件.pdf 第 1 页（图像文字识别）: 手机号 139******78" in message
    assert "content/tzgg/2024/files/照片.png （图像文字识别）" in message or \
           "content/tzgg/2024/files/照片.png（图像文字识别）" in message


def test_official_numbers_and_a_clean_site_pass(site: Site) -> None:
    site.entry(body="咨询电话：022-25601234；文号 津东疆管发〔2023〕5号；索引号 000014349/2020-00072；"
                    "身份证号示例 110105194912310021（校验位错误）；统一社会信用代码 91120116MA05ABCD1K；"
                    "邮编 300461；2024-1-31 2024-12-15；金额 1,234.56 万元、789.00 万元。")
    site.write("tzgg/2024/files/表.xlsx", xlsx_with({"A1": "项目", "B1": "金额（万元）", "A2": "合计", "B2": 73920.5}))
    site.entry(serial=2, attachments=["files/表.xlsx"])
    site.build()
    assert (site.output / "tzgg/2024-00001.html").is_file()


def test_the_search_service_never_answers_with_a_rejected_number(tmp_path: Path) -> None:
    """The service folds full-width digits (issue 15): a page with １３９… must never be
    published, so a search for 139… finds nothing on the live site."""
    import json

    from werkzeug.test import Client

    from xxgk.serve import site_app

    site = Site(tmp_path)
    site.entry(serial=1, title="关于开展检查的通知", body="检查安排。")
    overrides = {"PATH": str(site.content), "XXGK": site.settings()["XXGK"]}
    build_atomically(ROOT, output=tmp_path / "output", overrides=overrides)
    for n, form in enumerate((MOBILE.translate(FULL), " ".join(MOBILE), "&#x31;" + MOBILE[1:]), 2):
        site.entry(serial=n, title="关于联系方式的通知", body=f"联系人：{form}。")
        with pytest.raises(PrivacyError):
            build_atomically(ROOT, output=tmp_path / "output", overrides=overrides)
    client = Client(site_app(tmp_path / "output"))
    for q in (MOBILE, MOBILE.translate(FULL), "联系方式"):
        answer = json.loads(client.get(f"/search.json?q={q}").get_data(as_text=True))
        assert answer["total"] == 0, (q, answer)
    assert json.loads(client.get("/search.json?q=检查").get_data(as_text=True))["total"] == 1


def test_the_search_index_vocabulary_is_read_by_the_guard(site: Site) -> None:
    from plugins.search import index_texts

    site.entry(body="冷链物流扶持资金申报。")
    site.build()
    parts = dict(index_texts(site.output))
    vocabulary = [text for where, text in parts.items() if "词表" in where]
    assert vocabulary and any("冷链" in text.split("\n") for text in vocabulary)
