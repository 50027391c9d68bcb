"""Images: their text by OCR, and the text in their metadata (EXIF, PNG text chunks, XMP, comments)."""
from __future__ import annotations

import functools
import hashlib
import io
from typing import Any, Callable

from . import Context, Part, Reading, Unreadable, ocr

IMAGE_TYPES = (".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".webp")
MAX_FRAMES = 200


def _metadata(image: Any) -> str:
    texts: list[str] = []
    for key, value in image.info.items():
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        if isinstance(value, str) and key not in ("icc_profile", "exif", "dpi"):
            texts.append(f"{key}: {value}")
    try:
        exif = image.getexif()
    except Exception:  # noqa: BLE001 - a broken EXIF block has no text to read
        exif = {}
    items = list(exif.items())
    for ifd in (0x8769, 0x8825, 0xA005):  # Exif, GPS and interoperability sub-IFDs
        try:
            items += list(exif.get_ifd(ifd).items())
        except Exception:  # noqa: BLE001
            pass
    for _tag, value in items:
        if isinstance(value, bytes):
            # XPComment and friends are UTF-16; UserComment starts with an 8-byte charset code.
            for encoding in ("utf-16-le", "utf-8"):
                try:
                    texts.append(value.decode(encoding).strip("\0"))
                except UnicodeDecodeError:
                    pass
            texts.append(value[8:].decode("utf-8", "replace"))
        elif isinstance(value, str):
            texts.append(value)
    return "\n".join(t for t in texts if t.strip())


def ocr_image(image: Callable[[], Any], key: bytes, ctx: Context, where: str, reading: Reading) -> None:
    """OCR of one image into `reading` (or a note that it could not be scanned).  `image` makes
    the PIL image, only when no result is kept under `key` (a digest of its source)."""
    if not ocr.available():
        reading.unscanned.append(where or "图像")
        return
    try:
        text = ocr.read(key, lambda: ocr.prepare(image()), ctx.ocr_cache)
    except OSError as exc:
        raise Unreadable(f"文字识别失败（{exc}）", "请人工检查该图片，或改为可复制文字的 PDF") from exc
    reading.parts.append(Part(f"{where}（图像文字识别）".strip(), text))


def read_image(data: bytes, ctx: Context) -> Reading:
    from PIL import Image

    try:
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > ctx.limits.image_pixels:
            raise Unreadable(f"图片有 {image.width}×{image.height} 像素，超过 {ctx.limits.image_pixels // 1_000_000} 百万像素",
                             "请缩小图片后再附上")
        image.load()
    except Unreadable:
        raise
    except Exception as exc:  # noqa: BLE001 - any undecodable image is refused, named
        raise Unreadable(f"图片无法打开（{type(exc).__name__}）", "请重新导出为 PNG 或 JPEG") from exc
    reading = Reading()
    meta = _metadata(image)
    if meta:
        reading.parts.append(Part("图片元数据", meta))
    frames = getattr(image, "n_frames", 1)
    digest = hashlib.sha256(data).digest()

    def frame(n: int) -> Any:
        image.seek(n)
        return image

    for n in range(min(frames, MAX_FRAMES)):
        ocr_image(functools.partial(frame, n), digest + n.to_bytes(4, "big"), ctx,
                  f"第 {n + 1} 帧" if frames > 1 else "", reading)
    if frames > MAX_FRAMES:
        raise Unreadable(f"图片有 {frames} 帧", f"请拆分为不超过 {MAX_FRAMES} 帧的文件或改为 PDF")
    return reading


READERS = {suffix: read_image for suffix in IMAGE_TYPES}
