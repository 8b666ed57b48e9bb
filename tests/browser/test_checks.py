"""The in-page checks themselves catch what they are meant to catch."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

pytestmark = pytest.mark.browser

JS = Path(__file__).parent / "js"
PAGE = """<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
<style>body {{ margin: 0; background: #fff; }} {style}</style></head>
<body><main>{body}</main></body></html>"""


def _run(page: Page, script: str, body: str, style: str = "") -> dict:
    page.set_viewport_size({"width": 360, "height": 640})
    page.set_content(PAGE.format(body=body, style=style))
    return page.evaluate((JS / script).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("style", "fails"),
    [
        ("p { color: #777; }", True),  # 4.48:1 on white
        ("p { color: #767676; }", False),  # 4.54:1
        ("main { background: #13233a; } p { color: #56606c; }", True),
        ("main { background: #13233a; } p { color: #f3efe6; }", False),
        ("p { color: rgba(0, 0, 0, 0.3); }", True),
        ("p { color: #000; opacity: 0.35; }", True),
        ("p { color: #949494; font-size: 24px; }", False),  # large text needs 3:1
    ],
)
def test_contrast_check_judges_arabic_text(page: Page, style: str, fails: bool) -> None:
    result = _run(page, "contrast.js", "<p>نص عربي قصير</p>", style)
    assert result["checked"] == 1
    assert bool(result["failures"]) is fails, result


def test_contrast_check_does_not_guess_over_images(page: Page) -> None:
    style = "p { background-image: linear-gradient(#000, #fff); }"
    result = _run(page, "contrast.js", "<p>نص</p>", style)
    assert result["unknown"] == ["p"]


@pytest.mark.parametrize(
    ("body", "overflows"),
    [
        ("<p>نص قصير</p>", False),
        ('<div style="inline-size: 500px">واسع</div>', True),
        ('<pre style="white-space: pre">' + "كلمة " * 60 + "</pre>", True),
    ],
)
def test_overflow_check_finds_what_sticks_out(page: Page, body: str, overflows: bool) -> None:
    result = _run(page, "overflow.js", body)
    assert (result["scrollWidth"] > result["clientWidth"]) is overflows
    assert bool(result["offenders"]) is overflows
