"""The demo's pages the browser tests visit, and the screen widths they are seen at (a helper module, not tests)."""
from __future__ import annotations

# Debian's Chromium (never a downloaded browser), for the tests and scripts/screenshots.py.
CHROMIUM = "/usr/bin/chromium"
# Flags the sandbox here needs: no GPU, no background connections to Google's hosts.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic", "--disable-features=Translate,MediaRouter"]

WIDTHS = (375, 1280)

# Every page type the public meets, by the path it has in the demo (issue 8's list).
PAGE_TYPES = {
    "home": "/",
    "column-tzgg": "/tzgg/",
    "column-xzcf": "/xzcf/",
    "column-czyjs": "/czyjs/",
    "column-zcwj": "/zcwj/",
    "doc-tzgg-attachment": "/tzgg/2022-00005.html",
    "doc-xzcf": "/xzcf/2026-00013.html",
    "doc-czyjs-attachments": "/czyjs/2025-00004.html",
    "doc-zcwj": "/zcwj/2025-00002.html",
    "withdrawn": "/xzcf/2025-00016.html",
    "repealed": "/zcwj/2022-00003.html",
    "search-results": "/search?q=安全生产",
    "search-none": "/search?q=完全不存在的词语组合",
    "tracker": "/ysqgk/",
    "tracker-result": "/ysqgk/query?number=DJ-2026-0001&code=Y8MS-UA5C-AG",
    "reports": "/nb/",
    "annual-report": "/nb/2023.html",
    "guide": "/zn.html",
    "sitemap": "/wzdt.html",
}