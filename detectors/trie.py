"""Regexes shaped for re's speed: a set of words as their prefix tree (re tries a flat alternation of hundreds of
words one by one at every position, a trie-shaped one a character at a time), and a word's first character
before the look-behind that says where a word starts (see word_start)."""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass
class _TrieNode:
    children: dict[str, _TrieNode] = field(default_factory=dict)     # next character → subtree
    tail: str | None = None          # where a word ends: the regex that must follow it ("": nothing)


def trie_pattern(words: Iterable[str], tails: Mapping[str, str] | None = None) -> str:
    """A regex alternation of ``words`` factored by common prefixes ("diabet(?:es|ic)"), so matching tries
    each position against a trie instead of against every word in turn. ``tails``: a regex that must follow
    a word (none: nothing)."""
    trie = _TrieNode()
    for word in words:
        node = trie
        for ch in word:
            node = node.children.setdefault(ch, _TrieNode())
        node.tail = (tails or {}).get(word, "")

    def walk(node: _TrieNode) -> str:
        branches = [re.escape(ch) + walk(node.children[ch]) for ch in sorted(node.children)]
        if node.tail is not None:
            if not node.tail:
                return "(?:" + "|".join(branches) + ")?" if branches else ""
            branches.append(node.tail)
        if not branches:
            return ""
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return walk(trie)


# A word's characters (letters, digits, apostrophes, hyphens): a word starts after none of them
WORD_CHAR = r"[\w'’\-]"
# A capitalised word of any script written with a capital that \w knows ("Łódź", "O'Neill", "Bastien-Lepage")
CAPITALISED_WORD = r"[^\W\d_a-z][\w'’\-]*"


# A capital letter of any script (re has no \p{Lu}: the class lists the BMP's capitals): "Łódź", "Ålesund", "Çorum"
CAPITAL = "[" + "".join(re.escape(chr(c)) for c in range(0x10000) if chr(c).isupper()) + "]"


def word_start(first: str, not_after: str) -> str:
    """A regex for one character of the class ``first`` that is not right after a character of the class
    ``not_after``: the same as ``(?<!not_after)first``, written the other way round. A pattern that starts
    with a look-behind is tried at every position of the text; one that starts with a character class lets re
    skip straight to the class's characters (a run of capitalised words over the prose share: ~7x less CPU).
    ``first`` must not match a line break (the look-behind's "." does not)."""
    return f"{first}(?<!{not_after}.)"


def words_start(alternatives: Iterable[str], not_after: str) -> str:
    """A regex alternation of ``alternatives`` (regexes, each starting with a plain letter), matched only where
    the character before is not of the class ``not_after``: word_start for each alternative's first letter (an
    alternation whose alternatives all start with a letter lets re skip to those letters)."""
    return "(?:" + "|".join(f"{a[0]}(?<!{not_after}.){a[1:]}" for a in alternatives) + ")"
