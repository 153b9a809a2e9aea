"""Headless Debian Chromium driven by Selenium, for tests that look at pages as a reader does."""

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "screenshots"


def browser_paths() -> dict[str, str]:
    """Install Chromium and ChromeDriver if missing (deploy/local/browser.sh); their paths."""
    output = subprocess.run(
        ["bash", str(REPO / "deploy/local/browser.sh")],
        check=True,
        capture_output=True,
        text=True,
        timeout=900,
    ).stdout
    return dict(line.split("=", 1) for line in output.splitlines() if "=" in line)


@contextmanager
def chromium(user_data_dir: Path, *, javascript: bool = False) -> Iterator[webdriver.Chrome]:
    """Headless Chromium; JavaScript off by default, since our pages must work without it."""
    paths = browser_paths()
    options = Options()
    options.binary_location = paths["CHROMIUM"]
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--user-data-dir={user_data_dir}",
    ):
        options.add_argument(flag)
    if not javascript:
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2}
        )
    os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium fetch a driver
    driver = webdriver.Chrome(
        service=Service(executable_path=paths["CHROMEDRIVER"]), options=options
    )
    try:
        yield driver
    finally:
        driver.quit()


def screenshot(driver: webdriver.Chrome, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/screenshots/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    width = driver.get_window_size()["width"]
    driver.set_window_size(width, min(int(height) + 100, 8000))
    path = ARTIFACTS / f"{name}.png"
    driver.save_screenshot(str(path))
    return path
