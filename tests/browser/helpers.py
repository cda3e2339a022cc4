"""Keyboard, accessibility and layout checks shared by the browser tests."""

from __future__ import annotations

from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
    },
    "resultTypes": ["violations"],
}
_axe = Axe()


def focus_is_visible(page) -> bool:
    """Return whether the focused element shows a visible focus indicator."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            if (!el || el === document.body) return false;
            const s = getComputedStyle(el);
            const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
            return outline || (s.boxShadow && s.boxShadow !== 'none');
        }"""
    )


def tab_to(
    page, selector: str, text: str = "", *, backwards: bool = False, limit: int = 400
) -> None:
    """Press Tab (or Shift+Tab) until an element matching ``selector`` (and containing
    ``text``) has focus, checking on the way that the focus is visible."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        # Every stop on the way must show where the focus is, not only the destination.
        where = page.evaluate("() => document.activeElement?.outerHTML.slice(0, 120)")
        assert focus_is_visible(page), f"focus is not visible on {where}"
        if page.evaluate(
            "([s, t]) => { const el = document.activeElement;"
            " return !!el && el.matches(s) && (el.textContent || '').includes(t); }",
            [selector, text],
        ):
            return
    raise AssertionError(f"could not reach {selector} {text!r} with {key}")


def follow(page, key: str = "Enter") -> None:
    """Press a key that navigates (a link or a submit button) and wait for the new page."""
    with page.expect_navigation():
        page.keyboard.press(key)


def check_accessibility(page, label: str) -> None:
    """Fail on serious or critical axe violations; print the others."""
    results = _axe.run(page, options=AXE_OPTIONS)
    violations = results.response.get("violations", [])
    bad = [v for v in violations if v.get("impact") in ("serious", "critical")]
    for v in violations:
        if v not in bad:
            print(f"[axe {label}] {v['impact']}: {v['id']} ({len(v['nodes'])} nodes)")
    assert not bad, f"{label}: " + "; ".join(
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']} {v['help']}" for v in bad
    )


def fits_the_viewport(page) -> bool:
    """Return whether the page needs no sideways scrolling."""
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def png_size(path: Path) -> tuple[int, int]:
    """Return a PNG file's (width, height), failing if the file is not a PNG."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR", f"{path} is no PNG"
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
