"""Text in images by OCR: Debian's tesseract-ocr with the chi_sim model, results kept by digest.

Scanned penalty decisions and photographed lists are common attachments; their text
is only in their pixels.  OCR takes seconds a page, so each result is kept in a
folder of files named by the digest of the image and the engine's version (files,
not the SQLite caches, because worker processes write them): an image is read once,
whatever else changes.  Without tesseract, images are reported as not scanned.
"""
from __future__ import annotations

import functools
import hashlib
import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any, Callable

LANGUAGES = "chi_sim+eng"
TIMEOUT = 180  # seconds for one image
SMALL = 800  # pixels: an image smaller than this across is enlarged


@functools.cache
def engine() -> str:
    """The tesseract version when it is installed with the chi_sim model, else ''."""
    path = shutil.which("tesseract")
    if path is None:
        return ""
    try:
        langs = subprocess.run([path, "--list-langs"], capture_output=True, text=True, timeout=30).stdout.split()
        version = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return ""
    if "chi_sim" not in langs:
        return ""
    return version.splitlines()[0].strip() if version else "tesseract"


def available() -> bool:
    return bool(engine())


def prepare(image: Any) -> bytes:
    """A PIL image as the PNG tesseract reads best: greyscale, small images enlarged."""
    from PIL import Image

    image = image.convert("L")
    # Small images (a photo of a line, a thumbnail) are doubled: tesseract reads characters
    # best at 20–40 pixels high, and misreads larger ones as badly as smaller.
    if max(image.width, image.height) < SMALL:
        image = image.resize((image.width * 2, image.height * 2), Image.LANCZOS)
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=False)
    return buf.getvalue()


def read(key: bytes, png: Callable[[], bytes], cache: Path | None) -> str:
    """The text of an image: kept under `key` (a digest of what the image is made from, so a
    kept result needs no rendering), else PNG bytes from `png()` read by tesseract; raise
    OSError when tesseract is missing or fails."""
    version = engine()
    if not version:
        raise OSError("tesseract-ocr 未安装")
    digest = hashlib.sha256(version.encode() + LANGUAGES.encode() + b"\0" + key).hexdigest()
    kept = cache / digest[:2] / f"{digest}.txt" if cache is not None else None
    if kept is not None and kept.is_file():
        return kept.read_text(encoding="utf-8")
    # One thread each: the scan already runs one worker per core.
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    done = subprocess.run([shutil.which("tesseract") or "tesseract", "stdin", "stdout", "-l", LANGUAGES],
                          input=png(), capture_output=True, timeout=TIMEOUT, env=env)
    if done.returncode != 0:
        raise OSError(done.stderr.decode("utf-8", "replace").strip() or f"tesseract 退出码 {done.returncode}")
    text = done.stdout.decode("utf-8", "replace")
    if kept is not None:
        kept.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=kept.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, kept)  # another worker may write the same result: either is whole
    return text
