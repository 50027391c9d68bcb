"""xxgk's own signals, declared in one place as Pelican declares its own (pelican/plugins/signals.py).

Plugins talk to each other only through these and the per-build state
(foundation.build_state), never by importing a sibling plugin.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator, NamedTuple

from blinker import signal


class GuardedOutput(NamedTuple):
    folder: str                                             # top-level output folder it covers
    texts: Callable[[Path], Iterator[tuple[str, str]]]      # output folder -> (where, text), all of it


# Sent by plugins.pii_guard at Pelican's `finalized`, with the Pelican object, before it scans
# the output.  A receiver returns a GuardedOutput for what it published in a form a file scan
# cannot read (the search index's stored fields): that folder is left out of the file scan and
# its texts are scanned instead.  `texts` is called after the file scan, so it may wait for
# background work of its own (the index is written beside Pelican while the pages are scanned).
guarded_outputs = signal("xxgk-guarded-outputs")



class ServiceDescription(NamedTuple):
    paths: dict        # OpenAPI 3.1 path items, by path
    schemas: dict      # the component schemas they refer to (#/components/schemas/<name>)


# Sent by plugins.opendata as it writes data/openapi.json, with the build's settings.  A plugin
# that adds a service or a machine-readable file to the site (search, the tracker) returns a
# ServiceDescription of it: each describes its own, and the file gathers them.
service_descriptions = signal("xxgk-service-descriptions")

__all__ = ["GuardedOutput", "ServiceDescription", "guarded_outputs", "service_descriptions"]
