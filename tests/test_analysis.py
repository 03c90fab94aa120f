"""scanner.analysis: findings and holdings from detections, special categories and children with masked
evidence (no leaks), the per-object NER budget, full counts, min counts and table columns."""
from __future__ import annotations

import json
from pathlib import Path
from dataclasses import asdict

import pytest

from detectors.engine import ColumnResult, Detection
from detectors.segments import SegmentAnalyser
from scanner import analysis
from scanner.analysis import HoldingBuilder, NerBudget, analyse_segment, masked_snippet
from scanner.model import NAME_RUNS, Segment, SegmentKind
from scanner.privacy import Hasher

SECRET = b"k" * 32
NOTE = """CASE NOTE
Client: Wiktor Superson    DOB: 03/04/2014    NHS number 943 476 5919
Address: 14 Oakfield Road, Leeds LS6 2AB. Email wiktor.superson@gmail.com, mobile 07911 123456.
Wiktor has type 1 diabetes and was referred to CAMHS by Dietlind Dehmel. No history of self-harm.
His father received a police caution last year. The family are Muslim.
"""
RAW_VALUES = ["Wiktor", "Superson", "03/04/2014", "943 476 5919", "Oakfield", "LS6 2AB", "wiktor.superson",
              "07911 123456", "Dietlind", "Dehmel"]


def build(detector, *segments: Segment, **kw):
    builder = HoldingBuilder(Hasher(SECRET), **kw)
    for seg in segments:
        analyse_segment(detector, builder, seg)
    return builder


def prose(text: str, **where) -> Segment:
    return Segment(SegmentKind.PROSE, text=text, where=where or {"line": 1, "offset": 0})


def test_case_note_holding(detector) -> None:
    holding = build(detector, prose(NOTE)).holding()
    assert set(holding.special_categories) == {"health", "criminal_offence", "religion"}
    assert holding.children is True
    assert {"PERSON", "UK_NHS", "DATE_OF_BIRTH", "EMAIL_ADDRESS", "PHONE_NUMBER", "LOCATION"} <= set(holding.entities)
    kinds = {e.kind for e in holding.evidence}
    assert kinds == {"health", "criminal_offence", "religion", "children"}
    for ev in holding.evidence:
        assert ev.where["line"] >= 2 and "offset" in ev.where


def test_evidence_and_findings_never_leak_raw_values(detector) -> None:
    builder = build(detector, prose(NOTE))
    holding = builder.holding()
    dumped = json.dumps([asdict(e) for e in holding.evidence] + [asdict(f) for f in builder.findings()],
                        default=str)
    for raw in RAW_VALUES:
        assert raw not in dumped, raw
    assert "type 1 diabetes" in dumped and "[DATE_OF_BIRTH: age under 18]" in dumped


def test_masked_snippet_keeps_the_term_and_function_words_only() -> None:
    text = "Yesterday Jo Bloggs (07911 123456) said she has asthma and Ali Khan agreed."
    start = text.index("asthma")
    snippet = masked_snippet(text, start, start + len("asthma"))
    assert snippet == "… *** said she has asthma and *** *** *** …"


def test_negated_and_policy_text_give_no_special_categories(detector) -> None:
    policy = ("Privacy notice: we may collect special category data such as health, religion and ethnic origin.\n"
              "Contact the DPO at dpo@charity.org.uk.\n")
    holding = build(detector, prose(policy + "No history of self-harm.\n")).holding()
    assert holding.special_categories == () and holding.children is False
    assert holding.entities.get("EMAIL_ADDRESS") == 1


def test_category_words_without_personal_data_are_not_reported(detector) -> None:
    holding = build(detector, prose("Session plan: talk about asthma and diabetes.\n")).holding()
    assert holding.entities == {} and holding.special_categories == ()


def test_ner_budget_stops_ner_once_names_are_established(ner_names) -> None:
    line = "Sarah Jenkins met Tom Baker in Leeds and Bradford.\n"
    text = line * 800                                  # ~40 KB, one prose segment
    budgeted = build(ner_names, prose(text), budget=NerBudget(established_at=3, max_chars=1_000_000))
    full = build(ner_names, prose(text), full_counts=True)
    assert 3 <= budgeted.counts["PERSON"] < full.counts["PERSON"] == 1600
    assert budgeted.ner_chars < len(text)


FIRST = ["Amelia", "Oliver", "Priya", "Tomasz", "Grace", "Kwame", "Isla", "Yusuf", "Freya", "Callum"]
LAST = ["Okafor", "Brennan", "Kowalski", "Nakamura", "Lindqvist", "Achebe"]
NAMES = [f"{FIRST[i % 10]} {LAST[i // 10]}" for i in range(40)]           # 40 different people


def test_ner_stops_once_names_are_established_but_every_name_is_indexed(ner_names) -> None:
    from scanner.analysis import normalise

    text = "".join(f"0{i % 9 + 1}/03/2024 - Spoke with {name} about the grant.\n" for i, name in enumerate(NAMES))
    budgeted = build(ner_names, prose(text))
    full = build(ner_names, prose(text), full_counts=True)
    assert full.counts["PERSON"] >= len(NAMES)
    assert 3 <= budgeted.counts["PERSON"] < len(NAMES) // 2            # NER read only the first piece
    assert budgeted.ner_chars < len(text) // 2

    def indexed(builder) -> set[str]:
        return {h for kind, h in builder.index() if kind in ("PERSON", NAME_RUNS)}

    # ... but subject search finds every name past what NER read that reading it all with NER finds (inside the
    # piece NER read, NER decides with less context, as on any text: that is not the budget's doing)
    past = [name for name in NAMES if text.index(name) >= budgeted.ner_chars]
    wanted = {budgeted.hasher.value("PERSON", normalise("PERSON", name)) for name in past} & indexed(full)
    assert len(wanted) >= len(NAMES) // 2
    assert wanted <= indexed(budgeted)
    # the candidates are not counted as people: the estimate comes from what NER established
    assert budgeted.subjects_estimate() == len(budgeted.hashes["PERSON"]) < len(NAMES)


def test_name_runs_do_not_change_what_an_object_holds(detector) -> None:
    """Runs are searchable but are not detections: a changed heading past the NER budget must not change the
    holding digest (baseline keys) nor keep PERSON in a holding whose names are all allowlisted."""
    from scanner.baseline import Allowlist, filter_result
    from scanner.model import ObjectRef, ObjectResult, Status, holding_digest

    head = "".join(f"0{i % 9 + 1}/03/2024 - Spoke with {name} about the grant.\n" for i, name in enumerate(NAMES))

    def result(tail: str) -> ObjectResult:
        builder = build(detector, prose(head + tail))
        assert any(kind == NAME_RUNS for kind, _ in builder.index())
        return ObjectResult(ObjectRef(uri="file:///x.txt", container="file:///", key="x.txt"), Status.SCANNED,
                            holding=builder.holding(), index=builder.index())

    # (headings that name no place: "Family Centre" would be a venue, a LOCATION)
    one, two = result("Next Steps: Family Support\n"), result("Later Steps: Youth Work\n")
    assert one.index != two.index and holding_digest(one) == holding_digest(two)
    filtered, _ = filter_result(one, Allowlist.from_mapping({"entities": ["PERSON"]}, "test"))
    assert "PERSON" not in filtered.holding.entities and not filtered.index


def test_listed_given_names_are_counted_past_the_ner_budget(detector) -> None:
    """The given-name rule is not NER: it runs on the whole text, so every "Given Surname" is counted and
    indexed as PERSON although NER stopped after the first piece."""
    text = "".join(f"0{i % 9 + 1}/03/2024 - Spoke with {name} about the grant.\n" for i, name in enumerate(NAMES))
    budgeted = build(detector, prose(text))
    assert budgeted.counts["PERSON"] == len(NAMES) == len(budgeted.hashes["PERSON"])
    assert budgeted.ner_chars < len(text) // 2


def test_budget_never_stops_identifiers(detector) -> None:
    text = ("Sarah Jenkins met Tom Baker in Leeds and York.\n" * 400) + "NHS number 943 476 5919\n"
    builder = build(detector, prose(text))
    assert builder.counts["UK_NHS"] == 1


def test_offsets_and_lines_across_ner_pieces(detector) -> None:
    text = ("filler line without anything\n" * 400) + "Email jo@charity.org.uk\n"
    builder = build(detector, prose(text, line=10, offset=100), examples_per_entity=1)
    (finding,) = builder.findings()
    assert finding.where["line"] == 10 + 400 and finding.where["offset"] == 100 + text.index("jo@")


def test_min_count_from_the_taxonomy(detector, monkeypatch) -> None:
    monkeypatch.setitem(detector.taxonomy.min_counts, "EMAIL_ADDRESS", 2)
    one = build(detector, prose("Email jo@charity.org.uk\n"))
    assert "EMAIL_ADDRESS" not in one.holding().entities and one.findings() == ()
    two = build(detector, prose("Email jo@charity.org.uk and al@charity.org.uk\n"))
    assert two.holding().entities["EMAIL_ADDRESS"] == 2


def test_columns_dob_children_and_special_headers(detector) -> None:
    dob = Segment(SegmentKind.COLUMN, name="date_of_birth", values=("03/04/2014", "12/11/1980", "1/1/1970"),
                  rows=3000, where={"column": "date_of_birth", "first_line": 2})
    eth = Segment(SegmentKind.COLUMN, name="Ethnicity", values=("White British", "Black African", ""), rows=3000,
                  where={"column": "Ethnicity", "first_line": 2})
    names = Segment(SegmentKind.COLUMN, name="full_name", values=("Jane Smith", "Ali Khan", "Bob Jones"),
                    rows=3000, where={"column": "full_name", "first_line": 2})
    holding = build(detector, dob, eth, names).holding()
    assert holding.entities["DATE_OF_BIRTH"] == 3000 and holding.entities["PERSON"] == 3000
    assert holding.children is True and "ethnic_origin" in holding.special_categories
    text = json.dumps([asdict(e) for e in holding.evidence])
    assert "1 of 3 sampled dates of birth under 18" in text
    assert "White British" not in text and "03/04/2014" not in text


class StubDetector(SegmentAnalyser):
    """The two methods other callers' stand-ins provide: analyse_segment must not need more."""

    def analyze(self, text, *, ner=True, context=None):
        i = text.find("@")
        return [Detection("EMAIL_ADDRESS", i - 2, i + 6, 1.0, text[i - 2:i + 6])] if i >= 2 else []

    def classify_column(self, name, values):
        return ColumnResult(None, 0.0, 0, len(values))


def test_works_with_a_minimal_detector() -> None:
    builder = HoldingBuilder(Hasher(SECRET))
    analyse_segment(StubDetector(), builder, prose("to jo@abc.org now"))
    analyse_segment(StubDetector(), builder, Segment(SegmentKind.COLUMN, name="x", values=("1",), rows=1))
    assert builder.holding().entities == {"EMAIL_ADDRESS": 1}


@pytest.mark.parametrize("full", [False, True])
def test_special_evidence_is_capped(detector, full: bool) -> None:
    text = "Client: Jo Bloggs. She has asthma.\n" * 50
    holding = build(detector, prose(text), full_counts=full).holding()
    assert len([e for e in holding.evidence if e.kind == "health"]) == 2


def test_the_real_detector_and_the_stub_implement_the_protocol(detector) -> None:
    """Issue 18 item 4: analyse_segment calls the Protocol's analyse (no getattr/hasattr probing), and what it
    needs to know of the NER budget lives in detectors/ (the piece sizes are not scanner's)."""
    from detectors.protocol import Detector
    assert isinstance(detector, Detector) and isinstance(StubDetector(), Detector)
    assert dict(detector.min_counts) == dict(detector.taxonomy.min_counts)
    source = Path(analysis.__file__).read_text(encoding="utf-8")
    assert "getattr(detector" not in source and "hasattr(detector" not in source
    assert "PIECE_CHARS" not in source and "line_cut" not in source
    calls = {m for m in ("analyze(", "classify_column(", "special_hits(", "child_signals(", "name_candidates(")
             if f"detector.{m}" in source}
    assert calls == set()


def test_a_name_and_its_parts_are_one_person_in_the_estimate() -> None:
    builder = HoldingBuilder(Hasher(SECRET))
    names = ["Kai Robinson", "Kai", "Mr Robinson", "Mr Kai Robinson", "Ruby-Mae Thompson", "Ruby", "Leanne",
             "Dean Fletcher"]
    text = " ".join(names)
    at = 0
    detections = []
    for name in names:
        start = text.index(name, at)
        detections.append(Detection("PERSON", start, start + len(name), 0.9, name))
        at = start + len(name)
    builder.add_prose(prose(text), detections)
    # Kai Robinson (four ways), Ruby-Mae Thompson (two), Leanne, Dean Fletcher
    assert builder.subjects_estimate() == 4
    assert builder.holding().entities == {"PERSON": len(names)}        # every mention is still counted
    assert len(builder.hashes["PERSON"]) == len(names)                  # and every name indexed
