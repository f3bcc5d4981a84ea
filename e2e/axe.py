"""axe-core accessibility check for Playwright pages (WCAG 2.1 A and AA rules).

axe-core is vendored from its npm package (`e2e/vendor/axe-core-4.14.1/`, Mozilla Public License
2.0, tarball sha256 e6b0ce02b84d892e2e33e403485e7f3d6c29e2be6df65daf44d89ba564139745), so the check
runs without network. `assert_accessible(page)` injects it into the page, runs it and fails with
each violation's rule, impact and the first offending elements.
"""

from __future__ import annotations

from pathlib import Path

AXE_SCRIPT = Path(__file__).resolve().parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page, *, tags: list[str] | None = None) -> list[dict]:
    # evaluate() runs through the DevTools protocol, which the page's Content-Security-Policy
    # (no inline script) does not block, unlike add_script_tag().
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        tags or WCAG_21_AA,
    )
    return result["violations"]


def assert_accessible(page, *, tags: list[str] | None = None) -> None:
    violations = axe_violations(page, tags=tags)
    lines = []
    for v in violations:
        targets = ", ".join(str(n["target"]) for n in v["nodes"][:3])
        lines.append(
            f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} element(s): {targets}"
        )
    assert not violations, f"axe-core on {page.url}:\n" + "\n".join(lines)
