"""End to end, issue 13's move in the window: on a desk with people no scan carries a review out of its owner
folder. An editor moves a reviewed draft's file from bo/ into news/; the window shows the draft missing with its
review and offers to carry it to the new file (the likely one first); once carried, the draft opens at its new
place with its claims, and the audit trail records the move. Its own desk and database, so the people set up here
reach no other module's desk."""

import json
import subprocess

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from test_app import ROOT, WORK, by_testid, item, items, reader_text, shot, text, wait

DESK = WORK / "carry-desk"
DB = WORK / "carry.db"
STORY = "# Council\n\nThe council spent 5 million on the bridge, an official said.\n"
QUOTE = "The council spent 5 million on the bridge"


def factdesk(*args):
    """The real command line on this module's database."""
    done = subprocess.run(
        [str(ROOT / "target" / "debug" / "factdesk"), "--db", str(DB), *map(str, args)],
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.fixture(scope="module")
def editor_window(factdesk_window):
    (DESK / "bo").mkdir(parents=True)
    (DESK / "bo" / "council.md").write_text(STORY)
    (DESK / "factory.md").write_text("# Factory\n\nThe factory closed on Monday.\n")
    # The desk's admin sets its people up; ed, an editor, tags a claim on bo's draft; this computer's reviewer is ed.
    factdesk("reviewer", "set", "lead")
    factdesk("people", "add", DESK, "lead", "--role", "admin")
    factdesk("people", "add", DESK, "bo", "--role", "reporter")
    factdesk("people", "add", DESK, "ed", "--role", "editor")
    factdesk("reviewer", "set", "ed")
    factdesk("claim", "add", DESK, "bo/council.md", "--quote", QUOTE)
    return factdesk_window("--db", DB, DESK)


def claims(driver):
    return driver.find_elements(By.CSS_SELECTOR, '[data-testid="claim-item"]')


def test_an_editor_carries_a_moved_drafts_review_to_the_file_it_became(editor_window):
    driver = editor_window
    wait(driver, "bo's draft listed", lambda d: item(d, "bo/council.md") is not None, timeout=30)
    item(driver, "bo/council.md").click()
    wait(driver, "its claim", lambda d: len(claims(d)) == 1)

    # The editor moves the file into another owner folder: the watcher sees a new draft there, and bo's is missing.
    (DESK / "news").mkdir()
    (DESK / "bo" / "council.md").rename(DESK / "news" / "council.md")
    wait(driver, "the new file listed", lambda d: item(d, "news/council.md") is not None)
    wait(driver, "bo's draft missing", lambda d: item(d, "bo/council.md").get_attribute("data-missing") == "true")
    item(driver, "bo/council.md").click()
    wait(driver, "the offer on the missing draft", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="carry-open"]'))
    assert by_testid(driver, "reader-missing").is_displayed()
    assert " ".join(text(by_testid(driver, "carry-likely")).split()) == "Likely: news/council.md (same text)."
    shot(driver, "carry-1-missing-draft-offers-its-review")

    by_testid(driver, "carry-open").click()
    target = Select(by_testid(driver, "carry-target"))
    assert target.first_selected_option.get_attribute("value") == "news/council.md"
    assert [o.get_attribute("value") for o in target.options] == ["news/council.md", "factory.md"]
    by_testid(driver, "carry-next").click()
    wait(driver, "the confirmation", lambda d: "go to news/council.md" in " ".join(text(by_testid(d, "carry-confirm")).split()))
    shot(driver, "carry-2-confirm")
    by_testid(driver, "carry-yes").click()

    # The draft opens at its new place with its claim; bo/council.md is no longer listed.
    wait(driver, "the draft at its new place", lambda d: by_testid(d, "reader").find_elements(By.CSS_SELECTOR, '[data-testid="reader-missing"]') == [])
    wait(driver, "its claim on the new file", lambda d: len(claims(d)) == 1)
    assert claims(driver)[0].get_attribute("data-anchor-state") in ("anchored", "moved")
    assert QUOTE in text(claims(driver)[0])
    assert "council spent 5 million" in reader_text(driver)
    wait(driver, "bo's draft gone from the list", lambda d: item(d, "bo/council.md") is None)
    # The draft the watcher had made of the moved file, set aside with no review of its own, is not listed: the
    # moved review is the only entry for news/council.md.
    def listed(d):
        return [e.get_attribute("data-path") for e in d.find_elements(By.CSS_SELECTOR, '[data-testid="draft-item"]')]

    wait(driver, "news/council.md listed once", lambda d: listed(d).count("news/council.md") == 1)
    assert not [p for p in listed(driver) if p.startswith(".factdesk-missing/")], listed(driver)
    assert not [e for e in items(driver) if e.get_attribute("data-missing") == "true"], listed(driver)
    selected = driver.find_element(By.CSS_SELECTOR, '[data-testid="draft-item"][aria-selected="true"]')
    assert selected.get_attribute("data-path") == "news/council.md"
    assert not driver.find_elements(By.CSS_SELECTOR, '[data-testid="error-banner"]'), "nothing refused"
    shot(driver, "carry-3-review-on-the-new-file")
    moves = [e for e in json.loads(factdesk("audit", "log", "--json")) if e["action"] == "draft.move"]
    assert len(moves) == 1 and moves[0]["actor"] == "ed", moves
    assert "bo/council.md" in json.dumps(moves[0]) and "news/council.md" in json.dumps(moves[0]), moves
