"""Issue 18 item 5: the layering holds. `detectors` never imports `scanner`; connectors and extractors never
import reports. Read with ast (every import, also function-local ones), so no module is executed."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def imported(path: Path, root: Path) -> set[str]:
    """Absolute module names imported by one file (relative imports resolved against its package)."""
    package = ".".join(path.relative_to(root).with_suffix("").parts[:-1])
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            module = ".".join([*base, node.module] if node.module else base)
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def offenders(folder: str, forbidden: str, root: Path = ROOT) -> list[str]:
    files = sorted((root / folder).rglob("*.py"))
    assert files, folder
    return [f"{p.relative_to(root)} imports {m}" for p in files for m in sorted(imported(p, root))
            if m == forbidden or m.startswith(forbidden + ".")]


def test_detectors_never_import_scanner():
    assert offenders("detectors", "scanner") == []


def test_connectors_and_extractors_never_import_reports():
    assert offenders("scanner/connectors", "scanner.reports") == []
    assert offenders("scanner/extract", "scanner.reports") == []


def test_the_check_sees_relative_and_local_imports(tmp_path):
    """The walker itself can fail: a function-local relative import of reports is caught."""
    (tmp_path / "scanner" / "extract").mkdir(parents=True)
    (tmp_path / "scanner" / "extract" / "probe.py").write_text(
        "import json\n\ndef f():\n    from ..reports import views\n    return views\n", encoding="utf-8")
    assert offenders("scanner/extract", "scanner.reports", root=tmp_path) == [
        "scanner/extract/probe.py imports scanner.reports",
        "scanner/extract/probe.py imports scanner.reports.views"]
