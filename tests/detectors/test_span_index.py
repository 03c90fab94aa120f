"""The indexed searches answer what the scans they replaced answered: detectors.ner.SpanIndex (a scan of every span
per candidate) and detectors.names._mentions (every name tried at every word). A text of thousands of labelled
records or of thousands of people made those quadratic."""
from __future__ import annotations

import random

from detectors.ner import SpanIndex


def test_covers_and_overlaps_agree_with_a_scan_of_every_span() -> None:
    rng = random.Random(7)
    for _ in range(200):
        spans = []
        for _ in range(rng.randint(0, 12)):
            a = rng.randint(0, 60)
            spans.append((a, a + rng.randint(0, 15)))
        index = SpanIndex(spans)
        for start in range(0, 80, 3):
            for end in range(start, start + 20, 2):
                assert index.overlaps(start, end) == any(a < end and start < b for a, b in spans), (spans, start, end)
                assert index.covers(start, end) == any(a <= start and end <= b for a, b in spans), (spans, start, end)


def test_an_empty_index_holds_nothing() -> None:
    assert not SpanIndex([]).overlaps(0, 10) and not SpanIndex([]).covers(0, 0)


def test_mentions_are_those_a_name_by_name_search_finds() -> None:
    """detectors.names._mentions looks names up by their first three characters and length; it finds what
    trying every name, longest first, at each word start finds (prefixes of each other, possessives, hyphens)."""
    from detectors.names import _MENTION_END, _WORD_START, _mentions

    def by_name(text: str, names: set[str]) -> list[tuple[int, int]]:
        ordered = sorted(names, key=len, reverse=True)
        out, pos = [], 0
        while (m := _WORD_START.search(text, pos)) is not None:
            start, pos = m.start(), m.start() + 1
            for name in ordered:
                if text.startswith(name, start) and not _MENTION_END.match(text, start + len(name)):
                    out.append((start, start + len(name)))
                    pos = start + len(name)
                    break
        return out

    rng = random.Random(3)
    pool = ["Ann", "Anna", "Annabel", "Annabelle", "Okafor", "Okaforo", "O'Brien", "Ní Bhriain", "Jean-Luc", "Lee",
            "Leeds", "Zoë", "Zoëlla"]
    glue = [" ", ", ", "'s ", "’s ", "-x ", "x ", ".\n", " said ", "'", "s "]
    for _ in range(300):
        names = set(rng.sample(pool, rng.randint(1, 6)))
        text = "".join(rng.choice(pool) + rng.choice(glue) for _ in range(rng.randint(1, 25)))
        assert list(_mentions(text, names)) == by_name(text, names), (names, text)


def test_phrase_alternation_matches_each_phrase_whole_longest_first_in_any_case():
    """The label and cue lists as one prefix tree: every phrase matches, in any case, a space in a phrase matches
    spaces or tabs, the longest phrase at a position wins ("my son" over "my"), and nothing else matches."""
    import re

    from detectors.names import phrase_alternation

    phrases = ["son", "my son", "my", "stepson", "social worker", "step-mother", "Dr."]
    rx = re.compile(rf"(?i)(?<!\w)(?:{phrase_alternation(phrases)})(?!\w)")
    assert [m.group() for m in rx.finditer("My Son and my   son; STEPSON, Social\tWorker, step-mother, dr. sons")] == [
        "My Son", "my   son", "STEPSON", "Social\tWorker", "step-mother", "dr."]
    assert rx.fullmatch("my son") and not rx.search("mystep so social")


def test_word_start_matches_what_a_look_behind_first_matches():
    """word_start and words_start put the first character before the look-behind; the matches are those of the
    look-behind written first, at the text's start, after punctuation, and never inside a word."""
    import re

    from detectors.trie import word_start, words_start

    texts = ["Ann met Bob", "xAnn", "#Ann and -Bob", "A", "\nAnn\n", "the town of X, The island", "atheist at the"]
    pairs = [(re.compile(r"(?<![\w'’\-#])[A-Z][a-z]*"), re.compile(word_start("[A-Z]", r"[\w'’\-#]") + "[a-z]*")),
             (re.compile(r"(?<![\w'’\-])(?:[Tt]he|[Aa])\b"), re.compile(words_start(["The", "the", "A", "a"], r"[\w'’\-]") + r"\b"))]
    for text in texts:
        for before, after in pairs:
            assert [m.span() for m in before.finditer(text)] == [m.span() for m in after.finditer(text)], text
    assert [m.group() for m in pairs[0][1].finditer("Ann met xBob and #Cy, Dee")] == ["Ann", "Dee"]
