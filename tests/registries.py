"""Small registries written for a test: one YAML text per registry file."""

from __future__ import annotations

from pathlib import Path

from sitegen.registry import Registry, load_registry


def write_registry(base: Path, **files: str) -> Registry:
    """Write `base/registry/<name>.yaml` for each keyword (officials=…, places=…) and load it."""
    (base / "registry").mkdir()
    for name, text in files.items():
        (base / "registry" / f"{name}.yaml").write_text(text, encoding="utf-8")
    return load_registry(base)
