from datetime import date

import pytest

from scanner.model import Severity, Violation
from scanner.policy.config import Suppression
from scanner.policy.engine import evaluate, severity_at_least
from scanner.policy.risk import container_score, org_score
from scanner.policy.context import Summary
from scanner.policy.suppress import apply


def _v(rule, target, sev=Severity.HIGH):
    return Violation(rule=rule, principle="p", severity=sev, target=target, message="m", advice="a")


def test_suppression_by_rule_and_target_glob_with_expiry_and_unused():
    vs = [_v("retention.exceeded", "s3://a/old"), _v("retention.exceeded", "s3://b/old"),
          _v("security.public_container", "s3://a")]
    sups = [Suppression("retention.*", "s3://a/*", "legal hold"),
            Suppression("security.public_container", "s3://a", "website assets", expires=date(2026, 1, 1)),
            Suppression("minimisation.duplicate_copies", "*", "never matches", expires=date(2030, 1, 1))]
    r = apply(vs, sups, date(2026, 6, 1))
    assert [s.violation.target for s in r.suppressed] == ["s3://a/old"]
    assert r.suppressed[0].suppression.reason == "legal hold"
    assert [v.target for v in r.kept] == ["s3://b/old", "s3://a"]
    public = r.kept[1]
    assert "suppression expired 2026-01-01 (website assets)" in public.evidence["suppression_expired"]
    assert [s.reason for s in r.expired] == ["website assets"]
    assert [s.reason for s in r.unused] == ["never matches"]
    # before its expiry date the same suppression still suppresses
    assert len(apply(vs, sups, date(2025, 12, 31)).suppressed) == 2


def test_engine_reports_suppressed_expired_unused_and_warnings(f, uk):
    cs = f.containers(f.bucket("s3://pub", public=True), f.bucket("s3://pub2", public=True))
    res = [f.result("s3://pub/a", "s3://pub"), f.result("s3://pub2/a", "s3://pub2")]
    policy = f.policy({"suppressions": [
        {"rule": "security.public_container", "target": "s3://pub", "reason": "open data", "expires": "2027-01-01"},
        {"rule": "security.public_container", "target": "s3://pub2", "reason": "was fine", "expires": "2026-01-01"},
        {"rule": "retention.exceeded", "target": "*", "reason": "unused"}]})
    out = evaluate(res, cs, policy, uk, f.now)
    assert [s.violation.target for s in out.suppressed] == ["s3://pub"]
    assert [v.target for v in out.violations if v.rule == "security.public_container"] == ["s3://pub2"]
    assert [s.reason for s in out.expired_suppressions] == ["was fine"]
    assert [s.reason for s in out.unused_suppressions] == ["unused"]
    assert any("expired on 2026-01-01" in w for w in out.warnings)
    assert any("matched nothing" in w and "unused" in w for w in out.warnings)
    # suppressed violations do not count towards risk
    assert out.container_risk["s3://pub2"].score > out.container_risk["s3://pub"].score


def test_severity_at_least_and_overrides(f, uk):
    vs = [_v("a", "t", Severity.LOW), _v("b", "t", Severity.HIGH), _v("c", "t", Severity.CRITICAL)]
    assert [v.rule for v in severity_at_least(vs, Severity.HIGH)] == ["b", "c"]
    assert severity_at_least(vs[:1], Severity.MEDIUM) == ()
    cs = f.containers(f.bucket("s3://pub", public=True))
    out = evaluate([f.result("s3://pub/a", "s3://pub")], cs,
                   f.policy({"severities": {"security.public_container": "low"}}), uk, f.now)
    assert [(v.rule, v.severity) for v in out.violations] == [("security.public_container", Severity.LOW)]


def test_violations_are_sorted_deterministically(f, uk):
    cs = f.containers(f.bucket("s3://b", public=True), f.bucket("s3://a", location="ap-south-1"))
    res = [f.result("s3://b/x", "s3://b", special=["health"]), f.result("s3://a/y", "s3://a")]
    out1 = evaluate(res, cs, f.policy(), uk, f.now)
    out2 = evaluate(list(reversed(res)), dict(reversed(list(cs.items()))), f.policy(), uk, f.now)
    assert out1.violations == out2.violations
    ranks = [v.severity.rank for v in out1.violations]
    assert ranks == sorted(ranks, reverse=True)


def test_container_score_lists_its_contributions():
    s = Summary(objects=3, entities={"PERSON": 9}, special_categories=("health",), children=True, subjects=150)
    score = container_score(s, [_v("security.public_container", "s3://a", Severity.CRITICAL),
                                _v("retention.exceeded", "s3://a/1", Severity.MEDIUM),
                                _v("retention.exceeded", "s3://a/2", Severity.MEDIUM)])
    reasons = {c.reason: c.points for c in score.contributions}
    assert reasons == {"personal data in 3 object(s)": 10, "special-category data: health": 15,
                       "children's data": 10, "~150 data subjects (≥ 100)": 10,
                       "security.public_container (critical, 1x)": 40, "retention.exceeded (medium, 2x)": 13}
    assert score.score == 98
    assert [c.points for c in score.contributions] == sorted((c.points for c in score.contributions), reverse=True)
    assert container_score(Summary(), []).score == 0


def test_score_is_capped_and_org_score_rolls_up():
    big = container_score(Summary(objects=1, special_categories=("health",), children=True, subjects=5000),
                          [_v("security.public_container", "x", Severity.CRITICAL),
                           _v("transfer.not_adequate", "x", Severity.CRITICAL)])
    assert big.score == 100 and sum(c.points for c in big.contributions) > 100
    small = container_score(Summary(objects=1, subjects=1), [_v("retention.exceeded", "y", Severity.MEDIUM)])
    assert small.score == 22
    assert org_score([]).score == 0


def _ev(rule, sev, people):
    return Violation(rule=rule, principle="p", severity=sev, target="t", message="m", advice="a",
                     evidence={"subjects_estimate": people})


@pytest.mark.parametrize("violations,score", [
    ([_ev("retention.exceeded", Severity.LOW, 1)], 3),                        # 10*log10(1 + 1)
    ([_ev("transfer.not_adequate", Severity.HIGH, 100)], 30),                 # 10*log10(1 + 9*100)
    ([_ev("security.public_container", Severity.CRITICAL, 6000)], 52),        # 10*log10(1 + 27*6000)
    ([_ev("transfer.partial_unmet", Severity.HIGH, 6000)], 37),               # certainty 0.1: 10*log10(1 + 5400)
    ([_ev("security.public_container", Severity.CRITICAL, 6000)] * 2, 55),    # twice the risk: +3
])
def test_org_score_is_logarithmic_in_risk_to_people(violations, score):
    """Issue 19 item 6: the organisation score tells ten people from ten thousand instead of saturating at 100."""
    assert org_score(violations).score == score


def test_org_score_contributions_are_each_rules_share():
    org = org_score([_ev("security.public_container", Severity.CRITICAL, 200),
                     _ev("retention.exceeded", Severity.MEDIUM, 1), _ev("retention.exceeded", Severity.MEDIUM, 1)])
    assert org.score == 37
    assert [(c.reason, c.points) for c in org.contributions] == [
        ("security.public_container: 1 finding(s), ~200 people, risk 5400", 37)]


def test_engine_risk_explains_why_one_bucket_outscores_another(f, uk):
    cs = f.containers(f.bucket("s3://hot", location="ap-south-1", public=True), f.bucket("s3://cool"))
    res = [f.result("s3://hot/a", "s3://hot", special=["health"], subjects=200), f.result("s3://cool/b", "s3://cool")]
    out = evaluate(res, cs, f.policy({"purposes": [{"match": "*", "purpose": "p", "special_categories": ["health"]}]}),
                   uk, f.now)
    hot, cool = out.container_risk["s3://hot"], out.container_risk["s3://cool"]
    assert cool.score == 10 and [c.reason for c in cool.contributions] == ["personal data in 1 object(s)"]
    hot_reasons = [c.reason for c in hot.contributions]
    assert "security.public_container (critical, 1x)" in hot_reasons
    assert "transfer.not_adequate (high, 1x)" in hot_reasons
    # the hot bucket's container score saturates; the organisation's, by risk to people, does not
    assert hot.score == 100 and out.org_risk.score == 39
    assert [c.points for c in out.org_risk.contributions] == [29, 10]
