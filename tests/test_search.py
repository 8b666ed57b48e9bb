"""Search index: Arabic normalisation for Pagefind, bundles per language, JS port."""

from __future__ import annotations

import asyncio
import gzip
import json
import os
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from sitegen.publish.search import RULES_FILE, SearchDocument, build_search_index, record_html
from sitegen.publish.search_text import browser_rules, index_terms, index_text, query_text

ROOT = Path(__file__).resolve().parents[1]
SEARCH_JS = ROOT / "templates" / "static" / "search.js"
PROCLITICS = ["و", "ف", "ب", "ل", "ك", "ال", "وال", "بال", "فال", "كال", "لل", "ولل", "وب", "فب"]


def _finds(query: str, text: str) -> bool:
    """Whether every word of the reduced query is an indexed word of `text`."""
    indexed = set(index_text(text, "ar").split())
    return all(word in indexed for word in query_text(query, "ar").split())


@pytest.mark.parametrize("prefix", PROCLITICS)
@pytest.mark.parametrize("bare", ["حموشي", "كتب", "رباط", "إسبانيا", "مخابرات"])
def test_bare_word_finds_prefixed_form(bare: str, prefix: str) -> None:
    assert _finds(bare, f"قال {prefix}{bare} اليوم")


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("الحموشي", "استقبل وحموشي"),
        ("الكتب", "والكتب"),
        ("اسبانيا", "زار إسبانيا"),
        ("إسبانيا", "زار اسبانيا"),
        ("الشرطة", "رجال الشرطه"),
        ("مستشفى", "في مستشفي"),
        ("الأمن", "الأَمْنُ الوطني"),
        ("٢٠٣٠", "كأس العالم 2030"),
    ],
)
def test_variant_spellings_meet(query: str, text: str) -> None:
    assert _finds(query, text)


def test_unrelated_word_is_not_found() -> None:
    assert not _finds("مدريد", "استقبل الحموشي في الرباط")


def test_english_text_is_indexed_as_written() -> None:
    assert index_text("Hammouchi met Sánchez.", "en") == "Hammouchi met Sánchez."
    assert query_text("Hammouchi", "en") == "Hammouchi"


def _docs() -> list[SearchDocument]:
    return [
        SearchDocument("/ar/articles/b/", "ar", "عنوان ثان", "وحموشي في مدريد", "مدريد"),
        SearchDocument("/ar/articles/a/", "ar", "عنوان", "استقبل الحموشي", "استقبل"),
        SearchDocument("/en/articles/a/", "en", "Title", "Hammouchi received", "received"),
    ]


def test_one_bundle_per_language(tmp_path: Path) -> None:
    build_search_index(tmp_path, _docs())
    for language in ("ar", "en"):
        bundle = tmp_path / language / "pagefind"
        entry = json.loads((bundle / "pagefind-entry.json").read_text())
        assert list(entry["languages"]) == [language]
        assert (bundle / "pagefind-ui.js").is_file()
        rules = json.loads((bundle / RULES_FILE).read_text(encoding="utf-8"))
        assert rules["language"] == language
    assert entry["languages"]["en"]["page_count"] == 1


def test_bundle_is_reproducible_and_replaces_old_files(tmp_path: Path) -> None:
    build_search_index(tmp_path / "one", _docs())
    stale = tmp_path / "two" / "ar" / "pagefind" / "fragment" / "stale.pf_fragment"
    stale.parent.mkdir(parents=True)
    stale.write_text("old")
    build_search_index(tmp_path / "two", list(reversed(_docs())))
    assert _tree(tmp_path / "one") == _tree(tmp_path / "two")


def test_index_builds_inside_a_running_event_loop(tmp_path: Path) -> None:
    """As under the dev server's loop or Playwright's: asyncio.run alone would refuse."""

    async def build_from_a_coroutine() -> None:
        asyncio.get_running_loop()
        build_search_index(tmp_path, _docs())

    # A thread of the test's own: this one may already run Playwright's loop.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, build_from_a_coroutine()).result()
    assert (tmp_path / "en" / "pagefind" / "pagefind-entry.json").is_file()


def _fragments(bundle: Path) -> dict[str, dict]:
    """Pagefind's stored records by URL (gzipped JSON after a signature)."""
    out = {}
    for path in (bundle / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        record = json.loads(data[data.index(b"{") :])
        out[record["url"]] = record
    return out


def test_records_keep_originals_as_meta_and_index_normalised_text(tmp_path: Path) -> None:
    hostile = 'عنوان <script>alert("x")</script>, مع: فاصلة'
    docs = [SearchDocument("/ar/articles/x/", "ar", hostile, "والكتب وحموشي", "مقتطف: <b>أ</b>")]
    build_search_index(tmp_path, docs)
    record = _fragments(tmp_path / "ar" / "pagefind")["/ar/articles/x/"]
    assert record["meta"]["title"] == hostile
    assert record["meta"]["excerpt"] == "مقتطف: <b>أ</b>"
    assert {"كتب", "حموشي"} <= set(re.findall(r"\w+", record["content"]))
    assert "<script>" not in record["content"]


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _sample_words() -> list[str]:
    """Words of the raw seeds and content: real press spelling, every variant."""
    words: set[str] = set()
    for folder in (ROOT / "seeds", ROOT / "content" / "articles"):
        for path in sorted(folder.glob("*.*")):
            words.update(path.read_text(encoding="utf-8", errors="replace").split())
    words.update(f"{p}{w}" for p in PROCLITICS for w in ("حموشي", "أمن", "آمال", "إلى"))
    words.update(["الأَمْنُ", "ﻻ", "ﷲ", "ABC", "Sánchez", "٢٠٣٠", "مستشفى", "الشرطة", "ـالـحـمـوشـي"])
    return sorted(words)


def test_browser_port_reduces_queries_like_python() -> None:
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI"):
            pytest.fail("node is required on CI to check search.js")
        pytest.skip("node is not installed")
    words = _sample_words()
    script = (
        "const {queryKey} = require(process.argv[1]);"
        "const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "process.stdout.write(JSON.stringify(input.words.map(w => queryKey(w, input.rules))));"
    )
    payload = json.dumps({"words": words, "rules": browser_rules("ar")})
    result = subprocess.run(
        [node, "-e", script, str(SEARCH_JS)],
        input=payload,
        capture_output=True,
        text=True,
        check=True,
    )
    from_js = json.loads(result.stdout)
    mismatches = [
        (w, js, query_text(w, "ar"))
        for w, js in zip(words, from_js, strict=True)
        if js != query_text(w, "ar")
    ]
    assert len(words) > 500
    assert mismatches == []


def test_memoised_normalisation_reads_like_the_whole_text() -> None:
    """Word-by-word (memoised) gives the tokens of normalising the whole text at once."""
    from sitegen.extract.text import core_variants
    from sitegen.publish.search_text import _words

    text = " ".join(_sample_words()) + " ﷺ\u00a0والكتب\tبالرباط،وحموشي"
    whole = " ".join(v for word in _words(text) for v in core_variants(word))
    assert index_text(text, "ar") == whole
    assert index_text(text, "ar") == whole  # and again, from the memo


@pytest.mark.parametrize("language", ["ar", "en"])
def test_index_terms_are_every_indexed_word_once(language: str) -> None:
    text = "قال الحموشي والحموشي وحموشي في الرباط. Hammouchi met Hammouchi في الرباط"
    terms = index_terms(text, language).split()
    assert len(terms) == len(set(terms))
    assert set(terms) == set(index_text(text, language).split())
    assert terms[0] == index_text("قال", language)


def test_record_cache_normalises_only_changed_records(tmp_path: Path, monkeypatch) -> None:
    from sitegen.publish import search

    calls: list[str] = []
    original = search.record_body

    def counting(doc: SearchDocument) -> str:
        calls.append(doc.url)
        return original(doc)

    monkeypatch.setattr(search, "record_body", counting)
    cache = tmp_path / "cache"
    build_search_index(tmp_path / "one", _docs(), cache_dir=cache)
    assert sorted(calls) == sorted(d.url for d in _docs())
    assert sorted(p.name for p in cache.iterdir()) == [
        "search-records-ar.pickle",
        "search-records-en.pickle",
    ]
    calls.clear()
    changed = [*_docs()[1:], SearchDocument("/ar/articles/b/", "ar", "عنوان ثان", "بالرباط", "")]
    build_search_index(tmp_path / "two", changed, cache_dir=cache)
    assert calls == ["/ar/articles/b/"]
    build_search_index(tmp_path / "three", changed)  # no cache: the same bundle
    assert _tree(tmp_path / "two") == _tree(tmp_path / "three")
    (cache / "search-records-ar.pickle").write_bytes(b"not a pickle")
    calls.clear()
    build_search_index(tmp_path / "four", changed, cache_dir=cache)
    assert sorted(calls) == ["/ar/articles/a/", "/ar/articles/b/"]
    assert _tree(tmp_path / "four") == _tree(tmp_path / "three")


def test_title_words_lead_the_record_as_a_heading(tmp_path: Path) -> None:
    """Pagefind weighs a heading above body text: a name in the title ranks first."""
    doc = SearchDocument("/ar/articles/a/", "ar", "الحموشي في مدريد", "نص عن وحموشي", "")
    assert record_html(doc).count("<h1>حموشي في مدريد</h1>") == 1
    build_search_index(tmp_path, [doc])
    record = _fragments(tmp_path / "ar" / "pagefind")["/ar/articles/a/"]
    assert re.findall(r"\w+", record["content"])[:3] == ["حموشي", "في", "مدريد"]
