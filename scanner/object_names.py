"""Personal data in the names of objects and folders, and of columns, sheets and tables: found by the detector's
patterns and rules, masked in what a scan shows, and counted or indexed like the contents.

A file named ``jane.doe@example.com.txt``, ``AB123456C_payslip.pdf`` or ``Olivia Bennett - case notes.docx``
holds personal data in its name. Reports, logs, baselines and subject packs show such an object as its *shown
URI*: the URI with each value found in a path component masked as findings are (``j***@e***.com``,
``*******6C``, ``O*** B***``). The raw URI stays what the scan opens; the store keeps a keyed token in its place
and the raw URI sealed (scanner.store). ``--show-values`` shows raw URIs.

Identifiers found in a name count in the object's holding (``where: {"object_name": true}``); a person's name
in a file name is indexed for ``subject --name`` but not counted (like prose NER did not read: "Jordan
Holidays.pptx" must not make a holding). Place names are neither masked nor counted: "London office.xlsx".
"""
from __future__ import annotations

import codecs
import functools
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from scanner.privacy import mask

if TYPE_CHECKING:
    from detectors.engine import Detection
    from scanner.model import ObjectRef

SHOWN_URI = "shown_uri"                  # ObjectRef.facts key: the URI with the values in its names masked
SHOWN_KEY = "shown_key"                  # ... and the key (path in its container) so masked
SHOWN_FACTS = "shown_facts"              # ... and the listing's facts so masked (the store keeps these)
OWN_FACTS = (SHOWN_URI, SHOWN_KEY, SHOWN_FACTS)
NOT_MASKED = frozenset({"LOCATION"})     # place names in file names are not personal data on their own
NOT_COUNTED = frozenset({"LOCATION", "PERSON"})
NAME_RUN_SCORE = 0.4                     # a probable name read without NER (never counted)
CACHE_SIZE = 8192                        # path components remembered per process (folders repeat)

# NOTE: a component is read only when it could hold something: an e-mail's @, nine digits (phones, NHS and
# social security numbers, IBANs, cards), capitals before six digits (a NINO, a passport), or two capitalised
# words (a name). Most file names ("note000123.txt", "report 2024-03-12.docx") pass unread.
_MAYBE = re.compile(r"@|\d(?:[ .-]?\d){8}|[A-Z]\d{6}")
_EXTENSION = re.compile(r"\.([A-Za-z][A-Za-z0-9]{0,5})$")
_COMPONENT = re.compile(r"[^/!]+")
_HEX = re.compile(r"%[0-9A-Fa-f]{2}")
_WORD_SPAN = re.compile(r"[^\s,]+")


@runtime_checkable
class NameDetector(Protocol):
    """What reading object names needs of a detector: its patterns and rules without NER. Optional: a detector
    without ``analyze`` leaves names unread (and unmasked)."""

    def analyze(self, text: str, *, ner: bool = True, context: str | None = None) -> list[Detection]: ...


@runtime_checkable
class NameRunDetector(Protocol):
    """Optional too: runs of capitalised words that are probably a person's name, read without NER
    (``detectors.engine.Detector.probable_names``): "Cornelius Ashdown - appraisal.docx"."""

    def probable_names(self, text: str) -> set[str]: ...


@dataclass(frozen=True)
class NameHit:
    entity: str
    start: int                  # offsets in the object's key (decoded, as the connector gives it)
    end: int
    detection: Detection


def readable(component: str, extension: bool = True) -> str:
    """A path component as text the rules read, character for character (offsets stay valid): underscores
    and (``extension``) the extension's dot become spaces (``AB123456C_payslip.pdf`` → ``AB123456C payslip pdf``)."""
    text = component.replace("_", " ")
    if not text.isascii():
        # NOTE: a byte that is not UTF-8 (surrogate-escaped by the OS layer) read as Latin-1: "Jos\udce9" → "José"
        text = "".join(chr(ord(c) - 0xDC00) if 0xDC80 <= ord(c) <= 0xDCFF else c for c in text)
    ext = _EXTENSION.search(text) if extension else None
    if ext:
        text = text[:ext.start()] + " " + text[ext.start() + 1:]
    return text


class ObjectNames:
    """Finds personal data in object keys, one path component at a time (cached: a folder's name is read once)."""

    def __init__(self, detector: object):
        self.detector = detector if isinstance(detector, NameDetector) else None
        self.runs = detector if isinstance(detector, NameRunDetector) else None
        self._component = functools.lru_cache(maxsize=CACHE_SIZE)(self._read_component)

    def hits(self, key: str) -> list[NameHit]:
        if self.detector is None or not key:
            return []
        # NOTE: a name's bytes that are not UTF-8 come percent-encoded (model.shown_name: "Jos%E9 Ortega.txt"):
        # read decoded, the offsets given back in ``key``
        decoded, raw_at = _decode(key) if "%" in key else (key, None)
        out: list[NameHit] = []
        for m in _COMPONENT.finditer(decoded):
            for entity, start, end, d in self._component(m.group()):
                start, end = m.start() + start, m.start() + end
                if raw_at is not None:
                    start, end = raw_at[start], raw_at[end]
                out.append(NameHit(entity, start, end, d))
        return out

    def _read_component(self, component: str) -> tuple[tuple[str, int, int, Detection], ...]:
        text = readable(component)
        if self.detector is None or not (_MAYBE.search(text) or _two_capitalised(text)):
            return ()
        found = [d for d in self.detector.analyze(text, ner=False) if d.entity not in NOT_MASKED]
        whole = readable(component, extension=False)
        if "@" in text and whole != text:
            # NOTE: "kwame@example.org" (a column header) ends in what looks like an extension: read it as it is too
            found += [d for d in self.detector.analyze(whole, ner=False)
                      if d.entity not in NOT_MASKED and not any(o.start < d.end and d.start < o.end for o in found)]
        if self.runs is not None:
            found += self._name_runs(text, found)
        return tuple((d.entity, d.start, d.end, d) for d in map(_without_document_words, found))

    def _name_runs(self, text: str, found: list[Detection]) -> list[Detection]:
        """Probable names the rules did not find (their given name is not listed), as PERSON: masked, indexed
        for name searches, never counted."""
        from detectors.engine import Detection

        out: list[Detection] = []
        for phrase in sorted(self.runs.probable_names(text) if self.runs else (), key=len, reverse=True):
            start = text.find(phrase)
            while start >= 0:
                end = start + len(phrase)
                if not any(d.start < end and start < d.end for d in (*found, *out)):
                    out.append(Detection("PERSON", start, end, NAME_RUN_SCORE, phrase, "ObjectName"))
                start = text.find(phrase, end)
        return out

    def masked(self, text: str) -> str:
        """``text`` (a column, sheet or table name) with the values found in it masked."""
        hits = self.hits(text)
        if not hits:
            return text
        out, at = [], 0
        for h in sorted(hits, key=lambda h: h.start):
            if h.start >= at:
                out += [text[at:h.start], mask(h.entity, text[h.start:h.end])]
                at = h.end
        return "".join(out) + text[at:]

    def named(self, ref: ObjectRef, show_values: bool = False) -> ObjectRef:
        """``ref`` with its shown URI in its facts when its names hold personal data (and no stale one)."""
        hits = [] if show_values else self.hits(ref.key)
        facts = ref.facts
        if not hits:
            if SHOWN_URI not in facts:
                return ref
            return replace(ref, facts={k: v for k, v in facts.items() if k not in OWN_FACTS})
        masks = {_decode(ref.key[h.start:h.end])[0]: mask(h.entity, h.detection.text) for h in hits}
        # NOTE: a mask's spaces are percent-encoded as the rest of the URI is ("O*** B***" → "O***%20B***")
        space = " " if " " in ref.uri else "%20"
        in_uri = {value: shown.replace(" ", space) for value, shown in masks.items()}
        # NOTE: the listing's facts name the object's folders too ({"folders": [{"path": "HR/Olivia Bennett"}]}):
        # a masked copy is what the store keeps; the facts themselves stay as they are (opening reads "path")
        kept = {k: v for k, v in facts.items() if k not in OWN_FACTS}
        return replace(ref, facts={**kept, SHOWN_URI: masked_uri(ref.uri, in_uri),
                                   SHOWN_KEY: masked_uri(ref.key, masks),
                                   SHOWN_FACTS: {k: _masked(v, masks) for k, v in kept.items()}})


@functools.cache
def _document_words() -> frozenset[str]:
    from detectors.lexicon import read_lexicon

    return frozenset(str(w).lower() for w in read_lexicon("object_names.yaml", {"document_words": list})
                     .get("document_words", []))


def _without_document_words(d: Detection) -> Detection:
    """A person's name in a file name without the words after it that say what the file is ("Olivia Bennett CV"
    → "Olivia Bennett"): the file's kind stays readable. Its first word always stays."""
    if d.entity != "PERSON":
        return d
    words = list(_WORD_SPAN.finditer(d.text))
    keep = len(words)
    while keep > 1 and words[keep - 1].group().lower() in _document_words():
        keep -= 1
    if keep == len(words):
        return d
    cut = words[keep - 1].end()
    return replace(d, end=d.start + cut, text=d.text[:cut])


def _two_capitalised(text: str) -> bool:
    """Two words in a row, the first capitalised, the second starting with a capital, in any script
    ("Olivia Bennett", "Łukasz Żak", "Smith, John")."""
    words = text.replace(",", " ").split()
    return any(a[:1].isupper() and a[1:2].islower() and b[:1].isupper() for a, b in itertools.pairwise(words))


def _masked(value: object, masks: Mapping[str, str]) -> object:
    """A fact (strings, mappings, lists) with each raw value in its strings masked, however percent-encoded."""
    if isinstance(value, str):
        return masked_uri(value, masks) if value else value
    if isinstance(value, Mapping):
        return {k: _masked(v, masks) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_masked(v, masks) for v in value)
    return value


def shown_uri(ref: ObjectRef) -> str:
    """The URI every output shows for ``ref``."""
    shown = ref.facts.get(SHOWN_URI)
    return shown if isinstance(shown, str) else ref.uri


def masked_uri(uri: str, values: Mapping[str, str]) -> str:
    """``uri`` with each occurrence of a key of ``values`` (raw text, as decoded) replaced by its mask, whether
    the URI spells it as it is or percent-encoded (``jane.doe%40example.com``, ``Olivia%20Bennett``)."""
    decoded, raw_at = _decode(uri)
    cuts: list[tuple[int, int, str]] = []
    for value in sorted(values, key=len, reverse=True):
        start = decoded.find(value)
        while start >= 0 and value:
            end = start + len(value)
            if not any(s < end and start < e for s, e, _ in cuts):
                cuts.append((start, end, values[value]))
            start = decoded.find(value, end)
    out, at = [], 0
    for start, end, shown in sorted(cuts):
        out.append(uri[at:raw_at[start]])
        out.append(shown)
        at = raw_at[end]
    out.append(uri[at:])
    return "".join(out)


def _decode(uri: str) -> tuple[str, list[int]]:
    """``uri`` percent-decoded (UTF-8), and for each decoded character the offset in ``uri`` where it starts
    (one more entry: the end)."""
    chars: list[str] = []
    starts: list[int] = []
    i = 0
    while i < len(uri):
        if not _HEX.match(uri, i):
            chars.append(uri[i])
            starts.append(i)
            i += 1
            continue
        # NOTE: bytes that are not UTF-8 as the OS layer gives them in keys (surrogate-escaped: "Jos%E9")
        decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
        begin = i
        while _HEX.match(uri, i):
            text = decoder.decode(bytes([int(uri[i + 1:i + 3], 16)]))
            i += 3
            for ch in text:
                chars.append(ch)
                starts.append(begin)
            if text:
                begin = i
        tail = decoder.decode(b"", final=True)
        for ch in tail:
            chars.append(ch)
            starts.append(begin)
    starts.append(len(uri))
    return "".join(chars), starts

