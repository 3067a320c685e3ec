#!/usr/bin/env python3
"""Browser test of an evaluator's morning, with the keyboard only: drive the demo in
Debian's headless chromium, at 1366 px and at 390 px (a phone).

Starts `valida serve --demo` on a fresh database in a temporary folder, then, as
evaluateur@demo.test: opens « Mes grilles » filtered on the grids to hand in, opens an
individual draft grid, and — without the mouse — tabs to each criterion, rates it with the
arrow keys (or types its mark), tabs to « Remettre la grille » and presses Enter; then tabs
to « Grille suivante » and presses Enter, and lands on the next grid to hand in. Checks that
the focused control shows its focus and that the page does not scroll sideways.
Prints `N passed, N failed` and exits non-zero on any failure.

    python3 Tests/Browser/evaluator.py --valida .build/debug/valida
"""
import os
import re
import sys

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import UUID, assert_no_sideways_scroll, named_links, run_suite, wait_for  # noqa: E402


def active(s):
    """What has the focus: tag, type, id, name, text, and whether its outline shows."""
    return s.driver.execute_script(
        """const e = document.activeElement;
        const style = getComputedStyle(e);
        return {tag: e.tagName.toLowerCase(), type: (e.type || ''), id: e.id || '', name: e.name || '',
                text: (e.innerText || '').trim(), checked: !!e.checked,
                outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0};""")


def press(s, *keys):
    chain = ActionChains(s.driver)
    for key in keys:
        chain.send_keys(key)
    chain.perform()




def draft_individual_grid(s):
    """An individual grid to hand in, from « Mes grilles » filtered on them (as the home page links it)."""
    s.open("/grids?etat=a-remettre")
    wait_for(s, "À remettre (")
    assert "Toutes (" in s.text() and "Remises (" in s.text(), f"the state filters and counts: {s.text()[:500]}"
    for path, text in named_links(s, rf"/grids/{UUID}"):
        if "Équipe" in text:
            continue
        s.open(path)
        if "Remettre la grille" in s.text() and not s.driver.find_elements(By.XPATH, "//*[starts-with(@id, 'm-')]"):
            return path
        s.open("/grids?etat=a-remettre")
    raise AssertionError("the evaluator has an individual grid to hand in")


def rate_with_keyboard(s):
    """From the top of the grid's page, tab through it: each criterion's radio group gets its
    highest level with the arrow keys (a mark is typed), then Enter on « Remettre la grille »."""
    s.driver.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
    rated, seen_focus_outline = set(), False
    for _ in range(400):
        press(s, Keys.TAB)
        e = active(s)
        if e["tag"] == "input" and e["type"] == "radio" and e["name"].startswith("c-"):
            seen_focus_outline = seen_focus_outline or e["outline"]
            levels = len(s.driver.find_elements(By.CSS_SELECTOR, f"input[type=radio][name='{e['name']}']"))
            # The group's checked radio (« Non noté ») has the focus; the arrows move the choice.
            press(s, *([Keys.ARROW_DOWN] * (levels - 1)))
            rated.add(e["name"])
        elif e["tag"] == "input" and e["type"] in ("number", "text") and e["name"].startswith("c-"):
            seen_focus_outline = seen_focus_outline or e["outline"]
            press(s, Keys.CONTROL + "a", Keys.BACKSPACE, "15")
            rated.add(e["name"])
        elif e["tag"] == "button" and "Remettre la grille" in e["text"]:
            assert rated, "criteria reached by the keyboard before the submit button"
            assert seen_focus_outline, "the focused rating control shows its focus"
            press(s, Keys.ENTER)
            return rated
    raise AssertionError(f"« Remettre la grille » not reached by Tab; rated: {sorted(rated)}")


def follow_next_with_keyboard(s):
    """From the top of the page, tab to « Grille suivante » and press Enter."""
    s.driver.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
    for _ in range(200):
        press(s, Keys.TAB)
        e = active(s)
        if e["id"] == "grille-suivante":
            assert e["tag"] == "a", "« Grille suivante » is a link"
            assert e["outline"], "the focused link shows its focus"
            before = s.driver.current_url
            press(s, Keys.ENTER)
            return before
    raise AssertionError(f"« Grille suivante » not reached by Tab on {s.driver.current_url}: {s.text()[:600]}")


def evaluator_at(width, height):
    def test(s):
        s.driver.set_window_size(width, height)
        s.login("evaluateur@demo.test")
        grid = draft_individual_grid(s)
        assert_no_sideways_scroll(s, f"grid page at {width} px")
        s.shot(f"evaluator-{width}-1-grid")
        rated = rate_with_keyboard(s)
        wait_for(s, "Grille remise")
        assert "Remettre la grille" not in s.text(), "the grid is handed in, read-only"
        assert s.driver.current_url.endswith(grid), f"back on the grid: {s.driver.current_url}"
        s.shot(f"evaluator-{width}-2-submitted")
        for name in rated:
            assert name.startswith("c-")
        assert "Grille suivante" in s.text(), f"the link to the next grid: {s.text()[:600]}"
        follow_next_with_keyboard(s)
        wait_for(s, "Remettre la grille")
        path = s.driver.current_url.replace(s.base, "")
        assert re.fullmatch(rf"/grids/{UUID}", path) and path != grid, f"on another grid: {path}"
        assert_no_sideways_scroll(s, f"next grid at {width} px")
        s.shot(f"evaluator-{width}-3-next")
    test.__name__ = f"test_evaluator_rates_with_the_keyboard_and_goes_on_at_{width}px"
    return test


TESTS = [evaluator_at(1366, 900), evaluator_at(390, 844)]


if __name__ == "__main__":
    run_suite(TESTS)
