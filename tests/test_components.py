"""Every theme component renders every one of its examples as valid HTML (GOV.UK Frontend's model).

A component is theme/templates/components/<name>.html holding one macro <name> with named
parameters, and <name>.yaml beside it listing examples: {name, params}.  The examples are the
fixtures: each is rendered with the build's Jinja settings (autoescape on, pelicanconf's
JINJA_ENVIRONMENT) inside a minimal page, then checked by html5lib in strict mode and, where
Java and node_modules/vnu-jar are installed (`make test`), by the Nu HTML Checker.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import html5lib
import pytest
import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from foundation.markup import sanitised
from tests.sitekit import VNU, vnu_errors

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "theme/templates"
COMPONENTS = TEMPLATES / "components"
PAGE = ('<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>{name}</title></head>'
        "<body><main>{open}{body}{close}</main></body></html>\n")


def components(folder: Path = COMPONENTS) -> list[str]:
    return sorted(p.stem for p in folder.glob("*.html"))


def examples(name: str, folder: Path = COMPONENTS) -> tuple[str, list[dict[str, Any]]]:
    """The component's wrapper element ('' for none) and its examples; a component without any fails."""
    path = folder / f"{name}.yaml"
    if not path.is_file():
        raise AssertionError(f"component {name} has no examples: add {path.relative_to(folder.parent)}")
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    found = data.get("examples") or []
    if not found or not all(isinstance(e, dict) and e.get("name") and "params" in e for e in found):
        raise AssertionError(f"{path.name}: expected a list `examples` of {{name, params}}")
    return data.get("wrapper", ""), found


def environment(folder: Path = TEMPLATES) -> Environment:
    """The build's Jinja settings (pelicanconf.JINJA_ENVIRONMENT), but a missing parameter is an error."""
    settings: dict[str, Any] = {}
    exec((ROOT / "pelicanconf.py").read_text(encoding="utf-8"), {"__file__": str(ROOT / "pelicanconf.py")}, settings)
    jinja = dict(settings["JINJA_ENVIRONMENT"])
    assert jinja.get("autoescape") is True
    env = Environment(loader=FileSystemLoader(str(folder)), undefined=StrictUndefined, **jinja)
    env.filters["sanitised"] = sanitised
    return env


class Obj(dict):
    """A fixture mapping read as the view-model object it stands for (Chart, Link, …): attributes
    first, so that a key such as `values` is not taken for dict.values."""

    def __getattribute__(self, name: str) -> Any:
        if not name.startswith("__") and name in self:
            return self[name]
        return super().__getattribute__(name)


def as_objects(value: Any) -> Any:
    if isinstance(value, dict):
        return Obj({k: as_objects(v) for k, v in value.items()})
    if isinstance(value, list):
        return [as_objects(v) for v in value]
    return value


def render(env: Environment, name: str, params: dict[str, Any], wrapper: str = "") -> str:
    # *_html parameters arrive as markup already escaped by their producer (the search service).
    params = {k: Markup(v) if k.endswith("_html") else as_objects(v) for k, v in params.items()}
    macro = getattr(env.get_template(f"components/{name}.html").module, name)
    body = macro(**params)
    return PAGE.format(name=name, body=body, open=f"<{wrapper}>" if wrapper else "",
                       close=f"</{wrapper}>" if wrapper else "")


CASES = [(name, e["name"]) for name in components() for e in examples(name)[1]]


def test_every_component_has_examples() -> None:
    required = {"metadata_box", "listing_table", "pagination", "facets", "validity_notice",
                "attachment_list", "search_result"}
    assert required <= set(components())
    for name in components():
        assert examples(name)[1], name


def test_a_component_without_examples_fails(tmp_path: Path) -> None:
    (tmp_path / "lonely.html").write_text("{% macro lonely() %}<p>x</p>{% endmacro %}", encoding="utf-8")
    with pytest.raises(AssertionError, match="lonely has no examples"):
        examples("lonely", tmp_path)
    (tmp_path / "lonely.yaml").write_text("examples: []\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="expected a list"):
        examples("lonely", tmp_path)


@pytest.mark.parametrize(("name", "example"), CASES)
def test_example_renders_valid_html(name: str, example: str) -> None:
    wrapper, found = examples(name)
    params = next(e["params"] for e in found if e["name"] == example)
    html = render(environment(), name, params, wrapper)
    parser = html5lib.HTMLParser(strict=True)
    parser.parse(html)   # raises ParseError on the first error
    assert "<script>" not in html   # autoescape is on: a fixture's markup stays text


def test_examples_pass_the_nu_html_checker(tmp_path: Path) -> None:
    if not VNU.is_file() or not shutil.which("java"):
        if os.environ.get("CI") == "true":
            pytest.fail("vnu.jar or java missing: `make test` runs npm ci; Java is on the machine")
        pytest.skip("vnu.jar or java missing (run `make test`)")
    env = environment()
    pages = []
    for name in components():
        wrapper, found = examples(name)
        for n, e in enumerate(found):
            path = tmp_path / f"{name}-{n}.html"
            path.write_text(render(env, name, e["params"], wrapper), encoding="utf-8")
            pages.append(str(path))
    errors = vnu_errors(pages, "/", 300)
    assert errors == []


def test_components_take_siteurl_as_a_parameter() -> None:
    """Imported without context, a component must never read SITEURL from the page."""
    for name in components():
        assert "SITEURL" not in (COMPONENTS / f"{name}.html").read_text(encoding="utf-8"), name
