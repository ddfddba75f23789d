"""The accessibility check every page of the site must pass: axe-core, WCAG 2.1 A and AA.

axe-core comes from npm (package.json at the repository root; ``npm ci`` installs it). A page is
added to the scan with one line: ``assert_accessible(page)``.
"""

from pathlib import Path

from playwright.sync_api import Page

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page: Page) -> list[dict]:
    """Run axe-core on the page as it stands and return its violations."""
    assert AXE_JS.exists(), f"{AXE_JS} is missing: run `npm ci` at the repository root."
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Injected as an inline script: the scan itself makes no network request.
        page.add_script_tag(path=AXE_JS)
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA
    )
    return results["violations"]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"  {' '.join(node['target'])}")
            lines.extend(f"      {line.strip()}" for line in node["failureSummary"].splitlines())
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """Fail with every WCAG 2.1 A/AA violation axe-core finds on the page."""
    violations = axe_violations(page)
    assert not violations, f"Accessibility violations on {page.url}:\n{describe(violations)}"
