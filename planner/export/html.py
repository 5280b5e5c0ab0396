"""The agenda (or the whole program) as one self-contained HTML timetable.

One grid per day: rooms across, time down at a fixed scale, each item a block as tall as
it is long. Inline CSS only: no scripts, no fonts or images to fetch, so the file opens
offline, prints (landscape, one day per page) and scrolls sideways on a phone.

Built by plain string building with ``html.escape`` rather than a template engine: the
page has a dozen small fragments, escaping is the only feature an engine would add, and
passing every program or agenda text through the one ``_text`` function at the point it
enters the markup keeps the escaping easy to audit (and needs no new dependency).
"""

from __future__ import annotations

import html
from datetime import datetime
from string import Template
from typing import TYPE_CHECKING

from planner import text, timezones
from planner.errors import ExportError
from planner.export import only_backups_message, timetable
from planner.export.markers import GENERATOR_TAG
from planner.export.timetable import Block, ClashNote, Column, Day, Listed, Timetable

if TYPE_CHECKING:
    from planner.agenda import Agenda
    from planner.clashes import Clash
    from planner.model import Program

MAX_SPEAKERS_SHOWN = 3
PX_PER_MINUTE = 3  # on screen: an 18-minute paper gets three lines of text
BLOCK_FONT_PX = 12
BLOCK_LINE_PX = 15
BLOCK_CHROME_PX = 8  # borders and padding inside a block, top and bottom
PRINT_DAY_MM = 135  # a day's grid fits a landscape A4 or Letter page below the headings
PRINT_LINE_PX = 10.5
PRINT_CHROME_PX = 4
CSS_PX_PER_MM = 96 / 25.4
# Which part of a block gets its next lines while the block has room, as (part, lines it
# then has): a title line first, then the clash note, ...; what is left goes to the details.
LINE_PRIORITY = (
    ("tl", 1), ("nl", 1), ("nl", 2), ("tl", 2), ("ml", 1),
    ("tl", 3), ("ml", 3), ("tl", 5), ("ml", 6), ("tl", 12), ("ml", 99),
)  # fmt: skip

CSS = Template("""
:root { --ppm: ${ppm}px; --band: max(32%, 7.5rem); --line: #d5dbe1; }
* { box-sizing: border-box; }
body { margin: 0; padding: 1rem; color: #1c2630; background: #fff;
  font: 15px/1.35 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
h1 { font-size: 1.45rem; margin: 0 0 .3rem; }
h2 { font-size: 1.1rem; margin: 1.4rem 0 .5rem; }
header p { margin: .15rem 0; color: #3f4c59; }
.legend { display: flex; flex-wrap: wrap; gap: .4rem 1.2rem; list-style: none;
  margin: .6rem 0 0; padding: 0; font-size: .85rem; }
.sw { display: inline-block; width: 1.8em; height: 1.05em; vertical-align: -.2em;
  margin-right: .35em; border: 1px solid #8795a1; border-radius: 3px; background: #eef2f6; }
.scroll { overflow-x: auto; border: 1px solid var(--line); border-radius: 4px; }
.grid { display: grid; min-width: min-content;
  grid-template-columns: 3.4rem var(--tracks); }
.head { padding: .35rem .5rem; background: #f1f4f7; font-weight: 600; font-size: .9rem;
  border-bottom: 1px solid var(--line); border-left: 1px solid var(--line);
  overflow-wrap: anywhere; }
.gutter, .col { position: relative; height: calc(var(--minutes) * var(--ppm)); }
.col { border-left: 1px solid var(--line);
  background-image: linear-gradient(#dfe4ea 1px, transparent 1px),
    linear-gradient(#f0f2f5 1px, transparent 1px);
  background-size: 100% calc(60 * var(--ppm)), 100% calc(30 * var(--ppm)); }
.col.mine { background-color: #f7fbf8; }
.hour { position: absolute; right: .35rem; top: calc(var(--at) * var(--ppm));
  font-size: .75rem; color: #55626f; font-variant-numeric: tabular-nums; }
.block { position: absolute; overflow: hidden; display: flex; flex-direction: column;
  top: calc(var(--top) * var(--ppm)); height: calc(var(--len) * var(--ppm));
  left: calc(var(--lane) / var(--lanes) * 100% + 2px); width: calc(100% / var(--lanes) - 4px);
  padding: 1px 4px; border: 1px solid #97a3af; border-radius: 4px; background: #eef2f6;
  font-size: ${font}px; line-height: ${line}px; }
.block > *, .band > * { flex: 0 1 auto; min-height: 0; overflow: hidden; }
.bt, .cn, .bm { flex-shrink: 0; overflow-wrap: anywhere;
  display: -webkit-box; -webkit-box-orient: vertical; }
.bt { font-weight: 600; -webkit-line-clamp: var(--tl); max-height: calc(var(--tl) * ${line}px); }
.bt a { color: inherit; text-decoration: none; }
.bm { color: #3f4c59; -webkit-line-clamp: var(--ml); max-height: calc(var(--ml) * ${line}px); }
.cn { color: #b00000; font-weight: 700; -webkit-line-clamp: var(--nl);
  max-height: calc(var(--nl) * ${line}px); }
.est { font-style: italic; color: #6b4e00; white-space: nowrap; }
.tick { color: #7a4d00; font-weight: 700; white-space: nowrap; }
.container { padding: 0; background: #f6f8fa; }
.band { position: absolute; left: 0; top: 0; bottom: 0; width: var(--band); padding: 2px 4px;
  display: flex; flex-direction: column; overflow: hidden; border-right: 1px solid #c3ccd5; }
.inner { position: absolute; left: var(--band); right: 0; top: 0; bottom: 0; }
.picked, .container.picked .band { background: #ffe29a; }
.picked { border: 2px solid #b7791f; }
.container.picked { background: #fff4d1; }
.in-pick { background: #fff0c2; border-color: #c9a04a; }
.mine { background: #d5f0dd; border-color: #2f855a; }
.estimated { border-style: dashed; border-width: 2px; }
.clash { border: 3px solid #d40000; box-shadow: 0 0 0 1px #fff, 0 0 6px #d40000; }
.clash.estimated { border-style: dashed; }
.block:not(.container):hover { height: auto; min-height: calc(var(--len) * var(--ppm));
  z-index: 10; overflow: visible; box-shadow: 0 2px 10px rgba(0, 0, 0, .35); }
.block:not(.container):hover > * { overflow: visible; max-height: none;
  -webkit-line-clamp: unset; }
.tracked { padding-left: 9px;
  background-image: linear-gradient(90deg, var(--tc) 0 5px, transparent 5px); }
.container.tracked { padding-left: 0; }
.container.tracked > .band { padding-left: 9px;
  background-image: linear-gradient(90deg, var(--tc) 0 5px, transparent 5px); }
ul.plain { padding-left: 1.2rem; }
.clashes li { color: #8a0000; }
details { margin: .3rem 0; }
summary { cursor: pointer; }
.abstract { white-space: pre-line; max-width: 50rem; margin: .3rem 0 .8rem 1rem; }
.quiet { color: #55626f; }
@page { size: landscape; margin: 10mm; }
@media print {
  body { padding: 0; font-size: 9pt; }
  h1 { font-size: 13pt; }
  h2 { font-size: 10pt; margin: .4rem 0; }
  .legend { font-size: 8pt; margin-top: .2rem; }
  .scroll { overflow: visible; border: none; }
  .grid { min-width: 0; grid-template-columns: 2.6rem var(--print-tracks); }
  .day { --ppm: calc(${print_day}mm / var(--minutes)); break-inside: avoid; }
  .day + .day, .about { break-before: page; }
  .block { font-size: 9px; line-height: ${print_line}px; padding: 0 2px; border-width: 1px; }
  .clash { border-width: 2px; }
  .bt { -webkit-line-clamp: var(--ptl); max-height: calc(var(--ptl) * ${print_line}px); }
  .cn { -webkit-line-clamp: var(--pnl); max-height: calc(var(--pnl) * ${print_line}px); }
  .bm { -webkit-line-clamp: var(--pml); max-height: calc(var(--pml) * ${print_line}px); }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
""").substitute(
    ppm=PX_PER_MINUTE,
    font=BLOCK_FONT_PX,
    line=BLOCK_LINE_PX,
    print_day=PRINT_DAY_MM,
    print_line=PRINT_LINE_PX,
)

LEGEND = (
    '<ul class="legend">'
    '<li><span class="sw picked"></span>picked</li>'
    '<li><span class="sw in-pick"></span>part of a picked session</li>'
    '<li><span class="sw"></span>not picked</li>'
    '<li><span class="sw mine"></span>my events</li>'
    '<li><span class="sw clash"></span>clash</li>'
    '<li><span class="sw estimated"></span>~ estimated time</li>'
    "</ul>"
)


# Track stripes: colours told apart by most eyes and in print; none is the clash red. A
# program with more tracks than colours repeats them (the legend and each block's tooltip
# name the track).
TRACK_COLOURS = (
    "#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2", "#edc948",
    "#9c755f", "#ff9da7", "#1b9e77", "#a0cbe8", "#8cd17d", "#bab0ac",
)  # fmt: skip


def track_colour(place: int) -> str:
    return TRACK_COLOURS[place % len(TRACK_COLOURS)]


def to_html(
    program: Program,
    agenda: Agenda,
    *,
    zone: str,
    now: datetime,
    show_all: bool,
    clashes: list[Clash],
    only: frozenset[str] | None = None,
    with_backups: bool = False,
) -> str:
    """The timetable page; ``show_all`` draws the whole program with the picks highlighted.

    ``only`` limits the page to those item ids (see ``timetable.build``). Backups (pick
    --maybe) are left out unless ``with_backups``.
    """
    from planner.agenda import without_backups

    shown = agenda if with_backups else without_backups(agenda)
    if not show_all and not shown.picks and not shown.events:
        if agenda.picks:
            raise ExportError(only_backups_message(program.id, len(agenda.picks)))
        raise ExportError(
            f"the agenda for {program.id} is empty: nothing picked yet; "
            "pick talks with `planner pick ID` or use --all"
        )
    agenda = shown
    zone = timezones.check_zone(zone)
    table = timetable.build(
        program, agenda, zone=zone, now=now, show_all=show_all, clashes=clashes, only=only
    )
    return _page(table)


def render_day(day: Day, zone: str) -> str:
    """One day's grid as an HTML fragment: ``planner serve`` shows this very layout in its page."""
    return _day(day, zone)


def _text(value: object) -> str:
    """Every text from a program file or the agenda enters the page through here."""
    return html.escape(str(value), quote=True)


def _page(table: Timetable) -> str:
    body = [
        _header(table),
        *(_day(day, table.zone) for day in table.days),
        _tba(table.tba),
        _clash_list(table.clash_lines),
        _vanished(table.vanished),
        _details(table.details, table.zone),
    ]
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"{GENERATOR_TAG}\n"
        f"<title>{_text(table.program_name)}: my agenda</title>\n"
        f"<style>{CSS}</style>\n</head>\n<body>\n"
        + "\n".join(part for part in body if part)
        + "\n</body>\n</html>\n"
    )


def _header(table: Timetable) -> str:
    exported = table.exported
    scope = (
        "The whole program, your picks highlighted."
        if table.show_all
        else "Only the rooms and hours your agenda uses."
    )
    clashes = len(table.clash_lines)
    return (
        f"<header>\n<h1>{_text(table.program_name)}</h1>\n"
        f"<p>Times in <strong>{_text(table.zone)}</strong>. "
        f"Exported {exported:%Y-%m-%d %H:%M} (UTC{timezones.format_offset(exported)}).</p>\n"
        f"<p>{_count(table.pick_count, 'pick')}, {_count(table.event_count, 'personal event')}, "
        f"{_count(clashes, 'clash', 'clashes')}. {scope}</p>\n"
        f"{_size_hint(table)}{LEGEND}{_track_legend(table.tracks)}\n</header>"
    )


def _track_legend(tracks: list[tuple[str, int]]) -> str:
    if not tracks:
        return ""
    entries = "".join(
        f'<li><span class="sw" style="background:{track_colour(place)}"></span>{_text(name)}</li>'
        for name, place in tracks
    )
    return f'\n<ul class="legend tracks" aria-label="tracks">{entries}</ul>'


# A page of more items than this is tens of MB, slow to open and to print; it says how to cut it.
LARGE_PAGE_ITEMS = 2000


def _size_hint(table: Timetable) -> str:
    if table.item_count <= LARGE_PAGE_ITEMS or table.filtered:
        return ""
    day = f" --day {table.days[0].date.isoformat()}" if table.days else ""
    return (
        f'<p class="size-hint">This page holds {table.item_count} items. For a page a browser '
        "opens quickly, export one day or some rooms: <code>planner export --format html --all"
        f"{day} --room TEXT</code>.</p>\n"
    )


def _count(number: int, one: str, many: str | None = None) -> str:
    return f"{number} {one if number == 1 else many or one + 's'}"


def _day(day: Day, zone: str) -> str:
    offset = timezones.format_offset(day.start)
    heads = "".join(f'<div class="head">{_text(column.name)}</div>' for column in day.columns)
    hours = "".join(
        f'<div class="hour" style="--at:{at}">{label}</div>' for at, label in day.hours[:-1]
    )
    print_px_per_minute = PRINT_DAY_MM * CSS_PX_PER_MM / day.minutes
    columns = "".join(_column(column, print_px_per_minute) for column in day.columns)
    return (
        f'<section class="day" style="--minutes:{day.minutes}">\n'
        f"<h2>{day.date:%A %d %B %Y} "
        f'<span class="quiet">(times in {_text(zone)}, UTC{offset})</span></h2>\n'
        f'<div class="scroll"><div class="grid" style="{_tracks(day.columns)}">'
        f'<div class="head"></div>{heads}\n'
        f'<div class="gutter">{hours}</div>\n{columns}</div></div>\n</section>'
    )


def _tracks(columns: list[Column]) -> str:
    """Column widths: rooms whose sessions hold talks get twice the room, for the talks."""
    weights = [2 if any(block.children for block in column.blocks) else 1 for column in columns]
    screen = " ".join(f"minmax({12 + 8 * (weight - 1)}rem, {weight}fr)" for weight in weights)
    paper = " ".join(f"minmax(0, {weight}fr)" for weight in weights)
    return f"--tracks:{screen};--print-tracks:{paper}"


def _column(column: Column, print_px_per_minute: float) -> str:
    mine = " mine" if column.personal else ""
    blocks = "\n".join(_block(block, print_px_per_minute) for block in column.blocks)
    return f'<div class="col{mine}" data-room="{_text(column.name)}">\n{blocks}\n</div>\n'


def _block(block: Block, print_px_per_minute: float) -> str:
    on_screen = _line_budget(block, PX_PER_MINUTE, BLOCK_LINE_PX, BLOCK_CHROME_PX)
    on_paper = _line_budget(block, print_px_per_minute, PRINT_LINE_PX, PRINT_CHROME_PX)
    lines = [f"--{part}:{count}" for part, count in on_screen.items()]
    lines += [f"--p{part}:{count}" for part, count in on_paper.items()]
    place = f"--top:{block.top};--len:{block.length};--lane:{block.lane};--lanes:{block.lanes}"
    if block.track_colour is not None:
        lines.append(f"--tc:{track_colour(block.track_colour)}")
    style = ";".join([place, *lines])
    opening = (
        f'<div class="{_classes(block)}" style="{style}" data-id="{_text(block.id)}" '
        f'title="{_text(_tooltip(block))}">'
    )
    if not block.children:
        return f"{opening}{_block_text(block)}</div>"
    inner = "\n".join(_block(child, print_px_per_minute) for child in block.children)
    band = f'<div class="band">{_block_text(block)}</div>'
    return f'{opening}{band}<div class="inner">\n{inner}\n</div></div>'


def _line_budget(
    block: Block, px_per_minute: float, line_px: float, chrome_px: float
) -> dict[str, int]:
    """Whole lines for title, clash note and details, so that no line is cut in half."""
    room = max(1, int((block.length * px_per_minute - chrome_px) // line_px))
    budget = {"tl": 0, "nl": 0, "ml": 0}
    for part, upto in LINE_PRIORITY:
        if part == "nl" and not block.clashes:
            continue
        grant = min(room, max(0, upto - budget[part]))
        budget[part] += grant
        room -= grant
    return budget


def _classes(block: Block) -> str:
    flags = {
        "container": bool(block.children),
        "picked": block.picked and block.kind != timetable.PERSONAL_KIND,
        "in-pick": block.in_pick and not block.picked,
        "mine": block.kind == timetable.PERSONAL_KIND,
        "estimated": block.estimated,
        "clash": bool(block.clashes),
        "tracked": block.track_colour is not None,
    }
    return " ".join(["block", f"kind-{block.kind}", *(name for name, on in flags.items() if on)])


def _block_text(block: Block) -> str:
    title = _text(block.title)
    if block.anchor:
        title = f'<a href="#{block.anchor}">{title}</a>'
    parts = [f'<div class="bt">{title}</div>']
    if block.clashes:
        notes = " · ".join(_clash_note(note) for note in block.clashes)
        parts.append(f'<div class="cn">{_text(notes)}</div>')
    parts.append(f'<div class="bm">{_meta(block)}</div>')
    return "".join(parts)


def _meta(block: Block) -> str:
    parts = [_span(block.start, block.end)]
    if block.picked and block.kind != timetable.PERSONAL_KIND:
        parts.append(_picked_tick(True).strip())
    if block.estimated:
        parts.append('<span class="est">~ estimated</span>')
    if block.place:
        parts.append(_text(block.place))
    if block.context:
        parts.append(f"in {_text(block.context)}")
    if block.speakers:
        parts.append(_text(_speakers(block.speakers)))
    return " · ".join(parts)


def _span(start: datetime, end: datetime) -> str:
    return text.local_range(start, end, dash="–")


def _speakers(speakers: tuple[str, ...]) -> str:
    shown = ", ".join(speakers[:MAX_SPEAKERS_SHOWN])
    more = len(speakers) - MAX_SPEAKERS_SHOWN
    return f"{shown} +{more} more" if more > 0 else shown


def _clash_note(note: ClashNote) -> str:
    guess = " (estimated)" if note.estimated else ""
    if note.kind == "time":
        return f"⚠ Clashes with “{note.other_title}”: {note.minutes} min overlap{guess}"
    if note.kind == "room_change":
        return f"⚠ Tight room change, “{note.other_title}”: {note.minutes} min short{guess}"
    return f"⚠ {note.kind.replace('_', ' ')} with “{note.other_title}”{guess}"


def _tooltip(block: Block) -> str:
    lines = [block.title, _span(block.start, block.end)]
    if block.track:
        lines.append(f"track: {block.track}")
    if block.place:
        lines.append(block.place)
    if block.speakers:
        lines.append(", ".join(block.speakers))
    if block.estimated:
        lines.append(f"~ estimated: {block.note or 'time or room inferred'}")
    lines.extend(note.message for note in block.clashes)
    return "\n".join(lines)


def _tba(entries: list[Listed]) -> str:
    if not entries:
        return ""
    rows = "".join(_tba_row(entry) for entry in entries)
    return (
        '<section class="tba">\n<h2>Time to be announced</h2>\n'
        f'<ul class="plain">{rows}</ul>\n</section>'
    )


def _tba_row(entry: Listed) -> str:
    item = entry.item
    where = _text(f"{item.kind}, {item.room or 'room not given'}")
    return (
        f'<li><a href="#{entry.anchor}">{_text(item.title)}</a> '
        f'<span class="quiet">({where})</span>{_picked_tick(entry.picked)}</li>'
    )


def _picked_tick(picked: bool) -> str:
    return ' <span class="tick">✓ picked</span>' if picked else ""


def _clash_list(lines: list[str]) -> str:
    if not lines:
        return ""
    rows = "".join(f"<li>{_text(line)}</li>" for line in lines)
    return f'<section class="clashes">\n<h2>Clashes</h2>\n<ul class="plain">{rows}</ul>\n</section>'


def _vanished(titles: list[str]) -> str:
    if not titles:
        return ""
    rows = "".join(f"<li>{_text(title)}</li>" for title in titles)
    return (
        '<section class="vanished">\n<h2>Picked, but no longer in the program</h2>\n'
        f'<ul class="plain">{rows}</ul>\n</section>'
    )


def _details(entries: list[Listed], zone: str) -> str:
    if not entries:
        return ""
    return (
        '<section class="about">\n<h2>About the talks</h2>\n'
        + "\n".join(_detail(entry, zone) for entry in entries)
        + "\n</section>"
    )


def _detail(entry: Listed, zone: str) -> str:
    item = entry.item
    when = "time to be announced"
    if item.start is not None and item.end is not None:
        start = timezones.to_zone(item.start, zone)
        when = f"{start:%a %d %b} {_span(start, timezones.to_zone(item.end, zone))}"
    facts = [when, item.room or "room not given", item.track, _speakers(tuple(item.speakers))]
    summary = " · ".join(_text(fact) for fact in facts if fact)
    return (
        f'<details id="{entry.anchor}"><summary><strong>{_text(item.title)}</strong>'
        f"{_picked_tick(entry.picked)} "
        f'<span class="quiet">{summary}</span></summary>'
        f'<p class="abstract">{_text(item.abstract)}</p></details>'
    )
