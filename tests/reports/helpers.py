"""A hand-built ScanOutcome with violations, containers in several countries and a hostile file name."""
from __future__ import annotations

from datetime import datetime, UTC
from pathlib import Path

from scanner.model import (Container, Finding, Holding, ObjectRef, ObjectResult, RunInfo, ScanOutcome, Severity,
                           SourceFailure, Status, Violation)

HOSTILE = "<script>alert(1)</script>.txt"
RAW = ["jane.whitfield@example.org", "943 476 5919", "4111 1111 1111 1111"]   # never in any report
WHEN = datetime(2026, 10, 1, 9, 30, tzinfo=UTC)


def _ref(container: str, key: str, size: int = 100) -> ObjectRef:
    return ObjectRef(uri=f"{container}/{key}", container=container, key=key, size=size, modified=WHEN, etag="e")


def sample_outcome(root: Path, *, failures: bool = False, extra_violation: bool = False) -> ScanOutcome:
    local = root.absolute().as_uri()
    s3 = "s3://cxk-backup"
    results = [
        ObjectResult(_ref(local, "hr/staff.csv"), Status.SCANNED,
                     holding=Holding({"EMAIL_ADDRESS": 3, "PERSON": 3}, subjects_estimate=3),
                     findings=(Finding("EMAIL_ADDRESS", 0.95, {"line": 2, "column": 16}, "j***@e***.org", "a" * 32,
                                       value=RAW[0]),
                               Finding("PERSON", 0.85, {"line": 2, "column": 1}, "J*** W***", "b" * 32)),
                     index=(("EMAIL_ADDRESS", "a" * 32), ("PERSON", "b" * 32))),
        ObjectResult(_ref(local, HOSTILE), Status.SCANNED,
                     holding=Holding({"UK_NHS": 1}, special_categories=("health",), children=True,
                                     subjects_estimate=1),
                     findings=(Finding("UK_NHS", 1.0, {"line": 3}, "******5919", "c" * 32),),
                     index=(("UK_NHS", "c" * 32),)),
        ObjectResult(_ref(local, "=cmd|' /C calc'!A0.csv"), Status.SCANNED,
                     holding=Holding({"PHONE_NUMBER": 1}, subjects_estimate=1),
                     findings=(Finding("PHONE_NUMBER", 0.7, {"line": 1}, "*********456", "d" * 32),),
                     index=(("PHONE_NUMBER", "d" * 32),)),
        ObjectResult(_ref(local, "logo.bin"), Status.SKIPPED, "binary file"),
        ObjectResult(_ref(local, "locked.txt", 50), Status.FAILED, "permission denied"),
        ObjectResult(_ref(s3, "cards.csv", 2000), Status.SCANNED,
                     holding=Holding({"CREDIT_CARD": 2, "PERSON": 2}, subjects_estimate=2),
                     findings=(Finding("CREDIT_CARD", 1.0, {"column": "card", "line": 2}, "************1111",
                                       "e" * 32),),
                     index=(("CREDIT_CARD", "e" * 32),)),
    ]
    containers = (Container(local, "file", "vm", countries=("GB",)),
                  Container(s3, "s3", "us-east-1", "region", countries=("US",), public=True, encrypted=False))
    violations = [
        Violation("security.public_container", "Be securely kept", Severity.CRITICAL, s3,
                  "Public container holding personal data (1 object(s), ~2 subjects)", "Block public access now.",
                  {"objects": 1}),
        Violation("transfer.not_adequate", "Not be transferred to countries without adequate protection",
                  Severity.HIGH, s3, "Personal data in US without adequate protection", "Put an IDTA in place.",
                  {"countries": ["US"]}),
        Violation("minimisation.special_category_not_allowed", "Be adequate, relevant and not excessive",
                  Severity.HIGH, f"{local}/{HOSTILE}", "Special-category data (health) where the purpose does not "
                  "allow it", "Move the records to the casework system."),
        Violation("custom.unknown_rule", "Be accurate and up to date", Severity.LOW, f"{local}/hr/staff.csv",
                  "A rule this version's catalogue does not know", "Check it."),
    ]
    if extra_violation:
        violations.append(Violation("minimisation.payment_card_no_purpose", "Be adequate, relevant and not excessive",
                                    Severity.HIGH, f"{s3}/cards.csv", "2 card number(s) where no payment purpose",
                                    "Delete the card numbers."))
    transfer = {local: {"status": "domestic", "basis": "GB is within the UK", "condition": None},
                s3: {"status": "not_adequate", "basis": "US: no adequacy for this recipient", "condition": None}}
    risk = {"organisation": {"score": 77, "contributions": [{"reason": "highest container: s3", "points": 77}]},
            "containers": {s3: {"score": 77, "contributions": [{"reason": "public", "points": 40}]}}}
    return ScanOutcome(
        run=RunInfo("run0001", "uk", (str(root),), WHEN, WHEN),
        containers=containers, results=tuple(results), violations=tuple(violations),
        source_failures=(SourceFailure("s3://gone-bucket", "bucket does not exist"),) if failures else (),
        transfer=transfer, risk=risk)
