"""data/dossier.json: kept per-article texts never outlive the facts they were made from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitegen.publish.data import dossier, dossier_json
from sitegen.site import load_site

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "content"


def _expected(site) -> str:
    return json.dumps(dossier(site), ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def test_a_second_call_after_an_edit_writes_the_new_facts() -> None:
    site = load_site(FIXTURE)
    assert dossier_json(site) == _expected(site)
    article = site.articles[0]
    article.summary_ar, article.digest = "ملخص جديد", "0" * 64  # as a re-read file would be
    event = site.events[0]
    event.articles.append(site.undated[0])  # an event that gained a report
    text = dossier_json(site)
    assert text == _expected(site)
    assert "ملخص جديد" in text


def test_an_outlet_renamed_in_the_registry_is_written_again() -> None:
    site = load_site(FIXTURE)
    dossier_json(site)
    outlet = next(a.outlet for a in site.articles if a.outlet is not None)
    outlet.name_en = "Renamed Outlet"
    assert dossier_json(site) == _expected(site)


def test_texts_kept_in_a_file_are_used_by_the_next_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sitegen import cachefile
    from sitegen.publish import data

    kept = tmp_path / "texts.pickle"
    site = load_site(FIXTURE)
    monkeypatch.setattr(data, "KEEP_AFTER", 1)
    data._TEXTS.clear()
    first = dossier_json(site, kept)
    assert kept.exists()
    data._TEXTS.clear()  # a new process
    stored = cachefile.load(kept)["texts"]
    assert len(stored) >= len(site.articles)
    article = site.articles[0]
    article.summary_ar, article.digest = "ملخص آخر", "1" * 64
    second = dossier_json(site, kept)
    assert second == _expected(site) != first
    kept.write_bytes(b"not a pickle")
    data._TEXTS.clear()
    assert dossier_json(site, kept) == _expected(site)
