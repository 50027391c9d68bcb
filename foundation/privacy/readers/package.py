"""ZIP containers, shared by ZIP archives, Office packages (DOCX, XLSX, PPTX) and OFD.

Bounds hold before anything is expanded: the number of members, and the bytes they
may expand to (their declared sizes, which zipfile enforces while reading: a member
cannot yield more than it declares).  An encrypted member cannot be checked.
"""
from __future__ import annotations

import io
import zipfile
from typing import Callable, Iterator

from . import Context, Unreadable


def members(data: bytes, ctx: Context, kind: str,
            check: Callable[[str, int], str] | None = None) -> Iterator[tuple[str, bytes]]:
    """(name, bytes) of every file in the ZIP container `data` (a `kind`: 压缩包, 文档 …).
    `check(name, size)` may refuse a member by its declared size before it is expanded."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise Unreadable(f"{kind}已损坏，无法打开（{exc}）") from exc
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        if len(infos) > ctx.limits.members:
            raise Unreadable(f"{kind}中有 {len(infos)} 个文件，超过 {ctx.limits.members} 个",
                             "请拆分为几个较小的压缩包，或直接附上其中的文件")
        for info in infos:
            if info.flag_bits & 0x1:
                raise Unreadable(f"{kind}中的「{info.filename}」设有密码", "请提供没有密码的文件")
            ctx.expand(info.file_size)
            refused = check(_name(info), info.file_size) if check is not None else ""
            if refused:
                raise Unreadable(refused, "请拆分该文件，或只保留需要公开的内容")
            if info.compress_type not in _READABLE:
                # Deflate64, PPMd …: zipfile has no codec, so the member cannot be checked and
                # the file is refused, never passed over.
                raise Unreadable(f"{kind}中的「{info.filename}」使用了无法解压的压缩方式", "请用常见的 ZIP 压缩方式重新打包")
            try:
                yield _name(info), archive.read(info)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
                raise Unreadable(f"{kind}中的「{info.filename}」无法解压（{exc}）") from exc


# The compression methods zipfile can read.
_READABLE = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA})


def _name(info: zipfile.ZipInfo) -> str:
    """A member's name as its maker wrote it: Chinese Windows tools write GBK names
    without the UTF-8 flag, which zipfile then reads as CP437."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename
