"""The example charity policy against a synthetic estate: minimisation, retention and exposure rules fire."""
import math
from pathlib import Path

from scanner.locations import TransferStatus
from scanner.model import Severity
from scanner.policy.config import PolicyConfig
from scanner.policy.engine import evaluate
from scanner.policy.risk import people_affected, risk_of

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "policy.yaml"


def test_example_policy_on_a_charity_estate(f, uk):
    policy = PolicyConfig.from_file(EXAMPLE)
    cs = f.containers(
        f.bucket("smb://casework-fs01/casework", provider="smb", location="casework-fs01",
                 facts={"host": "casework-fs01"}),
        f.bucket("s3://cxk-fundraising", location="eu-west-2", public=True),
        f.bucket("gs://cxk-analytics", provider="gcs", location="US"),
        f.bucket("s3://cxk-offsite-backup", location="ap-south-1", encrypted=False),
        onprem=policy.onprem)
    case = {"PERSON": 4, "DATE_OF_BIRTH": 1, "UK_NHS": 1}
    results = [
        f.result("smb://casework-fs01/casework/yp-0042.docx", "smb://casework-fs01/casework", entities=case,
                 special=["health"], children=True, age_days=400, content_hash="k1"),
        f.result("smb://casework-fs01/casework/closed-2017.docx", "smb://casework-fs01/casework", entities=case,
                 age_days=3000),
        f.result("s3://cxk-fundraising/donors.csv", "s3://cxk-fundraising",
                 entities={"PERSON": 900, "EMAIL_ADDRESS": 900, "CREDIT_CARD": 12}, subjects=900, age_days=900),
        f.result("s3://cxk-fundraising/notes.txt", "s3://cxk-fundraising", entities={"PERSON": 2},
                 special=["health"], age_days=30),
        f.result("gs://cxk-analytics/events.parquet", "gs://cxk-analytics",
                 entities={"IP_ADDRESS": 5000, "EMAIL_ADDRESS": 40}, subjects=5000, age_days=500),
        f.result("s3://cxk-offsite-backup/casework/yp-0042.docx", "s3://cxk-offsite-backup", entities=case,
                 special=["health"], children=True, age_days=400, content_hash="k1"),
    ]
    out = evaluate(results, cs, policy, uk, f.now)
    got = {(v.rule, v.target) for v in out.violations}

    t = {uri: out.transfers[uri].status for uri in cs}
    assert t == {"smb://casework-fs01/casework": TransferStatus.DOMESTIC,
                 "s3://cxk-fundraising": TransferStatus.DOMESTIC,
                 "gs://cxk-analytics": TransferStatus.PARTIAL,          # condition met: Google DPF + UK Extension
                 "s3://cxk-offsite-backup": TransferStatus.NOT_ADEQUATE}
    assert out.transfers["gs://cxk-analytics"].condition_met is True
    # the backup relies on EU SCCs only, which do not count for UK data
    backup = next(v for v in out.violations if v.rule == "transfer.not_adequate")
    assert backup.target == "s3://cxk-offsite-backup" and backup.severity is Severity.HIGH
    assert "Addendum" in backup.advice

    expected = {
        ("minimisation.payment_card_no_purpose", "s3://cxk-fundraising/donors.csv"),
        ("minimisation.special_category_not_allowed", "s3://cxk-fundraising/notes.txt"),
        ("minimisation.entity_not_allowed", "gs://cxk-analytics/events.parquet"),
        ("retention.exceeded", "smb://casework-fs01/casework/closed-2017.docx"),
        ("retention.exceeded", "s3://cxk-fundraising/donors.csv"),
        ("retention.exceeded", "gs://cxk-analytics/events.parquet"),
        ("security.public_container", "s3://cxk-fundraising"),
        ("security.unencrypted_special", "s3://cxk-offsite-backup"),
        ("transfer.not_adequate", "s3://cxk-offsite-backup"),
    }
    assert expected <= got, expected - got
    # allowed by their purposes: casework may hold health and children's data; the young person's file is in period
    assert ("minimisation.special_category_not_allowed", "smb://casework-fs01/casework/yp-0042.docx") not in got
    assert ("retention.exceeded", "smb://casework-fs01/casework/yp-0042.docx") not in got
    # the casework file copied to the backup is a duplicate; the example suppresses it (backups copy by design)
    [dup] = [x for x in out.suppressed if x.violation.rule == "minimisation.duplicate_copies"]
    assert dup.violation.evidence["uris"] == ["s3://cxk-offsite-backup/casework/yp-0042.docx",
                                              "smb://casework-fs01/casework/yp-0042.docx"]
    assert dup.suppression.reason == "the backup bucket holds copies by design"
    assert not any(r == "minimisation.duplicate_copies" for r, _ in got)
    # card numbers: the 1-day retention for CREDIT_CARD is the strictest period exceeded
    donors = next(v for v in out.violations if v.rule == "retention.exceeded" and v.target.endswith("donors.csv"))
    assert donors.evidence["period_days"] == 1
    # the unused suppressions are listed
    assert [s.rule for s in out.unused_suppressions] == ["retention.exceeded"]
    # the organisation score is logarithmic in risk to people (issue 19 item 6): it does not saturate at 100
    total = sum(risk_of(v.rule, v.severity.value, people_affected(v.evidence)) for v in out.violations)
    assert out.org_risk.score == round(10 * math.log10(1 + total)) < 100
    assert out.org_risk.contributions[0].reason.startswith("security.public_container: 1 finding(s), ~901 people")
    assert out.container_risk["s3://cxk-fundraising"].score > out.container_risk["smb://casework-fs01/casework"].score
