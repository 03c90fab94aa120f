"""pii-scan scan end to end on the planted share: right entities per file, no look-alikes, no leaks."""
from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from scanner.cli import main
from scanner.connectors.local import NOT_FOLLOWED
from tests.core_fixtures import assert_clean_stderr
from tests.corpus import EXPECTED, FORBIDDEN, PLANTED, Share, build_share


@dataclass(frozen=True)
class Scanned:
    """One scan of the planted share shared by the tests of this module (a scan is the slow part)."""

    share: Share
    output: str            # what the console showed (-v, so log lines too)
    exit_code: int
    report: Path           # -o report.json

    @property
    def doc(self) -> dict:
        return json.loads(self.report.read_text())


@pytest.fixture(scope="module")
def scanned(tmp_path_factory) -> Scanned:
    base = tmp_path_factory.mktemp("cli-scan")
    share = build_share(base / "share")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PII_SCAN_HOME", str(base / "home"))
        out = base / "report.json"
        result = CliRunner().invoke(main, ["scan", str(share.root), "-o", str(out), "-v"], env={"COLUMNS": "200"},
                                    catch_exceptions=False)
    return Scanned(share, result.output, result.exit_code, out)


# NOTE: one scan of this module (`scanned`) and the installed entry point run the default pool of worker
# processes; the others scan in this process, which is what they test and much cheaper (no worker start)
ONE = ("--workers", "1")


def _scan(args, **kw):
    return CliRunner().invoke(main, ["scan", *args], catch_exceptions=False, **kw)


def _by_rel(doc, share):
    return {o["uri"][len(share.root.absolute().as_uri()) + 1:]: o for o in doc["objects"]}


def test_scan_reports_expected_entities_per_file(scanned):
    assert scanned.exit_code == 0, scanned.output
    doc, share = scanned.doc, scanned.share
    assert doc["schema"] == "pii-scan/report@1"
    objects = _by_rel(doc, share)
    for rel, wanted in EXPECTED.items():
        assert objects[rel]["status"] == "scanned"
        assert wanted <= set(objects[rel]["entities"]), (rel, objects[rel]["entities"])
    for rel, banned in FORBIDDEN.items():
        assert objects[rel]["status"] == "scanned"
        assert not banned & set(objects[rel]["entities"]), (rel, objects[rel]["entities"])
    assert objects["policies/logo.bin"]["status"] == "skipped"
    assert objects["policies/logo.bin"]["reason"] == "binary content"


def test_report_follows_contract(scanned):
    doc = scanned.doc
    assert set(doc) >= {"schema", "run", "containers", "objects", "violations", "summary"}
    assert set(doc["run"]) >= {"id", "jurisdiction", "sources", "started", "finished"}
    c = doc["containers"][0]
    assert set(c) >= {"uri", "provider", "location", "countries", "transfer", "public", "encrypted"}
    o = next(o for o in doc["objects"] if o["entities"])
    assert set(o) >= {"uri", "container", "status", "reason", "size", "modified", "entities",
                      "special_categories", "children", "subjects_estimate", "findings"}
    f = o["findings"][0]
    assert set(f) >= {"entity", "score", "where", "masked", "hash"} and "value" not in f
    assert len(f["hash"]) == 32
    assert doc["summary"]["objects"] == len(doc["objects"]) == 6


def test_findings_have_exact_line_numbers(scanned):
    share = scanned.share
    note = _by_rel(scanned.doc, share)["casework/note-0142.txt"]
    nhs = next(f for f in note["findings"] if f["entity"] == "UK_NHS")
    assert nhs["where"]["line"] == 3
    text = (share.root / "casework/note-0142.txt").read_text()
    assert text[nhs["where"]["offset"]:].startswith("943 476 5919")


def test_no_raw_value_leaks_without_show_values(scanned):
    assert scanned.exit_code == 0
    blob = scanned.output + scanned.report.read_text()
    leaked = [v for v in PLANTED if v in blob]
    assert leaked == []


def test_show_values_includes_raw_values(share, tmp_path):
    out = tmp_path / "r.json"
    _scan([str(share.root), "-o", str(out), "-q", "--show-values", *ONE])
    text = out.read_text()
    assert "karen.hughes@example.com" in text and "943 476 5919" in text


def test_format_json_on_stdout(share, tmp_path):
    out = tmp_path / "r.json"
    result = _scan([str(share.root), "--format", "json", "-q", "-o", str(out), *ONE])
    doc = json.loads(result.output)
    assert doc["summary"]["with_personal_data"] >= 3
    assert result.output == out.read_text()          # stdout and -o are the same document


def test_console_summary_names_files_and_entities(scanned):
    assert scanned.exit_code == 0
    assert "staff.csv" in scanned.output and "UK_NINO" in scanned.output
    assert "1 skipped" in scanned.output


def test_exclude_glob_leaves_objects_out(share, tmp_path):
    out = tmp_path / "r.json"
    _scan([str(share.root), "-o", str(out), "-q", "--exclude", "hr/*", "--exclude", "*.bin", *ONE])
    uris = [o["uri"] for o in json.loads(out.read_text())["objects"]]
    assert not any("staff.csv" in u or "logo.bin" in u for u in uris)
    assert any("note-0142" in u for u in uris)


def test_symlinks_are_not_followed(share, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("Contact priya@example.org\n")
    (share.root / "link").symlink_to(outside, target_is_directory=True)
    (share.root / "loop").symlink_to(share.root, target_is_directory=True)
    (share.root / "gone.txt").symlink_to(tmp_path / "nothing-there.txt")
    result = _scan([str(share.root), "--format", "json", "-q", *ONE])
    objects = json.loads(result.output)["objects"]
    assert not any("secret.txt" in o["uri"] or "/loop/" in o["uri"] for o in objects)
    # NOTE: never silently left out: each link is listed as skipped, with the option that would read it
    links = {o["uri"].rsplit("/", 1)[1]: (o["status"], o["reason"]) for o in objects
             if o["uri"].endswith(("/link", "/loop", "/gone.txt"))}
    assert links == dict.fromkeys(["link", "loop", "gone.txt"], ("skipped", NOT_FOLLOWED))
    assert "--follow-symlinks" in NOT_FOLLOWED


def test_installed_entry_point_runs_a_scan(share, pii_scan_exe, tmp_path, pii_home):
    out = tmp_path / "r.json"
    proc = subprocess.run([pii_scan_exe, "scan", str(share.root), "-o", str(out)], capture_output=True,
                          text=True, timeout=300, env={"PII_SCAN_HOME": str(pii_home), "PATH": "/usr/bin:/bin",
                                                       "COLUMNS": "200"})
    assert proc.returncode == 0, proc.stderr
    assert_clean_stderr(proc.stderr)
    assert "staff.csv" in proc.stdout
    assert not [v for v in PLANTED if v in proc.stdout + out.read_text()]


@pytest.mark.parametrize("pattern", ["media", "media/", "mailing_list_full.csv", "share/media/*", "media/*"])
def test_exclude_has_gitignore_semantics(tmp_path, pattern):
    """Issue 19 item 7: a bare name matches at any depth, a slash anchors to the root, a trailing slash is a
    folder; the root folder's own name may lead (share/media/*)."""
    share = tmp_path / "share"
    (share / "media").mkdir(parents=True)
    (share / "lists").mkdir()
    (share / "media" / "clip.txt").write_text("Contact priya@example.org\n")
    (share / "lists" / "mailing_list_full.csv").write_text("email\npriya@example.org\n")
    (share / "notes.txt").write_text("Contact priya@example.org\n")
    out = tmp_path / "r.json"
    result = CliRunner().invoke(main, ["scan", str(share), "-o", str(out), "-q", "--workers", "1",
                                       "--state", str(tmp_path / "s.db"), "--exclude", pattern])
    assert result.exit_code == 0, result.output
    keys = {o["uri"].rsplit("/share/", 1)[1] for o in json.loads(out.read_text())["objects"]}
    gone = "lists/mailing_list_full.csv" if pattern.endswith(".csv") else "media/clip.txt"
    assert gone not in keys and "notes.txt" in keys and len(keys) == 2


def test_exclude_that_matched_nothing_is_warned_about(tmp_path):
    share = tmp_path / "share"
    (share / "sub").mkdir(parents=True)
    (share / "sub" / "a.txt").write_text("nothing here\n")
    result = CliRunner().invoke(main, ["scan", str(share), "-o", str(tmp_path / "r.json"), "--workers", "1",
                                       "--state", str(tmp_path / "s.db"), "--exclude", "nosuch/",
                                       "--exclude", "sub"])
    assert result.exit_code == 0, result.output
    assert "--exclude 'nosuch/' matched nothing" in result.stderr
    assert "'sub' matched nothing" not in result.stderr


def test_follow_symlinks_reads_through_links_and_stops_at_loops(tmp_path):
    """Issue 19 item 8: --follow-symlinks follows links to folders and files; a link back up is not re-entered."""
    share, outside = tmp_path / "share", tmp_path / "outside"
    share.mkdir()
    outside.mkdir()
    (share / "own.txt").write_text("Contact priya@example.org\n")
    (outside / "secret.txt").write_text("Contact tom.hale@example.com\n")
    (outside / "single.txt").write_text("Contact amy.lee@example.net\n")
    (share / "linked").symlink_to(outside, target_is_directory=True)
    (share / "file-link.txt").symlink_to(outside / "single.txt")
    (share / "loop").symlink_to(share, target_is_directory=True)
    (outside / "back").symlink_to(outside, target_is_directory=True)
    out = tmp_path / "r.json"
    args = ["scan", str(share), "-o", str(out), "-q", "--workers", "1", "--state", str(tmp_path / "s.db")]
    result = CliRunner().invoke(main, [*args, "--follow-symlinks"])
    assert result.exit_code == 0, result.output
    objects = {o["uri"].split("/share/", 1)[1]: o for o in json.loads(out.read_text())["objects"]}
    scanned = {k for k, o in objects.items() if o["status"] == "scanned"}
    assert scanned == {"own.txt", "linked/secret.txt", "linked/single.txt", "file-link.txt"}
    assert {k for k, o in objects.items() if "loop" in (o.get("reason") or "")} == {"loop/", "linked/back/"}
    assert all(o["entities"].get("EMAIL_ADDRESS") for k, o in objects.items() if k in scanned)

    plain = CliRunner().invoke(main, args)
    assert plain.exit_code == 0, plain.output
    plain_objects = {o["uri"].split("/share/", 1)[1]: (o["status"], o["reason"])
                     for o in json.loads(out.read_text())["objects"]}
    assert plain_objects == {"own.txt": ("scanned", None),
                             **dict.fromkeys(["linked", "file-link.txt", "loop"], ("skipped", NOT_FOLLOWED))}
