"""The typed report: built once, from a scan's outcome or a stored run, with the facts every format derives from
it defined here once (has personal data, completeness, what counts toward --fail-on, severity order).

``document`` is the report body as the JSON format writes it (schema pii-scan/report@1); renderers, baselines and
diff read the Report and its facts rather than working them out again.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from scanner.model import SEVERITY_ORDER, ScanOutcome, Severity, personal_data

__all__ = ["Report", "SEVERITY_ORDER", "has_personal", "counts_toward_fail_on"]


def has_personal(o: Mapping[str, Any]) -> bool:
    """Whether a report object holds personal data (the rule of scanner.model.personal_data)."""
    return personal_data(o.get("entities"), o.get("special_categories"), o.get("children"))


def counts_toward_fail_on(v: Mapping[str, Any]) -> bool:
    """A violation counts toward --fail-on unless a baseline marked it unchanged."""
    return v.get("baseline") != "unchanged"


@dataclass(frozen=True)
class Report:
    document: Mapping[str, Any]

    @classmethod
    def from_outcome(cls, outcome: ScanOutcome, baseline: Mapping[str, Any] | None = None) -> Report:
        """The report of a scan (or of a stored run's outcome), marked against ``baseline`` when given."""
        from scanner.baseline import annotate
        from scanner.reports.json_report import build_document

        doc = build_document(outcome)
        return cls(annotate(doc, baseline) if baseline is not None else doc)

    @classmethod
    def from_document(cls, doc: Mapping[str, Any]) -> Report:
        """A report read back (a JSON report file)."""
        return cls(doc)

    def with_baseline(self, baseline: Mapping[str, Any]) -> Report:
        from scanner.baseline import annotate

        return Report(annotate(self.document, baseline))

    @property
    def objects(self) -> list[dict[str, Any]]:
        return list(self.document.get("objects", ()))

    @property
    def violations(self) -> list[dict[str, Any]]:
        """In the one violation order (scanner.model.violation_order), as the document holds them."""
        return list(self.document.get("violations", ()))

    @cached_property
    def personal(self) -> list[dict[str, Any]]:
        """The objects holding personal data."""
        return [o for o in self.objects if has_personal(o)]

    @cached_property
    def counting(self) -> list[dict[str, Any]]:
        """The violations that count toward --fail-on: all, or only the new ones when a baseline was applied."""
        return [v for v in self.violations if counts_toward_fail_on(v)]

    def fails_on(self, threshold: Severity | None) -> bool:
        """Whether a counting violation is at or above ``threshold``."""
        return threshold is not None and any(Severity(v["severity"]).rank >= threshold.rank for v in self.counting)

    @cached_property
    def completeness(self) -> dict[str, Any]:
        """complete / incomplete (and why), with the objects scanned out of the total and that as a percentage."""
        s = self.document.get("summary", {})
        state = dict(s.get("completeness") or {"status": "complete" if s.get("complete", True) else "incomplete",
                                               "why": None})
        cov = s.get("coverage", {})
        total = cov.get("objects", 0)
        state["scanned"] = cov.get("scanned", {}).get("objects", 0)
        state["total"] = total
        state["percent"] = round(100 * state["scanned"] / total) if total else 100
        return state
