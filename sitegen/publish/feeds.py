"""An Atom feed per language of the dossier's dated articles, newest first.

Atom requires an `updated` instant on every entry; the dossier never invents
dates, so articles whose date is unknown stay out of the feed (they are on the
timeline's undated list). The feed's own `updated` is its newest entry's, not
the time of the build, so the same content gives the same bytes.
"""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree as ET

from sitegen.site import Site

ATOM_NS = "http://www.w3.org/2005/Atom"
EPOCH = "1970-01-01T00:00:00Z"


def _instant(iso: str) -> str:
    day = iso if len(iso) == 10 else iso + "-01"
    return f"{day}T00:00:00Z"


def _id(site: Site, path: str) -> str:
    """An Atom id: the absolute URL when the base is absolute, else a tag URI."""
    if site.settings.is_absolute:
        return site.settings.absolute_url(path)
    return f"tag:sitegen,2025:{path}"


def atom_feed(site: Site, L: Any) -> bytes:
    ET.register_namespace("", ATOM_NS)
    dated = sorted((a for a in site.articles if a.date), key=lambda a: a.sort_key, reverse=True)
    entries = dated[: site.settings.feed_size]
    feed = ET.Element(f"{{{ATOM_NS}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": L.lang})
    _text(feed, "title", site.settings.title(L.lang))
    _text(feed, "subtitle", site.settings.description(L.lang))
    _text(feed, "id", _id(site, f"{L.lang}/"))
    _text(feed, "updated", _instant(entries[0].date.iso) if entries else EPOCH)
    ET.SubElement(feed, f"{{{ATOM_NS}}}link", rel="self", href=L.abs_url("feed.xml"))
    ET.SubElement(feed, f"{{{ATOM_NS}}}link", rel="alternate", type="text/html", href=L.abs_url(""))
    author = ET.SubElement(feed, f"{{{ATOM_NS}}}author")
    _text(author, "name", site.settings.title(L.lang))
    for article in entries:
        _entry(feed, site, L, article)
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def _entry(feed: ET.Element, site: Site, L: Any, article: Any) -> None:
    entry = ET.SubElement(feed, f"{{{ATOM_NS}}}entry")
    title = L.title(article)
    _text(entry, "title", title.text)
    route = f"articles/{article.slug}/"
    _text(entry, "id", _id(site, f"{L.lang}/{route}"))
    ET.SubElement(
        entry, f"{{{ATOM_NS}}}link", rel="alternate", type="text/html", href=L.abs_url(route)
    )
    _text(entry, "updated", _instant(article.date.iso))
    if article.published:
        _text(entry, "published", _instant(article.published.iso))
    summary = L.summary(article)
    if summary is not None:
        element = _text(entry, "summary", summary.text)
        if summary.lang != L.lang:
            element.set("{http://www.w3.org/XML/1998/namespace}lang", summary.lang)
    if article.outlet:
        author = ET.SubElement(entry, f"{{{ATOM_NS}}}author")
        _text(author, "name", L.name_text(article.outlet))
    for slug in article.topics:
        topic = site.topics.get(slug)
        if topic:
            ET.SubElement(entry, f"{{{ATOM_NS}}}category", term=slug, label=L.name_text(topic))


def _text(parent: ET.Element, tag: str, value: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}")
    element.text = value
    return element
