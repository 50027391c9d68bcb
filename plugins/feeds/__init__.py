"""Feeds plugin: RSS 2.0 and Atom for the whole site and for each column, written with feedgen.

Feeds are reproducible: no build-time timestamp enters them; the newest
entry's date is the feed's date.  Every URL is absolute (FEED_DOMAIN or SITEURL).
"""
from __future__ import annotations

import html

import datetime as dt
from pathlib import Path
from typing import Any

from feedgen.ext.base import BaseEntryExtension
from feedgen.feed import FeedGenerator
from pelican import signals
from pelican.generators import Generator

from foundation.display import absolute, display, newest_first, public_base
from foundation.schema import COLUMNS, fields_for
from foundation.settings import TIMEZONE

FEEDS_DIR = "feeds"
EPOCH = dt.datetime(2000, 1, 1, tzinfo=TIMEZONE)


def feed_paths(key: str | None) -> tuple[str, str]:
    """(rss, atom) output paths of the site-wide feed (key None) or a column's."""
    folder = FEEDS_DIR if key is None else key
    prefix = "all." if key is None else ""
    return f"{folder}/{prefix}rss.xml", f"{folder}/{prefix}atom.xml"


def _role_value(entry: Any, role: str) -> tuple[Any, Any]:
    """The value of the field that plays `role` in feeds (declared in the schema)."""
    for f in fields_for(entry.metadata["column"]):
        if f.feed == role:
            return f, entry.metadata.get(f.name)
    return None, None


class AtomLinks(BaseEntryExtension):
    """Write rel/type/length on Atom entry links.

    feedgen 1.0.0 drops every attribute but href from entry links (a
    shadowed variable in FeedEntry.atom_entry), so enclosures would read as
    alternate links; this entry extension restores them from the entry's data.
    """

    def __init__(self) -> None:
        self.links: list[dict[str, str]] = []

    def extend_atom(self, entry: Any) -> Any:
        # feedgen builds entries without a namespace; the feed root sets the default one.
        for element, data in zip(entry.findall("link"), self.links):
            for key in ("rel", "type", "length"):
                if data.get(key):
                    element.attrib[key] = str(data[key])
        return entry


def build_feed(entries: list[Any], title: str, description: str, page_url: str, self_url: str,
               base: str, org: str, fallback_date: Any) -> FeedGenerator:
    """A feed of `entries`, newest first."""
    fg = FeedGenerator()
    fg.id(absolute(base, page_url))
    fg.title(title)
    fg.subtitle(description)
    fg.description(description)
    fg.author({"name": org})
    # feedgen takes the RSS <link> from the last link added: add self first.
    fg.link(href=absolute(base, self_url), rel="self")
    fg.link(href=absolute(base, page_url), rel="alternate")
    fg.language("zh-CN")
    fg.generator("xxgk")
    ordered = newest_first(entries)
    # The feed's date is its newest entry's (the site's newest for an empty
    # feed): never the build time, so rebuilding changes nothing.
    when = ordered[0].date if ordered else fallback_date
    fg.updated(when)
    fg.lastBuildDate(when)
    fg.pubDate(when)
    # feedgen prepends each new entry; add oldest first so the feed reads newest first.
    for entry in reversed(ordered):
        url = absolute(base, entry.url)
        fe = fg.add_entry()
        fe.register_extension("xxgk_links", AtomLinks, atom=True, rss=False)
        fe.id(url)
        fe.guid(url, permalink=True)
        _f, feed_title = _role_value(entry, "title")
        # A repealed or expired policy is marked in feeds too (domain.md §2).
        label = getattr(entry, "status_label", "")
        fe.title((feed_title or entry.title) + (f"（{label}）" if label else ""))
        fe.link(href=url, rel="alternate")
        _f, summary = _role_value(entry, "description")
        # RSS 2.0 readers render <description> as HTML: the plain-text summary goes in escaped,
        # so that it is shown as the text it is.  Atom's <summary> is of type text.
        fe.description(html.escape(summary or entry.title))
        fe.summary(summary or entry.title)
        f, category = _role_value(entry, "category")
        fe.category([{"term": entry.column_name}] + ([{"term": display(category, f)}] if category else []))
        fe.published(entry.date)
        fe.updated(entry.date)
        fe.pubDate(entry.date)
        # The files of the field declared as the enclosure (the attachments, as plugins.attachments
        # published them).  RSS carries one enclosure (the last added): add in reverse so it is the first.
        f, _files = _role_value(entry, "enclosure")
        for a in reversed(getattr(entry, "attachment_list", []) if f is not None else []):
            fe.enclosure(absolute(base, a.url), a.size, a.mime)
        fe.xxgk_links.links = fe.link()
    return fg


class FeedsGenerator(Generator):
    """Write the site-wide feeds and one pair per column."""

    def generate_context(self) -> None:
        self.context["FEEDS"] = {"all": feed_paths(None),
                                 **{c.key: feed_paths(c.key) for c in COLUMNS}}

    def generate_output(self, writer: Any) -> None:
        settings = self.settings["XXGK_RESOLVED"]
        base = public_base(self.settings)
        size = settings["FEED_SIZE"]
        articles = [a for a in self.context.get("articles", [])]
        groups: list[tuple[str | None, list[Any], str, str, str]] = [
            (None, articles, settings["SITE_NAME"] + " 政府信息公开", "全部栏目的最新信息", "")]
        for c in COLUMNS:
            members = [a for a in articles if a.metadata["column"] == c.key]
            groups.append((c.key, members, f"{settings['SITE_NAME']} {c.name}", c.description, f"{c.key}/"))
        out = Path(self.output_path)
        site_newest = newest_first(articles)[0].date if articles else EPOCH
        for key, members, title, description, page in groups:
            rss, atom = feed_paths(key)
            latest = newest_first(members)[:size]
            for path, kind in ((rss, "rss"), (atom, "atom")):
                fg = build_feed(latest, title, description, page, path, base, settings["ORG_NAME"],
                                site_newest)
                target = out / path
                target.parent.mkdir(parents=True, exist_ok=True)
                if kind == "rss":
                    fg.rss_file(str(target), pretty=True)
                else:
                    fg.atom_file(str(target), pretty=True)


def get_generators(pelican: Any) -> type[FeedsGenerator]:
    return FeedsGenerator


def register() -> None:
    signals.get_generators.connect(get_generators)
