#!/usr/bin/env python3
"""Browser test of the VAE dossier: drive the demo in Debian's headless chromium.

Starts `valida serve --demo` on a fresh database in a temporary folder, then, as
vae@demo.test (a VAE candidate whose request is admissible and whose dossier is partly
filled): opens their VAE request, describes a situation and links it to competencies by
ticking them, sees the coverage change, attaches a PDF to the situation, and opens it back;
then deposits the dossier, the certifier convenes the VAE jury, and its president records
the decisions — the deposit and the decisions each through their confirmation page.
Prints `N passed, N failed` and exits non-zero on any failure.

    python3 Tests/Browser/vae.py --valida .build/debug/valida
"""
import os
import re
import sys
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import UUID, click_button, run_suite, wait_for  # noqa: E402


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
    # Described, not yet proven: a competency counts once a document is attached.
    assert after[0] == before[0], f"coverage of {value}: {before} then {after}"
    assert "Refonte du site de Maison Orée" in s.text()
    assert "mais aucun document n'y est joint" in s.text()

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
    proven = covered(s, value)
    assert proven[0] > before[0], f"coverage of {value}: {before} then {proven}"
    assert "Refonte du site de Maison Orée (1 document)" in s.text()
    assert "(0 document" not in s.text()
    assert "Retirer le document « attestation-employeur.pdf »" in s.text()


def set_value(s, field_id, value):
    """Sets a field's value as typed (date fields take their ISO value whatever the browser's locale)."""
    s.driver.execute_script("document.getElementById(arguments[0]).value = arguments[1]", field_id, value)


def select_containing(s, field_id, text):
    select = Select(s.driver.find_element(By.ID, field_id))
    options = [o for o in select.options if text in o.text]
    assert options, f"an option « {text} » in #{field_id}: {[o.text for o in select.options]}"
    select.select_by_value(options[0].get_attribute("value"))


def test_dossier_deposit_and_jury_decisions_are_confirmed(s, workdir):
    """Depositing the dossier and recording the jury's decisions show what will happen and
    wait for a confirmation; only the confirmed form writes."""
    s.login("vae@demo.test")
    s.open("/vae")
    request = s.links(r"/vae/requests/" + UUID)[0]
    s.open(request)
    click_button(s, "Déposer le dossier de validation")
    wait_for(s, "Confirmer : déposer le dossier de validation")
    text = s.text()
    assert "situations décrites" in text and "Cette action est définitive" in text, f"the deposit's summary: {text[:600]}"
    s.shot("vae-3-deposit-confirmation")
    s.open(request)
    assert "Déposer le dossier de validation" in s.text(), "nothing is deposited before the confirmation"
    click_button(s, "Déposer le dossier de validation")
    wait_for(s, "Confirmer : déposer le dossier de validation")
    click_button(s, "Confirmer : déposer")
    wait_for(s, "Dossier de validation déposé.")

    s.login("admin@demo.test")
    s.open(request)
    s.driver.find_element(By.ID, "juryName").send_keys("Jury VAE de la semaine")
    s.driver.find_element(By.ID, "juryPlace").send_keys("Lyon")
    yesterday = time.strftime("%Y-%m-%d", time.localtime(time.time() - 86400))
    set_value(s, "interviewOn", yesterday)
    click_button(s, "Constituer le jury")
    wait_for(s, "Jury constitué")
    for name, role, qualities in [("Bernard Lefèvre", "president", ["qualified", "employer-representative"]),
                                  ("Hélène Garnier", "member", ["professional", "employee-representative"])]:
        select_containing(s, "memberUser", name)
        Select(s.driver.find_element(By.ID, "memberRole")).select_by_value(role)
        for quality in qualities:
            s.driver.find_element(By.ID, "quality-" + quality).click()
        click_button(s, "Ajouter au jury")
        wait_for(s, "ajouté(e) au jury")

    s.login("jury@demo.test")
    s.open(request)
    blocks = [r.get_attribute("name")[len("outcome-"):] for r in s.driver.find_elements(By.CSS_SELECTOR, "input[type=radio][value=validated]")
              if (r.get_attribute("name") or "").startswith("outcome-")]
    assert blocks, f"the president's decision form: {s.text()[:600]}"
    for block in blocks:
        s.driver.find_element(By.ID, f"outcome-{block}-validated").click()
        s.driver.find_element(By.ID, f"reasons-{block}").send_keys("Preuves probantes, entretien convaincant.")
    click_button(s, "Enregistrer les décisions et émettre les documents")
    wait_for(s, "Confirmer : enregistrer les décisions et émettre les documents")
    text = s.text()
    assert "Documents émis au candidat" in text and "Preuves probantes" in text, f"the decisions' summary: {text[:600]}"
    s.shot("vae-4-decisions-confirmation")
    click_button(s, "Confirmer : enregistrer les décisions")
    wait_for(s, "Décisions du jury enregistrées", seconds=120)
    s.shot("vae-5-decided")


TESTS = [test_candidate_links_evidence_to_competencies, test_dossier_deposit_and_jury_decisions_are_confirmed]


if __name__ == "__main__":
    run_suite(TESTS, with_workdir=True)
