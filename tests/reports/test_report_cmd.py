"""`pii-scan report` re-renders stored runs exactly; `pii-scan diff` shows what changed between two runs."""
from __future__ import annotations

import json

from click.testing import CliRunner

from scanner.cli import main


def _cli(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_report_re_renders_a_stored_run_byte_for_byte(share, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    state = str(tmp_path / "state.db")
    scanned = _cli("scan", str(share.root), "-q", "--workers", "1", "--state", state, "-o", str(tmp_path / "scan.json"),
                   "-o", str(tmp_path / "scan.sarif"))
    assert scanned.exit_code == 0, scanned.output
    again = _cli("report", "--state", state, "-o", str(tmp_path / "again.json"), "-o", str(tmp_path / "again.sarif"),
                 "-o", str(tmp_path / "r.html"), "-o", str(tmp_path / "r.csv"), "-o", str(tmp_path / "r.md"))
    assert again.exit_code == 0, again.output
    assert (tmp_path / "again.json").read_bytes() == (tmp_path / "scan.json").read_bytes()
    assert (tmp_path / "again.sarif").read_bytes() == (tmp_path / "scan.sarif").read_bytes()
    assert "At a glance" in (tmp_path / "r.html").read_text()
    listed = _cli("report", "--list", "--state", state)
    run_id = listed.output.split()[0]     # the store's id (the document's is a digest under SOURCE_DATE_EPOCH)
    by_id = _cli("report", run_id, "--state", state, "--format", "json")
    assert by_id.output == (tmp_path / "scan.json").read_text()
    assert len(listed.output.strip().splitlines()) == 1


def test_report_without_runs_is_a_usage_error(tmp_path):
    res = _cli("report", "--state", str(tmp_path / "empty.db"))
    assert res.exit_code == 2 and "no completed run" in res.output


def test_diff_shows_new_removed_and_changed(share, tmp_path):
    state = str(tmp_path / "state.db")
    assert _cli("scan", str(share.root), "-q", "--workers", "1", "--state", state, "-o", str(tmp_path / "a.json")).exit_code == 0
    (share.root / "casework" / "note-0142.txt").unlink()
    (share.root / "hr" / "new-starters.csv").write_text("name,email\nPriya Natarajan,priya.n@example.org\n")
    with (share.root / "hr" / "staff.csv").open("a") as fh:
        fh.write("Ruth Ansah,ruth.ansah@example.org,CE123456A,07700 900123\n")
    assert _cli("scan", str(share.root), "-q", "--workers", "1", "--state", state, "-o", str(tmp_path / "b.json")).exit_code == 0
    a, b = (json.loads((tmp_path / n).read_text())["run"]["id"] for n in ("a.json", "b.json"))

    res = _cli("diff", a, b, "--state", state, "--format", "json")
    d = json.loads(res.output)
    assert [h["uri"].rsplit("/", 1)[1] for h in d["holdings"]["new"]] == ["new-starters.csv"]
    assert [h["uri"].rsplit("/", 1)[1] for h in d["holdings"]["removed"]] == ["note-0142.txt"]
    assert [h["uri"].rsplit("/", 1)[1] for h in d["holdings"]["changed"]] == ["staff.csv"]
    assert "ruth.ansah@example.org" not in res.output

    text = _cli("diff", str(tmp_path / "a.json"), str(tmp_path / "b.json")).output   # report files work too
    assert "+ holding" in text and "new-starters.csv" in text
    assert "| holdings | 1 | 1 | 1 |" in _cli("diff", a, b, "--state", state, "--format", "md").output
    # issue 19 item 11: -o FILE, the format from its extension, and where it wrote said on stderr
    wrote = _cli("diff", a, b, "--state", state, "-o", str(tmp_path / "d.md"))
    assert wrote.stdout == "" and wrote.stderr.strip() == f"pii-scan: wrote {tmp_path / 'd.md'}"
    assert "| holdings | 1 | 1 | 1 |" in (tmp_path / "d.md").read_text()
    rendered = _cli("report", "--state", state, "-o", str(tmp_path / "again.json"))
    assert f"pii-scan: wrote {tmp_path / 'again.json'}" in rendered.stderr


def test_report_does_not_show_values_a_show_values_scan_stored(tmp_path):
    """A run scanned with --show-values keeps its raw values; re-rendering it later must not print them."""
    share = tmp_path / "share"
    share.mkdir()
    (share / "contacts.txt").write_text("Please e-mail jane.doe@example.org about the visit.\n")
    state = str(tmp_path / "state.db")
    scanned = _cli("scan", str(share), "-q", "--workers", "1", "--state", state, "--format", "json", "--show-values")
    assert "jane.doe@example.org" in scanned.output                    # asked for at scan time
    for fmt in ("json", "console", "csv"):
        again = _cli("report", "--state", state, "--format", fmt)
        assert again.exit_code == 0, again.output
        assert "jane.doe@example.org" not in again.output


def test_a_mistyped_id_is_not_echoed_in_the_error():
    result = CliRunner().invoke(main, ["subject", "--id", "9876543WA"])
    assert result.exit_code == 2
    assert "9876543WA" not in result.output and "KIND=VALUE" in result.output
