"""Write a planned archive to the database in bulk, every derived field computed as save() would.

Rows go in through the bulk insert the import uses (`documents.models.bulk`), with slugs from
the one slug scheme (`documents.models.Slugs`) and record IDs from the one allocator
(`documents.models.record_ids`, reserved by the command).
"""

from __future__ import annotations

import datetime as dt
import itertools
import time

from django.db import connection, models, transaction

from archive_collections.models import Collection, FeaturedDocument
from documents.generating.plans import (
    date_bounds,
    iter_document_plans,
)
from documents.generating.words import (
    BATCH_SIZE,
    CLASSIFICATIONS,
    DOCUMENT_TYPES,
    LANGUAGES,
    ORGANIZATIONS,
    REPOSITORIES,
    RIGHTS,
)
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
    Slugs,
    Status,
    Subject,
)
from documents.models.bulk import insert_objects, insert_rows
from documents.parsing.names import name_key, sound_key

# Writing to the database ---------------------------------------------------------------------


def ensure_terms(model, names, **defaults_by_name):
    """Return {name: pk}, creating the missing rows in bulk."""
    existing = dict(model.objects.filter(name__in=names).values_list("name", "pk"))
    missing = [name for name in names if name not in existing]
    if missing:
        rows = [model(name=name, **defaults_by_name.get(name, {})) for name in missing]
        Slugs(model).assign(rows, missing)
        insert_objects(model, rows)
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
    new = []
    for index, title in enumerate(plan.collections):
        if title in existing:
            continue
        new.append(
            Collection(
                title=title,
                description=(
                    f"Documents on {title.lower()}, drawn from archives in Moscow, Baku, "
                    "Beijing, Berlin and elsewhere, translated for the archive."
                ),
                image_caption="Delegates at the conference table" if index % 3 == 0 else "",
                # A few collections are still being prepared by curators.
                status=Status.DRAFT if index % 17 == 16 else Status.PUBLISHED,
            )
        )
    Slugs(Collection).assign(new, [c.title for c in new])
    insert_objects(Collection, new)
    lookups["collection"] = dict(
        Collection.objects.filter(title__in=plan.collections).values_list("title", "pk")
    )
    return lookups


def create_people(plan):
    """Insert the planned people and their variant names; return the person pks in plan order."""
    pks = []
    slugs = Slugs(Person)
    for start in range(0, len(plan.people), BATCH_SIZE):
        batch = plan.people[start : start + BATCH_SIZE]
        with transaction.atomic():
            created = [
                Person(
                    name=p.name,
                    sort_name=p.sort_name,
                    birth_year=p.birth_year,
                    death_year=p.death_year,
                    name_key=name_key(p.name),
                    sound_key=sound_key(p.name),
                )
                for p in batch
            ]
            slugs.assign(created, [p.name for p in batch])
            insert_objects(Person, created, key="slug")
            insert_objects(
                PersonName,
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
                ],
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
    slugs = Slugs(Document)
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
            slugs.assign(documents, [d.title for d in batch])
            insert_objects(Document, documents, key="record_id")
            contributions, citations, fundings = [], [], []
            links = {name: [] for name in through}
            for document, d in zip(documents, batch, strict=True):
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
                citations.append(
                    Citation.row(pk, lookups["repository"][d.repository], d.reference, 0)
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
            insert_rows(Citation, Citation.ROW, citations)
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
    insert_objects(
        FeaturedDocument,
        [
            FeaturedDocument(collection_id=collection_pk, document_id=document_pk, order=order)
            for collection_pk, document_pks in featured.items()
            if not FeaturedDocument.objects.filter(collection_id=collection_pk).exists()
            for order, document_pk in enumerate(document_pks)
        ],
    )


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
