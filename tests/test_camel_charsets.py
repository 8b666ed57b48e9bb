"""camel-tools' character sets from the user's cache equal those its module makes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# Prints where the sets came from and a digest of every name's value.
REPORT = """
import hashlib, sys
{setup}
m = sys.modules["camel_tools.utils.charsets"]
names = sorted(n for n, v in vars(m).items() if isinstance(v, frozenset))
digest = hashlib.sha256()
for n in names:
    digest.update(n.encode() + b"=" + "".join(sorted(vars(m)[n])).encode("utf-8", "surrogatepass"))
from camel_tools.utils.charsets import EMOJI_DATA
print("cached" if "__getattr__" in vars(m) else "imported", len(names), digest.hexdigest(),
      len(EMOJI_DATA) > 1000)
"""


def _report(cache_home: Path, setup: str = "import sitegen.extract.text") -> list[str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    code = REPORT.format(setup=setup)
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.split()


def test_cached_sets_equal_the_modules_own(tmp_path: Path) -> None:
    real = _report(tmp_path / "unused", setup="import camel_tools.utils.charsets")
    first = _report(tmp_path)
    files = list((tmp_path / "sitegen").glob("camel-charsets-*.pickle"))
    second = _report(tmp_path)
    assert real[0] == "imported" and first[0] == "imported" and len(files) == 1
    assert second[0] == "cached"
    assert second[1:] == first[1:] == real[1:]  # same names, same values, EMOJI_DATA found
    assert int(real[1]) > 20


def test_a_broken_cache_file_is_made_again(tmp_path: Path) -> None:
    _report(tmp_path)
    (cached,) = (tmp_path / "sitegen").glob("camel-charsets-*.pickle")
    cached.write_bytes(b"not a pickle")
    assert _report(tmp_path)[0] == "imported"
    assert _report(tmp_path)[0] == "cached"


def test_a_cache_folder_that_cannot_be_made_is_no_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would go", encoding="utf-8")
    assert _report(blocker)[0] == "imported"
    assert _report(blocker)[0] == "imported"
