"""Portal plugin: the statutory structure, column catalogues with filters, and document pages."""
from __future__ import annotations

from typing import Any

from pelican import signals

from .generator import PortalGenerator


class _Members(list):
    """A category's articles, with membership by identity in constant time.

    Pelican's generate_categories asks `article in articles` for every article of the
    site and every category (quadratic: 4.4 s at 20,000 entries), even though xxgk
    writes no category pages.  Articles are compared by identity (Content has no __eq__).
    """

    def __init__(self, items: list[Any]):
        super().__init__(items)
        self._ids = {id(item) for item in items}

    def __contains__(self, item: object) -> bool:
        return id(item) in self._ids


def fast_categories(generator: Any) -> None:
    categories = getattr(generator, "categories", None)
    if isinstance(categories, list):
        categories[:] = [(cat, _Members(articles)) for cat, articles in categories]


def get_generators(pelican: Any) -> type[PortalGenerator]:
    return PortalGenerator


def register() -> None:
    signals.get_generators.connect(get_generators)
    signals.article_generator_finalized.connect(fast_categories)
