"""The real extractor's output, written by ingest, passes `sitegen check` and round-trips.

Runs ingest on the repository's seeds into a temporary content folder with a
copy of the real registry: the hand-over between extract, ingest and check.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from sitegen import frontmatter
from sitegen.ingest import ingest
from sitegen.validate import ERROR, validate_content

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def ingested(tmp_path_factory) -> tuple[Path, object]:
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(SEEDS, root / "seeds")
    shutil.copytree(REPO / "content" / "registry", root / "content" / "registry")
    report = ingest([root / "seeds"], root / "content", today=TODAY)
    return root / "content", report


def test_every_seed_becomes_one_valid_content_file(ingested) -> None:
    content_dir, report = ingested
    assert report.ok, report.problems
    files = sorted((content_dir / "articles").glob("*.md"))
    assert len(files) == len(list(SEEDS.glob("*.txt"))) == len(report.created)
    errors = [str(i) for i in validate_content(content_dir) if i.level == ERROR]
    assert errors == []
    sources = {frontmatter.read(path).meta["source"] for path in files}
    assert sources == {f"seeds/{p.name}" for p in SEEDS.glob("*.txt")}
    assert all(path.stem.isascii() for path in files)


def test_reingest_of_unchanged_seeds_changes_nothing(ingested) -> None:
    content_dir, _ = ingested
    before = {p: p.read_bytes() for p in (content_dir / "articles").glob("*.md")}
    report = ingest([content_dir.parent / "seeds"], content_dir, today=TODAY)
    assert report.extracted == 0 and len(report.unchanged) == len(before)
    assert {p: p.read_bytes() for p in before} == before


def test_forced_reextraction_gives_the_same_files(ingested) -> None:
    content_dir, _ = ingested
    before = {p: p.read_bytes() for p in (content_dir / "articles").glob("*.md")}
    report = ingest([content_dir.parent / "seeds"], content_dir, today=TODAY, force=True)
    assert report.extracted == len(before) and not report.kept
    assert {p: p.read_bytes() for p in before} == before


def test_the_site_model_loads_what_ingest_wrote(ingested) -> None:
    from sitegen.site import load_site

    content_dir, _ = ingested
    site = load_site(content_dir)
    assert len(site.articles) == len(list(SEEDS.glob("*.txt")))
    assert "abdellatif-hammouchi" in site.officials
