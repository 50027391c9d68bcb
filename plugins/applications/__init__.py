"""Applications plugin (依申请公开): records, legal deadlines, and a tracker only the applicant can open.

See docs/applications.md.  Records live in APPLICATIONS_PATH (never under
content/); the generator publishes ysqgk/index.html, one status file per
application named by a hash of its number and query code, and the current
year's statistics in the context (APPLICATION_STATS).
"""
from __future__ import annotations

from typing import Any


def get_generators(pelican: Any) -> type:
    from .generator import TrackerGenerator

    return TrackerGenerator


def described(settings: dict[str, Any]) -> Any:
    """For plugins.opendata (foundation.signals.service_descriptions): the tracker in OpenAPI."""
    from .openapi import description

    return description(settings)


def register() -> None:
    from pelican import signals

    from foundation.signals import service_descriptions

    signals.get_generators.connect(get_generators)
    service_descriptions.connect(described)
