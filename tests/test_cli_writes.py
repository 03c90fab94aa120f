"""Files the CLI writes (baselines, subject-access packs, reports) replace the old file whole or not at all."""
from __future__ import annotations

import builtins
import errno
import io
import json
import os
import stat

import pytest
from click.testing import CliRunner

from scanner.cli import main
from scanner.errors import UsageError
from scanner.reports import atomic_text
from scanner.reports.json_report import build_document
from tests.reports.helpers import sample_outcome

OLD = "the file as it was before\n"


class _DiskFullAfter8Chars:
    """A text file whose first write stores 8 characters and then fails, as a full disk would."""

    def __init__(self, f):
        self._f = f

    def write(self, text: str) -> int:
        self._f.write(text[:8])
        self._f.flush()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name):
        return getattr(self._f, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self._f.close()


@pytest.fixture
def disk_full(monkeypatch):
    """Every text file opened for writing fails part-way (however the code under test opens it)."""
    real_open = builtins.open

    def failing_open(file, mode="r", *args, **kwargs):
        f = real_open(file, mode, *args, **kwargs)
        return _DiskFullAfter8Chars(f) if "w" in mode and "b" not in mode else f

    monkeypatch.setattr(builtins, "open", failing_open)
    monkeypatch.setattr(io, "open", failing_open)        # pathlib opens through io.open


def _report(tmp_path) -> str:
    path = tmp_path / "r.json"
    path.write_bytes(json.dumps(build_document(sample_outcome(tmp_path / "s"))).encode())
    return str(path)


def _commands(tmp_path) -> dict[str, list[str]]:
    return {"baseline": ["baseline", "create", "--from", _report(tmp_path), "-o", str(tmp_path / "out" / "file")],
            "subject pack": ["subject", "--email", "jane.whitfield@example.org", "--format", "json",
                             "--state", str(tmp_path / "state.db"), "-o", str(tmp_path / "out" / "file")]}


@pytest.mark.parametrize("what", ["baseline", "subject pack"])
def test_a_failed_write_leaves_the_old_file_untouched(tmp_path, disk_full, what):
    args = _commands(tmp_path)[what]
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "file"
    target.write_bytes(OLD.encode())
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 2, res.output
    assert f"cannot write {target}: {os.strerror(errno.ENOSPC)}" in res.output
    assert "jane.whitfield" not in res.output
    assert target.read_bytes() == OLD.encode()
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["file"]        # no temporary file left behind


@pytest.mark.parametrize("what", ["baseline", "subject pack"])
def test_a_rewritten_output_becomes_private(tmp_path, what):
    args = _commands(tmp_path)[what]
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "file"
    target.write_text(OLD)
    target.chmod(0o640)
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 0, res.output
    assert target.read_text() != OLD
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["file"]


def test_atomic_text_removes_its_temporary_file_on_any_error(tmp_path):
    target = tmp_path / "b.json"
    target.write_text(OLD)
    with pytest.raises(KeyboardInterrupt):
        with atomic_text(target) as out:
            out.write("half")
            raise KeyboardInterrupt
    assert target.read_text() == OLD and [p.name for p in tmp_path.iterdir()] == ["b.json"]
    with pytest.raises(UsageError, match=r"cannot write .*missing.*b\.json"):
        with atomic_text(tmp_path / "missing" / "b.json") as out:
            out.write("never")


def test_a_new_subject_pack_and_baseline_are_readable_by_their_owner_only(tmp_path):
    args = _commands(tmp_path)
    (tmp_path / "out").mkdir()
    pack = tmp_path / "out" / "file"
    res = CliRunner().invoke(main, args["subject pack"])
    assert res.exit_code == 0, res.output
    assert stat.S_IMODE(pack.stat().st_mode) == 0o600
    pack.unlink()
    res = CliRunner().invoke(main, args["baseline"])
    assert res.exit_code == 0, res.output
    assert stat.S_IMODE(pack.stat().st_mode) == 0o600
    pack.unlink()
    res = CliRunner().invoke(main, [*args["baseline"], "--output-mode", "644"])    # a baseline shared with CI
    assert res.exit_code == 0, res.output
    assert stat.S_IMODE(pack.stat().st_mode) == 0o644


def test_scan_outputs_are_private_unless_output_mode_says_otherwise(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.txt").write_text("write to zelda.quist@example.org\n")
    outs = [tmp_path / f"r.{ext}" for ext in ("json", "csv", "md", "sarif", "html")]
    args = ["scan", str(tmp_path / "src"), "--workers", "1", "-q", "--state", str(tmp_path / "s.db")]
    res = CliRunner().invoke(main, [*args, *[x for o in outs for x in ("-o", str(o))]])
    assert res.exit_code == 0, res.output
    assert {o.name: stat.S_IMODE(o.stat().st_mode) for o in outs} == {o.name: 0o600 for o in outs}
    res = CliRunner().invoke(main, [*args, "-o", str(outs[0]), "--output-mode", "640"])
    assert res.exit_code == 0, res.output
    assert stat.S_IMODE(outs[0].stat().st_mode) == 0o640
    res = CliRunner().invoke(main, [*args, "-o", str(outs[0]), "--output-mode", "9"])
    assert res.exit_code == 2 and "--output-mode" in res.output


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
