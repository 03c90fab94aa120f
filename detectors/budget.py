"""How much NER one object gets (the detector's cost model; the scanner only keeps count against it)."""
from __future__ import annotations

from dataclasses import dataclass

FIRST_PIECE_CHARS = 1000     # the first prose handed to NER; each next piece is twice as long ...
PIECE_CHARS = 8000           # ... up to this, while the budget lasts


@dataclass(frozen=True)
class NerBudget:
    """How much NER one object gets: stop once PERSON is established or the chars are spent.

    Pattern identifiers (and postcodes and street addresses) are always counted in full; NER's PERSON and
    LOCATION counts are then lower bounds. The rest of the prose still goes into the subject index, as
    runs of capitalised words (``NameRules.candidates``), so a name search is not cut short by the budget.
    --full-counts (ScanSettings.full_counts) switches the budget off."""

    established_at: int = 3           # this many of an entity in one object establishes it
    max_chars: int = 200_000          # prose chars given to NER per object
