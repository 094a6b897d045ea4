"""End to end: the real Factdesk window (WebKitGTK under Xvfb) driven through
tauri-driver. Each step is what an editor does; screenshots go to
target/e2e/ and are looked at."""

import csv
import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from selenium.common.exceptions import (
    NoAlertPresentException,
    NoSuchElementException,
    StaleElementReferenceException,
    TimeoutException,
)
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "fixtures"
APP = os.environ["FACTDESK_E2E_APP"]
WORK = Path(os.environ["FACTDESK_E2E_WORK"])
ARTIFACTS = Path(os.environ["FACTDESK_E2E_ARTIFACTS"])
DESK = WORK / "desk"


@pytest.fixture(scope="module")
def driver(factdesk_window):
    DESK.mkdir(parents=True)
    for draft in (SHARED / "drafts").iterdir():
        shutil.copy(draft, DESK / draft.name)
    shutil.copy(SHARED / "hostile" / "script-injection.html", DESK / "script-injection.html")
    return factdesk_window("--db", WORK / "factdesk.db", DESK)


def wait(driver, what, condition, timeout=20):
    # A list drawn again while a condition reads it leaves stale elements: read again at the next poll.
    # (The timeout is generous because CI machines are shared; it bounds a wait, it measures nothing.)
    return WebDriverWait(
        driver, timeout, poll_frequency=0.1, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)
    ).until(lambda d: condition(d), message=what)


def items(driver):
    return driver.find_elements(By.CSS_SELECTOR, '[data-testid="draft-item"]')


def item(driver, path):
    found = driver.find_elements(By.CSS_SELECTOR, f'[data-testid="draft-item"][data-path="{path}"]')
    return found[0] if found else None


def text(element):
    # textContent, not .text: WebKitWebDriver's visible-text atom drops
    # text inside ellipsised (overflow: hidden) elements.
    return element.get_property("textContent") or ""


def by_testid(driver, name):
    return driver.find_element(By.CSS_SELECTOR, f'[data-testid="{name}"]')


def reader_text(driver):
    return text(by_testid(driver, "reader"))


def shot(driver, name):
    # The X server's own picture of the window, as a user would see it.
    # (WebKitWebDriver's screenshot command never returns when WebKit's
    # DMA-BUF renderer is off, which Factdesk turns off to save memory.)
    subprocess.run(["import", "-window", "root", str(ARTIFACTS / f"{name}.png")], check=True, timeout=30)


def test_the_desk_lists_the_drafts(driver):
    wait(driver, "five drafts listed", lambda d: len(items(d)) == 5, timeout=30)
    paths = sorted(i.get_attribute("data-path") for i in items(driver))
    assert paths == [
        "factory-fire.txt",
        "harbor-dredging.md",
        "kabul-embassy.txt",
        "school-board-audit.html",
        "script-injection.html",
    ]
    assert driver.title == "Factdesk"
    assert str(DESK) in text(by_testid(driver, "desk-path"))
    shot(driver, "01-desk")


def test_opening_a_draft_shows_its_text(driver):
    item(driver, "kabul-embassy.txt").click()
    wait(driver, "kabul text", lambda d: "Sources tell Strike Source" in reader_text(d))
    title = text(by_testid(driver, "reader-title"))
    assert "Foreign Affairs" in title
    assert "Editor’s Note: Sources for this report have not been named" in reader_text(driver)
    shot(driver, "02-reader-kabul")


def test_a_new_file_appears_in_the_list(driver):
    (DESK / "new-story.md").write_text("# Bridge closed\n\nThe county closed the bridge on Monday, officials said.\n")
    started = time.monotonic()
    wait(driver, "new draft listed", lambda d: item(d, "new-story.md") is not None, timeout=5)
    print(f"new file listed after {time.monotonic() - started:.2f}s")
    assert "Bridge closed" in text(item(driver, "new-story.md"))


def test_the_open_draft_updates_in_place_when_its_file_changes(driver):
    reader = driver.find_element(By.CSS_SELECTOR, '[data-testid="reader"]')
    driver.execute_script("arguments[0].scrollTop = 240;", reader)
    before = driver.execute_script("return arguments[0].scrollTop;", reader)
    text = (DESK / "kabul-embassy.txt").read_text(encoding="utf-8")
    # An editor's atomic save: write a temp file, rename it over the draft.
    temp = DESK / ".kabul-embassy.txt.tmp"
    temp.write_text(text + "\n\nUpdate: The embassy declined to comment on Tuesday.", encoding="utf-8")
    temp.replace(DESK / "kabul-embassy.txt")
    started = time.monotonic()
    wait(driver, "updated text", lambda d: "The embassy declined to comment" in reader_text(d), timeout=5)
    print(f"open draft updated after {time.monotonic() - started:.2f}s")
    after = driver.execute_script("return arguments[0].scrollTop;", reader)
    assert before > 0 and abs(after - before) < 5, (before, after)
    assert driver.execute_script("return performance.getEntriesByType('navigation').length") == 1
    shot(driver, "03-reader-updated")


SELECT_IN_READER = """
const [needle] = arguments;
const root = document.querySelector('[data-testid="reader-text"]');
const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  const at = node.data.indexOf(needle);
  if (at >= 0) {
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + needle.length);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    return true;
  }
}
return false;
"""


def marks(driver):
    # Read in one script: the reader re-renders its pieces as claims and suggestions arrive, and an
    # element found in one call can be gone by the next.
    return driver.execute_script(
        "return [...document.querySelectorAll('[data-testid=\"claim-mark\"]')].map((m) => m.textContent)"
    )


def test_a_tagged_claim_stays_on_its_sentence_when_the_draft_changes(driver):
    # Run alone (-k), this is the first test: the list may not be drawn yet.
    wait(driver, "drafts listed", lambda d: item(d, "kabul-embassy.txt") is not None)
    item(driver, "kabul-embassy.txt").click()
    quote = "Taliban leaders meet at the Chinese embassy every day"
    wait(driver, "kabul text", lambda d: quote in reader_text(d))
    assert driver.execute_script(SELECT_IN_READER, quote), "quote not found in the reader"
    wait(driver, "tag button", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="tag-claim"]'))
    by_testid(driver, "tag-claim").click()
    wait(driver, "claim highlighted", lambda d: quote in marks(d))
    claim = by_testid(driver, "claim-item")
    assert claim.get_attribute("data-status") == "needs-corroboration"
    assert claim.get_attribute("data-anchor-state") == "anchored"
    shot(driver, "06-claim-tagged")

    # The writer inserts a paragraph above the claim and saves.
    text_now = (DESK / "kabul-embassy.txt").read_text(encoding="utf-8")
    edited = text_now.replace("An Overview\n", "An Overview\n\nA paragraph the writer inserted above the claim.\n", 1)
    assert edited != text_now
    (DESK / "kabul-embassy.txt").write_text(edited, encoding="utf-8")
    wait(driver, "inserted paragraph", lambda d: "A paragraph the writer inserted" in reader_text(d))
    wait(driver, "claim still highlighted", lambda d: quote in marks(d))
    assert by_testid(driver, "claim-item").get_attribute("data-anchor-state") in ("anchored", "moved")
    shot(driver, "07-claim-after-edit")


SELECT_ACROSS_BLOCKS = """
const [first, last] = arguments;
const root = document.querySelector('[data-testid="reader-text"]');
const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
let start = null, end = null;
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  if (!start && node.data.includes(first)) start = [node, node.data.indexOf(first)];
  else if (start && node.data.includes(last)) { end = [node, node.data.indexOf(last) + last.length]; break; }
}
if (!start || !end) return false;
const range = document.createRange();
range.setStart(...start);
range.setEnd(...end);
const selection = window.getSelection();
selection.removeAllRanges();
selection.addRange(range);
return true;
"""


def test_the_history_shows_the_edit_word_by_word_with_the_claim_on_both_sides(driver):
    quote = "Taliban leaders meet at the Chinese embassy every day"
    by_testid(driver, "open-history").click()
    wait(driver, "versions listed", lambda d: len(d.find_elements(By.CSS_SELECTOR, '[data-testid="history-version"]')) >= 2)
    wait(driver, "diff shown", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="diff-to"]'))
    added = [text(n) for n in driver.find_elements(By.CSS_SELECTOR, '[data-testid="diff-to"] ins')]
    assert any("A paragraph the writer inserted above the claim." in a for a in added), added
    removed = [text(n) for n in driver.find_elements(By.CSS_SELECTOR, '[data-testid="diff-from"] del')]
    assert not any("Taliban" in r for r in removed), removed
    for side in ("diff-from", "diff-to"):
        claims = [text(m) for m in driver.find_elements(By.CSS_SELECTOR, f'[data-testid="{side}"] [data-testid="diff-claim"]')]
        assert quote in claims, (side, claims)
    shot(driver, "08-history")
    by_testid(driver, "close-history").click()
    wait(driver, "back to the text", lambda d: quote in marks(d))


def test_a_claim_can_span_two_paragraphs(driver):
    first, last = "The meeting took place in Sirajuddin", "The news comes several weeks after"
    wait(driver, "kabul text", lambda d: first in reader_text(d) and last in reader_text(d))
    assert driver.execute_script(SELECT_ACROSS_BLOCKS, first, last), "selection not made"
    wait(driver, "tag button", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="tag-claim"]'))
    by_testid(driver, "tag-claim").click()
    wait(driver, "claim in both paragraphs", lambda d: any(first in m for m in marks(d)) and any(last in m for m in marks(d)))
    assert len(driver.find_elements(By.CSS_SELECTOR, '[data-testid="claim-item"]')) == 2
    shot(driver, "09-claim-across-paragraphs")


def test_a_suggested_claim_is_accepted_with_its_attribution(driver):
    # The reviewer says who they are first: the window asked on this first start (no name saved yet).
    assert driver.find_elements(By.CSS_SELECTOR, '[data-testid="reviewer-first-start"]'), "asked on first start"
    shot(driver, "05a-reviewer-first-start")
    name = by_testid(driver, "reviewer-input")
    name.clear()
    name.send_keys("Amina Yusuf")
    name.send_keys(Keys.ENTER)
    wait(driver, "name saved", lambda d: "Amina Yusuf" in text(by_testid(d, "reviewer-name")))
    item(driver, "factory-fire.txt").click()
    wait(driver, "factory-fire open", lambda d: text(by_testid(d, "reader-path")) == "factory-fire.txt")
    wait(driver, "sourcing profile", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="sourcing-profile"]'))
    assert "Sourcing" in text(by_testid(driver, "sourcing-profile"))
    assert driver.find_elements(By.CSS_SELECTOR, '[data-testid="suggestion"]')
    shot(driver, "10-suggestions")
    suggestion = driver.find_elements(By.CSS_SELECTOR, '[data-testid="suggestion"]')[0]
    sentence = text(suggestion)
    before = len(driver.find_elements(By.CSS_SELECTOR, '[data-testid="suggestion"]'))
    suggestion.click()
    wait(driver, "suggestion card", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="suggestion-card"]'))
    shot(driver, "11-suggestion-card")
    by_testid(driver, "accept-suggestion").click()
    wait(driver, "claim made from it", lambda d: any(sentence in m for m in marks(d)))
    assert by_testid(driver, "claim-attribution").get_attribute("data-attribution") in ("unnamed", "named", "document", "none")
    assert "Amina Yusuf" in text(by_testid(driver, "claim-created"))
    assert len(driver.find_elements(By.CSS_SELECTOR, '[data-testid="suggestion"]')) < before


def test_a_hostile_html_draft_runs_no_script(driver):
    item(driver, "script-injection.html").click()
    wait(driver, "hostile text", lambda d: "The council approved a $12 million budget" in reader_text(d))
    time.sleep(0.5)
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text
    assert driver.title == "Factdesk"
    reader = driver.find_element(By.CSS_SELECTOR, '[data-testid="reader"]')
    for tag in ("script", "img", "iframe", "svg", "style"):
        assert reader.find_elements(By.TAG_NAME, tag) == [], tag
    assert "alert" not in text(reader)
    shot(driver, "04-hostile-html")


def test_problems_view_lists_files_that_could_not_be_read(driver):
    (DESK / "scan.md").write_bytes(bytes(range(256)) * 8)
    wait(driver, "skipped file listed", lambda d: item(d, "scan.md") is not None, timeout=5)
    assert item(driver, "scan.md").get_attribute("data-state") == "skipped"
    driver.find_element(By.CSS_SELECTOR, '[data-testid="tab-problems"]').click()
    wait(driver, "reason shown", lambda d: "binary" in text(by_testid(d, "problems")))
    shot(driver, "05-problems")


INVOKE = """
const [command, args, done] = arguments;
window.__TAURI_INTERNALS__.invoke(command, args).then(
  (value) => done({ ok: value }),
  (error) => done({ error: error }),
);
"""


def invoke(driver, command, args):
    # The app's own IPC, as its UI calls it: the native GTK save dialog cannot be driven by WebDriver.
    driver.set_script_timeout(90)
    return driver.execute_async_script(INVOKE, command, args)


def test_the_export_dialog_previews_the_report_and_saves_it(driver):
    quote = "Taliban leaders meet at the Chinese embassy every day"
    by_testid(driver, "tab-drafts").click()
    wait(driver, "drafts listed", lambda d: item(d, "kabul-embassy.txt") is not None)
    item(driver, "kabul-embassy.txt").click()
    wait(driver, "kabul open", lambda d: text(by_testid(d, "reader-path")) == "kabul-embassy.txt")
    wait(driver, "its claims", lambda d: quote in marks(d))
    by_testid(driver, "open-export-draft").click()
    wait(driver, "export dialog", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="export-dialog"]'))
    wait(driver, "preview", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="export-preview-frame"]'))
    assert text(by_testid(driver, "export-file-name")) == "kabul-embassy-review.html"
    frame = by_testid(driver, "export-preview-frame")
    assert frame.get_attribute("sandbox") == ""
    driver.switch_to.frame(frame)
    try:
        page = lambda d: d.find_element(By.TAG_NAME, "body").get_property("textContent") or ""  # noqa: E731
        wait(driver, "report rendered in the frame", lambda d: "Foreign Affairs" in page(d))
        assert quote in page(driver)
        assert driver.find_elements(By.TAG_NAME, "script") == []
    finally:
        driver.switch_to.default_content()
    time.sleep(0.3)
    shot(driver, "12-export-preview")

    by_testid(driver, "export-profile-internal").click()
    wait(driver, "internal warning", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="export-internal-warning"]'))
    assert "confidential sources" in text(by_testid(driver, "export-internal-warning"))
    assert text(by_testid(driver, "export-file-name")) == "kabul-embassy-review-internal.html"
    by_testid(driver, "export-format-markdown").click()
    wait(driver, "markdown preview", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="export-preview-text"]'))
    wait(driver, "markdown text", lambda d: "CONFIDENTIAL" in text(by_testid(d, "export-preview-text")))
    shot(driver, "13-export-internal-markdown")

    for choice in ("export-scope-desk", "export-format-html", "export-profile-desk"):
        by_testid(driver, choice).click()
    wait(driver, "desk file name", lambda d: text(by_testid(d, "export-file-name")) == "desk-desk-review.html")
    wait(driver, "desk preview", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="export-preview-frame"]'))
    wait(driver, "every draft in it", lambda d: "script-injection.html" in (by_testid(d, "export-preview-frame").get_attribute("srcdoc") or ""))
    time.sleep(0.3)
    # The desk holds the hostile HTML draft: its report runs nothing, in the frame or the window.
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text
    shot(driver, "14-export-desk")

    # Saving, as the dialog does once the reviewer has chosen a file.
    draft = int(driver.find_element(By.CSS_SELECTOR, "article.page[data-draft-id]").get_attribute("data-draft-id"))
    exports = WORK / "exports"
    exports.mkdir()
    request = {"scope": {"kind": "draft", "draft": draft}, "format": "html", "profile": "desk", "include_text": True}
    html_path = exports / "kabul-embassy-review.html"
    result = invoke(driver, "save_report", {"request": request, "path": str(html_path)})
    assert result.get("ok", {}).get("path") == str(html_path), result
    written = html_path.read_text(encoding="utf-8")
    assert result["ok"]["bytes"] == len(written.encode("utf-8"))
    assert "Foreign Affairs" in written and quote in written and "<script" not in written

    pdf_path = exports / "kabul-embassy-review-internal.pdf"
    request = {**request, "format": "pdf", "profile": "internal"}
    result = invoke(driver, "save_report", {"request": request, "path": str(pdf_path)})
    assert "ok" in result, result
    pdf_text = subprocess.run(["pdftotext", str(pdf_path), "-"], check=True, capture_output=True, text=True).stdout
    assert "Foreign Affairs" in pdf_text and "CONFIDENTIAL" in pdf_text

    refused = invoke(driver, "save_report", {"request": request, "path": "report.pdf"})
    assert refused.get("error", {}).get("code") == "invalid_path", refused

    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.ESCAPE)
    wait(driver, "dialog closed", lambda d: not d.find_elements(By.CSS_SELECTOR, '[data-testid="export-dialog"]'))
    assert quote in marks(driver)
FORM_STYLE = """
const [formId, fieldId] = arguments;
const form = document.querySelector(`[data-testid="${formId}"]`);
const field = document.querySelector(`[data-testid="${fieldId}"]`);
const label = field.closest('label');
const f = getComputedStyle(form), i = getComputedStyle(field);
const rootSize = parseFloat(getComputedStyle(document.documentElement).fontSize);
return {
  formDisplay: f.display, formPadding: parseFloat(f.paddingTop), formBorder: f.borderTopStyle,
  labelDisplay: label ? getComputedStyle(label).display : 'grid',
  fieldPaddingTop: parseFloat(i.paddingTop), fieldPaddingLeft: parseFloat(i.paddingLeft),
  fieldBorder: i.borderTopStyle, fieldWidth: field.getBoundingClientRect().width,
  // A field fills its label, or the form's inside when it has no label of its own.
  roomWidth: label ? label.getBoundingClientRect().width : form.clientWidth - 2 * parseFloat(f.paddingLeft),
  rootSize,
};
"""


def assert_form_styled(driver, form, field):
    # The computed styles of the real window must be app.css's .fd-form rules (a grid, a padded
    # field as wide as its label): an unclosed rule once left every sourcing form unstyled.
    style = driver.execute_script(FORM_STYLE, form, field)
    rem = style["rootSize"]
    assert style["formDisplay"] == "grid", style
    assert style["labelDisplay"] == "grid", style
    assert abs(style["formPadding"] - 0.55 * rem) < 0.5, style
    assert style["formBorder"] == "solid", style
    assert abs(style["fieldPaddingTop"] - 0.25 * rem) < 0.5, style
    assert abs(style["fieldPaddingLeft"] - 0.35 * rem) < 0.5, style
    assert style["fieldBorder"] == "solid", style
    assert abs(style["fieldWidth"] - style["roomWidth"]) < 1, style


def claim_item(driver, quote):
    for element in driver.find_elements(By.CSS_SELECTOR, '[data-testid="claim-item"]'):
        if quote in text(element):
            return element
    return None


def test_a_claim_gets_an_unnamed_source_and_evidence_in_the_inspector(driver):
    quote = "Taliban leaders meet at the Chinese embassy every day"
    by_testid(driver, "tab-drafts").click()
    item(driver, "kabul-embassy.txt").click()
    wait(driver, "kabul claims", lambda d: claim_item(d, quote) is not None)
    claim_item(driver, quote).click()
    wait(driver, "inspector sourcing", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="claim-sourcing"]'))

    by_testid(driver, "add-source").click()
    wait(driver, "link form", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="new-source-descriptor"]'))
    assert_form_styled(driver, "link-source-form", "new-source-descriptor")
    shot(driver, "14a-link-source-form")
    by_testid(driver, "new-source-descriptor").send_keys("a senior Western diplomat in Kabul")
    assert by_testid(driver, "new-source-kind").get_property("value") == "unnamed"
    assert by_testid(driver, "link-source-role").get_property("value") == "attributed"
    by_testid(driver, "link-source-submit").click()
    # The inspector reloads the claim's sourcing after a change, so the row is read once it is settled.
    def linked(d):
        try:
            return [(e.get_attribute("data-role"), e.get_attribute("data-kind"), text(e))
                    for e in d.find_elements(By.CSS_SELECTOR, '[data-testid="claim-source"]')]
        except StaleElementReferenceException:
            return []

    wait(driver, "source linked", linked)
    wait(driver, "source linked, settled", lambda d: len(linked(d)) == 1 and linked(d) == linked(d))
    role, kind, descriptor = linked(driver)[0]
    assert (role, kind) == ("attributed", "unnamed")
    assert "a senior Western diplomat in Kabul" in descriptor

    by_testid(driver, "add-evidence").click()
    wait(driver, "evidence form", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="evidence-form"]'))
    assert_form_styled(driver, "evidence-form", "evidence-summary-input")
    shot(driver, "14b-evidence-form")
    by_testid(driver, "evidence-reference-input").send_keys("photos/embassy-gate-2021-09-27.jpg")
    by_testid(driver, "evidence-summary-input").send_keys("Photographs of Taliban vehicles at the embassy gate on three days")
    Select(by_testid(driver, "evidence-kind")).select_by_value("photo-video")
    independent = by_testid(driver, "evidence-independent")
    assert not independent.is_selected(), "independence is never assumed"
    independent.click()
    by_testid(driver, "evidence-submit").click()
    wait(driver, "evidence listed", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="evidence-item"]'))
    # Found afresh each time: the list is drawn again when the claim's sourcing is read back.
    wait(driver, "evidence text", lambda d: "Taliban vehicles at the embassy gate" in text(by_testid(d, "evidence-item")))
    wait(driver, "independent", lambda d: by_testid(d, "evidence-item").get_attribute("data-independent") == "true")
    wait(driver, "corroboration read back", lambda d: "1 attributed (unnamed only)" in text(by_testid(d, "claim-corroboration")))
    wait(driver, "independent counted", lambda d: "1 independent" in text(by_testid(d, "claim-corroboration")))
    # The undo note steps aside when dismissed; the actions stay undoable with Ctrl+Z.
    for dismiss in driver.find_elements(By.CSS_SELECTOR, '[data-testid="undo-dismiss"]'):
        dismiss.click()
    wait(driver, "undo note dismissed", lambda d: not d.find_elements(By.CSS_SELECTOR, '[data-testid="undo-toast"]'))
    shot(driver, "15-claim-sourcing")


VERDICT = (
    "Two-source rule not met: attributed only to unnamed sources and has 1 independent corroboration of the 2 needed"
)


def test_the_same_claim_shows_the_same_two_source_verdict_everywhere(driver):
    # One unnamed source and one independent photo (the test before): the inspector, the matrix,
    # Draft review and the exported report all give the core's one answer.
    quote = "Taliban leaders meet at the Chinese embassy every day"
    claim = claim_item(driver, quote).get_attribute("data-claim-id")
    inspector = by_testid(driver, "claim-corroboration")
    assert inspector.get_attribute("data-two-source") == "not-met"
    assert text(by_testid(driver, "two-source-rule")) == VERDICT
    attribution = by_testid(driver, "claim-attribution")
    assert attribution.get_attribute("data-attribution") == "unnamed"
    assert attribution.get_attribute("data-attribution-from") == "sources"

    by_testid(driver, "side-tab-draft").click()
    wait(driver, "matrix", lambda d: d.find_elements(By.CSS_SELECTOR, f'[data-testid="matrix-row"][data-claim-id="{claim}"]'))
    cell = driver.find_element(By.CSS_SELECTOR, f'[data-testid="matrix-row"][data-claim-id="{claim}"] [data-testid="matrix-two-source"]')
    assert cell.get_attribute("data-two-source") == "not-met"
    assert cell.get_attribute("title") == VERDICT
    row_attribution = driver.find_element(
        By.CSS_SELECTOR, f'[data-testid="matrix-row"][data-claim-id="{claim}"] [data-testid="matrix-attribution"]'
    )
    assert row_attribution.get_attribute("data-attribution") == "unnamed"
    findings = driver.find_elements(By.CSS_SELECTOR, '[data-testid="finding"][data-rule="unnamed-needs-two-corroborations"]')
    assert any(
        "attributed only to unnamed sources and has 1 independent corroboration of the 2 needed" in text(f) for f in findings
    ), [text(f) for f in findings]
    # One name per rule: the card says what the verdicts say, and the report's rules table prints the same.
    labels = {text(f.find_element(By.CSS_SELECTOR, ".rule")) for f in findings}
    assert labels == {"Two-source rule"}, labels
    shot(driver, "15b-one-verdict-draft-review")

    draft = int(item(driver, "kabul-embassy.txt").get_attribute("data-draft-id"))
    exports = WORK / "verdict"
    exports.mkdir()
    report = exports / "kabul-embassy-review.md"
    request = {"scope": {"kind": "draft", "draft": draft}, "format": "markdown", "profile": "desk", "include_text": False}
    saved = invoke(driver, "save_report", {"request": request, "path": str(report)})
    assert "ok" in saved, saved
    written = report.read_text(encoding="utf-8")
    assert quote in written
    section = written[written.index(quote):]
    assert f"**Corroboration:** {VERDICT}" in section[:1500], section[:1500]
    assert "| Two-source rule (`unnamed-needs-two-corroborations`) |" in written, written
    by_testid(driver, "side-tab-claims").click()


def test_the_draft_review_shows_the_editors_note_and_the_findings_before_ready(driver):
    by_testid(driver, "side-tab-draft").click()
    wait(driver, "editor's note", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="editor-note"]'))
    assert text(by_testid(driver, "editor-note")).startswith("Editor")
    assert by_testid(driver, "editor-note-origin").get_attribute("data-origin") == "from-draft"
    assert by_testid(driver, "draft-status").get_attribute("data-draft-status") == "in-review"
    wait(driver, "matrix", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="matrix-row"]'))

    driver.find_element(By.CSS_SELECTOR, '[data-testid="draft-move"][data-to="ready"]').click()
    wait(driver, "override form", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="override-form"]'))
    rules = [f.get_attribute("data-rule") for f in driver.find_elements(By.CSS_SELECTOR, '[data-testid="finding"]')]
    assert "unresolved-claim" in rules, rules
    assert "unnamed-source-incomplete" in rules, rules
    assert by_testid(driver, "draft-status").get_attribute("data-draft-status") == "in-review"
    shot(driver, "16-draft-review-findings")

    assert_form_styled(driver, "override-form", "override-reason")
    by_testid(driver, "override-reason").send_keys("Sourcing checked with the managing editor by phone")
    by_testid(driver, "override-submit").click()
    wait(driver, "ready", lambda d: by_testid(d, "draft-status").get_attribute("data-draft-status") == "ready")
    assert all(f.get_attribute("data-overridden") == "true" for f in driver.find_elements(By.CSS_SELECTOR, '[data-testid="finding"]'))

    by_testid(driver, "editor-note-edit").click()
    wait(driver, "editor's note form", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="editor-note-form"]'))
    assert_form_styled(driver, "editor-note-form", "editor-note-input")
    shot(driver, "16a-editor-note-form")
    by_testid(driver, "editor-note-cancel").click()
    wait(driver, "editor's note shown", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="editor-note"]'))


def test_a_ready_draft_goes_back_to_needs_work_when_a_claims_sentence_is_deleted_on_disk(driver):
    # The test before moved the draft to ready (with an override). The writer now deletes the
    # sentence a claim stands on: the core re-runs the rules and the draft goes back, saying why.
    assert by_testid(driver, "draft-status").get_attribute("data-draft-status") == "ready"
    wait(driver, "listed as ready", lambda d: d.find_elements(
        By.CSS_SELECTOR, '[data-testid="draft-item"][data-path="kabul-embassy.txt"] [data-draft-status="ready"]'))
    path = DESK / "kabul-embassy.txt"
    before = path.read_text(encoding="utf-8")
    sentence = " Sources tell Strike Source that Taliban leaders meet at the Chinese embassy every day."
    assert sentence in before
    path.write_text(before.replace(sentence, "", 1), encoding="utf-8")
    wait(driver, "sentence gone", lambda d: "Taliban leaders meet at the Chinese embassy" not in reader_text(d))
    wait(driver, "back to needs work",
         lambda d: by_testid(d, "draft-status").get_attribute("data-draft-status") == "needs-work", timeout=15)
    changed = by_testid(driver, "changed-since-ready")
    assert changed.get_attribute("data-reopened") == "true"
    reason = text(by_testid(driver, "changed-reason"))
    assert reason.startswith("the text changed since the draft was marked ready"), reason
    kinds = changed.get_attribute("data-kinds").split()
    assert "claim-orphaned" in kinds, kinds
    assert "Taliban leaders meet at the Chinese embassy every day" in reason, reason
    # The override was given for the ready move on the old text: it lapsed with the reopen, so
    # Draft review lists the findings as open again (the override stays in the audit trail).
    def open_again(d):
        findings = d.find_elements(By.CSS_SELECTOR, '[data-testid="finding"]')
        return findings and all(f.get_attribute("data-overridden") == "false" for f in findings)

    wait(driver, "findings open again", open_again)
    # Said once: the banner says what to do; the rules' finding that repeats its reason is not listed again.
    assert "mark the draft ready again" in text(by_testid(driver, "changed-todo"))
    assert not driver.find_elements(By.CSS_SELECTOR, '[data-testid="finding"][data-rule="changed-since-ready"]')
    shot(driver, "16c-changed-since-ready")
    # The drafts list says the same.
    wait(driver, "listed as needs work", lambda d: d.find_elements(
        By.CSS_SELECTOR, '[data-testid="draft-item"][data-path="kabul-embassy.txt"] [data-draft-status="needs-work"]'))
    assert driver.find_elements(By.CSS_SELECTOR, '[data-testid="draft-item"][data-path="kabul-embassy.txt"] [data-testid="draft-list-changed"]')
    # Its claim counts are read in full beside the longer status line, not cut to "2 clai…".
    counts = driver.find_element(
        By.CSS_SELECTOR, '[data-testid="draft-item"][data-path="kabul-embassy.txt"] [data-testid="draft-claim-counts"]')
    assert "claim" in text(counts)
    assert driver.execute_script("return arguments[0].scrollWidth <= arguments[0].clientWidth;", counts), text(counts)


def test_the_sources_view_masks_confidential_fields_until_revealed(driver):
    by_testid(driver, "open-sources").click()
    wait(driver, "sources listed", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="source-card"]'))
    by_testid(driver, "source-edit").click()
    wait(driver, "edit form", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="source-edit-form"]'))
    assert_form_styled(driver, "source-edit-form", "source-edit-descriptor")
    shot(driver, "16b-source-edit-form")
    by_testid(driver, "source-edit-identity").send_keys("Deputy head of mission, Embassy X")
    by_testid(driver, "source-edit-anonymity_reason").send_keys("Not authorised to speak; risk to safety")
    by_testid(driver, "source-edit-save").click()
    wait(driver, "saved, masked", lambda d: not d.find_elements(By.CSS_SELECTOR, '[data-testid="source-edit-form"]'))
    card = by_testid(driver, "source-card")
    assert "Deputy head of mission" not in text(card)
    identity = card.find_element(By.CSS_SELECTOR, '[data-testid="source-field"][data-field="identity"]')
    assert identity.get_attribute("data-recorded") == "true"
    assert "recorded" in text(identity)
    shot(driver, "17-sources-masked")

    by_testid(driver, "source-reveal").click()
    # Reveal… asks for a second, deliberate click before anything confidential is read.
    wait(driver, "reveal confirmation", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="source-reveal-confirm"]'))
    assert "Deputy head of mission" not in text(by_testid(driver, "source-card"))
    by_testid(driver, "source-reveal-yes").click()
    wait(driver, "revealed", lambda d: "Deputy head of mission, Embassy X" in text(by_testid(d, "source-card")))
    shot(driver, "18-source-revealed")
    by_testid(driver, "source-hide").click()
    wait(driver, "masked again", lambda d: "Deputy head of mission" not in text(by_testid(d, "source-card")))
    by_testid(driver, "close-sources").click()
    wait(driver, "reader back", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="reader-text"]'))


def test_the_claim_history_reads_the_audit_trail(driver):
    by_testid(driver, "side-tab-claims").click()
    wait(driver, "inspector", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="claim-history-toggle"]'))
    by_testid(driver, "claim-history-toggle").click()
    wait(driver, "history", lambda d: len(d.find_elements(By.CSS_SELECTOR, '[data-testid="claim-history-entry"]')) >= 2)
    actions = [e.get_attribute("data-action") for e in driver.find_elements(By.CSS_SELECTOR, '[data-testid="claim-history-entry"]')]
    assert actions[0] == "claim.add" and "claim.link" in actions, actions
    assert "Linked a senior Western diplomat in Kabul (attributed)" in text(by_testid(driver, "claim-history"))
    lines = [text(e) for e in driver.find_elements(By.CSS_SELECTOR, '[data-testid="claim-history-entry"]')]
    assert not any(line.startswith("claim.") for line in lines), lines
    # Each line is the core's sentence, naming who did it.
    assert all(" by " in line for line in lines), lines
    driver.execute_script("arguments[0].scrollIntoView();", by_testid(driver, "claim-history"))
    shot(driver, "18b-claim-history")

    # j/k open the next claim's inspector at its top: its quote and status in view, not the
    # previous claim's scroll position.
    inspector = by_testid(driver, "claim-inspector")
    driver.execute_script("arguments[0].scrollTop = arguments[0].scrollHeight;", inspector)
    assert driver.execute_script("return arguments[0].scrollTop;", inspector) > 0
    before = inspector.get_attribute("data-claim-id")
    order = [e.get_attribute("data-claim-id") for e in driver.find_elements(By.CSS_SELECTOR, '[data-testid="claim-item"]')]
    driver.find_element(By.TAG_NAME, "body").send_keys("k" if before == order[-1] else "j")
    wait(driver, "next claim", lambda d: by_testid(d, "claim-inspector").get_attribute("data-claim-id") != before)
    wait(driver, "inspector at its top", lambda d: d.execute_script("return arguments[0].scrollTop;", by_testid(d, "claim-inspector")) == 0)
    shot(driver, "19-next-claim-inspector-top")


def test_a_claim_tagged_by_mistake_is_removed_and_brought_back_with_undo(driver):
    mistake = "Image Credit: Screenshot, via Google Maps"
    wait(driver, "kabul text", lambda d: mistake in reader_text(d))
    assert driver.execute_script(SELECT_IN_READER, mistake), "text not found in the reader"
    wait(driver, "tag button", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="tag-claim"]'))
    by_testid(driver, "tag-claim").click()
    wait(driver, "tagged", lambda d: mistake in marks(d))
    wait(driver, "inspector on it", lambda d: mistake in text(by_testid(d, "claim-quote")))
    claims_before = len(driver.find_elements(By.CSS_SELECTOR, '[data-testid="claim-item"]'))

    by_testid(driver, "claim-remove").click()
    wait(driver, "removed", lambda d: mistake not in marks(d))
    assert len(driver.find_elements(By.CSS_SELECTOR, '[data-testid="claim-item"]')) == claims_before - 1
    wait(driver, "undo offered", lambda d: text(by_testid(d, "undo-label")) == "Claim removed")
    shot(driver, "20-claim-removed-undo-offered")

    # The toast's button, right away.
    by_testid(driver, "undo").click()
    wait(driver, "back", lambda d: mistake in marks(d))
    assert len(driver.find_elements(By.CSS_SELECTOR, '[data-testid="claim-item"]')) == claims_before
    assert mistake in text(by_testid(driver, "claim-quote"))
    by_testid(driver, "claim-history-toggle").click()
    wait(driver, "history", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="claim-history-entry"][data-action="claim.restore"]'))
    lines = [text(e) for e in driver.find_elements(By.CSS_SELECTOR, '[data-testid="claim-history-entry"]')]
    assert any(line.startswith("Removed") for line in lines) and any(line.startswith("Restored") for line in lines), lines
    assert not any(line.startswith("claim.") for line in lines), lines
    shot(driver, "21-claim-restored")

    # Ctrl+Z, as an editor would press it, undoes the action before: the tagging itself.
    ActionChains(driver).key_down(Keys.CONTROL).send_keys("z").key_up(Keys.CONTROL).perform()
    wait(driver, "tagging undone", lambda d: mistake not in marks(d))
    assert len(driver.find_elements(By.CSS_SELECTOR, '[data-testid="claim-item"]')) == claims_before - 1


def save_docx_as_word_does(path, part, edit):
    """Word's save: the new document to a temporary file, the old one renamed
    aside (~WRL…tmp), the new one renamed into place, the old one deleted.
    The new document is the old one's parts with `edit` made to `part`."""
    import zipfile

    fresh = path.parent / "~WRD0001.tmp"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(fresh, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == part:
                edited = edit(data.decode("utf-8"))
                assert edited != data.decode("utf-8"), f"{part} unchanged"
                data = edited.encode("utf-8")
            zout.writestr(info, data)
    aside = path.parent / "~WRL0001.tmp"
    path.replace(aside)
    fresh.replace(path)
    aside.unlink()


def test_a_word_document_shows_its_comments_and_tracked_changes_and_keeps_its_claim_through_a_save(driver):
    by_testid(driver, "tab-drafts").click()
    docx = DESK / "harbor-dredging.docx"
    shutil.copy(ROOT / "examples" / "drafts" / "harbor-dredging.docx", docx)
    wait(driver, "docx listed", lambda d: item(d, "harbor-dredging.docx") is not None)
    listed = len(items(driver))
    item(driver, "harbor-dredging.docx").click()
    wait(driver, "docx text", lambda d: "approved $48 million for harbor dredging" in reader_text(d))
    assert text(by_testid(driver, "reader-format")) == "Word document"
    assert "$46 million" not in text(by_testid(driver, "reader-text")), "the text is every change accepted"

    # The document's own comment, on its span, read-only and from the document.
    comment = by_testid(driver, "document-comment")
    assert "Who has the minutes?" in text(comment)
    assert "twice the amount listed in its published budget" in text(comment)
    assert "Lee Park · 30 Nov 2026, 10:05 · from the document" in text(comment)
    assert comment.get_attribute("data-state") == "open"

    # Show tracked changes: the insertion underlined, the deletion struck, each with who and when.
    by_testid(driver, "toggle-tracked-changes").click()
    wait(driver, "insertion shown", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="tracked-insertion"]'))
    insertion = by_testid(driver, "tracked-insertion")
    assert text(insertion) == "$48 million"
    assert insertion.get_attribute("data-by") == "Ana Ruiz · 30 Nov 2026, 09:12"
    deletion = by_testid(driver, "tracked-deletion")
    assert deletion.get_attribute("data-text") == "$46 million"
    drawn = driver.execute_script(
        "return getComputedStyle(arguments[0], '::before').content", deletion
    )
    assert "$46 million" in drawn, drawn
    assert "$46 million" not in text(by_testid(driver, "reader-text")), "the deleted text is drawn, not text"
    shot(driver, "30-docx-tracked-changes")

    # A claim tagged on the document, partly on the insertion: the inspector says so.
    quote = "approved $48 million for harbor dredging"
    driver.execute_script(
        """
        const [first, last] = arguments;
        const root = document.querySelector('[data-testid="reader-text"]');
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        let start = null, end = null;
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          if (!start && node.data.includes(first)) start = [node, node.data.indexOf(first)];
          if (start && node.data.includes(last)) { end = [node, node.data.indexOf(last) + last.length]; break; }
        }
        const range = document.createRange();
        range.setStart(...start);
        range.setEnd(...end);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        """,
        "approved ",
        " for harbor dredging",
    )
    wait(driver, "tag button", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="tag-claim"]'))
    by_testid(driver, "tag-claim").click()
    wait(driver, "claim highlighted", lambda d: quote in "".join(marks(d)))
    wait(driver, "claim listed", lambda d: claim_item(d, quote) is not None)
    claim_item(driver, quote).click()
    wait(driver, "tracked notice", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="claim-tracked-insertion"]'))
    notice = text(by_testid(driver, "claim-tracked-insertion"))
    assert "tracked insertion (Ana Ruiz" in notice, notice
    shot(driver, "31-docx-claim-in-insertion")

    # Word saves the document again with an edit elsewhere: the same draft, the claim still on its words.
    save_docx_as_word_does(
        docx, "word/document.xml", lambda xml: xml.replace("released in December", "released on Dec. 3")
    )
    wait(driver, "edit shown", lambda d: "released on Dec. 3" in reader_text(d))
    wait(driver, "claim still highlighted", lambda d: quote in "".join(marks(d)))
    assert len(items(driver)) == listed, "Word's save is a new version of the same draft"
    assert item(driver, "~WRL0001.tmp") is None and item(driver, "~WRD0001.tmp") is None
    assert claim_item(driver, quote).get_attribute("data-anchor-state") in ("anchored", "moved")
    shot(driver, "32-docx-after-word-save")

    # Saved once more with the comment deleted (resolved by removing it): the note stays, resolved.
    import re

    save_docx_as_word_does(docx, "word/comments.xml", lambda xml: re.sub(r"<w:comment\b.*?</w:comment>", "", xml, flags=re.S))
    wait(
        driver,
        "comment resolved",
        lambda d: by_testid(d, "document-comment").get_attribute("data-state") == "removed",
    )
    comment = by_testid(driver, "document-comment")
    assert "Who has the minutes?" in text(comment)
    assert text(by_testid(driver, "document-comment-resolved")) == "Resolved · no longer in the document"
    driver.execute_script("arguments[0].scrollIntoView()", comment)
    shot(driver, "33-docx-comment-resolved")


def active_element_testid(driver):
    return driver.execute_script("return document.activeElement && document.activeElement.dataset.testid")


def test_slash_searches_the_desk_and_enter_opens_the_claim_found(driver):
    # A sentence no earlier step edits or tags.
    quote = "the Chinese government is providing technological support"
    wait(driver, "drafts listed", lambda d: item(d, "kabul-embassy.txt") is not None, timeout=30)
    item(driver, "kabul-embassy.txt").click()
    wait(driver, "kabul text", lambda d: quote in reader_text(d))
    if quote not in marks(driver):
        assert driver.execute_script(SELECT_IN_READER, quote), "quote not found in the reader"
        wait(driver, "tag button", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="tag-claim"]'))
        by_testid(driver, "tag-claim").click()
        wait(driver, "claim highlighted", lambda d: quote in marks(d))
    # Another draft on screen, so opening the hit has somewhere to go.
    item(driver, "factory-fire.txt").click()
    wait(driver, "another draft", lambda d: "Sources tell Strike Source" not in reader_text(d))
    driver.execute_script("document.activeElement && document.activeElement.blur()")

    ActionChains(driver).send_keys("/").perform()
    wait(driver, "search box focused", lambda d: active_element_testid(d) == "search-input")
    ActionChains(driver).send_keys("technological SUPPORT").perform()
    claim_hits = '[data-testid="search-group"][data-kind="claim"] [data-testid="search-hit"]'
    wait(driver, "the claim found", lambda d: d.find_elements(By.CSS_SELECTOR, claim_hits))
    kinds = [g.get_attribute("data-kind") for g in driver.find_elements(By.CSS_SELECTOR, '[data-testid="search-group"]')]
    assert kinds[0] == "draft" and "claim" in kinds, kinds
    hit = driver.find_elements(By.CSS_SELECTOR, claim_hits)[0]
    assert "kabul-embassy.txt" in text(hit)
    marked = [text(m) for m in hit.find_elements(By.TAG_NAME, "mark")]
    assert marked == ["technological", "support"], marked
    shot(driver, "22-search-results")

    # Filters narrow the hits without closing the list: claims only, then back to everything.
    by_testid(driver, "search-filters-toggle").click()
    Select(by_testid(driver, "search-filter-kind")).select_by_value("claim")
    only = lambda d: {g.get_attribute("data-kind") for g in d.find_elements(By.CSS_SELECTOR, '[data-testid="search-group"]')}
    wait(driver, "claims only", lambda d: only(d) == {"claim"})
    time.sleep(0.5)  # no later answer puts the other kinds back
    assert only(driver) == {"claim"}
    shot(driver, "22b-search-filtered")
    # Issue 15: "Only <draft>" reads as one checkbox with its label, not a box mid-row (the search field's width
    # applied to the checkbox).
    only_draft = by_testid(driver, "search-filter-this-draft")
    label = driver.execute_script("return arguments[0].closest('label')", only_draft)
    box, row = only_draft.rect, label.rect
    assert box["width"] < 30 and box["x"] - row["x"] < 4, (box, row)
    by_testid(driver, "search-filters-clear").click()
    wait(driver, "every kind again", lambda d: "draft" in only(d))

    # Assigned to: the claim assigned to Dana from the command line, and nothing of the draft's (not Dana's).
    claim_id = driver.find_elements(By.CSS_SELECTOR, claim_hits)[0].get_attribute("data-id")
    cli("assign", claim_id, "--to", "dana")
    by_testid(driver, "search-filter-assignee").send_keys("dana")
    wait(driver, "Dana's claim only", lambda d: only(d) == {"claim"})
    assert [h.get_attribute("data-id") for h in driver.find_elements(By.CSS_SELECTOR, '[data-testid="search-hit"]')] == [claim_id]
    shot(driver, "22c-search-assignee")
    by_testid(driver, "search-filters-clear").click()
    wait(driver, "every kind again", lambda d: "draft" in only(d))
    cli("unassign", claim_id)
    by_testid(driver, "search-input").click()

    # The keyboard alone: down to the claim, Enter.
    for _ in range(10):
        active = driver.find_element(By.CSS_SELECTOR, '[data-testid="search-hit"][aria-selected="true"]')
        if active.get_attribute("data-kind") == "claim":
            break
        ActionChains(driver).send_keys(Keys.ARROW_DOWN).perform()
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    wait(driver, "kabul open", lambda d: "Sources tell Strike Source" in reader_text(d))
    wait(driver, "the claim selected", lambda d: quote in text(by_testid(d, "claim-quote")))
    assert not driver.find_elements(By.CSS_SELECTOR, '[data-testid="search-results"]')
    shot(driver, "23-search-opened-claim")


def test_the_dashboard_lists_the_drafts_with_their_counts_and_opens_one(driver):
    wait(driver, "drafts listed", lambda d: item(d, "kabul-embassy.txt") is not None, timeout=30)
    if "No claims" in text(item(driver, "kabul-embassy.txt")):
        # Run alone (-k), no earlier test tagged one: the command line does.
        cli("claim", "add", str(DESK), "kabul-embassy.txt", "--quote", "Public access to the Chinese Embassy is blocked off")
        wait(driver, "the claim counted in the list", lambda d: "No claims" not in text(item(d, "kabul-embassy.txt")))
    listed = len(items(driver))
    by_testid(driver, "open-dashboard").click()
    wait(driver, "dashboard", lambda d: len(d.find_elements(By.CSS_SELECTOR, '[data-testid="dashboard-row"]')) == listed)
    assert text(by_testid(driver, "total-drafts")) == str(listed)
    rows = {r.get_attribute("data-path"): r for r in driver.find_elements(By.CSS_SELECTOR, '[data-testid="dashboard-row"]')}
    # Each draft's claims as the drafts list counts them ("No claims", "1 claim · 1 open", "3 claims · …").
    for path, row in rows.items():
        listed_text = text(item(driver, path))
        counted = re.search(r"(\d+) claims?\b", listed_text)
        expected = int(counted.group(1)) if counted else 0
        assert int(text(row.find_element(By.CSS_SELECTOR, '[data-testid="dashboard-claims"]'))) == expected, path
    kabul = rows["kabul-embassy.txt"]
    assert int(text(kabul.find_element(By.CSS_SELECTOR, '[data-testid="dashboard-claims"]'))) >= 1
    blocked = sum(1 for r in rows.values() if r.find_elements(By.CSS_SELECTOR, '[data-testid="dashboard-blocker"]'))
    assert text(by_testid(driver, "total-blocked")) == str(blocked)
    shot(driver, "24-dashboard")
    # Export CSV: what the button saves once the save dialog (not drivable) gives a path: the rows, in order.
    csv_path = WORK / "desk-dashboard.csv"
    drafts = [int(r.get_attribute("data-draft")) for r in driver.find_elements(By.CSS_SELECTOR, '[data-testid="dashboard-row"]')]
    saved = invoke(driver, "save_dashboard_csv", {"drafts": drafts, "path": str(csv_path)})
    assert "ok" in saved, saved
    with csv_path.open(newline="", encoding="utf-8") as file:
        table = list(csv.reader(file))
    assert table[0][:5] == ["draft", "title", "workflow_status", "changed_since_ready", "claims"], table[0]
    shown = [r.get_attribute("data-path") for r in driver.find_elements(By.CSS_SELECTOR, '[data-testid="dashboard-row"]')]
    assert [line[0] for line in table[1:]] == shown
    kabul_line = next(line for line in table if line[0] == "kabul-embassy.txt")
    assert int(kabul_line[4]) == int(text(kabul.find_element(By.CSS_SELECTOR, '[data-testid="dashboard-claims"]')))
    kabul.find_element(By.CSS_SELECTOR, '[data-testid="dashboard-open"]').click()
    wait(driver, "kabul open", lambda d: "Sources tell Strike Source" in reader_text(d))
    assert not driver.find_elements(By.CSS_SELECTOR, '[data-testid="dashboard"]')


def test_the_command_palette_runs_an_action_by_name_and_question_mark_shows_the_keys(driver):
    quote = "the Chinese government is providing technological support"
    wait(driver, "drafts listed", lambda d: item(d, "kabul-embassy.txt") is not None, timeout=30)
    item(driver, "kabul-embassy.txt").click()
    wait(driver, "kabul claims", lambda d: claim_item(d, quote) is not None or quote in reader_text(d))
    if claim_item(driver, quote) is None:
        assert driver.execute_script(SELECT_IN_READER, quote), "quote not found in the reader"
        wait(driver, "tag button", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="tag-claim"]'))
        by_testid(driver, "tag-claim").click()
        wait(driver, "tagged", lambda d: claim_item(d, quote) is not None)
    claim_item(driver, quote).click()
    wait(driver, "inspector on it", lambda d: quote in text(by_testid(d, "claim-quote")))
    driver.execute_script("document.activeElement && document.activeElement.blur()")

    ActionChains(driver).key_down(Keys.CONTROL).send_keys("k").key_up(Keys.CONTROL).perform()
    wait(driver, "palette", lambda d: active_element_testid(d) == "palette-input")
    ActionChains(driver).send_keys("status disputed").perform()
    wait(driver, "one action", lambda d: [a.get_attribute("data-action") for a in d.find_elements(By.CSS_SELECTOR, '[data-testid="palette-action"]')] == ["status-disputed"])
    shot(driver, "25-command-palette")
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    wait(driver, "status set", lambda d: claim_item(d, quote).get_attribute("data-status") == "disputed")
    assert not driver.find_elements(By.CSS_SELECTOR, '[data-testid="command-palette"]')

    ActionChains(driver).send_keys("?").perform()
    wait(driver, "keyboard map", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="keyboard-map"]'))
    keys = [text(e) for e in driver.find_elements(By.CSS_SELECTOR, '[data-testid="keyboard-map-entry"] kbd')]
    assert {"/", "c", "j", "k", "1", "e", "h", "Ctrl+Z", "Ctrl+K"} <= set(keys), keys
    shot(driver, "26-keyboard-map")
    ActionChains(driver).send_keys(Keys.ESCAPE).perform()
    wait(driver, "map closed", lambda d: not d.find_elements(By.CSS_SELECTOR, '[data-testid="keyboard-map"]'))


def press(driver, *keys):
    ActionChains(driver).send_keys(*keys).perform()


def tab_to(driver, testid, most=20):
    """Tabs forward until the focus is on `testid`, as a keyboard user would."""
    for _ in range(most):
        if active_element_testid(driver) == testid:
            return
        press(driver, Keys.TAB)
    assert active_element_testid(driver) == testid, f"Tab never reached {testid}"


def test_a_claim_is_reviewed_start_to_finish_with_the_keyboard_alone(driver):
    wait(driver, "drafts listed", lambda d: item(d, "kabul-embassy.txt") is not None)
    item(driver, "kabul-embassy.txt").click()
    wait(driver, "kabul text", lambda d: "Sources tell Strike Source" in reader_text(d))
    wait(driver, "suggestions shown", lambda d: d.find_elements(By.CSS_SELECTOR, "[data-suggestion-start]"))
    driver.execute_script("document.activeElement && document.activeElement.blur()")
    claims_before = int(text(by_testid(driver, "claims-total")))

    # n opens the first suggestion's card with the focus on "Tag as claim"; Enter accepts it.
    press(driver, "n")
    wait(driver, "suggestion card, focused", lambda d: active_element_testid(d) == "accept-suggestion")
    shot(driver, "27-keyboard-suggestion-card")
    press(driver, Keys.ENTER)
    wait(driver, "accepted as a claim", lambda d: int(text(by_testid(d, "claims-total"))) == claims_before + 1)
    wait(driver, "the new claim inspected", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="claim-inspector"]'))
    claim = by_testid(driver, "claim-inspector").get_attribute("data-claim-id")
    driver.execute_script("document.activeElement && document.activeElement.blur()")

    # l opens "Link a source" with the focus in it; a new source needs a descriptor.
    press(driver, "l")
    wait(driver, "link form, focused", lambda d: active_element_testid(d) == "link-source-pick")
    if by_testid(driver, "link-source-pick").get_attribute("value") == "new":
        tab_to(driver, "new-source-descriptor")
        press(driver, "a senior Western diplomat")
    tab_to(driver, "link-source-submit")
    press(driver, Keys.ENTER)
    wait(driver, "source linked", lambda d: text(by_testid(d, "claim-source-count")) == "1")

    # 3 sets the status (disputed); m puts the focus in the note field.
    driver.execute_script("document.activeElement && document.activeElement.blur()")
    press(driver, "3")
    wait(driver, "status set", lambda d: claim_item_by_id(d, claim).get_attribute("data-status") == "disputed")
    press(driver, "m")
    wait(driver, "note field focused", lambda d: active_element_testid(d) == "note-input")
    press(driver, "Reviewed from the keyboard alone.")
    tab_to(driver, "note-submit")
    press(driver, Keys.ENTER)
    wait(driver, "note added", lambda d: any("Reviewed from the keyboard alone." in text(n) for n in d.find_elements(By.CSS_SELECTOR, '[data-testid="note-text"]')))
    shot(driver, "28-keyboard-review-done")

    # s shows the draft review with the focus on its first status move.
    driver.execute_script("document.activeElement && document.activeElement.blur()")
    press(driver, "s")
    wait(driver, "draft status move focused", lambda d: active_element_testid(d) == "draft-move")
    press(driver, "?")
    wait(driver, "keyboard map", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="keyboard-map"]'))
    keys = [text(e) for e in driver.find_elements(By.CSS_SELECTOR, '[data-testid="keyboard-map-entry"] kbd')]
    assert {"n", "p", "a", "x", "l", "v", "m", "s"} <= set(keys), keys
    press(driver, Keys.ESCAPE)
    by_testid(driver, "side-tab-claims").click()


def given_an_unnamed_source_with_an_identity(driver):
    """Opens the sources view on an unnamed source whose identity is recorded: in the full run the inspector and
    sources tests made one; run alone (-k), the command line adds it (the identity on stdin, never in argv)."""
    wait(driver, "drafts listed", lambda d: item(d, "kabul-embassy.txt") is not None)
    by_testid(driver, "open-sources").click()
    try:
        wait(driver, "sources listed", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="source-card"]'), 3)
        return
    except TimeoutException:
        pass
    by_testid(driver, "close-sources").click()
    cli("source", "add", str(DESK), "--descriptor", "a Western diplomat", "--kind", "unnamed", "--identity", "-",
        stdin="Deputy head of mission, Embassy X\n")
    by_testid(driver, "open-sources").click()
    wait(driver, "source added by the command line", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="source-card"]'))


def test_the_vault_is_set_up_locked_unlocked_for_a_reveal_and_locks_itself_when_idle(driver):
    # The idle time is FACTDESK_VAULT_IDLE_SECONDS (set low by scripts/e2e.sh), not the ten minutes of real use.
    given_an_unnamed_source_with_an_identity(driver)
    wait(driver, "vault bar", lambda d: by_testid(d, "vault-bar").get_attribute("data-vault") == "none")
    by_testid(driver, "vault-setup").click()
    wait(driver, "set-up dialog", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="vault-new-passphrase"]'))
    by_testid(driver, "vault-new-passphrase").send_keys("correct horse battery staple")
    by_testid(driver, "vault-new-passphrase-again").send_keys("correct horse battery staple")
    by_testid(driver, "vault-setup-submit").click()
    wait(driver, "recovery key shown once", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="vault-recovery-key"]'), 30)
    key = text(by_testid(driver, "vault-recovery-key"))
    assert len(key) == 71, key
    shot(driver, "21-vault-recovery-key")
    assert not by_testid(driver, "vault-recovery-done").is_enabled(), "Done waits for 'I have stored it'"
    by_testid(driver, "vault-recovery-stored").click()
    by_testid(driver, "vault-recovery-done").click()
    wait(driver, "unlocked after set-up", lambda d: by_testid(d, "vault-bar").get_attribute("data-vault") == "unlocked")

    # Locked: the fields show they are recorded and that the vault is locked, never their value.
    by_testid(driver, "vault-lock").click()
    wait(driver, "locked", lambda d: by_testid(d, "vault-bar").get_attribute("data-vault") == "locked")
    card = by_testid(driver, "source-card")
    identity = card.find_element(By.CSS_SELECTOR, '[data-testid="source-field"][data-field="identity"]')
    wait(driver, "masked as locked", lambda d: "vault locked" in text(identity))
    assert "Deputy head of mission" not in text(card)
    shot(driver, "22-sources-vault-locked")

    # Reveal asks to unlock: a wrong passphrase is refused and changes nothing, the right one reveals.
    by_testid(driver, "source-reveal").click()
    by_testid(driver, "source-reveal-yes").click()
    wait(driver, "unlock dialog", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="vault-passphrase"]'))
    by_testid(driver, "vault-passphrase").send_keys("not the passphrase")
    by_testid(driver, "vault-unlock-submit").click()
    wait(driver, "wrong passphrase said", lambda d: "wrong passphrase" in text(by_testid(d, "vault-error")), 30)
    assert "Deputy head of mission" not in text(by_testid(driver, "source-card"))
    shot(driver, "23-vault-wrong-passphrase")
    by_testid(driver, "vault-passphrase").send_keys("correct horse battery staple")
    by_testid(driver, "vault-unlock-submit").click()
    wait(driver, "revealed after unlock", lambda d: "Deputy head of mission, Embassy X" in text(by_testid(d, "source-card")), 30)
    assert not driver.find_elements(By.CSS_SELECTOR, '[data-testid="vault-dialog"]')
    assert by_testid(driver, "vault-bar").get_attribute("data-vault") == "unlocked"
    shot(driver, "24-vault-unlocked-revealed")

    # Unused for the idle time: the vault locks itself and the revealed values go.
    wait(driver, "idle lock", lambda d: by_testid(d, "vault-bar").get_attribute("data-vault") == "locked", 40)
    wait(driver, "hidden again", lambda d: "Deputy head of mission" not in text(by_testid(d, "source-card")))
    shot(driver, "25-vault-idle-locked")
    by_testid(driver, "close-sources").click()


def cli(*args, stdin=None):
    """The real command line, as another process, on the window's database (FACTDESK_DB, set by e2e.sh)."""
    done = subprocess.run(
        [str(ROOT / "target" / "debug" / "factdesk"), *args], input=stdin, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def claim_item_by_id(driver, claim):
    found = driver.find_elements(By.CSS_SELECTOR, f'[data-testid="claim-item"][data-claim-id="{claim}"]')
    return found[0] if found else None


def test_a_review_changed_by_the_command_line_reaches_the_open_window(driver):
    wait(driver, "drafts listed", lambda d: item(d, "kabul-embassy.txt") is not None)
    item(driver, "kabul-embassy.txt").click()
    quote = "The meeting took place in Sirajuddin’s office, not the Chinese embassy."
    wait(driver, "kabul text", lambda d: quote in reader_text(d))
    by_testid(driver, "side-tab-claims").click()  # an earlier test may have left the draft review shown
    # A claim tagged by another process appears without any file changing.
    claim = cli("claim", "add", str(DESK), "kabul-embassy.txt", "--quote", quote)
    assert claim.isdigit(), claim
    wait(driver, "claim added by the command line", lambda d: claim_item_by_id(d, claim) is not None, timeout=2)
    claim_item_by_id(driver, claim).click()
    wait(driver, "claim selected", lambda d: by_testid(d, "claim-inspector").get_attribute("data-claim-id") == claim)
    # The editor is reading further down and has half typed a note: none of it may be lost.
    reader = by_testid(driver, "reader")
    driver.execute_script("arguments[0].scrollTop = 240;", reader)
    scrolled = driver.execute_script("return arguments[0].scrollTop;", reader)
    half_typed = "Call the embassy's press off"
    by_testid(driver, "note-input").send_keys(half_typed)

    cli("claim", "set", claim, "--status", "disputed")
    cli("note", "add", "--claim", claim, "--text", "Two sources deny the meeting took place there.")
    wait(
        driver,
        "status and note from the command line",
        lambda d: claim_item_by_id(d, claim).get_attribute("data-status") == "disputed"
        and "Two sources deny" in " ".join(text(n) for n in d.find_elements(By.CSS_SELECTOR, '[data-testid="note-text"]')),
        timeout=2,
    )
    assert by_testid(driver, "claim-status").get_property("value") == "disputed"
    assert by_testid(driver, "claim-inspector").get_attribute("data-claim-id") == claim
    assert by_testid(driver, "note-input").get_property("value") == half_typed
    assert driver.execute_script("return arguments[0].scrollTop;", by_testid(driver, "reader")) == scrolled
    assert quote in reader_text(driver)
    shot(driver, "review-changed-by-the-command-line")


def test_an_editors_note_saved_from_the_command_line_meanwhile_is_not_overwritten_and_mine_is_reapplied(driver):
    wait(driver, "drafts listed", lambda d: item(d, "kabul-embassy.txt") is not None)
    item(driver, "kabul-embassy.txt").click()
    by_testid(driver, "side-tab-draft").click()
    wait(driver, "editor's note", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="editor-note-edit"]'))
    by_testid(driver, "editor-note-edit").click()
    wait(driver, "editor's note form", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="editor-note-input"]'))
    # The editor starts writing over the note the draft had…
    mine = "Editor's Note: Strike Source has withheld the names of its sources in Kabul"
    box = by_testid(driver, "editor-note-input")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(mine)
    wait(driver, "typed", lambda d: by_testid(d, "editor-note-input").get_property("value") == mine)

    # …while someone saves another one from the command line (no version: it lands over whatever is there).
    theirs = "Editor's Note: Sources for this report have not been named to protect their identity."
    cli("editor-note", str(DESK), "kabul-embassy.txt", "--set", theirs)
    # The window follows the change made elsewhere, and the half-typed note stays in its box.
    wait(
        driver,
        "their note reached the window",
        lambda d: by_testid(d, "editor-note-origin").get_attribute("data-origin") == "saved",
        timeout=3,
    )
    assert by_testid(driver, "editor-note-input").get_property("value") == mine

    # Saving now would overwrite a note the editor never read: refused, theirs shown with who saved it.
    by_testid(driver, "editor-note-save").click()
    wait(driver, "conflict shown", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="editor-note-conflict"]'))
    assert text(by_testid(driver, "editor-note-conflict-theirs")) == theirs
    assert text(by_testid(driver, "editor-note-conflict-by")).strip() != ""
    assert by_testid(driver, "editor-note-input").get_property("value") == mine
    assert json.loads(cli("editor-note", str(DESK), "kabul-embassy.txt", "--json"))["text"] == theirs
    shot(driver, "26a-editor-note-conflict")

    by_testid(driver, "editor-note-reapply").click()
    wait(
        driver,
        "mine saved over theirs",
        lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="editor-note"]') and text(by_testid(d, "editor-note")) == mine,
    )
    saved = json.loads(cli("editor-note", str(DESK), "kabul-embassy.txt", "--json"))
    assert saved["text"] == mine, saved
    # Both attempts are on the audit trail: the refused save, then the one reapplied.
    log = cli("audit", "log")
    assert "Change refused" in log, log
    shot(driver, "26b-editor-note-reapplied")


STATUS_LABEL = {"corroborated": "Corroborated", "disputed": "Disputed", "unverifiable": "Unverifiable", "cleared": "Cleared"}


def test_a_status_chosen_over_one_the_command_line_set_meanwhile_is_refused_with_theirs_and_reapplied(driver):
    wait(driver, "drafts listed", lambda d: item(d, "kabul-embassy.txt") is not None)
    item(driver, "kabul-embassy.txt").click()
    by_testid(driver, "side-tab-claims").click()
    quote = "the last time Sirajuddin and Wenqing met was Sunday"
    claim = cli("claim", "add", str(DESK), "kabul-embassy.txt", "--quote", quote)
    wait(driver, "claim listed", lambda d: claim_item_by_id(d, claim) is not None, timeout=3)
    claim_item_by_id(driver, claim).click()
    wait(driver, "claim selected", lambda d: by_testid(d, "claim-inspector").get_attribute("data-claim-id") == claim)

    # The command line sets a status and, right after, the editor picks another in the window. The window follows
    # other processes' changes within half a second: when it has already shown theirs, the editor's choice is made
    # on what they saw and rightly saved; only a choice made on the older status is a conflict. So: again, until the
    # choice lands before the window heard of theirs (almost always the first time).
    for theirs, mine in [("disputed", "corroborated"), ("cleared", "unverifiable")] * 4:
        cli("claim", "set", claim, "--status", theirs)
        driver.execute_script(
            "const s = arguments[0]; s.value = arguments[1]; s.dispatchEvent(new Event('change', {bubbles: true}));",
            by_testid(driver, "claim-status"),
            mine,
        )
        wait(
            driver,
            "the choice refused or saved",
            lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="status-conflict"]')
            or claim_item_by_id(d, claim).get_attribute("data-status") == mine,
        )
        if driver.find_elements(By.CSS_SELECTOR, '[data-testid="status-conflict"]'):
            break
    else:
        pytest.fail("the window heard of every change before the editor's choice: no conflict to show")

    # Theirs stands, shown with who set it; nothing of the editor's choice was saved.
    assert text(by_testid(driver, "status-conflict-theirs")) == STATUS_LABEL[theirs]
    assert text(by_testid(driver, "status-conflict-by")).strip() != ""
    wait(driver, "theirs shown", lambda d: claim_item_by_id(d, claim).get_attribute("data-status") == theirs)
    assert by_testid(driver, "claim-status").get_property("value") == theirs
    listed = json.loads(cli("claims", str(DESK), "kabul-embassy.txt", "--json"))
    assert next(c for c in listed if str(c["id"]) == claim)["status"] == theirs
    shot(driver, "26c-status-conflict")

    by_testid(driver, "status-conflict-reapply").click()
    wait(driver, "mine reapplied", lambda d: claim_item_by_id(d, claim).get_attribute("data-status") == mine)
    wait(driver, "conflict gone", lambda d: not d.find_elements(By.CSS_SELECTOR, '[data-testid="status-conflict"]'))
    listed = json.loads(cli("claims", str(DESK), "kabul-embassy.txt", "--json"))
    assert next(c for c in listed if str(c["id"]) == claim)["status"] == mine

def test_the_team_store_dialog_says_why_a_server_is_refused_and_the_file_stays_in_use(driver):
    wait(driver, "drafts listed", lambda d: item(d, "kabul-embassy.txt") is not None)
    store = by_testid(driver, "store-in-use")
    assert text(store).startswith("This computer"), text(store)
    assert str(WORK / "factdesk.db") in text(store)
    store.click()
    wait(driver, "team store dialog", lambda d: by_testid(d, "team-store-dialog").is_displayed())
    # A port nothing listens on: bound, then released.
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    by_testid(driver, "team-store-url").send_keys(f"postgres://ana@127.0.0.1:{port}/newsdesk")
    by_testid(driver, "team-store-password").send_keys("typed-not-kept")
    by_testid(driver, "team-store-connect").click()
    wait(driver, "the refusal", lambda d: "cannot reach the PostgreSQL server" in text(by_testid(d, "team-store-error")))
    message = text(by_testid(driver, "team-store-error"))
    assert f"127.0.0.1:{port}" in message and "typed-not-kept" not in message, message
    shot(driver, "team-store-unreachable")
    # A password in the URL is refused before anything is tried, and not repeated.
    url = by_testid(driver, "team-store-url")
    url.clear()
    url.send_keys(f"postgres://ana:s3cret@127.0.0.1:{port}/newsdesk")
    by_testid(driver, "team-store-connect").click()
    wait(driver, "the password refused", lambda d: "password in the database URL" in text(by_testid(d, "team-store-error")))
    assert "s3cret" not in text(by_testid(driver, "team-store-error"))
    by_testid(driver, "team-store-cancel").click()
    wait(driver, "dialog closed", lambda d: not d.find_elements(By.CSS_SELECTOR, '[data-testid="team-store-dialog"]'))
    # The file is still the store in use, nothing was remembered, and the desk still answers.
    assert text(by_testid(driver, "store-in-use")).startswith("This computer")
    assert not (WORK / "config" / "factdesk" / "settings.json").exists()
    item(driver, "harbor-dredging.md").click()
    wait(driver, "harbor text", lambda d: "dredg" in reader_text(d).lower())


def test_a_claim_assigned_from_the_command_line_shows_in_assigned_to_me_and_the_inbox(driver):
    wait(driver, "drafts listed", lambda d: item(d, "kabul-embassy.txt") is not None)
    # On one machine the command line acts as the window's reviewer: assign the claim to them.
    me = cli("reviewer", "show")
    unread_before = int(text(by_testid(driver, "inbox-unread")))
    quote = "was spotted at the Serena Hotel in Kabul"
    claim = cli("claim", "add", str(DESK), "kabul-embassy.txt", "--quote", quote)
    # Another draft is open, so opening the entry has somewhere to go.
    item(driver, "factory-fire.txt").click()
    cli("assign", claim, "--to", me, "--due", "2020-01-31")

    assigned = f'[data-testid="assigned-item"][data-claim-id="{claim}"]'
    entry = f'[data-testid="inbox-item"][data-claim-id="{claim}"]'
    wait(driver, "unread count", lambda d: text(by_testid(d, "inbox-unread")) == str(unread_before + 1), timeout=3)
    by_testid(driver, "tab-assigned").click()
    wait(driver, "assigned to me", lambda d: d.find_elements(By.CSS_SELECTOR, assigned))
    work = driver.find_element(By.CSS_SELECTOR, assigned)
    assert work.get_attribute("data-overdue") == "true"
    assert "Overdue: due 2020-01-31" in text(work) and quote in text(work), text(work)
    shot(driver, "assigned-to-me-overdue")

    by_testid(driver, "tab-inbox").click()
    wait(driver, "inbox entry", lambda d: d.find_elements(By.CSS_SELECTOR, entry))
    assert driver.find_element(By.CSS_SELECTOR, entry).get_attribute("data-read") == "false"
    assert f"{me} assigned you a claim" in text(driver.find_element(By.CSS_SELECTOR, entry))
    shot(driver, "inbox-unread")
    driver.find_element(By.CSS_SELECTOR, entry).click()
    # Opening it opens the draft at the claim and reads it.
    wait(driver, "the claim opened", lambda d: by_testid(d, "claim-inspector").get_attribute("data-claim-id") == claim)
    assert quote in reader_text(driver)
    wait(driver, "read", lambda d: d.find_element(By.CSS_SELECTOR, entry).get_attribute("data-read") == "true")
    assert text(by_testid(driver, "inbox-unread")) == str(unread_before)
    assert text(by_testid(driver, "assignee")) == me
    assert "Overdue" in text(by_testid(driver, "assignment-line"))

    # Handed on from the claim inspector: it leaves the reviewer's list, and the trail has both.
    by_testid(driver, "assign-open").click()
    # The name field comes once the desk's people are read (none here: free text).
    wait(driver, "the name field", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="assign-to"]'))
    to = by_testid(driver, "assign-to")
    to.clear()
    to.send_keys("ben")
    shot(driver, "assign-from-the-inspector")
    by_testid(driver, "assign-save").click()
    wait(driver, "assigned to ben", lambda d: text(by_testid(d, "assignee")) == "ben")
    by_testid(driver, "tab-assigned").click()
    wait(driver, "gone from my list", lambda d: not d.find_elements(By.CSS_SELECTOR, assigned))
    assert cli("audit", "log").count("Assigned") >= 2
    shot(driver, "assigned-to-ben")

    # A whole draft assigned shows on the dashboard, in its Assignee column.
    cli("assign", "--draft", str(DESK), "factory-fire.txt", "--to", "ben")
    by_testid(driver, "open-dashboard").click()
    cell = '[data-testid="dashboard-row"][data-path="factory-fire.txt"] [data-testid="dashboard-assignee"]'
    wait(driver, "the draft's assignee", lambda d: text(d.find_element(By.CSS_SELECTOR, cell)) == "ben")
    shot(driver, "dashboard-assignee")
    by_testid(driver, "open-dashboard").click()


def screenshot_pixels(name, x, y, width, height):
    """The colours (r, g, b) of a screenshot's rectangle, read with ImageMagick (which takes the screenshots)."""
    convert = "/usr/bin/convert" if Path("/usr/bin/convert").exists() else "convert"
    done = subprocess.run(
        [convert, str(ARTIFACTS / f"{name}.png"), "-crop", f"{width}x{height}+{x}+{y}", "+repage", "txt:-"],
        capture_output=True, text=True, check=True, timeout=30,
    )
    return [tuple(int(v) for v in m) for m in re.findall(r"\((\d+),(\d+),(\d+)", done.stdout)]


def cut_short(driver, element):
    """Whether the element is cut: wider than its box (ellipsised), or reaching past the window's right edge."""
    return driver.execute_script(
        "const e = arguments[0], r = e.getBoundingClientRect();"
        "return e.scrollWidth > e.clientWidth + 1 || r.right > window.innerWidth + 0.5 || r.width === 0;",
        element,
    )


def test_at_the_default_window_size_the_header_cuts_nothing_and_the_claims_list_never_shows_through_the_inspector(driver):
    # An earlier test may have left another list shown.
    wait(driver, "the sidebar", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="tab-drafts"]'))[0].click()
    wait(driver, "drafts listed", lambda d: item(d, "factory-fire.txt") is not None)
    # The window's size as it first opens (tauri.conf.json), not the larger one the other tests use.
    driver.set_window_size(1280, 820)
    try:
        wait(driver, "store badge", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="store-in-use"]'))
        header = ["desk-path", "store-in-use", "open-export", "open-dashboard", "open-sources", "open-folder"]
        who = driver.find_elements(By.CSS_SELECTOR, '[data-testid="reviewer-name"], [data-testid="reviewer-form"]')
        assert who, "no reviewer shown in the header"
        cut = [name for name in header if cut_short(driver, by_testid(driver, name))]
        cut += ["reviewer"] if cut_short(driver, who[0]) else []
        shot(driver, "header-at-the-default-size")
        assert not cut, cut
        assert text(by_testid(driver, "store-in-use")).startswith("This computer · ")

        # A draft with more claims than the pane shows at once, and a claim whose inspector (sources,
        # evidence, notes) is taller than the room left: the list scrolls, the inspector stays readable.
        fire = (DESK / "factory-fire.txt").read_text(encoding="utf-8")
        sentences = [
            s.strip() for line in fire.splitlines() for s in re.split(r"(?<=\.)\s+", line) if s.strip().endswith(".") and len(s.strip()) > 40
        ]
        existing = json.loads(cli("claims", str(DESK), "factory-fire.txt", "--json") or "[]")
        have = {c["quote"] for c in existing}
        for sentence in sentences[:12]:
            if sentence not in have:
                cli("claim", "add", str(DESK), "factory-fire.txt", "--quote", sentence)
        item(driver, "factory-fire.txt").click()
        wait(driver, "the draft open", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="side-tab-claims"]'))
        by_testid(driver, "side-tab-claims").click()
        wait(driver, "the claims listed", lambda d: len(d.find_elements(By.CSS_SELECTOR, '[data-testid="claim-item"]')) >= 8)
        first = driver.find_elements(By.CSS_SELECTOR, '[data-testid="claim-item"]')[0]
        first.click()
        wait(driver, "inspector", lambda d: by_testid(d, "claim-inspector").get_attribute("data-claim-id") == first.get_attribute("data-claim-id"))
        wait(driver, "the claim's sourcing", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="note-input"]'))
        pane = by_testid(driver, "claims-pane")
        # Scroll the pane (and the inspector, where it scrolls on its own) part way, as a reader does.
        driver.execute_script(
            "const p = arguments[0]; p.scrollTop = p.scrollHeight / 3;"
            "const i = p.querySelector('[data-testid=claim-inspector]'); i.scrollTop = i.scrollHeight / 4;",
            pane,
        )
        time.sleep(0.3)
        # Wherever the inspector is on screen, it is what is there: no claim of the list drawn over or under it.
        covered = driver.execute_script(
            """
            const inspector = arguments[0].querySelector('[data-testid=claim-inspector]');
            const pane = arguments[0].getBoundingClientRect();
            const r = inspector.getBoundingClientRect();
            const top = Math.max(r.top, pane.top), bottom = Math.min(r.bottom, pane.bottom);
            const wrong = [];
            for (let y = top + 2; y < bottom - 2; y += 12) {
              for (const x of [r.left + 8, (r.left + r.right) / 2, Math.min(r.right, pane.right) - 24]) {
                const hit = document.elementFromPoint(x, y);
                if (!hit || !inspector.contains(hit)) wrong.push([Math.round(x), Math.round(y), hit ? hit.outerHTML.slice(0, 80) : null]);
              }
            }
            return { wrong, height: bottom - top, paneHeight: pane.height };
            """,
            pane,
        )
        shot(driver, "claims-pane-inspector-scrolled")
        assert covered["height"] > 100, covered
        # Scrolled, the inspector is still headed by the claim's status, not by a line cut in half under the list.
        head = driver.execute_script(
            "const i = arguments[0].querySelector('[data-testid=claim-inspector]'), r = i.getBoundingClientRect();"
            "const s = i.querySelector('[data-testid=claim-status]').getBoundingClientRect();"
            "return { scrolled: i.scrollTop, top: r.top, statusTop: s.top, statusBottom: s.bottom };",
            pane,
        )
        assert head["scrolled"] > 0, head
        assert head["top"] <= head["statusTop"] and head["statusBottom"] <= head["top"] + 60, head
        assert not covered["wrong"], covered["wrong"][:5]
        # WebKit hit-tests right and may still paint wrong (a claim's text drawn over the inspector): with the
        # inspector's content hidden and its background a colour nothing else has, the screenshot shows that
        # colour wherever the inspector is on screen, and nothing else.
        box = driver.execute_script(
            """
            const pane = arguments[0], i = pane.querySelector('[data-testid=claim-inspector]');
            const probe = document.createElement('style');
            probe.id = 'paint-probe';
            probe.textContent = '[data-testid=claim-inspector] { background: rgb(255, 0, 255) !important }'
              + ' [data-testid=claim-inspector] * { visibility: hidden !important }';
            document.head.append(probe);
            const r = i.getBoundingClientRect(), p = pane.getBoundingClientRect();
            const top = Math.max(r.top, p.top);
            return { x: Math.ceil(r.left + window.screenX) + 3, y: Math.ceil(top + window.screenY) + 3,
                     width: Math.floor(Math.min(r.right, p.right) - r.left) - 28, height: Math.floor(Math.min(r.bottom, p.bottom) - top) - 6 };
            """,
            pane,
        )
        time.sleep(0.3)
        shot(driver, "claims-pane-inspector-paint-probe")
        driver.execute_script("document.getElementById('paint-probe').remove();")
        probe = screenshot_pixels("claims-pane-inspector-paint-probe", box["x"], box["y"], box["width"], box["height"])
        drawn_over = [p for p in probe if abs(p[0] - 255) + p[1] + abs(p[2] - 255) > 60]
        assert len(probe) > 10000, box
        assert not drawn_over, (box, len(drawn_over), drawn_over[:5])
        # The list keeps room for more than a line of claims above the inspector.
        list_room = driver.execute_script(
            "const l = arguments[0].querySelector('[aria-label=\"Claims in reading order\"]').getBoundingClientRect();"
            "const i = arguments[0].querySelector('[data-testid=claim-inspector]').getBoundingClientRect();"
            "const p = arguments[0].getBoundingClientRect();"
            "return Math.min(l.bottom, i.top) - Math.max(l.top, p.top);",
            pane,
        )
        assert list_room > 80, list_room
    finally:
        driver.set_window_size(1440, 900)


def test_a_published_drafts_record_shows_what_was_published_and_what_changed_since(driver):
    # An earlier test may have left another list shown.
    wait(driver, "the sidebar", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="tab-drafts"]'))[0].click()
    wait(driver, "drafts listed", lambda d: item(d, "school-board-audit.html") is not None)
    quote = "Northfield Unified paid consultants $3.7 million over four years without competitive bidding"
    claim = cli("claim", "add", str(DESK), "school-board-audit.html", "--quote", quote)
    cli("claim", "set", claim, "--status", "corroborated")
    cli("status", str(DESK), "school-board-audit.html", "ready", "--override", "Checked against the audit report")
    cli("status", str(DESK), "school-board-audit.html", "published")
    # After publication, someone disputes the claim: the record keeps what was published, and says what changed.
    cli("claim", "set", claim, "--status", "disputed")

    item(driver, "school-board-audit.html").click()
    wait(driver, "the draft open", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="side-tab-draft"]'))
    by_testid(driver, "side-tab-draft").click()
    wait(driver, "the published record", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="published-record"]'))
    assert by_testid(driver, "draft-status").get_attribute("data-draft-status") == "published"
    change = wait(driver, "the change since publication", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="published-change"]'))[0]
    assert change.get_attribute("data-change") == "status-changed"
    if driver.find_elements(By.CSS_SELECTOR, '[data-testid="reviewer-first-start"]'):
        # No name given yet: published under this computer's login, which the window reads as you.
        assert text(by_testid(driver, "published-by")).startswith("Published by you · "), text(by_testid(driver, "published-by"))
    assert "Status Corroborated → Disputed" in text(change) and quote in text(change), text(change)
    by_testid(driver, "published-as").click()
    published = driver.find_element(By.CSS_SELECTOR, '[data-testid="published-claim"]')
    assert published.get_attribute("data-status") == "corroborated"
    assert quote in text(published)
    by_testid(driver, "published-record").location_once_scrolled_into_view
    shot(driver, "published-record")


def test_a_field_the_keyboard_focuses_in_the_inspector_is_not_under_its_sticky_status_bar(driver):
    # usertest F7: with the inspector scrolled down (a claim with sources, evidence and notes), `l` focused the
    # source picker above the view, and the focus scroll put it under the sticky status bar: the field the
    # person is about to type in was hidden, its focus ring cut off.
    wait(driver, "the sidebar", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="tab-drafts"]'))[0].click()
    wait(driver, "drafts listed", lambda d: item(d, "kabul-embassy.txt") is not None)
    item(driver, "kabul-embassy.txt").click()
    wait(driver, "kabul text", lambda d: "Sources tell Strike Source" in reader_text(d))
    # An earlier test may have left Draft review, a history or a view over the draft open.
    press(driver, Keys.ESCAPE)
    wait(driver, "the claims tab", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="side-tab-claims"]'))[0].click()
    if not driver.find_elements(By.CSS_SELECTOR, '[data-testid="claim-item"]'):
        wait(driver, "suggestions shown", lambda d: d.find_elements(By.CSS_SELECTOR, "[data-suggestion-start]"))
        driver.execute_script("document.activeElement && document.activeElement.blur()")
        press(driver, "n")
        wait(driver, "suggestion card, focused", lambda d: active_element_testid(d) == "accept-suggestion")
        press(driver, Keys.ENTER)
    wait(driver, "a claim", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="claim-item"]'))[0].click()
    wait(driver, "its inspector", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="claim-inspector"]'))
    scrolled = driver.execute_script(
        "const i = document.querySelector('[data-testid=\"claim-inspector\"]');"
        "i.scrollTop = i.scrollHeight; return i.scrollTop > 0;"
    )
    assert scrolled, "the inspector does not scroll at this size: the test would prove nothing"
    driver.execute_script("document.activeElement && document.activeElement.blur()")
    press(driver, "l")
    wait(driver, "link form, focused", lambda d: active_element_testid(d) == "link-source-pick")
    time.sleep(0.3)  # the focus scroll
    field_top, bar_bottom = driver.execute_script(
        "const bar = document.querySelector('[data-testid=\"claim-inspector\"] .status');"
        "return [document.activeElement.getBoundingClientRect().top, bar.getBoundingClientRect().bottom];"
    )
    shot(driver, "inspector-focus-below-the-status-bar")
    assert field_top >= bar_bottom, f"the focused field's top {field_top} is under the status bar (bottom {bar_bottom})"
    press(driver, Keys.ESCAPE)


def test_with_a_claim_selected_the_list_shows_several_claims_and_the_undo_note_and_matrix_say_what_they_mean(driver):
    # usertest F7 (second half): with a claim selected, the list above the inspector showed 1½ to 3 claims.
    # F13: the undo note sat over the draft's text, on the claim just tagged. F9/F11: the matrix's "—" meant both
    # "not met" and "does not apply".
    wait(driver, "the sidebar", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="tab-drafts"]'))[0].click()
    wait(driver, "drafts listed", lambda d: item(d, "factory-fire.txt") is not None)
    fire = (DESK / "factory-fire.txt").read_text(encoding="utf-8")
    sentences = [
        s.strip() for line in fire.splitlines() for s in re.split(r"(?<=\.)\s+", line) if s.strip().endswith(".") and len(s.strip()) > 40
    ]
    have = {c["quote"] for c in json.loads(cli("claims", str(DESK), "factory-fire.txt", "--json") or "[]")}
    for sentence in sentences[:8]:
        if sentence not in have:
            cli("claim", "add", str(DESK), "factory-fire.txt", "--quote", sentence)
    claims = json.loads(cli("claims", str(DESK), "factory-fire.txt", "--json"))
    assert len(claims) >= 6, claims
    # One claim on an unnamed source alone (the rule applies, not met), one on a named source (it does not apply).
    unnamed = cli("source", "add", str(DESK), "--descriptor", "a worker on the night shift", "--kind", "unnamed")
    named = cli("source", "add", str(DESK), "--descriptor", "Fire Chief Omar Little", "--kind", "named-person")
    cli("claim", "link", str(claims[0]["id"]), unnamed, "--role", "attributed")
    cli("claim", "link", str(claims[1]["id"]), named, "--role", "attributed")

    item(driver, "factory-fire.txt").click()
    wait(driver, "the draft open", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="side-tab-claims"]'))
    press(driver, Keys.ESCAPE)
    by_testid(driver, "side-tab-claims").click()
    wait(driver, "the claims listed", lambda d: len(d.find_elements(By.CSS_SELECTOR, '[data-testid="claim-item"]')) >= 6)
    first = driver.find_elements(By.CSS_SELECTOR, '[data-testid="claim-item"]')[0]
    first.click()
    wait(driver, "inspector", lambda d: by_testid(d, "claim-inspector").get_attribute("data-claim-id") == first.get_attribute("data-claim-id"))
    wait(driver, "the claim's sourcing", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="note-input"]'))
    time.sleep(0.3)
    seen = driver.execute_script(
        """
        const pane = document.querySelector('[data-testid=claims-pane]');
        pane.scrollTop = 0;
        const top = pane.getBoundingClientRect().top;
        const bottom = pane.querySelector('[data-testid=claim-inspector]').getBoundingClientRect().top;
        const whole = [...pane.querySelectorAll('[data-testid=claim-item]')].filter((i) => {
          const r = i.getBoundingClientRect();
          return r.top >= top - 1 && r.bottom <= bottom + 1;
        });
        return { whole: whole.length, room: bottom - top };
        """
    )
    shot(driver, "claims-list-with-a-claim-selected")
    assert seen["whole"] >= 4, seen

    # The undo note: at the foot of the drafts sidebar, clear of the draft's text.
    driver.execute_script("document.activeElement && document.activeElement.blur()")
    press(driver, "2")
    wait(driver, "undo note", lambda d: text(by_testid(d, "undo-label")) == "Status set to Corroborated")
    place = driver.execute_script(
        """
        const box = (name) => document.querySelector(`[data-testid=${name}]`).getBoundingClientRect();
        const t = box('undo-toast'), r = box('reader'), s = document.querySelector('nav.sidebar').getBoundingClientRect();
        return { overReader: t.right > r.left && t.left < r.right && t.bottom > r.top && t.top < r.bottom,
                 inSidebar: t.left >= s.left && t.right <= s.right && t.top >= s.top && t.bottom <= s.bottom + 1,
                 toast: [t.left, t.top, t.right, t.bottom] };
        """
    )
    shot(driver, "undo-note-in-the-sidebar")
    assert not place["overReader"] and place["inSidebar"], place
    # Reachable by keyboard: a button in the tab order (Ctrl+Z works from anywhere too).
    assert driver.execute_script(
        "const b = document.querySelector('[data-testid=undo]'); b.focus(); return document.activeElement === b && b.tabIndex >= 0;"
    )

    # Draft review: the two claims' marks differ, and the legend says what each mark means.
    by_testid(driver, "side-tab-draft").click()
    wait(driver, "matrix", lambda d: len(d.find_elements(By.CSS_SELECTOR, '[data-testid="matrix-two-source"]')) >= 2)
    marks = {
        cell.find_element(By.XPATH, "..").get_attribute("data-claim-id"): (text(cell).strip(), cell.get_attribute("data-two-source"))
        for cell in driver.find_elements(By.CSS_SELECTOR, '[data-testid="matrix-two-source"]')
    }
    assert marks[str(claims[0]["id"])] == ("0/2", "not-met"), marks
    assert marks[str(claims[1]["id"])] == ("n/a", "does-not-apply"), marks
    driver.execute_script("document.querySelector('[data-testid=matrix-legend]').scrollIntoView({block: 'center'})")
    time.sleep(0.3)
    shot(driver, "draft-review-matrix-marks-and-legend")
    assert "n/a does not apply" in " ".join(text(by_testid(driver, "matrix-legend")).split())
    by_testid(driver, "side-tab-claims").click()


def test_at_1270_px_the_sidebar_tabs_take_two_rows_an_empty_inbox_says_so_and_source_cards_have_room(driver):
    # teamtry P10, P11, P2 at the width the team tried (a 1,270 px window): five tabs in two rows, not three; an
    # empty inbox says what it would hold; source cards wide enough that "Added by …" is one line and a reveal's
    # confirmation is not squeezed into a column a word wide.
    # No identity recorded: an earlier test of this run may have set the desk's vault up (and this one must not
    # depend on the order); a reveal's confirmation is checked where the vault is set up.
    cli("source", "add", str(DESK), "--descriptor", "a port official who saw the tender", "--kind", "unnamed")
    driver.set_window_size(1270, 820)
    try:
        wait(driver, "the sidebar", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="tab-inbox"]'))
        tabs = driver.find_elements(By.CSS_SELECTOR, '.sidebar [role="tab"]')
        rows = {round(tab.rect["y"]) for tab in tabs}
        assert len(tabs) == 5 and len(rows) <= 2, (len(tabs), rows)
        by_testid(driver, "tab-inbox").click()
        # Earlier tests of a full run may have left this person entries (the empty state's words are also
        # checked by Sidebar.svelte.test.ts): when the inbox is empty, it says what it would hold.
        panel = wait(driver, "the inbox", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="inbox-empty"]')
                     or d.find_elements(By.CSS_SELECTOR, '[data-testid="inbox-item"]'))[0]
        if panel.get_attribute("data-testid") == "inbox-empty":
            assert "Nothing assigned to you or mentioning you yet" in text(panel), text(panel)
        shot(driver, "sidebar-at-1270-inbox")
        by_testid(driver, "tab-drafts").click()

        by_testid(driver, "open-sources").click()
        wait(driver, "sources listed", lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="source-card"]'))
        cards = driver.find_elements(By.CSS_SELECTOR, '[data-testid="source-card"]')
        widths = [card.rect["width"] for card in cards]
        assert min(widths) >= 380, widths
        added = cards[-1].find_element(By.CSS_SELECTOR, '[data-testid="source-added"]')
        line = driver.execute_script("return parseFloat(getComputedStyle(arguments[0]).lineHeight) || 20;", added)
        assert added.rect["height"] < 1.8 * line, (added.rect, line)
        shot(driver, "sources-at-1270")
        by_testid(driver, "close-sources").click()

        # teamtry P8: a draft whose claims are assigned is not "–" in the dashboard's Assignee column.
        claim = cli("claim", "add", str(DESK), "harbor-dredging.md", "--quote", "48 million")
        cli("assign", claim, "--to", "bo")
        by_testid(driver, "open-dashboard").click()
        harbor = '[data-testid="dashboard-row"][data-path="harbor-dredging.md"] [data-testid="dashboard-assignee"]'
        wait(driver, "the harbor row", lambda d: d.find_elements(By.CSS_SELECTOR, harbor))
        wait(driver, "bo's claim in the Assignee column", lambda d: "bo (1 claim)" in text(d.find_element(By.CSS_SELECTOR, harbor)))
        shot(driver, "dashboard-at-1270-claim-assignee")
        by_testid(driver, "open-dashboard").click()
    finally:
        driver.set_window_size(1440, 900)
