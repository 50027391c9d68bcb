"""Unchanged output files are hard links to the previous build's, not new copies.

`xxgk build` writes every build into a fresh folder (xxgk/build.py) and keeps the one
before it.  When a page renders to exactly the bytes the previous build wrote at the same
path, or an attachment is byte-for-byte the file published last time, the new build gets a
hard link to that file instead of a new copy: nothing is written, the two builds share the
disk space, and removing an old build later only drops links (deleting a build's worth of
real files cost about a second per 2,000 files on the measured machine; docs/performance.md).

Safe because no build ever writes into an existing file: a path is written once per build
(Pelican refuses a second write), and this writer always replaces a path with a new file or
link, never opens an existing one for writing, so a link can never alter the previous build.
The previous build is named by the setting XXGK_PREVIOUS_OUTPUT (set by build_atomically);
without it, files are simply written.
"""
from __future__ import annotations

import io
import logging
import os
from pathlib import Path
from typing import Any

from pelican import signals

from foundation.outputs import place_bytes, previous_output
from pelican.writers import FileOverwriteFailedError, Writer

log = logging.getLogger(__name__)

class _Pending(io.StringIO):
    """What Pelican writes to one file, placed (written or linked) when it is closed."""

    def __init__(self, target: Path, encoding: str, previous: Path | None):
        super().__init__()
        self._target, self._encoding, self._previous = target, encoding, previous

    def close(self) -> None:
        if not self.closed:
            data = self.getvalue().encode(self._encoding)
            super().close()
            place_bytes(self._target, data, self._previous)

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if exc_type is not None:  # a failed render writes nothing
            super().close()
            return
        self.close()


class ReusingWriter(Writer):
    """Pelican's writer, placing each file through place_bytes."""

    def __init__(self, output_path: str, settings: dict[str, Any] | None = None):
        super().__init__(output_path, settings=settings)
        self._previous_root = previous_output(settings or {})
        self._output_root = Path(output_path).resolve()

    def _open_w(self, filename: str, encoding: str, override: bool = False) -> Any:
        # Pelican's bookkeeping of written and overridden files, unchanged.
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{filename}" a second time (was previously overwritten)')
            log.info('Skipping "%s", not overwriting', filename)
            return open(os.devnull, "w", encoding=encoding)
        if filename in self._written_files:
            if override:
                log.info('Overwriting "%s"', filename)
            else:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{filename}" as Pelican has already written to it previously '
                    "(set `override=True` if intended)")
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        target = Path(filename).resolve()
        previous = None
        if self._previous_root is not None:
            try:
                previous = self._previous_root / target.relative_to(self._output_root)
            except ValueError:
                previous = None
        return _Pending(target, encoding, previous)


def get_writer(pelican: Any) -> type[Writer] | None:
    return ReusingWriter if previous_output(pelican.settings) else None


def register() -> None:
    signals.get_writer.connect(get_writer)


__all__ = ["ReusingWriter", "get_writer", "register"]
