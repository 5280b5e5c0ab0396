"""planner serve in a real browser: headless Chromium (tests/helpers/browser.py) against a
real `planner serve` on 127.0.0.1. Search, pick two overlapping talks by clicking, see both
marked as clashing, drop one, see the mark go, switch the zone, load the feed.

The screenshot of the grid with the clash goes to tests/artifacts/serve.png; with
PLANNER_UPDATE_SCREENSHOT=1 also to docs/serve.png (the README's picture).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.browser import launched_chromium
from tests.helpers.web import FIXTURES, running_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = Path(__file__).parent / "artifacts"
DOCS_SCREENSHOT = Path(__file__).resolve().parents[1] / "docs" / "serve.png"
VIEWPORT = {"width": 1400, "height": 1000}
FIRST, SECOND = "deeppool", "fpga-inference"  # 15:09-15:27 and 14:45-15:45, Tuesday


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launched_chromium()


def open_page(browser: Any, url: str) -> tuple[Any, list[str]]:
    """A page that may load only from the server; every other URL it asks for is refused."""
    page = browser.new_page(viewport=VIEWPORT)
    origin = url.split("/?")[0].rstrip("/")
    foreign: list[str] = []

    def only_the_server(route: Any) -> None:
        if route.request.url.startswith(origin + "/"):
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_server)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(url)
    return page, foreign + errors


def block(page: Any, item_id: str) -> Any:
    return page.locator(f'#grid .block[data-id="{item_id}"]')


def click_and(page: Any, item_id: str, button: str) -> None:
    """Click the item in the grid, then Pick or Drop in its details; wait for the reload."""
    block(page, item_id).locator(".bt").first.click()
    page.locator("#details").wait_for(state="visible")
    # Selectors, not wait_for_function: the page's CSP forbids the eval a string predicate
    # needs (it passed only when the condition already held at the first check).
    page.locator(f'#details[data-id="{item_id}"]').wait_for(state="visible")
    with page.expect_navigation():
        page.locator(button).click()


def classes(page: Any, item_id: str) -> list[str]:
    return (block(page, item_id).get_attribute("class") or "").split()


def test_search_pick_clash_drop_zone_and_feed(browser, tmp_path):
    with running_server(tmp_path / "agenda.json") as (url, _process):
        page, problems = open_page(browser, url)
        assert page.locator("#grid .day").count() == 1

        page.fill("#search", "burst parallel")
        with page.expect_navigation():
            page.press("#search", "Enter")
        assert page.locator("#list .row").count() == 1
        assert page.locator(f'#list .row[data-id="{FIRST}"]').is_visible()
        assert "match" in classes(page, FIRST)
        assert "dim" in classes(page, SECOND)

        click_and(page, FIRST, "#d-pick")
        click_and(page, SECOND, "#d-pick")
        assert "overlap by 18 minutes" in page.locator("#flash").inner_text()
        page.goto(url + "?day=2022-08-30")  # the search done: the whole day again
        for item_id in (FIRST, SECOND):
            assert "clash" in classes(page, item_id), item_id
            assert "picked" in classes(page, item_id)
        note = block(page, SECOND).locator(".cn").first.inner_text()
        assert "Clashes with" in note and "18 min overlap" in note
        block(page, SECOND).evaluate("el => el.scrollIntoView({block: 'center'})")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "serve.png"))
        if os.environ.get("PLANNER_UPDATE_SCREENSHOT") == "1":
            shutil.copyfile(ARTIFACTS / "serve.png", DOCS_SCREENSHOT)

        click_and(page, FIRST, "#d-drop")
        assert "clash" not in classes(page, SECOND)
        assert "picked" not in classes(page, FIRST)
        assert "14:45–15:45" in block(page, SECOND).locator(".bm").first.inner_text()

        page.fill("#tz", "Europe/Berlin")
        with page.expect_navigation():
            page.press("#tz", "Enter")
        assert page.locator("#shown-zone").inner_text() == "Europe/Berlin"
        assert "23:45–00:45+1" in block(page, SECOND).locator(".bm").first.inner_text()

        href = page.locator("#download").get_attribute("href")
        assert href == "/agenda.ics?tz=Europe%2FBerlin"
        assert page.locator("#subscribe").get_attribute("href").startswith("webcal://127.0.0.1:")
        feed = page.request.get(url.rstrip("/") + href)
        assert feed.status == 200
        body = feed.text()
        assert "X-WR-TIMEZONE:Europe/Berlin" in body
        assert f"UID:{SECOND}@mlsys2022.planner" in body
        assert f"UID:{FIRST}@" not in body
        assert problems == []


def test_hostile_titles_show_as_text_and_run_nothing(browser, tmp_path):
    program = str(FIXTURES / "web_script_titles.json")
    with running_server(tmp_path / "agenda.json", program=program) as (url, _process):
        page, problems = open_page(browser, url)
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        block(page, "img-talk").locator(".bt").first.click()
        page.locator("#d-title:not(:empty)").wait_for()
        assert page.locator("#d-title").inner_text() == "<img src=x onerror=alert(1)>"
        assert page.locator("#d-abstract").inner_text() == "<script>alert(3)</script>"
        assert page.locator("#d-url a").count() == 0  # javascript: is no link
        assert page.locator("#d-url").inner_text() == "javascript:alert(4)"
        assert page.locator("#grid img").count() == 0
        assert dialogs == []
        assert problems == []
