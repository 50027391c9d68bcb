"""The fast segment writer writes exactly the files Whoosh's own writer writes."""
from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from whoosh import index as windex
from whoosh.writing import SegmentWriter

from foundation import background
from plugins.search import docs, engine, segments
from plugins.search.segments import FastSegmentWriter, TermPool, supports

WORDS = ["东疆", "综合保税区", "管理委员会", "融资租赁", "航运", "冷链", "仓储", "跨境电商", "行政处罚",
         "预算", "决算", "政策", "解读", "通知", "公告", "市场监督管理局", "罚款", "警告", "2024", "tj"]


def documents(n: int, seed: int = 7) -> list[engine.IndexDoc]:
    """Documents with common words (terms with several blocks of 128 postings) and rare ones."""
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        body = "。".join("".join(rnd.choice(WORDS) for _ in range(rnd.randint(3, 12))) for _ in range(rnd.randint(1, 8)))
        body += f"第{i}号文件的独有内容：编号{i * 7919 % 100003}。"
        title = f"关于{rnd.choice(WORDS)}{rnd.choice(WORDS)}的通知（{i}）"
        column = rnd.choice(["tzgg", "xzcf", "czyjs", "zcwj"])
        date = f"{rnd.randint(2018, 2026)}-0{rnd.randint(1, 9)}-1{rnd.randint(0, 9)}"
        out.append(engine.IndexDoc(
            key=f"/{column}/{i}.html", text={"title": title, docs.BODY: body, "summary": body[:30]},
            ids={"index_no": f"DJ-{date[:4]}-{i:05d}", "doc_no": f"津东疆管发〔{date[:4]}〕{i % 50}号" if i % 3 else ""},
            keywords={"column": column, "date": date, docs.YEAR: date[:4], "publisher": rnd.choice(WORDS[:5])},
            show={"key": f"/{column}/{i}.html", "url": f"/{column}/{i}.html", "title": title, "column": column,
                  "column_name": column, "date": date, "index_no": f"DJ-{date[:4]}-{i:05d}", "doc_no": "",
                  "summary": ""},
            body=body))
    return out


def _build(path: Path, batches: list[list[engine.IndexDoc]], fast: bool, delete: tuple[str, ...] = ()) -> None:
    spec = docs.spec()
    engine.create(path, spec)
    ix = windex.open_dir(str(path))
    for n, batch in enumerate(batches):
        writer = engine.index._writer(ix) if fast else SegmentWriter(ix, compound=False)
        if n == len(batches) - 1:
            for key in delete:
                writer.delete_by_term("key", key)
        for doc in batch:
            writer.add_document(**engine.index._fields_of(doc, spec))
        writer.commit()
    ix.close()


def _files(path: Path, suffix: str) -> list[bytes]:
    return [p.read_bytes() for p in sorted(path.glob(f"*{suffix}"), key=lambda p: p.stat().st_mtime_ns)]


def _snapshot(path: Path) -> dict[tuple[str, bytes], tuple]:
    ix = windex.open_dir(str(path))
    with ix.reader() as reader:
        out = {}
        for field, term in reader.all_terms():
            info = reader.term_info(field, term)
            postings = list(reader.postings(field, term).items_as("weight"))
            out[(field, term)] = (info.weight(), info.doc_frequency(), info.min_length(), info.max_length(),
                                  info.max_weight(), info.min_id(), info.max_id(), postings)
        count = reader.doc_count()
    ix.close()
    return {"count": count, **out}  # type: ignore[dict-item]


@pytest.mark.parametrize("count", [1, 40, 700])
def test_same_files_as_whoosh(tmp_path: Path, count: int) -> None:
    batch = documents(count)
    _build(tmp_path / "whoosh", [batch], fast=False)
    _build(tmp_path / "fast", [batch], fast=True)
    for suffix in (".trm", ".pst"):  # term table and postings: byte for byte
        assert _files(tmp_path / "fast", suffix) == _files(tmp_path / "whoosh", suffix)
    assert _snapshot(tmp_path / "fast") == _snapshot(tmp_path / "whoosh")
    if count == 700:  # the common words really span several blocks
        ix = windex.open_dir(str(tmp_path / "fast"))
        with ix.reader() as reader:
            assert max(reader.doc_frequency("t_body", w) for w in ["东疆", "航运"]) > 3 * 128
        ix.close()


def test_postings_added_out_of_document_order_are_written_the_same(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The writer sorts postings by term only, trusting that documents come in order; postings
    given in any other order are sorted by both keys, to the same files."""
    batch = documents(300)
    _build(tmp_path / "whoosh", [batch], fast=False)
    held: list[tuple] = []
    add_counts, write, in_order = TermPool.add_counts, TermPool.write, segments._in_document_order
    checked: list[bool] = []

    def replay_backwards(self: TermPool, *args: object) -> None:
        for call in reversed(held):  # the last document's postings first
            add_counts(self, *call)
        held.clear()
        write(self, *args)

    monkeypatch.setattr(TermPool, "add_counts", lambda self, *call: held.append(call))
    monkeypatch.setattr(TermPool, "write", replay_backwards)
    monkeypatch.setattr(segments, "_in_document_order", lambda t, d: checked.append(in_order(t, d)) or checked[-1])
    _build(tmp_path / "fast", [batch], fast=True)
    assert False in checked  # the fallback really ran
    for suffix in (".trm", ".pst"):
        assert _files(tmp_path / "fast", suffix) == _files(tmp_path / "whoosh", suffix)


def test_same_index_after_updates_deletions_and_merges(tmp_path: Path) -> None:
    """Six commits (Whoosh merges the small segments into the sixth) and deletions."""
    every = documents(600, seed=11)
    batches = [every[i * 100:(i + 1) * 100] for i in range(6)]
    gone = tuple(d.key for d in every[:500:17])  # deleted before the last batch is added
    _build(tmp_path / "whoosh", batches, fast=False, delete=gone)
    _build(tmp_path / "fast", batches, fast=True, delete=gone)
    assert _snapshot(tmp_path / "fast") == _snapshot(tmp_path / "whoosh")
    assert _snapshot(tmp_path / "fast")["count"] == 600 - len(gone)


def test_searches_agree(tmp_path: Path) -> None:
    batch = documents(300, seed=3)
    _build(tmp_path / "whoosh", [batch], fast=False)
    _build(tmp_path / "fast", [batch], fast=True)
    a, b = engine.Searcher(tmp_path / "whoosh"), engine.Searcher(tmp_path / "fast")
    try:
        for query in ["东疆", "融资租赁 航运", "津东疆管发〔2024〕", "第17号文件", "行政处罚 罚款"]:
            assert [(h.url, round(h.score, 5)) for h in a.search(query).hits] == \
                   [(h.url, round(h.score, 5)) for h in b.search(query).hits]
            assert a.search(query).total > 0
    finally:
        a.close()
        b.close()


def test_segments_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past POSTINGS_PER_SEGMENT the writer starts another segment (memory stays bounded)."""
    monkeypatch.setattr(engine.index, "POSTINGS_PER_SEGMENT", 2_000)
    spec = docs.spec()
    engine.create(tmp_path, spec)
    batch = documents(200)
    assert engine.update(tmp_path, batch, []) == 200
    ix = windex.open_dir(str(tmp_path))
    try:
        assert len(ix._segments()) > 2
        assert ix.doc_count() == 200
    finally:
        ix.close()
    searcher = engine.Searcher(tmp_path)
    try:
        assert searcher.search("第123号文件").hits[0].url == batch[123].key
    finally:
        searcher.close()


def test_only_fixed_size_formats() -> None:
    from whoosh import fields as wf

    assert supports(engine.index._schema(docs.spec()))
    assert not supports(wf.Schema(text=wf.TEXT(phrase=True)))  # positions: variable-size values
    pool = TermPool(engine.index._schema(docs.spec()))
    pool.add(("key", b"/a.html", 0, 1.0, b""))
    assert pool.count == 1 and pool.fieldnames == {"key"}


def test_writer_refuses_other_schemas(tmp_path: Path) -> None:
    from whoosh import fields as wf

    ix = windex.create_in(str(tmp_path), wf.Schema(text=wf.TEXT(phrase=True)))
    with pytest.raises(ValueError):
        FastSegmentWriter(ix)
    ix.close()


def test_analysing_in_workers_writes_the_same_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past PARALLEL_FROM documents they are analysed in worker processes: the same index."""
    batch = documents(300, seed=5)
    pools: list[int] = []
    real_workers = background.workers
    monkeypatch.setattr(background, "workers", lambda *a, **k: pools.append(1) or real_workers(*a, **k))
    for name, fork in (("here", False), ("workers", True)):
        monkeypatch.setattr(background, "can_fork", lambda fork=fork: fork)
        engine.create(tmp_path / name, docs.spec())
        assert engine.update(tmp_path / name, batch, []) == 300
    assert pools == [1]  # only the second build used workers
    assert _snapshot(tmp_path / "workers") == _snapshot(tmp_path / "here")
    for suffix in (".trm", ".pst"):
        assert _files(tmp_path / "workers", suffix) == _files(tmp_path / "here", suffix)


def test_field_lengths_read_in_one_block_are_whooshs(tmp_path: Path) -> None:
    """The searcher reads each segment's length column at once; the lengths are exactly what
    Whoosh gives document by document, across segments, deletions and fields a segment lacks."""
    first = documents(150, seed=3)
    second = [engine.IndexDoc(d.key.replace(".html", "-b.html"), {"title": d.text["title"], docs.BODY: d.body},
                              d.ids, d.keywords, d.show, d.body) for d in documents(90, seed=4)]  # no summary
    _build(tmp_path / "ix", [first, second], fast=True, delete=tuple(d.key for d in first[::9]))
    searcher = engine.Searcher(tmp_path / "ix")
    try:
        assert len(searcher._leaves) == 2
        for name, _boost in engine.text_fields(searcher.spec):
            for seg, offset in searcher._leaves:
                count = seg.doc_count_all()
                expected = [seg.doc_field_length(i, f"t_{name}") or 0 for i in range(count)]
                assert searcher._lengths[name][0][offset:offset + count].tolist() == expected, name
        summary = searcher._lengths["summary"][0]
        assert summary[:150].any() and not summary[150:].any()
    finally:
        searcher.close()


def test_postings_decoded_by_the_searcher_are_whooshs(tmp_path: Path) -> None:
    """The searcher decodes each term's posting blocks itself, from mapped files (arrays.py):
    for every term of every field, across segments (one without a summary field), one- and
    multi-block terms, the documents and weights are exactly what Whoosh's own matcher
    steps through."""
    first = documents(700, seed=5)
    second = [engine.IndexDoc(d.key.replace(".html", "-b.html"), {"title": d.text["title"], docs.BODY: d.body},
                              d.ids, d.keywords, d.show, d.body) for d in documents(60, seed=6)]
    _build(tmp_path / "ix", [first, second], fast=True)
    searcher = engine.Searcher(tmp_path / "ix")
    try:
        assert searcher._maps, "the term tables and postings are mapped"
        blocks = 0
        for field, term in searcher._reader.all_terms():
            text = term.decode("utf-8")
            ids, weights = engine.arrays.read_postings(searcher._leaves, field, text)
            expected = []
            for seg, offset in searcher._leaves:
                if (field, term) in seg:
                    info = seg.term_info(field, term)
                    assert not info.is_inlined()
                    blocks += info.doc_frequency() > 128
                    expected += [(d + offset, w) for d, w in seg.postings(field, term).items_as("weight")]
            assert list(zip(ids.tolist(), weights.tolist())) == expected, (field, text)
        assert blocks  # terms of several blocks were compared
        assert "t_summary" not in searcher._leaves[1][0]._terms._fieldmap
    finally:
        searcher.close()


def _update(path: Path, batches: list[list[engine.IndexDoc]]) -> None:
    """An index written as the build writes it (engine.update: analysed, companion terms too)."""
    engine.create(path, docs.spec())
    for batch in batches:
        engine.update(path, batch, [])


def _common_terms_agree(path: Path) -> dict[str, int]:
    """Every term read through the segments' tables of common terms (engine.dense) where they
    have it is exactly what Whoosh's own files hold; how many were read from a table, by field."""
    searcher = engine.Searcher(path)
    served: dict[str, int] = {}
    try:
        for field, term in searcher._reader.all_terms():
            text = term.decode("utf-8")
            ids, weights = engine.arrays.read_postings(searcher._leaves, field, text)
            expected = [(d + offset, w) for seg, offset in searcher._leaves if (field, term) in seg
                        for d, w in seg.postings(field, term).items_as("weight")]
            assert list(zip(ids.tolist(), weights.tolist())) == expected, (field, text)
            assert engine.arrays.doc_frequency(searcher._leaves, field, text) == searcher._reader.doc_frequency(field, term)
            for seg, _offset in searcher._leaves:
                if seg.xxgk_dense is not None and seg.xxgk_dense.doc_frequency(field, text) is not None:
                    served[field] = served.get(field, 0) + 1
    finally:
        searcher.close()
    return served


def test_common_terms_are_read_from_bitmaps_that_agree_with_whoosh(tmp_path: Path, monkeypatch) -> None:
    """A segment's common terms are written a second time as bitmaps (engine.dense) and read
    from there: every term, from the table or from Whoosh's blocks, gives Whoosh's documents,
    weights and document frequency; the companion terms (weights all 1), counted text terms
    and a segment too small to have common terms are all covered."""
    first = documents(700, seed=5)
    second = [engine.IndexDoc(d.key.replace(".html", "-b.html"), {"title": d.text["title"], docs.BODY: d.body},
                              d.ids, d.keywords, d.show, d.body) for d in documents(30, seed=6)]
    _update(tmp_path / "ix", [first, second])
    assert len(list((tmp_path / "ix").glob(f"*{engine.dense.EXT}"))) == 1  # the 30 documents have none
    served = _common_terms_agree(tmp_path / "ix")
    assert served.get(engine.index.GRAMS, 0) > 100 and served.get("t_body", 0) > 10, served
    # Weights that are not whole numbers are kept as floats.
    monkeypatch.setattr(engine.dense, "DENSE_FROM", 2)
    table = engine.dense.Writer()
    table.field("f", [b"a", b"b"], np.array([0, 0, 1, 1], np.uint32), np.array([0, 3, 1, 2], np.uint32),
                np.array([1.5, 2.0, 1.0, 3.0]), 4)
    assert [entry[2] for entry in table._table["f"].values()] == [engine.dense.FLOATS, engine.dense.COUNTS]


def test_a_merged_segment_has_its_common_terms_too(tmp_path: Path) -> None:
    """Whoosh's merges go through the same writer: the merged segment gets its table, and the
    tables of the segments it replaced are deleted with their other files."""
    batches = [documents(300, seed=s) for s in (7, 8)]
    batches[1] = [engine.IndexDoc(d.key.replace(".html", "-c.html"), d.text, d.ids, d.keywords, d.show, d.body)
                  for d in batches[1]]
    _update(tmp_path / "ix", batches)
    assert len(list((tmp_path / "ix").glob(f"*{engine.dense.EXT}"))) == 2
    ix = windex.open_dir(str(tmp_path / "ix"))
    writer = engine.index._writer(ix)
    writer.commit(optimize=True)
    ix.close()
    assert len(list((tmp_path / "ix").glob(f"*{engine.dense.EXT}"))) == 1
    assert len(engine.Searcher(tmp_path / "ix")._leaves) == 1
    assert _common_terms_agree(tmp_path / "ix").get(engine.index.GRAMS, 0) > 100


def test_an_index_written_before_the_engine_became_a_package_still_opens(tmp_path: Path) -> None:
    """Whoosh pickles the schema into the index by class path: the field class keeps its old one."""
    engine.create(tmp_path, docs.spec())
    toc = next(tmp_path.glob("_MAIN_*.toc")).read_bytes()
    assert b"plugins.search.engine\n_Terms\n" in toc and b"plugins.search.engine.index" not in toc
    ix = windex.open_dir(str(tmp_path))
    assert type(ix.schema["ids"]) is engine.index._Terms
    ix.close()


def test_a_body_that_needs_folding_is_folded_for_its_snippet_and_a_plain_one_is_not(tmp_path: Path) -> None:
    """The index records whether each body is its own folded form (index._fields_of: "plain");
    snippets fold only the others, and a simplified query finds and marks the run in a
    traditional or full-width body's passage, as written there."""
    base = documents(3, seed=9)
    bodies = ["前言。" * 300 + "從事非法集資活動的，依法處理。", "前言。" * 300 + "从事非法集资活动的，依法处理。",
              "前言。" * 300 + "编号ＡＢ－１２３的从事非法集资活动，依法处理。"]
    batch = [engine.IndexDoc(d.key, {**d.text, docs.BODY: b}, d.ids, d.keywords, d.show, b)
             for d, b in zip(base, bodies)]
    _update(tmp_path / "ix", [batch])
    searcher = engine.Searcher(tmp_path / "ix")
    try:
        plain = {searcher.shows[d]["key"]: searcher._stored(d)["plain"] for d in range(searcher.n)}
        assert plain == {base[0].key: False, base[1].key: True, base[2].key: False}
        hits = {h.key: h.snippet_html for h in searcher.search("非法集资活动").hits}
        assert "從事<mark>非法集資活動</mark>的，依法處理" in hits[base[0].key]
        assert "<mark>非法集资活动</mark>" in hits[base[1].key] and "<mark>非法集资活动</mark>" in hits[base[2].key]
        assert "编号<mark>ＡＢ－１２３</mark>的从事" in searcher.search("ab-123").hits[0].snippet_html
        traditional = searcher.search("非法集資活動")  # typed traditional, marks every script
        assert {h.key for h in traditional.hits} == {d.key for d in base}
        assert all("<mark>" in h.snippet_html for h in traditional.hits)
    finally:
        searcher.close()
    # For a plain text the flag changes nothing but the work.
    text = bodies[1]
    assert engine.snippet_html(text, ["依法", "处理"], plain=True) == engine.snippet_html(text, ["依法", "处理"])
