"""schema.org JSON-LD for pages: NewsArticle, Person, Event, Country, WebSite.

Built as plain dicts from the Site; the renderer serialises them into a
<script type="application/ld+json"> block with '<' escaped. Only facts the
content states are emitted: an undated article has no datePublished.
"""

from __future__ import annotations

from typing import Any

from sitegen.site import Article, Event, Person, Site

CONTEXT = "https://schema.org"
# The timeline's ItemList names the newest events only: structured data for
# thousands of events would outweigh the page it describes.
TIMELINE_ITEMS = 50


def for_page(site: Site, presenter: Any, kind: str, key: str | None) -> dict | None:
    """The JSON-LD of one page, or None for pages without structured data."""
    builder = _BUILDERS.get(kind)
    return builder(site, presenter, key) if builder else None


def _website(site: Site, L: Any, _key: str | None) -> dict:
    return {
        "@context": CONTEXT,
        "@type": "WebSite",
        "name": site.settings.title(L.lang),
        "description": site.settings.description(L.lang),
        "inLanguage": L.lang,
        "url": L.abs_url(""),
    }


def person(L: Any, who: Person) -> dict:
    """A Person; an official of the dossier is made once per language (pages share it)."""
    if who.id and L.site.officials.get(who.id) is who:
        return L.kept(("ld-person", who.id), lambda: _person(L, who))
    return _person(L, who)


def _person(L: Any, who: Person) -> dict:
    data: dict[str, Any] = {"@type": "Person", "name": L.name_text(who)}
    if who.id and L.has_page(who):
        data["url"] = L.abs_url(f"officials/{who.id}/")
    if who.name_en and L.lang == "ar":
        data["alternateName"] = who.name_en
    role = who.role_en if L.lang != "ar" else who.role_ar
    if role:
        data["jobTitle"] = role
    if who.country:
        data["nationality"] = {
            "@type": "Country",
            "name": L.site.registry.country_name(who.country, L.lang),
        }
    return data


def _person_page(site: Site, L: Any, key: str | None) -> dict:
    who = site.officials[key or ""]
    data = {"@context": CONTEXT, **person(L, who)}
    data["knows"] = [person(L, other) for other, _ in who.met]
    return data


def event(L: Any, happening: Event) -> dict:
    """An Event, made once per language (each report of it shows it)."""
    return L.kept(("ld-event", happening.id), lambda: _event(L, happening))


def _event(L: Any, happening: Event) -> dict:
    lead = happening.lead
    data: dict[str, Any] = {
        "@type": "Event",
        "name": L.title(lead).text,
        "startDate": happening.date.iso,
        "url": L.abs_url(L.route(happening)),
        "eventStatus": "https://schema.org/EventScheduled",
        "performer": [person(L, L.person(ref)) for ref in happening.officials],
    }
    places = {p.id: p for a in happening.articles for p in a.places if p.id}
    if places:
        data["location"] = [
            {"@type": "Place", "name": L.name_text(site_place(L, p))} for p in places.values()
        ]
    return data


def site_place(L: Any, ref: Any) -> Any:
    return L.site.places.get(ref.id or "", ref)


def news_article(L: Any, article: Article) -> dict:
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "NewsArticle",
        "headline": L.title(article).text[:110],
        "inLanguage": "ar",
        "url": L.abs_url(f"articles/{article.slug}/"),
        "mentions": [person(L, L.person(ref)) for ref in article.officials],
        "about": [
            {"@type": "Thing", "name": L.name_text(L.site.topics[t])}
            for t in article.topics
            if t in L.site.topics
        ],
        "contentLocation": [
            {"@type": "Country", "name": L.site.registry.country_name(c, L.lang)}
            for c in article.countries
        ],
    }
    if article.published:
        data["datePublished"] = article.published.iso
    if article.outlet:
        data["publisher"] = {"@type": "Organization", "name": L.name_text(article.outlet)}
    if article.author_ar:
        data["author"] = {"@type": "Person", "name": article.author_ar}
    if article.event:
        data["subjectOf"] = event(L, article.event)
    return data


def _article_page(site: Site, L: Any, key: str | None) -> dict:
    return news_article(L, site.by_slug[key or ""])


def _timeline_page(site: Site, L: Any, _key: str | None) -> dict:
    return {
        "@context": CONTEXT,
        "@type": "ItemList",
        "itemListElement": [
            {"@type": "ListItem", "position": i + 1, "item": event(L, e)}
            for i, e in enumerate(site.events[:TIMELINE_ITEMS])
        ],
    }


def _country_page(site: Site, L: Any, key: str | None) -> dict:
    country = site.countries[key or ""]
    return {
        "@context": CONTEXT,
        "@type": "Country",
        "name": L.name_text(country),
        "identifier": country.iso,
        "url": L.abs_url(f"countries/{country.iso.lower()}/"),
    }


_BUILDERS = {
    "home": _website,
    "about": _website,
    "article": _article_page,
    "official": _person_page,
    "timeline": _timeline_page,
    "country": _country_page,
}
