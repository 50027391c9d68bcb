"""Queries against a real index built from the fixture site: order, identifiers, phrases, facets, bounds."""
from __future__ import annotations

import re

import pytest

from plugins.search import engine
from plugins.search.tests.corpus import BUDGET, FLOOD, FUNDS, HOSTILE, NOTICES, PENALTY, READING, SAFETY, SHIPPING


def index_nos(results: engine.Results) -> list[str]:
    return [h.index_no for h in results.hits]


def test_a_title_word_ranks_the_document_titled_with_it_above_one_mentioning_it(searcher: engine.Searcher) -> None:
    got = index_nos(searcher.search("安全生产"))
    assert got[0] == SAFETY
    assert got.index(SAFETY) < got.index(FLOOD)


def test_a_word_only_in_one_body_finds_that_document(searcher: engine.Searcher) -> None:
    assert index_nos(searcher.search("融资租赁")) == [SHIPPING]


def test_every_word_must_match(searcher: engine.Searcher) -> None:
    assert index_nos(searcher.search("若干措施 政策解读")) == [READING]
    assert index_nos(searcher.search("汛期 排涝")) == [FLOOD]


def test_a_word_the_segmenter_glued_to_its_neighbours_is_found(searcher: engine.Searcher) -> None:
    # 「东疆」 is inside 「天津东疆综合保税区」 and 「东疆港区」 as segmented.
    got = searcher.search("东疆")
    assert SHIPPING in index_nos(got)
    assert got.total >= NOTICES


@pytest.mark.parametrize("typed", ["津东疆管规〔2024〕1号", "津东疆管规(2024)1号", "津东疆管规[2024]1号",
                                   "津东疆管规（2024）1号", "津东疆管规 (2024) 1号", "津东疆管规［2024］1号"])
def test_a_doc_no_however_bracketed_puts_its_document_first(searcher: engine.Searcher, typed: str) -> None:
    got = index_nos(searcher.search(typed))
    # The 政策解读 quotes the 文号 in its body: found too, but after the document itself.
    assert got[:2] == [SHIPPING, READING]


def test_part_of_an_identifier_finds_its_document(searcher: engine.Searcher) -> None:
    assert index_nos(searcher.search("2024-00004")) == [BUDGET]
    assert set(index_nos(searcher.search("管规"))) == {SHIPPING, READING}  # READING quotes the 文号


def test_an_index_no_and_a_decision_no_find_their_documents_first(searcher: engine.Searcher) -> None:
    assert index_nos(searcher.search(BUDGET))[0] == BUDGET
    assert index_nos(searcher.search(BUDGET.lower()))[0] == BUDGET
    assert index_nos(searcher.search("津东疆市监罚(2024)1号"))[0] == PENALTY


def test_a_quoted_phrase_must_appear_as_written(searcher: engine.Searcher) -> None:
    assert index_nos(searcher.search('"春节期间安全生产"')) == [SAFETY]
    assert searcher.search('"安全生产春节"').total == 0
    assert index_nos(searcher.search("“春节期间安全生产”")) == [SAFETY]


@pytest.mark.parametrize("query", ["AND (", "*:*", "title:安全 OR", ")))", "安全生产 NOT", "~!@#$%^&*()_+{}|:<>?",
                                   '"', '"未闭合的引号', "\\", "*", "安全*"])
def test_query_syntax_is_just_text_and_never_raises(searcher: engine.Searcher, query: str) -> None:
    results = searcher.search(query)
    # Syntax is no operator: a query with Chinese words finds documents with them, one with no
    # word finds nothing (never every document, as a parsed `*:*` or `*` would).
    if re.search(r"[\u4e00-\u9fff]", query):
        assert results.total > 0 and len(index_nos(results)) == min(results.total, 10)
    else:
        assert results.total == 0 and index_nos(results) == []


def test_syntax_characters_around_words_do_not_stop_the_words_matching(searcher: engine.Searcher) -> None:
    assert index_nos(searcher.search("(融资租赁)"))[0] == SHIPPING
    # 「AND」 is a word no document has: the other word still finds the document, marked as partial.
    with_and = searcher.search("融资租赁 AND")
    assert with_and.relaxed and index_nos(with_and)[0] == SHIPPING


def test_a_query_without_words_finds_nothing_and_says_so(searcher: engine.Searcher) -> None:
    results = searcher.search("*:*")
    assert (results.total, results.searchable) == (0, False)


def test_an_over_long_query_is_refused(searcher: engine.Searcher) -> None:
    with pytest.raises(engine.QueryError, match="太长"):
        searcher.search("安" * (engine.MAX_QUERY_CHARS + 1))
    assert searcher.search("安全生产" + " " * 50).total  # spaces around a query are not counted


def test_no_document_with_every_word_falls_back_to_some_words(searcher: engine.Searcher) -> None:
    results = searcher.search("融资租赁 不存在的词语甲乙")
    assert results.relaxed and index_nos(results)[0] == SHIPPING


def test_facets_count_columns_and_years_and_filters_narrow(searcher: engine.Searcher) -> None:
    everything = searcher.search("东疆")
    # The notices, and SAFETY through its 文号 津东疆管发〔2024〕3号.
    assert everything.facets["column"]["tzgg"] == NOTICES + 1
    assert everything.facets["column"]["zcwj"] == 2
    assert set(everything.facets["year"]) == {"2024"}
    only_policies = searcher.search("东疆", filters={"column": "zcwj"})
    assert only_policies.total == 2 and {h.column for h in only_policies.hits} == {"zcwj"}
    # A column filter leaves the column counts whole (to switch columns) and narrows the year counts.
    assert only_policies.facets["column"] == everything.facets["column"]
    assert only_policies.facets["year"] == {"2024": 2}
    safety = searcher.search("安全生产", filters={"year": "2023"})
    assert index_nos(safety) == [FLOOD]
    assert safety.facets["year"] == {"2024": 2, "2023": 1}


def test_keyword_fields_of_the_schema_filter_too(searcher: engine.Searcher) -> None:
    assert searcher.search("东疆", filters={"validity": "废止"}).total == 0
    assert searcher.search("东疆", filters={"publisher": "党政办公室"}).total > 0


def test_date_order_is_newest_first(searcher: engine.Searcher) -> None:
    by_date = searcher.search("安全生产", sort="date")
    dates = [h.date for h in by_date.hits]
    assert dates == sorted(dates, reverse=True) and by_date.total == searcher.search("安全生产").total


def test_pages_split_the_results_without_overlap(searcher: engine.Searcher) -> None:
    first = searcher.search("通航安全", page=1, per_page=10)
    second = searcher.search("通航安全", page=2, per_page=10)
    assert (first.total, first.pages) == (NOTICES, 2)
    assert len(first.hits) == 10 and len(second.hits) == NOTICES - 10
    assert not {h.key for h in first.hits} & {h.key for h in second.hits}
    assert searcher.search("通航安全", page=3, per_page=10).hits == []


def test_results_and_snippets_escape_the_document_and_mark_the_query(searcher: engine.Searcher) -> None:
    hit = searcher.search("开放日").hits[0]
    assert hit.index_no == HOSTILE
    assert "<script>" not in hit.title_html and "&lt;script&gt;" in hit.title_html
    assert "<mark>开放日</mark>" in hit.title_html and "&quot;" in hit.title_html
    assert "<mark>开放日</mark>" in hit.snippet_html
    assert "<script" not in hit.snippet_html and "<b>" not in hit.snippet_html
    hostile = searcher.search("<script>alert(1)</script>")
    for h in hostile.hits:
        assert "<script" not in h.title_html + h.snippet_html


def test_snippets_come_from_the_passage_with_the_words() -> None:
    body = "无关的开头。" * 40 + "这里说到融资租赁企业落户奖励。" + "无关的结尾。" * 40
    snippet = engine.snippet_html(body, ["融资租赁", "奖励"])
    assert "<mark>融资租赁</mark>" in snippet and "<mark>奖励</mark>" in snippet
    assert snippet.startswith("…") and len(snippet) < 200
    assert engine.snippet_html("没有这些词", ["融资租赁"]) == ""
    assert engine.mark('<a href="x">融资</a>', ["融资"]) == "&lt;a href=&quot;x&quot;&gt;<mark>融资</mark>&lt;/a&gt;"


def test_the_body_is_indexed_as_text_without_markup() -> None:
    text = engine.html_to_text('<p>第一段<a href="/x" title="a>b">链接</a></p><script>var s="隐藏";</script>'
                               "<ul><li>甲</li><li>乙&amp;丙</li></ul><!-- 注释 -->")
    assert text == "第一段链接\n甲\n乙&丙"


def test_analysis_folds_full_width_and_case_and_has_no_stemmer() -> None:
    counts = engine.analyse("ＡＢＣ１２３ Running 津东疆管发")
    assert "abc123" in counts and "running" in counts and "run" not in counts
    # The pairs inside 「津东疆管发」 are the companion field's, not the words' (analyse_with_grams).
    assert "东疆" not in counts and "东疆" in engine.index.analyse_with_grams("津东疆管发")[1]
    assert "的" not in engine.analyse("政府的信息")


# Runs of Han characters (issue 19) -------------------------------------------------------------

@pytest.mark.parametrize("typed", [
    "或者以其他方式从事非法集资活",     # ends inside 「活动」
    "以其他方式从事非法集",             # ends inside 「非法集资」
    "事非法集资活动",                   # starts inside 「从事」
    "链物流扶持资",                     # both ends inside words
    "，冷链物流扶持。",                 # with the punctuation around it
    "冷 链物流扶持",                    # a space typed inside a word
])
def test_a_fragment_cut_mid_word_finds_its_one_document_first(searcher: engine.Searcher, typed: str) -> None:
    assert index_nos(searcher.search(typed))[0] == FUNDS


def test_the_fragments_words_alone_do_not_outrank_the_document_holding_it(searcher: engine.Searcher) -> None:
    # SAFETY holds 「冷链物流企业」; FUNDS has 「冷链物流」 and 「企业」 apart (and two more words of the query).
    got = index_nos(searcher.search("冷链物流企业"))
    assert got[:2] == [SAFETY, FUNDS]


@pytest.mark.parametrize("typed", ['"从事非法集资活动"', "「冷链物流扶持」", "『物流扶持资金』", "“集资活”"])
def test_a_quoted_run_finds_exactly_the_documents_holding_it(searcher: engine.Searcher, typed: str) -> None:
    assert index_nos(searcher.search(typed)) == [FUNDS]


def test_a_quoted_run_whose_every_pair_is_in_a_document_but_not_the_run_finds_nothing(
        searcher: engine.Searcher) -> None:
    # 「负责仓储」 and 「仓储运输」 are there; 「负责仓储运输」 is not.
    for pair in ("负责", "责仓", "仓储", "储运", "运输"):
        assert FUNDS in index_nos(searcher.search(f'"{pair}"'))
    assert searcher.search('"负责仓储运输"').total == 0
    assert searcher.search('"冷链扶持"').total == 0


@pytest.mark.parametrize("typed", ["從事非法集資活動", '"從事非法集資活動"', "冷鏈物流扶持"])
def test_traditional_characters_find_simplified_text(searcher: engine.Searcher, typed: str) -> None:
    got = searcher.search(typed)
    assert index_nos(got)[0] == FUNDS
    assert "<mark>" in got.hits[0].snippet_html


@pytest.mark.parametrize("typed", ["ab-123", "AB－123", "ＡＢ－１２３", "Ab-１２３"])
def test_full_width_and_case_variants_find_the_same_document(searcher: engine.Searcher, typed: str) -> None:
    assert index_nos(searcher.search(typed)) == [FUNDS]


def test_single_characters_and_two_character_words_find_every_document_holding_them(
        searcher: engine.Searcher) -> None:
    assert index_nos(searcher.search("纳")) == [FUNDS]  # only inside 「纳税」
    holding = searcher.search("税")  # 「纳税」 and every 「保税区」 of the fixture's 发布机构
    assert FUNDS in index_nos(holding) and holding.total == 5
    assert index_nos(searcher.search('"纳税"')) == [FUNDS]
    assert index_nos(searcher.search("法纳")) == [FUNDS]  # across 「依法|纳税」
    assert searcher.search("汛").total == 1


def test_the_snippet_marks_the_run_as_typed(searcher: engine.Searcher) -> None:
    hit = searcher.search("或者以其他方式从事非法集资活").hits[0]
    assert "<mark>或者以其他方式从事非法集资活</mark>" in hit.snippet_html


def test_a_broad_phrase_is_exact_and_bounded(searcher: engine.Searcher, monkeypatch: pytest.MonkeyPatch) -> None:
    # 「注意大风天气」: three words in twelve bodies (not in any title), so every candidate is read.
    assert searcher.search('"注意大风天气"').total == NOTICES
    monkeypatch.setattr(engine.runs, "PHRASE_CHECKS", 5)
    monkeypatch.setattr(engine.runs, "CHECK_FEW", 2)
    fresh = engine.Searcher(searcher.path)
    capped = fresh.search('"注意大风天气"')
    assert capped.capped and capped.total == 5
