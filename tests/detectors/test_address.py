"""StreetAddressRecognizer: positives and near misses (the other recognisers are in test_recognizers.py)."""
from __future__ import annotations

import pytest

from detectors.recognizers.address import StreetAddressRecognizer

REC = StreetAddressRecognizer()


def found(text: str) -> set[str]:
    return {text[r.start:r.end] for r in REC.analyze(text, ["LOCATION"])}


@pytest.mark.parametrize(("text", "expected"), [
    ("lives at 14 Oakfield Road, Leeds LS6 2AB today", "14 Oakfield Road, Leeds LS6 2AB"),
    ("Flat 2, 7a Station Street, Bristol", "Flat 2, 7a Station Street, Bristol"),
    ("Send to 221 Baker St. please", "221 Baker St."),
    ("3 Kings Mill Lane, Stoke-on-Trent ST4 1AB", "3 Kings Mill Lane, Stoke-on-Trent ST4 1AB"),
    ("at 12 Elm Grove.", "12 Elm Grove"),
])
def test_positive(text: str, expected: str) -> None:
    assert expected in found(text)


@pytest.mark.parametrize("text", [
    "We meet in Room 14 Main Hall.",
    "Chapter 3 covers the road ahead.",
    "Ordered 12 road cones.",                  # street type in lower case, no street name
    "Version 2 Release Notes",
])
def test_near_miss(text: str) -> None:
    assert found(text) == set()


def test_context_raises_the_score() -> None:
    plain = REC.analyze("14 Oakfield Road", ["LOCATION"])[0].score
    labelled = REC.analyze("Address: 14 Oakfield Road", ["LOCATION"])[0].score
    assert labelled > plain


@pytest.mark.parametrize(("text", "expected"), [
    ("Sie wohnt in der Lindenstraße 8a, 04109 Leipzig seit Mai.", "Lindenstraße 8a, 04109 Leipzig"),
    ("Écrire au 7 rue des Lilas, 69003 Lyon avant lundi.", "7 rue des Lilas, 69003 Lyon"),
    ("Adres: Kastanjelaan 15, 3521 AB Utrecht", "Kastanjelaan 15, 3521 AB Utrecht"),
    ("c/ Calle Mayor 3, 28013 Madrid", "Calle Mayor 3, 28013 Madrid"),
    ("Via Garibaldi, 12, 10122 Torino", "Via Garibaldi, 12, 10122 Torino"),
    ("Osoite: Koivukatu 4, 00100 Helsinki", "Koivukatu 4, 00100 Helsinki"),
    ("Storgatan 9, 114 51 Stockholm", "Storgatan 9, 114 51 Stockholm"),
    ("Bøgevej 21, 8000 Aarhus C", "Bøgevej 21, 8000 Aarhus C"),
    ("ul. Lipowa 3/5, 31-002 Kraków", "ul. Lipowa 3/5, 31-002 Kraków"),
    ("ship to 415 Maple Ave, Apt 3B, Portland, OR 97205 asap", "415 Maple Ave, Apt 3B, Portland, OR 97205"),
    ("c/o 88 Queen St W, Suite 200, Toronto, ON M5H 2N2", "88 Queen St W, Suite 200, Toronto, ON M5H 2N2"),
    ("Reply to P.O. Box 7731, Austin, TX 78701", "P.O. Box 7731, Austin, TX 78701"),
    ("Post to 2 May St, Austin, TX 78701 today", "2 May St, Austin, TX 78701"),     # a month as a street name
    ("Sgt Lee, PSC 1234, Box 5678, APO AE 09204", "PSC 1234, Box 5678, APO AE 09204"),
    # a Finnish staircase and flat, a Spanish floor and door, a US unit written first: one address, not pieces
    ("Perhe asuu Mannerheimintie 5 A 7, 00100 Helsinki.", "Mannerheimintie 5 A 7, 00100 Helsinki"),
    ("Correspondencia: Calle Mayor 3, 2º izq., 28013 Madrid", "Calle Mayor 3, 2º izq., 28013 Madrid"),
    ("Forward post to Apt 4B, 221 West 79th Street, New York, NY 10024.",
     "Apt 4B, 221 West 79th Street, New York, NY 10024"),
])
def test_continental_and_north_american_addresses(detector, text: str, expected: str) -> None:
    assert ("LOCATION", expected) in {(d.entity, d.text) for d in detector.analyze(text)}


@pytest.mark.parametrize("text", [
    "See Chapter 12, 2019 Edition for details.",        # a year where a four-digit postcode would be
    "Section 3, 2019 Annual Report",
    "We sold 14 units, 25000 Euro in total.",            # not a town after the number
    "In a letter of 2 March 2010 Dr Okafor confirmed the diagnosis.",   # a date before a title
    "On 5 May 2011 St Anne's school closed early.",     # a date before a saint
])
def test_not_a_continental_address(detector, text: str) -> None:
    assert not [d for d in detector.analyze(text) if d.recognizer in ("EuropeanAddressRecognizer",
                                                                        "NorthAmericanAddressRecognizer")]


@pytest.mark.parametrize(("text", "expected"), [
    ("Post to 14 Ashfield Road, Dublin 8, D08 XY12 please.", "14 Ashfield Road, Dublin 8, D08 XY12"),
    ("Her address is 3 Main Street, Ballincollig, Co. Cork, P31 KX20.",
     "3 Main Street, Ballincollig, Co. Cork, P31 KX20"),
    ("Flat 4, 9 Quay Street, Galway H91 E2K7", "Flat 4, 9 Quay Street, Galway H91 E2K7"),
    ("She lives at 12 Main Street, Ballymun, Dublin 9, D09 X2Y3.", "12 Main Street, Ballymun, Dublin 9, D09 X2Y3"),
])
def test_irish_addresses_with_an_eircode(text: str, expected: str) -> None:
    assert expected in found(text)


def test_a_second_town_part_only_before_a_postcode(detector) -> None:
    text = "We met at 14 Oak Road, Leeds, Sarah said."
    found = {(d.entity, d.text) for d in detector.analyze(text)}
    assert ("LOCATION", "14 Oak Road, Leeds") in found and ("PERSON", "Sarah") in found


def test_an_eircode_alone() -> None:
    from detectors.recognizers.address import EircodeRecognizer

    rec = EircodeRecognizer()

    def codes(text: str) -> list[str]:
        return [text[r.start:r.end] for r in rec.analyze(text, ["LOCATION"])]

    assert codes("Eircode D6W XY42; also A65F4E2 and V94 T9PX.") == ["D6W XY42", "V94 T9PX"]   # A65: no key
    assert codes("Room W12 2019, code B12 XY34, ref T12 YKB0") == []    # a year; no routing key; B not used
