"""What a test does when a tool it needs is not installed."""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def missing_tool(message: str) -> NoReturn:
    """Fail on CI, which installs every tool (.ci/run); skip elsewhere, so that
    `uv run pytest` passes on a fresh machine that has only uv."""
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)
