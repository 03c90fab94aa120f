"""Bad objects end failed or skipped with a reason; the scan completes (DESIGN.md, rule 3)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from scanner.connectors import open_source
from scanner.model import ObjectRef, Status, shown_name
from scanner.pipeline import scan_object


def _outcome_by_name(doc):
    return {o["uri"].rsplit("/", 1)[-1]: o for o in doc["objects"]}


def _unprivileged(argv: list[str]) -> list[str]:
    """As root, permission bits do not bind; drop the DAC capabilities so a mode-000 file is unreadable."""
    if os.geteuid() != 0:
        return argv
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: cannot make a file unreadable")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search", *argv]


def test_bad_objects_get_reasons_and_the_scan_completes(tmp_path, pii_scan_exe, pii_home):
    root = tmp_path / "share"
    root.mkdir()
    (root / "good.txt").write_text("Write to alice.jones@example.org about the visit.\n")
    (root / "empty.txt").write_bytes(b"")
    (root / "latin1.txt").write_bytes("Caf\xe9 r\xe9sum\xe9 for Zo\xeb, na\xefve fa\xe7ade; email zoe@example.org\n"
                                      .encode("latin-1"))
    (root / "broken.txt").write_bytes(b"valid start \xff\xfe\xfa then bob@example.com and \xc3\x28 junk\n")
    (root / "bad.json").write_text('{"name": "x", ')
    locked = root / "locked.txt"
    locked.write_text("carol@example.org\n")
    locked.chmod(0)
    locked_dir = root / "locked-dir"
    locked_dir.mkdir()
    (locked_dir / "inside.txt").write_text("dave@example.org\n")
    locked_dir.chmod(0)
    out = tmp_path / "r.json"
    try:
        proc = subprocess.run(_unprivileged([pii_scan_exe, "scan", str(root), "-o", str(out), "-q"]),
                              capture_output=True, text=True, timeout=300,
                              env={"PII_SCAN_HOME": str(pii_home), "PATH": "/usr/bin:/bin"})
    finally:
        locked.chmod(0o644)
        locked_dir.chmod(0o755)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    objs = _outcome_by_name(json.loads(out.read_text()))
    assert objs["good.txt"]["status"] == "scanned" and objs["good.txt"]["entities"] == {"EMAIL_ADDRESS": 1}
    assert (objs["empty.txt"]["status"], objs["empty.txt"]["reason"]) == ("skipped", "empty")
    assert objs["latin1.txt"]["status"] == "scanned" and "EMAIL_ADDRESS" in objs["latin1.txt"]["entities"]
    assert objs["broken.txt"]["status"] == "scanned" and "EMAIL_ADDRESS" in objs["broken.txt"]["entities"]
    assert objs["bad.json"]["status"] == "failed" and "invalid JSON" in objs["bad.json"]["reason"]
    assert (objs["locked.txt"]["status"], objs["locked.txt"]["reason"]) == ("failed", "permission denied")
    assert objs[""]["status"] == "failed" and "cannot list directory" in objs[""]["reason"]


def test_strict_turns_failed_objects_into_exit_3(tmp_path, pii_scan_exe, pii_home):
    (tmp_path / "bad.json").write_text("{")
    proc = subprocess.run([pii_scan_exe, "scan", str(tmp_path), "--strict", "-q"], capture_output=True, text=True,
                          timeout=300, env={"PII_SCAN_HOME": str(pii_home), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 3


def test_file_deleted_between_listing_and_reading(tmp_path, worker):
    path = tmp_path / "gone.txt"
    path.write_text("eve@example.org\n")
    connector = open_source(str(tmp_path))
    container = next(connector.containers())
    ref = next(r for r in connector.objects(container) if r.key == "gone.txt")
    path.unlink()
    [result] = scan_object(connector, ref, worker)
    assert result.status is Status.FAILED and result.reason == "deleted before it could be read"


def test_listing_error_is_an_object_outcome(worker, tmp_path):
    connector = open_source(str(tmp_path))
    ref = ObjectRef(uri="file:///x/", container="file:///x", key="x/", facts={"error": "cannot list directory"})
    [result] = scan_object(connector, ref, worker)
    assert (result.status, result.reason) == (Status.FAILED, "cannot list directory")


def test_named_file_is_scanned_as_a_single_object(tmp_path, worker):
    path = tmp_path / "one.txt"
    path.write_text("Contact frank@example.org\n")
    connector = open_source(str(path))
    container = next(connector.containers())
    refs = list(connector.objects(container))
    assert [r.key for r in refs] == ["one.txt"]


def test_odd_file_names_get_the_uri_pathlib_gives(tmp_path, worker):
    """Spaces, percent signs, non-ASCII and undecodable bytes in names: the walk's URI is Path.as_uri() and its
    key the path below the root; each file can be opened from its ref."""
    root = tmp_path / "share dir"
    (root / "sub 1").mkdir(parents=True)
    names = ["a b.txt", "100%#?.txt", "Zoë ✓.txt", os.fsdecode(b"raw\xff.txt"), "sub 1/deeper.txt"]
    for name in names:
        (root / name).write_text("jo@example.org\n")
    connector = open_source(str(root))
    refs = {r.key: r for r in connector.objects(next(connector.containers()))}
    # NOTE: undecodable bytes are percent-encoded in the key (text every output and the store can hold)
    shown = {shown_name(n): n for n in names}
    assert sorted(refs) == sorted(shown) and "raw%FF.txt" in refs
    for key, ref in refs.items():
        assert ref.uri == (root / shown[key]).absolute().as_uri()
        [result] = scan_object(connector, ref, worker)
        assert result.status is Status.SCANNED, (key, result.reason)
