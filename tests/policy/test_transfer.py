from datetime import date

import pytest

from scanner.locations import TransferStatus
from scanner.model import Severity
from scanner.policy.engine import evaluate


def _rules(outcome, target=None):
    return {v.rule for v in outcome.violations if target is None or v.target == target}


def test_done_when_five_regions_under_uk(f, uk):
    regions = {"london": "eu-west-2", "frankfurt": "eu-central-1", "tokyo": "ap-northeast-1",
               "virginia": "us-east-1", "mumbai": "ap-south-1"}
    cs = f.containers(*(f.bucket(f"s3://{n}", location=r) for n, r in regions.items()))
    results = [f.result(f"s3://{n}/people.csv", f"s3://{n}") for n in regions]
    results.append(f.result("s3://mumbai/health.csv", "s3://mumbai", special=["health"]))
    out = evaluate(results, cs, f.policy(), uk, f.now)
    status = {n: out.transfers[f"s3://{n}"].status for n in regions}
    assert status == {"london": TransferStatus.DOMESTIC, "frankfurt": TransferStatus.ADEQUATE,
                      "tokyo": TransferStatus.ADEQUATE, "virginia": TransferStatus.PARTIAL,
                      "mumbai": TransferStatus.NOT_ADEQUATE}
    mumbai = [v for v in out.violations if v.target == "s3://mumbai" and v.rule.startswith("transfer.")]
    assert [(v.rule, v.severity) for v in mumbai] == [("transfer.not_adequate", Severity.HIGH)]
    assert mumbai[0].evidence["countries"] == ["IN"] and mumbai[0].evidence["special_categories"] == ["health"]
    assert _rules(out, "s3://virginia") == {"transfer.partial_unmet"}
    assert not _rules(out, "s3://london") | _rules(out, "s3://frankfurt") | _rules(out, "s3://tokyo")


def test_mumbai_with_idta_on_record_is_not_a_violation(f, uk):
    cs = f.containers(f.bucket("s3://mumbai", location="ap-south-1"))
    res = [f.result("s3://mumbai/health.csv", "s3://mumbai", special=["health"])]
    policy = f.policy({"safeguards": [{"mechanism": "IDTA", "location": "ap-south-*", "reference": "IDTA-7"}]})
    out = evaluate(res, cs, policy, uk, f.now)
    assert "transfer.not_adequate" not in _rules(out)
    assert out.transfers["s3://mumbai"].status is TransferStatus.NOT_ADEQUATE
    assert out.transfers["s3://mumbai"].safeguards == ("IDTA: IDTA-7",)


def test_eu_sccs_alone_do_not_count_under_uk_but_do_under_eu(f, uk, eu):
    cs = f.containers(f.bucket("s3://mumbai", location="ap-south-1"))
    res = [f.result("s3://mumbai/a.csv", "s3://mumbai")]
    policy = f.policy({"safeguards": [{"mechanism": "SCCs", "provider": "s3", "reference": "DPA-1"}]})
    uk_out = evaluate(res, cs, policy, uk, f.now)
    [v] = [v for v in uk_out.violations if v.rule == "transfer.not_adequate"]
    assert "UK Addendum" in v.advice and v.severity is Severity.MEDIUM
    assert "transfer.not_adequate" not in _rules(evaluate(res, cs, policy, eu, f.now))


def test_dpf_certification_per_provider_meets_the_us_condition(f, uk):
    cs = f.containers(f.bucket("s3://va", location="us-east-1"))
    res = [f.result("s3://va/a.csv", "s3://va")]
    only_eu_dpf = f.policy({"providers": {"s3": {"dpf_certified": True}}})
    both = f.policy({"providers": {"s3": {"dpf_certified": True, "dpf_uk_extension": True}}})
    other = f.policy({"providers": {"gcs": {"dpf_certified": True, "dpf_uk_extension": True}}})
    assert "transfer.partial_unmet" in _rules(evaluate(res, cs, only_eu_dpf, uk, f.now))
    assert "transfer.partial_unmet" in _rules(evaluate(res, cs, other, uk, f.now))
    out = evaluate(res, cs, both, uk, f.now)
    assert "transfer.partial_unmet" not in _rules(out)
    assert out.transfers["s3://va"].status is TransferStatus.PARTIAL and out.transfers["s3://va"].condition_met


def test_unknown_location_is_medium(f, uk):
    cs = f.containers(f.bucket("s3://odd", location="xx-nowhere-9"), f.bucket("smb://fs/share", provider="smb",
                                                                                location="fs"))
    res = [f.result("s3://odd/a.csv", "s3://odd", special=["health"]), f.result("smb://fs/share/a", "smb://fs/share")]
    out = evaluate(res, cs, f.policy(), uk, f.now)
    unknown = [v for v in out.violations if v.rule == "transfer.unknown_location"]
    assert {v.target for v in unknown} == {"s3://odd", "smb://fs/share"}
    assert all(v.severity is Severity.MEDIUM for v in unknown)


def test_unknown_host_location_says_it_is_the_host_name(f, uk):
    """Issue 19 item 13: "location 'vm'" did not say that 'vm' is the machine's host name."""
    cs = f.containers(f.bucket("file:///srv/share", provider="file", location="vm", location_type="on-prem"),
                      f.bucket("s3://odd", location="xx-nowhere-9"))
    res = [f.result("file:///srv/share/a", "file:///srv/share"), f.result("s3://odd/a.csv", "s3://odd")]
    out = evaluate(res, cs, f.policy(), uk, f.now)
    assert "host name 'vm'" in out.transfers["file:///srv/share"].basis
    assert "onprem rule" in out.transfers["file:///srv/share"].basis
    assert "location 'xx-nowhere-9'" in out.transfers["s3://odd"].basis


def test_onprem_rule_makes_share_domestic(f, uk, maps):
    from scanner.locations import OnPremRule
    cs = f.containers(f.bucket("smb://fs/share", provider="smb", location="fs"), onprem=[OnPremRule("smb://fs/*", "GB")])
    out = evaluate([f.result("smb://fs/share/a", "smb://fs/share")], cs, f.policy(), uk, f.now)
    assert out.transfers["smb://fs/share"].status is TransferStatus.DOMESTIC and not out.violations


@pytest.mark.parametrize("special,children,subjects,expected", [
    ((), False, 5, Severity.MEDIUM),
    (("religion",), False, 5, Severity.HIGH),
    ((), True, 5, Severity.HIGH),
    ((), False, 5000, Severity.HIGH),
    (("health",), False, 5000, Severity.CRITICAL),
])
def test_not_adequate_severity_rises_with_sensitivity_and_volume(f, uk, special, children, subjects, expected):
    cs = f.containers(f.bucket("s3://sg", location="ap-southeast-1"))
    res = [f.result("s3://sg/a", "s3://sg", special=special, children=children, subjects=subjects)]
    [v] = [v for v in evaluate(res, cs, f.policy(), uk, f.now).violations if v.rule.startswith("transfer.")]
    assert (v.rule, v.severity) == ("transfer.not_adequate", expected)


def test_no_personal_data_no_transfer_violation(f, uk):
    cs = f.containers(f.bucket("s3://mumbai", location="ap-south-1"))
    out = evaluate([f.result("s3://mumbai/x", "s3://mumbai", entities={}, subjects=0)], cs, f.policy(), uk, f.now)
    assert out.violations == () and out.transfers["s3://mumbai"].status is TransferStatus.NOT_ADEQUATE


def test_gibraltar_and_brazil_differ_between_regimes(uk, eu):
    from scanner.locations import transfer_status
    assert transfer_status(["GI"], uk).status is TransferStatus.ADEQUATE
    assert transfer_status(["GI"], eu).status is TransferStatus.NOT_ADEQUATE
    assert transfer_status(["BR"], uk).status is TransferStatus.NOT_ADEQUATE
    assert transfer_status(["BR"], eu).status is TransferStatus.ADEQUATE
    assert transfer_status(["GB"], eu).status is TransferStatus.ADEQUATE
    assert transfer_status(["GB"], eu, on=date(2032, 1, 1)).status is TransferStatus.NOT_ADEQUATE
