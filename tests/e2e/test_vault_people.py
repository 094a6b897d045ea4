"""End to end, on a desk with people (issue 13): the editor who holds the desk key gives access to a standards
editor from the window, the list of holders shows them, and taking access back takes them off. Its own window
on its own database and desk: the people set up here would change every other test's rights."""

import os
import subprocess
from pathlib import Path

import pytest
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

ROOT = Path(__file__).resolve().parents[2]
WORK = Path(os.environ["FACTDESK_E2E_WORK"])
ARTIFACTS = Path(os.environ["FACTDESK_E2E_ARTIFACTS"])
DESK = WORK / "vault-people-desk"
DB = WORK / "vault-people.db"
ANA_PASSPHRASE = "Ana's own vault passphrase"
SUE_PASSPHRASE = "Sue's new vault passphrase"


def cli(*args, stdin=None, env=None):
    """The real command line on this test's database; secrets on stdin or in a file, never in argv."""
    done = subprocess.run(
        [str(ROOT / "target" / "debug" / "factdesk"), "--db", str(DB), *args],
        input=stdin, capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.fixture(scope="module")
def driver(factdesk_window):
    DESK.mkdir(parents=True)
    (DESK / "council.md").write_text("# Council\n\nThe council spent 5 million on the bridge, an official said.\n")
    # An admin adds the people; Ana, an editor, records a source that names her as the editor who knows it and
    # sets the vault up: she holds the desk key.
    cli("reviewer", "set", "Ada")
    cli("people", "add", str(DESK), "Ada", "--role", "admin")
    cli("people", "add", str(DESK), "Ana", "--role", "editor")
    cli("people", "add", str(DESK), "Sue", "--role", "standards-editor")
    cli("reviewer", "set", "Ana")
    cli("source", "add", str(DESK), "--descriptor", "a council official", "--kind", "unnamed",
        "--identity", "-", "--editor-knows", "-", stdin="J. Doe, deputy treasurer\nAna\n")
    passphrase_file = WORK / "ana-passphrase"
    passphrase_file.write_text(ANA_PASSPHRASE + "\n")
    passphrase_file.chmod(0o600)
    cli("vault", "init", str(DESK), env={"FACTDESK_PASSPHRASE_FILE": str(passphrase_file)})
    passphrase_file.unlink()
    return factdesk_window("--db", DB, DESK)


def wait(driver, what, condition, timeout=20):
    return WebDriverWait(
        driver, timeout, poll_frequency=0.1, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)
    ).until(lambda d: condition(d), message=what)


def text(element):
    return element.get_property("textContent") or ""


def by_testid(driver, name):
    return driver.find_element(By.CSS_SELECTOR, f'[data-testid="{name}"]')


def holders(driver):
    return [h.get_attribute("data-name") for h in driver.find_elements(By.CSS_SELECTOR, '[data-testid="vault-holder"]')]


def shot(name):
    subprocess.run(["import", "-window", "root", str(ARTIFACTS / f"{name}.png")], check=True, timeout=30)


def test_the_editor_gives_a_standards_editor_access_and_takes_it_back(driver):
    wait(driver, "desk open", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="draft-item"]'), 30)
    by_testid(driver, "open-sources").click()
    wait(driver, "who holds the key", lambda d: holders(d) == ["Ana"])
    assert by_testid(driver, "vault-bar").get_attribute("data-vault") == "locked"
    assert "editor" in text(by_testid(driver, "vault-holder-role"))

    # Give access…: the vault is locked, and the form says it must be unlocked first.
    by_testid(driver, "vault-give-open").click()
    wait(driver, "give form", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="vault-give-form"]'))
    assert "must be unlocked" in text(by_testid(driver, "vault-give-locked"))
    Select(by_testid(driver, "vault-give-person")).select_by_value("Sue")
    assert by_testid(driver, "vault-give-passphrase").get_attribute("type") == "password"
    by_testid(driver, "vault-give-passphrase").send_keys(SUE_PASSPHRASE)
    by_testid(driver, "vault-give-again").send_keys(SUE_PASSPHRASE)
    shot("vault-people-give-form")
    by_testid(driver, "vault-give").click()
    wait(driver, "unlock dialog", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="vault-passphrase"]'))
    by_testid(driver, "vault-passphrase").send_keys(ANA_PASSPHRASE)
    by_testid(driver, "vault-unlock-submit").click()
    wait(driver, "Sue listed", lambda d: holders(d) == ["Ana", "Sue"], 60)
    assert "Sue now holds the desk key" in text(by_testid(driver, "vault-people-done"))
    assert SUE_PASSPHRASE not in driver.page_source
    roles = [text(r) for r in driver.find_elements(By.CSS_SELECTOR, '[data-testid="vault-holder-role"]')]
    assert roles == ["editor", "standards editor"], roles
    shot("vault-people-granted")
    # The core wrapped it for her: Sue unlocks with the passphrase Ana typed for her.
    sue_file = WORK / "sue-passphrase"
    sue_file.write_text(SUE_PASSPHRASE + "\n")
    sue_file.chmod(0o600)
    cli("reviewer", "set", "Sue")
    try:
        revealed = cli("source", "show", "1", "--reveal", env={"FACTDESK_PASSPHRASE_FILE": str(sue_file)})
    finally:
        cli("reviewer", "set", "Ana")
        sue_file.unlink()
    assert "J. Doe, deputy treasurer" in revealed

    # Take access back…: asks first, then Sue is off the list.
    sue = driver.find_element(By.CSS_SELECTOR, '[data-testid="vault-holder"][data-name="Sue"]')
    sue.find_element(By.CSS_SELECTOR, '[data-testid="vault-revoke"]').click()
    wait(driver, "confirmation", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="vault-revoke-confirm"]'))
    assert holders(driver) == ["Ana", "Sue"]
    shot("vault-people-revoke-confirm")
    by_testid(driver, "vault-revoke-yes").click()
    asked = lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="vault-passphrase"]')
    wait(driver, "taken back, or the passphrase asked", lambda d: holders(d) == ["Ana"] or asked(d), 60)
    if asked(driver):
        # The vault locked itself meanwhile (idle after 15 s in these runs): a holder shows she holds it.
        by_testid(driver, "vault-passphrase").send_keys(ANA_PASSPHRASE)
        by_testid(driver, "vault-unlock-submit").click()
    wait(driver, "Sue off the list", lambda d: holders(d) == ["Ana"], 60)
    assert "Sue no longer unlocks the vault" in text(by_testid(driver, "vault-people-done"))
    shot("vault-people-revoked")
    trail = cli("audit", "log")
    assert "Sue" in trail and SUE_PASSPHRASE not in trail and ANA_PASSPHRASE not in trail
