# xxgk front door. Every target installs what it needs on first use.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
HOST   ?= 127.0.0.1
STAMP  := $(VENV)/.installed

.PHONY: help install html publish serve test check new hooks clean

help:
	@echo "make serve   安装依赖、生成演示网站并在 http://localhost:$(PORT)/ 预览"
	@echo "make test    运行全部测试"
	@echo "make html    用 pelicanconf.py 生成网站到 output/"
	@echo "make publish 用 publishconf.py 生成正式发布的网站"
	@echo "make check   检查全部内容，不生成网站"
	@echo "make new     新建一条信息（COLUMN=tzgg TITLE=标题）"

$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "xxgk needs Python 3.11 or newer")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements.txt
	touch $(STAMP)

install: $(STAMP)

html: $(STAMP)
	$(PY) -m xxgk build

publish: $(STAMP)
	$(PY) -m xxgk build --publish

serve: $(STAMP)
	$(PY) -m xxgk serve --host $(HOST) --port $(PORT)

check: $(STAMP)
	$(PY) -m xxgk check

hooks: $(STAMP)
	$(VENV)/bin/pre-commit install

new: $(STAMP)
	$(PY) -m xxgk new $(if $(COLUMN),--column "$(COLUMN)") $(if $(TITLE),--title "$(TITLE)")

test: $(STAMP)
	$(PY) -m pytest

clean:
	rm -rf output .xxgk-builds .pytest_cache
