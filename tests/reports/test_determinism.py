"""Two real scans of the same input with the same config give byte-identical JSON and SARIF."""
from __future__ import annotations

import json

from click.testing import CliRunner

from scanner.cli import main


def _scan(share, tmp_path, name, workers="2"):
    outs = [tmp_path / f"{name}.json", tmp_path / f"{name}.sarif"]
    args = ["scan", str(share.root), "-q", "--state", str(tmp_path / f"{name}.db"), "--workers", workers]
    for o in outs:
        args += ["-o", str(o)]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return [o.read_bytes() for o in outs]


def test_two_scans_are_byte_identical(share, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    first = _scan(share, tmp_path, "a")          # separate state stores: the second scan reads every file again
    second = _scan(share, tmp_path, "b")
    assert first[0] == second[0]
    assert first[1] == second[1]
    doc = json.loads(first[0])
    assert doc["run"]["started"] == doc["run"]["finished"] == "2026-09-21T14:13:20Z"
    assert doc["run"]["id"].startswith("r") and len(doc["run"]["id"]) == 12
    assert doc["violations"], "the comparison should cover violations too"


def test_without_source_date_epoch_runs_differ(share, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    a, b = _scan(share, tmp_path, "a", "1"), _scan(share, tmp_path, "b", "1")    # the id, not the pool
    assert json.loads(a[0])["run"]["id"] != json.loads(b[0])["run"]["id"]
