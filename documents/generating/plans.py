"""Plan every record of a generated archive from its seed: the same seed, the same archive."""

from __future__ import annotations

import itertools
import math
import random
from bisect import bisect
from dataclasses import dataclass, field
from functools import cache

from documents.authorities.terms import NEW, Entry, TermMatcher
from documents.generating.words import (
    ADJECTIVES,
    CLASSIFICATIONS,
    COLLECTION_COUNT,
    COLLECTION_SUFFIXES,
    COLLECTION_THEMES,
    DOCUMENT_TYPES,
    FIRST_NAMES,
    INITIALS,
    LANGUAGES,
    MID_TERM_SHARE,
    MONTHS,
    NOUNS,
    ORGANIZATIONS,
    PHRASE_SHARE,
    PLACE_COUNT,
    PLACE_PREFIXES,
    PLACE_ROOTS,
    PLACE_SUFFIXES,
    RARE_TERM_SHARE,
    REAL_PLACES,
    REPOSITORIES,
    RIGHTS,
    SENTENCE_TEMPLATES,
    SUBJECT_ASPECTS,
    SUBJECT_BASES,
    SUBJECT_COUNT,
    SURNAMES,
    TRANSCRIPT_SENTENCES,
    TRANSLATORS,
    TRANSLITERATION_SWAPS,
    VERBS,
)
from documents.models import (
    Contribution,
    PersonName,
    Status,
)
from documents.parsing.dates import parse_edtf


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


def build_plan(*, documents, seed):
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

    # Vocabularies as a well-kept archive has them: no entry a near match of another (the
    # policy's NEAR), so that the generated spreadsheets import without a question.
    def distinct(kept, name):
        if kept.decide(name).kind != NEW:
            return False
        kept.add(Entry(len(kept.entries) + 1, name))
        return True

    kept_collections = TermMatcher("collection", [])
    collections = []
    for pattern, theme in itertools.product(COLLECTION_SUFFIXES, COLLECTION_THEMES):
        if len(collections) < COLLECTION_COUNT and distinct(
            kept_collections, pattern.format(theme)
        ):
            collections.append(pattern.format(theme))
    subjects = [
        f"{base} -- {aspect}" if aspect else base
        for aspect in SUBJECT_ASPECTS
        for base in SUBJECT_BASES
    ][:SUBJECT_COUNT]
    places = list(dict.fromkeys(REAL_PLACES))
    kept_places = TermMatcher("place", [Entry(n, p) for n, p in enumerate(places, start=1)])
    # The same places whatever the seed: archives generated with other seeds share their
    # vocabulary, as an archive and the spreadsheets exported from it do.
    place_rng = random.Random(1)
    while len(places) < PLACE_COUNT:
        made = (
            place_rng.choice(PLACE_PREFIXES)
            + place_rng.choice(PLACE_ROOTS)
            + place_rng.choice(PLACE_SUFFIXES)
        ).capitalize()
        if made not in places and distinct(kept_places, made):
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
