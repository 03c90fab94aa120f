"""UK-style street addresses as one LOCATION: house number, street name and type, then an optional town
and postcode ("Flat 2, 14 Oakfield Road, Leeds LS6 2AB")."""

from __future__ import annotations

import re

from detectors.recognizers import WORD_END, WORD_START, ValidatedPatternRecognizer

STREET_TYPES = (
    "Road", "Rd", "Street", "St", "Lane", "Ln", "Avenue", "Ave", "Close", "Drive", "Dr", "Way", "Crescent",
    "Cres", "Gardens", "Gdns", "Court", "Ct", "Place", "Pl", "Terrace", "Grove", "Hill", "Park", "Square", "Sq",
    "Mews", "Row", "Walk", "Parade", "View", "Rise", "Green", "Vale", "Croft", "Meadows", "Fields", "Wharf",
)
ABBREVIATIONS = frozenset({"Rd", "St", "Ln", "Ave", "Dr", "Cres", "Gdns", "Ct", "Pl", "Sq"})
_NAME = r"[A-Z][a-z'’]+"
_STREET = (
    r"(?:(?:Flat|Apartment|Apt|Unit) \d{1,4}[A-Za-z]?,? )?"
    r"\d{1,4}[A-Za-z]?,? (?:" + _NAME + r"[ \-]){1,3}(?:"
    + "|".join(t + (r"\.?" if t in ABBREVIATIONS else "") for t in STREET_TYPES) + ")"
)
# Irish Eircode: a routing key and a unique identifier from Eircode's 25-character alphabet ("D02 X285")
_EIRCODE = r"(?:[AC-FHKNPRTV-Y]\d{2}|D6W)[ \t]?[0-9AC-FHKNPRTV-Y]{4}"
# a UK postcode or an Eircode, after a space (and a comma)
_A_POSTCODE = r",?[ \t](?:(?:[A-Z]{1,2}\d[A-Z\d]?|GIR) ?\d[ABD-HJLNP-UW-Z]{2}|" + _EIRCODE + r")"
_POSTCODE = rf"(?:{_A_POSTCODE})?"
# a town ("Leeds", "Stratford-upon-Avon", "Pool-in-Wharfedale", "Chapel-en-le-Frith"), a Dublin postal district
# ("Dublin 8") and an Irish county ("Co. Cork")
# (a locality first, when a postcode follows: "Ballymun, Dublin 9, D09 X2Y3")
_TOWN_PART = (r",[ \t]?(?!Co\.?[ \t])" + _NAME
              + r"(?:[ \-](?:(?:upon|on|under|in|le|en|de|la|by|super|next|the)[ \-]){0,2}" + _NAME + r"){0,2}"
              r"(?:[ \t]\d{1,2}(?:[ \t]?W)?)?")
_TOWN = rf"(?:{_TOWN_PART}(?:{_TOWN_PART}(?={_A_POSTCODE}(?!\w)))?)?(?:,?[ \t]Co\.?[ \t]{_NAME})?"
# one line break between an address's lines (as letters and forms write it), never a blank line
_LINE_BREAK = r"[ \t]*,?[ \t]*\r?\n[ \t]*"
# where an address written on lines starts: a line's start, or after a label's colon ("Address: 14 ...")
_LINE_START = r"(?:(?<![^\n])|(?<=:[ \t]))"
# A UK or Irish address on lines, ending in its postcode ("01 Claire Prairie⏎New Allanton⏎S6 3DX", "Flat 3⏎
# Riverside House⏎14 Quay Street⏎Manchester⏎M3 3JE"): a first line with a house number, or a flat; up to three
# lines of a street, a house's name, a locality or a town; and the postcode, alone or after the town. The
# postcode is what makes the lines an address, so the street need not end in a street word.
UK_OR_IRISH_POSTCODE = r"(?:(?:[A-Z]{1,2}\d[A-Z\d]?|GIR) ?\d[ABD-HJLNP-UW-Z]{2}|" + _EIRCODE + ")"
_UK_UNIT = r"(?:Flat|Apartment|Apt|Unit|Studio|Suite|Room)\.?[ \t]+[A-Za-z0-9]{1,5}"
_UK_STREET_LINE = r"\d{1,4}[A-Za-z]?(?:[\-/]\d{1,4}[A-Za-z]?)?,?(?:[ \t]+[A-Z][\w'’\-]*\.?){1,4}"
_UK_NAME_LINE = (r"[A-Z][\w'’\-]*\.?(?:[ \t\-]+(?:(?:upon|on|under|in|by|the)[ \t\-]+)?[A-Z][\w'’\-]*\.?){0,3}"
                 r"(?:[ \t]\d{1,2}W?)?")
_UK_LINES = (rf"(?:{_UK_UNIT}(?:,[ \t]*{_UK_STREET_LINE})?|{_UK_STREET_LINE})"
             rf"(?:{_LINE_BREAK}(?:{_UK_STREET_LINE}|{_UK_NAME_LINE})){{0,3}}{_LINE_BREAK}"
             rf"(?:{_UK_NAME_LINE}[ \t]*,?[ \t]+)?{UK_OR_IRISH_POSTCODE}")
# ... and the same parts on one line, parted by commas ("5 Kingsway, Crewe CW2 7ND", "Flat 2, 9 The Maltings,
# Ely, CB7 4QT"): again the postcode makes them an address, so the street need not end in a street word
_UK_PARTS = (rf"(?:{_UK_UNIT},[ \t]*)?{_UK_STREET_LINE}(?:,[ \t]*{_UK_NAME_LINE}){{1,3}},?[ \t]+"
             rf"{UK_OR_IRISH_POSTCODE}")
# Eircode's 139 routing keys (Eircode, "Routing Keys" list): A41 ... Y35, D01-D18, D20, D22, D24 and D6W
ROUTING_KEYS = frozenset(
    "A41 A42 A45 A63 A67 A75 A81 A82 A83 A84 A85 A86 A91 A92 A94 A96 A98 C15 "
    "D01 D02 D03 D04 D05 D06 D07 D08 D09 D10 D11 D12 D13 D14 D15 D16 D17 D18 D20 D22 D24 D6W "
    "E21 E25 E32 E34 E41 E45 E53 E91 F12 F23 F26 F28 F31 F35 F42 F45 F52 F56 F91 F92 F93 F94 "
    "H12 H14 H16 H18 H23 H53 H54 H62 H65 H71 H91 K32 K34 K36 K45 K56 K67 K78 N37 N39 N41 N91 "
    "P12 P14 P17 P24 P25 P31 P32 P36 P43 P47 P51 P56 P61 P67 P72 P75 P81 P85 "
    "R14 R21 R32 R35 R42 R45 R51 R56 R93 R95 T12 T23 T34 T45 T56 "
    "V14 V15 V23 V31 V35 V42 V92 V93 V94 V95 W12 W23 W34 W91 X35 X42 X91 Y14 Y21 Y25 Y34 Y35".split()
)


class StreetAddressRecognizer(ValidatedPatternRecognizer):
    """A street address (number, name, street type) with the town and postcode that follow it."""

    ENTITY = "LOCATION"
    PATTERNS = (("street_address", WORD_START + _STREET + _TOWN + _POSTCODE + WORD_END, 0.85),
                ("street_lines", _LINE_START + _UK_LINES + WORD_END, 0.85),
                ("street_parts", WORD_START + _UK_PARTS + WORD_END, 0.85))
    CONTEXT = ("address", "lives at", "living at", "resides", "residing", "moved to", "home", "correspondence")


# Continental Europe (DE, AT, CH, NL, BE, FR, ES, IT, PT, PL and the Nordic countries): a street and its
# house number, an optional floor or flat, then the postcode before the town ("Hauptstraße 12, 10115 Berlin",
# "12 rue de la Paix, 75002 Paris", "Via Roma, 40, 00184 Roma", "ul. Majowa 28/48, 57-758 Otwock",
# "Kyrkvägen 31, 397 37 Halmstad", "Yasminweg 77, 5146 HF Best").
_LOWER_STREET = (
    "rue", "chemin", "avenue", "allée", "boulevard", "bd", "impasse", "place", "quai", "route", "via", "viale",
    "piazza", "corso", "vicolo", "largo", "calle", "avenida", "plaza", "paseo", "carrer", "rua", "travessa",
    "ul", "al", "pl", "os", "plac", "aleja", "ulica", "de", "la", "le", "les", "des", "du", "del", "della",
    "dei", "di", "da", "do", "dos", "das", "van", "der", "den", "het", "am", "an", "im", "auf", "och", "y", "e",
    "katu", "tie", "kuja", "polku", "puistokuja", "puistopolku", "gatan", "gade", "vej",
)
_PARTICLES = ("de", "la", "le", "les", "des", "du", "del", "della", "dei", "di", "da", "do", "dos", "das", "van",
              "der", "den", "het", "am", "an", "im", "auf", "och", "y", "e")
_EU_WORD = r"(?:[^\W\d_a-z][\w'’\-]*\.?|(?:" + "|".join(_LOWER_STREET) + r")\.?)"
# the street's first word: capitalised or a street word, not an article ("in der Lindenstraße")
_EU_FIRST = r"(?:[^\W\d_a-z][\w'’\-]*\.?|(?:" + "|".join(w for w in _LOWER_STREET if w not in _PARTICLES) + r")\.?)"
# a house number: "12", "8a", "3/5", "28/48", a Dutch floor or letter after a hyphen ("123-II", "47-hs")
_HOUSE = r"\d{1,5}[A-Za-z]?(?:[/\-]\d{1,4}[A-Za-z]?|-(?:I{1,3}|IV|hs|bis))?"
_UNIT = (r"(?:(?:,[ \t]*|[ \t]+)(?:Apt|Apto|Piano|Piso|App|Appt|Bus|Boîte|Stg|Whg|lgh|m\.?|Top|Tür|int|interno|"
         r"Puerta|Pta|Appartamento|Appartement|Apartamento|Étage|Etage)\.?[ \t]*\d{1,4}[A-Za-z]?"
         r"|,[ \t]*\d{1,2}\.[ \t]*(?:OG|Stock|Etage)|,[ \t]*(?:EG|DG|UG)"   # a German floor: "Hauptstraße 12, 3. OG"
         r"|,[ \t]*\d{1,2}[ \t]*tr\.?"                                  # a Swedish floor (trappor): "Drottninggatan 45, 3 tr"
         r"|[ \t]+[A-H](?:[ \t]+\d{1,3})?"                      # a Finnish staircase and flat: "Mannerheimintie 5 A 7"
         r"|,[ \t]*(?:\d{1,2}[ºª°]|bajo|ático)\.?(?:[ \t]*(?:izq(?:uierda)?|dcha|der(?:echa)?|cen(?:tro)?|[A-Z]|"
         r"\d{1,2}[ºª]?)\.?)?)?")                                   # a Spanish floor and door: "Calle Mayor 3, 2º izq."
_EU_STREET = (rf"(?:{_HOUSE},?[ \t]+(?:{_EU_WORD}[ \t]+){{0,5}}{_EU_WORD}"         # "12 rue de la Paix", "20, rue"
              rf"|{_EU_FIRST}(?:[ \t]+{_EU_WORD}){{0,5}}(?:,?[ \t]+|,[ \t]*){_HOUSE})")  # "Hauptstraße 12"
_EU_POSTCODE = r"(?:\d{5}|\d{4}(?:[ \t]?[A-Z]{2})?|\d{2}-\d{3}|\d{4}-\d{3}|\d{3}[ \t]\d{2}|[A-Z]{1,2}-\d{4,5})"
# a town, with the small words of its name ("Laa an der Thaya", "Hall in Tirol", "Lipník nad Bečvou")
_EU_TOWN = (r"[^\W\d_a-z][\w'’\-]*(?:[ \t]+(?:(?:di|de|del|la|le|sur|sous|am|an|der|im|in|bei|val|do|da|dos|das|"
            r"en|aan|op|nad|pod|Di|Del|De|In|Val)[ \t]+){0,2}[^\W\d_a-z][\w'’\-]*){0,3}")
# the postcode and town after the street: "10115 Berlin", on its own line too, "5146 HF Best", an Italian
# province after the town ("38020, Cloz (TN)")
_EU_PLACE = (rf"(?:[ \t]*,[ \t]*|{_LINE_BREAK}){_EU_POSTCODE}(?:,?[ \t]+|{_LINE_BREAK}){_EU_TOWN}"
             r"(?:[ \t]+\([A-Z]{2}\))?")
# or, on the next line, the town before a five-digit postcode ("Calle de Alcalá 19⏎Alicante, 06632")
# NOTE: its own pattern: as one alternation with _EU_PLACE, hyperscan's prefilter matches almost everywhere
_EU_TOWN_FIRST = rf"{_LINE_BREAK}{_EU_TOWN},[ \t]*\d{{5}}"
_EU_CODE_AT = re.compile(r"[,\n][ \t]*(" + _EU_POSTCODE + r")(?:,?[ \t]+|[ \t]*\r?\n)")
_EU_STREET_WORD = re.compile(
    r"(?i)(?:stra(?:ss|ß)e|str\.|weg|gasse|platz|allee|ring|damm|ufer|laan|straat|gracht|plein|kade|dijk|singel|"
    r"steenweg|lei|dreef|boulevard|pad|baan|steeg|"
    r"vej|gade|stræde|torv|allé|plads|gatan|vägen|gränd|torget|gata|gate|veien|vegen|vei|stien|bakken|ringen|"
    r"plassen|lia|svingen|tunet|vika|bråten|haugen|kroken|åsen|jordet|løkka|lunden|stigen|backen|katu|tie|kuja|"
    r"polku|bulevardi|väylä|kaari|rinne|hof|"
    r"\b(?:rue|chemin|avenue|place|quai|route|impasse|allée|via|viale|piazza|piazzale|corso|vicolo|largo|borgo|"
    r"canale|strada|contrada|lungomare|salita|stretto|rotonda|calle|c\.|avenida|plaza|paseo|pasaje|pasadizo|"
    r"vial|camino|ronda|callejón|cuesta|"
    r"glorieta|rambla|travesía|vía|carretera|urbanización|carrer|rua|travessa|praça|estrada|alameda|beco|"
    r"calçada|av|r\.|chaussée|ulica|aleja|ul\.|al\.|os\.|pl\.|plac))(?![^\W\d_])")
# US and Canada: number, street name and type, optional unit, then town, state or province and ZIP or postal code
_US_TYPES = ("Street", "St", "Avenue", "Ave", "Boulevard", "Blvd", "Road", "Rd", "Drive", "Dr", "Lane", "Ln",
             "Court", "Ct", "Place", "Pl", "Way", "Terrace", "Ter", "Parkway", "Pkwy", "Highway", "Hwy",
             "Circle", "Cir", "Trail", "Trl", "Square", "Sq", "Loop", "Plaza", "Alley", "Crescent", "Row",
             # more of USPS Publication 28's street suffixes
             "Route", "Rte", "Pike", "Turnpike", "Tpke", "Expressway", "Expy", "Freeway", "Fwy", "Crossing", "Xing",
             "Heights", "Hts", "Ridge", "Rdg", "Run", "Path", "Pass", "Point", "Pt", "Manor", "Mnr", "Mews",
             "Gardens", "Gdns", "Grove", "Grv", "View", "Vw", "Walk", "Estates", "Est", "Commons", "Landing", "Lndg",
             "Hollow", "Holw", "Knoll", "Knls", "Meadows", "Mdws", "Springs", "Spgs", "Station", "Sta", "Summit",
             "Smt", "Vista", "Vis", "Junction", "Jct", "Ranch", "Rnch", "Shoals", "Causeway", "Cswy")
_US_STREET = (r"(?:(?:Apt|Apartment|Suite|Ste|Unit)\.?[ \t]*#?[A-Za-z0-9\-]{1,6},?[ \t]+)?"    # "Apt 4B, 221 ..."
              r"\d{1,6}[ \t]+(?:[NSEW]\.?[ \t]+)?(?:[A-Z0-9][\w'’\-]*[ \t]+){1,4}(?:"
              + "|".join(_US_TYPES) + r")\.?(?:[ \t]+(?:NE|NW|SE|SW|N|S|E|W)\.?)?"
              r"(?:,?[ \t]+(?:Apt|Apartment|Suite|Ste|Unit|Fl|Floor|Rm|Room|#)\.?[ \t]*#?[A-Za-z0-9\-]{1,6})?")
_US_TOWN = r"[A-Z][\w'’\-]*(?:[ \t]+[A-Z][\w'’\-]*){0,3}"
# the town, state or province and ZIP or postal code ("Portland, OR 97205", "Toronto, ON M5H 2N2"), and an
# Australian town, state and postcode ("Fitzroy, VIC 3065")
_STATE_CODE = (r"(?:[A-Z]{2}[ \t]+(?:\d{5}(?:-\d{4})?|[A-Z]\d[A-Z][ \t]?\d[A-Z]\d)"
               r"|(?:NSW|VIC|QLD|SA|WA|TAS|ACT|NT),?[ \t]+\d{4})")
_US_PLACE = _US_TOWN + r",?[ \t]+" + _STATE_CODE
_US_TAIL = rf"(?:,[ \t]*|{_LINE_BREAK}){_US_PLACE}"
# a street line of any words ("0181 rue Boulanger", "625 Sarah Manor"), or a unit line, above a town line
_US_LINE = (r"(?:(?:Apt|Apartment|Suite|Ste|Unit|Level|Flat)\.?[ \t]*#?[A-Za-z0-9\-]{1,6}[ \t,]+)?"
            r"\d{1,6}(?:/\d{1,4})?[ \t]+(?:[A-Z][\w'’\-]*\.?|rue|mont[^\W\d_]e|chemin|boulevard|avenue|rang|de|du|des|la|le)"
            r"(?:[ \t]+[\w'’\-]+\.?){0,4}(?:,?[ \t]+(?:Apt|Apartment|Suite|Ste|Unit)\.?[ \t]*#?[A-Za-z0-9\-]{1,6})?")
# the states, districts and territories of the US (with the military "states" AA, AE and AP), Canada's
# provinces and territories, and Australia's states and territories
STATES = frozenset(
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK "
    "OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR GU VI AS MP FM MH PW AA AE AP "
    "AB BC MB NB NL NS NT NU ON PE QC SK YT NSW VIC QLD SA TAS ACT".split()
)
_STATE_AT = re.compile(r"[ \t]([A-Z]{2,3}),?[ \t]+(?:\d{4,5}(?:-\d{4})?|[A-Z]\d[A-Z][ \t]?\d[A-Z]\d)$")
# A day, a month and a year ("2 March 2010 Dr Öztürk wrote", "On 5 May 2011 St John ..."): a date before a title
# or a saint, not a house number and a street
_DATE_FIRST = re.compile(r"\d{1,2}(?:st|nd|rd|th)?[ \t]+(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|"
                         r"july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?,?[ \t]+\d{4}\b",
                         re.IGNORECASE)


class EuropeanAddressRecognizer(ValidatedPatternRecognizer):
    """A continental European street address: street and house number (either order), postcode, town."""

    ENTITY = "LOCATION"
    PATTERNS = (("eu_address", WORD_START + _EU_STREET + _UNIT + _EU_PLACE + WORD_END, 0.85),
                ("eu_town_first", WORD_START + _EU_STREET + _UNIT + _EU_TOWN_FIRST + WORD_END, 0.85))
    CONTEXT = StreetAddressRecognizer.CONTEXT

    def validate_result(self, pattern_text: str) -> bool:
        # A four-digit postcode (DK, NO, NL, AT, CH, BE) could be a year or a count ("Chapter 12, 2019
        # Edition"), and lines of a table could read as a street and a town ("Table 3⏎10115 Results"): then the
        # street part must hold a street word ("vej", "gasse", "rue", "Straße" ...).
        codes = list(_EU_CODE_AT.finditer(pattern_text))
        street = pattern_text[: codes[-1].start()] if codes else pattern_text[: pattern_text.find("\n")]
        if "\n" not in pattern_text and (not codes or not re.fullmatch(r"\d{4}", codes[-1].group(1))):
            return True
        return bool(_EU_STREET_WORD.search(street))


class NorthAmericanAddressRecognizer(ValidatedPatternRecognizer):
    """A US or Canadian street address (with its unit, town, state/province and ZIP/postal code when they
    follow), a PO Box, or a military APO/FPO/DPO address."""

    ENTITY = "LOCATION"
    PATTERNS = (
        ("us_address", WORD_START + _US_STREET + r"(?:" + _US_TAIL + r")?" + WORD_END, 0.8),
        ("us_lines", _LINE_START + _US_LINE + _LINE_BREAK + _US_PLACE + WORD_END, 0.85),
        ("us_town", WORD_START + _US_TOWN + r",[ \t]+" + _STATE_CODE + WORD_END, 0.8),
        ("po_box", WORD_START + r"(?:P\.?[ \t]?O\.?|Post[ \t]+Office)[ \t]+Box[ \t]+\d{1,6}"
         r"(?:" + _US_TAIL + r")?" + WORD_END, 0.8),
        ("military", WORD_START + r"(?:(?:PSC|Unit|CMR)[ \t]+\d{1,5},?[ \t]+Box[ \t]+\d{1,5}(?:,?[ \t]+|"
         + _LINE_BREAK + r"))?"
         r"(?:APO|FPO|DPO)[ \t]+(?:AE|AP|AA)[ \t]+\d{5}" + WORD_END, 0.85),
    )
    CONTEXT = StreetAddressRecognizer.CONTEXT

    def validate_result(self, pattern_text: str) -> bool:
        state = _STATE_AT.search(pattern_text)
        return _DATE_FIRST.match(pattern_text) is None and (state is None or state.group(1) in STATES)


class EircodeRecognizer(ValidatedPatternRecognizer):
    """An Irish Eircode on its own ("D02 X285", "T12 YK80"): a real routing key and a unique identifier with
    a letter in it, as a LOCATION (like a full UK postcode)."""

    ENTITY = "LOCATION"
    PATTERNS = (("eircode", WORD_START + _EIRCODE + WORD_END, 0.6),)
    CONTEXT = ("eircode", "postcode", "post code", "address", "co.", "county", "dublin", "ireland")

    def validate_result(self, pattern_text: str) -> bool:
        code = pattern_text.replace(" ", "").replace("\t", "")
        # NOTE: an all-digit identifier ("W12 2019") reads as a code and a year; it is left out
        return code[:3] in ROUTING_KEYS and not code[3:].isdigit()


def recognizers() -> list[ValidatedPatternRecognizer]:
    """The address recognisers."""
    return [StreetAddressRecognizer(), EuropeanAddressRecognizer(), NorthAmericanAddressRecognizer(),
            EircodeRecognizer()]
