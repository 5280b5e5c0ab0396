"""Text rules every part of planner shares: sources, exports, presenters and both faces.

Pure functions on strings and instants (no model, no I/O), cheap to import: an export or a
presenter uses them without loading a parser, and the CLI, the exports and the web page say
a time the same way.
"""

from __future__ import annotations

import html
import re
from datetime import datetime

from planner import timezones

# --- control characters, HTML to text, slugs ---

# The characters no program text keeps: C0 controls except TAB and LF, DEL, C1 controls and
# unpaired surrogates. A title such as "Talk\x1b]0;pwned\x07" would otherwise reach the
# attendee's terminal and set its title, ring its bell or erase its screen; surrogates come
# from JSON's "\ud800" escapes and cannot be written as UTF-8. As a regular-expression class
# (the .ics export adds U+FEFF to it) and as code points (for str.translate).
CONTROL_CLASS = "\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff"
CONTROL_CODES = (
    *range(0x00, 0x09),
    *range(0x0B, 0x20),
    *range(0x7F, 0xA0),
    *range(0xD800, 0xE000),
)
_CONTROL = re.compile(f"[{CONTROL_CLASS}]")
_DELETE_CONTROLS = str.maketrans(dict.fromkeys(CONTROL_CODES))
_LINE_BREAKING = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def without_controls(text: str) -> str:
    return _CONTROL.sub("", text)


def has_controls(text: str) -> bool:
    """True when ``text`` holds a character ``without_controls`` removes (str.translate speed)."""
    return len(text.translate(_DELETE_CONTROLS)) != len(text)


def escape_controls(message: str) -> str:
    """An error message as one safe line: control characters (line breaks too) as escapes."""
    return _LINE_BREAKING.sub(
        lambda found: found.group().encode("unicode_escape").decode(), message
    )


_BLOCK_TAGS = frozenset(
    {"p", "div", "br", "ul", "ol", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "hr"}
)
_CELL_TAGS = frozenset({"td", "th"})
# Regular expressions rather than html.parser: abstracts are small fragments, and a
# 6,000-paper program must load in well under a second.
_SKIPPED = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)\b[^>]*>")
_LINK = re.compile(r"<a\s[^>]*?href=\"(?P<url>[^\"]*)\"[^>]*>(?P<text>.*?)</a>", re.S | re.I)
_HTML_HINT = re.compile(r"<[A-Za-z/!]|&[#A-Za-z0-9]+;")
_BLANK_RUN = re.compile(r"\n{3,}")


def looks_like_html(text: str) -> bool:
    return bool(_HTML_HINT.search(text))


def html_to_text(text: str | None, *, keep_links: bool = False) -> str:
    """Plain text from an HTML fragment: tags dropped, entities decoded, blank runs folded.

    ``keep_links`` writes a link as its words and then its address in brackets
    ("slides (https://e.org/s)"), for pages where the address is part of the content.
    """
    if not text:
        return ""
    # The "in" tests skip the regular expression for the plain text most abstracts are.
    if ("<" in text or "&" in text) and looks_like_html(text):
        if keep_links:
            text = _LINK.sub(lambda link: f"{link['text']} ({link['url']})", text)
        text = html.unescape(_TAG.sub(_tag_as_text, _SKIPPED.sub("", text)))
    return _fold_blank_lines(text)


def one_line(text: str) -> str:
    """Every run of white space (line breaks included) as one space, none at either end."""
    return " ".join(text.split())


def _tag_as_text(match: re.Match[str]) -> str:
    name = match.group(2).lower()
    if name == "li":
        return "" if match.group(1) else "\n- "
    if name in _BLOCK_TAGS:
        return "\n"
    return " " if name in _CELL_TAGS else ""


def _is_folded(text: str) -> bool:
    """True for ASCII text whose only white space is single spaces between words.

    str.split() splits ASCII text at these characters and the space. Single-character
    "in" tests run at memchr speed; a regular expression with a character class, or
    str.isprintable(), would cost more than folding the text.
    """
    return text.isascii() and not (
        "\n" in text
        or "\r" in text
        or "\t" in text
        or "\x0b" in text
        or "\x0c" in text
        or "\x1c" in text
        or "\x1d" in text
        or "\x1e" in text
        or "\x1f" in text
        or text[:1] == " "
        or text[-1:] == " "
        or "  " in text
    )


def _fold_blank_lines(text: str) -> str:
    """Spaces folded to one, at most one blank line in a row, no blanks at either end."""
    if _is_folded(text):
        return text  # most abstracts: checking is three times faster than folding
    # str.split() rather than a regular expression: it is several times faster on long text.
    if "\n" not in text and "\r" not in text:
        return one_line(text)  # one line, the common case: nothing else to fold
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    folded = "\n".join(one_line(line) for line in lines)
    return _BLANK_RUN.sub("\n\n", folded).strip()


_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_SLUG_WORD = re.compile(r"[a-z0-9]+")


def slugify(
    text: str,
    max_length: int | None = 48,
    *,
    words: int | None = None,
    transliterate: bool = True,
) -> str:
    """Lower-case ASCII words joined by hyphens ("Opening Keynote!" -> "opening-keynote").

    ``words`` keeps only the first few words. ``transliterate`` spells accented letters
    without their accents ("Zoë Ng" -> "zoe-ng"); without it any other character parts
    words ("zo-ng"), as day-page ids have always been made, and an id must not change
    under an attendee's agenda. A slug longer than ``max_length`` is cut at a hyphen.
    """
    if transliterate:
        import unicodedata

        ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
        slug = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
        if words is not None:
            slug = "-".join(slug.split("-")[:words])
    else:
        found = _SLUG_WORD.findall(text.lower())
        slug = "-".join(found[:words] if words is not None else found)
    if max_length is not None and len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug


# --- naming an item in a message ---

ELLIPSIS = "…"
# Long enough to tell talks apart, short enough that a clash of two still fits a line.
SHORT_TITLE = 32


def cut(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, the last one an ellipsis when anything was cut."""
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)].rstrip() + ELLIPSIS if limit > 0 else ""


def cut_words(text: str, limit: int) -> str:
    """``cut``, but at the end of a word where one ends in the second half of ``limit``."""
    if len(text) <= limit:
        return text
    head = text[: max(limit - 1, 0)]
    space = head.rfind(" ")
    if space > limit // 2 and not text[limit - 1].isspace():
        head = head[:space]
    return head.rstrip(" ,;:-") + ELLIPSIS


def named(item_id: str, title: str | None) -> str:
    """How a message names an item: its short title and its id, ``Tiled SpMM and its performance… (tiled-spmm)``;
    the id alone when there is no title (or the title is the id)."""
    if not title or title == item_id:
        return item_id
    return f"{cut_words(one_line(title), SHORT_TITLE)} ({item_id})"


# --- clock and span wording ---

TO_BE_ANNOUNCED = "to be announced"


def clock(moment: datetime | None, zone: str, *, with_day: bool = False) -> str:
    """``14:05`` (or ``Tue 30 Aug 14:05``) in ``zone``; "to be announced" for no time."""
    if moment is None:
        return TO_BE_ANNOUNCED
    local = timezones.to_zone(moment, zone)
    return f"{local:%a %d %b %H:%M}" if with_day else f"{local:%H:%M}"


def span(start: datetime, end: datetime, zone: str) -> str:
    """``14:05-14:30`` in ``zone``; with weekdays (``Tue 23:50-Wed 00:10``) across midnight."""
    local_start, local_end = timezones.to_zone(start, zone), timezones.to_zone(end, zone)
    if local_start.date() != local_end.date():
        return f"{local_start:%a %H:%M}-{local_end:%a %H:%M}"
    return f"{local_start:%H:%M}-{local_end:%H:%M}"


def time_range(start: datetime | None, end: datetime | None, zone: str, *, tba: str) -> str:
    """``23:45-00:45+1`` in ``zone`` (``+N``: ends N days later); ``tba`` for no time."""
    if start is None or end is None:
        return tba
    return local_range(timezones.to_zone(start, zone), timezones.to_zone(end, zone))


def local_range(local_start: datetime, local_end: datetime, *, dash: str = "-") -> str:
    """``23:45-00:45+1`` for two wall-clock times already in the zone meant."""
    days = (local_end.date() - local_start.date()).days
    later = f"+{days}" if days else ""
    return f"{local_start:%H:%M}{dash}{local_end:%H:%M}{later}"


def dated_span(start: datetime, end: datetime) -> str:
    """``2022-08-30 14:05-14:30`` in the times' own offset (as a program file gives them)."""
    return f"{start:%Y-%m-%d %H:%M}-{end:%H:%M}"
