"""The HTML timetable in a real browser: headless Chromium driven by playwright.

The agenda is built and exported through the real command line (``planner pick``,
``planner add``, ``planner export --format html``), then opened from disk. The browser is
the Debian ``chromium`` package that ``scripts/install-browser.sh`` installs (``.ci/run``
calls it, as does ``scripts/test.sh``, the README's test command); playwright never downloads
one. With CI set a missing browser fails the test; elsewhere it skips with a message. Screenshots go to tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from planner.sources import load
from tests.helpers.browser import launched_chromium

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).parent / "artifacts"
NOW = "2022-08-29T18:00:00-07:00"
PICKS = ("virtualflow", "nurd", "deeppool", "fpga-inference", "sparsity-24")
CLASH = ("deeppool", "fpga-inference")  # 15:09-15:27 in Exhibit Hall A, 14:45-15:45 in Room 204
SCRIPT_TITLE = "<script>document.body.dataset.pwned=1</script>"
IMG_TITLE = '<img src=x onerror="document.body.dataset.pwned=2">'
RED = "rgb(212, 0, 0)"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
A4_LANDSCAPE_PRINTABLE = {"width": 971, "height": 718}  # 257 x 190 mm at 96 dpi (10 mm margins)


def planner(*args: str, agenda: Path) -> str:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PLANNER_")}
    env["PLANNER_NOW"] = NOW
    done = subprocess.run(
        [sys.executable, "-m", "planner", "--agenda", str(agenda), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, f"planner {' '.join(args)} failed: {done.stderr.strip()}"
    return done.stdout


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("html-export")
    agenda = folder / "agenda.json"
    planner("pick", *PICKS, agenda=agenda)
    for title, start, end in (
        (SCRIPT_TITLE, "2022-08-30 12:00", "2022-08-30 12:30"),
        (IMG_TITLE, "2022-08-30 12:30", "2022-08-30 13:00"),
    ):
        planner("add", title, "--start", start, "--end", end, agenda=agenda)
    pages = {"agenda": folder / "mlsys-agenda.html", "all": folder / "mlsys-all.html"}
    planner("export", "--format", "html", "-o", str(pages["agenda"]), agenda=agenda)
    planner("export", "--format", "html", "--all", "-o", str(pages["all"]), agenda=agenda)
    return pages


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launched_chromium()


@contextmanager
def opened(browser: Any, path: Path, viewport: dict[str, int]) -> Iterator[tuple[Any, list[str]]]:
    """The page, and every URL it asked for other than itself (refused)."""
    page = browser.new_page(viewport=viewport)
    own_url = path.resolve().as_uri()
    foreign: list[str] = []

    def only_itself(route: Any) -> None:
        if route.request.url == own_url:
            route.continue_()
        else:
            route.abort()

    page.route("**/*", only_itself)
    page.on(
        "request", lambda request: None if request.url == own_url else foreign.append(request.url)
    )
    page.goto(own_url, wait_until="load")
    try:
        yield page, foreign
    finally:
        page.close()


def screenshot(page: Any, name: str, *, down_to: str | None = None) -> Path:
    """The whole page, or from the top down to the end of the element ``down_to``."""
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / name
    if down_to is None:
        page.screenshot(path=str(target), full_page=True)
    else:
        box = page.locator(down_to).first.bounding_box()
        scroll_y = page.evaluate("window.scrollY")
        bottom = box["y"] + scroll_y + box["height"] + 8
        width = page.viewport_size["width"]
        clip = {"x": 0, "y": 0, "width": width, "height": bottom}
        page.screenshot(path=str(target), full_page=True, clip=clip)
    return target


def box_inside(inner: dict[str, float], outer: dict[str, float], slack: float = 0.5) -> bool:
    return (
        inner["x"] >= outer["x"] - slack
        and inner["y"] >= outer["y"] - slack
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + slack
        and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + slack
    )


def title_of(page: Any, item_id: str) -> tuple[Any, Any]:
    block = page.locator(f'[data-id="{item_id}"]')
    return block, block.locator(":scope > .bt, :scope > .band > .bt")


def assert_visible_inside(page: Any, part: Any, block: Any) -> None:
    part.scroll_into_view_if_needed()
    part_box, block_box = part.bounding_box(), block.bounding_box()
    assert part_box and part_box["width"] > 0 and part_box["height"] > 0
    assert box_inside(part_box, block_box), (part_box, block_box)
    on_top = part.evaluate(
        "el => { const r = el.getBoundingClientRect();"
        " return el.contains(document.elementFromPoint(r.left + 4, r.top + r.height / 2)); }"
    )
    assert on_top, "something covers the text"


@pytest.mark.parametrize("page_name", ["agenda", "all"])
def test_each_pick_title_is_visible_inside_its_block(browser, exports, page_name):
    titles = load("mlsys2022").item_map()
    with opened(browser, exports[page_name], DESKTOP) as (page, foreign):
        for item_id in PICKS:
            block, title = title_of(page, item_id)
            assert block.count() == 1, f"{item_id} has no block"
            assert "picked" in block.get_attribute("class")
            assert title.inner_text() == titles[item_id].title
            assert_visible_inside(page, title, block)
        screenshot(page, f"mlsys-{page_name}.png")
    assert foreign == []


def test_the_clash_is_marked_red_with_a_note_naming_the_other(browser, exports):
    titles = load("mlsys2022").item_map()
    with opened(browser, exports["all"], DESKTOP) as (page, _):
        for own, other in (CLASH, CLASH[::-1]):
            block = page.locator(f'[data-id="{own}"]')
            style = block.evaluate(
                "el => { const s = getComputedStyle(el);"
                " return [s.borderTopColor, s.borderLeftColor, parseFloat(s.borderTopWidth)]; }"
            )
            assert style[0] == style[1] == RED and style[2] >= 2
            note = block.locator(":scope > .cn")
            assert f"Clashes with “{titles[other].title}”" in note.inner_text()
            assert_visible_inside(page, note, block)
        marked = page.locator(".block.clash").evaluate_all("els => els.map(e => e.dataset.id)")
        assert sorted(marked) == sorted(CLASH)


def test_injected_markup_shows_as_text_and_runs_nothing(browser, exports):
    with opened(browser, exports["agenda"], DESKTOP) as (page, foreign):
        mine = page.locator('[data-room="My events"]')
        for title in (SCRIPT_TITLE, IMG_TITLE):
            shown = mine.locator(".bt", has_text=title)
            assert shown.count() == 1, f"{title} is not shown as text"
            assert shown.inner_text() == title
        assert page.evaluate("document.body.dataset.pwned") is None
        assert page.locator("script, img, iframe, svg").count() == 0
    assert foreign == []


def test_whole_program_rooms_and_nesting(browser, exports):
    with opened(browser, exports["all"], DESKTOP) as (page, foreign):
        hall = page.locator('[data-room="Exhibit Hall A"]')
        room_204 = page.locator('[data-room="Room 204"]')
        for session in ("systems-for-ml-2", "ml-for-systems", "hardware-efficient-ml"):
            assert hall.locator(f':scope > [data-id="{session}"]').count() == 1
        for tutorial in ("telemetry-tutorial", "sparsity-tutorial"):
            assert room_204.locator(f':scope > [data-id="{tutorial}"]').count() == 1
        sparsity = room_204.locator('[data-id="sparsity-tutorial"]')
        inner = sparsity.locator(":scope > .inner")
        for part in ("sparsity-opening", "tiled-spmm", "fpga-inference", "sparsity-break"):
            child = inner.locator(f':scope > [data-id="{part}"]')
            assert child.count() == 1
            assert box_inside(child.bounding_box(), sparsity.bounding_box())
        shot = screenshot(page, "mlsys-all-rooms.png", down_to=".day")
    assert shot.stat().st_size > 0
    assert foreign == []


def test_narrow_screen_scrolls_the_grid_sideways(browser, exports):
    with opened(browser, exports["all"], PHONE) as (page, _):
        widths = page.evaluate(
            "() => { const s = document.querySelector('.scroll');"
            " return [s.scrollWidth, s.clientWidth, document.documentElement.scrollWidth]; }"
        )
        assert widths[0] > widths[1], "the grid should scroll inside its box"
        assert widths[2] <= PHONE["width"], "the page itself should not scroll sideways"
        screenshot(page, "mlsys-all-phone.png")


def test_prints_one_day_on_a_landscape_page(browser, exports):
    with opened(browser, exports["all"], A4_LANDSCAPE_PRINTABLE) as (page, _):
        page.emulate_media(media="print")
        width, first_page_end = page.evaluate(
            "() => { const g = document.querySelector('.grid');"
            " const d = document.querySelector('.day').getBoundingClientRect();"
            " return [g.scrollWidth, d.bottom + window.scrollY]; }"
        )
        assert width <= A4_LANDSCAPE_PRINTABLE["width"]
        assert first_page_end <= A4_LANDSCAPE_PRINTABLE["height"], "header and day overflow a page"
        ARTIFACTS.mkdir(exist_ok=True)
        page.pdf(path=str(ARTIFACTS / "mlsys-all.pdf"), prefer_css_page_size=True)
