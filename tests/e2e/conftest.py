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
