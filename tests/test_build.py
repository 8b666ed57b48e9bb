"""`sitegen build` end to end: pages, links, languages, feeds, data, safety, atomicity.

The fixture content (tests/fixtures/content) holds six articles modelled on the
seeds: two reports of one event, an undated one, a month-only date, a hostile
title, and English fields of every provenance. Every internal link and anchor
of the built site is followed, under `/` and under sub-paths.
"""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree as ET

import pytest

from sitegen.cli import main
from sitegen.commands.build import BuildError, build

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "content"
ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
ARTICLES = sorted(p.stem for p in (FIXTURE / "articles").glob("*.md"))


# --- reading built pages ---------------------------------------------------------------


class Page(HTMLParser):
    """What a test needs from a page: links, ids, <html> attributes, alternates, JSON-LD."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.html: dict[str, str] = {}
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.alternates: dict[str, str] = {}
        self.switcher: list[str] = []
        self.jsonld: list[str] = []
        self._ld = False
        self._in_langs = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.html = a
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "nav" and "langs" in a.get("class", ""):
            self._in_langs = True
        if tag == "a" and self._in_langs:
            self.switcher.append(a["href"])
        if tag == "link" and a.get("rel") == "alternate" and "hreflang" in a:
            self.alternates[a["hreflang"]] = a["href"]
        for key in ("href", "src"):
            if key in a and not (tag == "link" and a.get("rel") == "alternate"):
                self.links.append(a[key])
        self._ld = tag == "script" and a.get("type") == "application/ld+json"
        if self._ld:
            self.jsonld.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self._in_langs = False
        if tag == "script":
            self._ld = False

    def handle_data(self, data: str) -> None:
        if self._ld:
            self.jsonld[-1] += data


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def html_files(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*.html") if "pagefind" not in p.parts)


def page_url(out: Path, path: Path, base_path: str) -> str:
    rel = path.relative_to(out).as_posix()
    return base_path + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def target_file(out: Path, url: str, base_path: str) -> Path | None:
    """The output file a site URL path serves, or None when it is outside the base."""
    path = urlsplit(url).path
    if not path.startswith(base_path):
        return None
    rel = path[len(base_path) :]
    return out / (rel + "index.html" if rel.endswith("/") or not rel else rel)


def check_links(out: Path, base_url: str) -> int:
    """Follow every internal link and #anchor of every page; return how many were followed."""
    origin = "https://example.test"
    base_path = urlsplit(base_url).path
    pages = {p: parse(p) for p in html_files(out)}
    followed = 0
    for path, page in pages.items():
        here = origin + page_url(out, path, base_path)
        for link in page.links:
            if link.startswith(("mailto:", "tel:")):
                continue
            absolute = urljoin(here, link)
            if base_url.startswith("http") and absolute.startswith(base_url):
                absolute = origin + base_path + absolute[len(base_url) :]
            if urlsplit(absolute).netloc != urlsplit(origin).netloc:
                continue  # a link to another site (an outlet's home page)
            target = target_file(out, absolute, base_path)
            assert target is not None, f"{path}: {link} leaves the base path {base_path}"
            assert target.is_file(), f"{path}: {link} → {target} does not exist"
            fragment = urlsplit(absolute).fragment
            if fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else parse(target).ids
                assert fragment in ids, f"{path}: {link}: no id '{fragment}' in {target}"
            followed += 1
    return followed


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fixture") / "public"
    build(FIXTURE, out, workers=1)
    return out


def read(out: Path, rel: str) -> str:
    return (out / rel).read_text(encoding="utf-8")


# --- pages ------------------------------------------------------------------------------------


def test_every_page_kind_exists_in_both_languages(site: Path) -> None:
    routes = ["", "timeline/", "countries/", "officials/", "topics/", "outlets/", "about/"]
    routes += ["search/", *(f"articles/{slug}/" for slug in ARTICLES)]
    routes += [f"countries/{iso}/" for iso in ("ma", "es", "us", "de")]
    routes += [f"officials/{i}/" for i in ("abdellatif-hammouchi", "dieter-romann", "avril-haines")]
    routes += ["officials/luis-ballez-benero/", "topics/terrorism/", "outlets/hommepress/"]
    for lang in ("ar", "en"):
        for route in routes:
            assert (site / lang / route / "index.html").is_file(), f"/{lang}/{route}"
        assert (site / lang / "404.html").is_file()
        assert (site / lang / "feed.xml").is_file()
    for rel in ("index.html", "404.html", "sitemap.xml", "robots.txt", "data/dossier.json"):
        assert (site / rel).is_file(), rel


def test_every_internal_link_and_anchor_resolves(site: Path) -> None:
    assert check_links(site, "/") > 500


@pytest.mark.parametrize("base", ["/pr-preview/pr-7/", "https://x.github.io/repo/"])
def test_links_resolve_under_a_sub_path(tmp_path: Path, base: str) -> None:
    out = tmp_path / "public"
    build(FIXTURE, out, base_url=base, workers=1)
    assert check_links(out, base) > 500
    home = read(out, "en/index.html")
    prefix = urlsplit(base).path
    assert f'href="{prefix}en/timeline/"' in home
    assert not re.search(r'(href|src)="/(ar|en|static|data)/', home.replace(prefix, "@/"))


def test_lang_dir_and_hreflang_pairs_on_every_page(site: Path) -> None:
    for path in html_files(site):
        page = parse(path)
        rel = path.relative_to(site).as_posix()
        lang = rel.split("/")[0] if rel.startswith(("ar/", "en/")) else "ar"
        assert page.html.get("lang") == lang, rel
        assert page.html.get("dir") == ("rtl" if lang == "ar" else "ltr"), rel
        if rel == "404.html":
            continue
        assert set(page.alternates) == {"ar", "en", "x-default"}, rel
        for code, href in page.alternates.items():
            target = target_file(site, href, "/")
            assert target is not None and target.is_file(), f"{rel}: {code} → {href}"
            if code != "x-default" and rel.startswith(("ar/", "en/")):
                back = parse(target).alternates[lang]
                assert target_file(site, back, "/") == path, f"{rel} ↔ {href}"


def test_language_switcher_lands_on_the_same_page(site: Path) -> None:
    for path in html_files(site / "ar"):
        rel = path.relative_to(site / "ar").as_posix()
        assert parse(path).switcher == ["/en/" + rel.removesuffix("index.html")], rel


def test_root_offers_a_language_choice_not_a_redirect(site: Path) -> None:
    root = read(site, "index.html")
    page = parse(site / "index.html")
    assert "http-equiv" not in root and "location" not in root
    assert {"/ar/", "/en/"} <= set(page.links)
    assert page.alternates["x-default"] == "/"


# --- bilingual rules ----------------------------------------------------------------------------


def test_dates_are_formatted_by_babel_per_language(site: Path) -> None:
    ar, en = read(site, "ar/timeline/index.html"), read(site, "en/timeline/index.html")
    assert "28 يناير 2025" in ar and "28 January 2025" in en
    assert "يونيو 2022" in ar and "June 2022" in en  # month-only stays a month
    assert "2022-06-01" not in ar + en and "1 June 2022" not in en
    assert "12 نونبر 2024" in ar  # Maghrebi month names (ar_MA)


def test_events_group_reports_and_undated_are_listed_apart(site: Path) -> None:
    en = read(site, "en/timeline/index.html")
    event = en.split('id="event-2025-01-28-hammouchi-spain-visit"')[1].split("</li>")[0]
    assert "2 sources" in event
    assert "/en/articles/2025-01-29-hammouchi-madrid/" in event
    assert "/en/articles/2025-01-28-hammouchi-spain-visit/" in event
    undated = en.split('id="undated"')[1]
    assert "/en/articles/hammouchi-receives-guardia-civil/" in undated
    assert "/en/articles/hammouchi-spain-after-us/" in undated
    assert en.index('id="y2025"') < en.index('id="y2024"') < en.index('id="y2022"')


def test_english_pages_label_where_english_came_from(site: Path) -> None:
    stale = read(site, "en/articles/2025-01-28-hammouchi-spain-visit/index.html")
    assert "Machine translation (Google)" in stale and "Stale" in stale
    assert "<details" in stale and "Show the Arabic original" in stale
    generated = read(site, "en/articles/hammouchi-spain-after-us/index.html")
    assert "Summary generated from extracted facts" in generated
    editor = read(site, "en/articles/2025-01-29-hammouchi-madrid/index.html")
    assert "Machine translation" not in editor and "Stale" not in editor
    missing = read(site, "en/articles/hammouchi-receives-guardia-civil/index.html")
    assert missing.count("not yet translated") >= 2  # title and summary
    assert '<span lang="ar" dir="rtl">تعزيز التعاون الأمني الثنائي' in missing


def test_english_pages_use_english_names_and_mark_missing_ones(site: Path) -> None:
    official = read(site, "en/officials/abdellatif-hammouchi/index.html")
    assert "Director General of National Security" in official
    assert "<bdi>Dieter Romann</bdi>" in official
    unknown = read(site, "en/officials/luis-ballez-benero/index.html")
    assert '<bdi lang="ar">لويس بالييز بنيرو</bdi>' in unknown and "not yet translated" in unknown
    arabic = read(site, "ar/officials/luis-ballez-benero/index.html")
    assert "not yet translated" not in arabic and "لم يُترجم بعد" not in arabic


def _role_beside(page: str, person_id: str) -> str:
    """The role text beside an official's link in an article's fact box."""
    people = page.split('<ul class="people">', 1)[1].split("</ul>", 1)[0]
    item = people.split(f'officials/{person_id}/"', 1)[1].split("</li>", 1)[0]
    return re.sub(r"<[^>]+>", "", item.split('<span class="role">', 1)[1]).strip()


def test_an_article_page_shows_the_role_its_article_gives(tmp_path: Path) -> None:
    # An editor corrects one article's role of a known official, and a second article
    # names the unknown official of another with another role.
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    after_us = content / "articles" / "hammouchi-spain-after-us.md"
    text = after_us.read_text(encoding="utf-8")
    text = text.replace(
        "    role_ar: رئيس الحكومة الإسبانية\n    role_en: Prime Minister of Spain",
        "    role_ar: الأمين العام للحزب الاشتراكي\n    role_en: PSOE leader",
    )
    text = text.replace(
        "countries:",
        "  - id: luis-ballez-benero\n    name_ar: لويس بالييز بنيرو\n"
        "    name_en: null\n    role_ar: قائد الحرس المدني\n    role_en: null\n"
        "    country: PT\n    known: false\ncountries:",
        1,
    )
    after_us.write_text(text, encoding="utf-8")
    out = tmp_path / "public"
    build(content, out, workers=1)
    corrected = read(out, "en/articles/hammouchi-spain-after-us/index.html")
    assert _role_beside(corrected, "pedro-sanchez") == "PSOE leader · Spain"
    assert (
        _role_beside(corrected, "luis-ballez-benero")
        == "قائد الحرس المدني not yet translated · Portugal"
    )
    first = read(out, "ar/articles/hammouchi-receives-guardia-civil/index.html")
    assert (
        _role_beside(first, "luis-ballez-benero")
        == "المسؤول عن جهاز الاستعلامات بالحرس المدني الإسباني · إسبانيا"
    )
    # The official's own page keeps the registry's role, or the first article's.
    assert "Prime Minister of Spain" in read(out, "en/officials/pedro-sanchez/index.html")


def test_official_page_lists_appearances_in_time_order_and_who_they_met(site: Path) -> None:
    page = read(site, "en/officials/abdellatif-hammouchi/index.html")
    order = [
        page.index(f"/en/articles/{slug}/")
        for slug in (
            "2022-06-morocco-us-partnership",
            "2024-11-12-hostile-title",
            "2025-01-28-hammouchi-spain-visit",
            "2025-01-29-hammouchi-madrid",
        )
    ]
    assert order == sorted(order)
    met = page.split("Met with")[1]
    assert "/en/officials/dieter-romann/" in met and "2 times" in met


# --- around the pages ---------------------------------------------------------------------------


def test_sitemap_lists_every_page_with_alternates(site: Path) -> None:
    root = ET.parse(site / "sitemap.xml").getroot()
    urls = root.findall(f"{SM}url")
    locs = {u.find(f"{SM}loc").text for u in urls}
    assert "/en/articles/2025-01-29-hammouchi-madrid/" in locs
    assert "/ar/countries/de/" in locs
    for url in urls:
        langs = {link.get("hreflang") for link in url.findall(f"{XHTML}link")}
        assert langs == {"ar", "en", "x-default"}
    assert "Sitemap: /sitemap.xml" in read(site, "robots.txt")


def test_the_articles_folder_sends_readers_to_the_timeline(site: Path) -> None:
    """A reader who shortens an article's URL gets a page, not a 404: one that search
    engines skip and that names the timeline (which lists every article) as its target."""
    sitemap = ET.parse(site / "sitemap.xml").getroot()
    locs = {url.find(f"{SM}loc").text for url in sitemap.findall(f"{SM}url")}
    for lang in ("ar", "en"):
        html = read(site, f"{lang}/articles/index.html")
        assert f'<meta http-equiv="refresh" content="0; url=/{lang}/timeline/">' in html
        assert '<meta name="robots" content="noindex">' in html
        assert f'<link rel="canonical" href="/{lang}/timeline/">' in html
        assert f'<a href="/{lang}/timeline/">' in html  # for a browser that does not refresh
        assert f"/{lang}/articles/" not in locs
    assert '<meta name="robots"' not in read(site, "en/timeline/index.html")


def test_atom_feeds_parse_and_hold_only_dated_articles(site: Path) -> None:
    for lang in ("ar", "en"):
        feed = ET.parse(site / lang / "feed.xml").getroot()
        assert feed.tag == f"{ATOM}feed"
        entries = feed.findall(f"{ATOM}entry")
        links = [e.find(f"{ATOM}link").get("href") for e in entries]
        assert f"/{lang}/articles/2025-01-29-hammouchi-madrid/" in links
        assert not any("hammouchi-receives-guardia-civil" in link for link in links)
        assert feed.find(f"{ATOM}updated").text == "2025-01-29T00:00:00Z"
        for entry in entries:
            assert entry.find(f"{ATOM}id").text and entry.find(f"{ATOM}updated").text


def test_json_ld_parses_with_article_person_and_event(site: Path) -> None:
    kinds: set[str] = set()
    for path in html_files(site):
        for block in parse(path).jsonld:
            data = json.loads(block)
            kinds.add(data["@type"])
            if data["@type"] == "NewsArticle" and "subjectOf" in data:
                kinds.add(data["subjectOf"]["@type"])
    assert {"NewsArticle", "Person", "Event", "WebSite"} <= kinds


def test_dossier_json_holds_every_fact(site: Path) -> None:
    text = read(site, "data/dossier.json")
    data = json.loads(text)
    assert [a["slug"] for a in data["articles"]] == ARTICLES
    assert text == json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n"
    event = next(e for e in data["events"] if len(e["articles"]) > 1)
    assert event["date"] == "2025-01-28"
    assert event["articles"] == ["2025-01-28-hammouchi-spain-visit", "2025-01-29-hammouchi-madrid"]
    undated = next(a for a in data["articles"] if a["slug"] == "hammouchi-spain-after-us")
    assert undated["event"] is None and undated["event_date"] is None
    assert {o["id"] for o in data["officials"]} >= {"abdellatif-hammouchi", "luis-ballez-benero"}


# --- correctness and safety -------------------------------------------------------------------


def files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_two_builds_are_byte_identical_serial_or_parallel(tmp_path: Path, monkeypatch) -> None:
    from sitegen import render

    build(FIXTURE, tmp_path / "a", workers=1, search=False)
    monkeypatch.setattr(render, "PARALLEL_MIN_JOBS", 1)
    build(FIXTURE, tmp_path / "b", workers=2, search=False)
    files_a = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in files(tmp_path / "a")}
    files_b = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in files(tmp_path / "b")}
    assert files_a.keys() == files_b.keys()
    assert [k for k in files_a if files_a[k] != files_b[k]] == []


def test_hostile_text_renders_as_text(site: Path) -> None:
    for lang in ("ar", "en"):
        page = read(site, f"{lang}/articles/2024-11-12-hostile-title/index.html")
        assert "<script>alert" not in page and "<img" not in page and "<iframe" not in page
        assert "onerror=alert" not in page.replace("onerror=alert(", "")  # only inside text
        assert "&lt;script&gt;alert" in page
        assert "&#34;&gt;&lt;img src=x onerror=alert(" in page or '"&gt;&lt;img' in page
        assert 'href="javascript:' not in page
        assert "<b>مجهول</b>" not in page and "<i>كاتب</i>" not in page
        assert page.count("</script>") == page.count('<script type="application/ld+json">')
    for path in html_files(site):
        for block in parse(path).jsonld:
            assert "<" not in block


def test_a_failed_build_leaves_the_previous_output(tmp_path: Path, capsys) -> None:
    out = tmp_path / "public"
    build(FIXTURE, out, workers=1, search=False)
    before = {p: p.read_bytes() for p in files(out)}
    broken = tmp_path / "content"
    shutil.copytree(FIXTURE, broken)
    path = broken / "articles" / "2025-01-29-hammouchi-madrid.md"
    path.write_text(path.read_text(encoding="utf-8").replace("topics:", "topics: [oops", 1))
    code = main(["build", "--content", str(broken), "--out", str(out), "--no-search"])
    assert code == 1
    err = capsys.readouterr().err
    assert "2025-01-29-hammouchi-madrid.md" in err and "left as it was" in err
    assert {p: p.read_bytes() for p in files(out)} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "public"]


def test_a_template_error_names_the_template(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    (templates / "about.html").write_text("{% extends 'base.html' %}{% block main %}{{ x(}}")
    with pytest.raises(BuildError, match=r"about\.html"):
        build(FIXTURE, tmp_path / "public", templates_dir=templates, search=False)
    assert not (tmp_path / "public").exists()


def test_a_slug_cannot_write_outside_the_output(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    path = content / "articles" / "2025-01-29-hammouchi-madrid.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("slug: 2025-01-29-hammouchi-madrid", "slug: ../../escape"))
    with pytest.raises(BuildError, match="slug"):
        build(content, tmp_path / "out" / "public", search=False)
    assert not (tmp_path / "escape").exists() and not (tmp_path / "out" / "public").exists()


def test_one_stylesheet_with_logical_properties_and_no_other_host(site: Path) -> None:
    css = read(site, "static/site.css")
    physical = re.findall(
        r"(?:margin|padding|border)-(?:left|right)|(?<![-\w])(?:left|right)\s*:|"
        r"text-align:\s*(?:left|right)|float:\s*(?:left|right)",
        css,
    )
    assert physical == []
    assert "@media print" in css and "url(" not in css
    for path in html_files(site):
        text = path.read_text(encoding="utf-8")
        if "search" not in path.parts:  # the search page adds the search UI's own CSS
            assert re.findall(r'<link rel="stylesheet" href="([^"?]*)', text) == [
                "/static/site.css"
            ]
        assert not re.search(r'(src|href)="(https?:)?//(?!example)[^"]*\.(css|js|woff2?)', text)


def test_strict_fails_on_warnings_that_a_normal_build_reports(tmp_path: Path) -> None:
    from sitegen.commands import build as command

    if not command.importlib.util.find_spec(command.VALIDATE_MODULE):
        pytest.skip("sitegen.validate is not here yet")
    result = build(FIXTURE, tmp_path / "ok", search=False)
    assert any("warning" in line for line in result.warnings)
    with pytest.raises(BuildError, match="warning"):
        build(FIXTURE, tmp_path / "strict", strict=True, search=False)
    assert not (tmp_path / "strict").exists()


def test_fingerprints_change_only_for_pages_that_show_a_changed_article(tmp_path: Path) -> None:
    from sitegen.render import plan_pages
    from sitegen.site import load_site

    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    before = {job.path: job.fingerprint for job in plan_pages(load_site(content), "base")}
    path = content / "articles" / "hammouchi-receives-guardia-civil.md"
    path.write_text(path.read_text(encoding="utf-8").replace("اللواء", "الجنرال"), "utf-8")
    after = {job.path: job.fingerprint for job in plan_pages(load_site(content), "base")}
    assert before.keys() == after.keys()
    changed = {p for p in before if before[p] != after[p]}
    for lang in ("ar", "en"):
        assert {
            f"{lang}/articles/hammouchi-receives-guardia-civil/index.html",
            f"{lang}/officials/luis-ballez-benero/index.html",
            f"{lang}/countries/es/index.html",
            f"{lang}/timeline/index.html",
        } <= changed
        assert f"{lang}/articles/2025-01-29-hammouchi-madrid/index.html" not in changed
        assert f"{lang}/topics/cybercrime/index.html" not in changed
        assert f"{lang}/outlets/hommepress/index.html" not in changed
    same_base = {job.path: job.fingerprint for job in plan_pages(load_site(content), "base")}
    assert same_base == after
    other_base = {job.path: job.fingerprint for job in plan_pages(load_site(content), "templates")}
    assert not set(other_base.items()) & set(after.items())


def test_a_build_shows_the_first_warnings_and_counts_the_rest(capsys) -> None:
    from sitegen.commands.build import print_warnings

    print_warnings([f"a.md:{n}: warning: w{n}" for n in range(25)], shown=20)
    lines = capsys.readouterr().err.splitlines()
    assert lines[:20] == [f"a.md:{n}: warning: w{n}" for n in range(20)]
    assert lines[20:] == ["… and 5 more warning(s): `sitegen check` lists them all"]
