"""Ranking the program by the attendee's interests (planner.rank): BM25 over stemmed words."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from planner.errors import NotFoundError
from planner.model import Program
from planner.rank import RANKED_FIELDS, Ranked, parse_interests, rank
from planner.sources import load

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def words() -> Program:
    return load(str(FIXTURES / "rank_words.json"))


def by_id(ranking: list[Ranked]) -> dict[str, Ranked]:
    return {ranked.id: ranked for ranked in ranking}


def test_every_item_with_a_time_is_ranked_best_first(words) -> None:
    ranking = rank(words, ["gardening"])
    assert {r.id for r in ranking} == {i.id for i in words.items if i.start is not None}
    assert ranking[0].id == "gardening" and ranking[0].matched == ("gardening",)
    assert all(r.score >= 0 for r in ranking)
    assert [r.score for r in ranking] == sorted((r.score for r in ranking), reverse=True)
    assert all(r.score == 0 and r.matched == () for r in ranking[1:] if r.id != "gardening")


def test_case_and_plurals_fold_to_one_word(words) -> None:
    ranking = by_id(rank(words, ["COMPILER"]))
    assert ranking["compilers"].score > 0
    assert ranking["compilers"].matched == ("COMPILER",)
    assert by_id(rank(words, ["compiler"]))["compilers"].score == ranking["compilers"].score


def test_a_quoted_phrase_matches_only_adjacent_words(words) -> None:
    for query in (['"gpu kernels"'], ["gpu kernels"]):  # typed in quotes, or the shell's one arg
        ranking = by_id(rank(words, query))
        assert ranking["adjacent"].score > 0
        assert ranking["apart"].score == 0
    # The two words apart still match both items.
    loose = by_id(rank(words, ["gpu", "kernels"]))
    assert loose["adjacent"].score > 0 and loose["apart"].score > 0


def test_phrases_and_words_parse_from_one_argument() -> None:
    parsed = parse_interests(['sparsity "GPU kernels" compilers'])
    assert [(q.text, q.stems) for q in parsed] == [
        ("GPU kernels", ("gpu", "kernel")),
        ("sparsity", ("sparsiti",)),
        ("compilers", ("compil",)),
    ]


def test_a_title_word_counts_more_than_an_abstract_word() -> None:
    at = {"start": "2024-05-14T09:00:00+00:00", "end": "2024-05-14T09:30:00+00:00"}
    program = Program(
        id="p",
        name="p",
        timezone="UTC",
        items=[
            {"id": "in-title", "title": "Kernels", "abstract": "fast code here", **at},
            {"id": "in-abstract", "title": "Fast code", "abstract": "kernels here", **at},
            {"id": "neither", "title": "Roses", "abstract": "and tomatoes", **at},
        ],
    )
    assert dict(RANKED_FIELDS)["title"] > dict(RANKED_FIELDS)["abstract"]
    ranking = rank(program, ["kernel"])
    assert [r.id for r in ranking] == ["in-title", "in-abstract", "neither"]
    assert ranking[0].score > ranking[1].score > 0


def test_speakers_and_the_session_title_are_searched(words) -> None:
    assert by_id(rank(words, ["lovelace"]))["adjacent"].score > 0
    # quantization says nothing of sparsity, but its session is called Sparsity.
    assert by_id(rank(words, ["sparsity"]))["quantization"].score > 0


def test_a_session_is_worth_the_sum_of_its_parts(words) -> None:
    ranking = by_id(rank(words, ["sparse", "bits"]))
    parts = ranking["pruning"].score + ranking["quantization"].score
    assert ranking["sparse-session"].score == pytest.approx(parts)
    assert set(ranking["sparse-session"].matched) == {"sparse", "bits"}


def test_like_ranks_similar_items_first(words) -> None:
    ranking = rank(words, like=["compilers"])
    assert ranking[0].id == "compilers"
    assert ranking[0].score > 0 and "compiler" in ranking[0].matched
    assert by_id(ranking)["gardening"].score == 0


def test_like_and_interests_add_up(words) -> None:
    both = by_id(rank(words, ["gardening"], like=["compilers"]))
    alone = by_id(rank(words, ["gardening"]))
    assert both["gardening"].score == pytest.approx(alone["gardening"].score)
    assert both["compilers"].score > 0 and alone["compilers"].score == 0


def test_an_unknown_like_id_names_the_closest(words) -> None:
    with pytest.raises(NotFoundError, match="closest: compilers"):
        rank(words, like=["compilerz"])


def test_an_interest_that_matches_nothing_gives_zero_everywhere(words) -> None:
    assert all(r.score == 0 for r in rank(words, ["xylophone"]))


def test_the_bundled_day_ranks_the_sparsity_tutorial_first() -> None:
    ranking = rank(load("mlsys2022"), ["sparsity", "gpu"])
    assert ranking[0].id == "sparsity-tutorial"
    assert set(ranking[0].matched) == {"sparsity", "gpu"}


def test_the_stemmer_is_imported_only_when_ranking() -> None:
    code = (
        "import sys, planner.rank, planner.plan; "
        "assert 'snowballstemmer' not in sys.modules, 'imported too early'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_plural_after_u_folds_too() -> None:
    # Snowball keeps "gpus" as it is; the ranking folds it to "gpu".
    at = {"start": "2024-05-14T09:00:00+00:00", "end": "2024-05-14T09:30:00+00:00"}
    program = Program(
        id="p",
        name="p",
        timezone="UTC",
        items=[
            {"id": "plural", "title": "Kernels on GPUs", **at},
            {"id": "other", "title": "Roses", **at},
        ],
    )
    assert by_id(rank(program, ["GPU"]))["plural"].score > 0
    assert by_id(rank(program, ["gpus"]))["plural"].score > 0
