"""Contact details: e-mail addresses (offline), phone numbers (phonenumbers), IP addresses."""

from __future__ import annotations

import ipaddress
import re
from typing import ClassVar

import phonenumbers
from presidio_analyzer import EntityRecognizer, LocalRecognizer, Pattern, RecognizerResult

from detectors.recognizers import CONTEXT_BOOST, ContextScored, ValidatedPatternRecognizer, words_regex
from detectors.sentences import clip_before

# File extensions that follow "@" in asset names such as "logo@2x.png"; never mail domains here.
_FILE_SUFFIXES = frozenset(
    ["png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "ico", "tif", "tiff", "css", "js", "mjs", "ts", "map", "json", "xml", "html", "htm", "txt", "log", "md", "pdf", "csv", "zip", "gz"]
)


class EmailRecognizer(ValidatedPatternRecognizer):
    """E-mail address with a well-formed domain; no suffix-list download (no tldextract)."""

    ENTITY = "EMAIL_ADDRESS"
    PATTERNS = (
        (
            "email",
            r"(?<![\w.%+\-])[A-Za-z0-9][A-Za-z0-9._%+\-]{0,63}@"
            # Domain labels may be internationalised (Unicode letters); the TLD is letters or
            # an A-label (xn--…).
            r"(?:[^\W_](?:(?:[^\W_]|-){0,61}[^\W_])?\.)+"
            r"(?:[^\W\d_]{2,24}|xn--[A-Za-z0-9\-]{2,59})" + r"(?![\w\-@])",
            0.9,
        ),
    )
    CONTEXT = ("email", "e-mail", "mail", "contact", "address")

    def validate_result(self, pattern_text: str) -> bool:
        local, _, domain = pattern_text.rpartition("@")
        if ".." in local or local.endswith(".") or len(pattern_text) > 254:
            return False
        if len(domain) > 253:
            return False
        return domain.rsplit(".", 1)[-1].lower() not in _FILE_SUFFIXES


class HandleRecognizer(ValidatedPatternRecognizer):
    """A social-media handle ("@jsmith_84"): an online identifier, so personal data (USERNAME).

    Not the local part or domain of an e-mail address, not a path or URL piece, and not a handle of
    digits only ("@2x" asset suffixes have a letter but a digit first and are too short). A full stop right
    before it counts only where no word comes before the stop: ".@ladygaga thank you" (a reply written so that
    all followers see it), not "name.@host"."""

    ENTITY = "USERNAME"
    PATTERNS = (("handle", r"(?<![\w@/:+\-])(?<![\w.@/:+\-]\.)@[A-Za-z0-9_]{2,30}(?![\w@]|\.[A-Za-z]{2})", 0.75),)
    CONTEXT = ("twitter", "instagram", "tiktok", "handle", "follow", "dm", "username", "user name", "x.com")

    def validate_result(self, pattern_text: str) -> bool:
        name = pattern_text[1:]
        return any(c.isalpha() for c in name) and not (name[0].isdigit() and len(name) <= 3)


# The words a form or a log writes before someone's user name ("Username: dark_knight_1987", "login=jhorton84",
# "user=jsmith84"),
# as a label (then "is", a colon or "=") and as a column header
_USERNAME_WORDS = r"(?:user(?:[ \t_\-]?(?:name|id))?|login(?:[ \t_\-]?(?:name|id))?|screen[ \t_\-]?name|gamertag|handle)"
_USERNAME_LABEL = re.compile(rf"(?i)(?<![\w\-])(?:{_USERNAME_WORDS}[ \t]*(?:(?:is|was)[ \t]+|[:=][ \t]*)"
                             r"|(?:logged|signed)[ \t]+(?:in|on)[ \t]+as[ \t]+)$")      # "logged in as jsmith84"
_USERNAME_HEADER = re.compile(rf"(?i){_USERNAME_WORDS}s?")
# what a form writes in a field left empty, not a user name
_NO_USERNAME = frozenset({"n/a", "na", "none", "unknown", "required", "optional", "tbc", "tba", "same", "blank",
                          "null", "not", "and", "the", "for", "password", "email", "mail", "is", "was"})


class LabelledUsernameRecognizer(ValidatedPatternRecognizer):
    """A user name right after its label ("Username: dark_knight_1987", "user id=jhorton84"), or in a column headed
    so: an online identifier, so personal data (USERNAME), like a handle."""

    ENTITY = "USERNAME"
    # NOTE: a digit, an underscore or an inner dot in it ("sarah80", "kevin.smith"), so that the pattern, joined
    # with the others, takes no ordinary word; a name of letters alone ("jhorton") is left out
    PATTERNS = (("labelled_username", r"(?<![\w@.\-])(?=[A-Za-z0-9_.\-]*(?:[0-9_]|\.[A-Za-z0-9]))"
                 r"[A-Za-z][A-Za-z0-9_.\-]{1,29}[A-Za-z0-9_](?![\w@\-]|\.\w)", 0.6),)
    CONTEXT = ("username", "user name", "user id", "user", "login", "screen name", "gamertag", "handle", "logged in",
               "signed in")
    requires_context = True
    context_window = (24, 0)
    label_hint = rf"(?i){_USERNAME_WORDS}\b|(?:logged|signed)[ \t]+(?:in|on)[ \t]+as\b"

    def labelled_header(self, extra_context: str) -> bool:
        return _USERNAME_HEADER.fullmatch(extra_context.strip()) is not None

    def validate_result(self, pattern_text: str) -> bool:
        return pattern_text.lower() not in _NO_USERNAME

    def score_in_context(self, text: str, start: int, end: int, score: float,
                         extra_context: str = "") -> float | None:
        """The base score plus CONTEXT_BOOST when the label ends right before the value (or is the header)."""
        before = clip_before(text[max(0, start - self.context_window[0]):start])
        if _USERNAME_LABEL.search(before) is None and not self.labelled_header(extra_context):
            return None
        return round(min(1.0, score + CONTEXT_BOOST), 4)


# A chat log's speaker line: "<dave_k> anyone around?", "[09:14] <Olga> yes", "09:14 <ravi88> hi"
_SPEAKER_BEFORE = re.compile(r"(?:^|\n)[ \t]*(?:\[?\d{1,2}:\d{2}(?::\d{2})?\]?[ \t]+)?<$")
_SPEAKER_LINE = re.compile(r"(?m)^[ \t]*(?:\[?\d{1,2}:\d{2}(?::\d{2})?\]?[ \t]+)?<[^\s<>@/:.]{2,30}>[ \t]")
_MARKUP_TAGS = frozenset({"br", "hr", "p", "b", "i", "u", "em", "strong", "span", "div", "li", "ul", "ol", "td", "tr",
                          "th", "table", "html", "head", "body", "title", "pre", "code", "tt", "sup", "sub", "font"})


class ChatSpeakerRecognizer(ValidatedPatternRecognizer):
    """A speaker's nick in a chat log ("<dave_k> anyone around?"): an online identifier, so personal data
    (USERNAME). Only at the start of a line (after a time, if any), and only in a text with two such lines or
    more: one "<b> bold" in a note is no chat."""

    ENTITY = "USERNAME"
    CONTEXT = ("chat", "irc", "channel", "joined", "left", "topic")   # (reported; the line's shape decides)
    PATTERNS = (("chat_speaker", r"(?<=<)[A-Za-z_\[\]\\`^{}|][\w\[\]\\`^{}|\-]{1,29}(?=>[ \t])", 0.7),)

    def validate_result(self, pattern_text: str) -> bool:
        return pattern_text.lower() not in _MARKUP_TAGS

    def score_in_context(self, text: str, start: int, end: int, score: float,
                         extra_context: str = "") -> float | None:
        if _SPEAKER_BEFORE.search(text, max(0, start - 16), start) is None:
            return None
        lines = _SPEAKER_LINE.finditer(text)
        if next(lines, None) is None or next(lines, None) is None:
            return None
        return score


class IpAddressRecognizer(ValidatedPatternRecognizer):
    """IPv4/IPv6 addresses the ipaddress module accepts, less loopback and reserved ones."""

    ENTITY = "IP_ADDRESS"
    PATTERNS = (
        ("ipv4", r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)", 0.6),
        (
            "ipv6",
            r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}"
            r"(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{1,4})?" + r"(?![\w:])",
            0.75,
        ),
    )
    CONTEXT = ("ip", "ip address", "ipv4", "ipv6", "host", "client", "remote", "source", "login")
    negative_context = ValidatedPatternRecognizer.negative_context + (
        "version", "ver", "release", "build", "oid", "firmware",
    )

    def validate_result(self, pattern_text: str) -> bool:
        try:
            address = ipaddress.ip_address(pattern_text)
        except ValueError:
            return False
        if address.version == 6 and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        # NOTE: an IPv6 address written in full (eight groups, no "::") is one by its shape even in a range not yet
        # allocated (made-up test data, "f17f:d374:c6a5:3877:7733:bdc:d721:dff"); a shorter one must be allocatable
        full_v6 = address.version == 6 and pattern_text.count(":") == 7
        return not (
            address.is_unspecified
            or address.is_loopback
            or (address.is_reserved and not full_v6)
            or address.is_multicast
        )


class PhoneRecognizer(ContextScored, LocalRecognizer):
    """UK numbers (national or +44) and international numbers written with +CC or 00CC.

    Found with phonenumbers.PhoneNumberMatcher (default region GB, leniency VALID), so a number
    must be a real, assignable number for its country. Not a pattern recogniser: the engine
    calls ``analyze(text, ["PHONE_NUMBER"])`` directly (no NLP artifacts needed).
    """

    ENTITY = "PHONE_NUMBER"
    CONTEXT: ClassVar[tuple[str, ...]] = (
        "phone", "telephone", "tel", "mobile", "mob", "cell", "call", "fax", "contact", "ring", "reached on",
        "reached at", "reach me", "reach her", "reach him", "reach us", "reach them",
        "landline", "whatsapp", "text me", "dial", "my number", "her number", "his number", "their number",
        "your number", "our number",
        # the verbs as a case note writes them: "She phoned on 07700 900123", "Dad rang from 0161 496 0000"
        "phoned", "phoning", "rang", "ringing", "called", "calling", "texted", "texting", "voicemail",
    )
    negative_context: ClassVar[tuple[str, ...]] = (
        "nhs", "account", "sort code", "invoice", "order", "isbn", "sample", "example", "ref", "reference",
        # another identifier's label: "SSN 078-05-1120" is not a phone number read in some region's format
        "ssn", "social security", "itin", "ein", "national insurance", "nino", "passport", "tax id", "tin",
        "sin", "social insurance", "personnummer", "personal identity number", "pesel", "fødselsnummer", "cpr",
        "amka", "cnp", "kimlik", "id number", "identity number", "személyi", "személyazonosító", "taj szám",
        "adóazonosító",
    )
    requires_context: ClassVar[bool] = False
    context_window: ClassVar[tuple[int, int]] = (48, 24)
    patterns: ClassVar[list[Pattern]] = []
    name: str                  # NOTE: set by Presidio's __init__ without an annotation mypy can infer
    SCORE = 0.7
    DEFAULT_REGION = "GB"

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(
            supported_entities=[self.ENTITY],
            supported_language=supported_language,
            name=type(self).__name__,
            context=list(self.CONTEXT),
        )
        self._context_re = words_regex(self.CONTEXT)
        self._negative_re = words_regex(self.negative_context)

    def load(self) -> None:
        pass

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: object = None
    ) -> list[RecognizerResult]:
        """Every valid phone number in ``text``."""
        results = []
        matcher = phonenumbers.PhoneNumberMatcher(
            text, self.DEFAULT_REGION, leniency=phonenumbers.Leniency.VALID
        )
        for match in matcher:
            score = self.score_in_context(text, match.start, match.end, self.SCORE)
            if score is None:
                continue
            results.append(
                RecognizerResult(
                    entity_type=self.ENTITY,
                    start=match.start,
                    end=match.end,
                    score=score,
                    recognition_metadata={
                        RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                        RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                        RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY: True,
                    },
                )
            )
        return EntityRecognizer.remove_duplicates(results)


def recognizers() -> list[EntityRecognizer]:
    """One of each contact recogniser."""
    return [EmailRecognizer(), PhoneRecognizer(), IpAddressRecognizer(), HandleRecognizer(), LabelledUsernameRecognizer(),
            ChatSpeakerRecognizer()]
