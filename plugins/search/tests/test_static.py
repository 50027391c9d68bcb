"""The static search index: the service's terms and documents, the same answers in the browser's
engine (run in Node), and only the files an edit touches rewritten."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from plugins.pii_guard import scanner
from plugins.search import cache_path, static_texts, store
from plugins.search.engine import Searcher
from plugins.search.engine import static as export
from plugins.search.engine.static_codec import decode_ids
from tests.sitekit import ROOT, Site

from .corpus import FUNDS, SAFETY

NODE = shutil.which("node")
HARNESS = ROOT / "bench" / "static_query.mjs"

# Every kind of query the service answers, with the fixture's documents (corpus.py).
QUERIES = ["东疆", "融资租赁", "安全生产 检查", "冷链", "行政处罚", "预算", "通知", '"综合保税区"', "「安全生产」",
           "税", "2024", "東疆", "融資租賃", "冷鏈", "ＡＢ－１２３", "东疆 不存在的词语", "完全没有的东西", SAFETY, FUNDS,
           "津东疆管发〔2024〕1号", "津东疆管发[2024]1号", "或者以其他方式从事非法集资活", "冷链物流扶持",
           "航运 2024", "<script>alert(1)</script>"]


def static_folder(site: Site) -> Path:
    return site.output / store.OUTPUT_DIR / store.STATIC_DIR


def entries(folder: Path) -> dict[str, tuple[int, int, bytes]]:
    out = {}
    for path in (folder / "b").glob("*.bin"):
        for key, df, cf, body in export.bucket_entries(path.read_bytes()):
            out[key] = (df, cf, (folder / body).read_bytes() if isinstance(body, str) else body)
    return out


def urls_of(folder: Path) -> dict[int, str]:
    manifest = json.loads((folder / export.MANIFEST).read_text(encoding="utf-8"))
    per = manifest["shows_per_file"]
    out = {}
    for path in (folder / "s").glob("*.json"):
        n = int(path.name.split(".")[0])
        for i, show in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            if show:
                out[n * per + i] = show["url"]
    return out


def run_static(folder: Path, queries: list[dict]) -> list[dict]:
    done = subprocess.run([NODE, str(HARNESS), str(folder)], input=json.dumps(queries), capture_output=True,
                          text=True, check=True, timeout=120)
    return json.loads(done.stdout)


def test_static_index_holds_the_services_terms_and_documents(fixture_site: Site, searcher: Searcher) -> None:
    folder = static_folder(fixture_site)
    urls = urls_of(folder)
    live = {searcher.shows[int(d)]["url"] for d in np.flatnonzero(searcher.live)}
    assert set(urls.values()) == live, "every live document and no other"
    found = entries(folder)
    words = grams = 0
    for key, (df, _cf, blob) in found.items():
        kind, text = key[0], key[1:]
        if kind == "w":
            docs, _at = decode_ids(blob[1:], df)
            expected = {searcher.shows[int(d)]["url"] for d in searcher.word(text)[0]}
            words += 1
        elif kind == "g":  # a character or pair (the companion terms), or a triple (checked in the Han text)
            docs, _at = decode_ids(blob, df)
            held = searcher.gram_docs(text) if len(text) <= 2 else searcher.run_docs(text, exact=True)[0]
            expected = {searcher.shows[int(d)]["url"] for d in held}
            grams += 1
        elif kind == "i":
            docs, _at = decode_ids(blob, df)
            expected = {searcher.shows[int(d)]["url"] for d in searcher.exact("ids", text)}
        else:
            continue
        assert {urls[d] for d in docs} == expected, key
    assert words > 100 and grams > 300


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_the_browsers_engine_answers_as_the_service(fixture_site: Site, searcher: Searcher) -> None:
    """The same query, page, sort and filters: the same total, the same documents in the same
    order, the same facets and the same marked titles."""
    asked = [{"text": q} for q in QUERIES] + [
        {"text": "通知", "page": 2}, {"text": "东疆", "sort": "date"}, {"text": "东疆", "filters": {"column": "czyjs"}},
        {"text": "东疆", "filters": {"year": "2024"}}]
    answers = run_static(static_folder(fixture_site), asked)
    for q, got in zip(asked, answers):
        want = searcher.search(q["text"], q.get("page", 1), 10, q.get("sort", "relevance"), q.get("filters"))
        label = json.dumps(q, ensure_ascii=False)
        assert "error" not in got, (label, got)
        assert got["total"] == want.total, label
        assert got["urls"] == [h.url for h in want.hits], label
        assert got["facets"] == want.facets, label
        assert got["titles"] == [h.title_html for h in want.hits], label
    assert any(a["total"] for a in answers) and any(not a["total"] for a in answers)


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_a_word_no_document_holds_is_searched_by_its_parts(fixture_site: Site, searcher: Searcher) -> None:
    """The one known difference (docs/search.md): jieba knows 「个人信息」 as a word, which no
    document of the fixture holds, so the service finds nothing; the browser segments with
    the index's own words (「个人」「信息」) and shows the documents with some of them."""
    [got] = run_static(static_folder(fixture_site), [{"text": "个人信息"}])
    assert searcher.search("个人信息").total == 0
    assert got["total"] and got["relaxed"]


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_an_over_long_query_is_refused_in_the_same_words(fixture_site: Site) -> None:
    [got] = run_static(static_folder(fixture_site), [{"text": "税" * 101}])
    assert got["error"] == "搜索词太长：101 个字，最多 100 个字"


def test_withdrawn_expired_and_drafts_are_not_in_it(tmp_path: Path) -> None:
    site = Site(tmp_path / "site")
    site.entry("xzcf", 1, title="甲公司行政处罚决定书", body="甲公司未按规定公示年度报告，蓝鲸码头。")
    site.entry("xzcf", 2, title="乙公司行政处罚决定书", body="乙公司违规，白鹭码头。",
               withdrawn_date="2024-06-01", withdrawal_reason="行政复议决定撤销原处罚决定")
    site.entry("tzgg", 3, title="关于海燕码头的通知", body="海燕码头草稿。", status="draft")
    site.build()
    folder = static_folder(site)
    urls = set(urls_of(folder).values())
    assert "xzcf/2024-00001.html" in urls
    assert not urls & {"xzcf/2024-00002.html", "tzgg/2024-00003.html"}
    keys = set(entries(folder))
    assert "g蓝鲸" in keys and "g白鹭" not in keys and "g海燕" not in keys
    text = "\n".join(t for _where, t in static_texts(folder, site.output))
    assert "乙公司" not in text and "海燕" not in text


def test_the_guard_reads_every_key_and_shown_text(fixture_site: Site, tmp_path: Path) -> None:
    """An identity card number that only the static index holds is found by the guard."""
    folder = tmp_path / "static"
    shutil.copytree(static_folder(fixture_site), folder)
    bucket = sorted((folder / "b").glob("*.bin"))[0]
    key = "w11010519491231002X".encode()
    bucket.write_bytes(bucket.read_bytes() + bytes([len(key)]) + key + b"\x01\x01\x00\x00")
    texts = list(static_texts(folder, tmp_path))
    assert any("11010519491231002X" in t for _w, t in texts)
    assert any(where.endswith(".json") for where, _t in texts)
    hits = [located for _where, located in scanner(None, frozenset()).texts(texts)]
    assert any("11010519491231002X" in h.hit.value for h in hits), hits


def test_one_edit_rewrites_only_the_files_it_touches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export, "BUCKET_BYTES", 256)  # a site this small would fit in two buckets
    site = Site(tmp_path / "site")
    for n in range(1, 25):
        site.entry("tzgg", n, title=f"关于第{n}批冷链仓储检查的通知", body=f"第{n}次检查冷链仓储，东疆港区。")
    site.build()
    before = {p.relative_to(static_folder(site)) for p in static_folder(site).rglob("*") if p.is_file()}
    site.entry("tzgg", 7, title="关于第7批冷链仓储检查的通知", body="第7次检查冷链仓储，蓝鲸码头。")
    site.build()
    folder = static_folder(site)
    after = {p.relative_to(folder) for p in folder.rglob("*") if p.is_file()}
    new = {p for p in after - before if not p.name.endswith((".gz", ".br"))}
    buckets = {p for p in after if p.parts[0] == "b" and p.suffix == ".bin"}
    changed_buckets = {p for p in new if p.parts[0] == "b"}
    assert changed_buckets and len(changed_buckets) < len(buckets) / 2, (len(changed_buckets), len(buckets))
    # The edited document's show file does not change (its title did not), nor do the others.
    assert not {p for p in new if p.parts[0] == "s"}
    [answer] = run_static(folder, [{"text": "蓝鲸码头"}]) if NODE else [{"total": 1}]
    assert answer["total"] == 1


def test_a_static_index_of_an_older_format_is_written_again(tmp_path: Path) -> None:
    site = Site(tmp_path / "site")
    site.entry("tzgg", 1, title="关于蓝鲸码头开放的通知", body="蓝鲸码头本周开放。")
    site.build()
    cache = next(cache_path(site.settings()).glob("gen-*"))
    manifest = cache / store.STATIC_DIR / export.MANIFEST
    old = json.loads(manifest.read_text(encoding="utf-8"))
    manifest.write_text(json.dumps({**old, "format": export.FORMAT - 1}), encoding="utf-8")
    site.build()
    published = json.loads((static_folder(site) / export.MANIFEST).read_text(encoding="utf-8"))
    assert published["format"] == export.FORMAT


def test_a_served_preview_writes_no_static_index(tmp_path: Path) -> None:
    """make serve answers searches with the service: no export after every edit."""
    from xxgk.build import preview_overrides

    site = Site(tmp_path / "site")
    site.entry("tzgg", 1, title="关于蓝鲸码头开放的通知", body="蓝鲸码头本周开放。")
    overrides = preview_overrides(tmp_path / "site", "http://127.0.0.1:8000")
    assert overrides["XXGK_STATIC_SEARCH"] is False
    site.build(XXGK_STATIC_SEARCH=False)
    assert not static_folder(site).exists() and not (site.output / "search/index.html").exists()
    assert store.published(site.output) is not None  # the service's index is there
    site.build()
    assert (static_folder(site) / export.MANIFEST).is_file() and (site.output / "search/index.html").is_file()


def test_static_numbers_stay_with_their_documents() -> None:
    """A document keeps its number from export to export; new ones fill the free numbers in the
    index's document order (the service breaks exact ties by it)."""
    first = export.assign_ids(["c", "a", "b"], {})
    assert first == {"c": 0, "a": 1, "b": 2}
    second = export.assign_ids(["c", "b", "e", "d"], first)
    assert second == {"c": 0, "b": 2, "e": 1, "d": 3}


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_documents_of_equal_score_are_ordered_by_date_as_the_service_does(tmp_path: Path) -> None:
    """Dates sit in files of their own (static.py _meta): a query fetches them only to sort by
    date or to order documents whose scores tie at the top, and then orders them as the service."""
    site = Site(tmp_path / "site")
    for n in range(1, 15):  # the same title and text, dates in no order: every score ties
        site.entry("tzgg", n, title="关于蓝鲸码头开放的通知", body="蓝鲸码头本周开放。",
                   date=f"2024-{(n * 5) % 9 + 4:02d}-{n + 10:02d}")
    site.entry("tzgg", 20, title="关于冷链仓储检查的通知", body="冷链仓储检查，蓝鲸码头除外。")
    site.build()
    folder = static_folder(site)
    searcher = Searcher(store.published(site.output) / store.INDEX_DIR)
    try:
        asked = [{"text": "蓝鲸码头"}, {"text": "蓝鲸码头", "page": 2}, {"text": "蓝鲸码头", "sort": "date"},
                 {"text": "冷链仓储"}]
        answers = run_static(folder, asked)
        for q, got in zip(asked, answers):
            want = searcher.search(q["text"], q.get("page", 1), 10, q.get("sort", "relevance"))
            assert got["urls"] == [h.url for h in want.hits], q
        dates = [h.date for h in searcher.search("蓝鲸码头", 1, 20).hits if "蓝鲸码头开放" in h.title]
        assert dates == sorted(dates, reverse=True) and len(set(dates)) == 14
    finally:
        searcher.close()
    tied, date_sorted, alone = answers[0], answers[2], answers[3]
    assert "t" in tied["bytes_by"] and "t" in date_sorted["bytes_by"]
    assert "t" not in alone["bytes_by"], "one document, no tie: no dates fetched"
