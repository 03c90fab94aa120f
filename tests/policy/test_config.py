from pathlib import Path

import pytest

from scanner.errors import ConfigError
from scanner.policy.config import PolicyConfig
from scanner.policy.rules import RULES, Principle

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "policy.yaml"


@pytest.mark.parametrize("data,where", [
    ({"purposes": [{"match": "*", "purpose": "x", "colour": "red"}]}, "test.yaml: purposes[0].colour: unknown key"),
    ({"purposes": [{"match": "*", "purpose": "x", "special_categories": ["heath"]}]},
     "test.yaml: purposes[0].special_categories[0]: must be one of"),
    ({"retention": [{"match": "*", "days": -1}]}, "test.yaml: retention[0].days:"),
    ({"retention": [{"match": "*"}]}, "test.yaml: retention[0].days:"),
    ({"safeguards": [{"mechanism": "Contract", "provider": "s3", "reference": "r"}]},
     "test.yaml: safeguards[0].mechanism: must be one of SCCs, IDTA, Addendum, BCRs"),
    ({"safeguards": [{"mechanism": "IDTA", "reference": "r"}]}, "test.yaml: safeguards[0]: needs at least one"),
    ({"suppressions": [{"rule": "retention.exceeded", "target": "*"}]}, "test.yaml: suppressions[0].reason:"),
    ({"suppressions": [{"rule": "no.such", "reason": "r"}]}, "test.yaml: suppressions[0].rule: unknown rule"),
    ({"suppressions": [{"rule": "retention.*", "reason": "r", "expires": "soon"}]},
     "test.yaml: suppressions[0].expires: must be a date"),
    ({"providers": {"s3": {"dpf_certifed": True}}}, "test.yaml: providers.s3.dpf_certifed: unknown key"),
    ({"providers": {"s3": {"dpf_certified": "yes"}}}, "test.yaml: providers.s3.dpf_certified: must be true or false"),
    ({"providers": {"dropbox": {}}}, "test.yaml: providers.dropbox: unknown key"),
    ({"onprem": [{"match": "smb://*", "country": "UK"}]}, "test.yaml: onprem[0].country: UK is not an ISO 3166-1 code: use GB"),
    ({"onprem": [{"match": "smb://*", "country": "gb"}]}, "test.yaml: onprem[0].country:"),
    ({"jurisdiction": "us"}, "test.yaml: jurisdiction: must be one of uk, eu"),
    ({"severities": {"retention.exceeded": "severe"}}, "test.yaml: severities.retention.exceeded: must be one of"),
    ({"purpose": []}, "test.yaml: purpose: unknown key"),
])
def test_errors_name_file_and_key_path(data, where):
    with pytest.raises(ConfigError) as exc:
        PolicyConfig.from_mapping(data, "test.yaml")
    assert str(exc.value).startswith(where), str(exc.value)


def test_defaults_are_empty():
    p = PolicyConfig()
    assert (p.purposes, p.safeguards, p.retention, p.suppressions, p.jurisdiction) == ((), (), (), (), None)
    assert PolicyConfig.from_mapping({}, "x.yaml") == PolicyConfig(source_name="x.yaml")


def test_example_policy_parses():
    p = PolicyConfig.from_file(EXAMPLE)
    assert p.jurisdiction == "uk" and p.source_name == str(EXAMPLE)
    assert p.provider_flags("gcs") == {"dpf_certified": True, "dpf_uk_extension": True}
    assert {s.mechanism for s in p.safeguards} == {"SCCs"}
    assert len(p.purposes) == 9 and len(p.retention) == 5 and len(p.suppressions) == 2


def test_file_errors_name_the_file(tmp_path):
    bad = tmp_path / "p.yaml"
    bad.write_text("purposes:\n  - match: '*'\n    purpose: x\n    payment: maybe\n")
    with pytest.raises(ConfigError, match=r"p\.yaml: purposes\[0\]\.payment: must be true or false"):
        PolicyConfig.from_file(bad)


def test_rule_catalogue_is_complete():
    required = {"transfer.not_adequate", "transfer.partial_unmet", "transfer.unknown_location",
                "minimisation.special_category_not_allowed", "minimisation.children_not_allowed",
                "minimisation.payment_card_no_purpose", "minimisation.entity_not_allowed",
                "minimisation.duplicate_copies", "retention.exceeded", "security.public_container",
                "security.world_readable", "security.unencrypted_special"}
    assert required <= set(RULES)
    for rid, rule in RULES.items():
        assert rule.id == rid and isinstance(rule.principle, Principle) and rule.short and len(rule.help) > 40
