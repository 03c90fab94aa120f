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
])
def test_near_misses_not_phones(text):
    assert _phones(text) == []


@pytest.mark.parametrize("text", ["Tel 07700 900123", "Mobile: 07700 900461.", "call me on 07700 900 982"])
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
