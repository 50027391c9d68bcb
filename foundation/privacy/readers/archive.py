"""ZIP archives: every file inside, read as its own type, recursively within the bounds of Limits.

The names of the files are read too (a name can hold a number).  A file inside of a
type the guard does not read makes the archive refused, as it would be on its own.
"""
from __future__ import annotations

from . import Context, Part, Reading
from .ooxml import read_member
from .package import members


def read_zip(data: bytes, ctx: Context) -> Reading:
    reading = Reading()
    names = []
    for name, member in members(data, ctx, "压缩包"):
        names.append(name)
        read_member(name, member, ctx, reading, "压缩包", strict=True)
    reading.parts.append(Part("压缩包中的文件名", "\n".join(names)))
    return reading


READERS = {".zip": read_zip}
