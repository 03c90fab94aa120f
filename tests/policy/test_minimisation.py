from scanner.model import Severity
from scanner.policy.engine import evaluate

CASEWORK = {"purposes": [{"match": "s3://fs/casework/*", "purpose": "casework", "special_categories": ["health"],
                          "children": True},
                         {"match": "s3://fs/donors/*", "purpose": "fundraising",
                          "entities": ["PERSON", "EMAIL_ADDRESS"]},
                         {"match": "s3://fs/shop/*", "purpose": "shop", "payment": True}]}


def _run(f, uk, results, policy=CASEWORK):
    cs = f.containers(f.bucket("s3://fs"))
    return evaluate(results, cs, f.policy(policy), uk, f.now)


def _hits(out, rule):
    return sorted(v.target for v in out.violations if v.rule == rule)


def test_special_category_fires_outside_allowed_purpose_only(f, uk):
    out = _run(f, uk, [f.result("s3://fs/casework/a.doc", "s3://fs", special=["health"]),
                       f.result("s3://fs/casework/b.doc", "s3://fs", special=["health", "religion"]),
                       f.result("s3://fs/donors/c.csv", "s3://fs", special=["health"])])
    assert _hits(out, "minimisation.special_category_not_allowed") == ["s3://fs/casework/b.doc",
                                                                       "s3://fs/donors/c.csv"]
    v = next(v for v in out.violations if v.target == "s3://fs/casework/b.doc")
    assert v.evidence["special_categories"] == ["religion"] and v.severity is Severity.HIGH


def test_special_category_fires_when_no_purposes_declared(f, uk):
    out = _run(f, uk, [f.result("s3://fs/x", "s3://fs", special=["criminal_offence"])], policy={})
    assert _hits(out, "minimisation.special_category_not_allowed") == ["s3://fs/x"]
    assert _hits(out, "purpose.undeclared") == []        # no registry at all: nothing to be undeclared against


def test_children_not_allowed(f, uk):
    out = _run(f, uk, [f.result("s3://fs/casework/a", "s3://fs", children=True),
                       f.result("s3://fs/donors/b", "s3://fs", children=True)])
    assert _hits(out, "minimisation.children_not_allowed") == ["s3://fs/donors/b"]


def test_payment_card_needs_payment_purpose(f, uk):
    cards = {"PERSON": 1, "CREDIT_CARD": 3}
    out = _run(f, uk, [f.result("s3://fs/shop/orders.csv", "s3://fs", entities=cards),
                       f.result("s3://fs/donors/gifts.csv", "s3://fs", entities=cards)])
    assert _hits(out, "minimisation.payment_card_no_purpose") == ["s3://fs/donors/gifts.csv"]
    v = next(v for v in out.violations if v.rule == "minimisation.payment_card_no_purpose")
    assert v.evidence["entities"] == {"CREDIT_CARD": 3}
    # the card rule owns CREDIT_CARD: the entity rule does not report it twice
    assert _hits(out, "minimisation.entity_not_allowed") == []


def test_entity_not_allowed(f, uk):
    out = _run(f, uk, [f.result("s3://fs/donors/a.csv", "s3://fs", entities={"PERSON": 3, "UK_NINO": 2}),
                       f.result("s3://fs/donors/b.csv", "s3://fs", entities={"PERSON": 3, "EMAIL_ADDRESS": 1}),
                       f.result("s3://fs/casework/c", "s3://fs", entities={"UK_NINO": 1})])
    assert _hits(out, "minimisation.entity_not_allowed") == ["s3://fs/donors/a.csv"]
    v = next(v for v in out.violations if v.rule == "minimisation.entity_not_allowed")
    assert v.evidence["entities"] == {"UK_NINO": 2}


def test_purpose_undeclared_is_one_per_container(f, uk):
    out = _run(f, uk, [f.result("s3://fs/misc/a", "s3://fs"), f.result("s3://fs/misc/b", "s3://fs"),
                       f.result("s3://fs/donors/c", "s3://fs")])
    [v] = [v for v in out.violations if v.rule == "purpose.undeclared"]
    assert v.target == "s3://fs" and v.evidence["objects"] == 2


def test_duplicate_copies_by_content_hash(f, uk):
    cs = f.containers(f.bucket("s3://a"), f.bucket("s3://b"))
    res = [f.result("s3://a/x.csv", "s3://a", content_hash="h1"),
           f.result("s3://b/copy.csv", "s3://b", content_hash="h1"),
           f.result("s3://b/y.csv", "s3://b", content_hash="h2"),
           f.result("s3://b/empty", "s3://b", entities={}, subjects=0, content_hash="h2"),
           f.result("s3://a/s1", "s3://a", special=["health"], content_hash="h3"),
           f.result("s3://a/s2", "s3://a", special=["health"], content_hash="h3")]
    out = evaluate(res, cs, f.policy({"purposes": [{"match": "*", "purpose": "p", "special_categories": ["health"]}]}),
                   uk, f.now)
    dups = sorted((v.target, v.evidence["copies"], v.severity) for v in out.violations
                  if v.rule == "minimisation.duplicate_copies")
    assert dups == [("s3://a/s1", 2, Severity.MEDIUM), ("s3://a/x.csv", 2, Severity.LOW)]
    v = next(v for v in out.violations if v.target == "s3://a/x.csv")
    assert v.evidence["containers"] == ["s3://a", "s3://b"]
