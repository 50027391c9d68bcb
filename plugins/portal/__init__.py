"""Portal plugin: the statutory structure, column catalogues with filters, and document pages."""
from __future__ import annotations

from typing import Any

from pelican import signals

from .generator import PortalGenerator


def get_generators(pelican: Any) -> type[PortalGenerator]:
    return PortalGenerator


def register() -> None:
    signals.get_generators.connect(get_generators)
