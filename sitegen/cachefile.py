"""Files of the build cache: one pickled dict each, written atomically.

A crash or two builds side by side never leave half a file, and a file that
is missing, unreadable or from another cache version reads as empty: the
build then does the work again instead of failing.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from pathlib import Path

VERSION = 1
_UNREADABLE = (
    OSError,
    pickle.UnpicklingError,
    EOFError,
    AttributeError,
    ImportError,
    TypeError,
    ValueError,
)


def load(path: Path) -> dict:
    """The dict saved at `path`, or {} when it is missing, stale or unreadable."""
    try:
        with open(path, "rb") as handle:
            data = pickle.load(handle)
    except _UNREADABLE:
        return {}
    return data if isinstance(data, dict) and data.get("version") == VERSION else {}


def save(path: Path, data: dict) -> None:
    """Write `data` (with the cache version) to `path` atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name, dir=path.parent)
    with os.fdopen(fd, "wb") as handle:
        pickle.dump({"version": VERSION, **data}, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)
