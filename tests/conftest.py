"""Fixtures shared by the incremental-build tests (a module's own fixture of the
same name, as in test_incremental.py, takes precedence)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sitegen.incremental import Builder
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
