"""A column's values scanned together give exactly what scanning each alone gives; the phone pass asks
phonenumbers about small windows only and still finds what the whole-line matcher found."""
from __future__ import annotations

import phonenumbers
import pytest

from detectors import fastpath
from detectors.fastpath import PhonePass

COLUMNS = {
    "mixed": ["GB82 WEST 1234 5698 7654 32", "jo@example.org", "not an email", "", "943 476 5919",
              "AB 12 34 56 C", "SW1A 1AA", "4111 1111 1111 1111", "10.0.0.1", "2024-03-01", "£1,234.56"],
    # neighbouring cells must not lend each other context ("example" lowers a score; "NHS" raises one)
    "context": ["example", "943 476 5919", "NHS", "943 476 5919", "test value", "jo@example.org"],
    # values that end or start mid-pattern: nothing may join across cells
    "split": ["GB82 WEST 1234", "5698 7654 32", "jo@", "example.org", "943 476", "5919"],
    "unicode": ["Zoë Brontë", "née Smith 943 476 5919", "✓ jo@example.org", "日本 AB 12 34 56 C"],
}


@pytest.mark.parametrize("name", sorted(COLUMNS))
@pytest.mark.parametrize("header", ["", "nhs_number", "notes"])
def test_values_scanned_together_match_values_scanned_alone(detector, name, header):
    patterns = detector._patterns
    values = COLUMNS[name]
    alone = [patterns.candidates(v, header) for v in values]
    assert patterns.candidates_many(values, header) == alone
    # the columns hold candidates, so the comparison means something; split values hold none alone
    assert any(alone) is (name != "split")


def test_the_phone_pass_finds_numbers_in_long_lines_with_extensions():
    filler = "The volunteer rota for next month is attached. " * 40
    text = f"{filler}Call 020 7946 0958 ext. 123 or +44 7400 123456, or 447400 123457. {filler}"
    found = {text[s:e] for s, e, _ in PhonePass().candidates(text)}
    whole_line = {m.raw_string for m in phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.VALID)}
    assert found == whole_line
    assert "020 7946 0958 ext. 123" in found and "+44 7400 123456" in found


def test_dates_addresses_and_digit_runs_that_cannot_start_a_number_are_not_asked(monkeypatch):
    asked = []
    real = fastpath._numbers_in.__wrapped__
    monkeypatch.setattr(fastpath, "_numbers_in", lambda window, region: asked.append(window) or real(window, region))
    PhonePass().candidates("on 2024-03-01 and 12/03/2024 from 203.0.113.9, ref 943 476 5919, call 020 7946 0958")
    assert asked == [" 020 7946 0958"]
