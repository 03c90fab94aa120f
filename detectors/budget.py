"""How much work one object gets from the detector (its cost model); the scanner only keeps count against it."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

FIRST_PIECE_CHARS = 1000     # the first prose handed to NER; each next piece is twice as long ...
PIECE_CHARS = 8000           # ... up to this, while the budget lasts
EVIDENCE_PER_KIND = 2        # special-category evidence an object needs before the detector stops looking for more


@dataclass(frozen=True)
class NerBudget:
    """How much NER one object gets: stop once PERSON is established or the chars are spent.

    Pattern identifiers (and postcodes and street addresses) are always counted in full; NER's PERSON and
    LOCATION counts are then lower bounds. The rest of the prose still goes into the subject index, as
    runs of capitalised words (``NameRules.candidates``), so a name search is not cut short by the budget.
    --full-counts (ScanSettings.full_counts) switches the budget off."""

    established_at: int = 3           # this many of an entity in one object establishes it
    max_chars: int = 200_000          # prose chars given to NER per object


@dataclass(frozen=True)
class Budget:
    """What the detector may spend on an object's next segment, from what the object has used and holds so far.

    The scanner builds one before each segment from its counts; the detector reads it and says in its
    ``SegmentAnalysis`` what it spent (``ner_chars``) and where the budget stopped NER (``ner_cut``)."""

    limits: NerBudget = field(default_factory=NerBudget)
    unlimited: bool = False               # --full-counts: NER reads everything, no search stops early
    ner_chars: int = 0                    # prose chars NER has read in this object
    persons: int = 0                      # PERSON counted in this object
    evidence: Mapping[str, int] = field(default_factory=dict)   # special-category evidence kept, per category
    children: bool = False                # children's evidence kept already

    def wants_ner(self, chars: int, spent: int = 0, persons: int = 0) -> bool:
        """Whether the next ``chars`` of prose go through NER, after ``spent`` more chars that found ``persons``
        more PERSON in this segment (always when unlimited)."""
        if self.unlimited:
            return True
        if self.established(persons):
            return False
        used = self.ner_chars + spent
        return used + chars <= self.limits.max_chars or used == 0

    def established(self, persons: int = 0) -> bool:
        """Whether PERSON is established in the object, with ``persons`` more found in this segment."""
        return self.persons + persons >= self.limits.established_at

    def special_done(self, category: str, more: int = 0) -> bool:
        """Whether a category has enough evidence (with ``more`` from this segment) to stop looking for it
        (never when unlimited)."""
        return not self.unlimited and self.evidence.get(category, 0) + more >= EVIDENCE_PER_KIND

    def wants_children(self) -> bool:
        """Whether to look for children's signals: until the object has some (always when unlimited)."""
        return self.unlimited or not self.children
