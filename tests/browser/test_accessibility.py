"""Every page passes axe-core's WCAG 2.1 A and AA rules and works from the keyboard."""

import pytest

from .axe import assert_accessible
from .pages import PAGES, VIEWPORTS

FOCUS_RING = """() => {
    const style = getComputedStyle(document.activeElement);
    return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
}"""


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_wcag_violations(new_context, branch, name, viewport):
    """Narrow screens have their own failures (a table that scrolls sideways, reflow)."""
    page = new_context(viewport=VIEWPORTS[viewport]).new_page()
    PAGES[name](page, branch)
    assert_accessible(page)


@pytest.mark.parametrize(
    "path",
    ["/", "/accounts/sign-in/"],
)
def test_first_tab_reaches_the_skip_link_which_moves_focus_to_main(page, path):
    page.goto(path)

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.evaluate(FOCUS_RING), "the focused skip link has no visible outline"
    assert page.locator(".skip-link").bounding_box()["y"] >= 0, "the skip link stays off screen"

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")
    assert page.evaluate(FOCUS_RING), "the first control in main has no visible outline"
