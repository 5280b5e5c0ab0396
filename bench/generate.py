"""Write a synthetic conference program, deterministic from a seed, in three formats.

    python bench/generate.py --items 20000 --out bench/out/big

writes big.json (planner's native format), big.xml (frab) and big.schedule.json (c3voc).
Each room-day holds sessions of five 18-minute talks with a 15-minute break between
sessions, and one sponsor demo that overlaps a session in the same room, so the overlap
density stays constant: more items spread over proportionally more days.
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from xml.sax.saxutils import escape

ZONE = "America/Los_Angeles"
OFFSET = timezone(timedelta(hours=-7))  # the generated days all lie in PDT
FIRST_DAY = date(2030, 6, 3)
TALKS_PER_SESSION = 5
SESSIONS_PER_DAY = 5
TALK_MINUTES = 18
BREAK_MINUTES = 15
WORDS = [
    "learning",
    "systems",
    "model",
    "training",
    "inference",
    "graph",
    "tensor",
    "memory",
    "cluster",
    "accelerator",
    "compiler",
    "sparse",
    "dense",
    "attention",
    "scheduling",
    "latency",
    "throughput",
    "energy",
    "quantization",
    "pruning",
    "federated",
    "privacy",
    "robust",
    "benchmark",
    "dataset",
    "serving",
    "pipeline",
    "parallel",
    "kernel",
    "distributed",
    "gradient",
    "optimizer",
    "hardware",
    "software",
    "embedding",
    "retrieval",
    "transformer",
]
FIRST_NAMES = [
    "Ada",
    "Alan",
    "Grace",
    "Barbara",
    "Edsger",
    "Donald",
    "Frances",
    "Leslie",
    "John",
    "Radia",
    "Shafi",
    "Silvio",
]
LAST_NAMES = [
    "Lovelace",
    "Turing",
    "Hopper",
    "Liskov",
    "Dijkstra",
    "Knuth",
    "Allen",
    "Lamport",
    "McCarthy",
    "Perlman",
]


@dataclass
class Event:
    id: str
    kind: str
    title: str
    start: datetime
    minutes: int
    room: str
    speakers: list[str] = field(default_factory=list)
    abstract: str = ""
    parent: str | None = None


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize()


def abstract(rng: random.Random) -> str:
    text = ""
    while len(text) < 1000:
        text += sentence(rng, rng.randint(8, 16)) + ". "
    return text.strip()


def speakers(rng: random.Random) -> list[str]:
    return [f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}" for _ in range(rng.randint(1, 4))]


def room_day(rng: random.Random, day: date, room: str, counter: list[int]) -> list[Event]:
    events: list[Event] = []
    start = datetime(day.year, day.month, day.day, 8, 0, tzinfo=OFFSET)
    for _ in range(SESSIONS_PER_DAY):
        counter[0] += 1
        session_id = f"s{counter[0]}"
        length = TALKS_PER_SESSION * TALK_MINUTES
        events.append(
            Event(session_id, "session", f"Session {sentence(rng, 3)}", start, length, room)
        )
        for slot in range(TALKS_PER_SESSION):
            counter[0] += 1
            events.append(
                Event(
                    f"t{counter[0]}",
                    "talk",
                    sentence(rng, rng.randint(5, 12)),
                    start + timedelta(minutes=slot * TALK_MINUTES),
                    TALK_MINUTES,
                    room,
                    speakers(rng),
                    abstract(rng),
                    session_id,
                )
            )
        start += timedelta(minutes=length + BREAK_MINUTES)
    counter[0] += 1
    demo_start = datetime(day.year, day.month, day.day, 9, 0, tzinfo=OFFSET)
    events.append(
        Event(f"d{counter[0]}", "other", f"Sponsor demo {counter[0]}", demo_start, 30, room)
    )
    return events


def generate(items: int, rooms: int, seed: int) -> list[Event]:
    rng = random.Random(seed)
    counter = [0]
    events: list[Event] = []
    day = FIRST_DAY
    while len(events) < items:
        for number in range(rooms):
            events.extend(room_day(rng, day, f"Room {number + 1}", counter))
            if len(events) >= items:
                break
        day += timedelta(days=1)
    return trim(events[:items])


def trim(events: list[Event]) -> list[Event]:
    """Cut a session whose talks fell off the end, so every parent exists."""
    ids = {event.id for event in events}
    return [event for event in events if event.parent is None or event.parent in ids]


def iso(moment: datetime) -> str:
    return moment.isoformat()


def native(events: list[Event]) -> dict:
    rooms = sorted({event.room for event in events}, key=lambda name: int(name.split()[1]))
    return {
        "format": "planner-program",
        "version": 1,
        "id": "bench",
        "name": "Benchmark Conference",
        "timezone": ZONE,
        "venue": "Benchmark Center",
        "rooms": [{"name": name} for name in rooms],
        "items": [
            {
                "id": event.id,
                "kind": event.kind,
                "title": event.title,
                "speakers": event.speakers,
                "abstract": event.abstract,
                "start": iso(event.start),
                "end": iso(event.start + timedelta(minutes=event.minutes)),
                "room": event.room,
                "parent": event.parent,
            }
            for event in events
        ],
    }


def flat(events: list[Event]) -> list[Event]:
    """frab and c3voc have no nesting: export the talks and demos, not the sessions."""
    return [event for event in events if event.kind != "session"]


def by_day_and_room(events: list[Event]) -> dict[date, dict[str, list[Event]]]:
    grouped: dict[date, dict[str, list[Event]]] = {}
    for event in events:
        grouped.setdefault(event.start.date(), {}).setdefault(event.room, []).append(event)
    return grouped


def duration(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def frab(events: list[Event]) -> str:
    out = ['<?xml version="1.0" encoding="utf-8"?>', "<schedule>", "<version>1</version>"]
    days = by_day_and_room(flat(events))
    first, last = min(days), max(days)
    out.append(
        f"<conference><acronym>bench</acronym><title>Benchmark Conference</title>"
        f"<start>{first}</start><end>{last}</end><days>{len(days)}</days>"
        f"<timeslot_duration>00:05</timeslot_duration><time_zone_name>{ZONE}</time_zone_name>"
        "</conference>"
    )
    for index, (day, rooms) in enumerate(sorted(days.items()), start=1):
        out.append(
            f'<day index="{index}" date="{day}" start="{day}T06:00:00-07:00" end="{day}T23:00:00-07:00">'
        )
        for room, room_events in rooms.items():
            out.append(f'<room name="{escape(room)}">')
            out.extend(frab_event(event) for event in room_events)
            out.append("</room>")
        out.append("</day>")
    out.append("</schedule>")
    return "\n".join(out) + "\n"


def frab_event(event: Event) -> str:
    number = event.id[1:]
    persons = "".join(
        f'<person id="{index}">{escape(name)}</person>' for index, name in enumerate(event.speakers)
    )
    return (
        f'<event guid="00000000-0000-4000-8000-{int(number):012d}" id="{number}">'
        f"<date>{iso(event.start)}</date><start>{event.start:%H:%M}</start>"
        f"<duration>{duration(event.minutes)}</duration><room>{escape(event.room)}</room>"
        f"<slug>bench-{number}</slug><title>{escape(event.title)}</title><subtitle/>"
        f"<track>Main</track><type>{'lecture' if event.kind == 'talk' else 'other'}</type>"
        f"<language>en</language><abstract>{escape(event.abstract)}</abstract>"
        f"<description/><persons>{persons}</persons><links/><attachments/></event>"
    )


def c3voc(events: list[Event]) -> dict:
    days = by_day_and_room(flat(events))
    rooms = sorted({event.room for event in events}, key=lambda name: int(name.split()[1]))
    return {
        "schedule": {
            "version": "1",
            "base_url": "https://bench.invalid/",
            "conference": {
                "acronym": "bench",
                "title": "Benchmark Conference",
                "start": str(min(days)),
                "end": str(max(days)),
                "daysCount": len(days),
                "timeslot_duration": "00:05",
                "time_zone_name": ZONE,
                "rooms": [{"name": name} for name in rooms],
                "days": [
                    {
                        "index": index,
                        "date": str(day),
                        "day_start": f"{day}T06:00:00-07:00",
                        "day_end": f"{day}T23:00:00-07:00",
                        "rooms": {
                            room: [c3voc_event(e) for e in evs] for room, evs in day_rooms.items()
                        },
                    }
                    for index, (day, day_rooms) in enumerate(sorted(days.items()), start=1)
                ],
            },
        }
    }


def c3voc_event(event: Event) -> dict:
    number = int(event.id[1:])
    return {
        "id": number,
        "guid": f"00000000-0000-4000-8000-{number:012d}",
        "date": iso(event.start),
        "start": f"{event.start:%H:%M}",
        "duration": duration(event.minutes),
        "room": event.room,
        "slug": f"bench-{number}",
        "url": f"https://bench.invalid/talk/{number}",
        "title": event.title,
        "subtitle": "",
        "track": "Main",
        "type": "Talk" if event.kind == "talk" else "Other",
        "language": "en",
        "abstract": event.abstract,
        "description": "",
        "persons": [{"id": i, "public_name": name} for i, name in enumerate(event.speakers)],
        "links": [],
        "attachments": [],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=20000)
    parser.add_argument("--rooms", type=int, default=30)
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--out", type=Path, default=Path("bench/out/program"))
    args = parser.parse_args()
    events = generate(args.items, args.rooms, args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    base = args.out
    Path(f"{base}.json").write_text(
        json.dumps(native(events), ensure_ascii=False), encoding="utf-8"
    )
    Path(f"{base}.xml").write_text(frab(events), encoding="utf-8")
    Path(f"{base}.schedule.json").write_text(
        json.dumps(c3voc(events), ensure_ascii=False), encoding="utf-8"
    )
    print(f"{base}.json, .xml, .schedule.json: {len(events)} items")


if __name__ == "__main__":
    main()
