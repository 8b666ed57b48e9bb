"""`sitegen extract seeds --json` against the hand-checked seed facts.

Every `required` fact must be found and nothing outside `required` +
`optional` may be (../shared/fixtures/seed-gold.yaml, FACTS.md).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from sitegen.extract.text import normalize

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT.parent / "shared" / "fixtures" / "seed-gold.yaml"


def _gold() -> list[dict]:
    return yaml.safe_load(GOLD.read_text(encoding="utf-8"))["articles"]


@pytest.fixture(scope="module")
def extracted() -> dict[str, dict]:
    command = ["extract", "seeds", "--json", "--today", "2026-11-23"]
    result = subprocess.run(
        [sys.executable, "-m", "sitegen.cli", *command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    facts = json.loads(result.stdout)
    assert isinstance(facts, list)
    return {Path(f["source"]).name: f for f in facts}


ARTICLES = _gold()
IDS = [a["file"] for a in ARTICLES]


def test_every_seed_is_extracted_with_the_contract_keys(extracted: dict[str, dict]) -> None:
    assert sorted(extracted) == sorted(IDS)
    keys = {
        "source", "title_ar", "outlet_ar", "author_ar", "published", "event_date", "dates",
        "officials", "countries", "places", "topics", "summary_ar", "body_ar",
    }  # fmt: skip
    for facts in extracted.values():
        assert set(facts) == keys


@pytest.mark.parametrize("gold", ARTICLES, ids=IDS)
def test_header_facts(gold: dict, extracted: dict[str, dict]) -> None:
    facts = extracted[gold["file"]]
    for key in ("title_ar", "outlet_ar", "published", "event_date"):
        assert facts[key] == gold[key], key
    assert sorted({d["date"] for d in facts["dates"]}) == sorted(gold["dates"])


def _same_person(found: dict, gold: dict) -> bool:
    if gold.get("id") and found["id"] == gold["id"]:
        return True
    names = {normalize(gold[k]) for k in ("name_ar", "name_en") if gold.get(k)}
    return bool(names & {normalize(found[k]) for k in ("name_ar", "name_en") if found.get(k)})


@pytest.mark.parametrize("gold", ARTICLES, ids=IDS)
def test_officials(gold: dict, extracted: dict[str, dict]) -> None:
    found = extracted[gold["file"]]["officials"]
    required = gold["officials"]["required"]
    allowed = required + gold["officials"]["optional"]
    for person in required:
        matches = [f for f in found if _same_person(f, person)]
        assert matches, f"missing official {person}"
        if "country" in person:
            assert matches[0]["country"] == person["country"], person
    for person in found:
        assert any(_same_person(person, g) for g in allowed), f"unexpected official {person}"


@pytest.mark.parametrize("field", ["countries", "topics", "places"])
@pytest.mark.parametrize("gold", ARTICLES, ids=IDS)
def test_lists_within_required_and_optional(
    gold: dict, field: str, extracted: dict[str, dict]
) -> None:
    values = extracted[gold["file"]][field]
    found = {v["id"] if isinstance(v, dict) else v for v in values}
    required = set(gold[field]["required"])
    allowed = required | set(gold[field]["optional"])
    assert required <= found, f"missing {sorted(required - found)}"
    assert found <= allowed, f"unexpected {sorted(found - allowed)}"


@pytest.mark.parametrize("gold", ARTICLES, ids=IDS)
def test_boilerplate_is_removed(gold: dict, extracted: dict[str, dict]) -> None:
    body = extracted[gold["file"]]["body_ar"]
    assert body.strip()
    for phrase in gold["boilerplate_absent"]:
        assert phrase not in body, phrase
