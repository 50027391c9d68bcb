"""find() runs the detectors on windows around digit runs; it must find exactly what a scan
of the whole text finds (detect.find_in_whole), wherever identifiers sit and whatever is around them."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from plugins.pii_guard.detect import find, find_in_whole
from plugins.pii_guard.tests.test_pii_guard import CARD, ID, MOBILE

PIECES = [ID, ID[:17] + "x", "110105491231002", MOBILE, "139-1234-5678", "139 1234 5678", "+86 13912345678",
          "008613912345678", "8613912345678", CARD, "6222 0212 3456 7890 128", "6222-0212-3456-7890-128",
          "银行卡号：", "账号", "开户银行", "电话", "X", "x", "+", "-", " ", "  ", "\n", "0", "1", "9", "12", "2024",
          "１３９１２３４５６７８", "٣", "a", "Z", "第", "号", "。", "，", "（", "）", "&", "<p>", "022-2560 1234"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(PIECES) | st.text(alphabet="0123456789 -+Xx银行卡号账1", max_size=30), max_size=40))
def test_windows_find_what_the_whole_text_has(parts: list[str]) -> None:
    text = "".join(parts)
    allowed = frozenset({"13912345678"}) if len(text) % 3 == 0 else frozenset()
    assert find(text, allowed) == find_in_whole(text, allowed)


def test_identifiers_at_the_edges_and_side_by_side() -> None:
    for text in (ID, f"{ID}{MOBILE}", f"{MOBILE}x{ID}", f"卡号{CARD}", f"{'卡' * 30}账号 {CARD}",
                 f"{ID} {MOBILE} {CARD}", f"账号{CARD}{ID}", f"+86{MOBILE}", f"a{ID}b", f"1{ID}"):
        assert find(text) == find_in_whole(text)
        assert [h.start for h in find(text)] == sorted(h.start for h in find(text))
