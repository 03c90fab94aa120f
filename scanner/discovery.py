"""Config and baseline discovery, as gitleaks and semgrep do it: ``.pii-scan.yaml`` (or ``pii-scan.yaml``) and
``.pii-baseline.json`` are looked for in the current folder and each folder above it up to the repository root
(the first folder holding ``.git``). Outside a repository only the current folder is looked in: a stray file in
a home or temp folder must not change a scan. ``--config`` / ``--baseline`` win; ``--no-config`` turns it off.
"""
from __future__ import annotations

from pathlib import Path

CONFIG_NAMES = (".pii-scan.yaml", "pii-scan.yaml")
BASELINE_NAMES = (".pii-baseline.json",)


def _folders(start: Path) -> list[Path]:
    """``start`` and the folders above it up to the repository root; just ``start`` outside a repository."""
    chain = [start]
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return chain
        chain.append(folder.parent)
    return [start]


def find_upwards(names: tuple[str, ...], start: str | Path | None = None) -> Path | None:
    """The nearest file called one of ``names`` (in that order of preference within a folder), or None."""
    here = Path(start) if start is not None else Path.cwd()
    for folder in _folders(here.absolute()):
        for name in names:
            candidate = folder / name
            if candidate.is_file():
                return candidate
    return None


def discover(config_path: str | None, baseline_path: str | None, enabled: bool = True,
             start: str | Path | None = None) -> tuple[str | None, str | None, list[str]]:
    """The config and baseline to use, and the run header's lines naming any that were found, not given."""
    notes = []
    if enabled and config_path is None and (found := find_upwards(CONFIG_NAMES, start)) is not None:
        config_path = str(found)
        notes.append(f"config: {found} (found; --no-config to ignore)")
    if enabled and baseline_path is None and (found := find_upwards(BASELINE_NAMES, start)) is not None:
        baseline_path = str(found)
        notes.append(f"baseline: {found} (found; --no-config to ignore)")
    return config_path, baseline_path, notes
