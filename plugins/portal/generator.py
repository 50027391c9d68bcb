"""The portal generator: home, 法定主动公开内容, column catalogues, 年报, 网站地图, 404."""
from __future__ import annotations

from typing import Any

from pelican.generators import Generator

from foundation.display import Link
from foundation.schema import COLUMNS, PAGE_SECTIONS, SECTION_PROACTIVE, SECTION_REPORTS, STRUCTURE

from . import params, views


def freeze_urls(context: dict[str, Any]) -> None:
    """Compute each entry's and page's URL once.

    Pelican formats `url` from the settings and the metadata on every access (a
    relative path, a slug, a date format: about 70 µs), and listings, neighbours,
    feeds, the sitemap and the search index ask for it dozens of times per entry.
    Every generator has read its content by now, so the URL no longer changes;
    Pelican's own `override_url` (consulted before computing) holds it.
    """
    for name in ("articles", "hidden_articles", "drafts", "pages", "hidden_pages", "draft_pages"):
        for item in context.get(name, []):
            if not hasattr(item, "override_url"):
                item.override_url = item.url


class PortalGenerator(Generator):
    """Lay the entries out as the statutory structure of a disclosure platform."""

    def generate_context(self) -> None:
        settings = self.settings["XXGK_RESOLVED"]
        articles = self.context.get("articles", [])
        pages = self.context.get("pages", [])
        freeze_urls(self.context)
        by_column = {c.key: [a for a in articles if a.metadata.get("column") == c.key] for c in COLUMNS}
        by_index = {a.metadata["index_no"]: a for a in articles}
        for column in COLUMNS:
            views.neighbours(by_column[column.key])
            for entry in by_column[column.key]:
                entry.column_name = column.name
                entry.box = views.metadata_box(entry, by_index)
                entry.breadcrumbs = [
                    Link("首页", ""), Link(SECTION_PROACTIVE[0], SECTION_PROACTIVE[1]),
                    Link(column.name, f"{column.key}/")]
        self.columns = [views.column_view(c, by_column[c.key], settings["HOME_LATEST"]) for c in COLUMNS]
        self.listings = [p for c in COLUMNS for p in views.column_listings(c, by_column[c.key], settings)]
        params.apply(self.context, by_column, self.listings)
        sections: dict[str, list[Any]] = {s: [] for s in PAGE_SECTIONS}
        for page in sorted(pages, key=lambda p: (p.metadata.get("order", 100), p.title)):
            sections.setdefault(page.metadata["section"], []).append(page)
            page.breadcrumbs = [Link("首页", "")]
        self.sections = sections
        # Shared with every template (entries and pages are written by Pelican's generators).
        self.context["XXGK"] = settings
        self.context["STRUCTURE"] = [Link(t, u) for t, u in STRUCTURE]
        self.context["COLUMNS"] = self.columns
        self.context["PAGE_SECTIONS"] = sections
        self.context["LISTINGS"] = self.listings
        self.context["ENTRIES_BY_INDEX"] = by_index

    def _write(self, writer: Any, save_as: str, template: str, url: str, **kwargs: Any) -> None:
        writer.write_file(save_as, self.get_template(template), self.context,
                          relative_urls=self.settings["RELATIVE_URLS"], url=url,
                          page_url=url, **kwargs)

    def generate_output(self, writer: Any) -> None:
        proactive_t, proactive_u = SECTION_PROACTIVE
        reports_t, reports_u = SECTION_REPORTS
        self._write(writer, "index.html", "home", "", page_title="首页")
        self._write(writer, f"{proactive_u}index.html", "section", proactive_u, page_title=proactive_t,
                    breadcrumbs=[Link("首页", "")])
        self._write(writer, f"{reports_u}index.html", "reports", reports_u, page_title=reports_t,
                    breadcrumbs=[Link("首页", "")], reports=self.context.get("ANNUAL_REPORTS", []))
        self._write(writer, "wzdt.html", "sitemap_page", "wzdt.html", page_title="网站地图",
                    breadcrumbs=[Link("首页", "")],
                    sitemap=params.sitemap_sections(self.context["STRUCTURE"], self.columns, proactive_u))
        self._write(writer, "404.html", "404", "404.html", page_title="页面未找到")
        for page in self.listings:
            self._write(writer, page.save_as, "listing", page.url, page_title=page.title, listing=page,
                        breadcrumbs=[Link("首页", ""), Link(proactive_t, proactive_u)]
                        + ([Link(page.column.name, f"{page.column.key}/")] if page.filter_label
                           or page.pagination.number > 1 else []))
