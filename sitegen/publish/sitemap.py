"""`sitemap.xml` with hreflang alternates, and `robots.txt` pointing at it."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from sitegen.settings import Settings

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


def sitemap_xml(settings: Settings, routes: list[str]) -> bytes:
    """One <url> per page and language, each listing every language and x-default."""
    ET.register_namespace("", SITEMAP_NS)
    ET.register_namespace("xhtml", XHTML_NS)
    urlset = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    for route in routes:
        for lang in settings.languages:
            url = ET.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
            ET.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = settings.absolute_url(
                f"{lang}/{route}"
            )
            for other in (*settings.languages, "x-default"):
                target = settings.default_language if other == "x-default" else other
                ET.SubElement(
                    url,
                    f"{{{XHTML_NS}}}link",
                    rel="alternate",
                    hreflang=other,
                    href=settings.absolute_url(f"{target}/{route}"),
                )
    ET.indent(urlset)
    return ET.tostring(urlset, encoding="utf-8", xml_declaration=True) + b"\n"


def robots_txt(settings: Settings) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {settings.absolute_url('sitemap.xml')}\n"
