"""smb:// against Samba's smbd on a loopback high port."""
from __future__ import annotations

import os
import shutil

import pytest

from scanner.connectors import open_source
from scanner.connectors.smb import load_credentials
from scanner.errors import ObjectError, SourceError, UsageError

from .conftest import write_tree


@pytest.fixture(scope="session")
def smb_world(smb_seeded):
    server = smb_seeded
    write_tree(server.shares["closed"] / "hr", {"staff.csv": b"name\nA\n"}, server.user)
    root = server.shares["open"] / "mixed"
    write_tree(root, {"readable.txt": b"fine", "secret.txt": b"no", "locked/inner.txt": b"no"}, server.user)
    for path, mode in ((root / "secret.txt", 0o600), (root / "locked", 0o700)):
        shutil.chown(path, user="root")       # the share user cannot read these
        path.chmod(mode)
    return server


def test_size_and_mtime_match_the_server_files(smb_world, smb_env):
    conn = open_source(smb_world.url("open", "docs"))
    (container,) = conn.containers()
    for ref in conn.objects(container):
        st = os.stat(smb_world.shares["open"] / ref.key)
        assert ref.size == st.st_size
        assert abs(ref.modified.timestamp() - st.st_mtime) < 1e-5
    conn.close()


def test_everyone_readable_share_is_exposed(smb_world, smb_env):
    (open_share,) = open_source(smb_world.url("open")).containers()
    assert open_share.public is True and "Everyone" in open_share.facts["root_readable_by"]
    assert open_share.facts["share_acl"] == "unknown"
    (closed,) = open_source(smb_world.url("closed")).containers()
    assert closed.public is False and "Everyone" not in closed.facts["root_readable_by"]


def test_denied_file_and_folder_are_recorded_and_the_walk_goes_on(smb_world, smb_env):
    conn = open_source(smb_world.url("open", "mixed"))
    (container,) = conn.containers()
    refs = {ref.key: ref for ref in conn.objects(container)}
    assert refs["mixed/locked"].facts["error"] == "cannot list: access denied"
    with pytest.raises(ObjectError, match=r"^access denied$"):
        conn.open(refs["mixed/secret.txt"])
    with conn.open(refs["mixed/readable.txt"]) as fh:
        assert fh.read() == b"fine"
    conn.close()


def test_credentials_file(smb_world, smb_env, tmp_path, monkeypatch):
    creds = tmp_path / "smb-credentials"
    creds.write_text(f"username = {smb_world.user}\npassword = {smb_world.password}\ndomain = WORKGROUP\n")
    for name in ("PII_SCAN_SMB_USER", "PII_SCAN_SMB_PASSWORD"):
        monkeypatch.delenv(name)
    monkeypatch.setenv("PII_SCAN_SMB_CREDENTIALS", str(creds))
    assert load_credentials(None).principal == f"WORKGROUP\\{smb_world.user}"
    (container,) = open_source(smb_world.url("closed")).containers()
    assert container.uri == f"smb://{smb_world.host}:{smb_world.port}/closed"


def test_environment_wins_over_the_file(tmp_path):
    creds = tmp_path / "c"
    creds.write_text("username=fileuser\npassword=filepw\n")
    env = {"PII_SCAN_SMB_CREDENTIALS": str(creds), "PII_SCAN_SMB_USER": "envuser"}
    got = load_credentials("urluser", env)
    assert (got.username, got.password, got.domain) == ("envuser", "filepw", None)


def test_bad_password_is_a_source_error_without_the_password(smb_world, smb_env, monkeypatch):
    monkeypatch.setenv("PII_SCAN_SMB_PASSWORD", "wrong-pw-123")
    with pytest.raises(SourceError) as err:
        list(open_source(smb_world.url("open")).containers())
    assert "logon failure" in str(err.value) and "wrong-pw-123" not in str(err.value)


def test_missing_share_is_a_source_error(smb_world, smb_env):
    with pytest.raises(SourceError, match=r"no such share|not found"):
        list(open_source(smb_world.url("nosuchshare")).containers())


def test_password_in_the_url_is_refused():
    with pytest.raises(UsageError, match="PII_SCAN_SMB_PASSWORD"):
        open_source("smb://user:pw@127.0.0.1/share")


def test_stays_on_loopback(smb_world, smb_env, no_network):
    conn = open_source(smb_world.url("open", "docs"))
    (container,) = conn.containers()
    assert len(list(conn.objects(container))) == 3
    conn.close()
