"""Run every check the build runs, without writing the site: for editors and pre-commit."""
from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pelican import Pelican, signals

from .build import _Recorder
from .errors import ContentError, Problem, XxgkError


@dataclass
class CheckReport:
    problems: list[Problem] = field(default_factory=list)      # errors and warnings, by file
    messages: list[str] = field(default_factory=list)          # warnings without a file
    pending: list[tuple[str, str]] = field(default_factory=list)  # (source, why not published)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def only(self, labels: set[str]) -> "CheckReport":
        """The report restricted to problems and pending entries of the named files."""
        return CheckReport([p for p in self.problems if p.path in labels], self.messages,
                           [item for item in self.pending if item[0] in labels])

    def by_file(self) -> dict[str, list[Problem]]:
        out: dict[str, list[Problem]] = defaultdict(list)
        for p in sorted(self.problems, key=lambda p: (p.path, p.line)):
            out[p.path].append(p)
        return dict(out)


def source_privacy(content: Path, label_root: Path, official_phones: list[str]) -> list[Problem]:
    """The PII guard over the sources (Markdown, attachments), with the line of each hit."""
    from plugins.pii_guard.detect import find, normalise_phones
    from plugins.pii_guard.scan import source_texts

    allowed = normalise_phones(official_phones)
    out = []
    for path, label, text, problem in source_texts(content, label_root):
        if text is None:
            if problem:
                out.append(Problem(label, 0, "隐私", f"无法读取该文件以检查个人信息（{problem}）"
                                   "（expected 能正常打开的文件：请重新导出后再提交，或人工确认其中没有个人信息）",
                                   severity="warning"))
            continue
        is_text = path.suffix.lower() in (".md", ".txt", ".csv", ".html")
        for hit in find(text, allowed):
            line = text.count("\n", 0, hit.start) + 1 if is_text else 0
            out.append(Problem(label, line, "隐私", f"发现{hit.kind} {hit.masked}（expected 删除或打码；"
                               "公民身份号码、手机号码、银行卡号不得公开）"))
    return out


def check(settings: dict[str, Any]) -> CheckReport:
    """Read and validate everything the build would, stopping before any output is written."""
    report = CheckReport()
    recorder = _Recorder()
    logging.getLogger().addHandler(recorder)
    try:
        pelican = Pelican(settings)
        # The context every generator shares, as Pelican.run() makes it.
        context = settings.copy()
        context.update(generated_content={}, static_links=set(), static_content={},
                       localsiteurl=settings["SITEURL"])
        generators = [cls(context=context, settings=settings, path=pelican.path, theme=pelican.theme,
                          output_path=pelican.output_path) for cls in pelican._get_generator_classes()]
        try:
            for g in generators:
                if hasattr(g, "generate_context"):
                    g.generate_context()
            signals.all_generators_finalized.send(generators)
        except ContentError as exc:
            report.problems += exc.problems
        content = Path(settings["PATH"])
        report.problems += source_privacy(content, content.parent,
                                          list(settings["XXGK_RESOLVED"]["OFFICIAL_PHONES"]))
    finally:
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
    return report
