"""One scan: sources → containers → objects → results → policy → ScanOutcome."""
from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime, timezone
from typing import Callable, Iterable

from scanner.config import ScanSettings
from scanner.connectors import open_source
from scanner.connectors.base import ConnectorOptions
from scanner.errors import ScannerError, SourceError
from scanner.model import Container, ObjectResult, RunInfo, ScanOutcome, SourceFailure
from scanner.pipeline import Worker, enumerate_objects, scan_object

Progress = Callable[[ObjectResult], None]


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def run_scan(sources: Iterable[str], settings: ScanSettings, worker: Worker,
             options: ConnectorOptions | None = None, progress: Progress | None = None) -> ScanOutcome:
    sources = tuple(sources)
    run = RunInfo(id=uuid.uuid4().hex[:12], jurisdiction=settings.jurisdiction, sources=sources, started=utcnow())
    containers: dict[str, Container] = {}
    results: list[ObjectResult] = []
    failures: list[SourceFailure] = []
    for raw in sources:
        try:
            connector = open_source(raw, options)
        except SourceError as exc:
            failures.append(SourceFailure(raw, str(exc)))
            continue
        try:
            for container in connector.containers():
                containers.setdefault(container.uri, container)
                for ref in enumerate_objects(connector, container, settings):
                    for result in scan_object(connector, ref, worker):
                        results.append(result)
                        if progress:
                            progress(result)
        except SourceError as exc:
            failures.append(SourceFailure(raw, str(exc)))
        finally:
            connector.close()
    results.sort(key=lambda r: r.ref.uri)
    return ScanOutcome(run=replace(run, finished=utcnow()), containers=tuple(containers.values()),
                       results=tuple(results), source_failures=tuple(failures))


__all__ = ["run_scan", "ScannerError"]
