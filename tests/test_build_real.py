"""The repository's own content/ builds into the pages the seeds require.

Pages must exist for every seed article, every official of the seed gold with
an id, and the countries MA, ES, US and DE, in both languages; every link of
the real site resolves.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from test_build import check_links

from sitegen.commands.build import build
from sitegen.site import read_articles

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
GOLD = ROOT.parent / "shared" / "fixtures" / "seed-gold.yaml"


def gold() -> dict:
    if not GOLD.exists():
        pytest.skip(f"{GOLD} is not here")
    return yaml.safe_load(GOLD.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not any((CONTENT / "articles").glob("*.md")):
        pytest.skip("content/articles is empty: run `sitegen ingest seeds/` first")
    out = tmp_path_factory.mktemp("real") / "public"
    build(CONTENT, out)
    return out


def test_every_seed_article_has_a_page_in_both_languages(real_site: Path) -> None:
    by_source = {Path(a.source).name: a.slug for a in read_articles(CONTENT)}
    for entry in gold()["articles"]:
        slug = by_source.get(entry["file"])
        assert slug, f"no content file comes from {entry['file']}"
        for lang in ("ar", "en"):
            assert (real_site / lang / "articles" / slug / "index.html").is_file()


def test_every_gold_official_and_country_has_a_page(real_site: Path) -> None:
    ids = {
        o["id"]
        for entry in gold()["articles"]
        for o in entry["officials"]["required"]
        if o.get("id")
    }
    for lang in ("ar", "en"):
        for ident in ids:
            assert (real_site / lang / "officials" / ident / "index.html").is_file(), ident
        for iso in ("ma", "es", "us", "de"):
            assert (real_site / lang / "countries" / iso / "index.html").is_file(), iso


def test_seeds_003_and_004_are_one_event(real_site: Path) -> None:
    by_source = {Path(a.source).name: a.slug for a in read_articles(CONTENT)}
    timeline = (real_site / "en" / "timeline" / "index.html").read_text(encoding="utf-8")
    for event in gold()["events"]:
        slugs = [by_source[name] for name in event["articles"]]
        items = [i for i in timeline.split('<li class="event"')[1:] if slugs[0] in i]
        assert items and all(slug in items[0] for slug in slugs)


def test_every_link_of_the_real_site_resolves(real_site: Path) -> None:
    assert check_links(real_site, "/") > 100
