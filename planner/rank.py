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
from bisect import bisect_right
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
# Between two fields in the searched text: word characters that no case-folded text holds, so
# neither a word nor a phrase match runs from one field into the next.
_SEPARATOR = "\n\0SEP\0\n"
_QUOTED = re.compile(r'"([^"]*)"')


@dataclass(frozen=True)
class Ranked:
    """One item's relevance: ``score`` >= 0 (unrounded) and the words that earned it."""

    id: str
    score: float
    matched: tuple[str, ...]

    def as_json(self) -> dict[str, object]:
        return {"id": self.id, "matched": list(self.matched), "score": self.score}


@dataclass(frozen=True)
class Interest:
    """One interest: a word or a phrase, as stems, with the text the attendee typed."""

    text: str
    stems: tuple[str, ...]


def parse_interests(interests: Iterable[str]) -> list[Interest]:
    """Free words and phrases: ``sparsity "gpu kernels"`` or the shell's ``'gpu kernels'``."""
    stem = _stemmer()
    queries: list[Interest] = []
    for interest in interests:
        pieces = [(phrase, True) for phrase in _QUOTED.findall(interest)]
        rest = _QUOTED.sub(" ", interest)
        whole_is_phrase = '"' not in interest and len(_WORD.findall(rest)) > 1
        pieces += [(rest, True)] if whole_is_phrase else [(w, False) for w in _WORD.findall(rest)]
        for text, _is_phrase in pieces:
            stems = tuple(stem(word) for word in _WORD.findall(text.casefold()))
            if stems and all(known.stems != stems for known in queries):
                queries.append(Interest(" ".join(text.split()), stems))
    return queries


def rank(program: Program, interests: Sequence[str] = (), like: Sequence[str] = ()) -> list[Ranked]:
    """Every item with a time, best first (ties: earlier start, then id).

    ``like`` holds item ids (an unknown one raises NotFoundError naming the closest ids); a
    liked item with no time is not in the ranked corpus and adds nothing.
    """
    from planner.query import resolve_id

    liked = [resolve_id(program, text).id for text in like]
    corpus = _Corpus(program)
    liked = [item_id for item_id in liked if item_id in corpus.index]
    scores = [0.0] * len(corpus.items)
    matched: list[list[str]] = [[] for _ in corpus.items]
    for query in parse_interests(interests):
        for index, value in corpus.bm25(query.stems).items():
            scores[index] += value
            matched[index].append(query.text)
    if liked:
        _add_likeness(corpus, [corpus.index[i] for i in dict.fromkeys(liked)], scores, matched)
    own = {
        item.id: Ranked(item.id, s, tuple(m))
        for item, s, m in zip(corpus.items, scores, matched, strict=True)
    }
    return sorted(_container_values(program, own), key=_order(program))


def _add_likeness(
    corpus: _Corpus, liked: list[int], scores: list[float], matched: list[list[str]]
) -> None:
    stop = {corpus.stem(word) for word in STOP_WORDS}
    queries = [
        {t: w for t, w in corpus.term_counts(index).items() if t not in stop and len(t) > 1}
        for index in liked
    ]
    per_term = corpus.bm25_indexed(set().union(*queries))
    for index, terms in zip(liked, queries, strict=True):
        itself = sum(weight * per_term.get(t, {}).get(index, 0.0) for t, weight in terms.items())
        if itself <= 0:
            continue
        scale = corpus.rare_word_idf() / itself
        # The words that explain a match: the query's strongest words the item holds.
        strongest = sorted(terms, key=lambda t: (-terms[t] * corpus.idf_of(per_term, t), t))
        held_by: list[list[str]] = [[] for _ in scores]  # per item: its strongest words
        for term in strongest:
            factor = scale * terms[term]
            for other, value in per_term.get(term, {}).items():
                scores[other] += factor * value
                held = held_by[other]
                if len(held) < MAX_LIKE_WORDS:
                    held.append(term)
        surfaces = {term: corpus.surface(term) for term in strongest}
        for other, held in enumerate(held_by):
            if held:
                words = matched[other]
                words.extend(w for w in (surfaces[t] for t in held) if w not in words)


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
    """The timed items' fields as one case-folded text, searched with regular expressions.

    A word or phrase is found by one scan of the whole text (C speed) and each match is told
    to its item and field by its offset, so ranking never loops over every word in Python.
    """

    def __init__(self, program: Program) -> None:
        self.stem = _stemmer()
        by_id = program.item_map()
        self.items = [item for item in program.items if item.start is not None]
        self.index = {item.id: n for n, item in enumerate(self.items)}
        self._weights = [weight for _, weight in RANKED_FIELDS]
        texts = [text.casefold() for item in self.items for text in _field_texts(item, by_id)]
        self._texts = texts
        self._offsets = []
        position = 0
        for text in texts:
            self._offsets.append(position)
            position += len(text) + len(_SEPARATOR)
        self._joined = _SEPARATOR.join(texts)
        fields = len(RANKED_FIELDS)
        # An item's length: its words, weighed like its fields.
        self.lengths = [
            sum(
                weight * _word_count(text)
                for weight, text in zip(
                    self._weights, texts[n * fields : (n + 1) * fields], strict=True
                )
            )
            for n in range(len(self.items))
        ]
        self.average_length = (sum(self.lengths) / len(self.lengths)) if self.lengths else 0.0
        self._forms: dict[str, set[str]] = {}  # stem -> the program's words that have it
        self._counts: list[Counter[str]] | None = None  # per field: word -> count
        self._vocabulary: set[str] | None = None

    def surface(self, stem: str) -> str:
        """The shortest word seen for a stem: what the attendee reads as a match."""
        return min(self._forms.get(stem) or {stem}, key=lambda word: (len(word), word))

    def term_counts(self, index: int) -> dict[str, float]:
        """The weighted count of each stem in one item (a like-query)."""
        found: dict[str, float] = {}
        fields = len(RANKED_FIELDS)
        texts = self._texts[index * fields : (index + 1) * fields]
        for (name, weight), text in zip(RANKED_FIELDS, texts, strict=True):
            if name in LIKE_SKIPS:
                continue
            for word in _WORD.findall(text):
                stem = self.stem(word)
                found[stem] = found.get(stem, 0.0) + weight
        return found

    def idf_of(self, per_term: dict[str, dict[int, float]], term: str) -> float:
        return _idf(len(self.items), len(per_term.get(term, {})))

    def rare_word_idf(self) -> float:
        return _idf(len(self.items), 1)

    def bm25(self, stems: tuple[str, ...]) -> dict[int, float]:
        """Item index -> BM25 score of one word or phrase (items where it occurs)."""
        if len(stems) == 1:
            return self.bm25_words({stems[0]}).get(stems[0], {})
        forms = self._forms_of(set(stems))
        groups = [
            sorted((w for w, s in forms.items() if s == stem), key=len, reverse=True)
            for stem in stems
        ]
        if not all(groups):
            return {}
        pattern = r"\W+".join("(?:" + "|".join(map(re.escape, group)) + ")" for group in groups)
        return self._scored(self._frequencies(re.compile(rf"{pattern}(?!\w)")))

    def bm25_words(self, stems: set[str]) -> dict[str, dict[int, float]]:
        """Stem -> item index -> BM25 score, for single words (one scan per word)."""
        forms = self._forms_of(stems)
        found: dict[str, dict[int, float]] = {}
        for stem in stems:
            words = [word for word, of in forms.items() if of == stem]
            if words:
                pattern = re.compile(rf"(?:{_alternatives(words)})(?!\w)")
                found[stem] = self._scored(self._frequencies(pattern))
        return {stem: scores for stem, scores in found.items() if scores}

    def bm25_indexed(self, stems: set[str]) -> dict[str, dict[int, float]]:
        """bm25_words for many words (a like-query): from each field's word counts, built once,
        since a scan for a hundred words would match nearly every word of the program."""
        counts = self._word_counts()
        if self._vocabulary is None:
            self._vocabulary = set().union(*counts)
        prefixes = tuple({_PREFIX_EXCEPTIONS.get(stem, _kept_prefix(stem)) for stem in stems})
        forms: dict[str, str] = {}
        for word in self._vocabulary:
            if word.startswith(prefixes):
                stem = self.stem(word)
                if stem in stems:
                    forms[word] = stem
                    self._forms.setdefault(stem, set()).add(word)
        per_stem: dict[str, dict[int, float]] = {}
        fields, weights = len(RANKED_FIELDS), self._weights
        for segment, segment_counts in enumerate(counts):
            index, field = divmod(segment, fields)
            for word, count in segment_counts.items():
                stem = forms.get(word)
                if stem is not None:
                    found = per_stem.setdefault(stem, {})
                    found[index] = found.get(index, 0.0) + weights[field] * count
        return {stem: self._scored(found) for stem, found in per_stem.items()}

    def _word_counts(self) -> list[Counter[str]]:
        if self._counts is None:
            self._counts = [Counter(_WORD.findall(text)) for text in self._texts]
        return self._counts

    def _frequencies(self, pattern: re.Pattern[str]) -> dict[int, float]:
        """Item index -> weighted count of the pattern's matches that start a word.

        (A look-behind in the pattern would check the start, but makes Python's re try every
        position: 25 times slower on a big program.) Matches are told to their field by offset.
        """
        text, offsets, weights = self._joined, self._offsets, self._weights
        starts = [match.start() for match in pattern.finditer(text)]
        at_word_start = [
            s for s in starts if s == 0 or not (text[s - 1].isalnum() or text[s - 1] == "_")
        ]
        found: dict[int, float] = {}
        fields = len(RANKED_FIELDS)
        for segment, count in Counter(bisect_right(offsets, s) - 1 for s in at_word_start).items():
            index, field = divmod(segment, fields)
            found[index] = found.get(index, 0.0) + weights[field] * count
        return found

    def _scored(self, frequencies: dict[int, float]) -> dict[int, float]:
        if not frequencies:
            return {}
        idf = _idf(len(self.items), len(frequencies))
        average = self.average_length or 1.0
        lengths = self.lengths
        return {
            index: idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * lengths[index] / average))
            for index, tf in frequencies.items()
        }

    def _forms_of(self, stems: set[str]) -> dict[str, str]:
        """Word -> stem, for the program's words that have one of these stems.

        Snowball changes at most the last two letters of what it keeps ("sparsity" ->
        "sparsiti", "hoping" -> "hope"; checked on 150,000 words, where only "lying" -> "lie"
        differs), so only words starting with the stem less two letters are stemmed: a small
        part of the program's words, found in one scan.
        """
        missing = {stem for stem in stems if stem not in self._forms}
        if missing:
            prefixes = {_PREFIX_EXCEPTIONS.get(stem, _kept_prefix(stem)) for stem in missing}
            pattern = re.compile(rf"(?:{_alternatives(prefixes)})\w*")
            for stem in missing:
                self._forms[stem] = set()
            # Matches inside a word give words that never match at a word start: harmless.
            for word in set(pattern.findall(self._joined)):
                stem = self.stem(word)
                if stem in missing:
                    self._forms[stem].add(word)
        return {word: stem for stem in stems for word in self._forms[stem]}


def _word_count(text: str) -> int:
    # Counted by the spaces between words: no list of words is built for a long abstract.
    return text.count(" ") + text.count("\n") + 1 if text and not text.isspace() else 0


def _kept_prefix(stem: str) -> str:
    """The start of the stem that every word with that stem begins with."""
    return stem if len(stem) <= 2 else stem[: len(stem) - (1 if len(stem) == 3 else 2)]


# Snowball's irregular words whose stem changes more than the last letters.
_PREFIX_EXCEPTIONS = {"die": "d", "lie": "l", "tie": "t"}


def _alternatives(words: Iterable[str]) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=lambda w: (-len(w), w)))


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
            found = _STEMS[word] = _fold_u_plural(stem_word(word))
        return found

    return stem


def _fold_u_plural(stem: str) -> str:
    """Snowball keeps the s after a vowel u ("gpus", "menus"), so "GPUs" would not match "gpu":
    every stem ending in "us" loses the s, for plurals and singulars alike ("status" becomes
    "statu" whatever its form), so only words that differ by that s are joined."""
    return stem[:-1] if len(stem) > 3 and stem.endswith("us") else stem
