"""Text ranking of the program against the attendee's interests: BM25 over stemmed words.

Every item with a time is scored over the fields in RANKED_FIELDS. Words are case-folded and
stemmed (Snowball English: "kernels", "Kernel" and "kernel" are one word); an interest with a
space in it ("gpu kernels", as the shell passes a quoted phrase) or written in double quotes
counts as one phrase: it matches only where its words stand next to each other in one field.
``like`` adds similarity to given items: each liked item's words are a BM25 query, its score
divided by the liked item's own score (so 1.0 is "as close as the item itself") and weighed as
one rare interest word.

A session or tutorial with timed parts is worth the sum of its parts (attending the whole of it
is attending every part); one without timed parts keeps its own score. These container values
are the numbers ``planner.plan`` maximises, so ``suggest`` shows exactly what ``plan`` uses.

The core returns data; snowballstemmer is imported only when a ranking is built.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from planner.model import Item, Program

# (field, weight): a word in the title says more about the item than one in the abstract.
# The model has no track yet; the item's kind stands in for it (a "tutorial", a "keynote").
RANKED_FIELDS: tuple[tuple[str, float], ...] = (
    ("title", 2.0),
    ("abstract", 1.0),
    ("speakers", 1.0),
    ("session", 1.0),
    ("kind", 1.0),
)
# Okapi BM25's usual constants: term-frequency saturation and length normalisation.
K1 = 1.2
B = 0.75
# Like-queries leave these out: they say nothing about what an item is about.
_STOP_TEXT = (
    "a an and are as at be by for from has have in is it its of on or that the this to was "
    "were will with we our us you your they their them how what which who why not can do "
    "does into over under than then there these those such via using use new based"
)
STOP_WORDS = frozenset(_STOP_TEXT.split())
# Fields a like-query leaves out: every talk shares the word "talk".
LIKE_SKIPS = frozenset({"kind"})
# The liked items' words that explain a match: at most this many per item, strongest first.
MAX_LIKE_WORDS = 5

_WORD = re.compile(r"\w+")
_QUOTED = re.compile(r'"([^"]*)"')


@dataclass(frozen=True)
class Ranked:
    """One item's relevance: ``score`` >= 0 (unrounded) and the words that earned it."""

    id: str
    score: float
    matched: tuple[str, ...]


@dataclass(frozen=True)
class _Query:
    """One interest: a word or a phrase, as stems, with the text the attendee typed."""

    text: str
    stems: tuple[str, ...]


def parse_interests(interests: Iterable[str]) -> list[_Query]:
    """Free words and phrases: ``sparsity "gpu kernels"`` or the shell's ``'gpu kernels'``."""
    stem = _stemmer()
    queries: list[_Query] = []
    for interest in interests:
        pieces = [(phrase, True) for phrase in _QUOTED.findall(interest)]
        rest = _QUOTED.sub(" ", interest)
        whole_is_phrase = '"' not in interest and len(_WORD.findall(rest)) > 1
        pieces += [(rest, True)] if whole_is_phrase else [(w, False) for w in _WORD.findall(rest)]
        for text, _is_phrase in pieces:
            stems = tuple(stem(word) for word in _WORD.findall(text.casefold()))
            if stems and all(known.stems != stems for known in queries):
                queries.append(_Query(" ".join(text.split()), stems))
    return queries


def rank(program: Program, interests: Sequence[str] = (), like: Sequence[str] = ()) -> list[Ranked]:
    """Every item with a time, best first (ties: earlier start, then id).

    ``like`` holds item ids (an unknown one raises NotFoundError naming the closest ids).
    """
    from planner.query import resolve_id

    liked = [resolve_id(program, text).id for text in like]
    corpus = _Corpus(program)
    scores = [0.0] * len(corpus.items)
    matched: list[list[str]] = [[] for _ in corpus.items]
    for query in parse_interests(interests):
        for index, value in corpus.bm25(query.stems).items():
            scores[index] += value
            matched[index].append(query.text)
    for item_id in dict.fromkeys(liked):
        _add_likeness(corpus, corpus.index[item_id], scores, matched)
    own = {
        item.id: Ranked(item.id, s, tuple(m))
        for item, s, m in zip(corpus.items, scores, matched, strict=True)
    }
    return sorted(_container_values(program, own), key=_order(program))


def _add_likeness(
    corpus: _Corpus, liked: int, scores: list[float], matched: list[list[str]]
) -> None:
    corpus.postings()
    stop = {corpus.stem(word) for word in STOP_WORDS}
    terms = {t: w for t, w in corpus.term_counts(liked).items() if t not in stop}
    per_term = {term: corpus.bm25((term,)) for term in terms}
    itself = sum(weight * per_term[term].get(liked, 0.0) for term, weight in terms.items())
    if itself <= 0:
        return
    scale = corpus.rare_word_idf() / itself
    contributions: dict[int, list[tuple[float, str]]] = {}
    for term, weight in terms.items():
        for index, value in per_term[term].items():
            contributions.setdefault(index, []).append((weight * value, term))
    for index, found in contributions.items():
        scores[index] += scale * sum(value for value, _ in found)
        strongest = sorted(found, key=lambda pair: (-pair[0], pair[1]))[:MAX_LIKE_WORDS]
        words = [corpus.surface(term) for _, term in strongest]
        matched[index].extend(word for word in words if word not in matched[index])


def _container_values(program: Program, own: dict[str, Ranked]) -> list[Ranked]:
    """An item with timed parts (a session, a tutorial): the sum of its parts' values."""
    children = program.children_map()
    values: dict[str, Ranked] = {}

    def value(item_id: str) -> Ranked:
        if item_id not in values:
            parts = [value(child.id) for child in children.get(item_id, []) if child.id in own]
            if parts:
                words = dict.fromkeys(word for part in parts for word in part.matched)
                values[item_id] = Ranked(item_id, sum(part.score for part in parts), tuple(words))
            else:
                values[item_id] = own[item_id]
        return values[item_id]

    return [value(item_id) for item_id in own]


def _order(program: Program) -> Callable[[Ranked], tuple]:
    by_id = program.item_map()
    return lambda r: (-r.score, by_id[r.id].start, r.id)


# --- the corpus ------------------------------------------------------------------------------


class _Corpus:
    """The timed items as bags of stemmed words per field, with BM25 statistics."""

    def __init__(self, program: Program) -> None:
        self.stem = self._stem = _stemmer()
        by_id = program.item_map()
        self.items = [item for item in program.items if item.start is not None]
        self.index = {item.id: n for n, item in enumerate(self.items)}
        # Per item and field: the case-folded words (for phrases) and their counts.
        self.words = [
            [_WORD.findall(text.casefold()) for text in _field_texts(item, by_id)]
            for item in self.items
        ]
        self.counts = [[Counter(words) for words in fields] for fields in self.words]
        weights = [weight for _, weight in RANKED_FIELDS]
        self.lengths = [
            sum(w * len(words) for w, words in zip(weights, fields, strict=True))
            for fields in self.words
        ]
        self.average_length = (sum(self.lengths) / len(self.lengths)) if self.lengths else 0.0
        self._weights = weights
        self._by_letter: dict[str, set[str]] | None = None  # first letter -> words
        self._forms: dict[str, set[str]] = {}  # stem -> the words that have it
        self._postings: dict[str, set[int]] | None = None  # word -> items holding it

    def surface(self, stem: str) -> str:
        """The shortest word seen for a stem: what the attendee reads as a match."""
        return min(self.forms(stem) or {stem}, key=lambda word: (len(word), word))

    def forms(self, stem: str) -> set[str]:
        """The words of the program that have this stem.

        Only words with the stem's first letter are stemmed (Snowball keeps the first letter),
        so a query stems a small part of the program's words, not all of them.
        """
        if self._by_letter is None:
            by_letter: dict[str, set[str]] = {}
            for fields in self.counts:
                for counts in fields:
                    for word in counts:
                        by_letter.setdefault(word[0], set()).add(word)
            self._by_letter = by_letter
        if stem not in self._forms:
            self._forms[stem] = {
                word for word in self._by_letter.get(stem[:1], ()) if self._stem(word) == stem
            }
        return self._forms[stem]

    def postings(self) -> dict[str, set[int]]:
        """Word -> the items holding it: a like-query asks for many words at once."""
        if self._postings is None:
            postings: dict[str, set[int]] = {}
            for index, fields in enumerate(self.counts):
                for counts in fields:
                    for word in counts:
                        postings.setdefault(word, set()).add(index)
            self._postings = postings
        return self._postings

    def term_counts(self, index: int) -> dict[str, float]:
        """The weighted count of each stem in one item (a like-query)."""
        found: dict[str, float] = {}
        for (name, weight), counts in zip(RANKED_FIELDS, self.counts[index], strict=True):
            if name in LIKE_SKIPS:
                continue
            for word, count in counts.items():
                stem = self._stem(word)
                found[stem] = found.get(stem, 0.0) + weight * count
        return found

    def rare_word_idf(self) -> float:
        return _idf(len(self.items), 1)

    def bm25(self, stems: tuple[str, ...]) -> dict[int, float]:
        """Item index -> BM25 score of one word or phrase (items where it occurs)."""
        frequencies = self._frequencies(stems)
        if not frequencies:
            return {}
        idf = _idf(len(self.items), len(frequencies))
        average = self.average_length or 1.0
        return {
            index: idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * self.lengths[index] / average))
            for index, tf in frequencies.items()
        }

    def _frequencies(self, stems: tuple[str, ...]) -> dict[int, float]:
        forms = [self.forms(stem) for stem in stems]
        if not all(forms):
            return {}
        found: dict[int, float] = {}
        holding: Iterable[int] = range(len(self.counts))
        if self._postings is not None:
            holding = sorted(set().union(*(self._postings.get(w, set()) for w in forms[0])))
        for index in holding:
            fields = self.counts[index]
            tf = 0.0
            for field_number, (weight, counts) in enumerate(
                zip(self._weights, fields, strict=True)
            ):
                if len(stems) == 1:
                    tf += weight * sum(counts[word] for word in forms[0] if word in counts)
                elif all(any(word in counts for word in form) for form in forms):
                    tf += weight * self._phrases(self.words[index][field_number], stems)
            if tf > 0:
                found[index] = tf
        return found

    def _phrases(self, words: list[str], stems: tuple[str, ...]) -> int:
        stemmed = [self._stem(word) for word in words]
        size = len(stems)
        return sum(
            1
            for start in range(len(stemmed) - size + 1)
            if tuple(stemmed[start : start + size]) == stems
        )


def _field_texts(item: Item, by_id: dict[str, Item]) -> list[str]:
    parent = by_id.get(item.parent) if item.parent else None
    texts = {
        "title": item.title,
        "abstract": item.abstract,
        "speakers": " ".join(item.speakers),
        "session": parent.title if parent is not None else "",
        "kind": item.kind,
    }
    return [texts[name] for name, _ in RANKED_FIELDS]


def _idf(documents: int, containing: int) -> float:
    # Lucene's BM25 idf: never negative, so a word in most items still adds a little.
    return math.log(1 + (documents - containing + 0.5) / (containing + 0.5))


def _stemmer() -> Callable[[str], str]:
    """Snowball English, remembered per word (a program repeats a few thousand words)."""
    return _cached_stemmer()


_STEMS: dict[str, str] = {}


def _cached_stemmer() -> Callable[[str], str]:
    import snowballstemmer

    stem_word = snowballstemmer.stemmer("english").stemWord

    def stem(word: str) -> str:
        found = _STEMS.get(word)
        if found is None:
            found = _STEMS[word] = stem_word(word)
        return found

    return stem
