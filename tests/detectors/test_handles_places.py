"""Issue 15 items 2d/2e on text of our own: social handles as USERNAME, a world gazetteer of places."""
from __future__ import annotations

import re

import pytest

from detectors.ner import NER_SCORE, Span


def found(detector, text: str) -> set[tuple[str, str]]:
    return {(d.entity, d.text) for d in detector.analyze(text)}


@pytest.mark.parametrize(("text", "handle"), [
    ("thanks @jsmith_84 for the lift", "@jsmith_84"),
    ("@Olga_P see you at 6", "@Olga_P"),
    ("RT @mkowalczyk99: road closed", "@mkowalczyk99"),   # ("@newsdesk99": a news desk's, see below)
    (".@olga_petrova thank you for the lift", "@olga_petrova"),     # a reply all followers see
    ("Great gig. .@mkowalczyk99 was brilliant", "@mkowalczyk99"),
])
def test_a_handle_is_a_username(detector, text: str, handle: str) -> None:
    assert ("USERNAME", handle) in found(detector, text)


def test_a_chat_log_s_speakers_are_usernames(detector) -> None:
    log = "[09:14] <dave_k> anyone around?\n[09:15] <Olga> yes, what's up\n09:16 <ravi88> build is red again\n"
    names = {d.text for d in detector.analyze(log) if d.entity == "USERNAME"}
    assert names == {"dave_k", "Olga", "ravi88"}


@pytest.mark.parametrize("text", [
    "Use <b> for bold and nothing else.\n",                         # markup in a note
    "<b> bold\n<i> italic\n",                                        # markup tags, however many lines
    "From: Jo <jo@example.org>\nTo: <bob@example.org> later\n",      # e-mail addresses in brackets
    "Only one line names <dave_k> here\n<dave_k> hi\n",              # one speaker line is no chat log
])
def test_not_a_chat_speaker(detector, text: str) -> None:
    assert not {d.text for d in detector.analyze(text) if d.entity == "USERNAME"}


@pytest.mark.parametrize("text", [
    "write to jo.smith@example.org today",          # an e-mail address, not a handle
    "the icon logo@2x.png is missing",              # an asset suffix
    "meet @ 5pm at the gate",                       # a lone at-sign
    "see https://example.org/@team/page",           # part of a URL path
    "mail first.@example99 or a..@example98",        # a full stop after a word, or two, is no reply mark
])
def test_not_a_username(detector, text: str) -> None:
    assert not any(entity == "USERNAME" for entity, _ in found(detector, text))


@pytest.mark.parametrize(("text", "place"), [
    ("The office moved from Truro, Cornwall last year.", "Truro, Cornwall"),   # a town before its county
    ("Her sister lives in Tampere now.", "Tampere"),                        # a Finnish town after "in"
    ("Flights to Yaoundé are delayed.", "Yaoundé"),                         # diacritics
    ("Shipments for CUMBRIA are late.", "CUMBRIA"),                         # a region in capitals
    ("Our new depot in Ontario opens soon.", "Ontario"),                    # a Canadian province
    ("omg just met her at the airport in lisbon!! best day", "lisbon"),     # lower case after "in"
    ("hi im new here, 19, from leicester", "leicester"),                   # ... and after "from"
    ("cant wait to go to new york next week", "new york"),                 # two words
    ("flooding again #Leeds stay safe", "Leeds"),                          # a hashtag
    ("thoughts with everyone in #ukraine tonight", "ukraine"),
    ("great ride this morning #cycling #USA", "USA"),                      # a country's capitals as a hashtag
    ("so proud #UK #TeamGB", "UK"),
    ("When the Soviet Union collapsed, the treaty lapsed.", "Soviet Union"),   # its last word is also a word
    ("Exports of cotton from Dahomey rose that year.", "Dahomey"),             # a former country (ISO 3166-3)
    ("She moved to Yorkshire after the divorce.", "Yorkshire"),                # a region by its English name
    ("A week in the Lake District, then Lombardy.", "Lake District"),
    ("The convoy left from Herat at dawn.", "Herat"),         # written without the package's accent ("Herāt")
    ("Prices in Krakow rose again.", "Krakow"),                 # ... ("Kraków")
    ("Storms batter NSW again tonight.", "NSW"),                 # common abbreviations of countries and states
    ("Back in NZ next week.", "NZ"),
    ("Mum booked a fortnight on Lanzarote for the whole family.", "Lanzarote"),     # an island: no town, no unit
    ("They flew back from the Canary Islands on Friday.", "Canary Islands"),
    ("Crete was lovely but far too hot for the baby.", "Crete"),
])
def test_a_place_from_the_world_gazetteer(detector, text: str, place: str) -> None:
    assert any(entity == "LOCATION" and place in value for entity, value in found(detector, text))


@pytest.mark.parametrize(("text", "word"), [
    ("Reading is a pleasure on a Sunday.", "Reading"),          # a town that is an ordinary word
    ("The Pittsburgh Pirates won again.", "Pittsburgh"),        # part of a longer (organisation) name
    ("We met Jordan Peterson and Jordan left early.", "Jordan"),  # a country that is a person's name here
    ("He wrote to Split Decisions Ltd about it.", "Split"),
    ("the kit was shipped from china in a box", "china"),        # lower case: the word, not the country
    ("we went in reading week", "reading"),                      # an ordinary word after "in"
    ("sent to truro by post", "truro"),                          # a lesser town in lower case: too often a word
    ("so much #hope today", "hope"),                             # a hashtag that is a word
    ("come with #us tonight", "us"),                             # in lower case: the word
])
def test_not_a_place_from_the_world_gazetteer(detector, text: str, word: str) -> None:
    assert not any(entity == "LOCATION" and word in value for entity, value in found(detector, text))


def test_a_word_of_a_persons_name_is_not_a_place(detector) -> None:
    text = "Matt Holt joined the club in 2011. In June, Holt went 4-for-4 against Boston."
    got = found(detector, text)
    assert ("LOCATION", "Holt") not in got and ("PERSON", "Holt") in got


def test_a_big_city_inside_a_wrong_person_stays_a_place(detector) -> None:
    from detectors.engine import relabel_places
    from detectors.ner import Span

    text = "Old Athens was walled. Athens grew fast."
    spans = [Span("PERSON", 0, 10, 0.85, "spaCy NER PERSON"), Span("LOCATION", 23, 29, 0.85, "spaCy NER GPE")]
    got = relabel_places(text, spans, detector._world, detector._names.given)
    assert [(s.entity, text[s.start:s.end]) for s in got][1] == ("LOCATION", "Athens")


def test_a_place_that_ends_in_a_persons_surname_is_a_relative_unless_it_is_a_known_place(detector) -> None:
    from detectors.engine import relabel_places
    from detectors.ner import Span

    text = "Dorcas Vimmel phoned. Then Osric Vimmel came. Sam Worth drove to Fort Worth."

    def span(entity: str, value: str) -> Span:
        start = text.index(value)
        return Span(entity, start, start + len(value), 0.85, f"spaCy NER {entity}")

    spans = [span("PERSON", "Dorcas Vimmel"), span("LOCATION", "Osric Vimmel"), span("PERSON", "Sam Worth"),
             span("LOCATION", "Fort Worth")]
    got = [(s.entity, text[s.start:s.end]) for s in relabel_places(text, spans, detector._world,
                                                                   detector._names.given)]
    assert got[1] == ("PERSON", "Osric Vimmel") and got[3] == ("LOCATION", "Fort Worth")


def test_a_surname_the_text_writes_in_lower_case_does_not_make_a_place_a_person(detector) -> None:
    from detectors.engine import relabel_places
    from detectors.ner import Span

    text = "Ada Tower booked. We met at Harbour Tower, the tall tower by the quay."
    spans = [Span("PERSON", 0, 9, 0.85, "spaCy NER PERSON"), Span("LOCATION", 28, 41, 0.85, "spaCy NER FAC")]
    got = relabel_places(text, spans, detector._world, detector._names.given)
    assert text[28:41] == "Harbour Tower" and got[1].entity == "LOCATION"


def test_the_gazetteer_reads_capitals_outside_latin_1(detector) -> None:
    text = "Łódź, then ŁÓDŹ in capitals."
    assert [text[s.start:s.end] for s in detector._world.find(text)] == ["Łódź", "ŁÓDŹ"]


def test_a_name_the_text_uses_as_a_place_is_a_place(detector) -> None:
    from detectors.engine import relabel_places
    from detectors.ner import Span

    text = "Quarrow is remote. Life in Quarrow is slow. Grace met Tobbin in Tobbin's flat."
    spans = [Span("PERSON", 0, 7, 0.85, "spaCy NER PERSON"), Span("PERSON", 27, 34, 0.85, "spaCy NER PERSON"),
             Span("PERSON", 44, 49, 0.85, "spaCy NER PERSON"), Span("PERSON", 54, 60, 0.85, "spaCy NER PERSON")]
    got = [(s.entity, text[s.start:s.end]) for s in relabel_places(text, spans, detector._world,
                                                                   detector._names.given)]
    # "in Quarrow" makes both mentions places; "in Tobbin's flat" is a possessive, and Grace a given name
    assert got == [("LOCATION", "Quarrow"), ("LOCATION", "Quarrow"), ("PERSON", "Grace"), ("PERSON", "Tobbin")]


def test_a_name_ner_calls_a_place_as_often_as_a_person_is_a_place(detector) -> None:
    from detectors.engine import relabel_places
    from detectors.ner import Span

    text = "Vellby harbour. Vellby fish."
    spans = [Span("LOCATION", 0, 6, 0.85, "spaCy NER GPE"), Span("PERSON", 16, 22, 0.85, "spaCy NER PERSON")]
    got = relabel_places(text, spans, detector._world, detector._names.given)
    assert [s.entity for s in got] == ["LOCATION", "LOCATION"]


def test_a_list_of_place_names_is_not_merged_into_one_place(detector) -> None:
    from detectors.engine import Detection, merge_locations

    text = "Teams from Sudan, Iran, Libya. Write to 14 Oak Road, Leeds. From Truro, Cornwall."
    def det(value: str, recognizer: str) -> Detection:
        start = text.index(value)
        return Detection("LOCATION", start, start + len(value), 0.85, value, recognizer)

    found = [det("Sudan", "SpacyRecognizer"), det("Iran", "Gazetteer"), det("Libya", "SpacyRecognizer"),
             det("14 Oak Road", "StreetAddressRecognizer"), det("Leeds", "Gazetteer"), det("Truro", "Gazetteer"),
             det("Cornwall", "Gazetteer")]
    assert sorted(d.text for d in merge_locations(text, found, detector._world.tier)) == [
        "14 Oak Road, Leeds", "Iran", "Libya", "Sudan", "Truro, Cornwall"]


@pytest.mark.parametrize("text, places", [
    # a list's items stay apart even where a later item is of a higher tier than the one before it
    ("Surveys in Victoria, South Australia, Western Australia and Tasmania.",
     ["Victoria", "South Australia", "Western Australia", "Tasmania"]),
    ("Visas for Benin, Nevis, Saint Lucia, Serbia.", ["Benin", "Nevis", "Saint Lucia", "Serbia"]),
    ("Flights to Leeds and Truro, Cornwall.", ["Leeds", "Truro", "Cornwall"]),
    # a town, its county and its country: each name is of a higher tier than the one before it
    ("From Truro, Cornwall, England.", ["Truro, Cornwall, England"]),
    # ... also joined by "in": a place and the bigger place it lies in
    ("He was born in Truro, in Cornwall, and moved.", ["Truro, in Cornwall"]),
    ("She lives in Leeds in the UK now.", ["Leeds in the UK"]),
    ("From Cornwall in Truro, oddly.", ["Cornwall", "Truro"]),              # not a smaller place "in" a bigger one
])
def test_a_place_joins_the_one_before_only_if_it_contains_it_and_they_are_no_list(detector, text, places) -> None:
    from detectors.engine import Detection, merge_locations

    found = []
    for value in places if len(places) > 1 else re.split(r",? in (?:the )?|, ", places[0]):
        start = text.index(value)
        found.append(Detection("LOCATION", start, start + len(value), 0.85, value, "Gazetteer"))
    assert [d.text for d in merge_locations(text, found, detector._world.tier)] == places


def test_english_names_of_regions_where_the_data_package_has_them(detector) -> None:
    text = "Offices in Bavaria and Lapland."
    assert [text[s.start:s.end] for s in detector._world.find(text)] == ["Bavaria", "Lapland"]


def test_chinese_and_korean_subdivisions_are_known_without_their_unit_word(detector) -> None:
    text = "A plant in Jiangsu, floods in Guangxi, a port in Gyeonggi."
    assert [text[s.start:s.end] for s in detector._world.find(text)] == ["Jiangsu", "Guangxi", "Gyeonggi"]
    assert detector._world.tier("Jiangsu Sheng") == detector._world.tier("Jiangsu") > 0


def test_a_word_of_a_persons_name_is_not_a_gazetteer_place(detector) -> None:
    from detectors.engine import relabel_places, world_places
    from detectors.ner import Span

    text = "Mara Leeds wrote it. Later Leeds argued the point again, as Leeds did."
    later = text.index("Leeds argued")
    spans = [Span("PERSON", 0, 10, 0.85, "spaCy NER PERSON"), Span("PERSON", later, later + 5, 0.85, "spaCy NER PERSON")]
    spans = relabel_places(text, spans, detector._world, detector._names.given)
    assert [s.entity for s in spans] == ["PERSON", "PERSON"]          # not the city of Leeds
    assert world_places(text, spans, [], detector._world) == spans    # nor the last "Leeds"


def _ner_location(text: str, value: str, label: str = "GPE") -> Span:
    start = text.index(value)
    return Span("LOCATION", start, start + len(value), NER_SCORE, f"spaCy NER {label}")


@pytest.mark.parametrize(("text", "value", "person"), [
    ("Rebecca and I put it together last week.", "Rebecca", True),
    ("He took the lights away from Cara and left.", "Cara", True),       # "from": no place preposition here
    ("We stayed a night in Eugene before the drive.", "Eugene", False),   # right after "in"
    ("We stayed a night at Eugene, Oregon, then drove on.", "Eugene", False),   # before a comma and a region
])
def test_a_given_name_ner_took_for_a_place_is_a_person_unless_written_as_a_place(detector, text: str, value: str,
                                                                               person: bool) -> None:
    """Issue 15 (names): a given name alone that NER labels a place (GPE) is a person when no place the world
    gazetteer knows has that name and the text does not write it as a place."""
    from detectors.engine import relabel_places

    got = relabel_places(text, [_ner_location(text, value)], detector._world, detector._names.given)
    assert [s.entity for s in got] == ["PERSON" if person else "LOCATION"]


def test_a_given_name_in_a_list_of_places_stays_a_place(detector) -> None:
    from detectors.engine import relabel_places

    text = "The survey was carried out in Mof-Ávvi, Victoria and Essil last year."    # no region after it
    spans = [_ner_location(text, v) for v in ("Mof-Ávvi", "Victoria", "Essil")]
    assert [s.entity for s in relabel_places(text, spans, detector._world, detector._names.given)] == ["LOCATION"] * 3
    alone = relabel_places(text, [spans[1]], detector._world, detector._names.given)
    assert [s.entity for s in alone] == ["PERSON"]        # the list is what makes it a place here


@pytest.mark.parametrize("handle", ["@BristolPostNews", "@newsdesk99", "@LeedsCityMuseum", "@RadioNorthFM", "@SalfordJobsHQ",
                                    "@Harbour_Cafe", "@OfficialTruroFC",
                                    "@riversidetimes", "@seasideradio", "@leedsfoodmuseum",     # lower-case words run together
                                    "@NSPCC", "@AP", "@PETA",                                     # an acronym
                                    "@YouTube", "@eBay", "@myspace", "@Flickr",                   # a platform's own
                                    # a party, a shop, a venue, a club's fans, a league, a train company
                                    "@HartleyLabour", "@ElmRowBoutique", "@castleviewcinema", "@NorthdownGAA",
                                    "@TynesideRugbyFans", "@RiversideTrains"])
def test_an_organisations_account_is_no_ones_username(detector, handle: str) -> None:
    """Issue 15 (handles): an organisation's, a medium's or a venue's account is not a person's identifier."""
    assert ("USERNAME", handle) not in found(detector, f"thanks to {handle} for sharing this")


@pytest.mark.parametrize("handle", ["@Priya_Okafor", "@tomhughes91", "@KateWritesNews", "@x_darkwave_x",
                                    "@ColbieHartnell", "@laurentvidal",     # no split into three-letter words
                                    "@JOMI209", "@DEREKOKAFOR", "@KJ_Smith",    # capitals with digits, or too long
                                    "@AnnaPhotos", "@tomfootball"])             # a given name among account words
def test_a_persons_account_stays_a_username(detector, handle: str) -> None:
    """A handle with a listed given name is a person's even beside an account word ("@KateWritesNews")."""
    assert ("USERNAME", handle) in found(detector, f"thanks to {handle} for sharing this")


def test_a_lower_case_run_is_split_into_the_fewest_english_words() -> None:
    from detectors.accounts import Accounts

    accounts = Accounts.of(["times", "radio"], [], ["dale"], frozenset({"north", "dale", "times", "northdale", "radio",
                                                                        "col", "bie", "co", "lb", "ie"}))
    assert accounts.split("northdaletimes") == ["northdale", "times"]     # fewest words, not north + dale
    assert accounts.split("colbie") == ["col", "bie"]
    assert accounts.split("timesx") == []                                # no split of the whole run
    assert accounts.split("radio") == []                                 # a word itself, or too short
    assert accounts.organisation("@northdaletimes") and not accounts.organisation("@northdale")
    assert not accounts.organisation("@daletimes")                       # a given name among the words: a person's
    platform = Accounts.of(["youtube"], [], [])
    assert platform.organisation("@YouTube") and platform.organisation("@youtube_2")   # split "you", "tube": whole
    assert not platform.organisation("@YouTuber")


def test_the_words_of_a_handle_or_hashtag() -> None:
    from detectors.accounts import joined_words

    assert joined_words("@BBCNews") == ["bbc", "news"]
    assert joined_words("@ITVLondon") == ["itv", "london"]
    assert joined_words("@Corks96FM") == ["corks", "96", "fm"]
    assert joined_words("@jsmith_84") == ["jsmith", "84"]
    assert joined_words("#BreakingNews") == ["breaking", "news"]


@pytest.mark.parametrize("text", ["Storm warning tonight #BreakingNews #StaySafe", "what a goal!! #WorldCup #EveryBall",
                                  "new role open #CareerDirection #Jobs"])
def test_a_hashtag_of_run_together_words_is_no_name(detector, text: str) -> None:
    """NER takes Camel-case hashtags for persons or places; without a listed given name among their words they
    are neither."""
    assert not {(e, v) for e, v in found(detector, text) if e in ("PERSON", "LOCATION") and v[:1].isupper()}


def _span(text: str, value: str, entity: str, why: str) -> Span:
    start = text.index(value)
    return Span(entity, start, start + len(value), NER_SCORE, why)


@pytest.mark.parametrize(("text", "value", "why", "entity"), [
    ("We sailed into Sheephaven Bay at dawn.", "Sheephaven Bay", "spaCy NER PERSON", "LOCATION"),
    ("The ferry to Stewart Island was late.", "Stewart Island", "spaCy NER PERSON", "LOCATION"),
    ("Sharon Park chaired the meeting.", "Sharon Park", "spaCy NER PERSON", "PERSON"),     # a surname, not a park
    ("The collections of County Durham are large.", "County Durham", "spaCy NER PERSON", "LOCATION"),
    ("We drove on to Fort Augustus that night.", "Fort Augustus", "spaCy NER PERSON", "LOCATION"),
    ("Rooms at the Kesa Hotel share a bathroom.", "Kesa Hotel", "spaCy NER PERSON", "LOCATION"),   # a venue
    ("A gig at the Brindle Arena tonight.", "Brindle Arena", "spaCy NER PERSON", "LOCATION"),
    ("Resting place Kesa Cemetery, Paris.", "Kesa Cemetery", "spaCy NER PERSON", "LOCATION"),
    ("Orvo Swamp is a small coastal wetland.", "Orvo Swamp", "spaCy NER PERSON", "LOCATION"),
    ("Australia says it will act.", "Australia", "name: a speaker beside a speech verb", "LOCATION"),
    ("Okonkwo says it will act.", "Okonkwo", "name: a speaker beside a speech verb", "PERSON"),
    # a place someone travels to; not a listed given name, a shop's possessive, nor someone talked to
    ("The tour returns to Garryvoe in two weeks.", "Garryvoe", "spaCy NER PERSON", "LOCATION"),
    ("Heading to Manc tomorrow to see my nan.", "Manc", "spaCy NER PERSON", "LOCATION"),
    ("We went to Sarah for advice.", "Sarah", "spaCy NER PERSON", "PERSON"),
    ("We've gone to Denny 's for chips.", "Denny", "spaCy NER PERSON", "PERSON"),
    ("I talked to Okonkwo yesterday.", "Okonkwo", "spaCy NER PERSON", "PERSON"),
])
def test_a_person_that_is_a_place_by_its_last_word_or_the_gazetteer(detector, text, value, why, entity) -> None:
    from detectors.engine import relabel_places

    got = relabel_places(text, [_span(text, value, "PERSON", why)], detector._world, detector._names.given,
                         detector._landscape, detector._place_prefixes)
    assert [s.entity for s in got] == [entity]


@pytest.mark.parametrize(("text", "place"), [
    ("He was one of the first opponents of the Vietnam War.", "Vietnam"),
    ("She was on the jury of the 33rd Berlin International Film Festival.", "Berlin"),
    ("It is in line with the Kenya Vision 2030 plan.", "Kenya"),
    ("The Texas Revolution began in 1835.", "Texas"),
    ("The Pittsburgh Pirates won again.", None),                 # a team: no event word after the city
    ("Funded by the US National Park Service.", None),           # a body, not an event named after a place
    # a headline's subject named after the place: jobs, a tour, people
    ("Solihull Jobs : HR Business Partner wanted", "Solihull"),
    ("Tickets for the UK Tour are on sale", "UK"),
    ("Bring your donation, says US President Jo Bloggs.", None),   # an office: the place is its holder's
    ("She won the Cannes Film Festival award twice.", "Cannes"),   # a town, with no preposition before it
    ("The Reading Festival sold out.", None),                      # ... but not a town that is an English word
])
def test_a_place_an_event_is_named_after(detector, text: str, place: str | None) -> None:
    """The world gazetteer's place at the start of an event's name ("Vietnam War"); a whole run is still a place
    only when it is one name."""
    got = [text[s.start:s.end] for s in detector._world.find(text)]
    assert got == ([place] if place else [])


@pytest.mark.parametrize(("text", "places"), [
    ("Digital Copywriter ( Central London ) apply now", ["Central London"]),
    ("Leaflets handed out in Central London today", ["Central London"]),
    ("West Ham won; South Park is on; Mid Sussex", []),            # a team, a show, no big place after it
    ("The report by E. Jordan and S Kent was read.", []),          # initials before a surname, not a compass
])
def test_a_part_of_a_big_place_named_by_a_compass_word(detector, text: str, places: list[str]) -> None:
    assert [text[s.start:s.end] for s in detector._world.find(text)] == places


def test_a_hashtag_of_a_lesser_town_or_of_a_place_run_together(detector) -> None:
    text = "Sunrise over #Carrickfergus and #ColwynBay pier, #NewYork next. #deal #street #Reading #HappyDays"
    got = [text[s.start:s.end] for s in detector._world.find_lower(text, is_word=detector._names.english)]
    assert got == ["Carrickfergus", "ColwynBay", "NewYork"]      # towns that are words, and no place, are not
    assert detector._world.find_lower(text) == []            # without a dictionary: only big places, alone


@pytest.mark.parametrize(("text", "places"), [
    ("Voters in WA were misled; first club in SA to do it. Back to Qld now.", ["WA", "SA", "Qld"]),
    ("WA Premier said no. Sa and wa are not it. I spoke to DC Hart.", []),        # not after "in", "to" ...
])
def test_a_state_written_short_after_a_place_preposition(detector, text: str, places: list[str]) -> None:
    assert [text[s.start:s.end] for s in detector._world.find(text)] == places


@pytest.mark.parametrize(("text", "places"), [
    ("He was released on US$ 20,000 bail; the HK$ rate fell.", []),   # a currency's name
    ("The US and Canada signed it; prices rose in the UK.", ["US", "Canada", "UK"]),
])
def test_a_country_before_a_currency_sign_is_no_place(detector, text: str, places: list[str]) -> None:
    assert [text[s.start:s.end] for s in detector._world.find(text)] == places


def test_a_given_name_before_a_landscape_word_is_no_person(detector) -> None:
    """The given-name rule stops at a landscape word as at a street word ("Alexander Springs", "Victoria Road")."""
    text = "We are driving to Alexander Springs for a swim."
    assert not [s for s in detector._names.find(text) if "Alexander" in text[s.start:s.end]]


def test_a_venue_is_no_persons_name_for_the_words_of_other_mentions(detector) -> None:
    """A venue NER took for a person ("Kesa Hotel") does not make its first word a person's name elsewhere."""
    from detectors.engine import relabel_places

    text = "Kesa is an island town. Rooms at the Kesa Hotel are cheap. Kesa has one road."
    spans = [_span(text, "Kesa Hotel", "PERSON", "spaCy NER PERSON"), _span(text, "Kesa", "LOCATION", "spaCy NER GPE")]
    got = relabel_places(text, spans, detector._world, detector._names.given, detector._landscape,
                         detector._place_prefixes)
    assert [(s.entity, text[s.start:s.end]) for s in got] == [("LOCATION", "Kesa Hotel"), ("LOCATION", "Kesa")]


@pytest.mark.parametrize(("value", "team"), [
    ("Pittsburgh Pirates", True), ("New York Mets", True), ("Leeds Rhinos", True),
    ("Blue Mountains", False),            # no town first
    ("Leeds Heights", False),             # a building or street word last
    ("Pittsburgh", False), ("Kings Cross", False),
])
def test_a_town_followed_by_a_capitalised_plural_is_a_team(detector, value: str, team: bool) -> None:
    from detectors.engine import drop_teams

    text = f"We watched the {value} last night."
    spans = [_span(text, value, "LOCATION", "spaCy NER GPE")]
    kept = drop_teams(text, spans, detector._world, detector._landscape | detector._names.not_surnames)
    assert kept == ([] if team else spans)


def test_a_name_after_via_is_used_as_a_place(detector) -> None:
    """A name NER took for a person that the text writes after "via" (a route: "flights via Al Kesa") is a place."""
    from detectors.engine import relabel_places

    text = "There are flights from Sana'a via Al Kesa. Al Kesa has one runway."
    first = _span(text, "Al Kesa", "PERSON", "spaCy NER PERSON")
    again = Span("PERSON", text.rindex("Al Kesa"), text.rindex("Al Kesa") + 7, NER_SCORE, "spaCy NER PERSON")
    got = relabel_places(text, [first, again], detector._world, detector._names.given)
    assert [s.entity for s in got] == ["LOCATION", "LOCATION"]


@pytest.mark.parametrize(("text", "value"), [
    ("Username: jhorton84\nPassword: (sent separately)", "jhorton84"),
    ("login=sarah80 failed 3 times", "sarah80"),
    ("User ID: kevin.smith", "kevin.smith"),
    ("Her gamertag is NightOwl_77.", "NightOwl_77"),
    ("09:12:44Z INFO auth.login user=jsmith84 ip=81.2.69.160", "jsmith84"),      # a log's field
    ("IP 192.168.10.44 logged in as jsmith84 at 09:14", "jsmith84"),              # a log's sentence
    ("Mon 10:00 signed in as kelly.brown from 10.0.0.4", "kelly.brown"),
])
def test_a_user_name_after_its_label_is_a_username(detector, text: str, value: str) -> None:
    assert ("USERNAME", value) in found(detector, text)


@pytest.mark.parametrize("text", ["Username: required", "Fill in the user name field", "Login: N/A",
                                  "Choose a username that is easy to remember",
                                  "Username: jhorton",            # letters only: the pattern takes no plain word
                                  "A user 2024 survey", "the user of v2.1",
                                  "She logged in as usual at 9.", "logged in as admin"])      # no value of a user name's shape
def test_no_username_from_a_label_alone(detector, text: str) -> None:
    assert not [v for e, v in found(detector, text) if e == "USERNAME"]


def test_a_column_headed_username_holds_usernames(detector) -> None:
    assert [(d.entity, d.text) for d in detector.analyze("jhorton84", context="Username")] == [("USERNAME", "jhorton84")]
    assert [d for d in detector.analyze("jhorton84", context="Notes") if d.entity == "USERNAME"] == []


@pytest.mark.parametrize(("text", "places"), [
    ("The fleet took Veracruz. The French then moved inland.", ["Veracruz"]),      # a sentence ends after it
    ("We stayed in Tampere. Mum Loved It there.", ["Tampere"]),
    ("Flights leave from St. Louis daily.", ["St. Louis"]),                        # an abbreviation ends no sentence
    ("The office in Washington D.C. Metro Area is closed.", []),                   # nor initials: one run, no place
    ("Gen. Kenya Smith spoke. Senegal Street is closed.", []),                     # a title; a street's first word
])
def test_a_run_of_capitalised_words_ends_with_its_sentence(detector, text: str, places: list[str]) -> None:
    """Issue 15 (places): a place at a sentence's end is found though the next sentence starts with a capital;
    a run is cut only after a word that ends a sentence, not after an abbreviation or a title."""
    assert [text[s.start:s.end] for s in detector._world.find(text)] == places
