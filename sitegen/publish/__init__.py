"""Files around the pages: feeds, sitemap, robots.txt, open data, JSON-LD, search.

`publish_extras` writes everything of a build that is not an HTML page, into
the same (temporary) output folder as the pages.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import os
import shutil
from collections.abc import Callable
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path
from typing import Any

from sitegen.publish.data import dossier_json
from sitegen.publish.feeds import atom_feed
from sitegen.publish.sitemap import robots_txt, sitemap_xml

SEARCH_MODULE = "sitegen.publish.search"


EXTRAS = ("static", "feeds", "sitemap", "data")
DOSSIER_TEXTS = "dossier-texts.pickle"


# Pages with nothing of their own for a search engine: "not found", and the
# articles folder that sends readers to the timeline.
NOT_IN_SITEMAP = frozenset({"404", "articles"})


def publish_extras(
    renderer: Any, jobs: list, out_dir: Path, parts: Any = EXTRAS, cache_dir: Path | None = None
) -> None:
    """Static files, feeds, sitemap, robots.txt and data/dossier.json (or only `parts`).

    With `cache_dir` (the build cache), dossier.json's per-article texts are kept there.
    """
    site = renderer.site
    static = renderer.templates_dir / "static"
    out_dir.mkdir(parents=True, exist_ok=True)
    if "static" in parts and static.is_dir():
        shutil.copytree(static, out_dir / "static", dirs_exist_ok=True)
    if "feeds" in parts:
        for lang, presenter in renderer.presenters.items():
            (out_dir / lang).mkdir(parents=True, exist_ok=True)
            (out_dir / lang / "feed.xml").write_bytes(atom_feed(site, presenter))
    if "sitemap" in parts:
        routes = [
            job.route
            for job in jobs
            if job.lang == site.settings.default_language and job.kind not in NOT_IN_SITEMAP
        ]
        (out_dir / "sitemap.xml").write_bytes(sitemap_xml(site.settings, routes))
        (out_dir / "robots.txt").write_text(robots_txt(site.settings), encoding="utf-8")
    if "data" in parts:
        (out_dir / "data").mkdir(exist_ok=True)
        kept = cache_dir / DOSSIER_TEXTS if cache_dir is not None else None
        (out_dir / "data" / "dossier.json").write_text(dossier_json(site, kept), encoding="utf-8")


_PENDING: tuple | None = None


def start_extras(
    renderer: Any, jobs: list, out_dir: Path, parts: Any = EXTRAS, cache_dir: Path | None = None
) -> Callable:
    """`publish_extras` in a forked process, beside page rendering; call the result to wait.

    dossier.json and the sitemap take a second or two at 10,000 articles:
    on a second core they cost a rebuild nothing.
    """
    global _PENDING
    if (os.cpu_count() or 1) < 2 or "fork" not in get_all_start_methods():
        publish_extras(renderer, jobs, out_dir, parts, cache_dir)
        return lambda: None
    _PENDING = (renderer, jobs, out_dir, tuple(parts), cache_dir)
    try:
        from sitegen.render import worker_gc

        pool = get_context("fork").Pool(1, initializer=worker_gc)  # forks now: holds _PENDING
    finally:
        _PENDING = None
    result = pool.apply_async(_publish_pending)
    pool.close()

    def wait() -> None:
        try:
            result.get()
        finally:
            pool.join()

    return wait


def _publish_pending() -> None:
    assert _PENDING is not None
    publish_extras(*_PENDING)


def search_available() -> bool:
    return importlib.util.find_spec(SEARCH_MODULE) is not None


def publish_search(renderer: Any, out_dir: Path) -> bool:
    """Index article and official pages with the search helper's module, when present."""
    if not search_available():
        return False
    search = importlib.import_module(SEARCH_MODULE)
    documents = [search.SearchDocument(**doc) for doc in search_documents(renderer)]
    search.build_search_index(out_dir, documents)
    return True


def search_documents(renderer: Any) -> list[dict[str, str]]:
    """One record per article page and official page, per language (urls from the root).

    An article's record is kept between calls (serve rebuilds after every
    edit) and made again only when its file or the names it shows changed.
    """
    site = renderer.site
    docs = []
    for lang, L in renderer.presenters.items():
        docs.extend(article_record(L, article) for article in site.articles)
        for person in site.officials.values():
            name = L.name_text(person)
            role = (person.role_ar if lang == "ar" else person.role_en or person.role_ar) or ""
            country = site.registry.country_name(person.country, lang) if person.country else ""
            names = [name, person.name_ar, person.name_en or "", role, country]
            text = "\n".join(filter(None, names))
            docs.append(_doc(f"/{lang}/officials/{person.id}/", lang, name, text, role))
    if len(_RECORDS) > 2 * len(docs) + 1000:
        _RECORDS.clear()  # mostly records of versions edited since
    return docs


_RECORDS: dict[tuple, dict[str, str]] = {}


def article_record(L: Any, article: Any) -> dict[str, str]:
    """The search record of an article's page in L's language (kept between calls)."""
    names = " ".join(L.name_text(L.person(ref)) for ref in article.officials)
    facts = _facts_text(L, article)
    key = (L.lang, article.slug, article.digest, names, facts)
    doc = _RECORDS.get(key)
    if doc is None:
        doc = _RECORDS[key] = _article_record(L, article, names, facts)
    return doc


def _facts_text(L: Any, article: Any) -> str:
    """The article's countries, places and topics as its page names them in L's language.

    The text rarely names them so: an untranslated article reads "الإسبانية"
    where its facts say Spain, so "Spain" or "cybercrime" on the English site
    and "إسبانيا" on the Arabic one would miss it.
    """
    site = L.site
    names = [site.registry.country_name(iso, L.lang) for iso in article.countries]
    names += [L.name_text(L.place(ref)) for ref in article.places]
    names += [L.name_text(site.topics[slug]) for slug in article.topics if slug in site.topics]
    return "\n".join(names)


def _article_record(L: Any, article: Any, names: str, facts: str) -> dict[str, str]:
    title = L.title(article).text
    summary = L.summary(article)
    excerpt = summary.text if summary else ""
    url = f"/{L.lang}/articles/{article.slug}/"
    text = "\n".join(filter(None, [title, excerpt, names, facts]))
    # The body is the article's own string, not a copy, and its digest the file's:
    # records of 10,000 bodies are neither joined (130 MB) nor hashed again.
    digest = None
    if article.digest:
        digest = _digest((url, L.lang, title, text, excerpt, f"file:{article.digest}"))
    return _doc(url, L.lang, title, text, excerpt, article.body_ar, digest)


def records_digest(docs: list[dict[str, str]]) -> str:
    """A digest of a language's records: whether its index must be made again."""
    return hashlib.sha256("".join(doc["digest"] for doc in docs).encode()).hexdigest()


def _digest(fields: tuple[str, ...]) -> str:
    return hashlib.sha256("\x1f".join(fields).encode("utf-8", "surrogatepass")).hexdigest()


def _doc(
    url: str,
    lang: str,
    title: str,
    text: str,
    excerpt: str,
    body: str = "",
    digest: str | None = None,
) -> dict[str, str]:
    """A search record (`search.SearchDocument`'s fields); its digest made when not given."""
    if digest is None:
        digest = _digest((url, lang, title, text, excerpt, body))
    return {
        "url": url,
        "language": lang,
        "title": title,
        "text": text,
        "excerpt": excerpt,
        "body": body,
        "digest": digest,
    }
