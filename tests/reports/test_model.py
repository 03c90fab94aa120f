"""The facts the typed Report defines once (issue 18 item 3): each renderer, baseline and diff reads them from here."""
from __future__ import annotations

import dataclasses
import json

from scanner.baseline import create_baseline
from scanner.model import SEVERITY_ORDER, Severity, SourceFailure, Status
from scanner.reports import Format, render
from scanner.reports.model import Report, Shared, worst
from tests.reports.helpers import sample_outcome


def test_has_personal_data_is_an_entity_a_special_category_or_children(tmp_path):
    report = Report.from_outcome(sample_outcome(tmp_path / "s"))
    by_key = {o.uri.rsplit("/", 1)[-1]: o for o in report.objects}
    assert by_key["staff.csv"].has_personal                        # entities
    assert not by_key["logo.bin"].has_personal and not by_key["locked.txt"].has_personal
    only_special = dataclasses.replace(by_key["logo.bin"], special_categories=("health",))
    only_children = dataclasses.replace(by_key["logo.bin"], children=True)
    assert only_special.has_personal and only_children.has_personal
    assert [o.uri for o in report.personal] == [o.uri for o in report.objects if o.entities]
    assert report.summary.with_personal_data == len(list(report.personal)) == 4


def test_completeness_complete_partial_incomplete(tmp_path):
    outcome = sample_outcome(tmp_path / "s")
    partial = Report.from_outcome(outcome)                         # one object failed
    assert partial.completeness == {"status": "partial", "why": "1 object(s) could not be read", "scanned": 4,
                                    "total": 6, "percent": 67}
    assert partial.complete                                        # every named source was read
    incomplete = Report.from_outcome(sample_outcome(tmp_path / "s", failures=True))
    assert incomplete.completeness["status"] == "incomplete" and not incomplete.complete
    ok = Report.from_outcome(dataclasses.replace(outcome, results=tuple(r for r in outcome.results
                                                                        if r.status is not Status.FAILED)))
    assert ok.completeness["status"] == "complete" and ok.completeness["why"] is None
    empty = Report.from_outcome(dataclasses.replace(outcome, results=(), source_failures=()))
    assert empty.completeness["percent"] == 100 and empty.completeness["total"] == 0


def test_violations_are_ordered_most_severe_first_then_rule_target_message(tmp_path):
    outcome = sample_outcome(tmp_path / "s", extra_violation=True)
    report = Report.from_outcome(dataclasses.replace(outcome, violations=outcome.violations[::-1]))
    keys = [(-v.severity.rank, v.rule, v.target, v.message) for v in report.violations]
    assert keys == sorted(keys) and report.violations[0].severity is Severity.CRITICAL
    assert report.violations == Report.from_outcome(outcome).violations
    assert SEVERITY_ORDER == ("critical", "high", "medium", "low")
    assert list(report.violations_by_severity) == list(SEVERITY_ORDER)
    assert report.violations_by_severity == {"critical": 1, "high": 3, "medium": 0, "low": 1}


def test_what_counts_toward_fail_on_with_and_without_a_baseline(tmp_path):
    old = Report.from_outcome(sample_outcome(tmp_path / "s"))
    now = sample_outcome(tmp_path / "s", extra_violation=True)
    plain = Report.from_outcome(now)
    assert plain.counting == plain.violations and plain.fails_on(Severity.CRITICAL)
    assert not plain.fails_on(None)                                # no --fail-on: findings never fail
    marked = Report.from_outcome(now, create_baseline(old))
    assert [v.rule for v in marked.counting] == ["minimisation.payment_card_no_purpose"]
    assert all(not v.counts_toward_fail_on for v in marked.violations if v.baseline == "unchanged")
    assert marked.fails_on(Severity.HIGH) and not marked.fails_on(Severity.CRITICAL)
    assert marked.worst_counting is Severity.HIGH and plain.worst_counting is Severity.CRITICAL
    assert worst(()) is None
    assert marked.baseline is not None and marked.baseline.new == {"critical": 0, "high": 1, "medium": 0, "low": 0}


def test_the_summary_is_worked_out_once_and_read_back_unchanged(tmp_path):
    report = Report.from_outcome(sample_outcome(tmp_path / "s", failures=True))
    s = report.summary
    assert s.objects == len(report.objects) == 6
    assert s.entities == {"CREDIT_CARD": 2, "EMAIL_ADDRESS": 3, "PERSON": 5, "PHONE_NUMBER": 1, "UK_NHS": 1}
    assert s.coverage["failed"] == {"objects": 1, "bytes": 50, "reasons": {"permission denied": 1},
                                    "reason_bytes": {"permission denied": 50}}
    assert s.coverage["objects"] == sum(s.coverage[st.value]["objects"] for st in Status)
    assert report.source_failures == (SourceFailure("s3://gone-bucket", "bucket does not exist"),)
    read = Report.from_document(json.loads(render(Format.JSON, report)))
    assert tuple(read.objects) == tuple(report.objects)           # the JSON file holds the whole typed report
    assert dataclasses.replace(read, objects=()) == dataclasses.replace(report, objects=())


def test_a_stored_run_streams_its_objects_and_renders_as_its_outcome_does(tmp_path):
    """Issue 16 item 4: a stored run's report reads its objects from the store on each pass (none held), and every
    format of it is the report of the same outcome built in memory."""
    from scanner.app import StoredObjects, stored_report
    from scanner.store import Store

    outcome = sample_outcome(tmp_path / "s")
    outcome = dataclasses.replace(outcome, results=tuple(
        dataclasses.replace(r, findings=tuple(dataclasses.replace(f, value=None) for f in r.findings))
        for r in outcome.results))                                 # a stored run never shows raw values
    with Store(tmp_path / "s.db") as store:
        run, _ = store.begin_run(outcome.run, "fp", "k")
        store.add_units(run.id, "fp", [[r] for r in outcome.results])
        store.finish_run(outcome)
        stored = stored_report(store, run.id)
    assert isinstance(stored.objects, StoredObjects) and len(stored.objects) == len(outcome.results)
    assert list(stored.objects) == list(stored.objects)            # read again on each pass
    in_memory = Report.from_outcome(outcome)
    for fmt in Format:
        assert render(fmt, stored) == render(fmt, in_memory)


def test_shared_values_are_one_object_and_only_when_equal() -> None:
    share = Shared()
    folder = {"mode": "0755", "others": "r-x", "path": "a00"}
    a = share({"access": {"folders": [dict(folder)]}, "entities": {"PERSON": 1}, "message": "m" * 3})
    b = share({"access": {"folders": [dict(folder)]}, "entities": {"PERSON": 1}, "message": "".join(["mm", "m"])})
    assert a == b and a is b
    assert share({"n": 1}) is not share({"n": True}) and share({"n": True}) == {"n": True}
    assert share({"n": 10_000}) != share({"n": 10_001})
    assert share({"x": [1, 2]}) == {"x": [1, 2]} and share({"x": [2, 1]}) == {"x": [2, 1]}


def test_a_reports_violations_share_their_repeated_texts_and_evidence(tmp_path) -> None:
    outcome = sample_outcome(tmp_path / "share")
    v = outcome.violations[0]
    copies = [dataclasses.replace(v, target=f"{v.target}-{i}", message=(v.message + "!")[:-1],      # equal, not the same object
                                  evidence=json.loads(json.dumps({"folders": [{"path": "a"}], "n": 3})))
              for i in range(3)]
    report = Report.from_outcome(dataclasses.replace(outcome, violations=(*outcome.violations, *copies)))
    mine = [r for r in report.violations if r.target.startswith(f"{v.target}-")]
    assert len(mine) == 3
    assert mine[0].evidence == {"folders": [{"path": "a"}], "n": 3}
    assert mine[0].evidence is mine[1].evidence is mine[2].evidence
    assert mine[0].message is mine[1].message
