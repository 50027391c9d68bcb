"""Content schema plugin: reads entries, validates them, and fails the build on any problem."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from jinja2 import FileSystemBytecodeCache
from pelican import signals

from foundation import cache as caches

from foundation import build_state
from foundation.errors import ContentError, Problem
from foundation.markup import sanitised
from foundation.settings import check_build_settings, resolve

from . import reader
from .crosscheck import check_site, links_out

log = logging.getLogger(__name__)


def resolve_settings(pelican: Any) -> None:
    """Validate the XXGK settings once per build and open the cache of reads."""
    check_build_settings(pelican.settings)
    pelican.settings["XXGK_RESOLVED"] = resolve(pelican.settings.get("XXGK"))
    reader.start_cache(pelican.settings)


def add_reader(readers: Any) -> None:
    readers.reader_classes["md"] = reader.EntryReader


def report(generators: list[Any]) -> None:
    """After every file is read: run the cross-file checks and fail on any error.  Keeps the
    generators' shared context in the build state for the receivers of `finalized`."""
    if not generators:
        return
    settings = generators[0].settings
    state = build_state.of(settings)
    state.context = generators[0].context
    reader.save_cache(settings)  # valid reads only: whatever is reported below is read again next time
    problems: list[Problem] = list(state.problems)
    problems += check_site(generators, state.left_out)
    problems += links_out(Path(settings["PATH"]))
    errors = [p for p in problems if p.severity == "error"]
    for warning in sorted(p for p in problems if p.severity != "error"):
        log.warning("%s", warning)
    if errors:
        raise ContentError(errors)


def escaping_templates(generator: Any) -> None:
    """Every template escapes what it prints (whatever JINJA_ENVIRONMENT says): front matter
    and file names are text; only an entry's sanitised body is HTML (foundation.markup.sanitised)."""
    env = getattr(generator, "env", None)
    if env is not None:
        env.autoescape = True
        env.filters["sanitised"] = sanitised
        # Every generator has an environment of its own and each compiles the templates it
        # uses, in every build (about 150 compilations): compiled templates are kept in the
        # cache folder, by name and source checksum (an edited template is compiled again).
        folder = caches.cache_root(generator.settings)
        if folder is not None:
            (folder / "jinja").mkdir(parents=True, exist_ok=True)
            env.bytecode_cache = FileSystemBytecodeCache(str(folder / "jinja"))


def register() -> None:
    signals.initialized.connect(resolve_settings)
    signals.generator_init.connect(escaping_templates)
    signals.readers_init.connect(add_reader)
    signals.all_generators_finalized.connect(report)
