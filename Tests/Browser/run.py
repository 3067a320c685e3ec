#!/usr/bin/env python3
"""Browser tests: drive the demo in Debian's headless chromium, as people would.

Starts `valida serve --demo` on a fresh database in a temporary folder, then:
- as evaluateur@demo.test: opens a draft grid, rates every criterion, submits it;
- as coordination@demo.test: sees that candidate's result change;
- as jury@demo.test: records a decision, adopts the computed results, closes the
  deliberation, opens the minutes;
- as candidat@demo.test: opens their attestation from their space;
- as nobody: opens the attestation's public verification page.
Prints `N passed, N failed` and exits non-zero on any failure.
"""
import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from selenium.common.exceptions import StaleElementReferenceException

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(valida, workdir, port):
    log = open(os.path.join(workdir, "serve.log"), "w")
    process = subprocess.Popen(
        [valida, "serve", "--demo", "--database", os.path.join(workdir, "demo.sqlite"), "--port", str(port)],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        if process.poll() is not None:
            raise RuntimeError("valida serve stopped: see " + log.name)
        try:
            urllib.request.urlopen(base + "/login", timeout=1)
            return process, base
        except Exception:
            time.sleep(0.5)
    process.terminate()
    raise RuntimeError("valida serve did not answer within 60 s")


def browser():
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1600"):
        options.add_argument(argument)
    options.binary_location = "/usr/bin/chromium"
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


class Session:
    def __init__(self, driver, base, shots):
        self.driver, self.base, self.shots = driver, base, shots

    def open(self, path):
        self.driver.get(self.base + path)

    def text(self):
        # The page's rendered text as the browser itself lays it out (innerText). WebDriver's
        # own visibility heuristics sometimes answered "Valida" alone for a page scrolled to a
        # fragment after a redirect, while the screenshot and the HTML held the whole page.
        return self.driver.execute_script("return document.body.innerText")

    def shot(self, name):
        self.driver.save_screenshot(os.path.join(self.shots, name + ".png"))

    def login(self, email, password="demo"):
        self.driver.delete_all_cookies()
        self.open("/login")
        self.driver.find_element(By.ID, "email").send_keys(email)
        self.driver.find_element(By.ID, "password").send_keys(password)
        self.driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        try:
            WebDriverWait(self.driver, 60, ignored_exceptions=[StaleElementReferenceException]).until(
                lambda d: "Bonjour" in self.text())
        except Exception:
            raise AssertionError(f"login as {email} failed: {self.text()[:200]}")

    def links(self, pattern):
        found = []
        for a in self.driver.find_elements(By.TAG_NAME, "a"):
            href = a.get_attribute("href") or ""
            path = href.replace(self.base, "")
            if re.fullmatch(pattern, path) and path not in found:
                found.append(path)
        return found


UUID = r"[0-9A-Fa-f-]{36}"


def named_links(s, pattern):
    """(path, text) of the links whose path matches `pattern`, in page order."""
    found = []
    for a in s.driver.find_elements(By.TAG_NAME, "a"):
        path = (a.get_attribute("href") or "").replace(s.base, "")
        if re.fullmatch(pattern, path):
            found.append((path, a.text.strip()))
    return found


def submit_button(s):
    buttons = [b for b in s.driver.find_elements(By.CSS_SELECTOR, "button[type=submit]") if "Remettre" in b.text]
    return buttons[0] if buttons else None


def submitted(s):
    """Whether the page shows a grid that can no longer be handed in (False while loading)."""
    try:
        return s.driver.execute_script("return document.readyState") == "complete" and submit_button(s) is None
    except StaleElementReferenceException:
        return False


def test_evaluator_submits_and_coordinator_sees_the_change(s):
    s.login("evaluateur@demo.test")
    s.open("/grids")
    s.shot("01-my-grids")
    grid = name = None
    for path, text in named_links(s, rf"/grids/{UUID}"):
        s.open(path)
        # An individual grid: its page names no team members.
        if submit_button(s) and not s.driver.find_elements(By.XPATH, "//*[starts-with(@id, 'm-')]") and "Équipe" not in text:
            grid, name = path, text
            break
        s.open("/grids")
    assert grid, "the evaluator has an individual draft grid to rate"

    s.login("coordination@demo.test")
    s.open("/candidates?q=" + urllib.parse.quote(name.split()[-1]))
    candidates = [path for path, text in named_links(s, rf"/candidates/{UUID}") if name.split()[-1] in text]
    assert candidates, f"the coordinator finds {name}"
    # Namesakes may sit in last year's cohort: the one rated is in this year's.
    results = None
    for candidate in candidates:
        s.open(candidate + "/results")
        if "Promotion 2026" in s.text():
            results = candidate + "/results"
            break
    assert results, f"{name} of Promotion 2026 is found"
    s.open(results)
    before = s.text()
    s.shot("02-results-before")

    s.login("evaluateur@demo.test")
    s.open(grid)
    for fieldset in s.driver.find_elements(By.CSS_SELECTOR, "fieldset"):
        field = fieldset.get_attribute("id") or ""
        if not field.startswith("c-"):
            continue  # members' individual overrides stay empty
        radios = fieldset.find_elements(By.CSS_SELECTOR, "input[type=radio]")
        if radios:
            radios[-1].click()  # the highest level: met
        else:
            mark = fieldset.find_element(By.CSS_SELECTOR, "input[type=number], input[type=text]")
            mark.clear()
            mark.send_keys("15")
    s.shot("03-grid-filled")
    submit_button(s).click()
    WebDriverWait(s.driver, 60, ignored_exceptions=[StaleElementReferenceException]).until(lambda d: submitted(s))
    s.shot("04-grid-submitted")

    s.login("coordination@demo.test")
    s.open(results)
    after = s.text()
    s.shot("05-results-after")
    assert after != before, "the candidate's results changed after the grid was submitted"
    assert after.count("Acquise") > before.count("Acquise"), "more competencies are acquired after the submission"


def click_button(s, label):
    buttons = [b for b in s.driver.find_elements(By.CSS_SELECTOR, "button[type=submit]") if label in b.text]
    assert buttons, f"a button « {label} » on {s.driver.current_url}"
    buttons[0].click()


def wait_for(s, text, seconds=60):
    try:
        WebDriverWait(s.driver, seconds, ignored_exceptions=[StaleElementReferenceException]).until(
            lambda d: text in s.text())
    except Exception:
        # What the browser had, to read after the run: a screenshot and the page's HTML.
        s.shot("failure")
        with open(os.path.join(s.shots, "failure.html"), "w") as page:
            page.write(s.driver.page_source)
        raise AssertionError(f"« {text} » not shown on {s.driver.current_url}: {s.text()[:400]}")


def test_jury_closes_and_documents_are_verifiable(s):
    s.login("jury@demo.test")
    s.open("/juries")
    juries = [path for path, text in named_links(s, rf"/juries/{UUID}") if "2026" in text]
    assert juries, "the jury member sees this year's jury"
    jury = juries[0]
    s.open(jury + "/deliberation")
    s.shot("06-deliberation")
    candidates = s.links(rf"{jury}/candidates/{UUID}")
    assert candidates, "the deliberation lists candidates"
    s.open(candidates[0])
    section = s.driver.find_element(By.ID, "certification")
    section.find_element(By.CSS_SELECTOR, "input[type=radio][value=deferred]").click()
    section.find_element(By.CSS_SELECTOR, "textarea").send_keys("Dossier à compléter avant la certification")
    section.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for(s, "Décision enregistrée")
    s.shot("07-decision")
    s.open(jury + "/deliberation")
    # Hundreds of decisions, each audited: give a loaded CI machine time. Each irreversible
    # step first shows what it will do, and does it only once confirmed.
    click_button(s, "Entériner les résultats calculés")
    wait_for(s, "Confirmer : entériner les résultats calculés", seconds=300)
    assert re.search(r"\d+ décisions? (sera|seront) enregistrées?", s.text()), f"the confirmation counts the decisions: {s.text()[:400]}"
    s.shot("07b-adopt-confirmation")
    click_button(s, "Confirmer : entériner")
    wait_for(s, "décisions enregistrées d'après les résultats calculés", seconds=300)
    click_button(s, "Clore la délibération")
    wait_for(s, "Confirmer : clore la délibération", seconds=300)
    assert "Documents émis" in s.text(), f"the confirmation lists the documents: {s.text()[:400]}"
    s.shot("07c-close-confirmation")
    click_button(s, "Confirmer : clore")
    wait_for(s, "Procès-verbal de délibération du jury", seconds=300)
    assert "Journal d'audit à la clôture" in s.text(), "the minutes print the audit log's anchor"
    assert "PROJET" not in s.text(), "the minutes of a closed deliberation are final"
    assert "Dossier à compléter avant la certification" in s.text(), "the minutes carry the justification"
    s.shot("08-minutes")

    s.login("candidat@demo.test")
    s.open("/me")
    s.shot("09-my-space")
    documents = s.links(rf"/documents/{UUID}")
    assert documents, "the candidate's space lists their attestation"
    s.open(documents[0])
    s.shot("10-attestation")
    assert "Attestation" in s.text(), "the document is the block attestation"
    codes = re.findall(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", s.text())
    assert codes, "the attestation prints its verification code"

    s.driver.delete_all_cookies()
    s.open("/verify/" + codes[0])
    s.shot("11-verify")
    assert "Document authentique et en vigueur" in s.text(), "the public page says the document is valid"


TESTS = [test_evaluator_submits_and_coordinator_sees_the_change, test_jury_closes_and_documents_are_verifiable]


def page_overflow(s):
    """The page's width against the screen's, and the elements sticking out (not those inside
    a box that scrolls by itself, nor those of a closed menu). On an emulated phone the browser
    widens window.innerWidth to a page wider than the screen (it zooms out): the screen's width
    is the layout viewport's, document.documentElement.clientWidth."""
    return s.driver.execute_script("""
        const width = Math.min(window.innerWidth, document.documentElement.clientWidth), out = [];
        const scrolls = e => { for (let p = e.parentElement; p; p = p.parentElement) {
            const x = getComputedStyle(p).overflowX; if (x === 'auto' || x === 'scroll' || x === 'hidden') return true; }
            return false; };
        for (const e of document.body.querySelectorAll('*')) {
            const r = e.getBoundingClientRect();
            if (r.width > 0 && r.right > width + 1 && !e.closest('details:not([open])') && !scrolls(e))
                out.push(e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') + ' ' + Math.round(r.right));
        }
        return [document.documentElement.scrollWidth, width, out.slice(0, 5)];""")


def assert_no_sideways_scroll(s, where):
    scroll_width, screen_width, wide = page_overflow(s)
    assert scroll_width <= screen_width, f"{where}: the page is {scroll_width} px wide for {screen_width} px: {wide}"


def run_suite(tests, with_workdir=False):
    """Starts the demo on a fresh database, runs `tests` in one headless chromium, prints
    `N passed, N failed` and exits non-zero on any failure. A test gets the session, and the
    work folder too when `with_workdir`."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--valida", required=True)
    parser.add_argument("--workdir", default=tempfile.mkdtemp())
    parser.add_argument("--port", type=int, default=0, help="the demo server's port (default: any free one)")
    parser.add_argument("--only", default="", help="run only the tests whose name contains this")
    args = parser.parse_args()
    shots = os.path.join(args.workdir, "screenshots")
    os.makedirs(shots, exist_ok=True)
    server, base = start_server(args.valida, args.workdir, args.port or free_port())
    driver = browser()
    passed = failed = 0
    try:
        for test in tests:
            if args.only not in test.__name__:
                continue
            session = Session(driver, base, shots)
            try:
                test(session, args.workdir) if with_workdir else test(session)
                passed += 1
                print(f"PASS {test.__name__}")
            except Exception:
                failed += 1
                print(f"FAIL {test.__name__}")
                traceback.print_exc()
    finally:
        driver.quit()
        server.terminate()
        server.wait(timeout=10)
    print(f"screenshots: {shots}")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    run_suite(TESTS)
