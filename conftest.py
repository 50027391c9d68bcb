"""Shared pytest fixtures: throwaway sites and one build of the demo site per session."""
from __future__ import annotations

from pathlib import Path

import os

import pytest
from hypothesis import settings as hypothesis_settings

# CI runs each property test on the same examples every time (a failure there is reproducible
# and never a flake); elsewhere every run draws new ones.
hypothesis_settings.register_profile("ci", derandomize=True)
if os.environ.get("CI") == "true":
    hypothesis_settings.load_profile("ci")

from tests.sitekit import DEMO_TODAY, ROOT, Site
from xxgk.build import build, load_settings


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return Site(tmp_path)


@pytest.fixture(scope="session")
def demo_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo site of content/, built once with pelicanconf.py on a fixed today."""
    out = tmp_path_factory.mktemp("demo") / "output"
    conf = load_settings(ROOT, output=out)
    build(load_settings(ROOT, output=out, overrides={"XXGK": {**conf["XXGK"], "TODAY": DEMO_TODAY}}))
    return out


@pytest.fixture(scope="session")
def hostile_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site whose every free-text field, file name and settings name is hostile markup (tests/hostile.py)."""
    from tests.hostile import build_hostile_site, hostile_settings

    site = build_hostile_site(tmp_path_factory.mktemp("hostile"))
    site.build(**hostile_settings(site))
    return site.output
