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
    # towns joined by "in", "le", "en", "super" ...
    ("14 Orchard Close, Pool-in-Wharfedale, Otley LS21 1LW", "14 Orchard Close, Pool-in-Wharfedale, Otley LS21 1LW"),
    ("3 High St, Chapel-en-le-Frith SK23 0HB", "3 High St, Chapel-en-le-Frith SK23 0HB"),
    ("7 Sea Road, Weston-super-Mare BS23 1AA", "7 Sea Road, Weston-super-Mare BS23 1AA"),
    # parts on one line, parted by commas, ending in a postcode: the street needs no street word
    ("from Mr Zielinski, 5 Kingsway, Crewe CW2 7ND, received", "5 Kingsway, Crewe CW2 7ND"),
    ("Flat 2, 9 The Maltings, Ely, CB7 4QT", "Flat 2, 9 The Maltings, Ely, CB7 4QT"),
])
def test_positive(text: str, expected: str) -> None:
    assert expected in found(text)


@pytest.mark.parametrize("text", [
    "We meet in Room 14 Main Hall.",
    "Chapter 3 covers the road ahead.",
    "Ordered 12 road cones.",                  # street type in lower case, no street name
    "Version 2 Release Notes",
    "Table 3, Figures 4, Results LS6 2AB",      # no house number and street before the parts
    "Chapter 5 Kingsway, Crewe",               # no postcode: parts without one are no address
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
    # USPS suffixes beyond Street and Avenue
    ("Mail to 625 Sarah Manor, Portland, OR 97205 please", "625 Sarah Manor, Portland, OR 97205"),
    ("Lives at 9091 Cedar Route Apt. 465, Jonesboro, AR 72401 now", "9091 Cedar Route Apt. 465, Jonesboro, AR 72401"),
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


# An address written on lines, as letters and forms write it: one LOCATION, not pieces or nothing
@pytest.mark.parametrize(("text", "expected"), [
    ("Anschrift: Lindenallee 7\n04109 Leipzig\nTel. 0341 1234567", "Lindenallee 7\n04109 Leipzig"),
    ("Écrire au:\n20, rue des Tanneurs\n31000 Toulouse\n", "20, rue des Tanneurs\n31000 Toulouse"),
    ("Adres:\nZonnebloemstraat 14\n2512 KX\nDen Haag\n", "Zonnebloemstraat 14\n2512 KX\nDen Haag"),
    ("Indirizzo: Via dei Mille, 22\n50131, Firenze (FI)\n", "Via dei Mille, 22\n50131, Firenze (FI)"),
    ("Dirección: Calle de Toledo 41\nMadrid, 28005\n", "Calle de Toledo 41\nMadrid, 28005"),
    ("Skickas till Björkvägen 12\n753 20 Uppsala", "Björkvägen 12\n753 20 Uppsala"),
    ("Osoite:\nRantakatu 9 B 14\n90100 Oulu", "Rantakatu 9 B 14\n90100 Oulu"),
    ("Adresse: Søndergade 31\n8000 Aarhus C", "Søndergade 31\n8000 Aarhus C"),
    ("Wohnhaft in der Kirchgasse 3\n3100 Sankt Pölten an der Traisen", "Kirchgasse 3\n3100 Sankt Pölten an der Traisen"),
    # a floor, a flat or a house-number suffix between the street and the postcode
    ("Neue Anschrift: Schillerstraße 40, 2. OG, 80336 München", "Schillerstraße 40, 2. OG, 80336 München"),
    ("Sede: Corso Italia 8, int. 12, 20122 Milano MI", "Corso Italia 8, int. 12, 20122 Milano MI"),
    ("Bor på Hornsgatan 64, 2 tr, 118 21 Stockholm.", "Hornsgatan 64, 2 tr, 118 21 Stockholm"),
    ("Adres: Prinsengracht 263-II, 1016 GV Amsterdam", "Prinsengracht 263-II, 1016 GV Amsterdam"),
    # North America and Australia: a street line (any street word) above its town line, a town line alone
    ("Mail to:\n4410 Juniper Hollow\nBozeman, MT 59715\n", "4410 Juniper Hollow\nBozeman, MT 59715"),
    ("Adresse: 350 rue Saint-Paul Apt. 4\nMontréal, QC H2Y 1H2", "350 rue Saint-Paul Apt. 4\nMontréal, QC H2Y 1H2"),
    ("Unit 4 17 Wattle Grove\nFitzroy, VIC 3065", "Unit 4 17 Wattle Grove\nFitzroy, VIC 3065"),
    ("The clinic moved to Rochester, MN 55905 last year.", "Rochester, MN 55905"),
    ("Unit 8412 Box 220\nDPO AE 09498", "Unit 8412 Box 220\nDPO AE 09498"),
    # the UK and Ireland: the lines above a postcode, whatever the street is called
    ("Mrs P Adeyemi\n27 Larkspur Fold\nMoortown\nLeeds\nLS17 6QT\n", "27 Larkspur Fold\nMoortown\nLeeds\nLS17 6QT"),
    ("Flat 2\nAlder House\n9 Canal Wharf\nBirmingham B1 2JB", "Flat 2\nAlder House\n9 Canal Wharf\nBirmingham B1 2JB"),
    ("Address: 5 Chapel Lane\nRathmines\nDublin 6\nD06 F2X8", "5 Chapel Lane\nRathmines\nDublin 6\nD06 F2X8"),
])
def test_addresses_written_on_lines(detector, text: str, expected: str) -> None:
    assert ("LOCATION", expected) in {(d.entity, d.text) for d in detector.analyze(text)}


@pytest.mark.parametrize("text", [
    "Table 3\n10115 Results",                       # lines of a table, no street word
    "Chapter 12\n2019 Edition",
    "Week 4\nMadrid, 28005 visitors",
    "Our stand: Hall 3\n12000 Visitors expected",
    "14 Oak Road\n\nLeeds LS6 2AB",                 # a blank line ends an address
])
def test_lines_that_are_no_address(detector, text: str) -> None:
    whole = [d for d in detector.analyze(text) if d.entity == "LOCATION" and "\n" in d.text]
    assert whole == []


def test_a_town_line_needs_a_real_state() -> None:
    from detectors.recognizers.address import NorthAmericanAddressRecognizer

    rec = NorthAmericanAddressRecognizer()

    def spans(text: str) -> list[str]:
        return [text[r.start:r.end] for r in rec.analyze(text, ["LOCATION"])]

    assert spans("Ships from Reno, NV 89501 and Halifax, NS B3H 4R2.") == ["Reno, NV 89501", "Halifax, NS B3H 4R2"]
    assert spans("Totals, ZZ 12345 and Figures, QQ 90210") == []      # no such state
    assert spans("had 300 attendees\nBoston, MA 02108") == ["Boston, MA 02108"]   # the line above is no street


def test_a_place_on_the_line_after_an_address_joins_it(detector) -> None:
    text = "Address: 8 Rue Victor Hugo, 69002 Lyon\nFrance\n\nSend to 14 Oak Road\n22 Elm Street"
    found = sorted(d.text for d in detector.analyze(text) if d.entity == "LOCATION")
    assert found == ["14 Oak Road", "22 Elm Street", "8 Rue Victor Hugo, 69002 Lyon\nFrance"]
