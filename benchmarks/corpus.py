"""The benchmarks' synthetic corpus: ../shared/bench/make_articles.py, or a folder given."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAKER = ROOT.parent / "shared" / "bench" / "make_articles.py"


def corpus_folder(folder: Path | None, n: int, tmp: str) -> Path:
    """`folder` when given, else N fresh generated articles under `tmp`."""
    if folder is not None:
        return folder
    out = Path(tmp) / "corpus"
    subprocess.run([sys.executable, str(MAKER), "--n", str(n), "--out", str(out)], check=True)
    return out
