"""The extractor's own data files (vocabularies and patterns), loaded once."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from sitegen.frontmatter import load_yaml

DATA_DIR = Path(__file__).resolve().parent / "data"


@cache
def load_data(name: str) -> Any:
    """Parsed `data/<name>.yaml`; errors name the file and line."""
    path = DATA_DIR / f"{name}.yaml"
    return load_yaml(path.read_text(encoding="utf-8"), path)
