"""Issue 19 item 4: .pii-scan.yaml / pii-scan.yaml and .pii-baseline.json are found from the current folder up to
the repository root, named in the run header, and ignored with --no-config."""
from __future__ import annotations

import json

from click.testing import CliRunner

from scanner.cli import main
from scanner.discovery import CONFIG_NAMES, find_upwards

CONFIG = 'scan:\n  exclude: ["contacts.csv"]\n'


def _share(root):
    (root / "exports").mkdir(parents=True)
    (root / "exports" / "contacts.csv").write_text("name,email\nJane Whitfield,jane.whitfield@example.org\n")
    (root / "exports" / "notes.txt").write_text("Call Tom Hale on tom.hale@example.com\n")


def _scan(tmp_path, *extra):
    out = tmp_path / "r.json"
    result = CliRunner().invoke(main, ["scan", "exports", "-o", str(out), "--workers", "1",
                                       "--state", str(tmp_path / "s.db"), *extra])
    keys = {o["uri"].rsplit("/", 1)[1] for o in json.loads(out.read_text())["objects"]} if out.exists() else set()
    return result, keys


def test_config_beside_the_scanned_folder_is_found_and_named(tmp_path, monkeypatch):
    _share(tmp_path)
    (tmp_path / ".pii-scan.yaml").write_text(CONFIG)
    monkeypatch.chdir(tmp_path)
    result, keys = _scan(tmp_path)
    assert result.exit_code == 0, result.output
    assert keys == {"notes.txt"}                                     # the config's exclude was applied
    assert f"pii-scan: config: {tmp_path / '.pii-scan.yaml'} (found" in result.stderr

    ignored, keys = _scan(tmp_path, "--no-config")
    assert ignored.exit_code == 0, ignored.output
    assert keys == {"contacts.csv", "notes.txt"} and "config:" not in ignored.stderr


def test_found_up_to_the_repository_root_not_beyond(tmp_path):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "a" / "b").mkdir(parents=True)
    (repo / "pii-scan.yaml").write_text(CONFIG)
    assert find_upwards(CONFIG_NAMES, repo / "a" / "b") == repo / "pii-scan.yaml"
    (repo / "a" / ".pii-scan.yaml").write_text(CONFIG)              # the nearest wins
    assert find_upwards(CONFIG_NAMES, repo / "a" / "b") == repo / "a" / ".pii-scan.yaml"
    (tmp_path / "outside").mkdir()
    (tmp_path / ".pii-scan.yaml").write_text(CONFIG)                 # above a folder that is in no repository
    assert find_upwards(CONFIG_NAMES, tmp_path / "outside") is None


def test_a_found_baseline_is_used_and_named(tmp_path, monkeypatch):
    _share(tmp_path)
    monkeypatch.chdir(tmp_path)
    first, _ = _scan(tmp_path, "--fail-on", "low")
    assert first.exit_code == 1, first.output                        # violations, no baseline yet
    made = CliRunner().invoke(main, ["baseline", "create", "--from", str(tmp_path / "r.json"),
                                     "-o", str(tmp_path / ".pii-baseline.json")])
    assert made.exit_code == 0, made.output
    again, _ = _scan(tmp_path, "--fail-on", "low")
    assert "pii-scan: baseline: " in again.stderr
    assert {v["baseline"] for v in json.loads((tmp_path / "r.json").read_text())["violations"]} <= {"unchanged"}
    assert again.exit_code == 0, again.output
    assert _scan(tmp_path, "--fail-on", "low", "--no-config")[0].exit_code == 1     # the baseline made it 0
