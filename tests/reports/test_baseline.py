"""Baselines: keys stable under re-ordering and re-scans; CI fails only on new violations at --fail-on."""
from __future__ import annotations

import dataclasses
import json
import os
import subprocess

import pytest

from scanner.baseline import (
    Allowlist,
    allowlist_rules,
    annotate,
    apply_allowlist,
    create_baseline,
    key_id,
    load_baseline,
    reapply_allowlist,
    report_keys,
)
from scanner.errors import ConfigError, UsageError
from scanner.model import Severity, Status
from scanner.reports.json_report import to_document
from scanner.reports.model import Report
from tests.reports.helpers import sample_outcome

CONFIG = """\
onprem:
  - match: "file://*"
    country: GB
purposes:
  - match: "file://*"
    purpose: exported dataset for analysis
    entities: "*"
    payment: false
"""
PAYMENTS = ["name,email,card_number", "Jane Whitfield,jane.whitfield@example.org,5555 5555 5555 4444",
            "Tom Hale,tom.hale@example.com,4012 8888 8888 1881", "Amy Lee,amy.lee@example.net,4000 0566 5566 5556"]


# -- pure functions ---------------------------------------------------------------------------------------------

def test_keys_ignore_order_and_depend_on_evidence(tmp_path):
    outcome = sample_outcome(tmp_path / "s")
    report = Report.from_outcome(outcome)
    reordered = Report.from_outcome(dataclasses.replace(outcome, violations=outcome.violations[::-1],
                                                        results=outcome.results[::-1]))
    assert sorted(report_keys(report)) == sorted(report_keys(reordered))
    base = create_baseline(report, "k1")
    assert create_baseline(reordered, "k1") == base                         # byte-stable, no timestamps
    assert all(v.baseline == "unchanged" for v in annotate(report, base).violations)
    # a new value in the same object makes its violations new (not "same file, same line, still suppressed")
    obj = next(o for o in report.objects if o.uri.endswith(".txt") and o.entities)
    changed = dataclasses.replace(report, objects=tuple(dataclasses.replace(o, digest="0" * 32) if o.uri == obj.uri else o
                                                        for o in report.objects))
    states = {v.target: v.baseline for v in annotate(changed, base).violations}
    assert states[obj.uri] == "new"
    assert states["s3://cxk-backup"] == "unchanged"


def test_new_violations_feed_fail_on(tmp_path):
    old = sample_outcome(tmp_path / "s")
    now = sample_outcome(tmp_path / "s", extra_violation=True)
    base = create_baseline(Report.from_outcome(old))
    report = Report.from_outcome(now, base)
    assert [v.rule for v in report.counting] == ["minimisation.payment_card_no_purpose"]
    assert report.fails_on(Severity.HIGH) and not report.fails_on(Severity.CRITICAL)
    assert Report.from_outcome(now).fails_on(Severity.CRITICAL)          # without a baseline every one counts
    assert report.baseline is not None and report.baseline.new["high"] == 1 and report.baseline.unchanged == 4
    doc = to_document(report)
    assert doc["summary"]["baseline"]["new"]["high"] == 1 and doc["summary"]["baseline"]["unchanged"] == 4


def test_a_report_read_back_counts_what_its_scan_counted(tmp_path):
    """A JSON report file (baseline create --from, diff) gives the same --fail-on facts as the scan's Report."""
    now = sample_outcome(tmp_path / "s", extra_violation=True)
    base = create_baseline(Report.from_outcome(sample_outcome(tmp_path / "s")))
    scanned = Report.from_outcome(now, base)
    read = Report.from_document(json.loads(json.dumps(to_document(scanned))))
    assert read.counting == scanned.counting and read.completeness == scanned.completeness


def test_baseline_never_holds_values_or_lines(tmp_path):
    text = json.dumps(create_baseline(Report.from_outcome(sample_outcome(tmp_path / "s"))))
    assert "example.org" not in text and '"line"' not in text and "startLine" not in text


def test_load_baseline_errors(tmp_path):
    p = tmp_path / "b.json"
    with pytest.raises(UsageError, match="not found"):
        load_baseline(p)
    p.write_text("{}")
    with pytest.raises(UsageError, match="not a pii-scan baseline"):
        load_baseline(p)
    p.write_text(json.dumps({"schema": "pii-scan/baseline@2", "key_id": "aaaa", "entries": []}))
    with pytest.raises(UsageError, match="another installation secret"):
        load_baseline(p, key_id(b"x" * 32))
    # issue 19 item 1: an old baseline (absolute file:// keys) is refused with a one-line hint, not silently unmatched
    p.write_text(json.dumps({"schema": "pii-scan/baseline@1", "entries": [{"key": "k", "target": "file:///x/a"}]}))
    with pytest.raises(UsageError, match=r"old baseline keyed on absolute paths.*re-create it") as err:
        load_baseline(p)
    assert "\n" not in str(err.value)


def test_local_targets_are_keyed_relative_to_the_scanned_root(tmp_path):
    """Issue 19 item 1: the same share scanned from two folders gives the same keys; cloud URIs keep theirs."""
    rep_a = Report.from_outcome(sample_outcome(tmp_path / "a" / "s"))
    rep_b = Report.from_outcome(sample_outcome(tmp_path / "elsewhere" / "s"))
    assert {v.target for v in rep_a.violations} != {v.target for v in rep_b.violations}
    assert sorted(report_keys(rep_a)) == sorted(report_keys(rep_b))
    base = create_baseline(rep_a)
    assert all(v.baseline == "unchanged" for v in annotate(rep_b, base).violations)
    targets = {e["target"] for e in base["entries"]}
    assert not any(t.startswith("file:///") or str(tmp_path) in t for t in targets)
    assert "s3://cxk-backup" in targets and any(t.startswith("file:") for t in targets)


def test_allowlist_values_paths_entities(tmp_path):
    outcome = sample_outcome(tmp_path / "s")
    allow = Allowlist.from_mapping({"values": ["c" * 32], "paths": ["*/hr/*"], "entities": ["phone_number"]}, "cfg")
    out = apply_allowlist(outcome, allow)
    by_key = {r.ref.key: r for r in out.results}
    assert by_key["hr/staff.csv"].status is Status.SKIPPED and by_key["hr/staff.csv"].reason == "allowlisted path"
    nhs = by_key["<script>alert(1)</script>.txt"]
    assert "UK_NHS" not in nhs.holding.entities and not nhs.findings
    assert nhs.holding.special_categories == ("health",)         # still special-category data
    assert not by_key["=cmd|' /C calc'!A0.csv"].holding.has_personal_data
    assert "custom.unknown_rule" not in {v.rule for v in out.violations}   # its target is now allowlisted
    assert out.allowlist_rules is not None and out.allowlist_rules["values"] == ["c" * 32]


def test_a_stored_run_gets_the_allowlist_it_was_scanned_with(tmp_path):
    outcome = sample_outcome(tmp_path / "s")
    allow = Allowlist.from_mapping({"values": ["C" * 32], "paths": [" */hr/* "], "entities": ["phone_number"]}, "cfg")
    assert Allowlist.from_mapping(allowlist_rules(allow), "rec") == allow        # what a run records parses back
    filtered = apply_allowlist(outcome, allow)
    stored = dataclasses.replace(outcome, allowlist=filtered.allowlist)          # the store keeps unfiltered results
    assert reapply_allowlist(stored).results == filtered.results
    assert reapply_allowlist(outcome) is outcome


@pytest.mark.parametrize("raw, msg", [({"values": ["jane@example.org"]}, "keyed hash"), ({"nope": []}, "unknown key"),
                                      ({"paths": "x"}, "list"), ("x", "mapping")])
def test_allowlist_config_errors_name_the_key(raw, msg):
    with pytest.raises(ConfigError, match=msg):
        Allowlist.from_mapping(raw, "cfg.yaml")


# -- the CI flow, end to end through the installed console script ------------------------------------------------

def _run(exe, *args, cwd):
    return subprocess.run([exe, *args], cwd=cwd, capture_output=True, text=True, timeout=300, check=False,
                          env={**os.environ, "CI": "true"})


def test_ci_fails_only_on_new_high_violations(pii_scan_exe, tmp_path):
    exports = tmp_path / "exports"
    exports.mkdir(mode=0o700)      # NOTE: private, as CI workspaces are: no file in it is readable by everyone
    (exports / "payments.csv").write_text("\n".join(PAYMENTS) + "\n")
    (exports / "contacts.csv").write_text("name,email\nJane Whitfield,jane.whitfield@example.org\n")
    (tmp_path / "cfg.yaml").write_text(CONFIG)
    scan = ["scan", "exports", "--config", "cfg.yaml", "-q", "--workers", "1", "--fail-on", "high"]

    first = _run(pii_scan_exe, *scan, "-o", "r1.json", cwd=tmp_path)
    assert first.returncode == 1 and (tmp_path / "r1.json").exists(), first.stderr   # fails without a baseline
    made = _run(pii_scan_exe, "baseline", "create", "--from", "r1.json", "-o", ".pii-baseline.json", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert json.loads((tmp_path / ".pii-baseline.json").read_text())["entries"]

    same = _run(pii_scan_exe, *scan, "--baseline", ".pii-baseline.json", "-o", "r2.sarif", cwd=tmp_path)
    assert same.returncode == 0, same.stderr + same.stdout
    states = {r["baselineState"] for r in json.loads((tmp_path / "r2.sarif").read_text())["runs"][0]["results"]}
    assert states == {"unchanged"}

    # the same rows in another order, re-scanned: still nothing new
    (exports / "payments.csv").write_text("\n".join([PAYMENTS[0], *PAYMENTS[:0:-1]]) + "\n")
    shuffled = _run(pii_scan_exe, *scan, "--baseline", ".pii-baseline.json", cwd=tmp_path)
    assert shuffled.returncode == 0, shuffled.stdout

    # one new export with card numbers: one new high violation → exit 1, and the summary says which
    (exports / "refunds.csv").write_text("name,card_number\nOla Nordmann,5105 1051 0510 5100\n"
                                         "Kim Park,4111 1111 1111 1111\nLi Wei,5555 5555 5555 4444\n")
    new = _run(pii_scan_exe, *scan, "--baseline", ".pii-baseline.json", "--format", "md", cwd=tmp_path)
    assert new.returncode == 1, new.stdout
    assert "New violations" in new.stdout and "refunds.csv" in new.stdout and "(1 new)" in new.stdout
    assert "payments.csv" not in new.stdout.split("## New violations")[1].split("##")[0]

    # a medium threshold is not needed to pass: low/medium new violations do not fail --fail-on high
    lenient = _run(pii_scan_exe, *scan[:-2], "--fail-on", "critical", "--baseline", ".pii-baseline.json",
                   cwd=tmp_path)
    assert lenient.returncode == 0


def test_a_baseline_made_in_one_checkout_passes_in_a_copy_elsewhere(pii_scan_exe, tmp_path):
    """Issue 19 item 1, end to end: commit the baseline on a laptop, run CI in another folder: nothing is new."""
    import shutil

    laptop = tmp_path / "home" / "alice" / "repo"
    (laptop / "exports").mkdir(parents=True, mode=0o700)
    (laptop / "exports" / "payments.csv").write_text("\n".join(PAYMENTS) + "\n")
    (laptop / "cfg.yaml").write_text(CONFIG)
    scan = ["scan", "exports", "--config", "cfg.yaml", "-q", "--workers", "1", "--fail-on", "high"]
    first = _run(pii_scan_exe, *scan, "-o", "r1.json", cwd=laptop)
    assert first.returncode == 1, first.stderr
    made = _run(pii_scan_exe, "baseline", "create", "--from", "r1.json", "-o", ".pii-baseline.json", cwd=laptop)
    assert made.returncode == 0, made.stderr
    assert str(laptop) not in (laptop / ".pii-baseline.json").read_text()
    runner = tmp_path / "runner" / "work" / "repo"
    shutil.copytree(laptop, runner)
    ci = _run(pii_scan_exe, *scan, "--baseline", ".pii-baseline.json", "-o", "r2.json", cwd=runner)
    assert ci.returncode == 0, ci.stderr + ci.stdout
    assert {v["baseline"] for v in json.loads((runner / "r2.json").read_text())["violations"]} == {"unchanged"}


def test_incomplete_scan_has_its_own_exit_code(pii_scan_exe, tmp_path):
    (tmp_path / "exports").mkdir()
    (tmp_path / "exports" / "a.csv").write_text("name,email\nJane Whitfield,jane.whitfield@example.org\n")
    res = _run(pii_scan_exe, "scan", "exports", "missing-dir", "-q", "--workers", "1", "-o", "r.md", "-o", "r.sarif",
               "-o", "r.html", cwd=tmp_path)
    assert res.returncode == 3, res.stderr
    assert "INCOMPLETE SCAN" in (tmp_path / "r.md").read_text()
    assert "INCOMPLETE SCAN" in (tmp_path / "r.html").read_text()
    sarif = json.loads((tmp_path / "r.sarif").read_text())
    assert sarif["runs"][0]["invocations"][0]["executionSuccessful"] is False
