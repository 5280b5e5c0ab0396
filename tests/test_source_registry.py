"""The registry of program formats: one list, sniffed by content, parsers imported on demand."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.loading import FIXTURES

import planner.sources
from planner.sources import FORMATS, registry

SOURCES = Path(planner.sources.__file__).resolve().parent
# One fixture per format, each named after what it is.
SEEDS = {
    "native": "tiny_program.json",
    "daypage": "daypage_dst_fall_back.txt",
    "frab": "frab_offsets.xml",
    "c3voc": "pretalx_democon.schedule.json",
    "sitejson": "sitejson_oral_and_poster.json",
    "ics": "ics_utc.ics",
    "csv": "csv_example.csv",
}
PARSER_MODULES = {
    "planner.sources.native",
    "planner.sources.daypage",
    "planner.sources.frab",
    "planner.sources.c3voc",
    "planner.sources.sitejson",
    "planner.sources.ics",
    "planner.sources.csvtable",
}


def test_every_format_is_listed_once_with_a_sniffer_and_a_parser() -> None:
    names = [entry.name for entry in registry.SNIFFING_ORDER]
    assert len(names) == len(set(names))
    assert sorted(names) == sorted(FORMATS) == sorted(SEEDS)
    for entry in registry.SNIFFING_ORDER:
        assert registry.named(entry.name) is entry
        assert callable(entry.parser()), entry.name
    assert registry.named("pdf") is None


@pytest.mark.parametrize(("name", "seed"), sorted(SEEDS.items()))
def test_each_sniffer_recognises_its_own_format_and_only_it(name: str, seed: str) -> None:
    data = (FIXTURES / seed).read_bytes()
    assert registry.sniff(data) is registry.named(name)
    claimed = [e.name for e in registry.SNIFFING_ORDER if e.sniff(registry.Sample(data))]
    # Later formats may say yes too (any JSON looks native): the order settles it.
    assert claimed[0] == name


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   \n",
        b"<html><body>no schedule</body></html>",
        b"<?xml version='1.0'?><x/>",
    ],
)
def test_content_no_format_knows_is_recognised_as_none(data: bytes) -> None:
    assert registry.sniff(data) is None


def test_markup_is_never_taken_for_a_table_or_a_day_page() -> None:
    assert registry.sniff(b"<p>Oral: a talk, title</p>") is None
    assert registry.sniff(b"Oral: a talk, title\n") is registry.named("csv")


def _loaded_after(code: str) -> set[str]:
    probe = f"import sys\n{code}\nprint(' '.join(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    return set(out.split())


def test_sniffing_imports_no_parser_and_loading_imports_only_its_own() -> None:
    sniffed = _loaded_after(
        "from planner.sources import registry\n"
        f"registry.sniff(open({str(FIXTURES / 'frab_offsets.xml')!r}, 'rb').read())"
    )
    assert not sniffed & PARSER_MODULES
    assert not any(name.startswith("pydantic") for name in sniffed)
    loaded = _loaded_after(
        f"from planner.sources import load\nload({str(FIXTURES / 'tiny_program.json')!r})"
    )
    assert loaded & PARSER_MODULES == {"planner.sources.native"}


def test_no_module_of_sources_imports_back_from_the_package() -> None:
    """Parsers import planner.sources.base, never the package (an import cycle otherwise);
    only the registry names the parser modules, each inside its loader function."""
    for path in sorted(SOURCES.rglob("*.py")):
        if path.name == "__init__.py" and path.parent == SOURCES:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "planner.sources":
                assert path.name == "registry.py", f"{path} imports from planner.sources"
