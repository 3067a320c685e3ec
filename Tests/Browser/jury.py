#!/usr/bin/env python3
"""Browser test of the jury's afternoon: drive the demo in Debian's headless chromium.

Starts `valida serve --demo` on a fresh database in a temporary folder, then, as
jury@demo.test, at 1366 px and at 390 px (a phone): opens this year's deliberation filtered
to the candidates with an undecided case (the filter stays in the address and in the links),
opens one, chooses a decision for every block, requirement and the certification, and
records them all in ONE post; the page then lists every decision. Neither page scrolls
sideways: the matrix scrolls in its own box.
Prints `N passed, N failed` and exits non-zero on any failure.

    python3 Tests/Browser/jury.py --valida .build/debug/valida
"""
import os
import sys

from selenium.webdriver.common.by import By

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import UUID, assert_no_sideways_scroll, named_links, run_suite, wait_for  # noqa: E402

# The decision that agrees with each computed result (the class of its badge): no
# justification is then needed.
AGREEING = {"validated": "validated", "not-validated": "not-validated", "deferred": "deferred", "incomplete": "deferred"}




def decide_one_candidate(s, width):
    s.driver.set_window_size(width, 900)
    s.login("jury@demo.test")
    s.open("/juries")
    juries = [path for path, text in named_links(s, rf"/juries/{UUID}") if "2026" in text]
    assert juries, "the jury member sees this year's jury"
    s.open(juries[0] + "/deliberation?indecis=on")
    assert s.driver.find_elements(By.CSS_SELECTOR, ".matrix-box table.matrix"), "the matrix is in its own box"
    assert "Légende" in s.text(), "the matrix has its legend"
    assert_no_sideways_scroll(s, f"deliberation at {width} px")
    s.shot(f"jury-deliberation-{width}")
    candidates = [path for path, _ in named_links(s, rf"{juries[0]}/candidates/{UUID}\?indecis=on")]
    assert candidates, "the undecided filter lists candidates, and their links keep it"
    form = None
    for path in candidates:
        s.open(path)
        found = s.driver.find_elements(By.CSS_SELECTOR, "form.decisions")
        if found:
            form = found[0]
            break
    assert form, "the jury member may decide for one of the undecided candidates"
    assert_no_sideways_scroll(s, f"candidate at {width} px")
    sections = form.find_elements(By.CSS_SELECTOR, "section")
    assert len(sections) >= 2, "the form holds every scope of the candidate"
    for section in sections:
        badge = section.find_element(By.CSS_SELECTOR, ".status")
        computed = next((c for c in badge.get_attribute("class").split() if c in AGREEING), "incomplete")
        radio = section.find_element(By.CSS_SELECTOR, f"input[type=radio][value={AGREEING[computed]}]")
        s.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", radio)
        s.driver.find_element(By.CSS_SELECTOR, f"label[for='{radio.get_attribute('id')}']").click()
        assert radio.is_selected(), f"the label chooses {radio.get_attribute('id')}"
    s.shot(f"jury-candidate-{width}")
    # One button, one post, for every decision.
    buttons = form.find_elements(By.CSS_SELECTOR, "button[type=submit]")
    assert len(buttons) == 1, f"one button records the candidate's decisions, found {len(buttons)}"
    s.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", buttons[0])
    buttons[0].click()
    wait_for(s, f"{len(sections)} décisions enregistrées pour ce candidat")
    assert s.text().count("aucune pour l'instant") == 0, "every scope now has its decision"
    back = [path for path, text in named_links(s, rf"{juries[0]}/deliberation\?indecis=on") if "Retour" in text]
    assert back, "the way back keeps the filter"
    assert_no_sideways_scroll(s, f"candidate decided at {width} px")
    s.shot(f"jury-decided-{width}")


def test_jury_decides_a_candidate_in_one_post_at_1366(s):
    decide_one_candidate(s, 1366)


def test_jury_decides_a_candidate_in_one_post_at_390(s):
    decide_one_candidate(s, 390)


TESTS = [test_jury_decides_a_candidate_in_one_post_at_1366, test_jury_decides_a_candidate_in_one_post_at_390]


if __name__ == "__main__":
    run_suite(TESTS)
