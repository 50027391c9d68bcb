"""PII guard: after every build, fail if any personal identifier reached the public output.

Scans all output (HTML, XML, JSON, text inside PDF and XLSX attachments, and
the search index's stored fields) and reports each hit with the source file
it came from and a masked form of the match.  Official phone numbers of the
office (OFFICIAL_PHONES) are allowed.  Runs last, after every file is written.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from pelican import signals

from xxgk import cache as caches
from xxgk.errors import XxgkError

from .detect import normalise_phones
from .scan import Finding, SourceIndex, scan_files, scan_texts


class PrivacyError(XxgkError):
    """Personal identifiers were found in the public output."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        lines = "\n".join(f"  {f}" for f in findings)
        super().__init__(f"隐私检查发现 {len(findings)} 处个人信息，网站不能发布：\n{lines}\n"
                         "请删除或打码后重新生成（公民身份号码、手机号码、银行卡号不得公开）。")


# Other plugins register functions yielding (where, text) for data they keep
# outside plain files (the search index's stored fields).
EXTRA_TEXTS: list[Any] = []
# Top-level output folders whose content such a provider yields (plugins.search publishes
# `_search/` from its own process and yields its files once they are complete).
CLAIMED_FOLDERS: set[str] = set()


def open_cache(settings: dict[str, Any], allowed: frozenset[str]) -> caches.Cache:
    """Scan results by file content, kept across builds: an unchanged page or attachment is not read again."""
    code = caches.code_digest(Path(__file__).resolve().parent.glob("*.py"))
    fp = caches.fingerprint(code, caches.versions("pypdfium2", "openpyxl"), sorted(allowed))
    return caches.Cache(caches.cache_root(settings), "privacy", fp)


def guard(output: Path, content: Path, official_phones: list[str],
          settings: dict[str, Any] | None = None) -> list[Finding]:
    """Scan `output`; return every finding with its source file (with `settings`, through the scan cache)."""
    allowed = normalise_phones(official_phones)
    cache = open_cache(settings, allowed) if settings is not None else None
    hits: list[tuple[str, Any]] = list(scan_files(output, allowed, cache, skip=CLAIMED_FOLDERS))
    for provider in EXTRA_TEXTS:
        hits += list(scan_texts(provider(output), allowed, cache))
    if cache is not None:
        cache.save()
    if not hits:
        return []
    sources = SourceIndex(content, content.parent)
    return [Finding(where, sources.source_of(hit), hit) for where, hit in hits]


def check_build(pelican: Any) -> None:
    settings = pelican.settings
    findings = guard(Path(pelican.output_path), Path(settings["PATH"]),
                     list(settings["XXGK_RESOLVED"]["OFFICIAL_PHONES"]), settings)
    if findings:
        raise PrivacyError(findings)


def register() -> None:
    signals.finalized.connect(check_build)


__all__ = ["CLAIMED_FOLDERS", "EXTRA_TEXTS", "PrivacyError", "guard"]
