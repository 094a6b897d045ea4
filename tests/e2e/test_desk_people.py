"""End to end, a desk with people on this computer's file (issue 15): a reporter's window lists the drafts the
reporter may open (their own), not every draft of the desk only to refuse a click on another reporter's; the
note form says who reads a private note; the Draft review panel disables what a reporter's role may not use (the
workflow, the editor's note, a private note), the core's refusal naming the role as the reason (issue 13); and a
reporter's draft moved out of their folder says who may carry its review. Its own desk and database, so the people
set here never reach the other modules' desk."""

import shutil
import subprocess

import pytest
from selenium.webdriver.common.by import By

from test_app import ROOT, SHARED, WORK, by_testid, item, items, reader_text, shot, text, wait

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
def reporter_window(factdesk_window):
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
    return factdesk_window("--db", DB, DESK)


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


def refusal(element):
    return element.get_attribute("title") or ""


def test_a_reporters_draft_review_disables_what_their_role_may_not_use_saying_why(reporter_window):
    driver = reporter_window
    own = f"{REPORTER}/story.txt"
    wait(driver, "the reporter's draft listed", lambda d: item(d, own) is not None, timeout=30)
    item(driver, own).click()
    wait(driver, "the draft opens", lambda d: "Sources tell Strike Source" in reader_text(d))
    by_testid(driver, "side-tab-draft").click()
    wait(driver, "the moves, refused", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="draft-move-refused"]'))
    moves = driver.find_elements(By.CSS_SELECTOR, '[data-testid="draft-move"]')
    assert moves and all(not move.is_enabled() for move in moves)
    ready = driver.find_element(By.CSS_SELECTOR, '[data-testid="draft-move"][data-to="ready"]')
    assert refusal(ready) == f"{REPORTER} (reporter) may not move a draft to ready here: it needs the editor or standards editor role"
    assert "editor or standards editor role" in text(by_testid(driver, "draft-move-refused"))
    for control in ("editor-note-edit", "editor-note-propose-start"):
        assert not by_testid(driver, control).is_enabled()
        assert "may not change the editor's note" in refusal(by_testid(driver, control))
    private = by_testid(driver, "note-private-input")
    assert not private.is_enabled()
    label = driver.execute_script("return arguments[0].closest('label')", private)
    assert refusal(label) == f"{REPORTER} (reporter) may not read private notes here: it needs the editor, standards editor or lawyer role"
    # A note on their own draft is theirs to add.
    assert by_testid(driver, "note-input").is_enabled()
    # The primary move is drawn as not pressable (the one rule for disabled primaries), not a faded accent fill.
    drawn = driver.execute_script(
        "const s = getComputedStyle(arguments[0]); return [s.borderTopStyle, s.cursor, s.backgroundColor, s.opacity];", ready
    )
    assert drawn[:2] == ["dashed", "not-allowed"] and drawn[3] == "1", drawn
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", ready)
    shot(driver, "people-3-reporter-draft-review-refused-controls")


def test_a_reporters_draft_moved_out_of_their_folder_says_who_may_carry_its_review(reporter_window):
    driver = reporter_window
    own = f"{REPORTER}/story.txt"
    wait(driver, "the reporter's draft listed", lambda d: item(d, own) is not None, timeout=30)
    # The reporter tags a claim on their own draft, then moves its file out of their folder.
    factdesk("claim", "add", str(DESK), own, "--quote", "Taliban leaders meet at the Chinese embassy every day")
    (DESK / "moved").mkdir()
    (DESK / own).rename(DESK / "moved" / "story.txt")
    wait(driver, "the draft missing", lambda d: item(d, own) is not None and item(d, own).get_attribute("data-missing") == "true")
    item(driver, own).click()
    wait(driver, "who may carry it", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="carry-refused"]'))
    assert text(by_testid(driver, "carry-refused")) == (
        f"Moved out of {REPORTER}/? Its review stays with this missing draft: someone with the editor or standards "
        "editor role can carry it to the new file."
    )
    assert not driver.find_elements(By.CSS_SELECTOR, '[data-testid="carry-open"]'), "nothing a reporter may not do"
    shot(driver, "people-4-reporter-moved-draft-says-who-carries-its-review")
