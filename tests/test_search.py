"""Search index: Arabic normalisation for Pagefind, bundles per language, JS port."""

from __future__ import annotations

import asyncio
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from sitegen.publish.search import (
    RULES_FILE,
    SHARDS_FILE,
    SearchDocument,
    build_search_index,
    prepare_search_index,
    record_html,
    shard_count,
    shard_of,
    split_shards,
)
from sitegen.publish.search_text import browser_rules, index_terms, index_text, query_text
from tests.needs import missing_tool

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
        missing_tool("node is needed to check search.js")
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


def _counting_bodies(monkeypatch) -> list[str]:
    """The URLs of the records whose indexed text is made (not taken from the cache)."""
    from sitegen.publish import search

    calls: list[str] = []
    original = search.record_body

    def counting(doc: SearchDocument) -> str:
        calls.append(doc.url)
        return original(doc)

    monkeypatch.setattr(search, "record_body", counting)
    return calls


def _counting_pagefind(monkeypatch) -> list[Path]:
    """The record folders Pagefind is run over."""
    from sitegen.publish import search

    runs: list[Path] = []
    original = search._run_pagefind

    def counting(records: Path, bundle: Path) -> None:
        runs.append(records)
        original(records, bundle)

    monkeypatch.setattr(search, "_run_pagefind", counting)
    return runs


def test_record_cache_normalises_only_changed_records(tmp_path: Path, monkeypatch) -> None:
    calls = _counting_bodies(monkeypatch)
    cache = tmp_path / "cache"
    build_search_index(tmp_path / "one", _docs(), cache_dir=cache)
    assert sorted(calls) == sorted(d.url for d in _docs())
    assert sorted(p.name for p in cache.iterdir()) == ["search-shards-ar", "search-shards-en"]
    calls.clear()
    changed = [*_docs()[1:], SearchDocument("/ar/articles/b/", "ar", "عنوان ثان", "بالرباط", "")]
    build_search_index(tmp_path / "two", changed, cache_dir=cache)
    assert calls == ["/ar/articles/b/"]
    build_search_index(tmp_path / "three", changed)  # no cache: the same bundle
    assert _tree(tmp_path / "two") == _tree(tmp_path / "three")
    for bodies in (cache / "search-shards-ar").glob("*/bodies.pickle"):
        bodies.write_bytes(b"not a pickle")
    changed[-1] = SearchDocument("/ar/articles/b/", "ar", "عنوان ثان", "بالرباط اليوم", "")
    calls.clear()
    build_search_index(tmp_path / "four", changed, cache_dir=cache)
    assert sorted(calls) == ["/ar/articles/a/", "/ar/articles/b/"]
    build_search_index(tmp_path / "five", changed)
    assert _tree(tmp_path / "four") == _tree(tmp_path / "five")


def _many(count: int, language: str = "en") -> list[SearchDocument]:
    """`count` records sharing the word "dossier", each with a word of its own."""
    return [
        SearchDocument(
            f"/{language}/articles/a{i}/", language, f"Title {i}", f"dossier word{i}", f"x{i}"
        )
        for i in range(count)
    ]


def test_shard_count_grows_by_doubling() -> None:
    counts = [shard_count(n, 10) for n in (0, 1, 10, 11, 20, 21, 40, 41, 80)]
    assert counts == [1, 1, 1, 2, 2, 4, 4, 8, 8]
    assert shard_count(10_493) == 16  # the Arabic records of a 10,000-article site
    assert shard_count(5) == 1  # the real content: one bundle, as before shards


def test_shard_assignment_is_stable() -> None:
    """A hash of the URL alone, the same in every process and build."""
    # Pinned: a change of hash would move every record of every cached site.
    assert [shard_of(f"/ar/articles/a{i}/", 16) for i in range(8)] == [3, 7, 8, 5, 13, 9, 12, 8]
    script = "from sitegen.publish.search import shard_of; print(shard_of('/ar/articles/x/', 16))"
    runs = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout.strip()
        for seed in ("1", "2")
    }
    assert runs == {"5"}  # whatever Python's string hashing salt
    # Doubling the count keeps a record in its shard or moves it to one new shard.
    for doc in _many(200):
        assert shard_of(doc.url, 16) in {shard_of(doc.url, 8), shard_of(doc.url, 8) + 8}
    shards = split_shards(_many(200), 30)
    assert [s.count for s in shards] == [8] * len(shards)
    assert split_shards(list(reversed(_many(200))), 30) == shards


def test_sharded_bundles_hold_every_record_once(tmp_path: Path) -> None:
    docs = _many(60)
    build_search_index(tmp_path, docs, shard_size=10)
    bundle = tmp_path / "en" / "pagefind"
    manifest = json.loads((bundle / SHARDS_FILE).read_text(encoding="utf-8"))
    shards = split_shards(docs, 10)
    assert len(shards) == 8 and len(manifest["shards"]) == 7
    assert manifest["shards"] == [f"shards/{s.number}/" for s in shards[1:]]
    held: dict[str, int] = {}
    folders = [bundle, *(bundle / path for path in manifest["shards"])]
    for shard, folder in zip(shards, folders, strict=True):
        urls = _fragments(folder)
        assert sorted(urls) == [d.url for d in shard.docs]
        held.update(dict.fromkeys(urls, shard.number))
        entry = json.loads((folder / "pagefind-entry.json").read_text())
        assert entry["languages"]["en"]["page_count"] == len(shard.docs)
    assert held == {d.url: shard_of(d.url, 8) for d in docs}
    # Pagefind's scripts come from the first bundle alone.
    assert (bundle / "pagefind-ui.js").is_file()
    assert not list((bundle / "shards").rglob("*.js"))
    assert not list((bundle / "shards").rglob("wasm.*"))


def test_small_index_is_one_bundle(tmp_path: Path) -> None:
    build_search_index(tmp_path, _docs())
    for language in ("ar", "en"):
        bundle = tmp_path / language / "pagefind"
        assert json.loads((bundle / SHARDS_FILE).read_text()) == {"shards": []}
        assert not (bundle / "shards").exists()


def test_shard_size_from_the_environment(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SITEGEN_SEARCH_SHARD_SIZE", "10")
    build_search_index(tmp_path, _many(25))
    manifest = json.loads((tmp_path / "en" / "pagefind" / SHARDS_FILE).read_text())
    assert len(manifest["shards"]) == len(split_shards(_many(25), 10)) - 1 == 3


@pytest.mark.parametrize("value", ["0", "-3", "many"])
def test_shard_size_from_the_environment_is_checked(tmp_path: Path, monkeypatch, value) -> None:
    monkeypatch.setenv("SITEGEN_SEARCH_SHARD_SIZE", value)
    with pytest.raises(ValueError, match="SITEGEN_SEARCH_SHARD_SIZE"):
        build_search_index(tmp_path, _many(3))


def test_one_changed_record_reindexes_its_shard_alone(tmp_path: Path, monkeypatch) -> None:
    runs = _counting_pagefind(monkeypatch)
    cache, docs = tmp_path / "cache", _many(60)
    build_search_index(tmp_path / "one", docs, cache_dir=cache, shard_size=10)
    assert len(runs) == len(split_shards(docs, 10)) == 8
    runs.clear()
    build_search_index(tmp_path / "same", docs, cache_dir=cache, shard_size=10)
    assert runs == []
    assert _tree(tmp_path / "same") == _tree(tmp_path / "one")
    changed = list(docs)
    changed[7] = SearchDocument(docs[7].url, "en", "Title 7", "dossier changed", "x7")
    calls = _counting_bodies(monkeypatch)
    build_search_index(tmp_path / "two", changed, cache_dir=cache, shard_size=10)
    assert len(runs) == 1 and calls == [docs[7].url]
    number = shard_of(docs[7].url, 8)
    changed_shard = next(s for s in split_shards(changed, 10) if s.number == number)
    assert runs[0].name == changed_shard.name
    build_search_index(tmp_path / "clean", changed, shard_size=10)
    assert _tree(tmp_path / "two") == _tree(tmp_path / "clean")
    assert _tree(tmp_path / "two") != _tree(tmp_path / "one")
    # The cache keeps the last build's shards only.
    assert len(list((cache / "search-shards-en").iterdir())) == 8


def test_more_shards_reuse_the_indexed_text(tmp_path: Path, monkeypatch) -> None:
    """When the site outgrows its shard count, only the new records are normalised."""
    cache = tmp_path / "cache"
    build_search_index(tmp_path / "one", _many(40), cache_dir=cache, shard_size=10)
    calls = _counting_bodies(monkeypatch)
    build_search_index(tmp_path / "two", _many(45), cache_dir=cache, shard_size=10)
    assert sorted(calls) == sorted(d.url for d in _many(45)[40:])
    assert {s.count for s in split_shards(_many(45), 10)} == {8}
    build_search_index(tmp_path / "clean", _many(45), shard_size=10)
    assert _tree(tmp_path / "two") == _tree(tmp_path / "clean")


def test_title_words_lead_the_record_as_a_heading(tmp_path: Path) -> None:
    """Pagefind weighs a heading above body text: a name in the title ranks first."""
    doc = SearchDocument("/ar/articles/a/", "ar", "الحموشي في مدريد", "نص عن وحموشي", "")
    assert record_html(doc).count("<h1>حموشي في مدريد</h1>") == 1
    build_search_index(tmp_path, [doc])
    record = _fragments(tmp_path / "ar" / "pagefind")["/ar/articles/a/"]
    assert re.findall(r"\w+", record["content"])[:3] == ["حموشي", "في", "مدريد"]


def _folder_ids(bundle: Path) -> dict[str, int]:
    """Each shard folder's inode: a folder linked again is a new one."""
    shards = bundle / "shards"
    found = {"first": bundle.stat().st_ino}
    found.update({p.name: p.stat().st_ino for p in shards.iterdir()} if shards.is_dir() else {})
    return found


@pytest.mark.parametrize("which", ["other", "first"])
def test_an_update_relinks_the_changed_shard_alone(tmp_path: Path, which: str) -> None:
    """`update` swaps in the one changed shard's folder (or, for the first shard, the
    bundle); the result is the bundle a clean call writes."""
    cache, out, docs = tmp_path / "cache", tmp_path / "out", _many(60)
    with prepare_search_index(out, docs, cache, shard_size=10) as index:
        index.write(out)
    before = _folder_ids(out / "en" / "pagefind")
    first = split_shards(docs, 10)[0].number
    position = next(
        i for i, d in enumerate(docs) if (shard_of(d.url, 8) == first) == (which == "first")
    )
    changed = list(docs)
    changed[position] = SearchDocument(docs[position].url, "en", "New", "dossier changed", "x")
    with prepare_search_index(out, changed, cache, shard_size=10) as index:
        index.update(out)
    after = _folder_ids(out / "en" / "pagefind")
    number = str(shard_of(docs[position].url, 8))
    moved = {name for name in before if before[name] != after.get(name)}
    assert moved == ({"first"} if which == "first" else {number})
    build_search_index(tmp_path / "clean", changed, shard_size=10)
    assert _tree(out) == _tree(tmp_path / "clean")
    assert not [p for p in (out / "en").iterdir() if p.name.startswith(".")]  # no litter
