"""Pages fit a phone's screen: nothing scrolls sideways at 375 px.

Screenshots go to $SCREENSHOTS_DIR when it is set (for a person to look at), else to a
temporary folder.
"""

import os
from pathlib import Path

import pytest

from .pages import PAGES, VIEWPORTS

LOOKED_AT = ["home-kk", "sign-in", "profile", "commission-detail"]


@pytest.fixture
def screenshots(tmp_path) -> Path:
    folder = Path(os.environ.get("SCREENSHOTS_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("name", LOOKED_AT)
def test_page_fits_the_screen_without_sideways_scrolling(
    new_context, branch, screenshots, name, viewport
):
    page = new_context(viewport=VIEWPORTS[viewport]).new_page()
    PAGES[name](page, branch)

    page.screenshot(path=screenshots / f"{name}-{viewport}.png", full_page=True)
    scroll_width, inner_width = page.evaluate(
        "[document.scrollingElement.scrollWidth, window.innerWidth]"
    )
    assert scroll_width <= inner_width, f"{name} is {scroll_width}px wide in {inner_width}px"
