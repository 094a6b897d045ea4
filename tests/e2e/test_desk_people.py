"""End to end, a desk with people on this computer's file (issue 15): a reporter's window lists the drafts the
reporter may open (their own), not every draft of the desk only to refuse a click on another reporter's; and the
note form says who reads a private note. Its own desk and database, so the people set here never reach the
other modules' desk."""

import shutil
import subprocess

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.options import ArgOptions

from test_app import APP, ROOT, SHARED, WORK, by_testid, items, reader_text, shot, text, wait

DESK = WORK / "people-desk"
DB = WORK / "people.db"
REPORTER, OTHER_REPORTER = "bo", "cy"


def factdesk(*args):
    """The real command line on this module's database."""
    done = subprocess.run(
        [str(ROOT / "target" / "debug" / "factdesk"), "--db", str(DB), *args], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.fixture(scope="module")
def reporter_window():
    story = (SHARED / "drafts" / "kabul-embassy.txt").read_text(encoding="utf-8")
    for person in (REPORTER, OTHER_REPORTER):
        (DESK / person).mkdir(parents=True)
        (DESK / person / "story.txt").write_text(story, encoding="utf-8")
    shutil.copy(SHARED / "drafts" / "factory-fire.txt", DESK / "factory-fire.txt")
    # The desk's admin sets its people up, then this computer's reviewer is the reporter.
    factdesk("reviewer", "set", "lead")
    factdesk("people", "add", str(DESK), "lead", "--role", "admin")
    for person in (REPORTER, OTHER_REPORTER):
        factdesk("people", "add", str(DESK), person, "--role", "reporter")
    factdesk("people", "add", str(DESK), "ed", "--role", "editor")
    factdesk("reviewer", "set", REPORTER)
    options = ArgOptions()
    options.set_capability("browserName", "wry")
    options.set_capability("tauri:options", {"application": APP, "args": ["--db", str(DB), str(DESK)]})
    session = webdriver.Remote(command_executor="http://127.0.0.1:4444", options=options)
    session.set_window_size(1440, 900)
    yield session
    session.quit()


def listed(driver):
    return [element.get_attribute("data-path") for element in items(driver)]


def test_a_reporters_drafts_list_holds_only_the_drafts_they_may_open(reporter_window):
    driver = reporter_window
    own = f"{REPORTER}/story.txt"
    wait(driver, "the reporter's draft listed", lambda d: own in listed(d), timeout=30)
    assert listed(driver) == [own], "another reporter's draft, or one in no one's folder, is not the reporter's"
    items(driver)[0].click()
    wait(driver, "the draft opens", lambda d: "Sources tell Strike Source" in reader_text(d))
    assert not driver.find_elements(By.CSS_SELECTOR, '[data-testid="error-banner"]'), "nothing refused"
    shot(driver, "people-1-reporter-drafts-list")

    # The draft review's note form says who reads a private note.
    by_testid(driver, "side-tab-draft").click()
    wait(driver, "a note form", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="note-private-input"]'))
    choice = driver.find_element(By.CSS_SELECTOR, '[data-testid="note-private-input"]')
    label = driver.execute_script("return arguments[0].closest('label')", choice)
    assert " ".join(text(label).split()) == "Private (read by editors, standards editors and the lawyer; never in a desk report)"
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", label)
    shot(driver, "people-2-private-note-says-who-reads-it")
