"""Open data: the 政府信息公开目录 (条例 第十二条) as machine-readable files beside the pages.

Every published entry — exactly the entries of the listings: drafts, scheduled entries,
withdrawn penalties and penalties past their publicity period are not published articles
(plugins.publication) and so are in no file here — is one record with the fields its public
page shows (penalties with natural persons' names already masked), its URL, its column, its
attachments' URLs, types and sizes.  Written under data/:

    catalogue.json, catalogue.csv          every column
    <column>.json, <column>.csv             one column
    catalogue.schema.json                   JSON Schema of the JSON files (opendata.schema)
    dcat.jsonld                             the dataset in DCAT (JSON-LD): publisher, licence,
                                            update date, every distribution
    openapi.json                            OpenAPI description of /search.json and the tracker

and one `<page>.json` beside each entry's page.  CSV is UTF-8 with a byte-order mark, so that
Excel opens it in Chinese, with the fields' Chinese labels as its header.  Files whose bytes
did not change are links to the previous build's (foundation.outputs.place_bytes), like pages;
the PII guard reads these files as it reads every output.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from pelican import signals
from pelican.generators import Generator

from foundation.display import absolute, markup_safe_json, newest_first, public_base
from foundation.outputs import OPEN_DATA_DIR, place_bytes, previous_output
from foundation.schema import COLUMNS, COLUMNS_BY_KEY
from foundation.signals import service_descriptions

from . import describe
from .schema import (ATTACHMENTS_LABEL, RECORD_KEYS, catalogue_fields, catalogue_schema, cell, csv_value,
                     json_value, public_fields)

DATA_DIR = OPEN_DATA_DIR
CATALOGUE = "catalogue"


def data_path(save_as: str) -> str:
    """Where an entry's own record is written: beside its page, .json for .html."""
    return save_as[:-len(".html")] + ".json" if save_as.endswith(".html") else save_as + ".json"


def href(base: str, path: str) -> str:
    """An absolute URL with its path percent-encoded (a path already encoded stays as it is)."""
    return absolute(base, quote(path, safe="/%"))


def record(entry: Any, base: str, by_index: dict[str, Any]) -> dict[str, Any]:
    """One entry's record: its public fields (None when empty), then where it is."""
    meta = entry.metadata
    out: dict[str, Any] = {}
    for f in public_fields(meta["column"]):
        out[f.name] = json_value(meta.get(f.name), f)
        if f.kind == "ref":
            target = by_index.get(meta.get(f.name) or "")
            out[f"{f.name}_url"] = href(base, target.url) if target is not None else None
    out["column"] = meta["column"]
    out["url"] = href(base, entry.url)
    out["column_name"] = COLUMNS_BY_KEY[meta["column"]].name
    out["data_url"] = href(base, data_path(entry.save_as))
    out["attachments"] = [{"title": a.title, "url": href(base, a.url), "media_type": a.mime, "size": a.size}
                          for a in getattr(entry, "attachment_list", [])]
    return out


def _csv_row(row: dict[str, Any], entry: Any, fields: tuple[Any, ...], refs: list[Any]) -> list[str]:
    # A record holds exactly its column's public fields: the others are empty cells.
    cells = [csv_value(entry.metadata.get(f.name), f) if f.name in row else "" for f in fields]
    cells += [row.get(f"{f.name}_url") or "" for f in refs]
    cells += [row[key] for key, _label in RECORD_KEYS]
    return cells + [cell("；".join(a["title"] for a in row["attachments"])),
                    " ".join(a["url"] for a in row["attachments"])]


def csv_bytes(rows: list[dict[str, Any]], entries: list[Any], column: str | None) -> bytes:
    """A CSV table of records: one column per public field (the whole catalogue: of every
    column), headed by its Chinese label; UTF-8 with BOM, CRLF line ends (what Excel reads)."""
    fields = catalogue_fields() if column is None else public_fields(column)
    refs = [f for f in fields if f.kind == "ref"]
    header = ([f.label for f in fields] + [f"{f.label}网址" for f in refs]
              + [label for _key, label in RECORD_KEYS] + [f"{ATTACHMENTS_LABEL}名称", f"{ATTACHMENTS_LABEL}网址"])
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(_csv_row(row, entry, fields, refs) for row, entry in zip(rows, entries))
    return buffer.getvalue().encode("utf-8-sig")


def json_bytes(data: Any) -> bytes:
    return (markup_safe_json(data, indent=1) + "\n").encode("utf-8")


class OpenDataGenerator(Generator):
    """Write data/ and each entry's record (after the other generators have read every entry)."""

    def generate_context(self) -> None:
        # What the templates link (macros.open_data): the folder, the schema and the description.
        self.context["OPEN_DATA"] = {"dir": DATA_DIR, "dcat": f"{DATA_DIR}/{describe.DCAT}",
                                     "schema": f"{DATA_DIR}/{describe.SCHEMA}"}

    def generate_output(self, writer: Any) -> None:
        for rel, data in files(self.context, self.settings):
            self._place(rel, data)

    def _place(self, rel: str, data: bytes) -> None:
        previous = previous_output(self.settings)
        place_bytes(Path(self.output_path) / rel, data, previous / rel if previous else None)


def last_changed(previous: Path | None, head: dict[str, Any], rows: list[dict[str, Any]], today: str) -> str:
    """The day the catalogue last changed: the previous build's date while its title, publisher
    and records are the same (so that an unchanged catalogue is the same file, and harvesters
    polling dct:modified see a change exactly when there is one: an edit, a withdrawal), else
    the build's today.  A build with no previous one to compare with (a first or cold build)
    dates the catalogue today."""
    try:
        old = json.loads((previous / DATA_DIR / f"{CATALOGUE}.json").read_text(encoding="utf-8")) if previous else None
    except (OSError, ValueError):
        old = None
    same = isinstance(old, dict) and {k: old.get(k) for k in ("title", "publisher", "entries")} == json.loads(
        markup_safe_json({**head, "entries": rows}))
    return str(old["modified"]) if same and isinstance(old, dict) and old.get("modified") else today


def files(context: dict[str, Any], settings: dict[str, Any]) -> list[tuple[str, bytes]]:
    """Every open-data file of a build: (path under the output, bytes)."""
    resolved = settings["XXGK_RESOLVED"]
    base = public_base(settings)
    entries = newest_first(list(context.get("articles", [])))
    by_index = {e.metadata["index_no"]: e for e in entries}
    rows = [record(e, base, by_index) for e in entries]
    head = {"title": f"{resolved['ORG_NAME']}政府信息公开目录", "publisher": resolved["ORG_NAME"]}
    modified = last_changed(previous_output(settings), head, rows, resolved["TODAY"].isoformat())
    head["modified"] = modified
    out: list[tuple[str, bytes]] = [(data_path(e.save_as), json_bytes(r)) for e, r in zip(entries, rows)]

    def table(name: str, column: str | None, members: list[int]) -> None:
        labels = {f.name: f.label for f in (catalogue_fields() if column is None else public_fields(column))}
        body = {**head, **({"column": column} if column else {}), "count": len(members), "fields": labels,
                "entries": [rows[i] for i in members]}
        out.append((f"{DATA_DIR}/{name}.json", json_bytes(body)))
        out.append((f"{DATA_DIR}/{name}.csv", csv_bytes([rows[i] for i in members], [entries[i] for i in members],
                                                        column)))

    members = {c.key: [i for i, e in enumerate(entries) if e.metadata["column"] == c.key] for c in COLUMNS}
    table(CATALOGUE, None, list(range(len(entries))))
    for c in COLUMNS:
        table(c.key, c.key, members[c.key])
    out.append((f"{DATA_DIR}/{describe.SCHEMA}", json_bytes(catalogue_schema(resolved, base))))
    out.append((f"{DATA_DIR}/{describe.DCAT}", json_bytes(describe.dcat(
        resolved, base, modified, [(c.key, c.name, len(members[c.key])) for c in COLUMNS]))))
    parts = [part for _receiver, part in service_descriptions.send(settings) if part]
    out.append((f"{DATA_DIR}/{describe.OPENAPI}", json_bytes(describe.openapi(resolved, base, parts))))
    return out


def get_generators(pelican: Any) -> type[OpenDataGenerator]:
    return OpenDataGenerator


def register() -> None:
    signals.get_generators.connect(get_generators)
