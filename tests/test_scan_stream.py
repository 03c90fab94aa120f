"""Issue 16 item 4: a scan's results stay in its store. Judging and every report read them on each pass, so the main
process never holds all of them (it held every ObjectResult at the end of a scan: ~6 KB an object, gigabytes at
millions of files); what a scan reports is unchanged (show-values, allowlist, strict)."""
from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path

import pytest

import scanner.store
from scanner import app
from scanner.baseline import AllowedResults, Allowlist, apply_allowlist
from scanner.config import load_config
from scanner.executors import WorkerSpec
from scanner.judge import judge
from scanner.model import ObjectResult, Status
from scanner.policy.context import JUDGED_FACTS, as_judged
from scanner.policy.engine import evaluate
from scanner.reports import Format, write
from scanner.reports.model import Report
from scanner.scan import ScanJob, run_scan
from scanner.store import Store, StoredResults
from tests.alive import AliveCount
from tests.corpus import build_share

QUIET = 300                    # files with nothing personal in them: what must never be held all at once


def _quiet_share(root: Path, n: int = QUIET) -> Path:
    for i in range(n):
        folder = root / f"d{i % 10}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"note{i:04}.txt").write_text(f"Meeting moved to room {i % 7}; bring the agenda.\n")
    return root


class Census(AliveCount):
    """Counts the results read from the store that are alive, and the most alive at once: the real
    ``_result_from_row`` runs, each result it makes is followed by a weakref finalizer."""

    def __init__(self) -> None:
        super().__init__()
        self.made = 0

    def wrap(self, real):
        def result_from_row(*args, **kwargs) -> ObjectResult:
            self.made += 1
            return self.track(real(*args, **kwargs))
        return result_from_row


@pytest.fixture
def census(monkeypatch) -> Census:
    c = Census()
    monkeypatch.setattr(scanner.store, "_result_from_row", c.wrap(scanner.store._result_from_row))
    return c


def _scan(source: Path, state: Path, outputs: tuple[str, ...] = (), **kw) -> app.ScanResult:
    return app.scan(app.ScanRequest((str(source),), workers=1, quiet=True, state_path=str(state),
                                    outputs=app.Outputs(outputs), **kw))


def test_a_scan_never_holds_all_its_results(tmp_path, worker, census):
    """A re-scan of 300 unchanged files judges them and writes every format from the store, with only a few read
    results alive at once: the scan path held all 300 (load_outcome's tuple) and fails here."""
    share, state = _quiet_share(tmp_path / "share"), tmp_path / "state.db"
    with Store(state) as store:                  # the first scan, with the session's detector
        run_scan(ScanJob((str(share),), WorkerSpec.of(worker)), store)
    census.made = 0
    outputs = tuple(str(tmp_path / f"r.{f.value}") for f in Format if f is not Format.CONSOLE)
    result = _scan(share, state, outputs)
    assert census.most <= 8, f"{census.most} of {QUIET} results alive at once"
    assert census.made >= 2 * QUIET                             # judged, tallied and rendered from the store
    assert len(result.report.objects) == QUIET == len(json.loads((tmp_path / "r.json").read_text())["objects"])
    with Store(state) as store:
        assert store.db.execute("SELECT count(*) FROM results").fetchone()[0] == QUIET     # nothing read again


def test_the_census_sees_results_held_together(tmp_path, worker, census):
    """The check above can fail: the same results made into a tuple are all alive together."""
    share = _quiet_share(tmp_path / "share", 50)
    with Store(tmp_path / "s.db") as store:
        outcome = run_scan(ScanJob((str(share),), WorkerSpec.of(worker)), store)
        held = tuple(outcome.results)
    assert census.most == len(held) == 50


def _first_scan(share: Path, state: Path, detector, config_path: Path, show_values: bool) -> None:
    """The first scan of ``share``, with the session's detector and the settings `scan` gives (so that the scan
    under test re-uses every result instead of building a detector of its own)."""
    from scanner.pipeline import Worker
    from scanner.privacy import Hasher, load_or_create_secret

    settings = load_config(str(config_path), show_values=show_values or None).scan
    w = Worker(settings=settings, detector=detector, hasher=Hasher(load_or_create_secret()))
    with Store(state) as store:
        run_scan(ScanJob((str(share),), WorkerSpec.of(w)), store)


def _as_before(state: Path, config_path: Path, baseline: dict | None = None) -> Report:
    """The latest run's report made as the scan made it before issue 16 item 4: every result held in a tuple
    (load_outcome), the allowlist applied to it, judged, and sorted into the report."""
    config = load_config(str(config_path))
    with Store(state) as store:
        held = store.load_outcome(store.latest_run(), with_index=bool(config.allowlist))
    assert isinstance(held.results, tuple)
    fresh = dataclasses.replace(held, violations=(), transfer={}, risk=None, suppressions=None, warnings=None,
                                allowlist=None)                  # as the scan had it before judging
    return Report.from_outcome(judge(apply_allowlist(fresh, config.allowlist), config.policy,
                                     config.scan.jurisdiction), baseline)


@pytest.mark.parametrize("show_values", [True, False])
def test_a_scan_reports_what_it_reported_from_held_results(tmp_path, detector, show_values, monkeypatch):
    """--show-values (raw values in the scan's own reports), an allowlist of a value, a path and an entity type
    (with its stats), a failed object (--strict), the example policy: every format the same as from held results."""
    monkeypatch.setenv("COLUMNS", "200")        # the console's width: wide enough to show each name whole
    share = build_share(tmp_path / "share").root
    (share / "exports" / "broken.json").write_text("{")
    state, cfg = tmp_path / "state.db", tmp_path / "policy.yaml"
    policy = (Path(__file__).resolve().parents[1] / "examples" / "policy.yaml").read_text()
    cfg.write_text(policy)
    _first_scan(share, state, detector, cfg, show_values)
    with Store(state) as store:
        results = tuple(store.iter_results(store.latest_run()))
    email = next(f.hash for r in results if r.ref.key.endswith("note-0142.txt") for f in r.findings
                 if f.entity == "EMAIL_ADDRESS")
    cfg.write_text(policy + f'\nallowlist:\n  values: ["{email}"]\n  paths: ["*/hr/*"]\n  entities: [IBAN_CODE]\n')
    outputs = tuple(str(tmp_path / f"r.{f.value}") for f in Format if f is not Format.CONSOLE)

    result = _scan(share, state, outputs, config_path=str(cfg), show_values=show_values)

    with Store(state) as store:
        # every result re-used but the failed object's (a failure may be transient: it is read again)
        assert store.db.execute("SELECT count(*) FROM results").fetchone()[0] == len(results) + 1
    assert isinstance(result.outcome.results, AllowedResults)
    assert isinstance(result.outcome.results.results, StoredResults)
    expected = _as_before(state, cfg)
    for fmt in Format:
        if fmt is Format.CONSOLE:
            continue
        out = io.StringIO()
        write(fmt, expected, out)
        assert (tmp_path / f"r.{fmt.value}").read_text() == out.getvalue(), fmt
    doc = json.loads((tmp_path / "r.json").read_text())
    assert doc["allowlist"]["findings_removed"] > 0 and doc["allowlist"]["objects_skipped"] == 1
    assert ("karen.hughes@example.com" in (tmp_path / "r.json").read_text()) is False        # allowlisted value
    assert ("m.ellison@example.net" in (tmp_path / "r.json").read_text()) is show_values
    shown = io.StringIO()
    app.render(Format.CONSOLE, result.report, shown, verbosity=1)     # after the scan closed its store
    again = io.StringIO()
    app.render(Format.CONSOLE, expected, again, verbosity=1)
    assert shown.getvalue() == again.getvalue() and "broken.json" in shown.getvalue()
    assert result.report.failed_objects == 1
    assert result.exit_code(None, strict=True) == 3 and result.exit_code(None, strict=False) == 0


def test_stored_results_are_read_again_on_each_pass(tmp_path, worker):
    """A scan's results: the run's, in uri order, as load_outcome gives them; read again on each pass (also once the
    store is closed: its file is opened again), with each subject index only when asked."""
    share = build_share(tmp_path / "share").root
    store = Store(tmp_path / "state.db")
    outcome = run_scan(ScanJob((str(share),), WorkerSpec.of(worker)), store)
    results = outcome.results
    assert isinstance(results, StoredResults) and not results.with_index
    held = store.load_outcome(outcome.run.id).results
    assert len(results) == len(held) == 6
    assert tuple(results) == held and tuple(results) == held                # twice: a view, not an iterator
    assert [r.ref.uri for r in results] == sorted(r.ref.uri for r in held)
    assert all(not r.index for r in results) and any(r.digest for r in results)
    indexed = dataclasses.replace(results, with_index=True)
    assert tuple(indexed) == store.load_outcome(outcome.run.id, with_index=True).results
    assert any(r.index for r in indexed)
    store.close()
    assert tuple(results) == held                                           # the closed store's file, opened again


def test_the_policy_reads_results_once_and_keeps_them_slim(tmp_path, worker):
    """evaluate reads its results in one pass (a generator is enough) and keeps only the objects holding personal
    data, without their findings, subject index, sample and evidence (as_judged): every rule family finds what it
    finds on the full results."""
    from scanner.locations import enrich, load_jurisdiction, load_location_maps
    from scanner.policy import transfer
    from scanner.policy.config import PolicyConfig
    from scanner.policy.context import Context
    from scanner.policy.engine import RULE_FAMILIES

    share = build_share(tmp_path / "share").root
    with Store(tmp_path / "state.db") as store:
        outcome = run_scan(ScanJob((str(share),), WorkerSpec.of(worker)), store)
        results = store.load_outcome(outcome.run.id, with_index=True).results
    policy = PolicyConfig.from_file(Path(__file__).resolve().parents[1] / "examples" / "policy.yaml")
    uk, maps = load_jurisdiction("uk"), load_location_maps()
    containers = {c.uri: enrich(c, maps, policy.onprem) for c in outcome.containers}
    now = outcome.run.started
    once = evaluate(iter(results), containers, policy, uk, now)
    assert once == evaluate(list(results), containers, policy, uk, now) and once.violations

    full = tuple(r for r in results if r.status is Status.SCANNED and r.holding.has_personal_data)
    assert len(full) == 3 and all(r.findings and r.index for r in full)
    transfers = transfer.container_transfers(containers, policy, uk, now.date())
    slim = Context.build(results, containers, policy, uk, now, transfers)
    assert [r.ref.uri for r in slim.personal] == [r.ref.uri for r in full]
    assert not any(r.findings or r.index or r.sample or r.holding.evidence for r in slim.personal)
    # only the facts a rule reads are kept (owner, mode, path are not), and the families below still agree
    assert all(set(r.ref.facts) <= set(JUDGED_FACTS) and r.ref.etag is None for r in slim.personal)
    assert all({"owner", "mode"} <= set(r.ref.facts) and r.ref.etag for r in full)
    assert [as_judged(r).holding.entities for r in full] == [r.holding.entities for r in slim.personal]
    whole = Context(full, containers, policy, uk, now, transfers)
    for family in RULE_FAMILIES:
        assert family(slim) == family(whole), family


def test_an_allowlist_on_a_stored_run_stays_a_view(tmp_path, worker):
    """apply_allowlist over a scan's results reads them once for its stats and leaves them in the store (a view
    filtering on each pass); over held results it gives the same results and stats."""
    share = build_share(tmp_path / "share").root
    with Store(tmp_path / "state.db") as store:
        outcome = run_scan(ScanJob((str(share),), WorkerSpec.of(worker), load_index=True), store)
        held = store.load_outcome(outcome.run.id, with_index=True)
        assert isinstance(outcome.results, StoredResults) and outcome.results.with_index
        allow = Allowlist.from_mapping({"paths": ["*/hr/*"], "entities": ["EMAIL_ADDRESS"]}, "test")
        streamed, from_held = apply_allowlist(outcome, allow), apply_allowlist(held, allow)
        assert isinstance(streamed.results, AllowedResults) and isinstance(from_held.results, tuple)
        assert tuple(streamed.results) == from_held.results and len(streamed.results) == len(from_held.results)
        assert streamed.allowlist == from_held.allowlist and streamed.allowlist["objects_skipped"] == 1
        assert streamed.allowlist["findings_removed"] > 0
        assert not any(f.entity == "EMAIL_ADDRESS" for r in streamed.results for f in r.findings)


def test_the_objects_violations_are_about_are_noted_in_the_summarys_pass(tmp_path, worker, census, monkeypatch):
    """Risks by location and baseline keys need the container and digest of each object a violation is about, the
    console the objects with personal data per location: the pass that adds up the summary notes them, so
    rendering the console and keying a baseline read no results from the store of their own, and give what a
    pass over the objects gives."""
    monkeypatch.setenv("COLUMNS", "200")                     # the console's width: names never wrapped
    from scanner.baseline import create_baseline
    from scanner.reports.views import ranked_risks

    share, state = build_share(tmp_path / "share").root, tmp_path / "state.db"
    with Store(state) as store:
        run_scan(ScanJob((str(share),), WorkerSpec.of(worker)), store)
    cfg = tmp_path / "policy.yaml"
    cfg.write_text((Path(__file__).resolve().parents[1] / "examples" / "policy.yaml").read_text())
    report = _scan(share, state, config_path=str(cfg)).report
    objects = [o for o in report.objects if o.uri in report.targets]
    assert objects and report.target_objects == {o.uri: (o.container, o.digest) for o in objects}
    census.made = 0
    risks, base = ranked_risks(report), create_baseline(report)
    console = io.StringIO()
    app.render(Format.CONSOLE, report, console)              # locations, read-in-part count: noted too
    assert census.made == 0                                  # no result read again for any of them
    held = dataclasses.replace(report, objects=tuple(report.objects))   # other objects: noted ones not used
    again = io.StringIO()
    app.render(Format.CONSOLE, held, again)
    assert again.getvalue() == console.getvalue() and "Personal data found" in console.getvalue()
    assert ranked_risks(held) == risks and create_baseline(held) == base and held.target_objects == \
        report.target_objects
    assert dict(held.places()) == dict(report.places()) and held.cut_count() == report.cut_count()
    assert held.noted is report.noted
    assert held.target_objects is not report.noted.entries     # worked out again from held's objects
