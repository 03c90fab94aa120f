"""subject --verify: re-read the matched objects live and say where each identifier is now."""
from __future__ import annotations

import dataclasses
from typing import Any, Sequence

from scanner.connectors import open_source
from scanner.errors import ScannerError
from scanner.executors import WorkerSpec
from scanner.model import Status
from scanner.pipeline import Worker, scan_object
from scanner.spool import run_spool
from scanner.store import Store
from scanner.subject import Match, SubjectQuery


def verify(matches: Sequence[Match], query: SubjectQuery, spec: WorkerSpec, store: Store) -> list[Match]:
    """Each match with ``verified``: still_holds, the kinds found now, and where (masked, never values).

    The Worker is built from ``spec`` as a scan's are, watching for the query's hashes everywhere."""
    wanted = {h: k for k, h in query.hashes}
    settings = dataclasses.replace(spec.settings, watch=frozenset(wanted), full_counts=True, show_values=False)
    live = dataclasses.replace(spec, settings=settings).build()
    with run_spool():                  # NOTE: temporary copies of re-read objects stay in the private folder
        return [dataclasses.replace(m, verified=_verify_one(m, wanted, live, store)) for m in matches]


def _verify_one(m: Match, wanted: dict[str, str], worker: Worker, store: Store) -> dict[str, Any]:
    top_uri = m.uri.split("!/", 1)[0]
    ref = store.object_ref(m.run_id, top_uri) if m.run_id is not None else None
    if ref is None:
        return {"still_holds": None, "error": "the object is no longer in the store"}
    try:
        connector = open_source(ref.container)
    except ScannerError as exc:
        return {"still_holds": None, "error": str(exc)}
    try:
        results = scan_object(connector, ref, worker)
    finally:
        connector.close()
    result = next((r for r in results if r.ref.uri == m.uri), None)
    if result is None or result.status is not Status.SCANNED:
        reason = result.reason if result is not None else "no longer present"
        return {"still_holds": None, "error": f"could not re-read: {reason}"}
    found = sorted({wanted[h] for _, h in result.index if h in wanted})
    where = [{"entity": f.entity, "where": dict(f.where), "masked": f.masked}
             for f in result.findings if f.hash in wanted]
    return {"still_holds": bool(found), "found": found, "locations": where}
