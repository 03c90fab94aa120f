"""Issue 17 item 1: archive members with the same name, or with ``!/`` in their name, each get their own object."""
from __future__ import annotations

import io
import json
import tarfile
import warnings
import zipfile

from click.testing import CliRunner

from scanner.cli import main
from scanner.pipeline import member_path


def _scan(tmp_path) -> dict:
    out = tmp_path / "r.json"
    res = CliRunner().invoke(main, ["scan", str(tmp_path / "src"), "-q", "--workers", "1",
                                    "--state", str(tmp_path / "s.db"), "-o", str(out)])
    assert res.exit_code == 0, res.output
    return json.loads(out.read_text())


def _entities(doc: dict, suffix: str) -> dict[str, dict]:
    return {o["uri"].rsplit("/", 1)[-1]: o.get("entities", {}) for o in doc["objects"] if suffix in o["uri"]}


def test_repeated_and_bang_named_members_each_get_their_own_object(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("c.txt", "plain text without anything\n")
    buf = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buf, "w") as zf:
        warnings.simplefilter("ignore")                   # zipfile warns about the duplicate name
        zf.writestr("a.txt", "write to first.person@example.org\n")
        zf.writestr("a.txt", "nothing personal here\n")
        zf.writestr("x.zip", inner.getvalue())
        zf.writestr("x.zip!/c.txt", "write to bang.person@example.org\n")
    (src / "dup.zip").write_bytes(buf.getvalue())
    tar_path = src / "dup.tar"
    for i, text in enumerate(["old version, mail older.person@example.org\n", "new version, nothing\n"]):
        data = text.encode()
        with tarfile.open(tar_path, "a" if i else "w") as tf:     # the second is what tar --append does
            info = tarfile.TarInfo("notes/a.txt")
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    doc = _scan(tmp_path)
    uris = [o["uri"] for o in doc["objects"]]
    assert len(uris) == len(set(uris))
    zipped = [o for o in doc["objects"] if "dup.zip!/" in o["uri"]]
    assert len(zipped) == 5                       # a.txt twice, x.zip, c.txt inside it, the bang-named member
    emails = [o["uri"] for o in zipped if o.get("entities", {}).get("EMAIL_ADDRESS")]
    assert len(emails) == 2 and any(u.endswith("dup.zip!/a.txt") for u in emails)
    assert any(u.endswith("dup.zip!/x.zip%21/c.txt") for u in emails)     # not mistaken for c.txt in x.zip
    assert any(o["uri"].endswith("dup.zip!/x.zip!/c.txt") and not o.get("entities") for o in zipped)
    tarred = [o for o in doc["objects"] if "dup.tar!/" in o["uri"]]
    assert len(tarred) == 2
    assert [bool(o.get("entities")) for o in sorted(tarred, key=lambda o: o["uri"])] == [True, False]


def test_member_paths_are_unique_and_unambiguous():
    taken: set[str] = set()
    names = ["a.txt", "a.txt", "a.txt!2", "a.txt", "50%21.txt", "50!.txt", "/abs.txt"]
    paths = [member_path(n, taken) for n in names]
    assert paths == ["a.txt", "a.txt!2", "a.txt%212", "a.txt!3", "50%2521.txt", "50%21.txt", "abs.txt"]
