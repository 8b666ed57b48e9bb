"""`data/dossier.json`: every fact of the dossier as open data.

Keys are sorted and articles come in slug order so two builds can be compared
line by line (`sitegen diff` reads this file).
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring as _string
from pathlib import Path
from typing import Any

from sitegen import cachefile
from sitegen.site import Article, English, Site


def _english(value: English | None) -> dict | None:
    return None if value is None else {"by": value.by, "stale": value.stale}


def article_data(article: Article) -> dict[str, Any]:
    outlet = article.outlet
    return {
        "slug": article.slug,
        "source": article.source,
        "title_ar": article.title_ar,
        "title_en": article.title_en.text if article.title_en else None,
        "title_en_meta": _english(article.title_en),
        "published": article.published.iso if article.published else None,
        "event_date": article.event_date.iso if article.event_date else None,
        "dates": [{"date": d, "text": t} for d, t in article.dates],
        "officials": [
            {
                "id": o.id,
                "name_ar": o.name_ar,
                "name_en": o.name_en,
                "role_ar": o.role_ar,
                "role_en": o.role_en,
                "country": o.country,
                "known": o.known,
            }
            for o in article.officials
        ],
        "countries": article.countries,
        "places": [
            {"id": p.id, "name_ar": p.name_ar, "name_en": p.name_en, "country": p.country}
            for p in article.places
        ],
        "topics": article.topics,
        "outlet": None
        if outlet is None
        else {"id": outlet.id, "name_ar": outlet.name_ar, "name_en": outlet.name_en},
        "author_ar": article.author_ar,
        "summary_ar": article.summary_ar or None,
        "summary_en": article.summary_en.text if article.summary_en else None,
        "summary_en_meta": _english(article.summary_en),
        "event": article.event.id if article.event else None,
    }


def dossier(site: Site) -> dict[str, Any]:
    return {
        "generator": "sitegen",
        "articles": [article_data(a) for a in site.articles],
        "events": _events(site),
        "officials": _officials(site),
    }


def _events(site: Site) -> list[dict[str, Any]]:
    return [
        {"id": e.id, "date": e.date.iso, "articles": sorted(a.slug for a in e.articles)}
        for e in sorted(site.events, key=lambda e: e.id)
    ]


def _officials(site: Site) -> list[dict[str, Any]]:
    return [
        {
            "id": p.id,
            "name_ar": p.name_ar,
            "name_en": p.name_en,
            "role_ar": p.role_ar,
            "role_en": p.role_en,
            "country": p.country,
            "known": p.known,
        }
        for p in site.officials.values()
    ]


def dossier_json(site: Site, kept: Path | None = None) -> str:
    """The dossier as `json.dumps(..., sort_keys=True, indent=1)` writes it, faster.

    Each article's text is kept between calls (`sitegen serve` writes this
    file after every edit), and in the file `kept` between builds: only
    articles whose file, outlet or event changed are written again.
    """
    if kept is not None and not _TEXTS:
        _TEXTS.update(cachefile.load(kept).get("texts", {}))
    known = len(_TEXTS)
    data = {
        "generator": "sitegen",
        "articles": _Written([_article_text(a) for a in site.articles]),
        "events": _Written([_event_text(e) for e in _events(site)]),
        "officials": _officials(site),
    }
    if len(_TEXTS) > 2 * (len(data["articles"]) + len(data["events"])) + 1000:
        _TEXTS.clear()  # mostly texts of versions edited since: the next call refills it
    out: list[str] = []
    _indented(data, out, "\n")
    out.append("\n")
    if kept is not None and len(_TEXTS) - known >= KEEP_AFTER:  # not for a few: made again
        cachefile.save(kept, {"texts": _TEXTS})
    return "".join(out)


class _Written(list):
    """Items already written as JSON at the articles' depth."""


ARTICLE_NEWLINE = "\n  "  # articles and events are lists at depth 2 of the dossier
_TEXTS: dict[tuple, str] = {}
KEEP_AFTER = 50  # texts made by a call before the kept file is written again


def _event_text(event: dict[str, Any]) -> str:
    key = (event["id"], event["date"], *event["articles"])
    text = _TEXTS.get(key)
    if text is None:
        out: list[str] = []
        _indented(event, out, ARTICLE_NEWLINE)
        text = _TEXTS[key] = "".join(out)
    return text


def _article_text(article: Article) -> str:
    outlet = article.outlet
    key = (
        article.digest,
        article.event.id if article.event else None,
        (outlet.id, outlet.name_ar, outlet.name_en) if outlet else None,
    )
    text = _TEXTS.get(key)
    if text is None:
        out: list[str] = []
        _indented(article_data(article), out, ARTICLE_NEWLINE)
        text = _TEXTS[key] = "".join(out)
    return text


def _indented(value: Any, out: list[str], newline: str) -> None:
    """json's indented layout (indent=1, keys sorted) without its generator machinery:
    the pure-Python encoder json uses when indenting took ~1 s on 10,000 articles."""
    if isinstance(value, str):
        out.append(_string(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + " "
        separator = "{" + inner
        for key in sorted(value):
            out.append(separator)
            out.append(_string(key))
            out.append(": ")
            _indented(value[key], out, inner)
            separator = "," + inner
        out.append(newline + "}")
    elif isinstance(value, _Written):
        inner = newline + " "
        out.append("[" + inner + ("," + inner).join(value) + newline + "]" if value else "[]")
    elif isinstance(value, list | tuple):
        if not value:
            out.append("[]")
            return
        inner = newline + " "
        separator = "[" + inner
        for item in value:
            out.append(separator)
            _indented(item, out, inner)
            separator = "," + inner
        out.append(newline + "]")
    else:  # floats and anything else: as json writes them
        out.append(json.dumps(value, ensure_ascii=False))
