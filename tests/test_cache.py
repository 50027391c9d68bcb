"""foundation/cache.py: how entries are written."""
from __future__ import annotations

import pickle
import sys
from pathlib import Path

from foundation import cache


def _fresh(text: str) -> str:
    return "".join([text[:1], text[1:]])  # a new string object, with no UTF-8 copy attached yet


def test_values_round_trip_and_keep_no_second_copy_of_their_text(tmp_path: Path) -> None:
    page = _fresh("东疆综合保税区管理委员会关于融资租赁的通知。" * 200)
    value = ("<p>" + page + "</p>", {"title": _fresh("通知"), "tags": ["预算", "ascii", b"\x00\xff"],
                                     "odd": "\ud800孤立代理项", "n": 3})
    before = sys.getsizeof(value[0])
    data = cache.dumps(value)
    assert cache.loads(data) == value
    # The stock pickler leaves a UTF-8 copy on each non-ASCII string it writes; ours does not.
    assert sys.getsizeof(value[0]) == before
    pickle.dumps(value[0], pickle.HIGHEST_PROTOCOL)
    assert sys.getsizeof(value[0]) > before * 1.4
    # Through the cache file, as a build writes and the next one reads.
    c = cache.Cache(tmp_path, "test", cache.fingerprint("x"))
    fresh = (_fresh(page), {"title": _fresh("公告")})
    size = sys.getsizeof(fresh[0])
    c.put("k", b"s", fresh)
    c.save()
    assert sys.getsizeof(fresh[0]) == size
    again = cache.Cache(tmp_path, "test", cache.fingerprint("x"))
    assert again.get("k", b"s") == fresh and again.get("k", b"other") is None


def test_entries_written_by_the_stock_pickler_are_still_read(tmp_path: Path) -> None:
    assert cache.loads(pickle.dumps({"正文": "公开"}, pickle.HIGHEST_PROTOCOL)) == {"正文": "公开"}
