"""Bad options, bad config and unreadable sources: one line, the right exit code, never a traceback."""
from __future__ import annotations

import json
import os
import subprocess

import pytest
from click.testing import CliRunner

from scanner.cli import main


def _env(home) -> dict[str, str]:
    return {"PII_SCAN_HOME": str(home), "PATH": "/usr/bin:/bin", "COLUMNS": "200",
            **{k: v for k, v in os.environ.items() if k == "PYTHONPATH"}}


def run(exe, *args, home, timeout=300):
    return subprocess.run([exe, *args], capture_output=True, text=True, timeout=timeout, check=False, env=_env(home))


@pytest.mark.parametrize("args", [
    ["scan"],                                   # no source
    ["scan", ".", "--fail-on", "sometimes"],   # bad choice
    ["scan", ".", "--no-such-option"],
    ["scan", "ftp://example.org/x"],            # unknown scheme
])
def test_bad_usage_exits_2_with_one_line(pii_scan_exe, pii_home, args):
    proc = run(pii_scan_exe, *args, home=pii_home)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert any("rror" in ln for ln in lines)


@pytest.mark.parametrize("content, needle", [
    ("scan: [1, 2", "invalid YAML"),
    ("scan:\n  nonsense: 1\n", "scan.nonsense"),
    ("scan:\n  limits:\n    max_object_bytes: -5\n", "scan.limits.max_object_bytes"),
    ("scan:\n  limits:\n    max_object_bytes: 0\n", "scan.limits.max_object_bytes: must be a positive"),
    ("scan:\n  limits:\n    archive_max_members: 0\n", "scan.limits.archive_max_members"),
    ("scan:\n  detection: 7\n", "scan.detection: must be a mapping"),
    ("scan:\n  detection:\n    phone_regions: [GB, XX]\n", "scan.detection.phone_regions[1]"),
    ("- just\n- a list\n", "top level must be a mapping"),
])
def test_bad_config_exits_2_naming_file_and_key(tmp_path, pii_scan_exe, pii_home, content, needle):
    cfg = tmp_path / "bad.yaml"
    cfg.write_text(content)
    proc = run(pii_scan_exe, "scan", str(tmp_path), "--config", str(cfg), home=pii_home)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert str(cfg) in proc.stderr and needle in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_missing_config_file_exits_2(tmp_path):
    result = CliRunner().invoke(main, ["scan", str(tmp_path), "--config", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "config file not found" in result.output


def test_missing_source_is_incomplete_but_others_are_scanned(share, tmp_path):
    out = tmp_path / "r.json"
    result = CliRunner().invoke(main, ["scan", str(tmp_path / "does-not-exist"), str(share.root), "-o", str(out),
                                       "-q", "--workers", "1"])
    assert result.exit_code == 3
    doc = json.loads(out.read_text())
    assert doc["summary"]["complete"] is False
    # the reason says what went wrong once, beside its source (not "<source>: <source>: ...")
    assert doc["summary"]["source_failures"][0] == {"source": str(tmp_path / "does-not-exist"),
                                                     "reason": "no such file or directory"}
    assert all(line.count("does-not-exist") <= 1 for line in result.output.splitlines())
    assert any("staff.csv" in o["uri"] and o["status"] == "scanned" for o in doc["objects"])


def test_missing_source_is_said_on_stderr_in_one_line(pii_scan_exe, pii_home, tmp_path):
    """Issue 19 item 8: not only inside the report's table on stdout."""
    proc = run(pii_scan_exe, "scan", str(tmp_path / "exports"), "-q", "--workers", "1", home=pii_home)
    assert proc.returncode == 3, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert lines == [f"pii-scan: error: {tmp_path / 'exports'}: no such file or directory"]


def test_symlinked_source_says_symlinks_are_not_followed(pii_scan_exe, pii_home, tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.txt").write_text("Contact Jane Whitfield on jane.whitfield@example.org\n")
    (tmp_path / "link").symlink_to(tmp_path / "real")
    proc = run(pii_scan_exe, "scan", str(tmp_path / "link"), "-q", "--workers", "1", home=pii_home)
    assert proc.returncode == 3, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "symbolic link" in lines[0] and "not followed" in lines[0]


def test_every_command_has_help_text():
    for name, cmd in main.commands.items():
        assert cmd.help and cmd.help.strip(), name
        result = CliRunner().invoke(main, [name, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output


@pytest.mark.parametrize("command", ["scan", "report"])
def test_report_formats_are_offered_in_a_fixed_order(command):
    """The choices come from scanner.reports.Format; --help lists them in this order."""
    result = CliRunner().invoke(main, [command, "--help"], terminal_width=200)
    assert "--format [console|json|sarif|csv|md|html]" in result.output


@pytest.mark.parametrize("fail_on, expected", [(None, 0), ("low", 1), ("high", 1), ("critical", 0)])
def test_exit_code_counts_violations_at_or_above_fail_on(fail_on, expected):
    from types import SimpleNamespace

    from scanner.app import exit_code
    from scanner.model import Severity
    from scanner.reports.model import Report

    outcome = SimpleNamespace(source_failures=(), results=())
    report = Report.from_document({"violations": [{"rule": "r", "severity": "high", "target": "file:///x"},
                                    {"rule": "s", "severity": "critical", "target": "file:///y",
                                     "baseline": "unchanged"}]})      # accepted in a baseline: never counts
    assert exit_code(outcome, report, Severity(fail_on) if fail_on else None, strict=False) == expected


def test_cli_imports_only_the_front_door_errors_and_option_libraries():
    """cli.py parses options and maps results to exits: every scanner module it may import is named here."""
    import ast
    import sys
    from pathlib import Path

    import scanner.cli

    tree = ast.parse(Path(scanner.cli.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            imported |= {f"{base}.{a.name}" if base == "scanner" else base for a in node.names}
    ours = {m for m in imported if m.split(".")[0] in ("scanner", "detectors")}
    assert ours == {"scanner.app", "scanner.errors"}
    others = {m.split(".")[0] for m in imported} - {"scanner", "__future__"}
    assert others <= {"click", *sys.stdlib_module_names}, others
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr == "exit"
             and isinstance(n.value, ast.Name) and n.value.id == "sys"]
    assert len(calls) == 1                     # one place turns a result or an error into the exit


def test_fail_on_without_violations_exits_0(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "notes.txt").write_text("Nothing personal here: the boiler is serviced in spring.\n")
    result = CliRunner().invoke(main, ["scan", str(tmp_path / "src"), "-q", "--fail-on", "low", "--format", "json",
                                       "--workers", "1"])
    doc = json.loads(result.output)
    assert doc["violations"] == [] and doc["summary"]["complete"] is True
    assert result.exit_code == 0


def test_a_reader_that_stops_early_ends_the_output_quietly_with_exit_3(tmp_path, pii_scan_exe, pii_home):
    # ~700 KB of JSON lines, far more than a pipe holds: the writer is still writing when the reader goes
    path = tmp_path / "many.txt"
    path.write_text("".join(f"Write to person{i}@example.org today.\n" for i in range(6000)))
    proc = subprocess.Popen([pii_scan_exe, "detect", str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=_env(pii_home))
    assert proc.stdout is not None and proc.stderr is not None
    first = json.loads(proc.stdout.readline())        # `pii-scan detect many.txt | head -1`
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=300) == 3                # incomplete: the rest was never read
    assert first["entity"] == "EMAIL_ADDRESS"
    assert stderr == ""                               # no error line, no traceback, no "Exception ignored"
