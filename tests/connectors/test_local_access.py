"""World-readable judged by effective access (issue 19 item 3): a file's mode, every folder above it within the
source, and ACLs where present. A local scan of 0600 files in 0700 folders raises no security.world_readable."""
from __future__ import annotations

import json
import os
import struct

import pytest
from click.testing import CliRunner

from scanner.cli import main
from scanner.connectors.access import READ, parse_nfs4_acl, parse_posix_acl, read_acl

EMAIL = "Contact harriet.jones@example.org or 07700 900123 about her referral."


def _tree(root, layout):
    """layout: {relative path: mode}; folders end with '/'. Modes are set deepest first."""
    for rel in layout:
        path = root / rel.rstrip("/")
        if rel.endswith("/"):
            path.mkdir(parents=True, exist_ok=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(EMAIL)
    for rel, mode in sorted(layout.items(), key=lambda kv: -kv[0].count("/")):
        os.chmod(root / rel.rstrip("/"), mode)
    os.chmod(root, layout.get("./", 0o755))


def _scan(root, tmp_path):
    out = tmp_path / "report.json"
    result = CliRunner().invoke(main, ["scan", str(root), "-o", str(out), "-q", "--workers", "1"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text())


def _world(doc, root):
    base = root.absolute().as_uri() + "/"
    return {v["target"].removeprefix(base): v for v in doc["violations"] if v["rule"] == "security.world_readable"}


def _locations_public(root):
    result = CliRunner().invoke(main, ["locations", str(root), "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["containers"][0]["public"]


def test_private_files_in_private_folders_under_an_open_root_are_not_world_readable(tmp_path, pii_home):
    root = tmp_path / "share"
    _tree(root, {"casework/": 0o700, "casework/note.txt": 0o600, "casework/deep/": 0o755,
                 "casework/deep/letter.txt": 0o644, "top.txt": 0o600})
    doc = _scan(root, tmp_path)
    assert sum(bool(o["entities"]) for o in doc["objects"]) == 3          # the scan did read them
    assert _world(doc, root) == {}
    assert doc["containers"][0]["public"] is False
    assert _locations_public(root) is False


def test_only_the_files_everyone_can_reach_are_reported_with_their_modes(tmp_path, pii_home):
    root = tmp_path / "share"
    _tree(root, {"open/": 0o755, "open/members.txt": 0o644, "open/private.txt": 0o640,
                 "closed/": 0o750, "closed/members.txt": 0o644, "listing_only/": 0o711,
                 "listing_only/guessable.txt": 0o604})
    doc = _scan(root, tmp_path)
    world = _world(doc, root)
    assert set(world) == {"open/members.txt", "listing_only/guessable.txt"}
    access = world["open/members.txt"]["evidence"]["access"]
    assert access["file"] == {"mode": "0644", "others": "r--"}
    assert access["folders"] == [{"path": ".", "mode": "0755", "others": "r-x"},
                                 {"path": "open", "mode": "0755", "others": "r-x"}]
    assert "mode 0644" in world["open/members.txt"]["message"]
    assert doc["containers"][0]["public"] is True
    # a local source's exposure is reported per file, never as a "public container" with bucket advice
    assert not [v for v in doc["violations"] if v["rule"] == "security.public_container"]
    assert _locations_public(root) is True


def test_a_single_file_source_is_judged_by_its_own_mode(tmp_path, pii_home):
    root = tmp_path / "d"
    _tree(root, {"a.txt": 0o644, "b.txt": 0o600})
    assert _locations_public(root / "a.txt") is True
    assert _locations_public(root / "b.txt") is False


def _posix_acl(*entries: tuple[int, int, int]) -> bytes:
    return struct.pack("<I", 2) + b"".join(struct.pack("<HHI", *e) for e in entries)


ANY = 0xFFFFFFFF


def test_posix_acl_is_evidence_and_its_other_entry_decides(tmp_path):
    acl = parse_posix_acl(_posix_acl((1, 6, ANY), (2, 4, 1000), (4, 4, ANY), (0x10, 4, ANY), (0x20, 4, ANY)))
    assert acl is not None and acl.others == READ
    assert acl.entries == ("user::rw-", "user:1000:r--", "group::r--", "mask::r--", "other::r--")
    assert parse_posix_acl(b"\x01\x00\x00\x00") is None          # unknown version
    assert parse_posix_acl(b"\x02\x00\x00\x00\x01") is None      # truncated
    path = tmp_path / "f"
    path.write_text("x")
    try:
        os.setxattr(path, "system.posix_acl_access",
                    _posix_acl((1, 6, ANY), (2, 4, 1000), (4, 0, ANY), (0x10, 4, ANY), (0x20, 0, ANY)))
    except OSError:
        pytest.skip("this filesystem has no POSIX ACLs")
    got = read_acl(path)
    assert got is not None and got.kind == "posix" and got.others == 0 and "user:1000:r--" in got.entries
    assert os.stat(path).st_mode & 0o7 == 0                       # the kernel keeps the mode in step


def _nfs4_ace(kind: int, mask: int, who: str) -> bytes:
    raw = who.encode()
    return struct.pack(">IIII", kind, 0, mask, len(raw)) + raw + b"\0" * (-len(raw) % 4)


def test_nfs4_acl_first_everyone_entry_decides():
    allow, deny, read_data, execute = 0, 1, 0x1, 0x20
    acl = parse_nfs4_acl(struct.pack(">I", 3) + _nfs4_ace(allow, read_data, "OWNER@")
                         + _nfs4_ace(deny, read_data, "EVERYONE@") + _nfs4_ace(allow, read_data | execute, "EVERYONE@"))
    assert acl is not None and acl.others == 1                   # read denied first; search allowed later
    acl = parse_nfs4_acl(struct.pack(">I", 1) + _nfs4_ace(allow, read_data, "EVERYONE@"))
    assert acl is not None and acl.others == READ
    no_entry = parse_nfs4_acl(struct.pack(">I", 1) + _nfs4_ace(allow, read_data, "GROUP@"))
    assert no_entry is not None and no_entry.others == 0         # nothing allowed to everyone is denied
    assert parse_nfs4_acl(struct.pack(">I", 1) + b"\0\0") is None


def test_public_is_unknown_when_the_walk_is_cut_short(tmp_path, monkeypatch):
    from scanner.connectors import local

    root = tmp_path / "big"
    _tree(root, {f"f{i}.txt": 0o600 for i in range(5)})
    assert _locations_public(root) is False
    monkeypatch.setattr(local, "MAX_EXPOSURE_ENTRIES", 3)
    assert _locations_public(root) is None                     # never "not public" without having looked
