"""No network traffic except to named sources: the detector and a scan work with sockets blocked."""
from __future__ import annotations

import subprocess
import sys
import textwrap

from click.testing import CliRunner

from scanner.cli import main
from tests.core_fixtures import assert_clean_stderr

EMAILS = "Contact jane@example.co.uk, j.doe@charity.org.uk or x@foo.invalidtld about the referral.\n"


def test_scan_in_process_makes_no_network_attempt(tmp_path, no_network):
    (tmp_path / "a.txt").write_text(EMAILS)
    result = CliRunner().invoke(main, ["scan", str(tmp_path), "--format", "json", "-q", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert no_network.attempts == []
    assert '"EMAIL_ADDRESS": ' in result.output


GUARD = textwrap.dedent("""
    import ipaddress, socket, sys
    def _loop(host):
        try:
            return host in (None, "localhost") or ipaddress.ip_address(str(host).strip("[]")).is_loopback
        except ValueError:
            return False
    def hook(event, args):
        if event == "socket.getaddrinfo" and not _loop(args[0]):
            raise OSError("blocked lookup of " + repr(args[0]))
        if event == "socket.connect" and args[0].family in (socket.AF_INET, socket.AF_INET6) and not _loop(args[1][0]):
            raise OSError("blocked connect to " + repr(args[1][0]))
    sys.addaudithook(hook)
""")


def test_fresh_process_with_network_blocked_is_quiet(tmp_path, pii_home):
    """A new process (fresh tldextract/spaCy state, empty cache dirs) scans with no warning on stderr."""
    (tmp_path / "guard").mkdir()
    (tmp_path / "guard" / "sitecustomize.py").write_text(GUARD)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.txt").write_text(EMAILS)
    env = {"PYTHONPATH": str(tmp_path / "guard"), "PII_SCAN_HOME": str(pii_home), "HOME": str(tmp_path / "home"),
           "XDG_CACHE_HOME": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-m", "scanner.cli", "scan", str(tmp_path / "data"), "--format", "json"],
                          capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr
    assert_clean_stderr(proc.stderr)
    assert '"EMAIL_ADDRESS": ' in proc.stdout
