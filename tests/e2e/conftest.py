"""A screenshot of the screen whenever an E2E test fails: what the user would have seen."""

import subprocess
from pathlib import Path
import os

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        artifacts = Path(os.environ["FACTDESK_E2E_ARTIFACTS"])
        subprocess.run(["import", "-window", "root", str(artifacts / f"failed-{item.name}.png")], check=False, timeout=30)


@pytest.fixture(scope="module")
def factdesk_window():
    """Opens the real Factdesk window with the given command-line arguments (e.g. `"--db", DB, DESK`), at the
    size the screenshots are read at; each window a module opened is closed at its end."""
    from selenium import webdriver
    from selenium.webdriver.common.options import ArgOptions

    sessions = []

    def open_window(*args):
        options = ArgOptions()
        options.set_capability("browserName", "wry")
        options.set_capability(
            "tauri:options", {"application": os.environ["FACTDESK_E2E_APP"], "args": [str(arg) for arg in args]}
        )
        session = webdriver.Remote(command_executor="http://127.0.0.1:4444", options=options)
        session.set_window_size(1440, 900)
        sessions.append(session)
        return session

    yield open_window
    for session in sessions:
        session.quit()
