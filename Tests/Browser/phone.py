#!/usr/bin/env python3
"""Browser test at two widths: each role's main pages on a laptop (1366 px) and on a phone
(390 px, mobile emulation), in Debian's headless chromium.

Starts `valida serve --demo` on a fresh database in a temporary folder, then for each role
(certifier, school coordinator, evaluator, jury member, candidate, VAE candidate) opens its
main pages at both widths and checks that the page does not scroll sideways
(document.documentElement.scrollWidth <= window.innerWidth, read as the layout viewport's
width on a phone, which widens innerWidth to a wider page): wide tables scroll in their own
box. On the phone, the navigation is a « Menu » that opens without script, the grid's rating
choices and the menu's links are at least 44 px high. Finally the jury closes its
deliberation (as in run.py) and the candidate opens their attestation on the phone, its PDF
and verification links on screen. Screenshots of every page at both widths are kept.
Prints `N passed, N failed` and exits non-zero on any failure.

    python3 Tests/Browser/phone.py --valida .build/debug/valida
"""
import os
import re
import sys

from selenium.webdriver.common.by import By

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import (  # noqa: E402
    UUID, named_links, page_overflow, run_suite, test_jury_closes_and_documents_are_verifiable, wait_for)

WIDTHS = {"laptop": (1366, 900, False), "phone": (390, 844, True)}


def resize(s, width):
    w, h, mobile = WIDTHS[width]
    s.driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": w, "height": h, "deviceScaleFactor": 1, "mobile": mobile})


def slug(path):
    return re.sub(r"[^a-z0-9]+", "-", re.sub(UUID, "id", path).lower()).strip("-") or "home"


def check_width(s, role, path):
    """At both widths: opens `path`, keeps a screenshot, fails if the page scrolls sideways."""
    problems = []
    for width in WIDTHS:
        resize(s, width)
        s.open(path)
        assert "Bonjour" in s.text() or "Valida" in s.text(), f"{path} answered: {s.text()[:200]}"
        s.shot(f"phone-{role}-{slug(path)}-{WIDTHS[width][0]}")
        scroll_width, window_width, wide = page_overflow(s)
        if scroll_width > window_width:
            problems.append(f"{path} at {window_width} px is {scroll_width} px wide: {wide}")
    return problems


def visit(s, role, email, paths):
    s.login(email)
    problems = []
    for path in paths(s) if callable(paths) else paths:
        problems += check_width(s, role, path)
    resize(s, "laptop")
    assert not problems, "\n".join(problems)


def first(s, path, pattern):
    """The first link matching `pattern` on `path` (laptop width)."""
    resize(s, "laptop")
    s.open(path)
    found = s.links(pattern)
    assert found, f"no link {pattern} on {path}: {s.text()[:300]}"
    return found[0]


def test_manager_pages(s):
    def paths(s):
        school = first(s, "/schools", rf"/schools/{UUID}")
        return ["/", "/schools", school + "/authorizations", "/juries", "/vae", "/outbox", "/accounts", "/settings",
                "/settings/keys", "/referential", "/personal-data", "/statistics", "/surveys", "/appeals",
                "/holder-declaration/returns"]
    visit(s, "manager", "admin@demo.test", paths)


def test_coordinator_pages(s):
    def paths(s):
        school = first(s, "/", rf"/schools/{UUID}")
        cohort = first(s, school, rf"/cohorts/{UUID}")
        return ["/", school, cohort, cohort + "/candidates", cohort + "/teams", cohort + "/sessions",
                cohort + "/results", "/accounts", "/statistics", school + "/authorizations"]
    visit(s, "coordinator", "coordination@demo.test", paths)


def test_evaluator_pages(s):
    def paths(s):
        grid = first(s, "/grids", rf"/grids/{UUID}")
        session = first(s, grid, rf"/sessions/{UUID}")
        return ["/", "/grids", grid, session, "/me/account", "/me/messages"]
    visit(s, "evaluator", "evaluateur@demo.test", paths)


def test_evaluator_grid_touch_targets(s):
    """On the phone, each rating choice's label and the menu's links are 44 px high at least,
    and the menu opens without script."""
    s.login("evaluateur@demo.test")
    grid = first(s, "/grids", rf"/grids/{UUID}")
    resize(s, "phone")
    s.open(grid)
    small = s.driver.execute_script("""
        return [...document.querySelectorAll('.levels label, .levels input[type=radio]')]
            .map(e => [e.tagName + ' ' + (e.textContent || e.id), e.getBoundingClientRect()])
            .filter(([n, r]) => n.startsWith('LABEL') ? r.height < 44 : r.height < 22)
            .map(([n, r]) => n + ' ' + Math.round(r.height));""")
    count = len(s.driver.find_elements(By.CSS_SELECTOR, ".levels input[type=radio]"))
    assert count > 0, f"the grid has rating choices on the phone: {s.text()[:300]}"
    assert not small, f"rating choices under 44 px on the phone: {small[:5]}"
    wide_nav = s.driver.find_element(By.CSS_SELECTOR, "header.site > nav")
    assert not wide_nav.is_displayed(), "the wide navigation is folded on the phone"
    menu = s.driver.find_element(By.CSS_SELECTOR, "details.phone-menu")
    links = menu.find_elements(By.CSS_SELECTOR, "nav a")
    assert links and not links[0].is_displayed(), "the phone menu starts closed"
    menu.find_element(By.TAG_NAME, "summary").click()
    assert links[0].is_displayed(), "the phone menu opens"
    low = [a.text for a in links if a.rect["height"] < 44]
    assert not low, f"menu links under 44 px: {low}"
    s.shot("phone-evaluator-menu-open-390")
    menu.find_element(By.LINK_TEXT, "Mes grilles").click()
    wait_for(s, "Mes grilles")
    resize(s, "laptop")


def test_jury_pages(s):
    def paths(s):
        juries = [p for p, text in named_links_on(s, "/juries", rf"/juries/{UUID}") if "2026" in text]
        assert juries, "the jury member sees this year's jury"
        candidate = first(s, juries[0] + "/deliberation", rf"{juries[0]}/candidates/{UUID}")
        return ["/", "/juries", juries[0], juries[0] + "/deliberation", candidate, "/appeals"]
    visit(s, "jury", "jury@demo.test", paths)


def named_links_on(s, path, pattern):
    resize(s, "laptop")
    s.open(path)
    return named_links(s, pattern)


def test_candidate_pages(s):
    visit(s, "candidate", "candidat@demo.test", ["/", "/me", "/me/appeals", "/referential", "/me/account"])


def test_vae_candidate_pages(s):
    def paths(s):
        request = first(s, "/vae", rf"/vae/requests/{UUID}")
        return ["/", "/vae", request]
    visit(s, "vae", "vae@demo.test", paths)


def test_candidate_opens_a_document_on_the_phone(s):
    # The demo candidate's attestation is issued when this year's jury closes its deliberation.
    test_jury_closes_and_documents_are_verifiable(s)
    s.login("candidat@demo.test")
    resize(s, "phone")
    s.open("/me")
    documents = s.links(rf"/documents/{UUID}")
    assert documents, "the candidate's space lists their attestation on the phone"
    link = [a for a in s.driver.find_elements(By.TAG_NAME, "a")
            if (a.get_attribute("href") or "").endswith(documents[0])][0]
    s.driver.execute_script("arguments[0].scrollIntoView()", link)
    assert link.is_displayed() and link.rect["x"] + link.rect["width"] <= 391, "the document's link is on screen"
    link.click()
    wait_for(s, "Attestation")
    s.shot("phone-candidate-document-390")
    scroll_width, window_width, wide = page_overflow(s)
    assert scroll_width <= window_width, f"the document is {scroll_width} px wide on a {window_width} px phone: {wide}"
    for a in s.driver.find_elements(By.TAG_NAME, "a"):
        if "PDF" in a.text or "/verify" in (a.get_attribute("href") or ""):
            s.driver.execute_script("arguments[0].scrollIntoView()", a)
            assert a.rect["x"] + a.rect["width"] <= window_width + 1, f"« {a.text} » is off-screen on the phone"
    resize(s, "laptop")


TESTS = [test_manager_pages, test_coordinator_pages, test_evaluator_pages, test_evaluator_grid_touch_targets,
         test_jury_pages, test_candidate_pages, test_vae_candidate_pages, test_candidate_opens_a_document_on_the_phone]


if __name__ == "__main__":
    run_suite(TESTS)
