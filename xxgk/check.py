"""Run every check the build runs, without writing the site: for editors and pre-commit."""
from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from pelican import Pelican, signals
from pelican.generators import ArticlesGenerator, PagesGenerator, StaticGenerator

from foundation import build_state

from .build import LogRecorder
from foundation.errors import ContentError, Problem, XxgkError


@dataclass
class CheckReport:
    problems: list[Problem] = field(default_factory=list)      # errors and warnings, by file
    messages: list[str] = field(default_factory=list)          # warnings without a file
    pending: list[tuple[str, str]] = field(default_factory=list)  # (source, why not published)
    changes: list[tuple[str, str]] = field(default_factory=list)  # (source, what changes by itself, when)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def only(self, labels: set[str]) -> "CheckReport":
        """The report restricted to problems and pending entries of the named files."""
        return CheckReport([p for p in self.problems if p.path in labels], self.messages,
                           [item for item in self.pending if item[0] in labels],
                           [item for item in self.changes if item[0] in labels])

    def by_file(self) -> dict[str, list[Problem]]:
        out: dict[str, list[Problem]] = defaultdict(list)
        for p in sorted(self.problems, key=lambda p: (p.path, p.line)):
            out[p.path].append(p)
        return dict(out)


def source_privacy(settings: dict[str, Any], context: dict[str, Any]) -> list[Problem]:
    """The PII guard over the sources (Markdown, attachments), with the line or place of each hit;
    an attached file that cannot be checked is an error, any other a warning."""
    from plugins.pii_guard import source_problems

    entries = [e for key in ("articles", "drafts", "hidden_articles") for e in context.get(key, [])]
    attached = [a.source for e in entries for a in getattr(e, "attachment_list", [])]
    content = Path(settings["PATH"])
    return source_problems(content, content.parent, settings, attached)


def generator_classes(pelican: Pelican) -> list[type]:
    """The generators of a build, found as Pelican.run() finds them: its own, then the plugins'
    through the public get_generators signal, the static files last."""
    classes: list[type] = [ArticlesGenerator, PagesGenerator]
    for _receiver, values in signals.get_generators.send(pelican):
        classes += [v for v in (values if isinstance(values, Iterable) else (values,)) if isinstance(v, type)]
    return [*classes, StaticGenerator]


def check(settings: dict[str, Any]) -> CheckReport:
    """Read and validate everything the build would, stopping before any output is written."""
    report = CheckReport()
    settings = build_state.fresh(settings)
    recorder = LogRecorder()
    logging.getLogger().addHandler(recorder)
    try:
        pelican = Pelican(settings)
        # The context every generator shares, as Pelican.run() makes it.
        context = settings.copy()
        context.update(generated_content={}, static_links=set(), static_content={},
                       localsiteurl=settings["SITEURL"])
        generators = [cls(context=context, settings=settings, path=pelican.path, theme=pelican.theme,
                          output_path=pelican.output_path) for cls in generator_classes(pelican)]
        try:
            for g in generators:
                if hasattr(g, "generate_context"):
                    g.generate_context()
            signals.all_generators_finalized.send(generators)
        except ContentError as exc:
            report.problems += exc.problems
        report.problems += source_privacy(settings, context)
    finally:
        build_state.of(settings).cancel()  # a check writes nothing: not the search index either
        logging.getLogger().removeHandler(recorder)
    for record in recorder.records:
        message = record.getMessage()
        if record.levelno >= logging.ERROR:
            raise XxgkError(f"检查时出现错误：{message}")
        if record.args and isinstance(record.args, tuple) and isinstance(record.args[0], Problem):
            report.problems.append(record.args[0])
        else:
            report.messages.append(message)
    for entry in context.get("UNPUBLISHED", []):
        report.pending.append((entry.metadata["source_label"], entry.metadata["unpublished"]))
    report.changes += context.get("SCHEDULED_CHANGES", [])
    return report
