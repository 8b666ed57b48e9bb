"""camel-tools, imported with its character sets read from the user's cache.

Importing `camel_tools.utils.charsets` sorts all 1.1 million Unicode code
points into letters, marks, numbers, punctuation and symbols, in Python: 0.4 s
in every process that tokenises Arabic (ingest, a cold build's registry, a
rebuild that re-indexes search), more than the rest of a one-article rebuild's
own work. The sets depend only on that module's code, the emoji package and
Python's Unicode database, so the first run pickles them under the user's
cache folder and later runs make the module from the pickle (0.04 s): the same
names with equal values. A missing, stale or unreadable file, or a cache
folder that cannot be written, means the module is imported as usual.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import os
import pickle
import sys
import tempfile
import types
import unicodedata
from pathlib import Path
from typing import Any

from sitegen.cachefile import user_cache_home

CHARSETS = "camel_tools.utils.charsets"
# Names the module takes from elsewhere: looked up there when first asked for.
_BORROWED = {"EMOJI_DATA": ("emoji", "EMOJI_DATA"), "unicodedata": ("unicodedata", None)}


def install_charsets() -> None:
    """Put camel-tools' character sets in `sys.modules`, from the cache when it holds them."""
    if CHARSETS in sys.modules:
        return
    spec = importlib.util.find_spec(CHARSETS)
    if spec is None or spec.origin is None:
        return  # camel-tools is missing: its own import names the problem
    path = user_cache_home() / f"camel-charsets-{_digest(spec.origin)}.pickle"
    names = _load(path)
    if names is None:
        _save(path, _public_names(importlib.import_module(CHARSETS)))
        return
    sys.modules[CHARSETS] = _module(spec, names)


def _digest(origin: str) -> str:
    """What the sets are made from: the module's code, emoji's version, Unicode's."""
    digest = hashlib.sha256(Path(origin).read_bytes())
    emoji = importlib.util.find_spec("emoji")
    if emoji is not None and emoji.origin:
        digest.update(Path(emoji.origin).read_bytes())  # holds its __version__
    digest.update(f"{unicodedata.unidata_version}|{sys.version}".encode())
    return digest.hexdigest()[:16]


def _public_names(module: types.ModuleType) -> dict[str, Any]:
    return {
        name: value
        for name, value in vars(module).items()
        if not name.startswith("__") and name not in _BORROWED
    }


def _module(spec: Any, names: dict[str, Any]) -> types.ModuleType:
    module = importlib.util.module_from_spec(spec)
    vars(module).update(names)
    vars(module)["__getattr__"] = _borrowed
    return module


def _borrowed(name: str) -> Any:
    """A name the real module imports from another package, imported when asked for."""
    if name not in _BORROWED:
        raise AttributeError(f"module {CHARSETS!r} has no attribute {name!r}")
    package, attribute = _BORROWED[name]
    value = importlib.import_module(package)
    value = getattr(value, attribute) if attribute else value
    setattr(sys.modules[CHARSETS], name, value)
    return value


def _load(path: Path) -> dict[str, Any] | None:
    try:
        with open(path, "rb") as handle:
            names = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError):
        return None
    return names if isinstance(names, dict) and "UNICODE_LETTER_CHARSET" in names else None


def _save(path: Path, names: dict[str, Any]) -> None:
    """Write the pickle atomically; a cache folder that cannot be written is no error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name, dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(names, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        return


install_charsets()

# The parts sitegen uses, imported after the sets are in place.
from camel_tools.tokenizers.word import simple_word_tokenize  # noqa: E402
from camel_tools.utils.dediac import dediac_ar  # noqa: E402
from camel_tools.utils.normalize import (  # noqa: E402
    normalize_alef_ar,
    normalize_alef_maksura_ar,
    normalize_teh_marbuta_ar,
    normalize_unicode,
)

__all__ = [
    "dediac_ar",
    "install_charsets",
    "normalize_alef_ar",
    "normalize_alef_maksura_ar",
    "normalize_teh_marbuta_ar",
    "normalize_unicode",
    "simple_word_tokenize",
]
