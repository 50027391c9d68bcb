"""What one build knows while it runs, in one object instead of module globals.

Pelican hands the same settings dict to the Pelican object, the readers and every
generator, so the object travels in it under KEY: `of(settings)` is this build's
state wherever a plugin stands.  `xxgk.build` and `xxgk.check` start every build with
a fresh one (`fresh`), so two builds in one process (the preview server rebuilds
again and again) never see each other's problems, reads or jobs.

Who writes what, in signal order (docs/architecture.md):
- readers and the publication rules add `problems` (and `left_out`) while entries are
  read; plugins.content_schema reports them all at `all_generators_finalized`, where it
  also keeps the generators' shared `context` for the receivers of `finalized`;
- plugins.search starts the index as a background `job` at `all_generators_finalized`;
- at `finalized`, plugins.pii_guard asks for `foundation.signals.guarded_outputs`, which
  waits for those jobs, and scans everything; `xxgk.build` joins whatever job is left
  after Pelican returns (a site built without the guard).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from . import background
from .errors import Problem

KEY = "XXGK_BUILD"
log = logging.getLogger(__name__)


@dataclass
class BuildState:
    problems: list[Problem] = field(default_factory=list)
    # Entries left out of the site for errors: source label -> (索引号, line), so that the
    # cross-checks know the 索引号 is taken even though its entry is not published.
    left_out: dict[str, tuple[str, int]] = field(default_factory=dict)
    reads: Any = None                      # the cache of valid reads (plugins.content_schema)
    prefetched: dict[str, Any] | None = None  # reads done ahead by worker processes
    context: dict[str, Any] = field(default_factory=dict)  # the generators' shared context
    # Published file (relative to the output) -> the sources it is made from (the guard's attribution).
    sources: dict[str, list[Path]] = field(default_factory=dict)
    calendar: Any = None                   # the working-day calendar, loaded once per build
    jobs: dict[str, tuple[background.Job, Callable[[Any], None]]] = field(default_factory=dict)

    def start(self, name: str, work: Callable[[], Any], done: Callable[[Any], None]) -> None:
        """Run `work` beside Pelican (a child process); `done` gets its result when it is joined."""
        self.cancel(name)
        self.jobs[name] = (background.start(name, work), done)

    def join(self, name: str) -> None:
        """Wait for the job `name` if it runs (raising what it raised); a second call does nothing."""
        entry = self.jobs.pop(name, None)
        if entry is not None:
            job, done = entry
            done(job.result())

    def join_all(self) -> None:
        for name in list(self.jobs):
            self.join(name)

    def cancel(self, name: str | None = None) -> None:
        """Stop one job (or all) without waiting for its result: a build that failed or only checks."""
        for key in [name] if name else list(self.jobs):
            entry = self.jobs.pop(key, None) if key else None
            if entry is not None:
                entry[0].cancel()


def of(settings: dict[str, Any]) -> BuildState:
    """This build's state (made on first use for a build not started by xxgk, e.g. bare `pelican`)."""
    state = settings.get(KEY)
    if state is None:
        state = settings[KEY] = BuildState()
    return state


def fresh(settings: dict[str, Any]) -> dict[str, Any]:
    """The settings with a new, empty state: call once at the start of every build."""
    return {**settings, KEY: BuildState()}


__all__ = ["KEY", "BuildState", "fresh", "of"]
