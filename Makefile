# xxgk front door. Every target installs what it needs on first use.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
HOST   ?= 127.0.0.1
STAMP  := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: help install html publish serve test check new hooks clean browser-deps ocr-deps test-deps screenshots bench

help:
	@echo "make serve   安装依赖、生成演示网站并在 http://localhost:$(PORT)/ 预览"
	@echo "make test    运行全部测试"
	@echo "make html    用 pelicanconf.py 生成预览网站到 .xxgk-preview/output/（正式网站用 make publish）"
	@echo "make publish 用 publishconf.py 生成正式发布的网站"
	@echo "make check   检查全部内容，不生成网站"
	@echo "make new     新建一条信息（COLUMN=tzgg TITLE=标题）"
	@echo "make screenshots 生成主要页面的截图（docs/screenshots/）"
	@echo "make bench   构建与检索性能基准，写入 BENCHMARKS.md（SIZES=corpus,5000 REPEAT=1 快速运行）"

# The project itself, editable, with its pinned dependencies and test tools (pyproject.toml):
# the `xxgk` command is then .venv/bin/xxgk, and the code is imported from this checkout.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "xxgk needs Python 3.11 or newer")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

html: $(STAMP) ocr-deps
	$(VENV)/bin/xxgk build

publish: $(STAMP) ocr-deps
	$(VENV)/bin/xxgk build --publish

serve: $(STAMP) ocr-deps
	$(VENV)/bin/xxgk serve --host $(HOST) --port $(PORT)

check: $(STAMP) ocr-deps
	$(VENV)/bin/xxgk check

# The privacy guard reads images and scanned pages by OCR: Debian's tesseract-ocr with the
# chi_sim model (never a download).  Where it cannot be installed, previews warn about every
# image not read and make publish refuses (OCR_REQUIRED in publishconf.py); make test needs it.
OCR_OK = command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx chi_sim
ocr-deps:
	@$(OCR_OK) || { echo "Installing Debian's tesseract-ocr (chi_sim) for the privacy check of images"; \
		$(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		tesseract-ocr tesseract-ocr-chi-sim; } || echo "tesseract-ocr could not be installed: images will not be checked (make publish refuses)"

hooks: $(STAMP)
	$(VENV)/bin/pre-commit install

new: $(STAMP)
	$(VENV)/bin/xxgk new $(if $(COLUMN),--column "$(COLUMN)") $(if $(TITLE),--title "$(TITLE)")

# Browser tests need Debian's chromium (never a downloaded browser) and the
# npm packages axe-core and vnu-jar (Java runs vnu).
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

browser-deps: $(NODE_STAMP)
	@test -x /usr/bin/chromium || { echo "Installing Debian's chromium for the browser tests"; \
		$(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# Tests also draw Chinese text into images for OCR (fonts-wqy-microhei) and need OCR itself.
test-deps: ocr-deps
	@$(OCR_OK) || { echo "make test needs tesseract-ocr with chi_sim"; exit 1; }
	@test -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc || $(SUDO) DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq fonts-wqy-microhei

test: $(STAMP) browser-deps test-deps
	$(PY) -m pytest -n 2

# Screenshots of the key pages at 375 px and 1280 px for the README (needs CJK fonts to render text).
screenshots: $(STAMP) browser-deps
	@fc-list 2>/dev/null | grep -q "CJK" || $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk
	$(PY) -m scripts.screenshots   # from the checkout, so that it finds tests/browser/pages.py

clean:
	rm -rf output .xxgk-builds .xxgk-preview .pytest_cache

# Search quality and speed on a corpus (docs/search.md); CORPUS=<folder> SCALE=<documents>.
.PHONY: bench-search
bench-search: $(STAMP)
	$(PY) -m pip install --disable-pip-version-check -q -r bench/requirements.txt
	$(PY) -m bench.search_bench $(if $(CORPUS),--corpus $(CORPUS)) $(if $(SCALE),--scale $(SCALE))

# Build and search speed against bare Pelican, written to BENCHMARKS.md (docs/performance.md).
# SIZES=corpus,5000 (corpus = ../shared/corpus/laws; 1527 means the same) REPEAT=1 for a quick run.
# Benchmarks run as modules of the checkout (python -m bench.…): they use its demo settings and
# test helpers (tests/sitekit.py), which are not part of the installed project.
bench: $(STAMP)
	$(PY) -m pip install --disable-pip-version-check -q -r bench/requirements.txt
	$(PY) -m bench.build_bench $(if $(SIZES),--sizes $(SIZES)) $(if $(REPEAT),--repeat $(REPEAT))

# Load on the site service (issue 10): 8 clients × 60 s, steady and while rebuilds swap the site in;
# then the server set-ups side by side: search alone, while 8 clients flood the tracker, with 50
# slow clients (issue 16, bench/serve_bench.py).
.PHONY: bench-load
bench-load: $(STAMP)
	$(PY) -m pip install --disable-pip-version-check -q -r bench/requirements.txt
	$(PY) -m bench.load_bench --out bench/results/load.md
	$(PY) -m bench.serve_bench --out bench/results/serve.md
