"""Seeded generators for the values planted in the dev corpus: names from Faker locales, real UK towns,
identifiers with valid check digits, and look-alikes that fail them."""
from __future__ import annotations

import datetime as dt
import random

import phonenumbers
from faker import Faker

from detectors import checksums

# NOTE: names come from many Faker locales (not from the detector's lists) so the detector cannot fit them.
NAME_LOCALES = ["en_GB"] * 4 + ["en_IE", "en_IN", "pl_PL", "fr_FR", "de_DE", "es_ES", "it_IT", "pt_PT", "ro_RO",
                                "nl_NL", "tr_TR", "fi_FI", "sv_SE", "da_DK", "no_NO", "cs_CZ", "hu_HU", "hr_HR",
                                "sk_SK", "sl_SI", "lt_LT", "lv_LV", "et_EE", "en_US", "en_CA", "en_AU", "en_NZ",
                                "pt_BR", "es_MX", "fr_CA", "de_AT", "de_CH", "nl_BE", "en_PH", "id_ID", "yo_NG",
                                "zu_ZA", "vi_VN"]
# Street addresses in other countries' formats (Faker's street_address, postcode and city for the locale).
ADDRESS_LOCALES = ["de_DE", "fr_FR", "nl_NL", "es_ES", "it_IT", "en_US", "en_IE", "fi_FI", "sv_SE", "da_DK", "pl_PL"]
# Phone numbers in the national format of these regions (phonenumbers' example numbers, re-drawn until valid).
PHONE_REGIONS = ["FR", "DE", "BE", "NL", "IE", "ES", "IT", "PL", "PT", "SE", "DK", "AT", "US", "CA", "CH", "FI"]
# Reference numbers: a label and a value of many shapes ("case ref 2019/114", "student ID 4471902").
REF_LABELS = ["case ref", "Case no.", "application no.", "student ID", "member no.", "customer number", "Client ID",
              "our ref", "Ref:", "account number", "policy no.", "claim reference", "passport no.", "TIN",
              "employee ID", "file ref", "Membership No:", "hospital no."]
TOWNS = ["Leeds", "Bradford", "Manchester", "Liverpool", "Sheffield", "Birmingham", "Bristol", "Nottingham",
         "Leicester", "Coventry", "Newcastle", "Sunderland", "Middlesbrough", "Hull", "York", "Doncaster", "Wakefield",
         "Huddersfield", "Halifax", "Bolton", "Wigan", "Stockport", "Oldham", "Preston", "Blackpool", "Lancaster",
         "Carlisle", "Cardiff", "Swansea", "Newport", "Glasgow", "Edinburgh", "Aberdeen", "Dundee", "Belfast",
         "Derry", "London", "Croydon", "Brighton", "Southampton", "Portsmouth", "Plymouth", "Exeter", "Norwich",
         "Cambridge", "Oxford", "Reading", "Luton", "Northampton", "Peterborough", "Ipswich", "Colchester",
         "Gloucester", "Worcester", "Stoke-on-Trent", "Derby", "Lincoln", "Durham", "Harrogate", "Scarborough"]
ABROAD = ["Paris", "Berlin", "Madrid", "Warsaw", "Krakow", "Bucharest", "Lisbon", "Rome", "Milan", "Dublin",
          "Amsterdam", "Lagos", "Karachi", "Lahore", "Dhaka", "Mumbai", "Kabul", "Damascus", "Nairobi", "Kingston"]
STREETS = ["Road", "Street", "Lane", "Avenue", "Close", "Drive", "Way", "Crescent", "Gardens", "Court", "Place",
           "Terrace", "Grove"]
STREET_NAMES = ["Oakfield", "Victoria", "Church", "Station", "Park", "Mill", "Chapel", "Queens", "Kings", "Albert",
                "Manor", "Highfield", "Beech", "Elm", "Willow", "Westfield", "Green", "Springfield", "Orchard",
                "Hawthorn", "Meadow", "Cavendish", "Moor", "Cross", "Bridge"]
POSTCODE_AREAS = {"Leeds": "LS", "Bradford": "BD", "Manchester": "M", "Liverpool": "L", "Sheffield": "S",
                  "Birmingham": "B", "Bristol": "BS", "Nottingham": "NG", "Leicester": "LE", "Glasgow": "G",
                  "Cardiff": "CF", "London": "SE", "York": "YO", "Hull": "HU", "Newcastle": "NE", "Edinburgh": "EH"}
ORGS = ["Leeds City Council", "Barnardo's", "Citizens Advice", "Oakwood Academy", "St Mary's Primary School",
        "Northfield Housing Association", "the Youth Offending Team", "Bright Futures Trust", "Acme Cleaning Ltd",
        "Harrison & Webb Solicitors LLP", "the Job Centre", "Mind", "Shelter", "the food bank"]


class Values:
    """Every value the templates ask for, from one seeded RNG and seeded Faker instances."""

    def __init__(self, seed: int, today: dt.date):
        self.rng = random.Random(seed)
        self.today = today
        self.fakers = {loc: Faker(loc) for loc in sorted(set(NAME_LOCALES) | set(ADDRESS_LOCALES) | {"en_US"})}
        for i, fk in enumerate(self.fakers.values()):
            fk.seed_instance(seed + i)
            # NOTE: some locales build their city list from a set (it_IT), so its order, and the city a seed
            # picks, changed with PYTHONHASHSEED: sorted, the corpus is the same in every process
            for provider in fk.providers:
                if isinstance(getattr(provider, "cities", None), list):
                    provider.cities = sorted(set(provider.cities))
        self.gb = self.fakers["en_GB"]

    # -- people and places -----------------------------------------------------------------------------
    def _faker(self):
        return self.fakers[self.rng.choice(NAME_LOCALES)]

    def person(self) -> str:
        fk = self._faker()
        return f"{fk.first_name()} {fk.last_name()}"

    def surname(self) -> str:
        return self._faker().last_name()

    def town(self) -> str:
        return self.rng.choice(TOWNS)

    def abroad(self) -> str:
        return self.rng.choice(ABROAD)

    def postcode(self, town: str | None = None) -> str:
        area = POSTCODE_AREAS.get(town or "", self.rng.choice(sorted(set(POSTCODE_AREAS.values()))))
        r = self.rng
        return f"{area}{r.randint(1, 19)} {r.randint(1, 9)}{r.choice('ABDEFGHJLNPQRSTUWXY')}{r.choice('ABDEFGHJLNPQRSTUWXY')}"

    def address(self) -> str:
        if self.rng.random() < 0.4:
            fk = self.fakers[self.rng.choice(ADDRESS_LOCALES)]
            return f"{fk.street_address()}, {fk.postcode()} {fk.city()}".replace("\n", ", ")
        town = self.rng.choice(sorted(POSTCODE_AREAS))
        street = f"{self.rng.randint(1, 240)} {self.rng.choice(STREET_NAMES)} {self.rng.choice(STREETS)}"
        if self.rng.random() < 0.25:
            street = f"Flat {self.rng.randint(1, 30)}, {street}"
        return f"{street}, {town} {self.postcode(town)}"

    def org(self) -> str:
        return self.rng.choice(ORGS)

    # -- contact -----------------------------------------------------------------------------------------
    def email(self, name: str | None = None) -> str:
        name = name or self.person()
        local = "".join(ch for ch in name.lower().replace(" ", self.rng.choice([".", "_", ""])) if ch.isascii()
                        and (ch.isalnum() or ch in "._"))
        domain = self.rng.choice(["gmail.com", "hotmail.co.uk", "outlook.com", "yahoo.co.uk", "btinternet.com",
                                  "brightfutures.org.uk", "leeds.gov.uk", "nhs.net", "icloud.com"])
        return f"{local or 'info'}{self.rng.randint(1, 99) if self.rng.random() < 0.3 else ''}@{domain}"

    def phone(self) -> str:
        r = self.rng
        kind = r.random()
        if kind < 0.35:
            return self.foreign_phone()
        kind = r.random()
        if kind < 0.45:
            n = f"07{r.choice('4578')}{r.randint(10, 99)} {r.randint(100000, 999999)}"
            return n if r.random() < 0.7 else "+44 " + n[1:]
        if kind < 0.8:
            area = r.choice(["0113", "0114", "0115", "0116", "0117", "0121", "0131", "0141", "0151", "0161", "0191"])
            return f"{area} {r.randint(200, 899)} {r.randint(1000, 9999)}"
        if kind < 0.9:
            return f"020 {r.choice('378')}{r.randint(100, 999)} {r.randint(1000, 9999)}"
        return f"+33 {r.randint(1, 5)} {r.randint(10, 99)} {r.randint(10, 99)} {r.randint(10, 99)} {r.randint(10, 99)}"

    def foreign_phone(self) -> str:
        """A valid number of another country, written in its national format (sometimes with dots or dashes)."""
        region = self.rng.choice(PHONE_REGIONS)
        kind = self.rng.choice([phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE])
        example = phonenumbers.example_number_for_type(region, kind) or phonenumbers.example_number(region)
        national = str(example.national_number)
        for _ in range(200):
            keep = max(2, len(national) - 6)
            digits = national[:keep] + self._digits(len(national) - keep)
            number = phonenumbers.PhoneNumber(country_code=example.country_code, national_number=int(digits))
            if phonenumbers.is_valid_number_for_region(number, region):
                text = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
                if region == "FR" and self.rng.random() < 0.5:
                    text = text.replace(" ", ".")
                return text
        return phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)

    def reference(self) -> str:
        """A reference number of one of many shapes (the label is written by the template or by ref_label)."""
        r, d = self.rng, self._digits
        shapes = [lambda: f"{d(5)}/{d(2)}", lambda: f"{r.randint(2005, 2025)}/{r.randint(1, 999)}", lambda: d(7),
                  lambda: f"{self._letters(2)}-{d(4)}", lambda: f"{self._letters(2)}{d(7)}",
                  lambda: f"{self._letters(2)}/{d(4)}/{self._letters(1)}", lambda: f"{d(2)}-{d(7)}",
                  lambda: f"{self._letters(3)}{d(6)}", lambda: f"{d(3)}-{d(3)}-{d(3)}"]
        return r.choice(shapes)()

    def ref_label(self) -> str:
        return self.rng.choice(REF_LABELS)

    def _letters(self, n: int) -> str:
        return "".join(self.rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(n))

    def ip(self) -> str:
        return self.gb.ipv4_public()

    # -- dates -------------------------------------------------------------------------------------------
    def birth(self, child: bool | None = None) -> dt.date:
        if child is None:
            child = self.rng.random() < 0.5
        age = self.rng.randint(3, 16) if child else self.rng.randint(19, 85)
        return self.today - dt.timedelta(days=age * 365 + self.rng.randint(20, 340))

    def date_text(self, d: dt.date) -> str:
        style = self.rng.randint(0, 4)
        if style == 0:
            return d.strftime("%d/%m/%Y")
        if style == 1:
            return f"{d.day}/{d.month}/{d.year}"
        if style == 2:
            return f"{d.day} {d.strftime('%B %Y')}"
        if style == 3:
            return d.isoformat()
        return d.strftime("%d.%m.%Y")

    def dob(self, child: bool | None = None) -> str:
        return self.date_text(self.birth(child))

    def other_date(self) -> str:
        return self.date_text(self.today - dt.timedelta(days=self.rng.randint(1, 700)))

    # -- identifiers -------------------------------------------------------------------------------------
    def _digits(self, n: int) -> str:
        return "".join(self.rng.choice("0123456789") for _ in range(n))

    def nhs(self, valid: bool = True) -> str:
        while True:
            body = self.rng.choice("4678") + self._digits(8)
            total = sum(int(d) * w for d, w in zip(body, range(10, 1, -1), strict=True))
            check = 11 - total % 11
            if check == 10:
                continue
            check = 0 if check == 11 else check
            if not valid:
                check = (check + self.rng.randint(1, 9)) % 10
            number = body + str(check)
            if checksums.nhs_mod11(number) == valid:
                return f"{number[:3]} {number[3:6]} {number[6:]}"

    def nino(self) -> str:
        first = self.rng.choice("ABCEGHJKLMNPRSTWXYZ")
        second = self.rng.choice("ABCEGHJKLMNPRSTWXYZ")
        value = f"{first}{second}{self._digits(6)}{self.rng.choice('ABCD')}"
        if not checksums.nino_valid(value):
            return self.nino()
        if self.rng.random() < 0.5:
            return f"{value[:2]} {value[2:4]} {value[4:6]} {value[6:8]} {value[8]}"
        return value

    def card(self, valid: bool = True) -> str:
        kind = self.rng.choice(["visa16", "mastercard", "visa16"])
        number = self.gb.credit_card_number(card_type=kind)
        if not valid:
            number = number[:-1] + str((int(number[-1]) + self.rng.randint(1, 9)) % 10)
        if self.rng.random() < 0.7:
            return " ".join(number[i:i + 4] for i in range(0, 16, 4))
        return number

    def iban(self) -> str:
        value = self.fakers[self.rng.choice(["en_GB", "en_GB", "de_DE", "fr_FR", "es_ES", "nl_NL"])].iban()
        return " ".join(value[i:i + 4] for i in range(0, len(value), 4)) if self.rng.random() < 0.6 else value

    def ssn(self) -> str:
        while True:
            value = self.fakers["en_US"].ssn()
            if checksums.ssn_valid(value):
                return value

    def passport(self) -> str:
        return str(self.rng.randint(100000000, 999999999))

    def sort_account(self) -> str:
        r = self.rng
        return f"{r.randint(10, 99)}-{r.randint(10, 99)}-{r.randint(10, 99)} {r.randint(10000000, 99999999)}"

    def account(self) -> str:
        return str(self.rng.randint(10000000, 99999999))

    def driving_licence(self, surname: str, born: dt.date) -> str:
        letters = "".join(ch for ch in surname.upper() if "A" <= ch <= "Z")[:5].ljust(5, "9")
        month = born.month + (50 if self.rng.random() < 0.5 else 0)
        initials = "".join(self.rng.choice("ABCDEFGHJKLMNPRSTW") for _ in range(2))
        value = (f"{letters}{str(born.year)[2]}{month:02d}{born.day:02d}{str(born.year)[3]}{initials}"
                 f"{self.rng.randint(0, 9)}{self.rng.choice('ABCDEFGHJKLMNPRSTW')}{self.rng.choice('ABCDEFGHJK')}")
        return value if checksums.uk_driving_licence_valid(value) else self.driving_licence("SMITH", born)

    def es_nif(self) -> str:
        number = self.rng.randint(10000000, 99999999)
        return f"{number}{'TRWAGMYFPDXBNJZSQVHLCKE'[number % 23]}"

    def nl_bsn(self) -> str:
        while True:
            body = self._digits(8)
            total = sum(int(d) * w for d, w in zip(body, range(9, 1, -1), strict=True))
            check = total % 11
            if check < 10 and body[0] != "0":
                return body + str(check)

    def ppsn(self) -> str:
        digits = self._digits(7)
        total = sum(int(d) * w for d, w in zip(digits, range(8, 1, -1), strict=True))
        return digits + "WABCDEFGHIJKLMNOPQRSTUV"[total % 23]

    def order_number(self) -> str:
        return self._digits(10)
