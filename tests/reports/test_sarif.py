"""SARIF 2.1.0: validates against the official schema, one rule per policy rule, locations, no raw values."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from scanner.policy.rules import RULES
from scanner.reports.model import Report
from scanner.reports.sarif import FINGERPRINT, build_sarif
from tests.reports.helpers import RAW, sample_outcome

SCHEMA = json.loads((Path(__file__).with_name("sarif-schema-2.1.0.json")).read_text(encoding="utf-8"))


@pytest.fixture
def sarif(tmp_path):
    return build_sarif(Report.from_outcome(sample_outcome(tmp_path / "share")), base=tmp_path)


def test_validates_against_the_official_schema(sarif):
    jsonschema.Draft7Validator(SCHEMA).validate(sarif)


def test_incomplete_run_validates_and_says_so(tmp_path):
    out = build_sarif(Report.from_outcome(sample_outcome(tmp_path / "share", failures=True)), base=tmp_path)
    jsonschema.Draft7Validator(SCHEMA).validate(out)
    inv = out["runs"][0]["invocations"][0]
    assert inv["executionSuccessful"] is False
    assert any("gone-bucket" in n["message"]["text"] for n in inv["toolExecutionNotifications"])


def test_one_rule_per_policy_rule_with_help(sarif):
    rules = {r["id"]: r for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert set(RULES) <= set(rules)
    for rule_id, rule in RULES.items():
        assert rules[rule_id]["help"]["text"].startswith(rule.help)
        assert rules[rule_id]["shortDescription"]["text"] == rule.short
    assert "custom.unknown_rule" in rules           # graceful fallback for a rule the catalogue lacks
    for res in sarif["runs"][0]["results"]:
        assert sarif["runs"][0]["tool"]["driver"]["rules"][res["ruleIndex"]]["id"] == res["ruleId"]


def test_local_files_get_relative_path_and_line_others_the_uri(sarif):
    results = sarif["runs"][0]["results"]
    by_rule = {r["ruleId"]: r["locations"][0]["physicalLocation"] for r in results}
    special = by_rule["minimisation.special_category_not_allowed"]
    assert special["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
    assert special["artifactLocation"]["uri"] == "share/%3Cscript%3Ealert%281%29%3C/script%3E.txt"
    assert special["region"]["startLine"] == 3
    staff = by_rule["custom.unknown_rule"]
    assert staff["artifactLocation"]["uri"] == "share/hr/staff.csv" and staff["region"] == {"startLine": 2,
                                                                                             "startColumn": 1}
    assert by_rule["transfer.not_adequate"]["artifactLocation"] == {"uri": "s3://cxk-backup"}


def test_no_raw_values_and_keyed_fingerprints(sarif):
    text = json.dumps(sarif)
    for raw in RAW:
        assert raw not in text
    prints = [r["partialFingerprints"][FINGERPRINT] for r in sarif["runs"][0]["results"]]
    assert len(set(prints)) == len(prints) and all(len(p) == 32 for p in prints)


def test_table_column_names_are_not_columns(tmp_path):
    out = build_sarif(Report.from_outcome(sample_outcome(tmp_path / "share", extra_violation=True)),
                      base=tmp_path)
    jsonschema.Draft7Validator(SCHEMA).validate(out)
    loc = next(r for r in out["runs"][0]["results"] if r["ruleId"] == "minimisation.payment_card_no_purpose")
    assert loc["locations"][0]["physicalLocation"] == {"artifactLocation": {"uri": "s3://cxk-backup/cards.csv"},
                                                       "region": {"startLine": 2}}
