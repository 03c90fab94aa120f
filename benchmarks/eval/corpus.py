"""The labelled dev corpus: templates filled with seeded values, with exact gold spans.

    python -m benchmarks.eval.corpus --docs 400 --seed 7 -o dev.jsonl   # {"id", "text", "spans", ...} a line
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Callable

from benchmarks.eval.templates import TEMPLATES
from benchmarks.eval.values import Values
from detectors.children import age_on
from detectors.recognizers.dates import parse_date

SLOT = re.compile(r"\{([A-Z_0-9]+)\}")
# Slot name (without a trailing digit) → gold entity; None = planted but not personal data (look-alikes).
LABELS = {
    "PERSON": "PERSON", "FIRST": "PERSON", "SURNAME": "PERSON", "TOWN": "LOCATION", "ABROAD": "LOCATION",
    "ADDRESS": "LOCATION", "POSTCODE": "LOCATION", "EMAIL": "EMAIL_ADDRESS", "PHONE": "PHONE_NUMBER",
    "DOB": "DATE_OF_BIRTH", "DOB_ADULT": "DATE_OF_BIRTH", "DOB_CHILD": "DATE_OF_BIRTH", "NHS": "UK_NHS",
    "NINO": "UK_NINO", "CARD": "CREDIT_CARD", "IBAN": "IBAN_CODE", "IP": "IP_ADDRESS", "SSN": "US_SSN",
    "PASSPORT": "UK_PASSPORT", "BANK": "UK_BANK_ACCOUNT", "ACCOUNT": "UK_BANK_ACCOUNT",
    "DL": "UK_DRIVING_LICENCE", "ES_NIF": "ES_NIF", "NL_BSN": "NL_BSN", "PPSN": "IE_PPSN",
    "REF": "REFERENCE_NUMBER", "REF_LABEL": None,
    "DATE": None, "ORG": None, "BAD_NHS": None, "BAD_CARD": None, "ORDER": None,
}


@dataclass
class Doc:
    id: str
    kind: str
    text: str
    spans: list[dict] = field(default_factory=list)
    special: list[str] = field(default_factory=list)
    children: bool = False

    def to_json(self) -> dict:
        return {"id": self.id, "kind": self.kind, "text": self.text, "spans": self.spans,
                "special": self.special, "children": self.children}


def _slot_base(slot: str) -> str:
    return slot if slot in LABELS else slot.rstrip("0123456789")


class _Filler:
    def __init__(self, values: Values):
        self.v = values
        self.got: dict[str, str] = {}

    def get(self, slot: str) -> str:
        if slot not in self.got:
            self.got[slot] = self._make(slot)
        return self.got[slot]

    def _make(self, slot: str) -> str:
        v, base, n = self.v, _slot_base(slot), slot[len(_slot_base(slot)):]
        makers: dict[str, Callable[[], str]] = {
            "PERSON": v.person, "SURNAME": v.surname, "TOWN": v.town, "ABROAD": v.abroad, "ADDRESS": v.address,
            "POSTCODE": v.postcode, "PHONE": v.phone, "NHS": v.nhs, "NINO": v.nino, "CARD": v.card,
            "IBAN": v.iban, "IP": v.ip, "SSN": v.ssn, "PASSPORT": v.passport, "BANK": v.sort_account,
            "ACCOUNT": v.account, "ES_NIF": v.es_nif, "NL_BSN": v.nl_bsn, "PPSN": v.ppsn, "DATE": v.other_date,
            "ORG": v.org, "BAD_NHS": lambda: v.nhs(valid=False), "BAD_CARD": lambda: v.card(valid=False),
            "ORDER": v.order_number, "REF": v.reference, "REF_LABEL": v.ref_label,
            "DOB_ADULT": lambda: v.dob(child=False), "DOB_CHILD": lambda: v.dob(child=True),
        }
        if base == "FIRST":
            return self.get("PERSON" + n).split()[0]
        if base == "EMAIL":
            return v.email(self.get("PERSON" + n))
        if base == "DOB":
            return v.dob()
        if base == "DL":
            born = parse_date(self.get("DOB_ADULT")) or dt.date(1980, 1, 1)
            return v.driving_licence(self.get("PERSON").split()[-1], born)
        return makers[base]()


def fill(doc_id: str, template: tuple, values: Values) -> Doc:
    kind, text, special, children = template
    filler = _Filler(values)
    out, spans, pos = [], [], 0
    length = 0
    for m in SLOT.finditer(text):
        literal = text[pos:m.start()]
        out.append(literal)
        length += len(literal)
        value = filler.get(m.group(1))
        entity = LABELS[_slot_base(m.group(1))]
        if entity:
            spans.append({"start": length, "end": length + len(value), "entity": entity})
        out.append(value)
        length += len(value)
        pos = m.end()
    out.append(text[pos:])
    if children == "dob":
        dob = next((filler.got[s] for s in filler.got if _slot_base(s).startswith("DOB")), None)
        born = parse_date(dob, values.today) if dob else None
        children = bool(born and age_on(born, values.today) < 18)
    return Doc(doc_id, kind, "".join(out), spans, sorted(special), bool(children))


def build_corpus(docs: int, seed: int, today: dt.date | None = None) -> list[Doc]:
    """``docs`` documents cycling through the templates, values from ``seed``."""
    values = Values(seed, today or dt.date.today())
    return [fill(f"dev-{i:04d}", TEMPLATES[i % len(TEMPLATES)], values) for i in range(docs)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=480)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args()
    with open(args.output, "w", encoding="utf-8") as fh:
        for doc in build_corpus(args.docs, args.seed):
            fh.write(json.dumps(doc.to_json(), ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
