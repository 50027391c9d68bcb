"""Build records for tests: real YAML files with real code hashes."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from foundation.requests import codes
from foundation.requests.records import Record, parse_record

D = dt.date


def record_yaml(number: str = "DJ-2026-0001", code: str = "ABCD-EFGH-JK", *, stored: str | None = None,
                channel: str = "网络", received: str = "2026-03-02", category: str = "自然人",
                subject: str = "申请公开2025年港区道路养护合同", events: list[dict[str, Any]] | None = None,
                **extra: Any) -> str:
    """The text of a record file (code_hash computed unless `stored` is given)."""
    values: dict[str, Any] = {
        "number": number, "code_hash": stored or codes.code_hash(number, code), "channel": channel,
        "received": received, "applicant_category": category, "subject": subject, **extra,
        "events": events or [],
    }
    return yaml.safe_dump(values, allow_unicode=True, sort_keys=False)


def write_record(folder: Path, number: str = "DJ-2026-0001", **kw: Any) -> Path:
    year = number.split("-")[1]
    path = folder / year / f"{number}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(record_yaml(number, **kw), encoding="utf-8")
    return path


# A code hash that is well-formed; records built with it need no 600 000 PBKDF2 rounds.
FAKE_HASH = f"{codes.SCHEME}${codes.ITERATIONS}${'ab' * 32}"


def make_record(received: dt.date, events: list[dict[str, Any]] | None = None, channel: str = "网络",
                number: str | None = None) -> Record:
    """A checked Record without touching the disk (fails the test on any problem)."""
    number = number or f"DJ-{received.year}-0001"
    text = record_yaml(number, stored=FAKE_HASH, channel=channel, received=received.isoformat(),
                       events=[{k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in e.items()}
                               for e in events or []])
    record, problems = parse_record(text, f"applications/{received.year}/{number}.yaml")
    assert record is not None, [str(p) for p in problems]
    return record
