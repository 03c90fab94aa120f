"""Issue 17 item 18: member and expanded-byte limits hold for a top-level object and everything nested in it."""
from __future__ import annotations

import io
import json
import zipfile

from click.testing import CliRunner

from scanner.cli import main


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def nested_zip(width: int, depth: int) -> bytes:
    """``width`` members per level, ``depth`` levels: width ** depth leaves (each a line with an e-mail)."""
    leaf = _zip({f"m{i}.txt": f"mail person{i}@example.org\n".encode() for i in range(width)})
    for _ in range(depth - 1):
        leaf = _zip({f"z{i}.zip": leaf for i in range(width)})
    return leaf


def _scan(tmp_path, limits: str) -> dict:
    cfg, out = tmp_path / "c.yaml", tmp_path / "r.json"
    cfg.write_text(f"scan:\n  limits:\n{limits}")
    res = CliRunner().invoke(main, ["scan", str(tmp_path / "src"), "-q", "--workers", "1", "--config", str(cfg),
                                    "--state", str(tmp_path / "s.db"), "-o", str(out)])
    assert res.exit_code == 0, res.output
    return json.loads(out.read_text())


def test_members_are_counted_across_nested_archives(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "bomb.zip").write_bytes(nested_zip(12, 3))          # 12 + 144 + 1,728 objects unbounded
    (tmp_path / "src" / "after.txt").write_text("mail bob.hartley@example.org\n")
    doc = _scan(tmp_path, "    archive_max_members: 50\n")
    uris = [o["uri"] for o in doc["objects"]]
    assert len(uris) <= 52
    top = next(o for o in doc["objects"] if o["uri"].endswith("/bomb.zip"))
    assert top["status"] == "failed" and "50 members in all" in top["reason"]
    assert any(o["uri"].endswith("after.txt") and o["status"] == "scanned" for o in doc["objects"])


def test_expanded_bytes_are_counted_across_nested_archives(tmp_path):
    (tmp_path / "src").mkdir()
    inner = _zip({f"m{i}.txt": b"x" * 40_000 + b"\nmail a@example.org\n" for i in range(4)})
    (tmp_path / "src" / "deep.zip").write_bytes(_zip({f"z{i}.zip": inner for i in range(6)}))
    doc = _scan(tmp_path, "    archive_max_total_bytes: 300000\n    archive_max_ratio: 100000\n")
    top = next(o for o in doc["objects"] if o["uri"].endswith("/deep.zip"))
    assert top["status"] == "failed" and "expanded in all" in top["reason"]
    assert sum(o["uri"].endswith(".txt") for o in doc["objects"]) < 24
