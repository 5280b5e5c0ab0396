"""planner.text: the text rules sources, exports and presenters share."""

from __future__ import annotations

import subprocess
import sys

from planner import text


def test_control_characters_are_removed_but_tab_and_line_feed_stay() -> None:
    hostile = "Talk\x1b]0;pwned\x07\tnext\nline\x85\ud800\x7f"
    assert text.without_controls(hostile) == "Talk]0;pwned\tnext\nline"
    assert text.has_controls(hostile)
    assert not text.has_controls("Plain talk\twith a tab\nand a line")


def test_an_error_message_becomes_one_line_with_its_controls_escaped() -> None:
    assert text.escape_controls("bad\ntitle\x1b[2J") == "bad\\ntitle\\x1b[2J"


def test_html_becomes_text_with_blocks_as_lines_and_entities_decoded() -> None:
    fragment = "<p>Fast &amp; <b>safe</b></p><ul><li>one</li><li>two</li></ul><script>x()</script>"
    assert text.html_to_text(fragment) == "Fast & safe\n\n- one\n- two"
    assert text.html_to_text("  spaced   out  ") == "spaced out"
    assert text.html_to_text("5 < 6 and 7 > 2") == "5 < 6 and 7 > 2"
    assert text.html_to_text(None) == ""


def test_links_keep_their_address_when_asked() -> None:
    fragment = 'see <a href="https://e.org/s">the slides</a> &amp; more'
    assert text.html_to_text(fragment) == "see the slides & more"
    assert text.html_to_text(fragment, keep_links=True) == "see the slides (https://e.org/s) & more"


def test_slugs_are_typeable_and_cut_at_a_hyphen() -> None:
    assert text.slugify("Opening Keynote!") == "opening-keynote"
    assert text.slugify("Zoë Ng’s talk") == "zoe-ngs-talk"
    assert text.slugify("Zoë Ng’s talk", transliterate=False) == "zo-ng-s-talk"
    assert text.slugify("one two three four five", words=2) == "one-two"
    assert text.slugify("alpha beta gamma", max_length=12) == "alpha-beta"
    assert text.slugify("x" * 60, max_length=None) == "x" * 60
    assert text.slugify("!!!") == ""


def test_importing_text_loads_no_model_parser_or_presenter() -> None:
    code = (
        "import sys, planner.text; "
        "print(sorted(m for m in sys.modules if m.startswith(('pydantic', 'planner.'))))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    # The clock wording needs the one time module (and its errors), nothing heavier.
    assert loaded.strip() == "['planner.errors', 'planner.text', 'planner.timezones']"
