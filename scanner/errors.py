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
EXIT_INTERNAL = 4


class InternalError(ScannerError):
    """A bug: the scan could not go on. One line, a hint, and the traceback only under -vv."""

    exit_code = EXIT_INTERNAL


def as_scanner_error(exc: BaseException) -> ScannerError | None:
    """An environment failure that escaped as a library exception, as the one-line error it is (exit 2):
    a damaged or full state store, an unwritable or misplaced data directory. None for anything else."""
    import sqlite3

    if isinstance(exc, ScannerError):
        return exc
    if isinstance(exc, (sqlite3.ProgrammingError, sqlite3.IntegrityError, sqlite3.InterfaceError)):
        return None                       # our SQL, not the file: a bug
    if isinstance(exc, sqlite3.DatabaseError):
        text = str(exc).split("\n")[0]
        if "full" in text:
            return UsageError(f"the state store's disk is full ({text}); free space or use --state elsewhere")
        if isinstance(exc, sqlite3.OperationalError) and ("readonly" in text or "unable to open" in text):
            return UsageError(f"cannot write the state store ({text}); check PII_SCAN_HOME or --state")
        return UsageError(f"the state store is damaged or not a pii-scan store ({text}); "
                          "restore it from a backup or use --state for a new one")
    if isinstance(exc, OSError) and exc.errno is not None:
        where = f"{exc.filename}: " if exc.filename else ""
        return UsageError(f"{where}{exc.strerror or exc.__class__.__name__} "
                          "(check PII_SCAN_HOME, --state and the output paths)")
    return None
