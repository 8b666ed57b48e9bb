"""One module per `sitegen` command; see sitegen.cli."""

from __future__ import annotations

from pathlib import Path

NO_CONTENT = "no such content folder (run sitegen in the project folder or give --content)"


def missing_content(content_dir: Path) -> str | None:
    """Why `content_dir` cannot be read, if it cannot. Run from the wrong folder,
    sitegen would otherwise make an empty site and put it in place of the real one."""
    return None if Path(content_dir).is_dir() else NO_CONTENT
