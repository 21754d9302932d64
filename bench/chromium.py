"""Headless Chromium for the report's browser test and its benchmark: Debian's `chromium` and
`chromium-driver`, driven by Selenium through an explicit driver path, so that nothing is ever downloaded.

    from chromium import start, Unavailable
    driver = start(profile_dir, width=1280, height=1400, javascript=True)
"""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
         "--disable-dev-shm-usage")


class Unavailable(Exception):
    """Selenium, chromium or chromedriver is missing, or the browser did not start: the message says which."""


def start(profile: Path, width: int = 1280, height: int = 1400, javascript: bool = True) -> Any:
    """A new headless Chromium with its own profile folder; `javascript=False` opens pages as a reader who
    blocks scripts does (the page's <noscript> content is parsed and shown)."""
    try:
        from selenium import webdriver
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        raise Unavailable("selenium is not installed (pip install -e '.[test]')") from None
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    chromedriver = shutil.which("chromedriver")
    if not chromium or not chromedriver:
        raise Unavailable("no chromium and chromedriver on PATH")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--window-size={width},{height}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    try:  # an explicit Service: Selenium Manager must never try to download a driver
        return webdriver.Chrome(service=Service(chromedriver), options=options)
    except WebDriverException as exc:
        raise Unavailable(f"chromium did not start: {exc.msg}") from None
