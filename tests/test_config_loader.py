"""One config loader (issue 18 item 1): every section validated before anything is listed or read.

A bad key or a bad value in any section exits 2 with one line naming ``file: key.path``, in under 2 s, with
nothing scanned and no run (not even a store) left behind, with one worker or many."""
from __future__ import annotations

import os
import subprocess
import time

import pytest
from click.testing import CliRunner

from scanner.cli import main
from scanner.config import DetectionSettings, load_config
from scanner.errors import ConfigError

BAD = [
    # (section, YAML, what the one line names)
    ("top", "colour: blue\n", "colour: unknown key (known: allowlist, jurisdiction, "),
    ("top", "jurisdiction: mars\n", "jurisdiction: must be one of uk, eu"),
    ("scan", "scan:\n  exclud: ['*.log']\n", "scan.exclud: unknown key (known: detection, examples_per_entity"),
    ("scan", "scan:\n  examples_per_entity: many\n", "scan.examples_per_entity: must be a non-negative integer"),
    ("limits", "scan:\n  limits:\n    max_line_chars: 10\n", "scan.limits.max_line_chars: unknown key (known: "),
    ("limits", "scan:\n  limits:\n    pdf_max_pages: -1\n", "scan.limits.pdf_max_pages: must be a positive"),
    ("detection", "scan:\n  detection:\n    threshold: {PERSON: 0.9}\n",
     "scan.detection.threshold: unknown key (known: min_count, phone_regions, scores, thresholds)"),
    ("detection", "scan:\n  detection:\n    thresholds: {EMAIL: 0.9}\n",
     "scan.detection.thresholds.EMAIL: unknown entity (known: "),
    ("detection", "scan:\n  detection:\n    thresholds: {PERSON: high}\n",
     "scan.detection.thresholds.PERSON: must be a number from 0 to 1"),
    ("detection", "scan:\n  detection:\n    min_count: {PERSON: 0}\n",
     "scan.detection.min_count.PERSON: must be a positive integer"),
    ("detection", "scan:\n  detection:\n    phone_regions: [GB, XX]\n", "scan.detection.phone_regions[1]: 'XX' is not"),
    ("purposes", "purposes:\n  - {match: '*', purpose: hr, entities: [PERSON, EMAIL]}\n",
     "purposes[0].entities[1]: unknown entity 'EMAIL' (known: "),
    ("purposes", "purposes:\n  - {match: '*', purpose: hr, colour: red}\n", "purposes[0].colour: unknown key"),
    ("retention", "retention:\n  - {match: '*', applies_to: [UK_NHSS], days: 30}\n",
     "retention[0].applies_to[0]: unknown entity 'UK_NHSS'"),
    ("retention", "retention:\n  - {match: '*', days: soon}\n", "retention[0].days: must be an integer"),
    ("suppressions", "suppressions:\n  - {rule: no.such.rule, reason: x}\n",
     "suppressions[0].rule: unknown rule 'no.such.rule' (known: "),
    ("severities", "severities:\n  transfer.unsafe: {}\n", "severities.transfer.unsafe: unknown rule id (known: "),
    ("providers", "providers:\n  s3:\n    dpf: true\n", "providers.s3.dpf: unknown key"),
    ("allowlist", "allowlist:\n  entities: [EMAIL]\n", "allowlist.entities[0]: unknown entity 'EMAIL'"),
    ("allowlist", "allowlist:\n  value: [abc]\n", "allowlist.value: unknown key (known: values, paths, entities)"),
]


@pytest.fixture
def src(tmp_path):
    share = tmp_path / "share"
    share.mkdir()
    (share / "staff.txt").write_text("Contact jane.doe@example.org\n")
    return share


@pytest.mark.parametrize("workers", ["1", "2"])
@pytest.mark.parametrize("section, content, needle", BAD, ids=[f"{b[0]}-{i}" for i, b in enumerate(BAD)])
def test_bad_config_exits_2_before_any_io(tmp_path, src, pii_home, workers, section, content, needle):
    cfg = tmp_path / "bad.yaml"
    cfg.write_text(content)
    started = time.monotonic()
    result = CliRunner().invoke(main, ["scan", str(src), "--config", str(cfg), "--workers", workers, "-q"])
    took = time.monotonic() - started
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert lines == [lines[0]] and lines[0].startswith(f"pii-scan: error: {cfg}: "), result.output
    assert needle in lines[0]
    assert took < 2.0
    assert not (pii_home / "state.db").exists()        # no store opened, so nothing listed and no run kept


def test_a_valid_config_loads_every_section(tmp_path):
    cfg = tmp_path / "ok.yaml"
    cfg.write_text("jurisdiction: eu\nscan:\n  detection:\n    thresholds: {PERSON: 0.9}\n"
                   "    phone_regions: [gb, ie]\nretention:\n  - {match: '*', applies_to: [health, UK_NHS], days: 9}\n"
                   "allowlist:\n  entities: [IP_ADDRESS]\n")
    config = load_config(cfg, exclude=("*.tmp",))
    assert config.scan.jurisdiction == "eu"
    assert config.detection == DetectionSettings(thresholds={"PERSON": 0.9}, phone_regions=("GB", "IE"))
    assert config.detection.overrides() == {"thresholds": {"PERSON": 0.9}, "phone_regions": ["GB", "IE"]}
    assert config.policy.retention[0].days == 9 and config.allowlist.entities == {"IP_ADDRESS"}
    assert config.scan.exclude[-1] == "*.tmp" and "**/.git/**" in config.scan.exclude
    assert load_config(cfg, jurisdiction="uk").scan.jurisdiction == "uk"     # the option wins over the file


def test_config_is_frozen(tmp_path):
    import dataclasses

    config = load_config(None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.scan = config.scan  # type: ignore[misc]


def test_the_examples_policy_is_valid():
    from pathlib import Path

    config = load_config(Path(__file__).parent.parent / "examples" / "policy.yaml")
    assert config.policy.purposes


def test_unknown_entity_lists_the_valid_names(tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("scan:\n  detection:\n    scores: {EMAIL: 0.9}\n")
    with pytest.raises(ConfigError, match=r"known: .*EMAIL_ADDRESS"):
        load_config(cfg)


@pytest.mark.parametrize("workers", ["1", "2"])
def test_output_into_a_missing_folder_exits_2_before_scanning(tmp_path, src, pii_home, workers):
    out = tmp_path / "nowhere" / "r.json"
    started = time.monotonic()
    result = CliRunner().invoke(main, ["scan", str(src), "-o", str(out), "--workers", workers, "-q"])
    assert result.exit_code == 2, result.output
    line = f"pii-scan: error: cannot write {out}: no such directory {out.parent}"
    assert result.output.strip().splitlines() == [line]
    assert time.monotonic() - started < 2.0
    assert not (pii_home / "state.db").exists() and not out.parent.exists()


def test_output_onto_a_directory_exits_2_before_scanning(tmp_path, src, pii_home):
    out = tmp_path / "r.json"
    out.mkdir()
    result = CliRunner().invoke(main, ["scan", str(src), "-o", str(out), "-q"])
    assert result.exit_code == 2 and "is a directory" in result.output
    assert not (pii_home / "state.db").exists()


def test_installed_cli_with_two_workers_rejects_a_typo_in_under_2_seconds(tmp_path, src, pii_scan_exe, pii_home):
    """The reported bug: a detection typo made every object 'failed: worker error' and exit 0 with --workers 2."""
    cfg = tmp_path / "bad.yaml"
    cfg.write_text("scan:\n  detection:\n    thresholds: {EMAIL: 0.9}\n")
    started = time.monotonic()
    proc = subprocess.run([pii_scan_exe, "scan", str(src), "--config", str(cfg), "--workers", "2"],
                          check=False, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PII_SCAN_HOME": str(pii_home)})
    took = time.monotonic() - started
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.strip().splitlines() == [
        f"pii-scan: error: {cfg}: scan.detection.thresholds.EMAIL: unknown entity (known: "
        + proc.stderr.split("(known: ", 1)[1].strip()]
    assert took < 2.0, took
    assert not (pii_home / "state.db").exists()
