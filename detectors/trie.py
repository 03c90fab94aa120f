"""A regex that matches exactly a set of words, shaped as their prefix tree: re tries a flat alternation of
hundreds of words one by one at every position, a trie-shaped one a character at a time."""
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
