"""A reader in headless Chromium (JavaScript off) on the publisher's website, after a real
pipeline run over real Kafka and PostgreSQL: archive, an edition, an article, search, and a
phone-width viewport. Screenshots go to test-artifacts/screenshots/."""

import asyncio
import urllib.request
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.wait import WebDriverWait

from devoured_embedded.sample_server import serve_sample_site
from tests.e2e.pipeline import prepare, running_pipeline
from tests.support.browser import chromium, screenshot
from tests.support.kafka import wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.kafka, pytest.mark.postgres, pytest.mark.timeout(900)]


def _texts(driver: WebDriver, selector: str) -> list[str]:
    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, selector)]


def _assert_reads_well(driver: WebDriver) -> None:
    assert len(driver.find_elements(By.TAG_NAME, "h1")) == 1
    assert all(img.get_attribute("alt") for img in driver.find_elements(By.TAG_NAME, "img"))
    overflow = driver.execute_script(
        "return document.documentElement.scrollWidth - window.innerWidth"
    )
    assert overflow <= 0, f"page is {overflow}px wider than the viewport"


async def test_reader_browses_archive_edition_article_and_search(
    kafka_bootstrap_servers: str, database_url: str, topic_prefix: str, tmp_path: Path
) -> None:
    with serve_sample_site() as base:
        env, settings = await prepare(
            kafka=kafka_bootstrap_servers,
            database_url=database_url,
            prefix=topic_prefix,
            feed_url=f"{base}/feed.xml",
            workdir=tmp_path,
        )
        with running_pipeline(env, tmp_path, database_url, settings) as pipeline:

            async def all_in() -> bool:
                return await pipeline.count("publisher") == 15 and (
                    await pipeline.edition_stories() == 15
                )

            await wait_for(all_in, timeout_s=180, message="15 stories in the edition")
            site = f"http://127.0.0.1:{pipeline.services['publisher'].port}"
            await asyncio.to_thread(_browse, site, tmp_path / "chromium")


def _assert_secured(driver: WebDriver, url: str) -> None:
    """The security headers are sent, and the page's own styles still apply under its CSP."""
    with urllib.request.urlopen(url, timeout=10) as response:
        headers = {k.lower(): v for k, v in response.headers.items()}
    policy = headers["content-security-policy"]
    for directive in ("default-src 'none'", "frame-ancestors 'none'", "base-uri 'none'"):
        assert directive in policy
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    # base.html sets body { margin: 0 }; a blocked <style> would leave the browser's 8px.
    assert driver.execute_script("return getComputedStyle(document.body).margin") == "0px"


def _browse(site: str, profile: Path) -> None:
    with chromium(profile) as driver:
        driver.set_window_size(1280, 900)
        driver.get(f"{site}/")
        assert driver.find_element(By.TAG_NAME, "h1").text.endswith("every edition")
        _assert_reads_well(driver)
        _assert_secured(driver, f"{site}/")
        screenshot(driver, "archive")

        driver.find_element(By.CSS_SELECTOR, "ol.archive a").click()
        title = driver.find_element(By.TAG_NAME, "h1").text
        assert title.startswith("Devoured Daily - ")
        sections = _texts(driver, "section h2")
        assert len(sections) >= 3
        assert len(driver.find_elements(By.CSS_SELECTOR, "section article")) >= 12
        assert "Deep dive" in driver.page_source
        assert "Decoder" in driver.page_source
        _assert_reads_well(driver)
        screenshot(driver, "edition")
        edition_url = driver.current_url

        driver.find_element(By.LINK_TEXT, "Deep dive and Decoder").click()
        assert _texts(driver, "h4")[:1] == ["DEEP DIVE"]  # styled uppercase
        assert driver.find_elements(By.CSS_SELECTOR, "article ul li")
        _assert_reads_well(driver)
        screenshot(driver, "article")

        search = driver.find_element(By.ID, "q")
        search.send_keys("sodium battery")
        page = driver.find_element(By.TAG_NAME, "html")
        search.submit()
        # A form submitted by script returns before the next page is there: wait for it, or
        # the lookups below may meet the old page's elements going stale.
        WebDriverWait(driver, 30).until(expected_conditions.staleness_of(page))
        results = _texts(driver, "article h3")
        assert any("Sodium" in r for r in results), results
        screenshot(driver, "search")

        driver.set_window_size(390, 844)
        driver.get(edition_url)
        _assert_reads_well(driver)
        screenshot(driver, "edition-phone")
