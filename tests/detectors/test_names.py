"""The name rules: labels, sign-offs and listed given names followed by a surname."""
from __future__ import annotations

import pytest


def _found(text: str, spans) -> set[tuple[str, str]]:
    """(entity, value) of each span a rule found in ``text``."""
    return {(s.entity, text[s.start:s.end]) for s in spans}


def persons(detector, text: str) -> list[str]:
    return [text[s.start:s.end] for s in detector._names.find(text) if s.entity == "PERSON"]


@pytest.mark.parametrize(("text", "expected"), [
    ("Spoke with Grace Patel today.", ["Grace Patel"]),
    ("Mary Ann Smith and Aisha bin Salleh attended.", ["Mary Ann Smith", "Aisha bin Salleh"]),
    ("Referred by Mrs Priya Sharma-Jones.", ["Priya Sharma-Jones"]),
    ("Grace Patel's mother called.", ["Grace Patel"]),
    ("Form signed by Kwame OKAFOR.", ["Kwame OKAFOR"]),
    ("Attendees Amelia Smith Jack Jones", ["Amelia Smith", "Jack Jones"]),        # a list without commas
    ("Mary-Jane O'Neil moved.", ["Mary-Jane O'Neil"]),
])
def test_a_listed_given_name_and_a_surname_is_a_person(detector, text: str, expected: list[str]) -> None:
    assert persons(detector, text) == expected


@pytest.mark.parametrize("text", [
    "The service at Grace Church ended.",                  # an organisation word
    "She lives on Victoria Road now.",                     # a street
    "A grant from the Grace Patel Foundation.",            # an organisation named after someone
    "We support Christian Aid each year.",                 # a common word after the name
    "Grace said she would call.",                          # a given name alone: left to NER
    "GRACE PATEL",                                          # capitals only: a heading, left to NER
    "Spoke with Tarquin Thorne.",                          # a given name not listed: left to NER
    "He met Grace NHS staff.",                             # not a surname
])
def test_not_a_person_by_the_given_name_rule(detector, text: str) -> None:
    assert all("a given name" not in s.why for s in detector._names.find(text))


def test_a_town_named_like_a_person_is_a_location(detector) -> None:
    found = {(d.entity, d.text) for d in detector.analyze("They moved to Milton Keynes in May.")}
    assert ("LOCATION", "Milton Keynes") in found and ("PERSON", "Milton Keynes") not in found


def test_given_names_are_listed_once_lower_case_and_broadly(detector) -> None:
    given = detector._names.given
    assert len(given) > 1000 and all(n == n.lower() for n in given)
    assert {"grace", "mohammed", "priya", "kwame", "agnieszka", "siobhan", "wei"} <= given
    assert {"saoirse", "aoife", "róisín", "roisin", "pádraig", "padraig", "eilidh", "ffion", "bronwen", "owain"} <= given
    assert not given & {"may", "june", "april", "august", "monday", "will", "said"}


def test_welsh_names_with_their_particles(detector) -> None:
    text = "Social worker Bronwen ap Gwilym met Rhodri ab Owain."
    assert {"Bronwen ap Gwilym", "Rhodri ab Owain"} <= {d.text for d in detector.analyze(text) if d.entity == "PERSON"}


def test_gaelic_given_names_with_their_accents_are_names(detector) -> None:
    text = "Róisín and Pádraig moved to Galway with Caoimhe."
    assert {"Róisín", "Pádraig", "Caoimhe"} <= {d.text for d in detector.analyze(text) if d.entity == "PERSON"}


@pytest.mark.parametrize(("text", "expected"), [
    ("Attention improves with practice (Hale, Okonkwo, & Lindqvist, 2010).", ["Hale", "Okonkwo", "Lindqvist"]),
    ("as shown before (Brannigan et al., 2005; Sørensen & Mbeki 2014)", ["Brannigan", "Sørensen", "Mbeki"]),
    ("The account by Farrow and Quist (2004) begins with a summary.", ["Farrow", "Quist"]),
    ("“It was fine,” Oksana says, pulling up her sleeve.", ["Oksana"]),
    ("The roof had gone, said Brenner, and nobody came.", ["Brenner"]),
    ("In Farrow (2004) the claim is made.", ["Farrow"]),               # a sentence's first word before it
    # authors joined by "and" / "&" before a year or a numbered reference, no brackets, in a text that cites
    ("As Hale (2009) notes, Okafor and Lindqvist 2016 disagree.", ["Hale", "Okafor", "Lindqvist"]),
    ("Earlier work (Quist, 2001; Mbeki & Sørensen, 2014 and others) agrees.", ["Quist", "Mbeki", "Sørensen"]),
    ("as in Brannigan & Oyelaran [12], the rats [13] ran.", ["Brannigan", "Oyelaran"]),
    ("See [2]; Farrow, Quist and Adeyemi's 2011 survey [3].", ["Farrow", "Quist", "Adeyemi"]),
    # one author without a comma, beside a sure citation in the same brackets; citing words before the first
    ("long studied (Heidenreich & Turano 2011; Milekic 2010).", ["Heidenreich", "Turano", "Milekic"]),
    ("in the arts (see for example Brieber 2014; Binderman et al., 2005) and", ["Binderman", "Brieber"]),
    # an English word beside a speech verb mid-sentence: WordNet's proper nouns are surnames too
    ("As each task grows, Smith noted, it engages less.", ["Smith"]),
    ("Survey done.\nMaeve says the rota is fine.", ["Maeve"]),         # a listed given name at a line's start
])
def test_authors_in_citations_and_speakers_are_persons(detector, text: str, expected: list[str]) -> None:
    assert [text[s.start:s.end] for s in detector._names.cited(text) if s.entity == "PERSON"] == expected


@pytest.mark.parametrize("text", [
    "It ran on (Windows 2000) for years.",             # one capitalised word before a year, no comma
    "It ran on (Windows 2000; Office 2003) for years.",  # ... beside another such, not a sure citation
    "The office opened (March, 2011) downtown.",        # a month
    "Police said the road was closed.",                 # a common word before "said"
    "The report (Annex 2010) is attached.",
    "She starred in Winter Harbour (2008) and The Lookout (2011).",  # film titles, not authors
    "She starred in Waiting for the Ferryman (1962) last.",          # a name after "the": a title
    "The best study (Harbour, 2010) found that a harbour silts up.",   # a word the text writes in lower case
    "The Health and Safety 2021 review and the Terms and Conditions 2023 are attached.",   # headings: no citing
    "Fees and Charges 2024 [draft]",                                   # one bracket is no numbered references
    "No iron ore royalty rate hike, WA Premier says.",                  # an office, not its holder's name
    "US President said no.",
    # an English word, no listed given name, at a headline's start: a publication, report or body that "says"
    "Survey says buying sex should be illegal",
    "VIDEO: Report says police dog bites rampant",
    "Vogue says pyjamas are daywear now http://t.co/x",
])
def test_not_an_author_or_speaker(detector, text: str) -> None:
    assert not [s for s in detector._names.cited(text) if s.entity == "PERSON"]


@pytest.mark.parametrize(("text", "name"), [
    ("hi my name is olga petrova and i live nearby", "olga petrova"),
    ("i'm jake btw, new here", "jake"),
    ("see you soon\ncheers,\nmarta", "marta"),
    ("MY NAME IS olga petrova", "olga petrova"),                   # the cue in any case
    ("hello, I AM jake", "jake"),
    ("spoke to mrs okafor today about the rent", "okafor"),        # a personal title in lower case
    ("no wonder mr. wenger mutes it", "wenger"),
    ("my sister olivia lives in portsmouth now lol", "olivia"),   # a listed given name after a possessive relation
    ("it's our son jayden's party on sat", "jayden"),              # without the possessive "'s"
])
def test_a_lower_case_name_with_a_strong_cue(detector, text: str, name: str) -> None:
    assert ("PERSON", name) in {(d.entity, d.text) for d in detector.analyze(text)}


@pytest.mark.parametrize("text", ["i'm tired and i'm sorry", "im happy today", "my name is not important",
                                  "i am will to go", "the enemy name is olga petrova", "a denim jake",
                                  "miss you loads", "waiting for mr right", "see dr who tonight",
                                  "my son will be there", "my mum said no",          # English words after a relation
                                  "thanks olivia for the cake", "son olivia",        # no possessive before the relation
                                  "my sisterolivia"])
def test_no_lower_case_name_without_a_name(detector, text: str) -> None:
    assert not [d for d in detector.analyze(text) if d.entity == "PERSON"]


@pytest.mark.parametrize(("text", "word"), [
    ("Invoice from Siemens Energy GmbH for the turbine.", "Siemens"),
    ("We wrote to Harris, Cole and Webb about the lease.", "Harris"),        # a firm of surnames
    ("The court ruled under Art. 9 of the Convention.", "Art"),              # a legal reference
    ("The claim fails pursuant to Law no. 466 of 2003.", "Law"),
    ("She lives at Hauptstrasse 12 in the old town.", "Hauptstrasse"),       # a street
    ("Present: Cllr Bhatt, Ruth Abernethy (Clerk), Tom Ede (Treasurer).", "Clerk"),   # a role in the minutes
    ("Present: Cllr Bhatt, Ruth Abernethy (Clerk), Tom Ede (Treasurer).", "Treasurer"),
    ("Ms Adebayo-Smith's son Tunde attends St Joseph's Primary.", "Joseph"),  # a school
])
def test_organisations_legal_words_and_streets_are_not_persons(detector, text: str, word: str) -> None:
    assert not [d for d in detector.analyze(text) if d.entity == "PERSON" and word in d.text]


@pytest.mark.parametrize("text", [
    "URGENT, Grace please call back.",                 # capitals not at a line's start or after a label
    "Thank you to the Caucus and its Chair, Joyce Beatty.",   # an apposition, not a given name then a surname
])
def test_no_surname_first_name_in_capitals_or_apposition(detector, text: str) -> None:
    assert not [v for _, v in _found(text, detector._names.inverted(text)) if "," in v]


@pytest.mark.parametrize(("text", "name"), [
    ("Surname: O'REILLY   Forename(s): Seamus Patrick   Nationality: Irish", "Seamus Patrick"),
    ("Name of child: Amara Okonkwo-Davies  Age: 9  School: Hillside", "Amara Okonkwo-Davies"),
    ("Dear Grace Patel: thank you for your letter.", "Grace Patel"),      # one space: no next field
    ("Pupil: Kacper Wójcik     Tutor group: 9R", "Kacper Wójcik"),          # a label of more than one word
    ("Statement of: Dwayne Anthony MCKENZIE     Age if under 18: Over 18", "Dwayne Anthony MCKENZIE"),
    # three spaces or a tab part a form's fields, colon or not; a dotted label is no initial
    ("Child: Ruby-Mae Thompson   D.O.B: 21/11/2016", "Ruby-Mae Thompson"),
    ("Child: Ruby-Mae Thompson D.O.B: 21/11/2016", "Ruby-Mae Thompson"),
    ("Ruby Thompson   Age 9   Year 4", "Ruby Thompson"),
    ("Mr Jones   A.B. Smith", "Jones"),
    ("Emergency contact: Gareth Pryce\t07700 900123", "Gareth Pryce"),
])
def test_a_name_ends_before_a_form_s_next_field(detector, text: str, name: str) -> None:
    found = {(d.entity, d.text) for d in detector.analyze(text)}
    assert ("PERSON", name) in found
    assert not [v for e, v in found if e == "LOCATION" and "D.O.B" in v]        # nor is the label a place


@pytest.mark.parametrize(("text", "name"), [
    ("Employee Name: MS A OKONKWO-HALE        Employee No: 00418", "A OKONKWO-HALE"),   # a payslip in capitals
    ("Name: MR JONATHAN PRYCE\nDept: Outreach", "JONATHAN PRYCE"),
    ("Name: Mrs. Tolu Adeyemi-Brandt, Ward 4", "Tolu Adeyemi-Brandt"),
    ("Client name: Dr B Okafor", "B Okafor"),
])
def test_a_title_and_initials_after_a_name_label(detector, text: str, name: str) -> None:
    assert ("PERSON", name) in _found(text, detector._names.find(text))


# the name fields of forms (split names, card and account holders, printed names), names NER misses on its own
@pytest.mark.parametrize(("text", "name"), [
    ("Forename(s): Radovan Ilja\nSurname: Kostelecký", "Radovan Ilja"),
    ("Forename(s): Radovan Ilja\nSurname: Kostelecký", "Kostelecký"),
    ("Given names: Sione Lātū", "Sione Lātū"),
    ("Mother's maiden name: Okonjo", "Okonjo"),
    ("Cardholder name: Brijesh Pathare", "Brijesh Pathare"),
    ("Account holder: Ottavia Brenna", "Ottavia Brenna"),
    ("Print name: Ilinca Vârtosu", "Ilinca Vârtosu"),
])
def test_name_fields_of_forms(detector, text: str, name: str) -> None:
    assert ("PERSON", name) in _found(text, detector._names.find(text))


@pytest.mark.parametrize("text", ["Account holder: Bright Futures Ltd", "Client: Leeds City Council",
                                  "Policy holder: Meridian Housing Association"])
def test_an_organisation_after_a_name_label_is_no_person(detector, text: str) -> None:
    assert not [v for _, v in _found(text, detector._names.find(text))]


@pytest.mark.parametrize("text", ["Name: I am not sure", "Name: A", "Title: Mr"])
def test_no_name_from_a_lone_letter_or_title_after_a_label(detector, text: str) -> None:
    assert not [v for _, v in _found(text, detector._names.find(text))]


def test_a_list_of_given_names_is_not_read_surname_first(detector) -> None:
    for text in ("Siblings: Grace, Amir.", "Children: Amir, Grace and Kai."):
        found = _found(text, detector._names.find(text))
        assert not [value for _, value in found if "," in value]
    text = "Patient: Okonkwo-Hale, Grace"
    assert ("PERSON", "Okonkwo-Hale, Grace") in _found(text, detector._names.find(text))


@pytest.mark.parametrize("text", ["Father: Unknown. Mother: Not known.", "Carer: TBC", "Referrer: Anonymous",
                                  "Name: Withheld"])
def test_a_placeholder_after_a_name_label_is_no_name(detector, text: str) -> None:
    assert not [d for d in detector.analyze(text) if d.entity == "PERSON"]


@pytest.mark.parametrize(("text", "expected"), [
    ("Prime Minister Theresa May to make a statement.", {"Theresa May"}),
    ("Brian May's guitar was sold.", {"Brian May"}),
    ("Grace May 12 was the date; Sarah June 2021 report.", set()),     # a month before a day or a year
])
def test_a_month_that_is_a_surname(detector, text: str, expected: set[str]) -> None:
    got = {v for e, v in _found(text, detector._names.given_names(text)) if e == "PERSON"}
    assert got == expected


def test_a_judge_named_with_the_post_after_the_surname(detector) -> None:
    text = "Smith LJ and Arden LJ agreed with Kerr J. Lord Reed JSC gave the lead. See Schedule J and Part J."
    got = {v for e, v in _found(text, detector._names.judges(text)) if e == "PERSON"}
    assert got == {"Smith", "Arden", "Kerr", "Reed"}
    found = {(d.entity, d.text) for d in detector.analyze(text)}
    assert ("PERSON", "Reed") in found and not [v for e, v in found if "JSC" in v or "LJ" in v]


def test_anonymised_initials_ner_took_for_a_place_are_a_person(detector) -> None:
    text = "The applicant's son, A.K., was placed in care. The mother, B.K., objected."
    found = {(d.entity, d.text) for d in detector.analyze(text)}
    assert ("LOCATION", "B.K.") not in found and ("LOCATION", "A.K.") not in found
    def at(text: str, value: str) -> bool:
        return detector._names.anonymised(text, text.index(value), text.index(value) + len(value))
    assert at("The mother, B.K., objected.", "B.K.") and at("the applicant A.B.C. said", "A.B.C.")
    assert at("X.Y. (a child) was seen.", "X.Y.")
    assert not at("She moved from N.I. to W.A. in 2003.", "N.I.") and not at("She moved from N.I. to W.A.", "W.A.")
    assert not at("The mother, U.S., said", "U.S.") and not at("The mother, B., said", "B.")
    text = "She moved from N.I. to the U.K. and then to W.A."
    assert not [d for d in detector.analyze(text) if d.entity == "PERSON"]


def test_initials_standing_for_a_person_after_a_title_or_a_role(detector) -> None:
    text = ("The applicant, Mr A.B., complained; Dr K.L.M. and Mr A.D. disagreed. Officer T.R. denied it and Captain "
            "H.T. wrote. Her daughter, X.Y., moved in 2003 A.D. to the U.K. with Mr J.R. Okafor.")
    got = [text[s.start:s.end] for s in detector._names.initials_alone(text)]
    # a title (an abbreviation's letters too: "Mr A.D.") or a role right before them; not a date's era, a country,
    # nor a name's initials before its surname (initials() reads those)
    assert got == ["A.B.", "K.L.M.", "A.D.", "T.R.", "H.T.", "X.Y."]
    assert not detector._names.initials_alone("In 300 A.D. the U.S. and the U.N. met. P.S. Write soon. mr A.B.")
    # initials listed after such ones, not an abbreviation listed after them
    court = "The court, composed of Judges M.Y., A.K. and S.T., heard Mr A.B., U.S. citizen."
    assert [court[s.start:s.end] for s in detector._names.initials_alone(court)] == ["M.Y.", "A.K.", "S.T.", "A.B."]
    found = {(d.entity, d.text) for d in detector.analyze(text)}
    assert {("PERSON", "A.B."), ("PERSON", "T.R."), ("PERSON", "X.Y.")} <= found
    assert ("PERSON", "U.K.") not in found


def test_a_body_after_of_is_no_speaker(detector) -> None:
    text = "The Federal Ministry of Justice replied on 3 May; the Secretary for Education said so. Okonjo replied."
    got = [text[s.start:s.end] for s in detector._names.cited(text)]
    assert got == ["Okonjo"]


def test_a_name_after_lord_or_lady_but_not_an_office(detector) -> None:
    text = "Lord Reed gave judgment, with whom Lady Black, Lord Lloyd-Jones and Lord Sales agree."
    assert _found(text, detector._names.find(text)) >= {("PERSON", "Reed"), ("PERSON", "Black"),
                                                         ("PERSON", "Lloyd-Jones"), ("PERSON", "Sales")}
    text = "The Lord Mayor opened the fair; Lord Justice Haddon-Cave and Lady Justice Simler agreed."
    assert not [s for s in detector._names.find(text) if s.why.endswith("after a personal title")]


def test_a_name_after_a_title_is_without_its_possessive(detector) -> None:
    text = "Ms Adebayo-Smith's son Tunde attends school."
    assert ("PERSON", "Adebayo-Smith") in {(d.entity, d.text) for d in detector.analyze(text)}


def test_a_citation_list_is_still_persons(detector) -> None:
    text = "as argued before (Marsden, Liu and Okafor, 2013)."
    got = {d.text for d in detector.analyze(text) if d.entity == "PERSON"}
    assert {"Marsden", "Liu", "Okafor"} <= got


def test_a_title_and_surname_then_the_surname_alone(detector) -> None:
    text = "A letter came from Mr Wojciechowski about the lease.\nLater that week Wojciechowski phoned twice."
    got = [(d.entity, d.text) for d in detector.analyze(text) if d.entity == "PERSON"]
    assert got == [("PERSON", "Wojciechowski"), ("PERSON", "Wojciechowski")]
    assert any(s.why == "name after a personal title" for s in detector._names.find(text))


def test_a_title_word_that_is_an_ordinary_word_is_not_a_cue(detector) -> None:
    assert not [s for s in detector._names.find("Her Sister Ward closed. Master Plan 2030 agreed.")
                if s.why == "name after a personal title"]


def test_a_heading_name_whose_surname_recurs_is_a_person(detector) -> None:
    text = ("Ottilie Brandvold\nEarly life\nIn 1961, Brandvold moved north. Years later, Brandvold opened "
            "a bakery.\n")
    got = [d.text for d in detector.analyze(text) if d.entity == "PERSON"]
    assert got[0] == "Ottilie Brandvold" and got.count("Brandvold") == 2


@pytest.mark.parametrize("text", [
    "Climate Change\nThe effects of Change are many, and Change is slow. We must change.",   # also lower case
    "Annual Report\nThe Report says this, and the Report says that.",                        # after articles
    "Brock Holt\nHe played well.",                                                           # never recurs
])
def test_a_heading_that_is_not_shown_to_be_a_name(detector, text: str) -> None:
    assert not detector._names.heading(text)


def _mentions_of(text: str, name: str) -> list[str]:
    from detectors.names import later_mentions
    from detectors.ner import Span

    start = text.index(name)
    seed = [Span("PERSON", start, start + len(name), 0.85, "spaCy NER PERSON")]
    return [text[s.start:s.end] for s in later_mentions(text, seed, frozenset({"mr", "dr", "university"}),
                                                         [(start, start + len(name))])]


def test_a_later_mention_is_not_a_word_the_text_writes_in_lower_case() -> None:
    text = "Harriet Method wrote the guide.\nMethod 2 of 3: the second method is faster. Harriet agreed."
    assert _mentions_of(text, "Harriet Method") == ["Harriet"]


def test_a_name_in_capitals_is_mentioned_in_title_case() -> None:
    text = "JANE DOE, Plaintiff-Appellant, v. CITY OF SEATTLE.\nDoe, a resident of Tacoma, was detained. DOE appealed."
    assert _mentions_of(text, "JANE DOE") == ["Doe"]            # not "DOE": a word in capitals may be a heading's
    assert _mentions_of("SEATTLE\nSeattle is wet.", "SEATTLE") == []      # one word in capitals: no name to seek


def test_a_listed_foreign_given_name_counts_in_lower_case_too(detector) -> None:
    from detectors.names import later_mentions
    from detectors.ner import Span

    text = ("Kayleigh Sutcliffe: hiya its kayleigh from the food bank\n"
            "Grace Mills: grace period ends friday, ask kayleigh")
    seed = [Span("PERSON", text.index(v), text.index(v) + len(v), 0.85, "name") for v in ("Kayleigh Sutcliffe",
                                                                                            "Grace Mills")]
    found = later_mentions(text, seed, frozenset(), [(s.start, s.end) for s in seed],
                           lower_name=detector._names.lower_name)
    # "kayleigh" is listed and no English word; "grace" is an English word, so neither it nor "Grace" counts
    assert [s.start for s in found] == [text.index("its kayleigh") + 4, text.rindex("kayleigh")]
    assert later_mentions(text, seed, frozenset(), [(s.start, s.end) for s in seed]) == []   # without: none


def test_a_surname_in_an_email_address_is_no_word_written_in_lower_case() -> None:
    text = "Grace Okafor (grace.okafor@example.org, www.example.org/okafor) wrote.\nLater Okafor phoned."
    assert _mentions_of(text, "Grace Okafor") == ["Okafor"]


def test_a_cited_author_whose_email_address_the_paper_gives(detector) -> None:
    text = ("Andrew Beresford a.m.beresford@durham.ac.uk\n"
            "It has a long history in scholarship (Baron & Beresford 2014), but little is known.")
    assert ("PERSON", "Beresford") in {(d.entity, d.text) for d in detector.analyze(text) if d.start > 50}


def test_a_later_mention_beside_another_capitalised_word_is_part_of_another_name() -> None:
    text = ("Orla Durham joined us. She studied at Durham University and at Dr Durham's clinic. "
            "Yesterday Durham said no. Penn Durham Trust paid. Then Orla Durham left.")
    # "Durham University" and "Penn Durham Trust" are other names; "Dr" is a title; "Yesterday" starts a
    # sentence; "Orla Durham" is two mentions side by side, one name
    assert _mentions_of(text, "Orla Durham") == ["Durham", "Durham", "Orla Durham"]


@pytest.mark.parametrize(("text", "expected"), [
    ("A letter from Mr J. Pryce arrived.", ["J. Pryce"]),
    ("Anna K. Lind phoned the office.", ["Anna K. Lind"]),
    ("Signed by Dr. A. B. Okafor-Reid on Monday.", ["A. B. Okafor-Reid"]),
    ("Copies went to T.W. Halloran and to J. R. Quist.", ["T.W. Halloran", "J. R. Quist"]),
    ("Karen H.W. Bosch's reply came.", ["Karen H.W. Bosch"]),
    # initials without full stops, or one initial alone, before a surname that is no English word
    ("Attendees: R Saravanan, T Nguyen, M O'Brien.", ["R Saravanan", "T Nguyen", "M O'Brien"]),
    ("Yields fell (see the paper by AS Heagle in 1989).", ["AS Heagle"]),
    ("Signed by J. Smith and K. Okafor-Reid.", ["K. Okafor-Reid"]),      # "Smith" is also a word: not alone
    ("Signed by R. Okonjo (r.okonjo@example.org).", ["R. Okonjo"]),      # the address is no lower-case word
    # police and court titles written in capitals, like initials (a surname that is also a word, "PC Dawson", is
    # left to NER)
    ("Evidence from PC Okafor and DC Hughes-Evans was heard.", ["PC Okafor", "DC Hughes-Evans"]),
    ("DCI Nwosu and SUPT Rowe attended; HHJ Okonjo-Bell sat.", ["DCI Nwosu", "SUPT Rowe", "HHJ Okonjo-Bell"]),
])
def test_names_with_initials(detector, text: str, expected: list[str]) -> None:
    assert [text[s.start:s.end] for s in detector._names.initials(text)] == expected


@pytest.mark.parametrize("text", [
    "Funding from the U.S. Army and the U.K. Treasury.",     # abbreviations of countries
    "P.S. Write soon.",                                       # a postscript
    "Reply to P.O. Box 7731.",                                # a post office box
    "Take vitamin C. Then rest.",                             # one letter ending a sentence
    "The E.G.P. Steering group met; the steering notes follow.",  # a word the text writes in lower case
    "Gate B. Porter services are closed.",                   # one initial with no title or given name
    "See Appendix B Guidance and Block C Reception.",         # English words after a letter
    "A Study of Rivers; I Love Lucy; RT Twaicee01 hi",        # an article, a pronoun, a retweet
    "Beginners meet the MB SmartMedia team; the S Stands sign.",   # run-together words; a plural or verb
    "PC World and DC Comics opened; fighting in DR Congo; the NHS Trust.",   # English words; not a title
    "Meet at Gate K Heathrow or Platform B Okehampton; Grade B Okafor.",  # a letter labelling the word before
    "An outbreak of E Coli and C Diff on the ward.",                       # germs
])
def test_not_a_name_with_initials(detector, text: str) -> None:
    assert detector._names.initials(text) == []


@pytest.mark.parametrize("text", [
    "He said I'll take it, and left.",            # a pronoun with a contracted verb after "said"
    "Don't call me stupid, she said.",            # "call me" before a lower-case word
])
def test_not_a_name_after_a_speech_verb_or_call_me(detector, text: str) -> None:
    assert [text[s.start:s.end] for s in detector._names.find(text)] == []


@pytest.mark.parametrize(("text", "name"), [
    ("She was made a Dame by Elizabeth II for services to architecture.", "Elizabeth II"),
    ("An MBE went to Grace Okafor for services to music.", "Grace Okafor"),
])
def test_a_name_followed_by_a_lower_case_word_and_an_organisation_word_is_kept(detector, text: str, name: str) -> None:
    """An organisation word right after a name makes it an organisation ("Acme Ltd", "St Mary's Primary School");
    one further on, past a lower-case word ("... for services to"), does not."""
    assert ("PERSON", name) in {(d.entity, d.text) for d in detector.analyze(text)}


@pytest.mark.parametrize("text", ["Pupils at St Mary Primary School wrote in.", "Invoices from Grace Okafor Ltd are late."])
def test_a_name_followed_by_organisation_words_is_no_person(detector, text: str) -> None:
    assert not [d for d in detector.analyze(text) if d.entity == "PERSON"]


@pytest.mark.parametrize(("text", "name"), [
    ("Why frozen food is fine\nBy Nicco Pandolfi\nFrozen peas keep.", "Nicco Pandolfi"),
    ("Prepared by Bruna Anastacio, Head of Finance\nThe budget balances.", "Bruna Anastacio"),
    ("Minutes taken by Grace Okafor\n1. Apologies", "Grace Okafor"),
])
def test_a_byline_names_its_writer(detector, text: str, name: str) -> None:
    assert ("PERSON", name) in _found(text, detector._names.find(text))


@pytest.mark.parametrize("text", ["By Royal Appointment\nSuppliers of tea", "By Special Delivery\nto the office",
                                  "By March the work was done.", "By Nicco Pandolfi and others we were told."])
def test_not_a_byline(detector, text: str) -> None:
    """English words with no listed given name, a byline that runs on, or no name at all."""
    assert not [s for s in detector._names.find(text) if s.why.endswith("in a byline")]


@pytest.mark.parametrize(("text", "name"), [
    ("Universidade Federal\nBruna Anastacio brunaanastacio@example.org Universidade", "Bruna Anastacio"),
    ("Jo Bloggs <j.bloggs@example.org>", "Jo Bloggs"),
    ("Kwame Mensah (kmensah@example.org) rang.", "Kwame Mensah"),
    ("Contacts: Zoltan Farkasfalvi, zoltan.farkasfalvi@example.hu", "Zoltan Farkasfalvi"),
    ("To: 'Nkechi Adeyemi' <nkechi.adeyemi@example.com>", "Nkechi Adeyemi"),       # quoted, the quotes left out
    ('Cc: "Tomasz Wiśniewski" <t.wisniewski@example.pl>', "Tomasz Wiśniewski"),
])
def test_a_name_beside_its_own_email_address(detector, text: str, name: str) -> None:
    assert ("PERSON", name) in _found(text, detector._names.beside_email(text))


@pytest.mark.parametrize("text", [
    "Contact Help Desk helpdesk@example.org today",          # English words, no given name
    "Sales Team sales@example.org",                           # the address does not spell the last word
    "From: Paul Smith <info@acme.example>",                   # someone else's address
    "Write to Data Protection dpo@example.org",
])
def test_not_a_name_beside_its_email_address(detector, text: str) -> None:
    assert not detector._names.beside_email(text)


@pytest.mark.parametrize(("text", "name"), [
    ("Her daughter Lily (aged 7) attends the same school.", "Lily"),
    ("My son Jayden Cole is 9 and in year 4.", "Jayden Cole"),
    ("Happy birthday Grace Okafor! Have a lovely day", "Grace Okafor"),
    ("Big thanks to Priya for the lift home.", "Priya"),
])
def test_a_given_name_after_a_relation_or_a_greeting(detector, text: str, name: str) -> None:
    assert ("PERSON", name) in _found(text, detector._names.find(text))


@pytest.mark.parametrize("text", ["Thanks Google for nothing.", "my partner Will said no", "Thank you Leeds!",
                                  "her daughter Company Ltd"])
def test_no_name_after_a_relation_or_greeting_without_a_given_name(detector, text: str) -> None:
    assert not [s for s in detector._names.find(text) if s.why.endswith("after a relation or greeting")]


@pytest.mark.parametrize(("text", "persons", "not_persons"), [
    ("The duty was settled in Donoghue v Stevenson [1932] AC 562.", ["Donoghue", "Stevenson"], []),
    ("It applied Caparo Industries plc v Dickman [1990] 2 AC 605.", ["Dickman"], ["Caparo Industries plc"]),
    ("The Court recalls Kowalczyk v. Poland (no. 2), no. 51234/09, § 41.", ["Kowalczyk"], ["Poland"]),
    ("See R v Brennan [2014] EWCA Crim 2387.", ["Brennan"], ["R"]),
    ("In Miranda v. Arizona, 384 U.S. 436 (1966), the Court held so.", ["Miranda"], ["Arizona"]),
    ("Cited: Hadley v Baxendale (1854) 9 Exch 341.", ["Hadley", "Baxendale"], ["Hadley v Baxendale"]),
])
def test_the_parties_of_a_cited_case_are_persons(detector, text: str, persons: list[str],
                                                 not_persons: list[str]) -> None:
    found = {d.text for d in detector.analyze(text) if d.entity == "PERSON"}
    assert set(persons) <= found
    assert not set(not_persons) & found


@pytest.mark.parametrize("text", [
    "Liverpool v Man Utd for me tomorrow, kick-off at 3.",      # a match: no citation after it
    "USA vs. Ghana kicks off tonight.",
    "Secretary of State for the Home Department v Rahman [2019] UKSC 12",   # an office (Rahman is a party)
])
def test_no_case_party_without_a_citation_or_for_an_office(text: str) -> None:
    from detectors.names import case_parties

    got = [text[s.start:s.end] for s in case_parties(text, frozenset({"department"}), frozenset(), lambda v: False)]
    assert got == (["Rahman"] if "Rahman" in text else [])


def _lone(text: str, covered=()) -> list[str]:
    from detectors.names import lone_given_names
    from detectors.ner import SpanIndex

    given = frozenset({"isa", "chrissy", "grace", "jordan", "kelly", "hazel"})
    return [text[s.start:s.end] for s in lone_given_names(text, given, SpanIndex(covered), lambda w: w == "Jordan")]


def test_a_listed_given_name_on_its_own_inside_a_sentence_is_a_person() -> None:
    assert _lone("me and Isa live in Switzerland now") == ["Isa"]
    assert _lone("why does Chrissy have a problem with everyone?") == ["Chrissy"]
    assert _lone("thanks to Hazel's mum for the lift") == ["Hazel"]
    # a sentence's first word, when a possessive follows
    assert _lone("Chrissy's new hair is great. Isa’s too.") == ["Chrissy", "Isa"]


@pytest.mark.parametrize("text", [
    "Grace was late again.",                       # a sentence's first word: capitalised by position
    "We met at Grace Church on Sunday.",           # beside another capitalised word: a longer name
    "The film starred Kelly Brook as the lead.",
    "They flew to Jordan last spring.",            # a place (is_word)
    "Say grace before the meal; Grace is a virtue.",   # the text writes the word in lower case
    "He paints the Hazel of his youth.",           # after an article
])
def test_no_lone_given_name(text: str) -> None:
    assert _lone(text) == []


def test_a_lone_given_name_is_not_added_where_a_name_was_found() -> None:
    text = "me and Isa live here"
    assert _lone(text, [(text.index("Isa"), text.index("Isa") + 3)]) == []


def _joined(text: str, person: str, entity: str = "PERSON") -> list[str]:
    from detectors.names import coordinated
    from detectors.ner import Span, SpanIndex

    start = text.index(person)
    span = Span(entity, start, start + len(person), 0.85, "spaCy NER PERSON")
    return [text[s.start:s.end] for s in coordinated(text, [span], SpanIndex([(span.start, span.end)]),
                                                      frozenset({"council", "mr"}))]


def test_a_name_joined_to_a_person_by_and_is_a_person() -> None:
    assert _joined("I can't wait to show Toph and Len the cards.", "Len") == ["Toph"]
    assert _joined("opposite Gérard Philipe and Robert Hirsch, then", "Robert Hirsch") == ["Gérard Philipe"]
    assert _joined("Kirk M. Bart and Celeste Pollock. Miss Rosenthal?", "Kirk M. Bart") == ["Celeste Pollock"]
    # a list's last name, after a comma ("Oxford comma")
    assert _joined("with Romy Lukas, Yann Carras, and Dries Mertel making runs", "Yann Carras") == ["Dries Mertel"]


@pytest.mark.parametrize(("text", "person"), [
    ("Amira Patel and Council officers met.", "Amira Patel"),       # a common or organisation word
    ("It was Amira. And Then it rained.", "Amira"),                  # not across a sentence end
    ("Amira and Rose picked a rose.", "Amira"),                      # a word the text writes in lower case
    ("Amira and Lake District Council", "Amira"),                    # more than two capitalised words
    ("my name is Amira, and I'm glad you came", "Amira"),            # a contraction
    ("the Flying Dutchman, or Vaisseau Fantome, is on", "Flying Dutchman"),   # ", or": another name for it
])
def test_no_name_joined_by_and(text: str, person: str) -> None:
    assert _joined(text, person) == []


def test_only_a_person_lends_its_kind_to_a_joined_name() -> None:
    assert _joined("We drove through Leeds and Bradford.", "Leeds", "LOCATION") == []


def _listed(text: str, persons: list[str], places: tuple[str, ...] = ()) -> list[str]:
    from detectors.names import listed_with_persons
    from detectors.ner import Span, SpanIndex

    spans = [Span(entity, text.index(v), text.index(v) + len(v), 0.85, "spaCy NER")
             for entity, values in (("PERSON", persons), ("LOCATION", places)) for v in values]
    return [text[s.start:s.end] for s in listed_with_persons(text, spans, SpanIndex([(s.start, s.end) for s in spans]),
                                                             frozenset({"council", "mr"}))]


@pytest.mark.parametrize(("text", "persons", "places", "more"), [
    ("Cardiff XI: Marshall; Fabio, Caulker, Turner; Daehli, Bellamy.", ["Marshall", "Fabio", "Turner"], (),
     ["Caulker", "Daehli", "Bellamy"]),
    ("Present: Ruth Okafor, Dev Patel, Amara Ede and Hollis.", ["Ruth Okafor", "Dev Patel"], (), ["Amara Ede", "Hollis"]),
    ("Present: Ruth Okafor, Dev Patel, Amara Ede and Hollis.", ["Ruth Okafor"], (), []),          # one found: no list
    ("Ruth Okafor, Dev Patel, Leeds, Hollis and Amara.", ["Ruth Okafor", "Dev Patel"], ("Leeds",), []),   # a place
    ("With Ruth Okafor, Dev Patel, Amara, Hollis and Ede.", ["Ruth Okafor", "Dev Patel"], (), []),  # more unfound
    ("with Ruth Okafor, Dev Patel, I'm sorry, Council.", ["Ruth Okafor", "Dev Patel"], (), []),  # contraction, word
    ("SCAP-22-368, Sonia Davis, Jessica Lau and Adam Mott", ["Sonia Davis", "Jessica Lau"], (), ["Adam Mott"]),
])
def test_the_other_names_in_a_list_of_persons_are_persons(text: str, persons: list[str], places: tuple[str, ...],
                                                           more: list[str]) -> None:
    assert _listed(text, persons, places) == more


@pytest.mark.parametrize(("text", "name"), [
    ("Other good ones:\nAusten, Jane. Pride and Prejudice\n", "Austen, Jane"),
    ("Patient: Okonkwo-Hale, Grace\nWard 4", "Okonkwo-Hale, Grace"),                # a record, surname first
    ("Marx, Karl and Engels, Friedrich. The Communist Manifesto", "Marx, Karl"),
    # a form: the surname in capitals after a label, then the given names, then the next field
    ("Full name: KOWALSKA, Anna Maria   Date of birth: 12/03/1987", "KOWALSKA, Anna Maria"),
    ("KOWALSKA, Anna\tDOB 12/03/1987", "KOWALSKA, Anna"),
    # an e-mail header: quoted, before an address or the next recipient
    ("To: 'Brannigan, Sean' <sean.brannigan@example.org>; Okafor, Grace", "Brannigan, Sean"),
    ("To: 'Brannigan, Sean' <sean.brannigan@example.org>; Okafor, Grace", "Okafor, Grace"),
    ("From: Patel, Ruth <r.patel@example.org>", "Patel, Ruth"),
    # accents on the given names; a form's second listed given name after a surname in Title case too
    ("Name: Ramírez, José Luis        DOB: 04/17/1988", "Ramírez, José Luis"),
    ("Authors:\nÅberg, Åsa\n", "Åberg, Åsa"),
    ("MÜLLER, Zoë\tNationality: German", "MÜLLER, Zoë"),
])
def test_a_name_written_surname_first(detector, text: str, name: str) -> None:
    assert ("PERSON", name) in _found(text, detector._names.inverted(text))


@pytest.mark.parametrize("text", [
    "In my dream I told her, \u201cStay, Sonia. Stay.\u201d",      # someone spoken to
    "Thanks, Grace.",
    "We flew Paris, France and back.",                            # no given name after the comma
    "Victoria Road, Grace; the office",                           # a street word as the surname
    "Smith, Grace Patel and others met",                          # the given name goes on: not its end
    "Respectfully, George Chriss\nStudent",                       # a second word that is no listed given name
    "We met Smith, John Paul and others.",                        # a second given name only where a form writes it
])
def test_no_surname_first_name(detector, text: str) -> None:
    assert detector._names.inverted(text) == []


def test_a_given_name_with_accents_the_list_leaves_off_is_listed(detector) -> None:
    from detectors.names import GivenNames, plain

    given = detector._names.given
    assert isinstance(given, GivenNames) and "jose" in given and "lukasz" in given
    assert {"josé", "zoë", "łukasz"} <= {w for w in ("josé", "zoë", "łukasz", "brûlée") if w in given}
    assert "brûlée" not in given and plain("łódź") == "lodz" and plain("æsa") == "aesa"
    assert "søren" in GivenNames(["soren"]) and "soren" not in GivenNames(["søren"])
    found = {d.text for d in detector.analyze("Zoë Kowalczyk met Łukasz Møller.") if d.entity == "PERSON"}
    assert found == {"Zoë Kowalczyk", "Łukasz Møller"}


def test_a_name_after_a_title_of_another_language_is_the_name_alone(detector) -> None:
    text = "Kontakt: Herr Jürgen Vollmer. Écrire à Mme Élodie Durandet ou Signora Chiara Bellandi."
    got = {v for e, v in _found(text, detector._names.find(text)) if e == "PERSON"}
    assert got == {"Jürgen Vollmer", "Élodie Durandet", "Chiara Bellandi"}
    found = {d.text for d in detector.analyze(text) if d.entity == "PERSON"}
    assert not [v for v in found if v.split()[0] in ("Herr", "Mme", "Signora")]


def test_a_listed_given_name_makes_a_name_the_model_calls_an_organisation(detector) -> None:
    # the model reads "Marcus Bell" as an organisation; "Marcus" is a listed given name, so it is a person
    text = "Safeguarding lead: Marcus Bell. Reviewed by Rhonda Clegg."
    assert {("PERSON", "Marcus Bell"), ("PERSON", "Rhonda Clegg")} <= {(d.entity, d.text) for d in detector.analyze(text)}
    # familiar forms: the model finds neither name here
    text = "Wow Paddy Ashdown is 70, still going strong, and Stevie Okonedo too."
    assert {("PERSON", "Paddy Ashdown"), ("PERSON", "Stevie Okonedo")} <= {(d.entity, d.text)
                                                                         for d in detector.analyze(text)}


def test_one_unlisted_word_after_a_possessive_and_a_relation_is_a_name(detector) -> None:
    text = "My grandson Tobiah came first. Her Grandpa Zorawar waved. my friend Google said no; her brother Reading."
    got = [v for e, v in _found(text, detector._names.find(text)) if e == "PERSON"]
    # "my", "her" ... before the relation: one capitalised word that is no English word is a name, listed or not
    assert sorted(got) == ["Tobiah", "Zorawar"]
    # without the possessive the name must be listed ("thanks Google", "son Tobiah")
    assert not detector._names.find("Thanks Google. A son Tobiah.")


@pytest.mark.parametrize(("text", "names"), [
    ("Great night at the gala #AlexFerguson #cbb", ["AlexFerguson"]),
    ("still bloody awesome #SharonDClarke!", ["SharonDClarke"]),         # a middle initial
    ("#GraceChurch #JoyDivision #AprilFools", []),                       # an organisation word, a common word
    ("some of these #CameronTunes are brilliant", []),                   # a plural
    ("#StewartRealty series, book 5", []),                               # an organisation word
    ("we&#AlexFerguson", []),                                             # an HTML entity, not a hashtag
    ("RIP #laurenbacall, an icon #kateplusate", ["laurenbacall"]),     # run together in lower case; not English words
    ("#christmasjumper day #jamesbond #johnlewis", []),                 # English words, whatever name starts them
])
def test_a_hashtag_of_a_given_name_and_a_surname_is_a_name(detector, text: str, names: list[str]) -> None:
    assert [text[s.start:s.end] for s in detector._names.hashtags(text)] == names


def _capitals(text: str, persons: list[str]) -> list[str]:
    from detectors.names import capital_mentions
    from detectors.ner import Span

    spans = [Span("PERSON", text.index(v), text.index(v) + len(v), 0.9, "name after a personal title") for v in persons]
    return [text[s.start:s.end] for s in capital_mentions(text, spans, frozenset({"ms", "mr", "council"}),
                                                           [(s.start, s.end) for s in spans])]


def test_a_surname_found_is_found_again_in_capitals_with_its_given_names() -> None:
    text = ("Between: LEEDS CITY COUNCIL and (1) KERRY-ANN MCBRIDE (2) DWAYNE FOSTER\n"
            "The mother is Ms McBride; the father is Mr Foster.")
    assert _capitals(text, ["McBride", "Foster"]) == ["KERRY-ANN MCBRIDE", "DWAYNE FOSTER"]
    text = "RE: MS TOLU OKAFOR\nDear Ms Okafor,"
    assert _capitals(text, ["Okafor"]) == ["TOLU OKAFOR"]               # not the title before the name


@pytest.mark.parametrize(("text", "persons"), [
    ("WILTSHIRE COUNCIL\nAlice Wiltshire wrote; the council of wiltshire", ["Alice Wiltshire"]),   # lower case too
    ("REPORT BY IAN NG\nIan Ng wrote it.", ["Ian Ng"]),                 # a surname under three letters
    ("ACME OKAFORS LTD\nJo Okafor called.", ["Jo Okafor"]),              # not inside a longer word
])
def test_no_capitals_mention(text: str, persons: list[str]) -> None:
    assert _capitals(text, persons) == []


@pytest.mark.parametrize(("text", "name"), [
    ("Before:\n\nHER HONOUR JUDGE ASHWORTH\n\nBetween:", "ASHWORTH"),
    ("Before: THE HONOURABLE MR JUSTICE CALDWELL", "CALDWELL"),
    ("Before: DEPUTY DISTRICT JUDGE OYELARAN-BAKER", "OYELARAN-BAKER"),
    ("HHJ WINTERBOTTOM QC sat with two magistrates", "WINTERBOTTOM"),
    ("PC 4471 Sharma recorded that the father had been drinking.", "Sharma"),
])
def test_a_judge_in_a_heading_and_an_officer_by_collar_number(detector, text: str, name: str) -> None:
    assert ("PERSON", name) in _found(text, detector._names.find(text))


@pytest.mark.parametrize("text", ["JUDGE'S NOTES AND REASONS", "Bought it at PC World.", "RECORDER OF LEEDS",
                                  "PS 4 Pro bundle"])
def test_no_name_from_a_court_or_police_word_alone(detector, text: str) -> None:
    assert not [v for _, v in _found(text, detector._names.find(text))]


@pytest.mark.parametrize(("text", "name"), [
    ("Miss you all, write soon.\nYours,\nOrlaith\n", "Orlaith"),
    ("Say hullo to everyone for me.\nLove ya.\nTamsin", "Tamsin"),
    ("See you at Easter!\nLots of love,\nBrannagh\n", "Brannagh"),
    ("Speak soon,\nDervla\n", "Dervla"),
])
def test_the_line_after_a_letters_sign_off_is_its_writer(detector, text: str, name: str) -> None:
    assert ("PERSON", name) in {(d.entity, d.text) for d in detector.analyze(text)}


@pytest.mark.parametrize("text", [
    "Yours,\nthe committee\n",                  # not capitalised words
    "Love ya.\nSee you Friday at the pool\n",    # a sentence, not a name on its own line
    "Take care,\nOffice Manager, Leeds branch\n",
])
def test_no_writer_after_a_sign_off_without_a_name_line(detector, text: str) -> None:
    assert not any(d.entity == "PERSON" for d in detector.analyze(text))


def test_us_census_given_names_are_listed_without_words_places_or_particles(detector) -> None:
    """Issue 15 (names): the United States' given names (its 1990 census) are listed too, less words, places,
    name particles and the parts of a place's name."""
    given = detector._names.given
    assert {"thelma", "lionel", "dorthy", "wilma", "ginny"} <= given
    assert not {"my", "angeles", "kia", "von", "hunter", "virginia"} & given


@pytest.mark.parametrize(("text", "expected"), [
    ("Lionel and Bert and I all have lots to do.", {"Lionel", "Bert"}),
    ("Referral from Dorthy Kowalczyk, received Monday.", {"Dorthy Kowalczyk"}),
    ("sometimes I just want to tear my hair out #helpme #ginnyprobs", {"ginnyprobs"}),
    ("the president says #retailers need to create original ideas", set()),      # an English word's plural
])
def test_names_from_the_us_given_names(detector, text: str, expected: set[str]) -> None:
    assert {d.text for d in detector.analyze(text) if d.entity == "PERSON"} == expected


@pytest.mark.parametrize(("text", "name"), [
    ("Witness: Sr. Pedro Lucas Costa", "Pedro Lucas Costa"),       # Spanish and Portuguese "Sr."
    ("Witness: Doç. Asu Aycagül Çamurcuoğlu Aksu", "Asu Aycagül Çamurcuoğlu Aksu"),     # Turkish "Doç."
    ("Witness: Sig.ra Zaira Santorio", "Zaira Santorio"),          # Italian "Sig.ra"
])
def test_a_foreign_title_before_a_name_is_no_name(detector, text: str, name: str) -> None:
    assert [d.text for d in detector.analyze(text) if d.entity == "PERSON"] == [name]


@pytest.mark.parametrize(("text", "expected"), [
    ("Bidding for Princess Beatrice's hat tops £80,200.", ["Princess Beatrice"]),   # without its possessive
    ("When King Alphonso asked me about it, I said no.", ["King Alphonso"]),
    ("Senator Grace Okafor spoke first.", ["Senator Grace Okafor"]),
    # not a listed given name after the title, or a street's or an organisation's name
    ("Prince Hermes: now after all that harm.", []),
    ("The office on King Edward Street is shut.", []),
    ("She studied at Queen Mary University.", []),
    ("We stayed at the President Hotel.", []),
])
def test_a_given_name_after_a_royal_or_office_title_is_a_person_with_its_title(detector, text, expected) -> None:
    assert [text[s.start:s.end] for s in detector._names.find(text) if s.why.endswith("royal or office title")] \
        == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("I sent a box home. Mrs. B put the postage on.", ["B"]),        # a person anonymised to one letter
    ("The court heard that Mr X's mother was present.", ["X"]),
    ("Mr A. Smith came.", ["A. Smith"]),           # an initial before a surname: the name, not one letter
    ("I saw Mrs B. The end.", []),                 # an initial's full stop before a sentence's next word
    ("Mr I think so.", []),                        # "I", a pronoun
])
def test_one_letter_after_a_personal_title_is_an_anonymised_person(detector, text, expected) -> None:
    assert [text[s.start:s.end] for s in detector._names.find(text) if s.why == "name after a personal title"] \
        == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Referral for Holger Neuschäfer (DOB 03/04/2011) from school.", ["Holger Neuschäfer"]),
    ("Lives with Katri Kärki, born 1984, in Leeds.", ["Katri Kärki"]),
    ("Mrs Aniela Szatko (d.o.b. 12/03/1950) attended.", ["Aniela Szatko"]),     # the title left out
    ("Her son Tomasz (aged 12) attends.", ["Tomasz"]),
    # not a common word, nor a place's name after a preposition, nor a label with no age or date after it
    ("Referral (DOB 01/02/2003) received.", []),
    ("71 pupils of the University of Santa Catarina, aged 7 and 9, took part.", []),
    ("Katri Kärki (born in Oulu) wrote.", []),
])
def test_a_name_right_before_a_date_of_birth_or_an_age(detector, text, expected) -> None:
    assert [text[s.start:s.end] for s in detector._names.before_birth(text)] == expected


def test_a_name_in_a_table_s_label_cell(detector) -> None:
    text = "Name\tHalil Pärtzelt\nAddress\t12 Oak Road\nName\tAddress\tPhone\n"
    assert persons(detector, text) == ["Halil Pärtzelt"]      # a header row of labels names no one


def test_a_caller_before_phoned_or_emailed_is_a_speaker(detector) -> None:
    text = "On Monday Halina Brzęk phoned the office."
    assert [text[s.start:s.end] for s in detector._names.cited(text)] == ["Halina Brzęk"]


@pytest.mark.parametrize(("text", "expected"), [
    ("Applicant: pan Artur Handke", ["Artur Handke"]),         # Polish "pan" (Mr), Danish "Fru" (Mrs), "Hr."
    ("Name: Fru Ritt Friis", ["Ritt Friis"]),
    ("Hr. Jensen came at noon.", ["Jensen"]),
    ("We flew Pan Am to Rome.", []),                           # "Pan": also a word, so no title in Title case
])
def test_titles_of_other_languages(detector, text, expected) -> None:
    assert sorted(set(persons(detector, text))) == expected       # a label's and a title's rule may both read it


@pytest.mark.parametrize(("text", "expected"), [
    ("Opinion by Judge Nguyen, joined by Judge Wardlaw.", ["Nguyen", "Wardlaw"]),   # no English word: a surname
    ("Nurse Okafor and Father Declan Murphy came.", ["Okafor", "Declan Murphy"]),     # the title left out
    ("Sister Maria said grace.", ["Maria"]),                                           # a listed given name
    ("Father Christmas, Sister Act and Doctor Who.", []),                              # English and function words
    ("Dr Robert S. Lasnik ruled; Judge Robert S. Lasnik agreed.", ["Robert S. Lasnik", "Robert S. Lasnik"]),
])
def test_a_name_after_a_title_that_is_also_a_word(detector, text: str, expected: list[str]) -> None:
    assert [text[s.start:s.end] for s in detector._names.find(text) if s.why == "name after a personal title"] \
        == expected


@pytest.mark.parametrize(("text", "name"), [
    ("Dr A. Henderson MBChB MRCGP\nRiverside Medical Practice", "A. Henderson"),
    ("Jo Bloggs PhD, Head of Research", "Jo Bloggs"),
    ("Signed: Kwame Mensah BSc (Hons)", "Kwame Mensah"),
    ("Mr John Smith MBE.", "John Smith"),
    ("Prof. Sarah Jane Ma spoke.", "Sarah Jane Ma"),          # a surname that is a degree's letters in lower case
])
def test_letters_after_a_name_are_no_part_of_it(detector, text: str, name: str) -> None:
    assert [d.text for d in detector.analyze(text) if d.entity == "PERSON"] == [name]


@pytest.mark.parametrize(("text", "persons", "places"), [
    ("He works well with Aisha and Tomás in class.", {"Aisha", "Tomás"}, set()),   # the model read "Tomás" as a place
    ("She flew to Paris and Madrid with Amira.", {"Amira"}, {"Paris", "Madrid"}),  # known places stay places
])
def test_a_guessed_place_joined_to_a_person_is_a_person_unless_a_known_place(detector, text, persons, places) -> None:
    found = detector.analyze(text)
    assert {d.text for d in found if d.entity == "PERSON"} == persons
    assert {d.text for d in found if d.entity == "LOCATION"} == places


def test_a_common_word_joined_to_a_person_stays_what_the_model_said() -> None:
    from detectors.names import coordinated_guesses
    from detectors.ner import Span

    text = "Parsley, Sage, Rosemary and Thyme."
    spans = [Span("PERSON", 15, 23, 0.85, "spaCy NER PERSON"), Span("LOCATION", 28, 33, 0.85, "spaCy NER GPE")]
    got = coordinated_guesses(text, spans, lambda v: False, lambda w: w == "thyme")
    assert [s.entity for s in got] == ["PERSON", "LOCATION"]
    got = coordinated_guesses(text, spans, lambda v: False, lambda w: False)
    assert [s.entity for s in got] == ["PERSON", "PERSON"]


def test_a_sentence_opening_with_an_accented_given_name_goes_to_ner(detector) -> None:
    # the list holds "zoe" and "jose": NER's windows fold accents as the name rules do
    from detectors.ner import names_something
    name_like = detector._ner._name_like
    assert names_something("Zoë is working on her novel.", name_like)
    assert names_something("José is working on his boat.", name_like)
    assert not names_something("Über is working on its app.", name_like)
