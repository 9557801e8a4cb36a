"""Generate a large, realistic, reproducible archive for benchmarks and load tests.

`generate_archive --documents N --seed S` writes N documents with everything a real record has:
texts of 1 to 20 KB, dates over 1917-1991 of every precision, about N/5 people with variant
spellings and transliterations, 3 to 8 people per document in several roles, 50 collections,
200 subjects, 500 places, 10 repositories with citations, funders, drafts and withdrawn records.
The same seed gives the same archive. Rows are written with `bulk_create` in batches and every
derived field (EDTF bounds, slugs, record IDs, name keys, citation parts) is computed here with
the same functions the models' save() uses, so a large archive takes minutes, not hours.

`generate_archive --documents N --csv FILE` writes an import spreadsheet of N rows instead, in the
column layout of the spreadsheet import, naming people, collections and vocabularies by name.
People are written as staff who answered the import's questions would write them ('Name [new]',
'Name [#id]'), for the database the file is generated against, so the whole file imports there.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import math
import random
import time
from bisect import bisect
from dataclasses import dataclass, field
from functools import cache

from django.core.management import get_commands
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from django.utils.text import slugify

from archive_collections.models import Collection, FeaturedDocument
from archive_site.cache import invalidate_public_pages
from archive_site.db_routers import use_primary
from documents.models import (
    Citation,
    Classification,
    Contribution,
    Document,
    DocumentType,
    Funding,
    Language,
    Organization,
    Person,
    PersonName,
    Place,
    Repository,
    RightsStatement,
    Status,
    Subject,
    note_record_id_used,
)
from documents.parsing.dates import MONTH_NAMES, parse_edtf
from documents.parsing.names import name_key, sound_key
from documents.parsing.references import parse_reference

# The import spreadsheet's columns, in order (the layout staff fill in).
CSV_COLUMNS = [
    "record_id",
    "title",
    "date",
    "type",
    "summary",
    "text",
    "transcript",
    "languages",
    "classification",
    "repository",
    "source",
    "authors",
    "recipients",
    "copied_to",
    "mentioned",
    "translators",
    "contributors",
    "collections",
    "subjects",
    "places",
    "funders",
    "rights",
    "status",
]

# Words whose frequency the generator controls, so search benchmarks know what they ask for.
# The common term is in nearly every text; the mid-frequency term in about 2% of documents;
# the rare term in about 1 in 5,000; the phrase in about 5%.
SEARCH_TERMS = {
    "common": "committee",
    "mid": "uranium",
    "rare": "zarnitsa",
    "phrase": "fraternal assistance",
}
MID_TERM_SHARE = 0.02
RARE_TERM_SHARE = 0.0002
PHRASE_SHARE = 0.05

COLLECTION_COUNT = 50
SUBJECT_COUNT = 200
PLACE_COUNT = 500
BATCH_SIZE = 2000

# Vocabularies -----------------------------------------------------------------------------------

DOCUMENT_TYPES = [
    "Telegram",
    "Letter",
    "Memorandum",
    "Report",
    "Minutes",
    "Memorandum of Conversation",
    "Cable",
    "Diary Entry",
    "Speech",
    "Resolution",
]
CLASSIFICATIONS = [
    ("Top Secret", 40),
    ("Secret", 30),
    ("Strictly Confidential", 25),
    ("Confidential", 20),
    ("For Official Use Only", 10),
    ("Unclassified", 0),
]
LANGUAGES = [
    ("Russian", "ru"),
    ("Persian", "fa"),
    ("Azerbaijani", "az"),
    ("Chinese", "zh"),
    ("German", "de"),
    ("English", "en"),
    ("Polish", "pl"),
    ("Hungarian", "hu"),
    ("Czech", "cs"),
    ("Korean", "ko"),
]
ORGANIZATIONS = [
    ("MacArthur Foundation", ""),
    ("Blavatnik Family Foundation", ""),
    ("Carnegie Corporation of New York", ""),
    ("Henry Luce Foundation", ""),
    ("Cold War International History Project", "CWIHP"),
    ("North Korea International Documentation Project", "NKIDP"),
]
RIGHTS = [
    (
        "Educational reuse",
        "The History and Public Policy Program welcomes reuse of this document for "
        "educational and research purposes.",
        "http://rightsstatements.org/vocab/InC-EDU/1.0/",
    ),
    (
        "Public domain (generated)",
        "This document is in the public domain in its country of origin.",
        "http://rightsstatements.org/vocab/NoC-US/1.0/",
    ),
]
# Abbreviation, full name, place, and how its references are written.
REPOSITORIES = [
    ("RGASPI", "Russian State Archive of Socio-Political History", "Moscow", "soviet"),
    ("GARF", "State Archive of the Russian Federation", "Moscow", "soviet"),
    ("AVPRF", "Archive of Foreign Policy of the Russian Federation", "Moscow", "soviet"),
    ("RGANI", "Russian State Archive of Contemporary History", "Moscow", "soviet"),
    ("GAPPOD", "State Archive of Political Parties and Movements of Azerbaijan", "Baku", "soviet"),
    ("PRC FMA", "Archive of the Ministry of Foreign Affairs of the PRC", "Beijing", "file"),
    ("SAPMO-BArch", "Foundation Archives of Parties and Mass Organizations", "Berlin", "german"),
    ("AAN", "Archive of Modern Records", "Warsaw", "file"),
    ("MOL", "Hungarian National Archives", "Budapest", "file"),
    ("NARA", "National Archives and Records Administration", "College Park", "nara"),
]
COLLECTION_THEMES = [
    "Iran-Soviet Relations",
    "The Iran/Azerbaijan Crisis, 1946",
    "Iran's Tudeh Party",
    "The Korean War",
    "Cuban Missile Crisis",
    "Sino-Soviet Split",
    "Berlin Crisis, 1958-1962",
    "Hungarian Revolution, 1956",
    "Prague Spring",
    "Polish Crisis, 1980-1981",
    "Nuclear Nonproliferation",
    "The Vietnam War",
    "Soviet Foreign Policy in the Middle East",
    "Stalin and the Cold War",
    "The Warsaw Pact",
    "Intelligence Operations",
    "Arms Control and Disarmament",
    "Decolonization in Africa",
    "The Marshall Plan",
    "Sino-Indian Border Conflict",
    "North Korean Nuclear History",
    "The Suez Crisis",
    "Détente",
    "The End of the Cold War",
    "Soviet Policy in Afghanistan",
]
COLLECTION_SUFFIXES = ["", ": Selected Documents", ": New Evidence"]
SUBJECT_BASES = [
    "Nuclear weapons",
    "Oil",
    "Borders",
    "Military aid",
    "Economic assistance",
    "Propaganda",
    "Elections",
    "Agriculture",
    "Espionage",
    "Diplomacy",
    "Refugees",
    "Religion",
    "Education",
    "Industry",
    "Trade",
    "Communist parties",
    "Minorities",
    "Censorship",
    "Labor movements",
    "Science and technology",
    "Space exploration",
    "Energy",
    "Health",
    "Treaties",
    "Summits",
    "Military occupation",
    "Security services",
    "Land reform",
    "Nationalism",
    "Student movements",
    "Youth organizations",
    "Press",
    "Culture",
    "Finance",
    "Transport",
    "Famine",
    "Prisoners of war",
    "Deportations",
    "Rehabilitation",
    "Party congresses",
]
SUBJECT_ASPECTS = ["", "Policy", "History", "International cooperation", "Public opinion"]
REAL_PLACES = [
    "Moscow",
    "Tehran",
    "Tabriz",
    "Baku",
    "Iranian Azerbaijan",
    "Beijing",
    "Pyongyang",
    "Seoul",
    "Berlin",
    "Warsaw",
    "Budapest",
    "Prague",
    "Bucharest",
    "Sofia",
    "Belgrade",
    "Tirana",
    "Havana",
    "Hanoi",
    "Saigon",
    "Kabul",
    "Cairo",
    "Damascus",
    "Baghdad",
    "Ankara",
    "Delhi",
    "Tokyo",
    "Washington",
    "London",
    "Paris",
    "Bonn",
    "Vienna",
    "Geneva",
    "Helsinki",
    "Stockholm",
    "Ulaanbaatar",
    "Tashkent",
    "Alma-Ata",
    "Tbilisi",
    "Yerevan",
    "Kiev",
    "Minsk",
    "Riga",
    "Vilnius",
    "Tallinn",
    "Leningrad",
    "Stalingrad",
    "Vladivostok",
    "Khabarovsk",
    "Irkutsk",
    "Novosibirsk",
    "Sverdlovsk",
    "Gorky",
    "Kazan",
    "Kuibyshev",
    "Odessa",
    "Sevastopol",
    "Yalta",
    "Potsdam",
    "Rasht",
    "Mashhad",
    "Isfahan",
    "Shiraz",
    "Ardabil",
    "Urmia",
    "Qazvin",
    "Kermanshah",
    "Mahabad",
    "Maku",
    "Zanjan",
    "Hamadan",
    "Abadan",
    "Bandar Shah",
    "Gorgan",
    "Ganja",
    "Nakhchivan",
    "Shanghai",
    "Harbin",
    "Dalian",
    "Port Arthur",
    "Wuhan",
    "Xinjiang",
    "Lhasa",
    "Kaesong",
    "Panmunjom",
    "Wonsan",
    "Hamhung",
    "Sinuiju",
    "Addis Ababa",
    "Luanda",
    "Maputo",
    "Conakry",
    "Accra",
    "Algiers",
    "Tripoli",
    "Aden",
    "Jakarta",
    "Rangoon",
    "Colombo",
    "Karachi",
    "Dhaka",
    "Phnom Penh",
    "Vientiane",
    "Managua",
    "Santiago",
    "Mexico City",
    "New York",
    "Reykjavik",
    "Malta",
    "Camp David",
    "Vladimir",
    "Murmansk",
    "Arkhangelsk",
    "Semipalatinsk",
    "Kamchatka",
]
PLACE_PREFIXES = ["Novo", "Staro", "Krasno", "Belo", "Verkhne", "Nizhne", "Ust-", "Zlato", "Sosno"]
PLACE_ROOTS = ["gor", "vod", "dol", "bor", "les", "rech", "gav", "mir", "yar", "pol", "kam", "sel"]
PLACE_SUFFIXES = ["sk", "ovo", "ino", "grad", "abad", "ka", "ovsk", "evka"]

# People's names: first names, patronymic initials and surnames of the region's archives.
FIRST_NAMES = [
    "Ivan",
    "Vyacheslav",
    "Lavrenty",
    "Georgy",
    "Nikita",
    "Andrei",
    "Mikhail",
    "Anastas",
    "Kliment",
    "Lazar",
    "Nikolai",
    "Aleksei",
    "Dmitri",
    "Sergei",
    "Yuri",
    "Leonid",
    "Boris",
    "Pavel",
    "Vasily",
    "Fyodor",
    "Grigory",
    "Konstantin",
    "Viktor",
    "Yakov",
    "Ilya",
    "Semyon",
    "Mir Jafar",
    "Jafar",
    "Ahmad",
    "Mohammad",
    "Ali",
    "Hossein",
    "Reza",
    "Mahmud",
    "Qasem",
    "Ghulam",
    "Hasan",
    "Karim",
    "Mustafa",
    "Yusuf",
    "Kim",
    "Pak",
    "Mao",
    "Zhou",
    "Liu",
    "Deng",
    "Peng",
    "Walter",
    "Wilhelm",
    "Erich",
    "Otto",
    "Wladyslaw",
    "Jozef",
    "Matyas",
    "Imre",
    "Janos",
    "Klement",
    "Antonin",
    "Gustav",
    "Todor",
    "Enver",
    "Josip",
    "Nicolae",
    "Fidel",
    "Ernesto",
    "Ho",
    "Le",
    "Pham",
    "Vo",
    "Khalid",
    "Nur",
    "Babrak",
    "Hafizullah",
    "Gamal",
]
INITIALS = list("ABDEFGIKLMNPSTVYZ")
SURNAMES = [
    "Bagirov",
    "Pishevari",
    "Qavam",
    "Molotov",
    "Beria",
    "Malenkov",
    "Vyshinsky",
    "Maslennikov",
    "Mikoyan",
    "Voroshilov",
    "Kaganovich",
    "Bulganin",
    "Zhdanov",
    "Gromyko",
    "Kosygin",
    "Suslov",
    "Ponomarev",
    "Andropov",
    "Ustinov",
    "Kuznetsov",
    "Sadchikov",
    "Yemelyanov",
    "Atakishiev",
    "Ibragimov",
    "Aliev",
    "Mamedov",
    "Guliev",
    "Huseynov",
    "Rzaev",
    "Kazimov",
    "Derakhshani",
    "Biriya",
    "Padegan",
    "Kavian",
    "Ghazi",
    "Mossadegh",
    "Razmara",
    "Zahedi",
    "Kuchuk Khan",
    "Eskandari",
    "Kambakhsh",
    "Kianuri",
    "Tabari",
    "Rusta",
    "Bahrami",
    "Il-sung",
    "Hon-yong",
    "Tse-tung",
    "Enlai",
    "Shaoqi",
    "Xiaoping",
    "Dehuai",
    "Ulbricht",
    "Pieck",
    "Honecker",
    "Grotewohl",
    "Gomulka",
    "Bierut",
    "Rakosi",
    "Nagy",
    "Kadar",
    "Gottwald",
    "Novotny",
    "Husak",
    "Zhivkov",
    "Hoxha",
    "Tito",
    "Ceausescu",
    "Castro",
    "Guevara",
    "Chi Minh",
    "Duan",
    "Van Dong",
    "Nguyen Giap",
    "Taraki",
    "Karmal",
    "Amin",
    "Nasser",
    "Sokolov",
    "Petrov",
    "Orlov",
    "Volkov",
    "Zaitsev",
    "Lebedev",
    "Morozov",
    "Novikov",
    "Fedorov",
    "Pavlov",
    "Semenov",
    "Golubev",
    "Vinogradov",
    "Bogdanov",
    "Vorobyov",
    "Frolov",
    "Kovalev",
    "Ilyin",
    "Gusev",
    "Titov",
    "Kuzmin",
    "Kudryavtsev",
    "Baranov",
    "Kulikov",
    "Alekseev",
    "Stepanov",
    "Yakovlev",
    "Sorokin",
    "Sergeev",
    "Romanov",
    "Zakharov",
    "Borisov",
    "Korolev",
    "Gerasimov",
    "Ponomarenko",
    "Grigoriev",
    "Lazarev",
    "Medvedev",
    "Ershov",
    "Nikitin",
    "Sobolev",
    "Ryabov",
    "Polyakov",
    "Tsvetkov",
    "Danilov",
    "Zhukov",
    "Frolenko",
    "Khachaturian",
    "Tevosian",
    "Shahinian",
    "Mirzoyan",
    "Hakimi",
    "Tehrani",
    "Shirazi",
    "Rashti",
    "Tabrizi",
    "Ardabili",
    "Zanjani",
    "Karimi",
    "Hashemi",
    "Rahimi",
    "Moradi",
]
# Transliteration differences applied to make variant spellings ("Ghavam" / "Qavam").
TRANSLITERATION_SWAPS = [
    ("Q", "Gh"),
    ("q", "gh"),
    ("kh", "h"),
    ("Kh", "H"),
    ("ov", "off"),
    ("v", "w"),
    ("yev", "ev"),
    ("ya", "ia"),
    ("yu", "iu"),
    ("y", "i"),
    ("i", "y"),
    ("e", "a"),
    ("a", "e"),
    ("j", "dj"),
    ("zh", "j"),
    ("ch", "tch"),
    ("sh", "sch"),
    ("ii", "y"),
    ("ei", "ey"),
    ("oo", "u"),
    ("mm", "m"),
    ("Mohammad", "Mohammed"),
    ("Jafar", "Ja'far"),
    ("Yusuf", "Yousef"),
]
TRANSLATORS = [
    "Gary Goldberg",
    "Sergey Radchenko",
    "Jamil Hasanli",
    "David Wolff",
    "Christian Ostermann",
    "Kathryn Weathersby",
    "Chen Jian",
    "Mark Kramer",
    "Vojtech Mastny",
    "Malcolm Byrne",
    "Csaba Bekes",
    "Douglas Selvage",
    "Svetlana Savranskaya",
    "Vladislav Zubok",
    "Stephen Mercado",
]

# Words for texts ----------------------------------------------------------------------------------

SENTENCE_TEMPLATES = [
    "The Central Committee considers it necessary to {verb} the {noun} in {place}.",
    "On the instructions of the Central Committee, {person} reported on the {noun}.",
    "I report that on {day} {month} a meeting took place in {place} concerning the {noun}.",
    "The {adj} situation in {place} requires immediate attention to the {noun}.",
    "{person} stated that the {noun} would be discussed at the next session of the committee.",
    "We consider it expedient to {verb} the {noun} and to inform the committee of the results.",
    "According to our information, the {adj} circles in {place} are opposed to the {noun}.",
    "The delegation of {place} expressed its gratitude for the {noun}.",
    "Point {num}. To instruct {person} to {verb} the {noun} within {num} days.",
    "The local organs in {place} have not yet carried out the decision on the {noun}.",
    "{person} asked that the committee send additional specialists to {place}.",
    "It is proposed to {verb} the {noun} before the end of the quarter.",
    "The {adj} press in {place} published a series of articles about the {noun}.",
    "In the course of the conversation {person} raised the question of the {noun}.",
    "The ambassador informed us that the government of {place} intends to {verb} the {noun}.",
    "Please inform the committee of your opinion on the {noun} without delay.",
]
VERBS = [
    "strengthen",
    "review",
    "postpone",
    "expand",
    "reorganize",
    "finance",
    "support",
    "limit",
    "accelerate",
    "discuss",
    "approve",
    "investigate",
    "suspend",
    "coordinate",
    "announce",
]
NOUNS = [
    "oil concession",
    "land reform",
    "party organization",
    "trade agreement",
    "military mission",
    "border commission",
    "printing house",
    "agricultural plan",
    "railway construction",
    "radio broadcasts",
    "democratic movement",
    "workers' union",
    "grain deliveries",
    "elections",
    "national question",
    "school program",
    "textile factory",
    "credit agreement",
    "defense treaty",
    "consular office",
    "refugee question",
    "air force",
    "naval base",
    "geological survey",
    "cultural exchange",
    "youth festival",
    "five-year plan",
]
ADJECTIVES = [
    "reactionary",
    "progressive",
    "difficult",
    "tense",
    "favorable",
    "uncertain",
    "ruling",
    "democratic",
    "military",
    "economic",
    "political",
    "foreign",
    "local",
    "national",
]
TRANSCRIPT_SENTENCES = [
    "Центральный Комитет считает необходимым усилить работу партийной организации.",
    "Сообщаю, что совещание состоялось в указанный срок.",
    "Прошу сообщить ваше мнение по данному вопросу.",
    "Положение в районе остаётся напряжённым.",
    "Поручить товарищам подготовить проект постановления.",
    "Совершенно секретно. Экземпляр единственный.",
]
MONTHS = MONTH_NAMES


# Helpers -----------------------------------------------------------------------------------------


def zipf_cum_weights(count, exponent=1.0):
    """Cumulative weights that make low indexes common and high ones rare, as in real archives."""
    total, weights = 0.0, []
    for rank in range(1, count + 1):
        total += 1.0 / rank**exponent
        weights.append(total)
    return weights


def pick(rng, population, cum_weights):
    return population[bisect(cum_weights, rng.random() * cum_weights[-1])]


def pick_distinct(rng, population, cum_weights, count):
    chosen, seen = [], set()
    for _attempt in range(count * 6):
        item = pick(rng, population, cum_weights)
        if item not in seen:
            seen.add(item)
            chosen.append(item)
            if len(chosen) == count:
                break
    return chosen


@cache
def date_bounds(edtf):
    parsed = parse_edtf(edtf)
    return parsed.start, parsed.end


def make_variant(rng, name):
    """Spell a name another way, as another transliteration system or a typist would."""
    swaps = [pair for pair in TRANSLITERATION_SWAPS if pair[0] in name]
    rng.shuffle(swaps)
    for written, other in swaps[: rng.randint(1, 2)]:
        index = name.find(written)
        name = name[:index] + other + name[index + len(written) :]
    return name


def swap_letters(rng, name):
    """A typist's slip: two neighbouring letters exchanged ("Bagriov" for "Bagirov")."""
    letters = [i for i in range(1, len(name) - 1) if name[i].isalpha() and name[i + 1].isalpha()]
    if not letters:
        return name
    i = rng.choice(letters)
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :]


# The plan: everything decided up front from the seed ---------------------------------------


@dataclass
class PersonPlan:
    name: str
    sort_name: str
    slug: str
    birth_year: int | None
    death_year: int | None
    variants: list = field(default_factory=list)  # (name, kind)


@dataclass
class Plan:
    """The shared authorities of a generated archive; documents are drawn from it one by one."""

    seed: int
    documents: int
    people: list
    person_weights: list
    translators: list
    collections: list
    collection_weights: list
    subjects: list
    subject_weights: list
    places: list
    place_weights: list
    years: list
    year_weights: list
    sentences: list


def build_plan(*, documents, seed, person_slug_offset=0):
    rng = random.Random(seed)
    people = []
    person_count = max(10, documents // 5)
    names_seen = set()
    for index in range(person_count):
        for _attempt in range(20):
            first = rng.choice(FIRST_NAMES)
            initial = rng.choice(INITIALS)
            surname = rng.choice(SURNAMES)
            candidate = f"{first} {initial}. {surname}"
            if candidate not in names_seen:
                break
        else:
            candidate = f"{first} {initial}. {surname} {index}"
        names_seen.add(candidate)
        birth = rng.randint(1860, 1950) if rng.random() < 0.6 else None
        death = birth + rng.randint(30, 90) if birth and rng.random() < 0.8 else None
        plan = PersonPlan(
            name=candidate,
            sort_name=f"{surname}, {first} {initial}.",
            slug=f"{slugify(candidate)[:180]}-{person_slug_offset + index + 1}",
            birth_year=birth,
            death_year=death,
        )
        variant_names = {candidate}
        wanted = rng.choices([0, 1, 2, 3], weights=[25, 40, 25, 10])[0]
        for _v in range(wanted * 2):
            if len(plan.variants) == wanted:
                break
            roll = rng.random()
            if roll < 0.55:
                variant, kind = make_variant(rng, candidate), PersonName.Kind.TRANSLITERATION
            elif roll < 0.75:
                variant, kind = f"{initial}. {surname}", PersonName.Kind.VARIANT
            elif roll < 0.9:
                variant, kind = swap_letters(rng, candidate), PersonName.Kind.MISSPELLING
            else:
                variant, kind = f"{first} {surname}", PersonName.Kind.FULL
            if variant not in variant_names:
                variant_names.add(variant)
                plan.variants.append((variant, kind))
        people.append(plan)
    collections = []
    for theme, suffix in itertools.product(COLLECTION_THEMES, COLLECTION_SUFFIXES):
        collections.append(f"{theme}{suffix}")
    collections = collections[:COLLECTION_COUNT]
    subjects = [
        f"{base} -- {aspect}" if aspect else base
        for aspect in SUBJECT_ASPECTS
        for base in SUBJECT_BASES
    ][:SUBJECT_COUNT]
    places = list(dict.fromkeys(REAL_PLACES))
    place_rng = random.Random(seed + 1)
    while len(places) < PLACE_COUNT:
        made = (
            place_rng.choice(PLACE_PREFIXES)
            + place_rng.choice(PLACE_ROOTS)
            + place_rng.choice(PLACE_SUFFIXES)
        ).capitalize()
        if made not in places:
            places.append(made)
    years = list(range(1917, 1992))
    # Most documents come from the early Cold War; a long tail on both sides.
    year_weights = list(
        itertools.accumulate(0.3 + math.exp(-(((year - 1953) / 14.0) ** 2)) for year in years)
    )
    sentences = []
    sentence_rng = random.Random(seed + 2)
    sample_people = [p.name for p in people[:200]]
    for _s in range(3000):
        template = sentence_rng.choice(SENTENCE_TEMPLATES)
        sentences.append(
            template.format(
                verb=sentence_rng.choice(VERBS),
                noun=sentence_rng.choice(NOUNS),
                adj=sentence_rng.choice(ADJECTIVES),
                place=sentence_rng.choice(places[:150]),
                person=sentence_rng.choice(sample_people),
                day=sentence_rng.randint(1, 28),
                month=sentence_rng.choice(MONTHS),
                num=sentence_rng.randint(1, 30),
            )
        )
    return Plan(
        seed=seed,
        documents=documents,
        people=people,
        person_weights=zipf_cum_weights(len(people), 0.8),
        translators=list(TRANSLATORS),
        collections=collections,
        collection_weights=zipf_cum_weights(len(collections), 0.7),
        subjects=subjects,
        subject_weights=zipf_cum_weights(len(subjects), 0.9),
        places=places,
        place_weights=zipf_cum_weights(len(places), 1.0),
        years=years,
        year_weights=year_weights,
        sentences=sentences,
    )


@dataclass
class DocumentPlan:
    record_id: int
    title: str
    date_text: str
    date_edtf: str
    type_name: str
    summary: str
    text: str
    transcript: str
    languages: list
    classification: str
    repository: str
    reference: str
    people: list  # (person index, role, name as written)
    collections: list
    subjects: list
    places: list
    funders: list
    rights: str
    status: str


def plan_date(rng, plan):
    """A date as written and its EDTF; about 15% are month-only, approximate, ranged or undated."""
    year = pick(rng, plan.years, plan.year_weights)
    roll = rng.random()
    if roll < 0.85:
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        edtf = f"{year:04d}-{month:02d}-{day:02d}"
        style = rng.random()
        if style < 0.6:
            return f"{MONTHS[month - 1]} {day}, {year}", edtf
        if style < 0.9:
            return f"{day} {MONTHS[month - 1]} {year}", edtf
        return edtf, edtf
    if roll < 0.90:
        month = rng.randint(1, 12)
        return f"{MONTHS[month - 1]} {year}", f"{year:04d}-{month:02d}"
    if roll < 0.93:
        return f"circa {year}", f"{year:04d}~"
    if roll < 0.96:
        end = min(year + rng.randint(1, 3), 1991)
        if end == year:
            return str(year), f"{year:04d}"
        return f"{year}-{end}", f"{year:04d}/{end:04d}"
    if roll < 0.97:
        decade = year // 10
        return f"{decade}0s", f"{decade:03d}X"
    return "undated", ""


def plan_reference(rng, style):
    if style == "soviet":
        first = rng.randint(1, 400)
        return (
            f"f. {rng.randint(1, 9999)}, op. {rng.randint(1, 120)}, d. {rng.randint(1, 2000)}, "
            f"ll. {first:04d}-{first + rng.randint(1, 12):04d}"
        )
    if style == "german":
        return f"DY 30/J IV 2/2/{rng.randint(1, 1500)}, Bl. {rng.randint(1, 300)}"
    if style == "nara":
        return f"RG {rng.randint(59, 500)}, Box {rng.randint(1, 900)}"
    return f"File No. {rng.randint(100, 120)}-{rng.randint(0, 9999):05d}-{rng.randint(1, 20):02d}"


def plan_document(rng, plan, record_id):
    """Decide one document; every random draw comes from `rng`, so the seed fixes it."""
    date_text, edtf = plan_date(rng, plan)
    type_name = DOCUMENT_TYPES[min(int(rng.expovariate(0.45)), len(DOCUMENT_TYPES) - 1)]

    people = []
    total = rng.randint(3, 8)
    indexes = pick_distinct(rng, range(len(plan.people)), plan.person_weights, total)
    roles = [Contribution.Role.AUTHOR, Contribution.Role.RECIPIENT]
    roles += rng.choices(
        [Contribution.Role.AUTHOR, Contribution.Role.RECIPIENT, Contribution.Role.COPIED_TO]
        + [Contribution.Role.MENTIONED] * 3,
        k=max(0, len(indexes) - 3),
    )
    for index, role in zip(indexes, roles, strict=False):
        person = plan.people[index]
        written = person.name
        if person.variants and rng.random() < 0.3:
            written = rng.choice(person.variants)[0]
        people.append((index, role, written))
    # The last of the 3-8 people is a credited scholar: a translator, sometimes a contributor.
    translator = rng.choice(plan.translators)
    credit_role = (
        Contribution.Role.TRANSLATOR if rng.random() < 0.8 else Contribution.Role.CONTRIBUTOR
    )
    people.append((("translator", translator), credit_role, translator))

    authors = [w for _i, r, w in people if r == Contribution.Role.AUTHOR]
    recipients = [w for _i, r, w in people if r == Contribution.Role.RECIPIENT]
    if type_name in ("Telegram", "Cable"):
        title = f"{type_name} from {authors[0]} to {recipients[0]}"
    elif type_name == "Letter":
        title = f"Letter, {authors[0]} to {recipients[0]}"
    elif type_name == "Memorandum of Conversation":
        title = f"Memorandum of Conversation between {authors[0]} and {recipients[0]}"
    else:
        noun = rng.choice(NOUNS)
        title = f"{type_name} by {authors[0]} on the {noun}"
    if rng.random() < 0.02:
        title = swap_letters(rng, title)  # typos in titles are kept as the source gives them

    target = int(min(19_000, max(1_100, rng.lognormvariate(math.log(4_000), 0.7))))
    header = (
        f"Outgoing No {rng.randint(100, 99999)}\n"
        f"To {recipients[0]}\nFrom {authors[0]}\n\nCommittee business."
    )
    pieces, size = [header], len(header)
    sentences = plan.sentences
    while size < target:
        paragraph = " ".join(rng.choices(sentences, k=rng.randint(3, 7)))
        pieces.append(paragraph)
        size += len(paragraph) + 2
    if rng.random() < MID_TERM_SHARE:
        pieces.insert(2, "The question of uranium deliveries was raised again.")
    if rng.random() < RARE_TERM_SHARE:
        pieces.insert(2, "The operation received the code name Zarnitsa.")
    if rng.random() < PHRASE_SHARE:
        pieces.insert(2, "The delegation requested fraternal assistance from the Soviet Union.")
    if rng.random() < 0.05:
        pieces.append("[[illegible letters]] [SIC]")
    pieces.append(f"{authors[0]}")
    text = "\n\n".join(pieces)
    summary = " ".join(rng.choices(sentences, k=rng.randint(1, 3)))
    transcript = (
        "\n".join(rng.choices(TRANSCRIPT_SENTENCES, k=rng.randint(3, 12)))
        if rng.random() < 0.15
        else ""
    )

    language_count = rng.choices([0, 1, 2], weights=[10, 75, 15])[0]
    languages = rng.sample([name for name, _code in LANGUAGES[:6]], language_count)
    classification = ""
    if rng.random() < 0.6:
        classification = rng.choices(
            [c for c, _r in CLASSIFICATIONS], weights=[30, 35, 10, 15, 5, 5]
        )[0]
    repository = REPOSITORIES[min(int(rng.expovariate(0.35)), len(REPOSITORIES) - 1)]
    collection_count = rng.choices([1, 2, 3], weights=[60, 30, 10])[0]
    collections = pick_distinct(rng, plan.collections, plan.collection_weights, collection_count)
    subjects = pick_distinct(rng, plan.subjects, plan.subject_weights, rng.randint(1, 4))
    places = pick_distinct(rng, plan.places, plan.place_weights, rng.randint(0, 3))
    funders = []
    if rng.random() < 0.6:
        funders = rng.sample([name for name, abbr in ORGANIZATIONS if not abbr], rng.randint(1, 2))
    roll = rng.random()
    status = Status.PUBLISHED if roll < 0.9 else Status.DRAFT if roll < 0.97 else Status.WITHDRAWN
    return DocumentPlan(
        record_id=record_id,
        title=title,
        date_text=date_text,
        date_edtf=edtf,
        type_name=type_name,
        summary=summary,
        text=text,
        transcript=transcript,
        languages=languages,
        classification=classification,
        repository=repository[0],
        reference=plan_reference(rng, repository[3]),
        people=people,
        collections=collections,
        subjects=subjects,
        places=places,
        funders=funders,
        rights=RIGHTS[0][0] if rng.random() < 0.8 else "",
        status=status,
    )


def iter_document_plans(plan, *, first_record_id):
    # Documents draw from their own stream so the authorities do not shift them and vice versa.
    rng = random.Random(plan.seed * 1_000_003 + 7)
    for offset in range(plan.documents):
        yield plan_document(rng, plan, first_record_id + offset)


# Writing to the database ---------------------------------------------------------------------


def ensure_terms(model, names, **defaults_by_name):
    """Return {name: pk}, creating missing rows with `bulk_create` (slugs made unique by suffix)."""
    existing = dict(model.objects.filter(name__in=names).values_list("name", "pk"))
    missing = [name for name in names if name not in existing]
    if missing:
        taken = set(model.objects.values_list("slug", flat=True))
        rows = []
        for name in missing:
            slug = base = slugify(name)[:190] or model._meta.model_name
            n = 1
            while slug in taken:
                n += 1
                slug = f"{base}-{n}"
            taken.add(slug)
            rows.append(model(name=name, slug=slug, **defaults_by_name.get(name, {})))
        model.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        existing = dict(model.objects.filter(name__in=names).values_list("name", "pk"))
    return existing


def ensure_authorities(plan, *, stdout):
    """Create (or find) the vocabularies, repositories, funders, rights and collections."""
    lookups = {}
    lookups["type"] = ensure_terms(DocumentType, DOCUMENT_TYPES)
    lookups["classification"] = ensure_terms(
        Classification,
        [name for name, _rank in CLASSIFICATIONS],
        **{name: {"rank": rank} for name, rank in CLASSIFICATIONS},
    )
    lookups["subject"] = ensure_terms(Subject, plan.subjects)
    lookups["place"] = ensure_terms(Place, plan.places)
    for name, code in LANGUAGES:
        if not Language.objects.filter(models.Q(name=name) | models.Q(code=code)).exists():
            Language.objects.create(name=name, code=code)
    lookups["language"] = dict(Language.objects.values_list("name", "pk"))
    for name, abbreviation in ORGANIZATIONS:
        Organization.objects.get_or_create(name=name, defaults={"abbreviation": abbreviation})
    lookups["organization"] = dict(Organization.objects.values_list("name", "pk"))
    has_default = RightsStatement.objects.filter(is_default=True).exists()
    for index, (title, text, uri) in enumerate(RIGHTS):
        RightsStatement.objects.get_or_create(
            title=title,
            defaults={
                "text": text,
                "uri": uri,
                "contact_text": "Please contact the archive for permission to republish.",
                "is_default": index == 0 and not has_default,
            },
        )
    lookups["rights"] = dict(RightsStatement.objects.values_list("title", "pk"))
    for abbreviation, name, place, _style in REPOSITORIES:
        Repository.objects.get_or_create(
            abbreviation=abbreviation, defaults={"name": name, "place": place}
        )
    lookups["repository"] = dict(Repository.objects.values_list("abbreviation", "pk"))
    existing = dict(
        Collection.objects.filter(title__in=plan.collections).values_list("title", "pk")
    )
    taken = set(Collection.objects.values_list("slug", flat=True))
    new = []
    for index, title in enumerate(plan.collections):
        if title in existing:
            continue
        slug = base = slugify(title)[:190]
        n = 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        new.append(
            Collection(
                title=title,
                slug=slug,
                description=(
                    f"Documents on {title.lower()}, drawn from archives in Moscow, Baku, "
                    "Beijing, Berlin and elsewhere, translated for the archive."
                ),
                image_caption="Delegates at the conference table" if index % 3 == 0 else "",
                # A few collections are still being prepared by curators.
                status=Status.DRAFT if index % 17 == 16 else Status.PUBLISHED,
            )
        )
    Collection.objects.bulk_create(new)
    lookups["collection"] = dict(
        Collection.objects.filter(title__in=plan.collections).values_list("title", "pk")
    )
    return lookups


def create_people(plan):
    """Insert the planned people and their variant names; return the person pks in plan order."""
    pks = []
    for start in range(0, len(plan.people), BATCH_SIZE):
        batch = plan.people[start : start + BATCH_SIZE]
        with transaction.atomic():
            created = Person.objects.bulk_create(
                [
                    Person(
                        name=p.name,
                        sort_name=p.sort_name,
                        slug=p.slug,
                        birth_year=p.birth_year,
                        death_year=p.death_year,
                        name_key=name_key(p.name),
                        sound_key=sound_key(p.name),
                    )
                    for p in batch
                ]
            )
            PersonName.objects.bulk_create(
                [
                    PersonName(
                        person_id=person.pk,
                        name=variant,
                        kind=kind,
                        name_key=name_key(variant),
                        sound_key=sound_key(variant),
                    )
                    for person, p in zip(created, batch, strict=True)
                    for variant, kind in p.variants
                ]
            )
        pks.extend(person.pk for person in created)
    return pks


def ensure_translators(plan):
    pks = {}
    for name in plan.translators:
        person = Person.objects.filter(name=name).first()
        if person is None:
            person = Person(name=name)
            person.save()
        pks[name] = person.pk
    return pks


def insert_rows(model, columns, rows):
    """Insert plain tuples with one executemany: for link rows, the model layer is pure overhead."""
    if not rows:
        return
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        # COPY streams the rows in one command: many times faster than row-by-row INSERTs.
        table = quote(model._meta.db_table)
        names = ", ".join(quote(c) for c in columns)
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def first_published(rng_value, year):
    """A deterministic first-publication moment between 2008 and 2024."""
    base = dt.datetime(2008, 1, 1, tzinfo=dt.UTC)
    return base + dt.timedelta(seconds=int(rng_value * 16 * 365 * 86400) + year)


def write_documents(plan, lookups, person_pks, translator_pks, *, first_record_id, stdout):
    through = {
        "language": Document.languages.through,
        "subject": Document.subjects.through,
        "place": Document.places.through,
        "collection": Collection.documents.through,
        "related": Document.related.through,
    }
    featured = {pk: [] for pk in lookups["collection"].values()}
    plans = iter_document_plans(plan, first_record_id=first_record_id)
    written = 0
    started = time.monotonic()
    previous_pk = None
    cwihp = lookups["organization"]["Cold War International History Project"]
    while True:
        batch = list(itertools.islice(plans, BATCH_SIZE))
        if not batch:
            break
        with transaction.atomic():
            documents = []
            for d in batch:
                start, end = date_bounds(d.date_edtf)
                documents.append(
                    Document(
                        record_id=d.record_id,
                        title=d.title,
                        slug=f"{slugify(d.title)[:180].strip('-')}-{d.record_id}",
                        date_text=d.date_text,
                        date_edtf=d.date_edtf,
                        date_start=start,
                        date_end=end,
                        document_type_id=lookups["type"][d.type_name],
                        summary=d.summary,
                        text=d.text,
                        transcript=d.transcript,
                        classification_id=lookups["classification"].get(d.classification),
                        rights_id=lookups["rights"].get(d.rights),
                        status=d.status,
                        first_published_at=(
                            first_published((d.record_id * 7919 % 10007) / 10007, d.record_id)
                            if d.status != Status.DRAFT
                            else None
                        ),
                    )
                )
            created = Document.objects.bulk_create(documents)
            contributions, citations, fundings = [], [], []
            links = {name: [] for name in through}
            for document, d in zip(created, batch, strict=True):
                pk = document.pk
                for order, (who, role, written_as) in enumerate(d.people):
                    if isinstance(who, tuple):
                        person_pk, display = translator_pks[who[1]], who[1]
                    else:
                        person_pk, display = person_pks[who], plan.people[who].name
                    contributions.append(
                        (
                            pk,
                            person_pk,
                            role,
                            "" if written_as == display else written_as,
                            order,
                            cwihp if role == Contribution.Role.CONTRIBUTOR else None,
                        )
                    )
                parts = parse_reference(d.reference)
                citations.append(
                    (
                        pk,
                        lookups["repository"][d.repository],
                        d.reference,
                        parts.fond,
                        parts.opis,
                        parts.delo,
                        parts.folios,
                        0,
                    )
                )
                for order, funder in enumerate(d.funders):
                    fundings.append((pk, lookups["organization"][funder], True, order))
                links["language"] += [(pk, lookups["language"][n]) for n in d.languages]
                links["subject"] += [(pk, lookups["subject"][n]) for n in d.subjects]
                links["place"] += [(pk, lookups["place"][n]) for n in d.places]
                for title in d.collections:
                    collection_pk = lookups["collection"][title]
                    links["collection"].append((collection_pk, pk))
                    if d.status == Status.PUBLISHED and len(featured[collection_pk]) < 5:
                        featured[collection_pk].append(pk)
                # Every twentieth document is related to the one before it, both ways.
                if previous_pk is not None and d.record_id % 20 == 0:
                    links["related"] += [(pk, previous_pk), (previous_pk, pk)]
                previous_pk = pk
            insert_rows(
                Contribution,
                ["document_id", "person_id", "role", "name_as_written", "order", "on_behalf_of_id"],
                contributions,
            )
            insert_rows(
                Citation,
                [
                    "document_id",
                    "repository_id",
                    "reference",
                    "fond",
                    "opis",
                    "delo",
                    "folios",
                    "order",
                ],
                citations,
            )
            insert_rows(Funding, ["document_id", "organization_id", "credited", "order"], fundings)
            insert_rows(through["language"], ["document_id", "language_id"], links["language"])
            insert_rows(through["subject"], ["document_id", "subject_id"], links["subject"])
            insert_rows(through["place"], ["document_id", "place_id"], links["place"])
            insert_rows(
                through["collection"], ["collection_id", "document_id"], links["collection"]
            )
            insert_rows(
                through["related"], ["from_document_id", "to_document_id"], links["related"]
            )
        written += len(batch)
        if written % (BATCH_SIZE * 10) == 0 or written == plan.documents:
            rate = written / max(time.monotonic() - started, 1e-9)
            stdout.write(f"  {written:,} documents ({rate:,.0f}/s)")
    FeaturedDocument.objects.bulk_create(
        [
            FeaturedDocument(collection_id=collection_pk, document_id=document_pk, order=order)
            for collection_pk, document_pks in featured.items()
            if not FeaturedDocument.objects.filter(collection_id=collection_pk).exists()
            for order, document_pk in enumerate(document_pks)
        ]
    )


class ResolvedNames:
    """People's cells as staff write them once they have answered the import's questions.

    The import refuses a name that differs from someone else's only by a transliteration
    ("Ahmad Y. Aliev" / "Ahmad I. Aliev") and a name two people share, until staff decide in the
    cell (issue 5). The generated people are distinct, so the first mention of one whose name
    sounds like a person already in the archive or earlier in the file says `[new]`, and a name
    shared by several people in the archive names the one meant with `[#id]`. The cells are
    therefore right for the database the file is generated against.
    """

    def __init__(self):
        self.exact = {}  # name key -> person ids (or "new" for people first named in the file)
        self.sounds = set()
        for model, person in ((Person, "pk"), (PersonName, "person_id")):
            for pid, key, sound in model.objects.values_list(person, "name_key", "sound_key"):
                self.exact.setdefault(key, set()).add(pid)
                self.sounds.add(sound)
        self.cells = {}

    def cell(self, name):
        found = self.cells.get(name)
        if found is None:
            found = self.cells[name] = self._decide(name)
        return found

    def _decide(self, name):
        key, sound = name_key(name), sound_key(name)
        people = self.exact.get(key)
        if people and len(people) > 1:
            return f"{name} [#{min(people)}]"
        if people:
            return name
        self.exact[key] = {"new"}
        likely = sound in self.sounds
        self.sounds.add(sound)
        return f"{name} [new]" if likely else name


def write_csv(plan, path, *, first_record_id):
    """Write the planned documents as an import spreadsheet, one row per document."""
    names = ResolvedNames()
    role_columns = {
        Contribution.Role.AUTHOR: "authors",
        Contribution.Role.RECIPIENT: "recipients",
        Contribution.Role.COPIED_TO: "copied_to",
        Contribution.Role.MENTIONED: "mentioned",
        Contribution.Role.TRANSLATOR: "translators",
        Contribution.Role.CONTRIBUTOR: "contributors",
    }
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        for d in iter_document_plans(plan, first_record_id=first_record_id):
            by_column = {column: [] for column in role_columns.values()}
            for who, role, written_as in d.people:
                # A spelling the import has never seen for a person new in the same file is,
                # by design, a likely match that staff must decide; the benchmark file names
                # people as the archive does, so it measures import speed, not refusals.
                name = written_as if isinstance(who, tuple) else plan.people[who].name
                by_column[role_columns[role]].append(names.cell(name))
            row = {
                "record_id": d.record_id,
                "title": d.title,
                "date": d.date_text,
                "type": d.type_name,
                "summary": d.summary,
                "text": d.text,
                "transcript": d.transcript,
                "languages": ";".join(d.languages),
                "classification": d.classification,
                "repository": d.repository,
                "source": d.reference,
                "collections": ";".join(d.collections),
                "subjects": ";".join(d.subjects),
                "places": ";".join(d.places),
                "funders": ";".join(d.funders),
                "rights": d.rights,
                "status": d.status,
                **{column: ";".join(names) for column, names in by_column.items()},
            }
            writer.writerow([row[column] for column in CSV_COLUMNS])


def reset_sequences():
    """Move PostgreSQL's id sequences past rows loaded with explicit ids (fixtures, seeds)."""
    from django.apps import apps
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(
        no_style(),
        [m for m in apps.get_models() if m._meta.app_label in ("documents", "collections")],
    )
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def rebuild_search_index(stdout):
    """Bulk inserts skip save(): let the site's own search-index command catch up, if it has one."""
    from django.core.management import call_command

    for name in ("rebuild_search_index", "update_search_index", "rebuild_search"):
        if name in get_commands():
            stdout.write(f"Running {name} ...")
            call_command(name)
            return name
    return None


class Command(BaseCommand):
    help = (
        "Generate a realistic archive of N documents (same seed, same archive) for benchmarks, "
        "or with --csv write an import spreadsheet of N rows instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("--documents", type=int, required=True, help="How many documents.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--csv",
            metavar="FILE",
            help=(
                "Write an import spreadsheet of N rows to FILE instead of the database; people "
                "are marked [new] or [#id] where this database would otherwise refuse the name."
            ),
        )
        parser.add_argument(
            "--first-record-id",
            type=int,
            help="Record ID of the first document (default: one above the highest in use).",
        )

    def handle(self, *args, **options):
        # Reads that decide what to write must see the primary, never a lagging replica.
        with use_primary():
            self.generate(**options)

    def generate(self, *, documents, seed, csv, first_record_id, **options):
        if documents < 1:
            raise CommandError("--documents must be at least 1.")
        highest = Document.objects.aggregate(m=models.Max("record_id"))["m"] or 0
        if first_record_id is None:
            first_record_id = highest + 1
        started = time.monotonic()
        if csv:
            plan = build_plan(documents=documents, seed=seed)
            write_csv(plan, csv, first_record_id=first_record_id)
            self.stdout.write(
                f"Wrote {documents:,} rows to {csv} in {time.monotonic() - started:.1f} s."
            )
            return
        clash = Document.objects.filter(
            record_id__gte=first_record_id, record_id__lt=first_record_id + documents
        )
        if clash.exists():
            raise CommandError(
                f"Record IDs {first_record_id}-{first_record_id + documents - 1} are partly "
                "in use; "
                "choose another --first-record-id."
            )
        reset_sequences()
        person_offset = Person.objects.aggregate(m=models.Max("pk"))["m"] or 0
        plan = build_plan(documents=documents, seed=seed, person_slug_offset=person_offset)
        self.stdout.write(
            f"Generating {documents:,} documents and {len(plan.people):,} people "
            f"(seed {seed}) on {connection.vendor} ..."
        )
        lookups = ensure_authorities(plan, stdout=self.stdout)
        person_pks = create_people(plan)
        translator_pks = ensure_translators(plan)
        write_documents(
            plan,
            lookups,
            person_pks,
            translator_pks,
            first_record_id=first_record_id,
            stdout=self.stdout,
        )
        note_record_id_used(first_record_id + documents - 1)
        rebuild_search_index(self.stdout)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        else:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        invalidate_public_pages()
        self.stdout.write(
            f"Generated {documents:,} documents in {time.monotonic() - started:.1f} s."
        )
