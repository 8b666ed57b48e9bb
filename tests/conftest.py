"""Fixtures shared by several test modules: the incremental-build tests' content
(a module's own fixture of the same name, as in test_incremental.py, takes
precedence) and the extractor tests' made-up registry."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sitegen.incremental import Builder
from sitegen.registry import Registry
from tests.registries import write_registry
from tests.test_incremental import FIXTURE, _age_all


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of the fixture content, its files aged so the cache may keep them."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURE, target)
    _age_all(target)
    return target


@pytest.fixture
def full_builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the builds that made the model from every article (`Builder._model`)."""
    calls: list[int] = []
    model = Builder._model

    def counted(self, *args):
        calls.append(1)
        return model(self, *args)

    monkeypatch.setattr(Builder, "_model", counted)
    return calls


@pytest.fixture(scope="module")
def made_up_registry(tmp_path_factory: pytest.TempPathFactory) -> Registry:
    """A small registry for made-up sentences: one known Moroccan and one Portuguese
    official (a hyphenated Latin alias), two capitals and a town, three topics."""
    return write_registry(
        tmp_path_factory.mktemp("content"),
        officials=(
            "- id: karim-test\n  name_en: Karim Test\n  aliases_ar: [كريم التجريبي, التجريبي]\n"
            "  role_en: Director of Tests\n  country: MA\n"
            "- id: pedro-gomez-ruiz\n  name_en: Pedro Gómez-Ruiz\n"
            "  aliases_ar: [بيدرو غوميث رويث]\n"
            "  aliases_latin: [Pedro Gómez-Ruiz, Gómez-Ruiz]\n  country: PT\n"
        ),
        places=(
            "- {id: rabat, name_en: Rabat, aliases_ar: [الرباط], country: MA, capital: true}\n"
            "- {id: lisbon, name_en: Lisbon, aliases_ar: [لشبونة], country: PT, capital: true}\n"
            "- {id: tangier, name_en: Tangier, aliases_ar: [طنجة], country: MA, capital: false}\n"
        ),
        countries="PT: {demonyms_ar: [برتغالي, برتغالية]}\nMA: {demonyms_ar: [مغربي, مغربية]}\n",
        topics=(
            "terrorism: {en: Terrorism, ar: الإرهاب, cues_ar: [الإرهاب]}\n"
            "cybercrime: {en: Cybercrime, ar: الجريمة السيبرانية, cues_ar: [الإرهاب الإلكتروني]}\n"
            "training: {en: Training, ar: التكوين, cues_ar: [دورات تكوينية]}\n"
        ),
    )
