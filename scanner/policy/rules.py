"""The catalogue of policy rules: id → principle, default severity and help (the SARIF reporter reads it)."""
from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, Mapping

from scanner.model import Severity, Violation


class Principle(str, enum.Enum):
    """The eight data-protection principles (DPA 1998 Sch 1, as listed in the seed policy; UK GDPR Art 5)."""

    LAWFUL = "Be fairly and lawfully processed"
    PURPOSE = "Be processed for limited purposes"
    MINIMISATION = "Be adequate, relevant and not excessive"
    ACCURACY = "Be accurate and up to date"
    RETENTION = "Not be kept for longer than is necessary"
    RIGHTS = "Be processed in accordance with data subjects' rights"
    SECURITY = "Be securely kept"
    TRANSFER = "Not be transferred to countries without adequate protection"


@dataclass(frozen=True)
class Rule:
    id: str
    principle: Principle
    severity: Severity               # default; may be raised by sensitivity/volume or overridden in the config
    short: str
    help: str


def _r(id: str, principle: Principle, severity: Severity, short: str, help: str) -> Rule:
    return Rule(id, principle, severity, short, help)


_ALL = (
    _r("transfer.not_adequate", Principle.TRANSFER, Severity.MEDIUM,
       "Personal data stored in a country without adequate protection",
       "The container stores personal data in a country with no adequacy decision or regulations under the chosen "
       "jurisdiction, and no transfer safeguard (IDTA, UK Addendum, SCCs, BCRs) is on record for it. Severity rises "
       "to high for special-category or children's data and one step more for large numbers of data subjects."),
    _r("transfer.partial_unmet", Principle.TRANSFER, Severity.MEDIUM,
       "Partial adequacy whose condition is not on record",
       "The country is adequate only for some recipients (e.g. US organisations certified to the Data Privacy "
       "Framework and, from the UK, its UK Extension). The provider's settings in the config do not show the "
       "condition is met and no safeguard is on record."),
    _r("transfer.unknown_location", Principle.TRANSFER, Severity.MEDIUM,
       "Personal data in a location whose country is unknown",
       "The storage country could not be determined (unknown region code, provider did not report one, or no "
       "onprem rule matches the host or path), so the transfer cannot be assessed."),
    _r("purpose.undeclared", Principle.PURPOSE, Severity.LOW,
       "Personal data where no purpose is declared",
       "The config declares purposes, but none matches this location: the record of processing does not say why "
       "personal data is held here."),
    _r("minimisation.special_category_not_allowed", Principle.MINIMISATION, Severity.HIGH,
       "Special-category data where the purpose does not allow it",
       "Health, religion, ethnic origin, criminal-offence or other Art 9/10 data was found where no declared purpose "
       "allows that category."),
    _r("minimisation.children_not_allowed", Principle.MINIMISATION, Severity.HIGH,
       "Children's data where the purpose does not allow it",
       "Data about children was found where no declared purpose allows children's data."),
    _r("minimisation.payment_card_no_purpose", Principle.MINIMISATION, Severity.HIGH,
       "Card numbers where there is no payment purpose",
       "Valid payment card numbers were found where no declared purpose involves payments. Card numbers should be "
       "held only by the payment processor, or truncated."),
    _r("minimisation.entity_not_allowed", Principle.MINIMISATION, Severity.MEDIUM,
       "Personal data types the purpose does not need",
       "The object holds identifier or contact types that are not in the allowed list of the purpose declared for "
       "its location."),
    _r("minimisation.duplicate_copies", Principle.MINIMISATION, Severity.LOW,
       "The same personal file copied to several locations",
       "Byte-identical copies of a file holding personal data exist in several places; every copy must be secured, "
       "retained and found for subject access."),
    _r("retention.exceeded", Principle.RETENTION, Severity.MEDIUM,
       "Personal data kept longer than its retention period",
       "The object was last modified longer ago than the retention period configured for its data categories and "
       "location."),
    _r("security.public_container", Principle.SECURITY, Severity.CRITICAL,
       "Public container holding personal data",
       "The bucket or container allows public (anonymous) access and holds personal data."),
    _r("security.world_readable", Principle.SECURITY, Severity.CRITICAL,
       "World-readable file or share holding personal data",
       "A file or share holding personal data can be read by every user of the system or network."),
    _r("security.unencrypted_special", Principle.SECURITY, Severity.HIGH,
       "Unencrypted bucket holding special-category data",
       "The container reports no encryption at rest and holds special-category or children's data."),
    _r("security.unencrypted_personal", Principle.SECURITY, Severity.MEDIUM,
       "Unencrypted bucket holding personal data",
       "The container reports no encryption at rest and holds personal data."),
)

RULES: Mapping[str, Rule] = {r.id: r for r in _ALL}

_ORDER = list(Severity)


def bump(severity: Severity, steps: int = 1) -> Severity:
    return _ORDER[min(len(_ORDER) - 1, max(0, severity.rank + steps))]


def make(rule_id: str, target: str, message: str, advice: str, evidence: Mapping[str, Any],
         severity: Severity | None = None) -> Violation:
    rule = RULES[rule_id]
    return Violation(rule=rule_id, principle=rule.principle.value, severity=severity or rule.severity,
                     target=target, message=message, advice=advice, evidence=dict(evidence))
