"""How values and links are shown to the public: one place for every output (pages, feeds,
search results, the sitemap), so that a date or an amount reads the same everywhere."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .errors import SettingsError
from .fields import Field
from .settings import TIMEZONE


@dataclass
class Link:
    text: str
    url: str
    count: int = 0
    current: bool = False


def display(value: Any, f: Field) -> str:
    """Format a field value for the public."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


# Page links shown on each side of the current page; the first and last are always shown.
PAGE_WINDOW = 3


def page_window(number: int, total: int) -> list[int | None]:
    """Which page numbers a pagination bar shows, None where it skips some (shown as …).

    A column of 8,000 entries has 400 pages: linking all of them from every page made
    each page 24 KB heavier and its navigation unusable with a screen reader.
    """
    shown = sorted({1, total, *range(max(1, number - PAGE_WINDOW), min(total, number + PAGE_WINDOW) + 1)})
    out: list[int | None] = []
    for i in shown:
        if out and i - (out[-1] or 0) > 1:
            out.append(None)
        out.append(i)
    return out


def newest_first(entries: list[Any]) -> list[Any]:
    return sorted(entries, key=lambda e: (e.date, e.metadata["index_no"]), reverse=True)




def public_base(settings: dict[str, Any]) -> str:
    """The absolute base URL feeds and the sitemap use (FEED_DOMAIN, else SITEURL)."""
    base = settings.get("FEED_DOMAIN") or settings.get("SITEURL") or ""
    if not base.startswith(("http://", "https://")):
        raise SettingsError("订阅源和 sitemap.xml 需要绝对网址：请在 pelicanconf.py 设置 FEED_DOMAIN "
                            f"或 SITEURL 为 http(s):// 开头的网址，当前为 {base!r}")
    return base.rstrip("/")


def absolute(base: str, url: str) -> str:
    return f"{base.rstrip('/')}/{url.lstrip('/')}"


def as_datetime(day: dt.date) -> dt.datetime:
    """Midnight of `day` in Beijing time (all public dates are Asia/Shanghai)."""
    return dt.datetime.combine(day, dt.time(), tzinfo=TIMEZONE)


def markup_safe_json(data: Any, indent: int | None = None) -> str:
    """JSON of `data` with < > & as \\u escapes: still the same JSON, but nothing in it can read
    as markup if a client ever puts a value into a page unescaped (search answers, open data)."""
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
