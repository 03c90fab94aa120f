"""Every format renders a report whose objects are streamed (a stored run's, issue 16 item 4) holding only a few of
them at once: a renderer that makes a list of the objects (or keeps each one) fails here.

The report's objects are made afresh on each pass, as a stored run's are read from the store, and each is counted
while it is alive; the renderers may hold a handful (the one written, the one looked ahead), never hundreds. The
violations, which a report holds, are about those objects, so SARIF and HTML look up every one.
"""
from __future__ import annotations

import dataclasses
import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from scanner.reports import Format, write
from scanner.reports.model import Report, ReportObject, ReportViolation
from tests.alive import AliveCount
from tests.reports.helpers import sample_outcome

N = 400
MOST_ALIVE = 8               # what a streaming renderer may hold at once; a materialised list holds N


class CountedObjects(AliveCount):
    """N objects holding personal data in two containers, made on each pass, each counted while alive."""

    def __init__(self, template: ReportObject, containers: tuple[str, str], interleaved: bool = False) -> None:
        super().__init__()
        self.template, self.containers, self.interleaved = template, containers, interleaved
        self.passes = 0

    def __len__(self) -> int:
        return N

    def container(self, i: int) -> str:
        """The first half in the first container, or (interleaved) every other object."""
        return self.containers[i % 2 if self.interleaved else i * 2 // N]

    def uri(self, i: int) -> str:
        return f"{self.container(i)}/f{i:04}.txt"

    def __iter__(self) -> Iterator[ReportObject]:
        self.passes += 1
        for i in range(N):
            o = self.track(dataclasses.replace(self.template, uri=self.uri(i), container=self.container(i)))
            yield o
            del o


def _streamed_report(tmp_path: Path, interleaved: bool = False) -> tuple[Report, CountedObjects]:
    """The sample report with N streamed objects; the second container is not one of the report's (its objects
    are listed under "(other locations)"), or, ``interleaved``, a container whose uri extends the first's."""
    report = Report.from_outcome(sample_outcome(tmp_path / "share"))
    template = next(o for o in report.objects if o.has_personal and o.findings)
    first = report.containers[0]
    second = first.uri + ("-b" if interleaved else "-other")
    objects = CountedObjects(template, (first.uri, second), interleaved)
    rule = report.violations[0]
    violations = tuple(ReportViolation(rule.rule, rule.principle, rule.severity, objects.uri(i), rule.message,
                                       rule.advice, {}) for i in range(N))
    containers = (first, dataclasses.replace(first, uri=second)) if interleaved else report.containers
    return dataclasses.replace(report, objects=objects, violations=violations, containers=containers), objects


@pytest.mark.parametrize("fmt", list(Format))
def test_every_format_holds_a_few_objects_at_once(tmp_path: Path, fmt: Format) -> None:
    report, objects = _streamed_report(tmp_path)
    out = io.StringIO()
    write(fmt, report, out)
    text = out.getvalue()
    assert objects.passes >= 1
    assert objects.most <= MOST_ALIVE, f"{fmt.value} held {objects.most} of {N} objects at once"
    if fmt in (Format.JSON, Format.CSV, Format.HTML):
        assert all(objects.uri(i).rsplit("/", 1)[1] in text for i in (0, N // 2, N - 1))   # every object written


def test_the_counter_sees_a_list_made_of_the_objects(tmp_path: Path) -> None:
    """The check above can fail: a renderer that makes a list of the objects is caught."""
    report, objects = _streamed_report(tmp_path)
    held = list(report.objects)
    assert objects.most == N
    assert len(held) == N


def test_html_rows_stay_with_their_location_when_containers_interleave(tmp_path: Path) -> None:
    """Objects sorted by uri need not come location by location (``/a`` before ``/a-b`` but ``/a-b/x`` before
    ``/a/x``): each location still lists its own objects, every one once, and few are held at once."""
    report, objects = _streamed_report(tmp_path, interleaved=True)
    assert [c.uri for c in report.containers] == sorted(objects.containers)
    assert sorted([objects.uri(0), objects.uri(1)]) == [objects.uri(1), objects.uri(0)]   # /a-b/.. before /a/..
    out = io.StringIO()
    write(Format.HTML, report, out)
    html = out.getvalue()
    assert objects.most <= MOST_ALIVE
    first_section, second_section = html.split('<h3 id="loc-2">')
    assert f"{N // 2} object(s) holding personal data" in first_section
    assert f"{N // 2} object(s) holding personal data" in second_section
    for i in range(N):
        row = f"f{i:04}.txt<br>"
        assert html.count(row) == 1
        assert (row in first_section) == (i % 2 == 0)
