"""`pii-scan diff` reads stored runs through one open of the state store (and none for two report files)."""
from __future__ import annotations

import dataclasses
import json

import pytest
from click.testing import CliRunner

from scanner.cli import main
from scanner.store import Store
from tests.reports.helpers import RAW, sample_outcome


@pytest.fixture
def state(tmp_path) -> str:
    """A state store with two runs of the sample estate; run-b has one more (high) violation."""
    path = tmp_path / "state.db"
    with Store(path) as store:
        for run_id, extra in (("run-a", False), ("run-b", True)):
            outcome = sample_outcome(tmp_path / "s", extra_violation=extra)
            outcome = dataclasses.replace(outcome, run=dataclasses.replace(outcome.run, id=run_id))
            store.begin_run(outcome.run, "fp", run_id)
            store.save_containers(run_id, outcome.containers)
            store.add_units(run_id, "fp", [[r] for r in outcome.results])
            store.finish_run(outcome)
    return str(path)


@pytest.fixture
def opens(monkeypatch) -> list[str]:
    """The path of every Store opened from here on."""
    seen: list[str] = []
    init = Store.__init__

    def counting_init(self, path=None):
        seen.append(str(path))
        init(self, path)

    monkeypatch.setattr(Store, "__init__", counting_init)
    return seen


def _diff(*args: str):
    return CliRunner().invoke(main, ["diff", *args, "--format", "json"], catch_exceptions=False)


def test_two_stored_runs_are_read_through_one_open_store(state, opens):
    res = _diff("run-a", "run-b", "--state", state, "--fail-on", "high")
    assert res.exit_code == 1, res.output
    d = json.loads(res.output)
    assert d["runs"] == ["run-a", "run-b"]
    assert [v["rule"] for v in d["violations"]["new"]] == ["minimisation.payment_card_no_purpose"]
    assert not any(raw in res.output for raw in RAW)
    assert opens == [state]


def test_a_report_file_and_a_run_open_the_store_once_and_two_files_not_at_all(state, tmp_path, opens):
    a = tmp_path / "a.json"
    assert CliRunner().invoke(main, ["report", "run-a", "--state", state, "-o", str(a)]).exit_code == 0
    opens.clear()
    mixed = _diff(str(a), "run-b", "--state", state)
    assert mixed.exit_code == 0 and json.loads(mixed.output)["violations"]["new"]
    assert opens == [state]
    opens.clear()
    files = _diff(str(a), str(a), "--state", str(tmp_path / "never.db"))
    assert files.exit_code == 0 and not json.loads(files.output)["violations"]["new"]
    assert opens == [] and not (tmp_path / "never.db").exists()
