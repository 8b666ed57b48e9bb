"""Precision, recall and F1 of `extract_facts` on articles it was not built on.

Usage: uv run python scripts/evaluate_realworld.py [REALWORLD_DIR] [--today YYYY-MM-DD]

REALWORLD_DIR (default ../shared/realworld) holds articles/*.txt and gold.yaml
in the seed-gold format. Required gold facts are the truth; a found fact that
is only in `optional` counts neither as a true nor as a false positive.
Scores are micro-averaged over the articles, per field.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from sitegen.extract import extract_facts
from sitegen.extract.text import normalize
from sitegen.rawtext import read_raw_article

ROOT = Path(__file__).resolve().parent.parent
FIELDS = ("countries", "officials", "places", "topics")
TARGETS = {"countries": 0.85, "officials": 0.75, "places": 0.7, "topics": 0.7}


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _person_keys(person: dict) -> set[str]:
    keys = {f"id:{person['id']}"} if person.get("id") else set()
    keys |= {normalize(person[k]) for k in ("name_ar", "name_en") if person.get(k)}
    return keys


def _items(field: str, values: list) -> list[set[str]]:
    """Each fact as the set of keys it can be matched by."""
    if field == "officials":
        return [_person_keys(v) for v in values]
    return [{v["id"] if isinstance(v, dict) else v} for v in values]


def score_field(field: str, found: list, gold: dict, score: Score) -> list[str]:
    """Add one article's counts to `score`; return readable misses and extras."""
    required = _items(field, gold.get("required") or [])
    optional = _items(field, gold.get("optional") or [])
    found_items = _items(field, found)
    notes = []
    for item in required:
        if any(item & f for f in found_items):
            score.tp += 1
        else:
            score.fn += 1
            notes.append(f"  missed {field}: {sorted(item)[0]}")
    for item in found_items:
        if any(item & g for g in required) or any(item & g for g in optional):
            continue
        score.fp += 1
        notes.append(f"  extra  {field}: {sorted(item)[0]}")
    return notes


def evaluate(folder: Path, today: date, verbose: bool) -> dict[str, Score]:
    gold = yaml.safe_load((folder / "gold.yaml").read_text(encoding="utf-8"))["articles"]
    scores = {field: Score() for field in FIELDS}
    for article in gold:
        path = folder / "articles" / article["file"]
        facts = extract_facts(read_raw_article(path), str(path), today=today)
        notes = []
        for field in FIELDS:
            notes += score_field(field, facts[field], article[field], scores[field])
        if verbose and notes:
            print(article["file"], *notes, sep="\n")
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=ROOT.parent / "shared/realworld")
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 11, 23))
    parser.add_argument("-v", "--verbose", action="store_true", help="list misses and extras")
    args = parser.parse_args(argv)
    scores = evaluate(args.folder, args.today, args.verbose)
    print(f"{'field':<10} {'P':>6} {'R':>6} {'F1':>6} {'target':>7}  tp/fp/fn")
    below = 0
    for field, score in scores.items():
        ok = score.f1 >= TARGETS[field]
        below += not ok
        print(
            f"{field:<10} {score.precision:6.2f} {score.recall:6.2f} {score.f1:6.2f}"
            f" {TARGETS[field]:7.2f}  {score.tp}/{score.fp}/{score.fn}{'' if ok else '  below'}"
        )
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
