"""The issue-12 proof sheet: the archive it is imported into, and what a curator means by it.

`files/authorities-proof.csv` holds 67 catalogue records of 1944-1947 written the way sources of
this kind write names; `files/authorities-proof-people.csv` says which real person each written
name means. The archive before the import is the seed fixtures (`load_seeds`) plus what
`set_up_archive` adds: A. A. Gromyko (whose son Anatoly the sheet also names) and the record
"... opening of the National Assembly in Tabriz" dated "12 December 1945", which the sheet
repeats as "December 12, 1945".

From these two files this module works out the answer a careful curator gives to each of the
import's questions (`right_answer`), so that a test can count how many proposed answers the
curator had to change, and checks the result the way a curator would look at it: one Person per
real person, every document linked to the people its cells name, near-duplicate vocabulary
linked to the entry it meant (`check_archive`).
"""

import csv
from collections import Counter, defaultdict
from pathlib import Path

from archive_collections.models import Collection
from documents.authorities.matching import read_cell
from documents.models import (
    Classification,
    Contribution,
    Document,
    DocumentType,
    Organization,
    Person,
    PersonName,
    Place,
    Subject,
)
from documents.spreadsheets.cells import split_cell

FILES = Path(__file__).resolve().parent / "files"
SHEET = FILES / "authorities-proof.csv"
PEOPLE = FILES / "authorities-proof-people.csv"

# The sheet's people columns and the role each one gives.
ROLES = {
    "authors": Contribution.Role.AUTHOR,
    "recipients": Contribution.Role.RECIPIENT,
    "copied_to": Contribution.Role.COPIED_TO,
    "mentioned": Contribution.Role.MENTIONED,
    "translators": Contribution.Role.TRANSLATOR,
    "contributors": Contribution.Role.CONTRIBUTOR,
}

# The record the archive holds before the import, which the sheet repeats with another date form.
REPEATED_TITLE = (
    "Telegram, M. D. Bagirov to I. V. Stalin on the opening of the National Assembly in Tabriz"
)
# A different record with a similar title and another date: never a question.
SIMILAR_TITLE = (
    "Telegram, M. D. Bagirov to I. V. Stalin on the elections to the National Assembly in Tabriz"
)

# How the import names the vocabulary of funders (and of those credits are for) in questions.
FUNDER = "funder or other organization"
# Near-duplicate vocabulary in the sheet -> the entry the curator meant (kind, as the API names it).
NEAR_VALUES = {
    ("collection", "Iran-Soviet Relatons"): "Iran-Soviet Relations",
    ("collection", "Iran’s Tudeh Party"): "Iran's Tudeh Party",
    ("subject", "Iran crisis 1946"): "Iran Crisis, 1946",
    ("subject", "Oil concession"): "Oil concessions",
    ("subject", "Azerbaijan Peoples Government"): "Azerbaijan People's Government",
    ("subject", "Soviet Troops in Iran"): "Soviet troops in Iran",
    ("subject", "Tudeh party of Iran"): "Tudeh Party of Iran",
    ("place", "Teheran"): "Tehran",
    # Both new in the file: the second spelling is the entry the first one creates.
    ("place", "Ardebil"): "Ardabil",
    (FUNDER, "MacArthur Fdn."): "MacArthur Foundation",
    ("document type", "Telegrams"): "Telegram",
    ("classification", "Top secret"): "Top Secret",
}
# A subject that is the name of a place the archive has: the curator meant the place.
SUBJECT_THAT_IS_A_PLACE = "Tabriz"
# Values new to the archive and near no entry: created, never asked about.
NEW_VALUES = {
    ("collection", "Soviet Oil Concession in Northern Iran, 1944"),
    ("subject", "Kurdish Republic of Mahabad"),
    ("subject", "Land reform"),
    ("subject", "UN Security Council"),
    ("place", "Mahabad"),
    ("place", "Ardabil"),
    ("place", "Zanjan"),
    ("place", "Mazandaran"),
    ("place", "New York"),
    ("document type", "Memorandum"),
    ("document type", "Report"),
    ("document type", "Note"),
    ("document type", "Speech"),
    ("document type", "Record of Conversation"),
    ("classification", "Secret"),
    ("language", "Kurdish"),
}
# Two people who share a surname: each must stay a Person of their own.
NEAR_PAIRS = [
    ("andrei-gromyko", "anatoly-gromyko"),
    ("mohammad-reza-pahlavi", "ashraf-pahlavi"),
    ("mohammad-reza-pahlavi", "reza-shah-pahlavi"),
    ("beria", "biriya"),
]
VOCABULARY_MODELS = {
    "collection": (Collection, "title"),
    "subject": (Subject, "name"),
    "place": (Place, "name"),
    FUNDER: (Organization, "name"),
    "document type": (DocumentType, "name"),
    "classification": (Classification, "name"),
}


def rows():
    """The sheet's records, as {column: cell}, with their row number as the spreadsheet shows it."""
    with SHEET.open(encoding="utf-8", newline="") as handle:
        return [(number, row) for number, row in enumerate(csv.DictReader(handle), start=2)]


def people_map():
    """written name -> real-person label, for every name the sheet writes (and the identified)."""
    labels = {}
    with PEOPLE.open(encoding="utf-8", newline="") as handle:
        for line in csv.DictReader(handle):
            cell = read_cell(line["written"])
            labels[line["written"]] = labels[cell.name] = line["person"]
            if cell.identified:
                labels[cell.identified] = line["person"]
    return labels


def written_people():
    """[(row number, column, cell as written)] for every person the sheet names."""
    return [
        (number, column, name)
        for number, row in rows()
        for column in ROLES
        for name in split_cell(row[column])
    ]


def set_up_archive():
    """Add to the seeds what this archive holds before the import; return {label: person id}."""
    from tests.factories import DocumentFactory

    gromyko = Person.objects.create(name="A. A. Gromyko", sort_name="Gromyko, A. A.")
    PersonName.objects.create(
        person=gromyko, name="Andrei Andreyevich Gromyko", kind=PersonName.Kind.FULL
    )
    DocumentFactory(
        title=REPEATED_TITLE,
        date_text="12 December 1945",
        document_type=DocumentType.objects.get(name="Telegram"),
        summary="The National Assembly of Azerbaijan opened in Tabriz.",
    )
    return archive_people()


def archive_people():
    """{label: person id} for the people in the archive whose display name the map knows."""
    labels = people_map()
    found = defaultdict(set)
    for pid, name in Person.objects.values_list("pk", "name"):
        if name in labels:
            found[labels[name]].add(pid)
    return {label: min(ids) for label, ids in found.items()}


def right_answer(question, before):
    """The answer a careful curator gives to `question`; `before` is `archive_people()` then."""
    labels = people_map()
    codes = [code for code, _label in question.choices]
    if question.kind == "person":
        label = labels[question.written]
        if label in before:
            return f"#{before[label]}"
        # Someone new in the file: one person with a spelling written earlier, if offered.
        for code in codes:
            if code.startswith("=") and labels.get(code[1:]) == label:
                return code
        return "new"
    if question.kind == "record":
        (record,) = Document.objects.filter(title=REPEATED_TITLE)
        return f"update:{record.record_id}"
    meant = NEAR_VALUES.get((question.kind, question.written))
    if question.kind == "subject" and question.written == SUBJECT_THAT_IS_A_PLACE:
        # The curator meant the place of that name: its answer is 'place#<id>'.
        place = Place.objects.get(name=SUBJECT_THAT_IS_A_PLACE)
        return f"place#{place.pk}"
    if meant is not None:
        for candidate in question.candidates:
            if (
                candidate.label in (meant, f"{meant} ({candidate.answer})")
                and candidate.answer in codes
            ):
                return candidate.answer
    return "new"


def right_answers(questions, before):
    return {q.key: right_answer(q, before) for q in questions}


def explicit_answers(questions, before):
    """The questions whose proposed answer the curator had to change: [(question, answer)]."""
    return [(q, answer) for q in questions if (answer := right_answer(q, before)) != q.proposed]


def records_per_person():
    """{label: number of Person records} for every real person the sheet names."""
    labels = people_map()
    wanted = set(labels[name] for _n, _c, name in written_people())
    count = Counter(
        labels[name] for name in Person.objects.values_list("name", flat=True) if name in labels
    )
    return {label: count.get(label, 0) for label in sorted(wanted)}


def wrong_links():
    """Where a document's people are not the people its cells name: [sentence]."""
    labels = people_map()
    names = dict(Person.objects.values_list("pk", "name"))
    problems = []
    for number, row in rows():
        documents = list(Document.objects.filter(title=row["title"]))
        if len(documents) != 1:
            continue  # check_archive reports a record missing or created twice
        (document,) = documents
        for column, role in ROLES.items():
            written = {labels[name] for name in split_cell(row[column])}
            linked = [
                labels.get(names[pid], f"?{names[pid]}")
                for pid in document.contributions.filter(role=role).values_list(
                    "person_id", flat=True
                )
            ]
            if sorted(linked) != sorted(written):
                problems.append(
                    f"Row {number}, {column}: the cell names {sorted(written)}, "
                    f"the record links {sorted(linked)}."
                )
    return problems


def check_archive(people_before):
    """What a curator would find wrong after importing the sheet: [sentence] (empty: nothing).

    `people_before` is the ids of the people in the archive before the import.
    """
    labels = people_map()
    problems = [
        f"{label} is {n} Person records." for label, n in records_per_person().items() if n != 1
    ]
    problems += [
        f"Person '{name}' (#{pid}) was created, but the sheet means nobody of that name."
        for pid, name in Person.objects.exclude(pk__in=people_before).values_list("pk", "name")
        if name not in labels
    ]
    problems += wrong_links()
    for (kind, written), meant in NEAR_VALUES.items():
        model, field = VOCABULARY_MODELS[kind]
        if model.objects.filter(**{field: written}).exists():
            problems.append(f"The {kind} '{written}' was created beside '{meant}'.")
    if Subject.objects.filter(name=SUBJECT_THAT_IS_A_PLACE).exists():
        problems.append(f"A subject '{SUBJECT_THAT_IS_A_PLACE}' was created beside the place.")
    for kind, value in NEW_VALUES:
        model, field = VOCABULARY_MODELS.get(kind, (None, None))
        if model is not None and not model.objects.filter(**{field: value}).exists():
            problems.append(f"The new {kind} '{value}' was not created.")
    if Document.objects.filter(title=REPEATED_TITLE).count() != 1:
        problems.append("The record repeated with another date form was created twice.")
    missing = {
        title
        for _n, row in rows()
        if not Document.objects.filter(title=(title := row["title"])).exists()
    }
    problems += [f"The record '{title}' was not imported." for title in sorted(missing)]
    return problems


def documents_of(label):
    """The record IDs of the published documents linked to the person `label` means."""
    labels = people_map()
    ids = [
        pid for pid, name in Person.objects.values_list("pk", "name") if labels.get(name) == label
    ]
    return set(
        Document.objects.published()
        .filter(contributions__person__in=ids)
        .values_list("record_id", flat=True)
    )
