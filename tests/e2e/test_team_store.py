"""End to end on a team store: the real window started on a real PostgreSQL
(a throwaway cluster, scripts/pg-test-cluster.sh), and another person's
change, made with the command line on the same server, reaching it live; the
dialog saying whether the connection is encrypted, on a server with ssl on."""

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.options import ArgOptions

from test_app import APP, ROOT, SHARED, WORK, by_testid, item, reader_text, shot, text, wait

TEAM_DESK = WORK / "team-desk"


def factdesk(*args):
    """The real command line, as another process (another person) on the team store."""
    done = subprocess.run([str(ROOT / "target" / "debug" / "factdesk"), *args], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.fixture(scope="module")
def team():
    # A real server for this run, stopped and deleted once pytest has exited.
    started = subprocess.run(
        [str(ROOT / "scripts" / "pg-test-cluster.sh"), "start", str(os.getpid())],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert started.returncode == 0, started.stderr
    url = started.stdout.strip()
    factdesk("team", "init", url)
    TEAM_DESK.mkdir(parents=True)
    shutil.copy(SHARED / "drafts" / "kabul-embassy.txt", TEAM_DESK / "kabul-embassy.txt")
    options = ArgOptions()
    options.set_capability("browserName", "wry")
    options.set_capability("tauri:options", {"application": APP, "args": ["--db", url, str(TEAM_DESK)]})
    session = webdriver.Remote(command_executor="http://127.0.0.1:4444", options=options)
    session.set_window_size(1440, 900)
    yield session, url
    session.quit()


def assert_reviewing_as_the_login(driver, url):
    # Every change on a team store is recorded as the server's login: the header shows it and asks no name.
    login = urlparse(url).username
    assert login, url
    wait(driver, "the login in the header", lambda d: by_testid(d, "reviewer-name").get_attribute("data-team") == "true")
    assert text(by_testid(driver, "reviewer-name")).strip() == f"Reviewing as {login}"
    assert not driver.find_elements(By.CSS_SELECTOR, '[data-testid="reviewer-first-start"]')


def claim_by_id(driver, claim):
    found = driver.find_elements(By.CSS_SELECTOR, f'[data-testid="claim-item"][data-claim-id="{claim}"]')
    return found[0] if found else None


def test_another_persons_change_on_the_team_store_reaches_the_open_window(team):
    driver, url = team
    wait(driver, "the team desk's draft listed", lambda d: item(d, "kabul-embassy.txt") is not None, timeout=30)
    assert text(by_testid(driver, "store-in-use")).startswith("Team store · postgres on 127.0.0.1")
    assert_reviewing_as_the_login(driver, url)
    item(driver, "kabul-embassy.txt").click()
    quote = "The meeting took place in Sirajuddin’s office, not the Chinese embassy."
    wait(driver, "kabul text", lambda d: quote in reader_text(d))
    claim = factdesk("--db", url, "claim", "add", str(TEAM_DESK), "kabul-embassy.txt", "--quote", quote)
    assert claim.isdigit(), claim
    started = time.monotonic()
    wait(driver, "the claim tagged by the command line", lambda d: claim_by_id(d, claim) is not None, timeout=2)
    print(f"claim shown after {time.monotonic() - started:.2f}s")
    factdesk("--db", url, "claim", "set", claim, "--status", "disputed")
    started = time.monotonic()
    wait(
        driver,
        "the status set by the command line",
        lambda d: claim_by_id(d, claim).get_attribute("data-status") == "disputed",
        timeout=2,
    )
    print(f"status shown after {time.monotonic() - started:.2f}s")
    assert quote in reader_text(driver)
    shot(driver, "team-store-live")


def test_the_window_goes_back_to_the_file_and_connects_again_in_the_dialog(team):
    driver, url = team
    wait(driver, "the team desk's draft listed", lambda d: item(d, "kabul-embassy.txt") is not None, timeout=30)
    settings = WORK / "config" / "factdesk" / "settings.json"
    by_testid(driver, "store-in-use").click()
    wait(driver, "team store dialog", lambda d: by_testid(d, "team-store-dialog").is_displayed())
    by_testid(driver, "team-store-use-file").click()
    wait(driver, "back on this computer's file", lambda d: text(by_testid(d, "store-in-use")).startswith("This computer"))
    # The folder is opened again on the file: its draft, without the team store's claims.
    wait(driver, "the draft listed from the file", lambda d: item(d, "kabul-embassy.txt") is not None)
    # Read at a poll, not once: the list is drawn again as the file's review loads (a stale element otherwise).
    wait(
        driver,
        "the file's draft without the team store's claims",
        lambda d: "disputed" not in text(item(d, "kabul-embassy.txt")),
    )
    assert "team_store" not in settings.read_text()
    by_testid(driver, "store-in-use").click()
    wait(driver, "team store dialog", lambda d: by_testid(d, "team-store-dialog").is_displayed())
    field = by_testid(driver, "team-store-url")
    field.clear()
    field.send_keys(url)
    by_testid(driver, "team-store-connect").click()
    wait(driver, "on the team store again", lambda d: text(by_testid(d, "store-in-use")).startswith("Team store"))
    wait(driver, "the team store's claim counted", lambda d: "1 disputed" in text(item(d, "kabul-embassy.txt")))
    assert_reviewing_as_the_login(driver, url)
    # Remembered for the next start, without a password, readable by its owner only.
    assert url in settings.read_text()
    assert oct(settings.stat().st_mode & 0o777) == "0o600"
    shot(driver, "team-store-connected-again")


def openssl(*args):
    done = subprocess.run(["openssl", *map(str, args)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def tls_url():
    """A second real server, with ssl on, its certificate signed by a newsroom's own CA made here; the URL the
    window is given (TLS required, that CA trusted), once `team init` has run there over TLS. The keys and
    certificates are deleted after the module (the server's copies go with its cluster)."""
    with tempfile.TemporaryDirectory(prefix="factdesk-e2e-tls-") as name:
        yield from tls_server(Path(name))


def tls_server(folder):
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    openssl("req", "-x509", *ec, "-keyout", folder / "ca.key", "-out", folder / "ca.pem", "-days", "2", "-subj", "/CN=Newsroom test CA")
    openssl("req", *ec, "-keyout", folder / "server.key", "-out", folder / "server.csr", "-subj", "/CN=127.0.0.1")
    (folder / "server.ext").write_text(
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
    )
    openssl(
        "x509", "-req", "-in", folder / "server.csr", "-CA", folder / "ca.pem", "-CAkey", folder / "ca.key",
        "-CAcreateserial", "-out", folder / "server.crt", "-days", "2", "-extfile", folder / "server.ext",
    )
    started = subprocess.run(
        [str(ROOT / "scripts" / "pg-test-cluster.sh"), "start", str(os.getpid()), str(folder / "server.crt"), str(folder / "server.key")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert started.returncode == 0, started.stderr
    url = started.stdout.splitlines()[0].strip()
    url = f"{url}?sslmode=require&sslrootcert={folder / 'ca.pem'}"
    assert "encrypted (TLS" in factdesk("team", "init", url)
    yield url


def test_the_dialog_says_whether_the_team_store_connection_is_encrypted(team, tls_url):
    driver, url = team
    wait(driver, "on a team store", lambda d: text(by_testid(d, "store-in-use")).startswith("Team store"))
    # The shared server, on 127.0.0.1 without sslmode: plain, and the dialog says so.
    by_testid(driver, "store-in-use").click()
    wait(driver, "team store dialog", lambda d: by_testid(d, "team-store-dialog").is_displayed())
    said = by_testid(driver, "team-store-encryption")
    assert said.get_attribute("data-encrypted") == "false", text(said)
    assert "Connection: Not encrypted" in text(said)
    shot(driver, "team-store-not-encrypted")
    field = by_testid(driver, "team-store-url")
    field.clear()
    field.send_keys(tls_url)
    by_testid(driver, "team-store-connect").click()
    wait(
        driver,
        "on the team store over TLS",
        lambda d: "Encrypted (TLS)" in (by_testid(d, "store-in-use").get_attribute("title") or ""),
        timeout=30,
    )
    by_testid(driver, "store-in-use").click()
    wait(driver, "team store dialog", lambda d: by_testid(d, "team-store-dialog").is_displayed())
    said = by_testid(driver, "team-store-encryption")
    assert said.get_attribute("data-encrypted") == "true", text(said)
    assert "Connection: Encrypted (TLS), the server's certificate verified" in text(said)
    shot(driver, "team-store-encrypted")
    by_testid(driver, "team-store-cancel").click()
