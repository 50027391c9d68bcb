"""Query codes: generated for the applicant, stored only as a slow hash, and the tracker's file names.

The tracker must work on a plain static host, so a browser that knows only
the application number and the code has to find the status file by itself.
Hence the salt of the key derivation is derived from the number (unique per
record, so no table can be precomputed across records) and the KDF is one the
browser has (PBKDF2-HMAC-SHA256 in Web Crypto).  The record keeps the derived
key (`code_hash`); the public file name is one more SHA-256 of it, so the
output folder reveals neither the key nor the code.  Guessing a 50-bit code
through 600 000 PBKDF2 rounds per guess is out of reach.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
import unicodedata

# Digits and capitals without 0/O and 1/I, which people confuse when typing: 32 symbols, 5 bits each.
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 10                       # 50 bits (the issue asks for at least 40)
GROUPS = (4, 4, 2)                     # printed as ABCD-EFGH-JK
ITERATIONS = 600_000                   # PBKDF2-HMAC-SHA256 rounds (OWASP 2023); fixed: browsers use it too
SALT_PREFIX = "xxgk-ysqgk:"            # salt = prefix + normalised number
FILE_PREFIX = b"xxgk-ysqgk-file:"      # public file name = sha256(prefix + derived key)
ENC_PREFIX = b"xxgk-ysqgk-enc:"        # AES-256-GCM key of the status file = sha256(prefix + derived key)
SCHEME = "pbkdf2_sha256"
HASH_RE = re.compile(rf"{SCHEME}\$(?P<iterations>\d+)\$(?P<key>[0-9a-f]{{64}})")
NUMBER_RE = re.compile(r"(?P<prefix>[A-Z]{1,8})-(?P<year>\d{4})-(?P<serial>\d{4})")
_DASHES = dict.fromkeys(map(ord, "‐‑‒–—―−"), "-")


def new_code() -> str:
    """A random query code in groups people can read out and type, e.g. K7QM-X3PA-9D."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    out, i = [], 0
    for size in GROUPS:
        out.append(raw[i:i + size])
        i += size
    return "-".join(out)


def normalise_code(code: str) -> str:
    """Upper-case the code and drop separators, full-width forms and spaces."""
    text = unicodedata.normalize("NFKC", code).upper()
    return re.sub(r"[^0-9A-Z]", "", text)


def normalise_number(number: str) -> str:
    """The application number as recorded: DJ-2026-0007 (full-width forms and dashes accepted)."""
    text = unicodedata.normalize("NFKC", number).translate(_DASHES).upper()
    return re.sub(r"[^0-9A-Z-]", "", text)


def derive(number: str, code: str) -> str:
    """The derived key (hex) of a number and code: PBKDF2-HMAC-SHA256, salt from the number."""
    salt = (SALT_PREFIX + normalise_number(number)).encode()
    return hashlib.pbkdf2_hmac("sha256", normalise_code(code).encode(), salt, ITERATIONS).hex()


def code_hash(number: str, code: str) -> str:
    """The value a record stores instead of the code."""
    return f"{SCHEME}${ITERATIONS}${derive(number, code)}"


def hash_key(stored: str) -> str:
    """The derived key inside a stored code_hash (ValueError if malformed)."""
    m = HASH_RE.fullmatch(stored.strip())
    if not m or int(m["iterations"]) != ITERATIONS:
        raise ValueError(stored)
    return m["key"]


def verify(number: str, code: str, stored: str) -> bool:
    """Whether `code` is the query code of `number` (constant-time comparison)."""
    return hmac.compare_digest(code_hash(number, code), stored.strip())


def file_name(key_hex: str) -> str:
    """The public status file name (without .json) for a derived key."""
    return hashlib.sha256(FILE_PREFIX + bytes.fromhex(key_hex)).hexdigest()


def _enc_key(key_hex: str) -> bytes:
    return hashlib.sha256(ENC_PREFIX + bytes.fromhex(key_hex)).digest()


# Every status is padded to this many bytes (or a multiple, for one that is longer) before it is
# sealed: the size of a file says nothing of the application (an extension, pauses, notes).
STATUS_SIZE = 8192


def pad(plain: bytes) -> bytes:
    """JSON padded with spaces (which JSON ignores) to a multiple of STATUS_SIZE bytes."""
    return plain + b" " * (-len(plain) % STATUS_SIZE or (0 if plain else STATUS_SIZE))


def seal(key_hex: str, data: dict) -> dict:
    """Encrypt a status for publication: only someone holding the code can read it.

    Even where a host lists the status folder, the files reveal nothing: no
    number, no date, no status, and all have one size (STATUS_SIZE).  The nonce is derived from the plaintext
    (HMAC), so rebuilding the same status gives the same bytes, and two
    different statuses never share a nonce under one key.
    """
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    key = _enc_key(key_hex)
    plain = pad(json.dumps(data, ensure_ascii=False).encode())
    nonce = hmac.new(key, plain, hashlib.sha256).digest()[:12]
    sealed = AESGCM(key).encrypt(nonce, plain, None)
    return {"v": 1, "alg": "A256GCM", "iv": base64.b64encode(nonce).decode(),
            "data": base64.b64encode(sealed).decode()}


def unseal(key_hex: str, blob: dict) -> dict | None:
    """Decrypt a published status; None when the key does not open it."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        plain = AESGCM(_enc_key(key_hex)).decrypt(base64.b64decode(blob["iv"]), base64.b64decode(blob["data"]), None)
    except (InvalidTag, KeyError, ValueError, TypeError):
        return None
    return json.loads(plain)


def lookup_name(number: str, code: str) -> str:
    """The status file name for what a requester typed."""
    return file_name(derive(number, code))


__all__ = ["ALPHABET", "ITERATIONS", "NUMBER_RE", "SALT_PREFIX", "code_hash", "derive", "file_name", "hash_key",
           "lookup_name", "new_code", "normalise_code", "normalise_number", "seal", "unseal", "verify"]
