"""One error tree; every error carries the exit code the CLI turns it into (DESIGN.md, exit codes)."""
from __future__ import annotations


class ScannerError(Exception):
    """Base of every error pii-scan reports to the user. ``str(err)`` is the one-line message."""

    exit_code = 2


class UsageError(ScannerError):
    """A bad option or argument."""

    exit_code = 2


class ConfigError(ScannerError):
    """A configuration file that cannot be loaded; the message names the file and the key path."""

    exit_code = 2


class MissingDependency(ScannerError):
    """An optional SDK is not installed; the message names the extra to install."""

    exit_code = 2


class SourceError(ScannerError):
    """A named source could not be read at all (missing path, unknown bucket, bad credentials)."""

    exit_code = 3


class ObjectError(Exception):
    """One object could not be read; it is recorded as failed and the scan goes on. Not a ScannerError:
    it never reaches the CLI."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class SkipObject(Exception):
    """An object is deliberately not scanned (binary, encrypted, image without OCR, …)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INCOMPLETE = 3
