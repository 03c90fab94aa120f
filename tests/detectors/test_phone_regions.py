"""Phone numbers in national formats of the UK, suggested and configured regions (issue 15, 2a)."""
import pytest

from detectors.fastpath import PhonePass
from detectors.recognizers.phones import (
    DEFAULT_PHONE_REGIONS,
    RegionsError,
    region_order,
    suggested_regions,
    validate_regions,
)


def _phones(text, regions=DEFAULT_PHONE_REGIONS):
    return [(text[s:e], score) for s, e, score in PhonePass(regions=regions).candidates(text)]


@pytest.mark.parametrize("text, number", [
    ("Ring her on 0491 23 45 67 after six.", "0491 23 45 67"),          # Belgian mobile
    ("Bureau: 04.72.18.33.90", "04.72.18.33.90"),                       # French fixed line, dotted
    ("Office (415) 555-2671, ask for Dee.", "(415) 555-2671"),          # US, bracketed area code
    ("Cell 312-555-0144.", "312-555-0144"),
    ("Mum can be reached on 0151 496 0018.", "0151 496 0018"),          # UK, no context needed
    ("Dublin office 01 234 5678", "01 234 5678"),                       # Irish
    ("Munich 089 1234567 (switchboard)", "089 1234567"),                # German
    ("Call 4155552671 now", "4155552671"),                              # bare digits with a phone word
])
def test_national_numbers_found(text, number):
    assert number in [found for found, _ in _phones(text)]


@pytest.mark.parametrize("text", [
    "In 1998 2003 2010 the charity grew.",
    "Order 4155552671 shipped.",                     # bare digits without a phone word
    "12 345 678 people voted",
    "Between 2019-2021 and 2022-2024",
    "The ratio was 0.5 to 0.75 over 1.234.567 rows",
    "07700 900123 is printed on the card.",          # drama range: possible, not valid, no phone word
    "Grade: M 07700 900123",                          # a letter without a label's colon
    "Item: 07700 900123",                             # a word ending in a label's letter
    "2025-03-12 09:20:15,123 INFO worker started",    # a log's date and hour: "2025-03-12 09" reads as Luxembourg's
    "12.03.2025 09:20 call logged",
])
def test_near_misses_not_phones(text):
    assert _phones(text) == []


@pytest.mark.parametrize("text", ["Tel 07700 900123", "Mobile: 07700 900461.", "call me on 07700 900 982",
                                  "Jo Okafor | Lead\nT: 0113 496 | M: 07700 900 123",      # a signature's label
                                  "m: 07700 900461", "She phoned on 07700 900123 about the visit.",
                                  "Dad rang from 07700 900456 yesterday."])
def test_possible_uk_number_needs_a_phone_word_and_scores_lower(text):
    (found,) = _phones(text)
    assert found[1] == PhonePass.POSSIBLE_SCORE < PhonePass().score


def test_suggested_region_scores_higher_than_configured_default():
    plain = dict(_phones("Bureau 04 72 18 33 90"))
    named = dict(_phones("Bureau de Lyon, France: 04 72 18 33 90"))
    assert named["04 72 18 33 90"] > plain["04 72 18 33 90"]


def test_region_outside_the_configured_list_needs_the_text_to_suggest_it():
    text = "Mumbai mobile 98765 43210"
    assert _phones(text) == []
    assert _phones("Mumbai mobile, India: 98765 43210")
    assert _phones(text, regions=("GB", "IN"))


@pytest.mark.parametrize("text, region", [
    ("write to jo@example.fr", "FR"),
    ("see https://www.example.de/kontakt", "DE"),
    ("our Belgian office (+32 2 555 12 12)", "BE"),
    ("Lives in Ireland", "IE"),
    ("wohnt in Österreich", "AT"),
])
def test_suggested_regions(text, region):
    assert region in suggested_regions(text)


def test_region_order_suggested_first_without_uk():
    assert region_order(("FR", "GB"), ("GB", "IE", "FR")) == ("FR", "IE")


@pytest.mark.parametrize("value", [[], "GB", ["XX"], ["GB", 7]])
def test_bad_region_config_rejected(value):
    with pytest.raises(RegionsError):
        validate_regions(value)


def test_region_config_normalised():
    assert validate_regions(["gb", "IE", "GB"]) == ("GB", "IE")


def test_uk_shaped_number_is_not_reread_as_a_configured_region():
    # German area codes accept almost any digits: an unallocated UK number stays unallocated.
    assert _phones("07700 900123 (reception)", regions=DEFAULT_PHONE_REGIONS) == []
    assert _phones("Our Berlin office, Germany: 07700 900123")


@pytest.mark.parametrize("text", ["see http://t.co/ftpiBZrcR4  16407967716", "id x9 16407967716 y"])
def test_a_run_glued_to_a_word_is_not_read_from_inside_the_word(text):
    assert _phones(text) == []


# The configured default regions and a few whose numbering differs (a transform rule, shared calling codes)
_CHECKED_REGIONS = (*DEFAULT_PHONE_REGIONS, "AU", "IN", "JP", "BR", "ZA", "TR", "JE", "AX")


def _windows(seed: int) -> list[str]:
    """Number-like windows as the phone pass cuts them: real example numbers of many regions and types in
    national and international form, the same with digits changed or regrouped, and random digit groups."""
    import random

    import phonenumbers
    from phonenumbers import PhoneNumberFormat, PhoneNumberType

    rng = random.Random(seed)
    regions = ["GB", "IE", "FR", "DE", "NL", "BE", "ES", "IT", "PT", "AT", "CH", "DK", "SE", "NO", "FI", "PL", "CZ",
               "HU", "RO", "GR", "US", "CA", "AU", "IN", "JP", "BR", "MX", "AR", "ZA", "SG", "TR", "JE", "AX", "LI"]
    types = [PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE, PhoneNumberType.TOLL_FREE,
             PhoneNumberType.PREMIUM_RATE, PhoneNumberType.VOIP, PhoneNumberType.SHARED_COST]
    out = []
    for region in regions:
        for kind in types:
            example = phonenumbers.example_number_for_type(region, kind)
            if example is None:
                continue
            national = phonenumbers.format_number(example, PhoneNumberFormat.NATIONAL)
            intl = phonenumbers.format_number(example, PhoneNumberFormat.INTERNATIONAL)
            out += [f" {national} ", f"({national})", f" {intl.lstrip('+')} ", f" 00{intl.lstrip('+')} ",
                    f" {national} ext 12 "]
            for _ in range(2):       # one digit changed, and the digits regrouped
                digits = [c for c in national if c.isdigit()]
                digits[rng.randrange(len(digits))] = str(rng.randrange(10))
                cut = sorted(rng.sample(range(1, len(digits)), min(2, len(digits) - 1)))
                groups = ["".join(digits[a:b]) for a, b in zip([0, *cut], [*cut, len(digits)], strict=True)]
                out.append(" " + " ".join(groups) + " ")
                out.append(" " + rng.choice(["-", ".", " ", "/"]).join(groups) + ".")
    for _ in range(400):             # NHS numbers, account numbers, amounts, references
        groups = [str(rng.randrange(10 ** rng.randint(1, 5))).zfill(rng.randint(1, 5)) for _ in range(rng.randint(1, 5))]
        out.append(" " + rng.choice([" ", "-", ".", "/"]).join(groups) + rng.choice([" ", ".", ",", ")"]))
    return out


def test_the_region_shortcut_never_skips_a_region_where_the_matcher_finds_a_number():
    from detectors.fastpath import may_be_valid
    from detectors.recognizers.phones import numbers_for_region

    regions = _CHECKED_REGIONS
    found = skipped = 0
    for window in _windows(11):
        for region in regions:
            numbers = numbers_for_region(window, region)
            seven = [m for m in numbers if sum(c.isdigit() for c in m[2]) >= 7]
            if numbers:
                found += 1
                assert may_be_valid(window, region), (window, region)
            if seven:
                assert may_be_valid(window, region, 7), (window, region)
            elif not may_be_valid(window, region, 7):
                skipped += 1
    assert found > 500                     # the windows hold many real numbers ...
    assert skipped > 25_000                # ... and the shortcut spares the matcher most of the rest


def test_no_match_of_the_matcher_is_longer_than_the_windows_reach():
    from detectors.fastpath import _reach
    from detectors.recognizers.phones import numbers_for_region

    regions = _CHECKED_REGIONS
    windows = [*_windows(13), " (+44) 20 7946 0123# ", "(020) 7946 0123)", " 0113 496 0123 x 45 "]
    full = 0
    for window in windows:
        reach = _reach(window)
        for region in regions:
            for start, end, _raw in numbers_for_region(window, region):
                assert end - start <= reach, (window, region)
                full += end - start == reach
    assert full > 500                      # the bound is often met: the pass stops asking other regions there


def test_a_uk_reading_starts_with_0_only_where_a_digit_group_does():
    from detectors.fastpath import _GROUP_ZERO
    from detectors.recognizers.phones import numbers_for_region

    spared = starts_with_0 = 0
    for window in [*_windows(19), " 1690 705 640)", "(0) 20 7946 0123 ", "44(0)20 7946 0123"]:
        zero = [m for m in numbers_for_region(window, "GB", possible=True) if m[2].lstrip("(").startswith("0")]
        starts_with_0 += bool(zero)
        if not _GROUP_ZERO.search(window):
            spared += 1
            assert not zero, window
    assert spared > 300 and starts_with_0 > 100


def test_the_phone_pass_finds_the_same_numbers_with_its_shortcuts(monkeypatch):
    import re

    import detectors.fastpath as fastpath

    texts = [f"Please phone{w}today." for w in _windows(17)[::2]] + [f"Tel{w}" for w in _windows(5)[1::2]]
    pass_ = fastpath.PhonePass(regions=(*fastpath.DEFAULT_PHONE_REGIONS, "AU", "JP"))
    stopping = [pass_.candidates(t) for t in texts]
    monkeypatch.setattr(fastpath, "_reach", lambda window: len(window) + 1)     # never stop early
    monkeypatch.setattr(fastpath, "_GROUP_ZERO", re.compile(""))                # always ask for a UK reading
    assert [pass_.candidates(t) for t in texts] == stopping
    assert sum(map(len, stopping)) > 100


@pytest.mark.parametrize(("text", "value"), [
    ("Office: +49 30 901820 (Berlin). Client SSN 078-05-1120.", "078-05-1120"),   # German suggested, yet an SSN
    ("Passport 501-234-5678 was renewed in Chicago, IL 60601.", "501-234-5678"),
])
def test_another_identifiers_label_is_no_phone_number(detector, text, value):
    phones = [d.text for d in detector.analyze(text) if d.entity == "PHONE_NUMBER"]
    assert value not in phones and all(value not in p for p in phones)


def test_a_labelled_run_skips_the_region_matchers_only_where_no_reading_could_be_kept(monkeypatch):
    """The phone pass returns early for a run whose every reading would have another identifier's label before it
    and no phone word (scored under the threshold, so the caller drops it): what is kept never changes."""
    import random

    import detectors.fastpath as fastpath

    rng = random.Random(23)
    labels = ["NHS", "NHS number", "nhs no.", "Ref", "reference", "SSN", "passport no", "account", "tax id", "", "",
              "order", "invoice no.", "Patient"]
    phone_words = ["", "", "", "call", "tel.", "phone", "mobile:"]
    seps = [" ", ": ", " (", "\n", "\n\n", ". ", " - ", "; ", " is ", " and a long run of neutral words "]
    texts = []
    for window in _windows(29)[:900]:
        before = rng.choice(phone_words) + " " + rng.choice(labels) if rng.random() < 0.3 else rng.choice(labels)
        filler = rng.choice(["", "x" * rng.randint(1, 60), "The record"])
        after = rng.choice(["", " today.", " (call back)", ". Phone later", "\nTel", " on file"])
        texts.append(f"{filler} {before}{rng.choice(seps)}{window.strip()}{after}")
    headers = ["", "", "nhs number", "phone", "NHS / phone", "reference"]
    cases = [(t, rng.choice(headers)) for t in texts]
    plain = fastpath.PhonePass()
    labelled = fastpath.PhonePass(threshold=0.5)
    taken = 0
    only = labelled._only_labelled

    def counting(*args: object) -> bool:
        nonlocal taken
        result = only(*args)          # type: ignore[arg-type]
        taken += result
        return result

    monkeypatch.setattr(labelled, "_only_labelled", counting)
    kept = sum(1 for text, header in cases for c in plain.candidates(text, header) if c[2] >= 0.5)
    for text, header in cases:
        assert ([c for c in labelled.candidates(text, header) if c[2] >= 0.5] ==
                [c for c in plain.candidates(text, header) if c[2] >= 0.5]), (text, header)
    assert taken > 100 and kept > 200       # the shortcut is often taken, and many numbers are still kept
    assert not fastpath.PhonePass(threshold=0.2)._labelled_drops     # a low threshold keeps labelled readings


def test_country_names_in_ascii_text_are_found_as_in_any_case():
    """suggested_regions lower-cases ASCII text and matches it case-sensitively: the same names as the
    case-insensitive pattern, every spelling of case."""
    import random

    from detectors.recognizers.phones import _country_names

    anycase, lower, names = _country_names()
    rng = random.Random(3)
    ascii_names = [n for n in names if n.isascii()]
    texts = []
    for _ in range(300):
        words = [rng.choice(ascii_names) if rng.random() < 0.3 else rng.choice(["call", "in", "Xfrance", "_"])
                 for _ in range(8)]
        texts.append(" ".join("".join(c.upper() if rng.random() < 0.4 else c for c in w) for w in words))
    found = 0
    for text in texts:
        expected = [m.group().lower() for m in anycase.finditer(text)]
        assert [m.group() for m in lower.finditer(text.lower())] == expected, text
        found += len(expected)
    assert found > 500
    assert suggested_regions("Our office in GERMANY, and one in france") == ("DE", "FR")


def test_preload_compiles_what_a_foreign_number_needs_before_any_text_asks():
    from detectors import fastpath
    from detectors.recognizers import phones

    phones._country_names.cache_clear()
    fastpath._region_check.cache_clear()
    phone_pass = PhonePass(regions=("FR", "DE", "US"))
    phone_pass.preload()
    assert phones._country_names.cache_info().currsize == 1
    assert fastpath._region_check.cache_info().currsize == 3
    # a French number then needs nothing compiled: every lookup is a hit
    before = fastpath._region_check.cache_info()
    assert [found for found, _ in _phones_with(phone_pass, "Bureau: 04.72.18.33.90")] == ["04.72.18.33.90"]
    after = fastpath._region_check.cache_info()
    assert after.misses == before.misses and after.hits > before.hits
    assert phones._country_names.cache_info().misses == 1


def _phones_with(phone_pass, text):
    return [(text[s:e], score) for s, e, score in phone_pass.candidates(text)]


# A number beside a phone word that no numbering plan holds (an unallocated range, a made-up test number) is
# still a phone number when written with its country code or in North American grouping: possible, scored lower
@pytest.mark.parametrize("text, number", [
    ("Phone: +44(0)29 2018179", "+44(0)29 2018179"),                # a short UK number, the trunk 0 in brackets
    ("Tel. +49 (0)7105 90344", "+49 (0)7105 90344"),
    ("Mobile: (+358) 789328792", "(+358) 789328792"),
    ("Tel: 300.724.5892", "300.724.5892"),                           # no such US area code
    ("Phone 961-411-3930x9559", "961-411-3930x9559"),
])
def test_possible_number_with_a_country_code_or_us_grouping(text, number):
    assert (number, PhonePass.POSSIBLE_SCORE) in _phones(text)


@pytest.mark.parametrize("text", [
    "Ref: +44(0)29 2018179",                          # no phone word
    "Order 300.724.5892 shipped",
    "Call us quoting ref 2019114567",                  # bare digits: a reference beside a phone word
    "Call the office about claim 98765 43210",         # not North American grouping, no region suggested
])
def test_possible_numbers_need_a_phone_word_and_a_telling_shape(text):
    assert _phones(text) == []


@pytest.mark.parametrize("text, number", [
    ("You can reach me at +1-492-249-0163 any time.", "+1-492-249-0163"),     # "reach": a phone word
    ("Her number is 1 (403) 060-6720.", "1 (403) 060-6720"),                  # a North American "1" before
    ("Mum can be reached on 07700 900461 after six.", "07700 900461"),
])
def test_more_phone_words_and_shapes(text, number):
    assert number in [found for found, _ in _phones(text)]


def test_reach_alone_is_no_phone_number():
    assert _phones("We reached 2019114567 visitors and 55 5555 members") == []


# Beside a phone word, a number valid in a default region counts in another grouping than that region's own,
# and with a slash between its area code and the rest, as German and Hungarian numbers are written
@pytest.mark.parametrize("text, number", [
    ("Call 6909 020 244 to book.", "6909 020 244"),                        # a Greek mobile grouped 4-3-3
    ("Tel.: 0221/1234567", "0221/1234567"),                                # a Cologne number
    ("Please ring the office on (06)21/509-4529 tomorrow.", "(06)21/509-4529"),
])
def test_a_valid_number_in_another_grouping_beside_a_phone_word(text, number):
    assert number in [found for found, _ in _phones(text)]


@pytest.mark.parametrize("text", [
    "Order 6909 020 244 shipped.",              # the same digits, no phone word
    "Call re case 2019/114557",                 # a year's case number
    "Call re case 114557/2019",
    "Aktenzeichen 0221/1234567",                # no phone word
])
def test_no_other_grouping_without_a_phone_word_nor_a_case_number(text):
    assert _phones(text) == []
