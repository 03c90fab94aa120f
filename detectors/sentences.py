"""Where a candidate's context ends: its sentence, its line of a form, its paragraph.

Context words (a label, a negative word) only count inside the same sentence as the value: a label
never reaches across a sentence end or a blank line, so one identifier's label ("NHS number …. Mum can be
reached on …") never raises or lowers the next identifier. A single line break ends the context when the
line before it is complete (it ends a sentence, or already holds a value: a digit or "label: value");
a wrapped line of prose ("her date of birth is⏎3 March 1985") or a label on its own line ("Phone:⏎…")
keeps it.
"""

from __future__ import annotations

import re

# A full stop, ! or ? (and closing quotes/brackets) followed by white space.
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*(?=\s)")
_ANY_END = re.compile(r"[.!?\n]")
_BLANK_LINE = re.compile(r"\n[ \t\r]*\n")
_WORD_BEFORE = re.compile(r"([A-Za-z/]+)\.?$")
# Words that end in a full stop without ending the sentence ("passport no. X", "Dr. Shah", "tel. 0151 …").
ABBREVIATIONS = frozenset(
    ["no", "nos", "nr", "num", "ref", "refs", "tel", "mob", "ph", "fax", "dob", "mr", "mrs", "ms", "mx", "dr", "prof", "st", "rd", "ave", "acc", "acct", "a/c", "approx", "ext", "inc", "ltd", "co", "corp", "vs", "cf", "fig", "art", "sec", "para", "vol", "pp", "p", "ed", "dept", "govt", "univ", "ph.d", "jr", "sr"]
)


def _is_sentence_end(text: str, dot: int) -> bool:
    """Whether the punctuation at text[dot] ends a sentence (not an abbreviation or an initial)."""
    if text[dot] != ".":
        return True
    word = _WORD_BEFORE.search(text, max(0, dot - 12), dot)
    if word is None:
        # "1978." ends a sentence; "5." in "Art. 5. " would too: fine.
        return dot > 0 and not text[dot - 1].isspace()
    token = word.group(1)
    if len(token) == 1:
        return False                          # an initial: "J. Smith", "d.o.b."
    return token.lower() not in ABBREVIATIONS


def _line_complete(line: str) -> bool:
    stripped = line.rstrip()
    if not stripped:
        return True
    if stripped[-1] in ".!?;":
        return True
    if stripped.endswith(":"):
        return False                          # a label waiting for its value on the next line
    return any(ch.isdigit() for ch in stripped) or ":" in stripped


def clip_before(before: str) -> str:
    """The end of ``before`` that lies in the same sentence as what follows it."""
    if not _ANY_END.search(before):
        return before
    cut = 0
    blanks = list(_BLANK_LINE.finditer(before))
    if blanks:
        cut = blanks[-1].end()
    for m in _SENTENCE_END.finditer(before, cut):
        if _is_sentence_end(before, m.start()):
            cut = max(cut, m.end())
    newline = before.rfind("\n", cut)
    while newline >= cut:
        line_start = before.rfind("\n", cut, newline) + 1
        if _line_complete(before[max(cut, line_start):newline]):
            cut = newline + 1
            break
        newline = before.rfind("\n", cut, newline)
    return before[cut:]


def clip_after(after: str) -> str:
    """The start of ``after`` that lies in the same sentence (and line) as what precedes it."""
    if not _ANY_END.search(after):
        return after
    end = len(after)
    newline = after.find("\n")
    if newline >= 0:
        end = newline
    for m in _SENTENCE_END.finditer(after, 0, end):
        if _is_sentence_end(after, m.start()):
            return after[: m.start()]
    return after[:end]
