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
    "phones": ["020 7946 0958", "07700 900123", "(0113) 496 0672 ext 12", "+44 20 7946 0123", "0113 496", "0672",
               "tel 0161 496 0001, fax 0161 496 0002", "12/03/2024", "test 0117 496 0123", "mobile", "07911 123456"],
}


@pytest.mark.parametrize("name", sorted(COLUMNS))
@pytest.mark.parametrize("header", ["", "nhs_number", "notes"])
def test_values_scanned_together_match_values_scanned_alone(detector, name, header):
    patterns = detector._patterns
    values = COLUMNS[name]
    alone = [patterns.candidates(v, header) for v in values]
    assert patterns.candidates_many(values, header) == alone
    # the columns hold candidates, so the comparison means something; split values hold none alone
    assert any(alone) is (name not in ("split", "phones"))
    phones = PhonePass()
    dialled = [phones.candidates(v, header) for v in values]
    assert phones.candidates_many(values, header) == dialled
    assert any(dialled) is (name in ("phones", "mixed", "context", "unicode"))
    if name not in ("phones", "split"):
        # an NHS-shaped 3-3-4 number is also a valid US number; the NHS reading outscores it (engine tests)
        assert {v[s:e] for v, found in zip(values, dialled, strict=True) for s, e, _ in found} == {"943 476 5919"}


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


def test_plain_uk_numbers_are_validated_without_the_matcher_and_give_its_answers():
    """A window holding only a UK number in national format is answered by phonenumbers.is_valid_number; the
    answers must be the matcher's, for valid and invalid numbers of every prefix, spacing and edge."""
    import random

    rng = random.Random(11)
    prefixes = ["01", "02", "03", "07", "08", "09", "0113", "0121", "0161", "020", "029", "0300", "0800", "0808",
                "0845", "0870", "07700", "07911", "07624", "01946", "016977", "01224", "00", "000", "0044", "001",
                "01534", "01481", "07781", "07839", "01624"]            # Jersey, Guernsey, Man: +44 too, not GB
    windows = ["0113 496 0672", " 020 7946 0123.", "\n07700 900306,", ":01632960001;", "07911 123456x",
               "0013 847 8449", "00190520419", "0044 207 946 0123"]
    for _ in range(3000):
        prefix = rng.choice(prefixes)
        digits = prefix + "".join(rng.choice("0123456789") for _ in range(11 - len(prefix)))
        number = rng.choice((digits, f"{digits[:4]} {digits[4:7]} {digits[7:]}", f"{digits[:5]} {digits[5:]}",
                             f"{digits[:3]} {digits[3:7]} {digits[7:]}"))
        windows.append(rng.choice(("", " ", "\t", ",", ":")) + number + rng.choice(("", " ", ".", ";", "\n")))
    fast = [fastpath._numbers_in.__wrapped__(w, "GB") for w in windows]
    slow = [tuple((m.start, m.end, m.raw_string)
                  for m in phonenumbers.PhoneNumberMatcher(w, "GB", leniency=phonenumbers.Leniency.VALID))
            for w in windows]
    assert fast == slow
    assert 1000 < sum(map(bool, fast)) < len(windows)             # both valid and invalid numbers were tried


def test_a_plain_uk_number_never_reaches_the_matcher(monkeypatch):
    def no_matcher(*_a, **_k):
        raise AssertionError("the matcher was asked")

    monkeypatch.setattr(fastpath.phonenumbers, "PhoneNumberMatcher", no_matcher)
    assert fastpath._numbers_in.__wrapped__(" 0113 496 0672.", "GB") == ((1, 14, "0113 496 0672"),)
    assert fastpath._numbers_in.__wrapped__("07700 900306", "GB") == ()       # not valid: a final no
    assert fastpath._numbers_in.__wrapped__("01534 612345", "GB") != ()      # Jersey: +44, not GB
    with pytest.raises(AssertionError, match="matcher was asked"):
        fastpath._numbers_in.__wrapped__("+44 20 7946 0123", "GB")          # not the plain shape


@pytest.mark.skipif(fastpath._hs is None, reason="hyperscan is not installed on this platform")
def test_the_compiled_pattern_database_is_cached_and_a_bad_cache_is_compiled_again(tmp_path, monkeypatch):
    import stat

    from detectors.recognizers import ValidatedPatternRecognizer, default_recognizers

    recs = [r for r in default_recognizers() if isinstance(r, ValidatedPatternRecognizer)]
    text = "NHS 943 476 5919, jo@example.org, GB82 WEST 1234 5698 7654 32"
    expected = [(c.recognizer.ENTITY, c.start, c.end) for c in fastpath.PatternPass(recs).candidates(text)]
    assert len(expected) == 3
    cache = tmp_path / "cache"
    fastpath.PatternPass(recs, cache_dir=cache)
    (db_file,) = cache.iterdir()
    assert stat.S_IMODE(db_file.stat().st_mode) == 0o600
    compiled = []
    real = fastpath._hs.Database
    monkeypatch.setattr(fastpath._hs, "Database", lambda: compiled.append(1) or real())
    loaded = fastpath.PatternPass(recs, cache_dir=cache)               # from the file: nothing compiled
    assert loaded.accelerated and compiled == []
    assert [(c.recognizer.ENTITY, c.start, c.end) for c in loaded.candidates(text)] == expected
    db_file.write_bytes(b"not a database")                            # corrupt: compiled again and rewritten
    again = fastpath.PatternPass(recs, cache_dir=cache)
    assert compiled == [1] and db_file.read_bytes() != b"not a database"
    assert [(c.recognizer.ENTITY, c.start, c.end) for c in again.candidates(text)] == expected
    blocked = tmp_path / "file"
    blocked.write_text("x")                                           # the cache folder cannot be made
    assert fastpath.PatternPass(recs, cache_dir=blocked / "cache").accelerated


def test_gb_validity_from_compiled_metadata_is_phonenumbers():
    """The compiled check of GB numbers gives phonenumbers.is_valid_number_for_region's answer."""
    import random

    rng = random.Random(5)
    leads = ["1", "2", "3", "5", "7", "8", "9", "11", "13", "16", "20", "29", "30", "55", "56", "70", "74", "75",
             "77", "79", "80", "84", "87", "90", "91", "98", "1534", "1481", "1624"]
    numbers = {rng.choice(leads) + "".join(rng.choice("0123456789") for _ in range(rng.randint(2, 11)))
               for _ in range(30000)}
    answers = {n: phonenumbers.is_valid_number_for_region(
        phonenumbers.PhoneNumber(country_code=44, national_number=int(n)), "GB") for n in numbers}
    assert {n: fastpath._GB_VALID(n) for n in numbers} == answers
    assert 500 < sum(answers.values()) < len(numbers) - 500             # both answers were given often


def test_pattern_pass_uses_the_public_accessor_not_private_compiled_regexes():
    """Issue 18 item 4: recognisers expose compiled_patterns(); fastpath no longer reads their `_compiled`."""
    from pathlib import Path

    from detectors.recognizers import ValidatedPatternRecognizer, default_recognizers
    recs = [r for r in default_recognizers() if isinstance(r, ValidatedPatternRecognizer)]
    assert recs
    for rec in recs:
        pairs = rec.compiled_patterns()
        assert [p.name for p, _ in pairs] == [p.name for p in rec.patterns]
        assert all(c.pattern == p.regex for p, c in pairs)
    assert "._compiled" not in Path(fastpath.__file__).read_text(encoding="utf-8")
    entries = fastpath.PatternPass(recs, use_hyperscan=False).entries
    assert len(entries) == sum(len(r.patterns) for r in recs)


def test_match_windows_are_merged_as_clipped_windows_would_be():
    import random

    from detectors.fastpath import _merged

    def reference(points: list[int], before: int, after: int, n: int) -> list[tuple[int, int]]:
        merged: list[tuple[int, int]] = []
        for point in sorted(points):
            lo, hi = max(0, point - before), min(n, point + after)
            if merged and lo <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
            else:
                merged.append((lo, hi))
        return merged

    rng = random.Random(5)
    separate = 0
    for _ in range(3000):
        n = rng.randint(1, 300)
        points = sorted(rng.choices(range(1, n + 1), k=rng.randint(0, 12)))
        before, after = rng.randint(1, 60), rng.randint(0, 60)
        got = _merged(points, before, after, n)
        assert got == reference(points, before, after, n), (points, before, after, n)
        separate += len(got) > 1
    assert separate > 300


def test_a_label_is_looked_for_before_a_reference_value_is_validated(detector, monkeypatch):
    from detectors.recognizers.reference import ReferenceNumberRecognizer

    patterns = detector._patterns
    texts = ["case ref 2019/114", "student ID 4471902", "AB/1234/X", "12/03/2024", "ref 2024", "member no. 12.50",
             "ref 12/03/2024", "Application no. 51234/09 and 77/A1B2", "XXX-XX-1234", "HETU 131052-308T"]
    headers = ["", "reference", "notes", "customer_id"]

    def validated_first(text: str, header: str) -> list[fastpath.Candidate]:
        out, seen = [], set()
        for index, start, end in patterns._matches(text, header):
            entry = patterns.entries[index]
            if (index, start, end) in seen or (verdict := entry.recognizer.validate_result(text[start:end])) is False:
                continue
            seen.add((index, start, end))
            score = entry.recognizer.score_in_context(text, start, end, entry.base, header)
            if score is not None:
                out.append(fastpath.Candidate(entry.recognizer, entry.name, start, end, entry.base, verdict, score))
        return out

    before = [[validated_first(t, h) for t in texts] for h in headers]
    assert sum(c.recognizer.ENTITY == "REFERENCE_NUMBER" for row in before for found in row for c in found) > 5
    validated: list[str] = []
    check = ReferenceNumberRecognizer.validate_result
    monkeypatch.setattr(ReferenceNumberRecognizer, "validate_result",
                        lambda self, value: validated.append(value) or check(self, value))
    # the order of the two pure checks does not change a candidate ...
    assert [[patterns.candidates(t, h) for t in texts] for h in headers] == before
    validated.clear()
    # ... and an unlabelled value in a column whose header is no label is never validated
    patterns.candidates_many(["AB/1234/X", "77/A1B2", "4471902", "19/114"], "notes")
    assert validated == []
    patterns.candidates_many(["AB/1234/X", "77/A1B2", "4471902", "19/114"], "reference")
    assert len(validated) == 4
