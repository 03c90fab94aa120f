"""The evaluation harness: the dev corpus has exact, non-overlapping gold spans and is reproducible; the
scorer counts exact and overlap matches."""
from __future__ import annotations

import datetime as dt
import itertools

from benchmarks.eval.corpus import build_corpus
from benchmarks.eval.score import score
from detectors import checksums


def test_corpus_is_reproducible_with_exact_spans() -> None:
    a = build_corpus(48, 7, dt.date(2026, 1, 1))
    b = build_corpus(48, 7, dt.date(2026, 1, 1))
    assert [d.to_json() for d in a] == [d.to_json() for d in b]
    assert [d.text for d in build_corpus(48, 8, dt.date(2026, 1, 1))] != [d.text for d in a]
    for doc in a:
        spans = sorted((s["start"], s["end"]) for s in doc.spans)
        assert all(e1 <= s2 for (_, e1), (s2, _) in itertools.pairwise(spans))
        for s in doc.spans:
            value = doc.text[s["start"]:s["end"]]
            assert value == value.strip() and value
            if s["entity"] == "UK_NHS":
                assert checksums.nhs_mod11(value)
            if s["entity"] == "CREDIT_CARD":
                assert checksums.card_valid(value)


def test_corpus_has_look_alikes_and_policies() -> None:
    docs = build_corpus(48, 7, dt.date(2026, 1, 1))
    kinds = {d.kind for d in docs}
    assert {"lookalike", "policy", "case_note", "referral", "hr", "donor", "email", "court"} <= kinds
    assert all(not d.special and not d.spans for d in docs if d.kind == "policy" and "{" not in d.text)


def test_scorer_exact_and_overlap() -> None:
    gold = [(0, 10, "PERSON"), (20, 30, "LOCATION")]
    pred = [(0, 10, "PERSON"), (22, 30, "LOCATION"), (40, 45, "PERSON")]
    exact, overlap = score([(gold, pred)]), score([(gold, pred)], overlap=True)
    assert (exact["micro"].tp, exact["micro"].fp, exact["micro"].fn) == (1, 2, 1)
    assert (overlap["micro"].tp, overlap["micro"].fp, overlap["micro"].fn) == (2, 1, 0)
    assert overlap["PERSON"].precision == 0.5 and overlap["LOCATION"].f1 == 1.0


def test_public_corpus_scoring_maps_labels() -> None:
    """GUM/BTC: ORG is not scored; a USERNAME counts as PERSON (right on a person's handle, wrong elsewhere)."""
    from benchmarks.eval.public import gold_spans, scored

    record = {"text": "@ann_k at Acme in Leeds",
              "spans": [{"start": 0, "end": 6, "label": "PERSON"}, {"start": 10, "end": 14, "label": "ORG"},
                        {"start": 18, "end": 23, "label": "LOCATION"}]}
    gold = gold_spans(record)
    assert gold == [(0, 6, "PERSON"), (18, 23, "LOCATION")]
    pred = scored([(0, 6, "USERNAME", 0.9), (10, 14, "PERSON", 0.8), (18, 23, "LOCATION", 0.8),
                   (0, 6, "EMAIL_ADDRESS", 0.9)])
    assert pred == [(0, 6, "PERSON"), (10, 14, "PERSON"), (18, 23, "LOCATION")]
    micro = score([(gold, pred)], overlap=True)["micro"]
    assert (micro.tp, micro.fp, micro.fn) == (2, 1, 0)


def test_public_benchmark_scan_mode_keeps_the_ner_budget(detector) -> None:
    from benchmarks.eval.public import run_ours, run_scan

    short = "Yesterday Eustace Fairweather met the new tenant in Ripon."
    assert run_scan(detector, [short])[0] == run_ours(detector, [short])[0]
    # three persons establish PERSON in the first piece: the scan gives no NER to the rest of the object
    names = ["Ottoline Quibble", "Barnaby Thistlewood", "Perpetua Gaskell", "Cornelius Abernethy"]
    long = " ".join(f"On day {i} the clerk wrote to {names[i % 4]} about the rent." for i in range(300))
    scan, detect = run_scan(detector, [long])[0][0], run_ours(detector, [long])[0][0]
    in_scan, in_detect = (len([s for s in found if s[2] == "PERSON"]) for found in (scan, detect))
    assert in_detect >= 75 and 3 <= in_scan < in_detect / 2, (in_scan, in_detect)


def test_error_listing_names_misses_and_false_findings() -> None:
    from benchmarks.eval.errors import errors

    text = "Ann Lee met the Lee Foundation in Oslo."
    record = {"id": "x", "text": text, "spans": [
        {"start": 0, "end": 7, "label": "PERSON"}, {"start": 16, "end": 30, "label": "ORG"},
        {"start": 34, "end": 38, "label": "LOCATION"}]}
    predicted = [(0, 3, "PERSON", "rule"), (16, 19, "PERSON", "mention")]
    rows = errors([record], [predicted])
    assert [(r[0], r[1], r[2], r[4]) for r in rows] == [
        ("FN", "LOCATION", "one-word place", "Oslo"), ("FP", "PERSON", "on gold ORG", "Lee")]


def test_error_listing_refuses_a_test_half(tmp_path) -> None:
    import pytest

    from benchmarks.eval.errors import main

    with pytest.raises(SystemExit):
        main(["gum.test", str(tmp_path / "x.tsv")])


def test_the_synthetic_corpus_is_the_same_whatever_the_hash_seed():
    import os
    import subprocess
    import sys

    code = ("import datetime as dt, hashlib\nfrom benchmarks.eval.corpus import build_corpus\n"
            "docs = build_corpus(120, 7, dt.date(2026, 12, 2))\n"
            "print(hashlib.sha256('\\n'.join(d.text for d in docs).encode()).hexdigest())")
    digests = {subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONHASHSEED": seed},
                              capture_output=True, text=True, check=True).stdout for seed in ("1", "3")}
    assert len(digests) == 1 and len(digests.pop()) == 65
