"""A site whose every free-text field, file name, attachment title and settings name is hostile
markup, and a check that a parsed page carries no injected element or attribute."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from foundation.schema import COLUMNS_BY_KEY, fields_for
from tests.sitekit import ORG, Site, pdf_bytes

# Each closes a quote or a tag in its own way; the markers (XSS…) find them in pages.
PAYLOADS = (
    '<img src=x onerror=alert(1)>',
    '"><script>alert(2)</script>',
    "' onmouseover='alert(3)' x='",
    "javascript:alert(4)",
    "</script><script>alert(5)</script>",
    "<svg onload=alert(6)>",
    "]]></title><script>alert(7)</script>",
)
BODY = ("正文。\n\n<script>alert(11)</script>\n\n<img src=\"body.png\" onerror=alert(12)>\n\n"
        "[点这里](javascript:alert(13))\n\n<a href=\"javascript:alert(14)\" onclick=\"alert(15)\">链接</a>\n\n"
        '<iframe src="https://example.org"></iframe><form action="https://example.org"><input></form>\n')


def hostile(n: int, limit: int = 0) -> str:
    text = f"XSS{n} " + PAYLOADS[n % len(PAYLOADS)]
    return text[:limit] if limit else text


def free_text_fields(column: str) -> list[Any]:
    return [f for f in fields_for(column) if f.kind in ("text", "longtext", "list") and not f.choices
            and f.name not in ("party_name", "operator", "legal_rep", "credit_code", "withdrawal_reason")]


def build_hostile_site(root: Path) -> Site:
    """One entry per column and a page, every free-text field hostile; hostile attachment file
    names and titles; a hostile publisher and topic in the settings."""
    site = Site(root)
    counter = iter(range(1, 10_000))
    for serial, column in enumerate(COLUMNS_BY_KEY, 1):
        values: dict[str, Any] = {f.name: hostile(next(counter), f.max_length) for f in free_text_fields(column)}
        name = f'"><img src=x onerror=alert({serial})>{serial}.pdf'
        site.write(f"{column}/2024/files/{name}", pdf_bytes())
        values["attachments"] = [{"file": f"files/{name}", "title": hostile(next(counter))}]
        values["publisher"], values["topic"] = HOSTILE_PUBLISHER, HOSTILE_TOPIC
        if column == "xzcf":
            values["party_name"] = hostile(next(counter), 100)
        site.entry(column, serial=serial, body=BODY, **values)
    site.entry("xzcf", serial=8, title=hostile(next(counter)), withdrawn_date="2024-06-01",
               withdrawal_reason=hostile(next(counter)), body=BODY)  # the withdrawal notice page
    site.entry("zcwj", serial=9, title=hostile(next(counter)), policy_kind="政策解读", interprets=f"{ORG}/2024-00004",
               body=BODY)
    site.write("pages/zn.md", "---\ntitle: '政府信息公开指南 " + hostile(next(counter)).replace("'", "''")
               + "'\nslug: zn\nsection: 指南\ndate: 2024-01-01\n---\n" + BODY)
    return site


HOSTILE_PUBLISHER = 'XSSP <b onmouseover="alert(21)">办公室</b>'
HOSTILE_TOPIC = 'XSST\\<img src=x onerror=alert(22)>'


def hostile_settings(site: Site) -> dict[str, Any]:
    xxgk = dict(site.settings()["XXGK"])
    xxgk["PUBLISHERS"] = [*xxgk["PUBLISHERS"], (HOSTILE_PUBLISHER, "xssp")]
    xxgk["TOPICS"] = [*xxgk["TOPICS"], (HOSTILE_TOPIC, "xsst")]
    return {"XXGK": xxgk}


class Injected(HTMLParser):
    """Elements and attributes a page's own markup never has: script that is not the theme's,
    event handlers, javascript: URLs, the payloads' images and frames."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and not (values.get("src") or "").split("?")[0].endswith(".js"):
            self.found.append(f"<script> inline {attrs}")
        if tag in ("iframe", "frame", "object", "embed") or (tag == "form" and "example.org" in (values.get("action") or "")):
            self.found.append(f"<{tag}> {attrs}")
        if tag == "img" and values.get("src") == "x":
            self.found.append(f"<img src=x> {attrs}")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith(
                    "javascript:"):
                self.found.append(f"<{tag} {name}={value}>")


def injected(html: str) -> list[str]:
    parser = Injected()
    parser.feed(html)
    return parser.found
