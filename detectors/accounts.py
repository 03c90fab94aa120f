"""Whose account a social-media handle is: a person's (an online identifier, so personal data: USERNAME) or an
organisation's, a medium's, a venue's or an event's ("@BBCNews", "@ITVLondon", "@Corks96FM"), which is not."""
from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

# Words written run together (a handle, a hashtag): capitalised or lower-case runs, runs of capitals (an acronym
# before a capitalised word: "BBCNews" -> bbc, news), digits; underscores split too
_PART = re.compile(r"[A-Z]{2,}(?=[A-Z][a-z]|[\d_]|$)|[A-Z]?[a-z]+|[A-Z]+|\d+")


# A handle of capitals alone, as short as an acronym
_ACRONYM = re.compile(r"[A-Z]{2,6}")


def joined_words(joined: str) -> list[str]:
    """The words of a handle or hashtag written run together, lower case ("@ITVLondon" -> ["itv", "london"],
    "@jsmith_84" -> ["jsmith", "84"], "BreakingNews" -> ["breaking", "news"])."""
    return [w.lower() for w in _PART.findall(joined.lstrip("@#"))]


@dataclass(frozen=True)
class Accounts:
    """``organisation(handle)``: an acronym (two to six capitals alone), or a handle holding an account word
    (configs/lexicons/ner.yaml account_words) or an organisation word, and no listed given name. NOTE: a place
    in a handle is no sign (dev halves: "@IrelandWalking" is an account, "@AustinMahone" a person; counting
    places changed nothing but lost persons' handles)."""

    words: frozenset[str]                      # account and organisation words, lower case
    given: frozenset[str]                      # listed given names, lower case
    dictionary: frozenset[str] = frozenset()   # English words, lower case: what a lower-case run is split into

    @classmethod
    def of(cls, account_words: Iterable[str], org_words: Iterable[str], given: Iterable[str],
           dictionary: frozenset[str] = frozenset()) -> Accounts:
        return cls(frozenset(str(w).lower() for w in (*account_words, *org_words)), frozenset(given), dictionary)

    def organisation(self, handle: str) -> bool:
        if _ACRONYM.fullmatch(handle.lstrip("@")):
            return True                        # "@NSPCC", "@AP", "@PETA": an acronym names a body, not a person
        words = joined_words(handle)
        whole = "".join(w for w in words if not w.isdigit())
        if whole in self.words:
            return True                        # "@YouTube", "@eBay": a platform's or a body's own account
        if self.dictionary:
            words = [part for w in words for part in ([w] + self.split(w))]
        if any(len(w) >= 3 and w in self.given for w in words):
            return False                       # "@KateGreenSU", "@harry_styles": a person's
        return any(w in self.words for w in words)

    def split(self, run: str) -> list[str]:
        """split_words(run, self.dictionary)."""
        return list(split_words(run, self.dictionary))


@functools.lru_cache(maxsize=4096)
def split_words(run: str, dictionary: frozenset[str]) -> tuple[str, ...]:
    """A run of letters as the fewest English words (``dictionary``) of three letters or more that make it up,
    at most three ("irishtimes" -> ("irish", "times"), "radiodisney" -> ("radio", "disney")), or () when none
    do. NOTE: not two-letter words: the dictionary's abbreviations split a name into anything ("colbie" ->
    "co", "lb", "ie"). Cached: handles and hashtags recur across an estate's posts."""
    if len(run) < 6 or not run.isalpha() or run in dictionary:
        return ()
    best: list[list[str] | None] = [[]] + [None] * len(run)     # best[i]: the fewest words making run[:i]
    for end in range(3, len(run) + 1):
        for start in range(max(0, end - 20), end - 2):
            head = best[start]
            if head is not None and run[start:end] in dictionary and (
                    best[end] is None or len(head) + 1 < len(best[end] or ())):
                best[end] = head + [run[start:end]]
    found = best[-1] or []
    return tuple(found) if len(found) <= 3 else ()
