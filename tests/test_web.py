"""The search page in a real browser: Playwright drives Debian's Chromium against the real app.

The app runs under uvicorn in a background thread over the real-corpus index and the real model.
Full-page screenshots at laptop and phone widths go to pytest's tmp dir (`screenshots0/` under
its base temp, which keeps the last three runs). The suite fails, never skips, when Playwright
or Chromium is missing (scripts/install-browser.sh installs Chromium).
"""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from api.app import create_app
from rag.config import Settings

from .servers import serving

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def base_url(real_index: Path) -> Iterator[str]:
    """The real app served by uvicorn on a free port of 127.0.0.1, in a background thread."""
    with serving(create_app(Settings(index_dir=real_index))) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium under Playwright; fails with the fix when either is missing."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is not installed: ./.venv/bin/pip install playwright")
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/install-browser.sh")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh laptop-sized tab; the test fails if the page logs an error (a CSP violation too)."""
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"browser console errors: {errors}"


def _search(page: Any, base_url: str, query: str) -> None:
    page.goto(base_url + "/")
    page.fill("#q", query)
    page.click("form[role=search] button[type=submit]")
    page.wait_for_selector("#results-title")


def _screenshot(page: Any, folder: Path, name: str) -> None:
    for label, viewport in (("laptop", LAPTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {viewport['width']}px"
        path = folder / f"{name}-{label}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page.set_viewport_size(LAPTOP)


def test_home_page_shows_the_corpus_overview(page: Any, base_url: str, screenshots: Path) -> None:
    page.goto(base_url + "/")
    values = page.locator(".stat-value").all_inner_texts()
    assert values[:2] == ["199", "450"]
    assert page.locator(".treatments li").count() >= 5
    _screenshot(page, screenshots, "home")


def test_search_renders_result_cards_with_badges_and_highlighted_terms(
    page: Any, base_url: str, screenshots: Path
) -> None:
    _search(page, base_url, "Norco")
    assert re.fullmatch(r"\d+ results? for “Norco”", page.inner_text("#results-title"))
    with urllib.request.urlopen(base_url + "/api/search?q=Norco", timeout=60) as response:
        hits = json.load(response)["hits"]
    assert len(hits) == 10
    cards = page.locator("article.hit")
    assert cards.count() == len(hits)
    # one badge per card, saying that hit's outcome, in the API's order
    assert cards.locator(".badge").all_inner_texts() == [h["item"]["outcome"] for h in hits]
    marked = {m.lower() for m in page.locator("article.hit .passage mark").all_inner_texts()}
    assert marked & {"norco", "hydrocodone"}, marked
    assert "norco" in cards.first.locator(".item").inner_text().lower()
    _screenshot(page, screenshots, "search")


def test_outcome_filter_leaves_only_overturned_decisions(page: Any, base_url: str) -> None:
    _search(page, base_url, "physical therapy")
    page.select_option("select[name=outcome]", "overturned")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_url(re.compile(r"outcome=overturned"))
    badges = page.locator("article.hit .badge").all_inner_texts()
    assert badges, "no overturned physical therapy decisions shown"
    assert set(badges) == {"Overturned"}
    assert page.locator("select[name=outcome]").input_value() == "overturned"


def test_ask_shows_the_answer_tally_chart_and_precedents(
    page: Any, base_url: str, screenshots: Path
) -> None:
    page.goto(base_url + "/")
    page.click("nav.tabs >> text=Ask a question")
    page.fill("#ask", "Is Norco usually approved for chronic pain?")
    page.click("form button[type=submit]")
    page.wait_for_selector(".answer-text")
    assert "Upheld in" in page.inner_text(".answer-text")
    chart = page.locator(".answer .tally")
    assert chart.locator("svg rect.bar-fill").count() >= 1
    tallied = [int(v.split()[0]) for v in chart.locator(".tally-value").all_inner_texts()]
    counted = page.inner_text(".population a[download]")  # "Download all N as CSV"
    assert sum(tallied) == int(counted.split()[2]) >= page.locator("article.hit").count() > 0
    assert page.locator(".understood .chip-facet").count() >= 1
    assert "95% interval" in page.inner_text(".interval")
    assert page.locator(".cite-table tbody tr").count() >= 1
    _screenshot(page, screenshots, "ask")


def test_result_link_opens_the_letter_at_its_item(
    page: Any, base_url: str, screenshots: Path
) -> None:
    _search(page, base_url, "lumbar MRI")
    link = page.locator("article.hit .item a").first
    href = link.get_attribute("href")
    link.click()
    page.wait_for_url(re.compile(r"/letters/[^/?#]+\?q=lumbar%20MRI#item-\d+$"))
    anchor = href.rsplit("#", 1)[1]
    item = page.locator(f"section#{anchor}")
    assert item.is_visible()
    assert item.locator(".badge").inner_text() in {"Upheld", "Overturned"}
    assert item.locator("mark").count() > 0
    assert page.locator("h1").inner_text().strip()
    assert page.get_by_role("heading", name="Case summary").is_visible()
    _screenshot(page, screenshots, "letter")


def test_search_works_without_javascript(browser: Any, base_url: str) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(base_url + "/?q=acupuncture&outcome=upheld")
        badges = page.locator("article.hit .badge").all_inner_texts()
        assert badges and set(badges) == {"Upheld"}
        page.fill("#q", "tramadol")
        page.click("form[role=search] button[type=submit]")
        page.wait_for_url(re.compile(r"q=tramadol"))
        assert page.locator("article.hit").count() > 0
    finally:
        context.close()


def test_a_facet_narrows_the_search_and_a_reason_chip_opens_its_sentence(
    page: Any, base_url: str, screenshots: Path
) -> None:
    _search(page, base_url, "MRI")
    facet = page.locator(".facets a", has_text="Knee").first
    count = int(facet.locator("xpath=..").locator(".count").inner_text())
    facet.click()
    page.wait_for_url(re.compile(r"region=knee"))
    cards = page.locator("article.hit")
    assert 0 < cards.count() <= count
    for line in cards.locator(".facts-line").all_inner_texts():
        assert "Knee" in line
    assert page.locator(".why h2").inner_text().startswith("Why decisions on")
    _screenshot(page, screenshots, "facets")
    _search(page, base_url, "lumbar MRI")
    chip = page.locator("a.chip-reason").first
    anchor = chip.get_attribute("href").rsplit("#", 1)[1]
    chip.click()
    page.wait_for_url(re.compile(f"#{anchor}$"))
    sentence = page.locator(f"mark.why#{anchor}")
    assert sentence.is_visible() and len(sentence.inner_text()) > 20
    _screenshot(page, screenshots, "reason")
