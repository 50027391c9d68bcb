"""Screenshots of the key pages of the demo site at phone and desktop widths, for the README.

Builds the demo site into a temporary folder, serves it on loopback with the
same app as `make serve`, and drives Debian's Chromium with Playwright.
"""
from __future__ import annotations

import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from playwright.sync_api import sync_playwright  # noqa: E402
from waitress.server import create_server  # noqa: E402

from tests.browser.pages import ARGS, CHROMIUM  # noqa: E402
from xxgk.build import build, load_settings  # noqa: E402
from xxgk.serve import site_app  # noqa: E402

PAGES = {
    "home": "/",
    "column": "/zcwj/",
    "document": "/czyjs/2025-00004.html",
    "repealed": "/zcwj/2022-00003.html",
    "search": "/search?q=融资租赁",
    "tracker": "/ysqgk/query?number=DJ-2026-0001&code=Y8MS-UA5C-AG",
    "report": "/nb/2023.html",
}
WIDTHS = {"phone": 375, "desktop": 1280}


def main() -> None:
    out_dir = ROOT / "docs/screenshots"
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "output"
        build(load_settings(ROOT, output=site))
        server = create_server(site_app(site), host="127.0.0.1", port=0)
        threading.Thread(target=server.run, daemon=True).start()
        base = f"http://127.0.0.1:{server.effective_port}"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for label, width in WIDTHS.items():
                context = browser.new_context(viewport={"width": width, "height": 900 if width > 500 else 780},
                                              locale="zh-CN", device_scale_factor=1)
                page = context.new_page()
                for name, path in PAGES.items():
                    response = page.goto(base + path)
                    if response is None or response.status != 200:
                        print(f"skipped {name}: HTTP {response.status if response else '?'}")
                        continue
                    target = out_dir / f"{name}-{label}.png"
                    page.screenshot(path=str(target))
                    print(f"wrote {target.relative_to(ROOT)}")
                context.close()
            browser.close()
        server.close()


if __name__ == "__main__":
    main()
