import pytest

from scanner.model import Severity
from scanner.policy.engine import evaluate

RET = {"retention": [{"match": "s3://fs/donors/*", "applies_to": ["*"], "days": 730},
                     {"match": "*", "applies_to": ["CREDIT_CARD"], "days": 1, "note": "never keep cards"},
                     {"match": "s3://fs/case/*", "applies_to": ["children"], "days": 100}]}


def _ret(f, uk, results):
    return [v for v in evaluate(results, f.containers(f.bucket("s3://fs")), f.policy(RET), uk, f.now).violations
            if v.rule == "retention.exceeded"]


def test_retention_fires_only_when_older_than_period(f, uk):
    vs = _ret(f, uk, [f.result("s3://fs/donors/old.csv", "s3://fs", age_days=800),
                      f.result("s3://fs/donors/new.csv", "s3://fs", age_days=700),
                      f.result("s3://fs/other/old.csv", "s3://fs", age_days=5000)])
    assert [(v.target, v.evidence["age_days"], v.evidence["period_days"]) for v in vs] == [
        ("s3://fs/donors/old.csv", 800, 730)]
    assert vs[0].severity is Severity.MEDIUM


def test_retention_uses_strictest_exceeded_period_and_category(f, uk):
    vs = _ret(f, uk, [f.result("s3://fs/donors/cards.csv", "s3://fs", entities={"CREDIT_CARD": 1}, age_days=800),
                      f.result("s3://fs/case/kid", "s3://fs", entities={"PERSON": 1}, children=True, age_days=150),
                      f.result("s3://fs/case/adult", "s3://fs", entities={"PERSON": 1}, age_days=150)])
    by = {v.target: v for v in vs}
    assert set(by) == {"s3://fs/donors/cards.csv", "s3://fs/case/kid"}
    assert by["s3://fs/donors/cards.csv"].evidence["period_days"] == 1
    assert by["s3://fs/donors/cards.csv"].evidence["categories"] == ["CREDIT_CARD"]
    assert "never keep cards" in by["s3://fs/donors/cards.csv"].message
    assert by["s3://fs/case/kid"].severity is Severity.HIGH


def _sec(f, uk, container, results):
    out = evaluate(results, f.containers(container), f.policy(), uk, f.now)
    return {(v.rule, v.target, v.severity) for v in out.violations if v.rule.startswith("security.")}


def test_public_bucket_with_personal_data_is_critical(f, uk):
    c = f.bucket("s3://pub", public=True)
    assert _sec(f, uk, c, [f.result("s3://pub/a", "s3://pub")]) == {
        ("security.public_container", "s3://pub", Severity.CRITICAL)}
    assert _sec(f, uk, c, [f.result("s3://pub/a", "s3://pub", entities={}, subjects=0)]) == set()
    assert _sec(f, uk, f.bucket("s3://priv", public=False), [f.result("s3://priv/a", "s3://priv")]) == set()


def test_world_readable_file_and_share(f, uk):
    share = f.bucket("file:///srv", provider="file", location=None)
    res = [f.result("file:///srv/a", "file:///srv", facts={"world_readable": True}),
           f.result("file:///srv/b", "file:///srv", facts={"world_readable": False})]
    assert _sec(f, uk, share, res) == {("security.world_readable", "file:///srv/a", Severity.CRITICAL)}
    open_share = f.bucket("smb://h/s", provider="smb", location=None, facts={"world_readable": True})
    assert _sec(f, uk, open_share, [f.result("smb://h/s/a", "smb://h/s", facts={"world_readable": True})]) == {
        ("security.world_readable", "smb://h/s", Severity.CRITICAL)}


@pytest.mark.parametrize("encrypted,special,expected", [
    (False, ["health"], {("security.unencrypted_special", "s3://b", Severity.HIGH)}),
    (False, [], {("security.unencrypted_personal", "s3://b", Severity.MEDIUM)}),
    (True, ["health"], set()),
    (None, ["health"], set()),   # unknown encryption is not reported as unencrypted
])
def test_unencrypted_bucket(f, uk, encrypted, special, expected):
    c = f.bucket("s3://b", encrypted=encrypted)
    assert _sec(f, uk, c, [f.result("s3://b/a", "s3://b", special=special)]) == expected
