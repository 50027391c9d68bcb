"""PII guard: after every build, fail if any personal identifier reached the public output.

Every output file is read (readers/: pages, feeds, attachments in all their parts,
images by OCR), and so are the search index's stored fields and vocabulary and the
names of the output files.  Each hit is reported at its real source: the line of
the Markdown file, or the attachment with its page, sheet and cell or part — never
a build folder — with the identifier masked.  A published file the guard cannot
read fails the build too: a byte it cannot read is a byte it cannot promise about.
Runs last, after every file is written.  The same scan over the sources is
`make check`'s (source_problems).  Natural persons' names in penalty records are
checked by names.py while entries are read.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from pelican import signals

from foundation import build_state
from foundation import cache as caches
from foundation.errors import Problem, XxgkError
from foundation.privacy import readers
from foundation.privacy.detect import Hit, normalise_phones
from foundation.privacy.readers import ocr
from foundation.signals import GuardedOutput, guarded_outputs

from . import names
from .scan import FileScan, Located, Scanner, tree_files, unreadable


@dataclass(frozen=True)
class Finding:
    source: str                 # where it was written: content/…md:12, content/…pdf 第 2 页
    hit: Hit
    outputs: tuple[str, ...]    # the published files it appears in

    def __str__(self) -> str:
        shown = ""
        if self.outputs:
            more = f" 等 {len(self.outputs)} 个文件" if len(self.outputs) > 1 else ""
            shown = f"（公开后出现在 {self.outputs[0]}{more}）"
        return f"{self.source}: {self.hit.kind} {self.hit.masked}{shown}"


class PrivacyError(XxgkError):
    """Personal identifiers were found in the public output, or a file could not be checked."""

    def __init__(self, findings: list[Finding], unchecked: list[str] = ()):  # type: ignore[assignment]
        self.findings, self.unchecked = findings, list(unchecked)
        lines = []
        if findings:
            lines.append(f"隐私检查发现 {len(findings)} 处个人信息，网站不能发布：")
            lines += [f"  {f}" for f in findings]
            lines.append("请删除或打码后重新生成（身份证件号码、手机号码、银行卡号等不得公开，个人信息保护法 第二十八条）。")
        if self.unchecked:
            lines.append(f"有 {len(self.unchecked)} 个要发布的文件无法检查是否含有个人信息，网站不能发布：")
            lines += [f"  {u}" for u in self.unchecked]
        super().__init__("\n".join(lines))


SETTINGS_FILES = ("pelicanconf.py", "publishconf.py")


def open_cache(settings: dict[str, Any], allowed: frozenset[str]) -> caches.Cache:
    """Scan results by file content, kept across builds: an unchanged page or attachment is not read again."""
    # This plugin and the foundation's readers and detectors it scans with.
    code = caches.code_digest(caches.code_files(Path(__file__).parent, caches.FOUNDATION / "privacy"))
    fp = caches.fingerprint(code, caches.versions("pypdfium2", "pypdf", "defusedxml", "xlrd", "olefile", "pillow"),
                            ocr.engine(), sorted(allowed), repr(readers.Limits.of(settings["XXGK_RESOLVED"])))
    return caches.Cache(caches.cache_root(settings), "privacy", fp)


def scanner(settings: dict[str, Any] | None, allowed: frozenset[str]) -> Scanner:
    if settings is None:
        return Scanner(allowed)
    root = caches.cache_root(settings)
    return Scanner(allowed, open_cache(settings, allowed), root / "ocr" if root is not None else None,
                   readers.Limits.of(settings["XXGK_RESOLVED"]))


class Attribution:
    """Which source files a published file was made from, and where in them a hit is."""

    def __init__(self, content: Path, label_root: Path, own: dict[str, list[Path]], scan: Scanner):
        self.content, self.label_root, self.own, self.scan = content, label_root, own, scan
        self._all: dict[tuple[str, str], list[str]] | None = None

    def label(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.label_root.resolve()).as_posix()
        except ValueError:
            return path.name

    def _index(self, paths: list[Path]) -> dict[tuple[str, str], list[str]]:
        found: dict[tuple[str, str], list[str]] = defaultdict(list)
        paths = [p for p in paths if readers.readable(p.name)]
        for path, result in zip(paths, self.scan.scan(paths)):
            for located in result.found:
                found[(located.hit.kind, located.hit.value)].append(located.place(self.label(path)))
        return found

    def sources(self, output: str, hit: Hit) -> list[str]:
        """Where the hit of published file `output` was written: in the sources the file was
        made from, else anywhere in the content folder, else in the settings or templates."""
        key = (hit.kind, hit.value)
        places = self._index(self.own.get(output, [])).get(key)
        if places:
            return places
        if self._all is None:
            self._all = self._index(tree_files(self.content))
            root = self.label_root
            extra = [root / n for n in SETTINGS_FILES if (root / n).is_file()]
            extra += sorted((root / "theme").rglob("*.html")) if (root / "theme").is_dir() else []
            for k, v in self._index(extra).items():
                self._all.setdefault(k, v)
        return self._all.get(key) or [f"（来源未找到：由 {output} 生成，请检查站点设置和模板）"]


def guard(output: Path, content: Path, official_phones: list[str], settings: dict[str, Any] | None = None,
          own: dict[str, list[Path]] | None = None,
          elsewhere: Sequence[GuardedOutput] = ()) -> tuple[list[Finding], list[str], list[str]]:
    """Scan `output`: (findings at their sources, files that could not be checked, files with
    images no OCR read).  `own` maps a published file to the sources it was made from;
    `elsewhere` is what other plugins publish in forms a file scan cannot read (their
    folders are left out of the file scan and their texts scanned instead)."""
    allowed = normalise_phones(official_phones)
    scan = scanner(settings, allowed)
    own = own or {}
    paths = tree_files(output, skip={e.folder for e in elsewhere})
    rels = [p.relative_to(output).as_posix() for p in paths]
    hits: list[tuple[str, Located]] = []
    unchecked: list[str] = []
    unscanned: list[str] = []
    attribution = Attribution(content, content.parent, own, scan)

    def source_label(rel: str) -> str:
        mine = own.get(rel, [])
        return attribution.label(mine[0]) if len(mine) == 1 and not rel.endswith(".html") else rel

    for rel, result in zip(rels, scan.scan(paths)):
        hits += [(rel, located) for located in result.found]
        if result.problem:
            unchecked.append(unreadable(source_label(rel), result.problem))
        unscanned += [f"{source_label(rel)} {u}" for u in result.unscanned]
    hits += list(scan.texts([("文件名", "\n".join(rels))]))
    for other in elsewhere:
        hits += list(scan.texts(other.texts(output)))
    if scan.cache is not None:
        scan.cache.save()
    grouped: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    hit_of: dict[tuple[str, str, str], Hit] = {}
    for rel, located in hits:
        for place in attribution.sources(rel, located.hit):
            key = (place, located.hit.kind, located.hit.value)
            hit_of[key] = located.hit
            if rel not in grouped[key]:
                grouped[key].append(rel)
    findings = [Finding(k[0], hit_of[k], tuple(v)) for k, v in sorted(grouped.items())]
    return findings, unchecked, unscanned


def unscanned_message(unscanned: list[str]) -> str:
    return (f"{len(unscanned)} 处图像未做文字识别，无法确认其中没有个人信息（tesseract-ocr 未安装：运行 make ocr-deps 安装，"
            "make serve、make check 也会自动安装）：" + "；".join(unscanned))


def outputs_and_sources(generators: list[Any]) -> None:
    """Once every entry is read: which sources each published file is made from."""
    if not generators:
        return
    settings = generators[0].settings
    own: dict[str, list[Path]] = defaultdict(list)
    context = generators[0].context
    for entry in list(context.get("articles", [])) + list(context.get("pages", [])) \
            + list(context.get("hidden_articles", [])):
        page = getattr(entry, "save_as", "")
        source = Path(entry.source_path)
        own[page].append(source)
        for a in getattr(entry, "attachment_list", []):
            own[a.save_as].append(Path(a.source))
            own[page].append(Path(a.source))
    build_state.of(settings).sources = dict(own)


def check_build(pelican: Any) -> None:
    settings = pelican.settings
    resolved = settings["XXGK_RESOLVED"]
    findings, unchecked, unscanned = guard(Path(pelican.output_path), Path(settings["PATH"]),
                                           list(resolved["OFFICIAL_PHONES"]), settings,
                                           build_state.of(settings).sources,
                                           [out for _receiver, out in guarded_outputs.send(pelican) if out])
    if unscanned and resolved["OCR_REQUIRED"]:
        unchecked.append(unscanned_message(unscanned) + "（正式发布时必须识别：publishconf.py 的 OCR_REQUIRED）")
    elif unscanned:
        import logging

        logging.getLogger(__name__).warning("%s", unscanned_message(unscanned))
    if findings or unchecked:
        raise PrivacyError(findings, unchecked)


def source_problems(content: Path, label_root: Path, settings: dict[str, Any],
                    attached: Iterable[str] = ()) -> list[Problem]:
    """The guard over the sources (Markdown, attachments): every hit at its line or place, every
    attached file that cannot be checked (make check)."""
    resolved = settings["XXGK_RESOLVED"]
    scan = scanner(settings, normalise_phones(list(resolved["OFFICIAL_PHONES"])))
    paths = [p for p in tree_files(content) if readers.readable(p.name)]
    attached = {str(Path(a).resolve()) for a in attached}
    out = []
    for path, result in zip(paths, scan.scan(paths)):
        label = path.relative_to(label_root).as_posix()
        out += _problems(label, result, str(path.resolve()) in attached, resolved["OCR_REQUIRED"])
    if scan.cache is not None:
        scan.cache.save()
    return out


def _problems(label: str, result: FileScan, attached: bool, ocr_required: bool) -> list[Problem]:
    out = []
    for located in result.found:
        where = f"{located.where}：" if located.where else ""
        out.append(Problem(label, located.line, "隐私", f"{where}发现{located.hit.kind} {located.hit.masked}"
                           "（expected 删除或打码：身份证件号码、手机号码、银行卡号等不得公开）"))
    if result.problem:
        out.append(Problem(label, 0, "隐私", f"无法检查该文件是否含有个人信息：{result.problem}",
                           severity="error" if attached else "warning"))
    if result.unscanned:
        out.append(Problem(label, 0, "隐私", unscanned_message(list(result.unscanned)),
                           severity="error" if ocr_required and attached else "warning"))
    return out


def register() -> None:
    signals.article_generator_finalized.connect(names.check_entries)
    signals.all_generators_finalized.connect(outputs_and_sources)
    signals.finalized.connect(check_build)


__all__ = ["Finding", "PrivacyError", "guard", "source_problems"]
