"""Whether a text is written in English, from its function words: the English NER model reads only English.

On a German or French letter the English model takes capitalised nouns and phrases for persons ("Ihre Nachricht",
"Bei Fragen", "Vielen Dank"); its guesses there are noise. A text whose function words are mostly those of another
European language gets no NER: names there come from the rules alone (titles, labels, listed given names, e-mail
headers), and places from addresses and the gazetteer. Function words are spaCy's stop-word lists, which ship
with spaCy (nothing is downloaded), less every word that is also an English word or a listed given name.
"""
from __future__ import annotations

import importlib.util
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import spacy

from spacy.lang.en.stop_words import STOP_WORDS

# Languages of the EU/EEA, Norway and Turkey whose letters our users keep beside English ones (spaCy ships each list).
LANGUAGES = ("de", "fr", "es", "it", "nl", "pt", "pl", "sv", "da", "nb", "fi", "ro", "hu", "cs", "tr")
SAMPLE_CHARS = 4000          # the text's first characters are read: a letter's language shows in its first lines
MIN_FOREIGN = 5              # fewer foreign function words than this: the text is English (or too short to say)
RATIO = 2                    # and there must be this many times more of them than English function words
_WORD = re.compile(r"[^\W\d_]+")


def foreign_function_words(english: Iterable[str] = (), given: Iterable[str] = ()) -> dict[str, tuple[str, ...]]:
    """Each stop word of LANGUAGES that is no English stop word, no word of ``english`` and no name of ``given``,
    with the languages it belongs to."""
    english = english if isinstance(english, (set, frozenset)) else frozenset(english)
    given = given if isinstance(given, (set, frozenset)) else frozenset(given)
    words: dict[str, tuple[str, ...]] = {}
    for code in LANGUAGES:
        for w in _stop_words(code):
            if len(w) > 1 and w.isalpha() and w not in STOP_WORDS and w not in english and w not in given:
                words[w] = (*words.get(w, ()), code)
    return words


def _stop_words(code: str) -> set[str]:
    """spaCy's stop words of language ``code``, from its stop_words module alone (importing the language's package
    would load its tokenizer rules: seconds of start-up for fifteen languages)."""
    path = Path(spacy.__file__).parent / "lang" / code / "stop_words.py"
    spec = importlib.util.spec_from_file_location(f"_pii_scan_stop_words_{code}", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"spaCy has no stop words for {code!r} at {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return set(module.STOP_WORDS)


class LanguageCheck:
    """is_english(text): False for a text whose function words are mostly another language's; language(text): that
    language."""

    def __init__(self, english: Iterable[str] = (), given: Iterable[str] = ()) -> None:
        self.foreign = foreign_function_words(english, given)

    def counts(self, text: str) -> tuple[int, Counter[str]]:
        """English function words, and each other language's, among the first SAMPLE_CHARS characters' words."""
        english = 0
        languages: Counter[str] = Counter()
        foreign = self.foreign
        for m in _WORD.finditer(text, 0, min(len(text), SAMPLE_CHARS)):
            word = m.group().lower()
            if word in STOP_WORDS:
                english += 1
            elif word in foreign:
                languages.update(foreign[word])
        return english, languages

    def is_english(self, text: str) -> bool:
        return self.language(text) is None

    def language(self, text: str) -> str | None:
        """The language (a code of LANGUAGES) a text is written in when it is not English, else None."""
        english, languages = self.counts(text)
        if not languages:
            return None
        code, most = languages.most_common(1)[0]
        return code if most >= MIN_FOREIGN and most >= RATIO * english else None
