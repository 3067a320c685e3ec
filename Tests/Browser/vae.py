#!/usr/bin/env python3
"""Browser test of the VAE dossier: drive the demo in Debian's headless chromium.

Starts `valida serve --demo` on a fresh database in a temporary folder, then, as
vae@demo.test (a VAE candidate whose request is admissible and whose dossier is partly
filled): opens their VAE request, describes a situation and links it to competencies by
ticking them, sees the coverage change, attaches a PDF to the situation, and opens it back.
Prints `N passed, N failed` and exits non-zero on any failure.

    python3 Tests/Browser/vae.py --valida .build/debug/valida
"""
import argparse
import os
import re
import sys
import tempfile
import traceback

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import UUID, Session, browser, click_button, free_port, start_server, wait_for  # noqa: E402


def covered(s, block):
    """How many competencies of `block` the coverage table says have evidence."""
    match = re.search(re.escape(block) + r" — .*? : (\d+) compétence\(s\) sur (\d+) avec preuve", s.text())
    assert match, f"coverage of {block} on {s.driver.current_url}: {s.text()[:600]}"
    return int(match.group(1)), int(match.group(2))


def test_candidate_links_evidence_to_competencies(s, workdir):
    s.login("vae@demo.test")
    s.open("/vae")
    wait_for(s, "Demandes de VAE")
    requests = s.links(r"/vae/requests/" + UUID)
    assert requests, f"a VAE request on {s.driver.current_url}: {s.text()[:400]}"
    s.open(requests[0])
    wait_for(s, "Recevable")
    assert "Couverture des compétences" in s.text()

    block = Select(s.driver.find_element(By.ID, "situationBlock"))
    value = block.options[-1].get_attribute("value")
    block.select_by_value(value)
    before = covered(s, value)
    s.driver.find_element(By.ID, "situationTitle").send_keys("Refonte du site de Maison Orée")
    s.driver.find_element(By.ID, "situationDescription").send_keys(
        "J'ai piloté la refonte du site et mesuré ses effets sur les ventes.")
    boxes = [b for b in s.driver.find_elements(By.CSS_SELECTOR, "input[type=checkbox]")
             if b.get_attribute("name").startswith("competency-C" + value[2:].lstrip("0") + ".")]
    assert len(boxes) >= 2, f"competencies of {value} to tick: {len(boxes)}"
    for box in boxes[:2]:
        box.click()
    s.shot("vae-1-situation")
    click_button(s, "Ajouter la situation")
    wait_for(s, "Situation ajoutée au bloc " + value)
    after = covered(s, value)
    assert after[0] > before[0], f"coverage of {value}: {before} then {after}"
    assert "Refonte du site de Maison Orée" in s.text()

    pdf = os.path.join(workdir, "attestation-employeur.pdf")
    with open(pdf, "wb") as f:
        f.write(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n")
    Select(s.driver.find_element(By.ID, "situation")).select_by_visible_text("Refonte du site de Maison Orée")
    s.driver.find_element(By.ID, "file").send_keys(pdf)
    click_button(s, "Joindre le document")
    wait_for(s, "Document « attestation-employeur.pdf » joint.")
    s.shot("vae-2-evidence")
    links = s.links(r"/vae/evidence/" + UUID)
    assert links, "a link to the attached document"
    assert "(1 document(s))" in s.text()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--valida", required=True)
    parser.add_argument("--workdir", default=tempfile.mkdtemp())
    args = parser.parse_args()
    shots = os.path.join(args.workdir, "screenshots")
    os.makedirs(shots, exist_ok=True)
    server, base = start_server(args.valida, args.workdir, free_port())
    driver = browser()
    passed = failed = 0
    try:
        try:
            test_candidate_links_evidence_to_competencies(Session(driver, base, shots), args.workdir)
            passed += 1
            print("PASS test_candidate_links_evidence_to_competencies")
        except Exception:
            failed += 1
            print("FAIL test_candidate_links_evidence_to_competencies")
            traceback.print_exc()
    finally:
        driver.quit()
        server.terminate()
        server.wait(timeout=10)
    print(f"screenshots: {shots}")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
