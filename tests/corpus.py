"""A planted sample share: staff CSV, case notes, a JSON export, look-alikes and a policy document.

Every raw value planted here is listed in PLANTED so tests can grep outputs for leaks.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

STAFF_CSV = """name,email,national_insurance,phone
Jane Whitfield,jane.whitfield@example.org,AB123456C,07911 123456
Oliver Brennan,oliver.brennan@example.com,JK654321D,07823 456789
Amelia Okafor,amelia.okafor@example.net,CE998877B,07456 123987
"""

CASE_NOTE = """Case note, 3 October 2026.
Visited Daniel Hughes at home with his mother Karen Hughes.
Daniel's NHS number is 943 476 5919 and Karen's e-mail is karen.hughes@example.com.
"""

EXPORT = {"donors": [
    {"name": "Margaret Ellison", "email": "m.ellison@example.net", "iban": "GB82 WEST 1234 5698 7654 32"},
    {"name": "Samuel Adeyemi", "email": "sam.adeyemi@example.com", "iban": "GB33BUKB20201555555555"},
]}

LOOKALIKES = """Stock system reference numbers (not personal data):
order 943 476 5918, batch AB123456E, card test 4111 1111 1111 1112,
account check GB82 WEST 1234 5698 7654 33.
"""

POLICY_DOC = """Data Protection Policy

This policy applies to staff, volunteers and trustees who process personal data on behalf of the
charity. Special category data includes information about health, religious beliefs and trade union
membership, and must be handled with extra care. Requests for information must be documented.
"""

PLANTED = [
    "jane.whitfield@example.org", "AB123456C", "07911 123456", "oliver.brennan@example.com", "JK654321D",
    "amelia.okafor@example.net", "CE998877B", "943 476 5919", "karen.hughes@example.com",
    "m.ellison@example.net", "GB82 WEST 1234 5698 7654 32", "sam.adeyemi@example.com", "GB33BUKB20201555555555",
    "Jane Whitfield", "Daniel Hughes", "Margaret Ellison",
]

# relative path → entity types that must be reported
EXPECTED = {
    "hr/staff.csv": {"PERSON", "EMAIL_ADDRESS", "UK_NINO", "PHONE_NUMBER"},
    "casework/note-0142.txt": {"PERSON", "UK_NHS", "EMAIL_ADDRESS"},
    "exports/donors.json": {"PERSON", "EMAIL_ADDRESS", "IBAN_CODE"},
}
# relative path → entity types that must NOT be reported
FORBIDDEN = {
    "exports/lookalikes.txt": {"UK_NHS", "UK_NINO", "CREDIT_CARD", "IBAN_CODE"},
    "policies/data-protection.txt": {"UK_NHS", "UK_NINO", "CREDIT_CARD", "IBAN_CODE", "EMAIL_ADDRESS",
                                     "PHONE_NUMBER", "PERSON"},
}


@dataclass(frozen=True)
class Share:
    root: Path

    def uri(self, rel: str) -> str:
        return (self.root / rel).absolute().as_uri()


def build_share(root: Path) -> Share:
    files = {
        "hr/staff.csv": STAFF_CSV,
        "casework/note-0142.txt": CASE_NOTE,
        "exports/donors.json": json.dumps(EXPORT, indent=1),
        "exports/lookalikes.txt": LOOKALIKES,
        "policies/data-protection.txt": POLICY_DOC,
    }
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "policies" / "logo.bin").write_bytes(b"\x00\x01\x02\x03binary\x00" * 20)
    return Share(root)
