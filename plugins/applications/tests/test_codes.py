"""Query codes: typeable, at least 40 bits, stored only as a slow hash; file names from number + code."""
from __future__ import annotations

import math
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from foundation.requests import codes


def test_code_format_and_entropy() -> None:
    code = codes.new_code()
    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{2}", code)
    assert not set("01IO") & set(codes.ALPHABET) and len(set(codes.ALPHABET)) == 32
    assert codes.CODE_LENGTH * math.log2(len(codes.ALPHABET)) >= 40
    assert len({codes.new_code() for _ in range(200)}) == 200


def test_typing_variants_lead_to_the_same_file() -> None:
    name = codes.lookup_name("DJ-2026-0007", "K7QM-X3PA-9D")
    assert codes.lookup_name("dj－2026–0007 ", "k7qm x3pa 9d") == name   # full-width and en dashes, spaces
    assert codes.lookup_name("ＤＪ-2026-0007", "K7QMX3PA9D") == name       # full-width letters, no hyphens
    assert codes.lookup_name("DJ-2026-0008", "K7QM-X3PA-9D") != name       # the salt is per record
    assert codes.lookup_name("DJ-2026-0007", "K7QM-X3PA-9E") != name


def test_stored_hash_is_slow_salted_and_verifies() -> None:
    stored = codes.code_hash("DJ-2026-0007", "K7QM-X3PA-9D")
    assert stored.startswith("pbkdf2_sha256$600000$") and "K7QM" not in stored
    assert codes.verify("DJ-2026-0007", "k7qm-x3pa-9d", stored)
    assert not codes.verify("DJ-2026-0007", "K7QM-X3PA-9E", stored)
    # The public name is one more hash away: the output folder does not reveal what the record stores.
    assert codes.file_name(codes.hash_key(stored)) == codes.lookup_name("DJ-2026-0007", "K7QM-X3PA-9D")
    assert codes.hash_key(stored) not in codes.lookup_name("DJ-2026-0007", "K7QM-X3PA-9D")


@settings(max_examples=200)
@given(st.text(max_size=20))
def test_normalised_forms_are_plain_ascii(text: str) -> None:
    assert re.fullmatch(r"[0-9A-Z]*", codes.normalise_code(text))
    assert re.fullmatch(r"[0-9A-Z-]*", codes.normalise_number(text))
    assert codes.normalise_code(codes.normalise_code(text)) == codes.normalise_code(text)


def test_sealed_statuses_have_one_size_whatever_they_hold() -> None:
    from foundation.requests import codes

    key = "ab" * 32
    small = codes.seal(key, {"status": "办理中"})
    large = codes.seal(key, {"status": "已答复", "notes": ["延长答复期限 20 个工作日"] * 60})
    assert len(small["data"]) == len(large["data"]) == len(codes.seal(key, {"notes": ["x" * 3000]})["data"])
    assert codes.unseal(key, large)["notes"][0].startswith("延长")


def test_the_demo_status_folder_reveals_no_size(demo_output) -> None:  # noqa: ANN001 - pytest fixture
    from plugins.applications import public

    sizes = {p.stat().st_size for p in (demo_output / public.STATUS_DIR).glob("*.json")}
    assert len(sizes) == 1, sizes
