"""Issue 17 items 11, 12, 13: hostile names and structures fail (at most) their own object, never the scan,
another object or an output."""
from __future__ import annotations

import concurrent.futures as cf
import json
import os
import sqlite3
import zipfile

from click.testing import CliRunner

from scanner.cli import main
from scanner.connectors.base import ConnectorOptions
from scanner.executors import Task, _drive
from scanner.model import ObjectRef, ObjectResult, Status
from scanner.reports.markdown import md


def _ref(name: str) -> ObjectRef:
    return ObjectRef(uri=f"file:///s/{name}", container="file:///s", key=name)


def test_a_batch_that_fails_as_a_whole_is_retried_object_by_object():
    """Whatever fails a batch of several (here a RecursionError, as deep structures raise) is retried one
    object at a time: only the object that fails on its own is failed."""
    def submit(task: Task) -> cf.Future:
        fut: cf.Future = cf.Future()
        if any(r.key == "deep.json" for r in task.refs):
            fut.set_exception(RecursionError("maximum recursion depth exceeded"))
        else:
            fut.set_result([[ObjectResult(r, Status.SCANNED)] for r in task.refs])
        return fut

    batch = Task("/s", ConnectorOptions(), tuple(_ref(n) for n in ("a.txt", "deep.json", "b.txt")))
    out = [u for _task, units in _drive([batch], submit, lambda futs: set(futs), 2, lambda exc: False)
           for u in units]
    status = {u[0].ref.key: u[0].status for u in out}
    assert status == {"a.txt": Status.SCANNED, "deep.json": Status.FAILED, "b.txt": Status.SCANNED}


def _scan(tmp_path, *extra: str, fmt: str = "console"):
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    files = [out / "r.json", out / "r.md", out / "r.csv", out / "r.html"]
    args = ["scan", str(tmp_path / "src"), "--state", str(tmp_path / "s.db"), "--format", fmt, *extra]
    for f in files:
        args += ["-o", str(f)]
    res = CliRunner().invoke(main, args, env={"COLUMNS": "250"})
    return res, {f.suffix: f.read_text(encoding="utf-8") for f in files}


def test_deep_json_fails_alone_among_innocent_files_with_two_workers(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "deep.data").write_text('{"a":' * 1200 + "1" + "}" * 1200)      # ~7 KB, no extension: sniffed
    (src / "deep.json").write_text("[" * 1200 + "]" * 1200)
    for i in range(6):
        (src / f"note{i}.txt").write_text(f"mail person{i}.kent@example.org\n")
    res, outs = _scan(tmp_path, "-q", "--workers", "2")
    assert res.exit_code == 0 and "Traceback" not in res.output and "RecursionError" not in res.output
    objects = {o["uri"].rsplit("/", 1)[-1]: o for o in json.loads(outs[".json"])["objects"]}
    assert all(objects[f"note{i}.txt"]["entities"] == {"EMAIL_ADDRESS": 1} for i in range(6))
    assert all(objects[n]["status"] in ("scanned", "failed") for n in ("deep.data", "deep.json"))


def test_latin1_file_names_round_trip_through_store_and_reports(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "plain.txt").write_text("mail plain.person@example.org\n")
    with open(os.fsencode(src) + b"/Caf\xe9 menu.txt", "wb") as fh:                      # Latin-1, not UTF-8
        fh.write(b"mail jose.person@example.org\n")
    for _ in range(2):                                                  # a re-run reads the stored results
        res, outs = _scan(tmp_path, "-q", "--workers", "1")
        assert res.exit_code == 0, res.output
        objects = json.loads(outs[".json"])["objects"]
        jose = [o for o in objects if "Caf" in o["uri"]]
        assert len(jose) == 1 and jose[0]["uri"].endswith("/Caf%E9%20menu.txt")
        assert jose[0]["status"] == "scanned" and jose[0]["entities"] == {"EMAIL_ADDRESS": 1}
        assert all("Caf%E9" in outs[k] for k in (".json", ".csv", ".html"))     # (Markdown lists no objects)
    uris = [u for (u,) in sqlite3.connect(tmp_path / "s.db").execute("SELECT uri FROM results")]
    assert any(u.endswith("Caf%E9%20menu.txt") for u in uris)
    found = CliRunner().invoke(main, ["subject", "--email", "jose.person@example.org", "--state",
                                      str(tmp_path / "s.db")])
    assert found.exit_code == 0 and "Caf%E9" in found.output


def test_markup_and_escape_sequences_in_names_are_shown_escaped_in_every_output(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    hostile = ["[/]x.txt", "[bold]b.txt", "\x1b]0;owned\x07\x1b[31mred.txt", "\u202etxt.exe"]
    with zipfile.ZipFile(src / "names.zip", "w") as zf:
        for i, name in enumerate(hostile):
            zf.writestr(name, f"mail member{i}.person@example.org\n")
    (src / "\x1b[2Jclear.txt").write_text("mail top.person@example.org\n")
    res, outs = _scan(tmp_path, "-v", "--workers", "1")          # -v: the console lists every object by name (issue 19 item 5)
    assert res.exit_code == 0, res.output
    assert "[/]x.txt" in res.output and "[bold]b.txt" in res.output          # markup shown, not applied
    for text in [res.output, outs[".md"], outs[".csv"], outs[".html"]]:
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    for text in [res.output, outs[".csv"], outs[".html"]]:
        assert "\\x1b]0;owned\\x07\\x1b[31mred.txt" in text.replace("\n", "").replace(" ", "").replace("│", "")
        assert "\\u202etxt.exe" in text.replace("\n", "").replace(" ", "").replace("│", "")
    assert json.loads(outs[".json"])["objects"]           # JSON escapes controls itself and stays exact
    # Markdown lists no objects today; its cell escaping is what any name would go through
    assert md("[/]\x1b[31mred\u202e.txt") == "\\[/\\]\\\\x1b\\[31mred\\\\u202e.txt"
