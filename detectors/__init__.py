"""Detection of personal data in text and table columns. Never imports ``scanner``."""
import os

# NOTE: tldextract (a Presidio dependency) fetches the public-suffix list over the network on first use
# unless this is empty; its global extractor reads it at import time, so set it before anything imports it.
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

# NOTE: raise it whenever what the detectors find (or how values are normalised and hashed) changes: stored
# results are re-used only under the same version, so an upgrade re-reads objects an incremental scan would
# otherwise leave as the old rules read them. 2: listed given names; special-category evidence counted once.
# 3: JSON keys that are not field names masked in key paths (and analysed); headerless CSVs detected.
# 4: context words bounded to their sentence; "aged 12." and "she is 13" are ages.
# 5: national phone numbers of suggested and configured regions (detection.phone_regions); possible UK numbers.
# 6: REFERENCE_NUMBER after a label (configs/lexicons/references.yaml) and masked IDs; IN_PAN, IN_AADHAAR, US_ITIN.
# 7: spreadsheet date cells read as dates; first-name + surname columns read as one PERSON column.
# 8: a reference label may be followed by is/was.
# 9: a spreadsheet whose first row looks like the rows below it (names under names) has no header row.
# 10: a digit run glued to a word is read as a foreign phone number from its next group only.
# 11: a UTF-16 byte-order mark before 8-bit text is not believed (the text is decoded as what it is).
# 20: Finnish personal identity codes (FI_HETU) beside a label.
# 27: NER is given the words around capitalised words, not whole sentences; handles and links alone send none.
# 28: Irish addresses and Eircodes (issue 15).
# 32: capitalised stop words and "RT" are not NER anchors.
# 37: NER is given two words either side of a capitalised word (was four): same dev F1, fewer words to the model.
# 41: second session of 2026-12-04: hashtags, acronyms and one-word sentences are no persons; lone given names, names
#     joined by "and", surname-first names and a cited case's parties are; venues, kinds and teams for places;
#     a PERSON written surname first is hashed in the usual order ("Okonkwo-Hale, Grace" = "Grace Okonkwo-Hale").
# 42: a word in an e-mail address, link or handle is no word "written in lower case" (a surname in
#     "a.m.beresford@…" stays a name); one author in brackets beside a sure citation is an author; initials
#     without full stops, or one alone, before a surname that is no English word ("R Saravanan", "K. Okafor");
#     "Lord"/"Lady" before a name; where someone was born, lives or moved is a place ("born in Risinge"); forms'
#     fields and surnames in capitals; judges' posts ("Arden LJ"); anonymised initials ("B.K.") are persons.
# 43: a sentence's first word capitalised only by position is no anchor for the NER windows; interjections
#     ("Okay.", "Mhm.") are common words, so a line of one is no heading.
# 44-54: fifth session of 2026-12-04: an office with its place, or addressed as "Madam"/"Mr", is one person (not
#     an office of a body); a place beside a match's score is a team, one inside an organisation's name no place;
#     NER's one-word name the text writes in lower case is a common noun; NER's organisation or product written
#     like a foreign given name and surname is a person; a thing's name is not sought again as a person; a word
#     after "the" before a bracketed year is a title; "RT" starts no name; ".@handle" is a handle.
# 55: sixth session of 2026-12-04: a name NER labels an organisation at least as often in the same text is no person
#     or place; a name after a series word ("the television series ...") is a show.
# 56: one pattern for a word written as a name (nlp.NAME_WORD) in the name rules and the NER clean-up: "Mc"/"Mac"
#     names count as foreign names NER called organisations, any capital and apostrophe as a surname after initials.
# 57: initials standing alone for a person after a personal title ("Mr A.B.") or a role, ranks among the roles
#     ("Captain H.T."); a capitalised word after "of" or "for" is no speaker before a speech verb ("the Ministry of
#     Justice replied").
# 58: personal titles of other languages ("Herr", "Mme", "Signora", "Dhr." ...): a name after one is a person, and
#     NER's span starts after it.
# 59: "licence"/"license" and "driver's license" stand alone before a reference number ("my driver's license is
#     D1234567").
# 60: NER's PERSON joining two names with a lower-case word is two persons ("Jules et Jim", "Okafor v Brennan"),
#     one before "et al." is cut there, and one with a route's word inside ("Gatwick to Malaga") is none.
# 61: 41 more listed given names (Marcus, Travis, Leslie, Rhonda ...): common names the list lacked.
# 62: a spaced dash or bar, a handle or a link ends NER's span ("Frank Lampard - @BBCSport" is "Frank Lampard").
# 63: 37 more familiar forms among the listed given names (Paddy, Fred, Stevie, Lizzie ...).
# 64: a listed given name alone at a sentence's start is a person when a possessive follows ("Kate's hairdresser").
# 65: after a possessive and a relation ("my grandson Mikey") one capitalised word that is no English word is a name,
#     listed or not; more relations (grandpa, granny, grandmother, stepbrother ...).
# 66: in NER's PERSON, only what follows "to" or "from" can be a name ("Come To Birmingham", "Gatwick to Malaga");
#     seats of government named for the government are places ("White House says", "Pentagon says").
# 67: a handle of two to six capitals alone is an organisation's account ("@NSPCC", "@AP").
# 68: platforms (Twitter, YouTube, LinkedIn, Netflix ...) are common words: no person or place alone.
# 69: a place beside "v" or before a club's people ("Liverpool fans", "Doncaster striker") is a team, as beside a
#     score.
# 70: a big city or country greeted ("Hello Melbourne!"; not "Hi Sydney," opening a letter) is a place.
# 71: initials listed after a person's initials are persons too ("Judges M.Y., A.K. and S.T."); plural roles
#     (judges, witnesses, officers) before initials.
# 72: a handle that is a platform's name ("@YouTube", "@eBay") is the platform's account, not a person's; more
#     platforms (Myspace, Foursquare, eBay, Flickr ...) among the common words.
# 73: a country's short name before a currency sign ("US$ 20,000", "HK$") is no place.
# 74: the other names in a list of three or more whose found items are persons, at least two and no fewer than
#     the others, are persons too ("Cardiff XI: Marshall; Fabio, Caulker", an attendance list).
# 75: a hashtag of a listed given name and a surname run together ("#AlexFerguson") is a person; "realty" is an
#     organisation word.
# 76: "tax code" is no reference label ("Tax code: 1257L", a PAYE code millions share); references.yaml not_labels.
# 77: after a name label, a personal title is passed over and an initial is part of the name, in capitals too
#     ("Employee Name: MS A OKONKWO-HALE", "Name: MR JONATHAN PRYCE").
# 78: a surname found, written again in capitals with the given names before it, is a person ("(1) KERRY-ANN
#     MCBRIDE" in a judgment naming "Ms McBride"; "RE: TOMASZ NOWAK").
# 79: a name that is the whole of a quotation is a title ("Air's 'Sonic Armada'", "' Downton Abbey '"), unless a
#     listed given name or a nickname before a surname ("'Whitey' Bulger").
# 80: a signature's one-letter phone label ("M: 07700 900123", "T:", "P:", "F:") is a phone word for a number
#     that is only possible (the drama range).
# 81: a name written surname first in an e-mail header, quoted or before an address ("To: 'Brannigan, Sean'
#     <sean@...>; Okafor, Grace").
# 82: a found person's listed given name that is no English word counts in lower case too ("Kayleigh Sutcliffe:
#     hiya its kayleigh"), and its lower-case mentions no longer make its capitalised ones a common noun.
# 83: addresses kept whole: a Finnish staircase and flat ("Mannerheimintie 5 A 7"), a Spanish floor and door
#     ("Calle Mayor 3, 2º izq."), a US unit written first ("Apt 4B, 221 West 79th Street"), a locality before a
#     Dublin district ("Ballymun, Dublin 9").
# 84: Australian states written short ("in WA", "to Qld"; not "Vic", a given name, nor "DC", a police title) are
#     places after a place preposition; an office alone ("WA Premier says") is no speaker.
# 85: NER's one-word PERSON that someone travels to ("heading to Manc", "returns to Garryvoe") is a place, unless a
#     listed given name or a possessive ("gone to Denny's").
# 86: a quoted name is a title at that mention only, not wherever the text writes it ('known as "Hank" ... Hank
#     said'); an address takes a second town part only before a postcode ("14 Oak Road, Leeds, Sarah said").
# 87: a personal title in lower case before a word that is no English word is a lower-case name's strong cue
#     ("spoke to mrs okafor", "mr wenger"; not "mr right", "miss you").
# 88: a lower-case hashtag of a listed given name and a surname run together ("#dianeabbott") is a person, when
#     the rest is no English word and the whole no run of English words ("#christmasjumper").
# 89: a hashtag of a lesser town that is no English word ("#Carrickfergus") or of a place of two or three words
#     run together ("#ColwynBay", "#NewYork") is a place.
# 90: a compass word before a country, region or big city names part of it ("Central London", "South Wales").
# 91: a lone compass letter ("E. Jordan", "S Kent") names no part of a place: initials before a surname.
# 92: addresses written on lines, as letters and forms write them, are one LOCATION: the lines above a UK or
#     Irish postcode ("27 Larkspur Fold⏎Moortown⏎Leeds⏎LS17 6QT"), a continental street above its postcode and
#     town ("Lindenallee 7⏎04109 Leipzig"; a street word needed across a line), a North American or Australian
#     street line above "Town, ST ZIP" (a real state), that town line alone, and a place's name on the line
#     after an address. German and Swedish floors, Italian flats ("int. 12"), Dutch house-number suffixes
#     ("263-II"), an Italian province after the town ("(FI)"), French "20, rue".
# 93: a number beside a phone word that no numbering plan holds is a possible phone number (POSSIBLE_SCORE) when
#     written with its country code ("Phone: +44(0)29 2018179", "(+358) 789328792") or in North American
#     grouping ("Tel: 300.724.5892", "961-411-3930x9559"); JCB's older 15-digit card numbers (2131, 1800).
# 94: the name fields of forms are name labels ("Surname:", "Forename(s):", "Given names:", "Cardholder name:",
#     "Account holder:", "Print name:" ...); a name label's run of capitalised words that ends before an
#     organisation, street or landscape word names none ("Account holder: Bright Futures Ltd").
# 95: other countries' national numbers after their own label are reference numbers and no phone number
#     ("Personnummer: 850709-9805", "SIN: 046454286", "PESEL", "CPR", "AMKA", "CNP", "Fnr"); those labels are
#     phone numbers' negative context.
# 96: an IPv6 address written in full (eight groups) counts in a range not yet allocated (made-up test data).
# 97: more phone words ("reached on", "reach me", "landline", "WhatsApp", "text me", "dial", "her number" ...),
#     and a North American "1" before a possible number's area code ("1 (403) 060-6720").
# 98: a judge named in a judgment's heading in capitals ("HER HONOUR JUDGE ASHWORTH", "MR JUSTICE CALDWELL",
#     "HHJ ASHWORTH") and a police officer after rank and collar number ("PC 4471 Sharma") are persons.
# 99: islands, coasts and regions people travel to that the packages hold as no town or unit ("Mallorca",
#     "Lanzarote", "Crete", "the Algarve", "Crimea", "the Balkans") are regions of the world gazetteer.
# 100: a user name right after its label ("Username: jhorton84", "login=sarah80", "her gamertag is NightOwl_77") or
#      in a column headed so is a USERNAME, as a handle is.
# 101: hyperscan's expressions are shadowed to ASCII as the text is, so a label or street word with a letter outside
#      ASCII ("Fødselsnummer", "allée") opens its window: with hyperscan, detection now finds what it finds without.
# 102: the world gazetteer cuts a run of capitalised words where a sentence ends ("... took Veracruz. The French"),
#      so a place at a sentence's end is found though the next sentence starts with a capital.
# 103: a venue or natural feature written with the word for its kind is a place ("Carnegie Hall", "the Metro
#      Toronto Convention Centre", "Leeds General Infirmary", "Biddulph Moor"; configs' venue_words, venue_surnames
#      and landscape_words), and NER's PERSON ending in a venue word that is no surname too ("Alexandra Palace").
#      Such a place, and one the text calls a place, is a place's name, not an address: alone it is no holding.
# 104: a street named by its street word is a place where NER found no person there ("10th Street", "Kitchener
#      Way"; not "Sharon Street", a philosopher NER found); "on" no longer joins words into a venue's name.
# 105: more of a letter's sign-offs ("Yours,", "Love ya.", "Lots of love,", "Speak soon,"): the line after, if only
#      capitalised words, is the writer's name.
# 106: the United States' given names from its 1990 census (public domain; 1,667 of them, less words, places, name
#      particles and parts of a place's name) are listed given names too; a lower-case hashtag that is an English
#      word ("#retailers") is no given name and surname run together.
# 107: Canadian Social Insurance Numbers (CA_SIN: Luhn, not starting 0 or 8), beside their label, spaced or not.
# 108: a 12-digit card number in a Maestro range (Luhn) beside a card word ("Maestro card 639020103110").
# 109: hyperscan's ASCII shadow keeps a letter's case: a town whose capital is outside ASCII ("35314 Örebro",
#      "35-111 Żywiec") ended an address with hyperscan, which the plain regex path found whole.
# 110: Hungarian national numbers after their label ("Személyi szám", "Adóazonosító jel", "TAJ szám") are
#      reference numbers, and those labels are negative context for phones.
# 111: beside a phone word, a number valid in a default region counts in another grouping than the region's own
#      ("Call 6909 020 244": a Greek mobile) and with a slash after its area code ("Tel.: 0221/1234567",
#      "(06)21/509-4529"); a year's case number ("2019/114557") is no phone number.
# 112: a venue word after one word naming a kind of facility is no venue ("the Job Centre", "Town Hall", "the Police
#      Station"; configs' generic_venues).
# 113: more personal titles of other languages ("Sr.", "Sra.", "Srta.", "Sig.ra", "Dott.ssa", "Doç."): no part of
#      the name after them, nor a name themselves after a label ("Witness: Sr. Pedro Costa").
# 114: places in a list stay apart: a place joins the one before only if it is of a higher tier than the last one
#      joined, and not beside a list's items ("Victoria, South Australia, Western Australia and Tasmania").
# 115: a listed given name after a royal or office title is a person, title included ("Princess Beatrice"; not
#      "President Hotel", "King Edward Street").
# 116: a speaker beside a speech verb that NER reads as an organisation in the same text is no person.
# 117: a person whose first word ends a place's name with the word before it is none ("San Francisco Bulletin").
# 118: a one-word name NER guessed that is an English word and no listed given name names no later mention.
# 119: an English word that is no listed given name, at a headline's start before a speech verb, is no speaker
#      ("Vogue says").
# 120: a country, region or big city before a headline's subject word is a place ("Solihull Jobs", "UK Tour").
# 121: one capital letter after a personal title is a person anonymised to a letter ("Mrs. B").
# 122: a name the text calls a place in apposition before a participle ("Rockridge, a neighborhood mixed with").
# 123: a place and the bigger place it lies in, joined by "in", are one location ("Randers in Jutland").
# 124: a caption's label ("Image:", "Photo", "Credit") is a common word, not the end of a name.
# 125: a town an event is named after is a place, as a country or region was ("Cannes Film Festival").
# 126: 116 narrowed: a speaker is dropped only where NER labels it ORG (not PRODUCT) more often than NER and the
#      rules read it as a name.
# 127: names in forms: before a birth note ("Jo (aged 12)", "Katri Kärki, born 1984"), after a tabbed name label.
# 128: personal titles of more languages (pan, pani, fru, frk, hr).
# 129: US and Canadian street addresses with more of USPS Publication 28's street suffixes ("Cedar Route").
# 130: NER's one-word place that is no region or country is a person before a possessive and a common noun
#      ("In Tyler's mind"), unless after a place preposition.
# 131: more words of organisations' handles (a party, a shop, a venue, a club's fans, a league, a train company:
#      "@UKLabour", "@DASHBoutique", "@VirginTrains"): no one's USERNAME.
# 132: a lower-case listed given name (no English word) after a possessive relation is a person: "my sister olivia".
# 133: a listed given name also with accents the list leaves off ("Zoë", "José", "Łukasz"); a form's name written
#      surname first takes accented given names and a second listed given name ("Name: Ramírez, José Luis").
# 134: a name in quotes before its own e-mail address ("'Nkechi Adeyemi' <nkechi.adeyemi@…>"), without the quotes.
# 135: no NER on a text in another language (its function words: detectors/language.py), whose language also suggests
#      its phone numbers' regions; titles "Herrn", "Monsieur", "Madame", "Mademoiselle"; sign-offs of EU languages.
# 136: a name after a title that is also a word ("Judge Nguyen", "Nurse Okafor", "Father Declan Murphy"; not "Father
#      Christmas"), the title left out; a middle initial's full stop inside a titled or labelled name ("Dr Robert S.
#      Lasnik"), not before a sentence's next word ("Mrs B. The end").
# 137: a name of two or more words in capitals ("JANE DOE, Plaintiff") is mentioned in Title case later ("Doe").
# 138: CSV first-name + last-name columns read as one PERSON column too; name cells in any script; a column's
#      count is its share of the sampled rows, empty cells included (a sparse column is not counted as full).
# 139: a JSON record's first-name and last-name keys are one PERSON value ("Given Family").
# 140: first-name + last-name columns of Parquet, Arrow, ORC, Avro and SQLite tables are one PERSON column.
# 141: Chinese and Korean subdivisions without their unit word ("Jiangsu", not only "Jiangsu Sheng").
# 142: letters after a name are no part of it ("A. Henderson MBChB MRCGP"; post_nominals); a form's next field's label
#      of several words ends a name ("Tutor group:"); towns joined by "in", "le", "super" in an address
#      ("Pool-in-Wharfedale", "Chapel-en-le-Frith").
# 143: "user" alone labels a user name too, as a log writes it ("user=jsmith84").
# 144: NER's one-word place joined by "and"/"or" to a PERSON is a person when no known place and no English word
#      ("Aisha and Tomás").
# 145: a labelled reference written as a scheme's letters, a space and the number ("Insurance ID: BCBS-IL 88421937").
# 146: a date and its hour, as logs write them ("2025-03-12 09:20:15"), are no phone number (Luxembourg's reading).
# 147: personal data in object, folder, column, sheet and table names: identifiers counted, names indexed, all
#      masked in what outputs show (scanner/object_names.py).
# 148: a chat log's speakers ("[09:14] <dave_k> anyone around?") are USERNAMEs, in a text with two speaker lines.
# 149: a probable name in an object or column name (two or three capitalised words, the first no English word) is
#      masked and indexed though its given name is not listed ("Cornelius Ashdown - appraisal.docx"); first- and
#      last-name column headers of EU/EEA exports ("Vorname"/"Nachname", "Prénom"/"Nom"), accents folded.
# 150: the forms and records of a charity's files: a name ends at a form's field gap (three spaces or a tab: "Ruby
#      Thompson   Age 9") and before a dotted label ("D.O.B"), which is no place either; "logged in as jsmith84" is a
#      USERNAME; DBS certificate, learner and UTR labels; NER's PERSON that begins a label's title before its value
#      ("Unique Pupil Number A123...") is dropped; a UK address on one line, its parts parted by commas and ending in
#      a postcode, needs no street word ("5 Kingsway, Crewe CW2 7ND"); a table's bare "Account" column beside a
#      sort-code column holds bank account numbers.
# 151: a small table laid out as a form (Word, ODT, spreadsheets: a field's label, then its value) is read as
#      "label: value" lines, not as columns whose first row is a header ("Child's name | Kai Robinson" ...);
#      configs/lexicons/forms.yaml lists the label words. A name in a file name ends before the words that say
#      what the file is ("Olivia Bennett DBS.pdf").
# 152: more ways a child's age is written: right after a name ("Jayden, 12, was", "Tyler (8)", "Mia (6 months)"),
#      in words ("aged twelve", "our son is fourteen"), "she turned 10", "my age is 16", a year of birth ("Born in
#      2015, Mia ...", "he was born in 2012").
# 153: an object's estimate of people counts a name once however its text writes it: "Kai", "Mr Robinson" and
#      "Mr Kai Robinson" beside "Kai Robinson", "Ruby" beside "Ruby-Mae Thompson" (every mention still counted).
RULES_VERSION = 153
