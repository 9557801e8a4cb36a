"""Merging duplicate people into one authority record, and undoing a merge."""

import reversion
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from reversion.models import Version

from documents import changes
from documents.models import (
    Contribution,
    Document,
    DocumentText,
    Person,
    PersonMerge,
    PersonName,
    PersonRedirect,
)
from documents.parsing.names import name_key

# The fields a curator chooses between when merging, in the order the merge page shows them.
MERGE_FIELDS = ["name", "sort_name", "birth_year", "death_year", "note", "wikidata_id", "viaf_id"]


class MergeError(ValueError):
    """A merge that cannot be made or undone; str() says why in a sentence."""


def merged_values(keep, people, take=None):
    """The field values the kept person will have: `take` maps a field to the person to copy."""
    take = take or {}
    values = {}
    for name in MERGE_FIELDS:
        source = take.get(name)
        if source is None:
            # Keep the kept person's value; fill a blank one from the first duplicate that has it.
            source = next((p for p in [keep, *people] if getattr(p, name) not in ("", None)), keep)
        values[name] = getattr(source, name)
    return values


def merge_preview(keep, *, duplicates, take=None):
    """Describe the merged person without changing anything: the page shows it before confirming."""
    duplicates = [d for d in duplicates if d.pk != keep.pk]
    values = merged_values(keep, duplicates, take)
    variants = _merged_variant_names(keep, duplicates, values["name"])
    people = [keep, *duplicates]
    documents = (
        Document.objects.filter(contributions__person__in=people).values("pk").distinct().count()
    )
    return {
        "values": values,
        "variants": variants,
        "document_count": documents,
        "redirects": [d.slug for d in duplicates],
    }


def _merged_variant_names(keep, duplicates, final_name):
    names = [final_name]
    for person in [keep, *duplicates]:
        names.append(person.name)
        names.extend(v.name for v in person.variants.all())
    seen, result = {final_name.casefold()}, []
    for name in names:
        if name.casefold() not in seen:
            seen.add(name.casefold())
            result.append(name)
    return result


@transaction.atomic
@changes.batch()
def merge_people(keep, *, duplicates, by, take=None):
    """Merge `duplicates` into `keep`: links move, names become variants, old addresses redirect.

    `take` maps a field of MERGE_FIELDS to the person whose value the kept record gets. The merge
    is one revision in the history and is recorded as a PersonMerge that `undo_merge` reverses.
    """
    duplicates = [d for d in duplicates if d.pk != keep.pk]
    if not duplicates:
        raise MergeError("Choose at least one duplicate to merge into the person you keep.")
    ids = [keep.pk, *(d.pk for d in duplicates)]
    locked = {p.pk: p for p in Person.objects.select_for_update().filter(pk__in=ids)}
    if len(locked) != len(ids):
        raise MergeError("One of these people has been deleted or merged since you chose them.")
    keep, duplicates = locked[keep.pk], [locked[d.pk] for d in duplicates]
    take = {name: locked[person.pk] for name, person in (take or {}).items() if person}
    summary = f"Merged {', '.join(f'“{d.name}”' for d in duplicates)} into “{keep.name}”."
    moved = list(Contribution.objects.filter(person__in=duplicates))
    # Further translations the duplicates made: repointed by _move_other_links, and kept as
    # they were in the revision before, so undoing the merge gives them back their translator.
    translated = list(DocumentText.objects.filter(translator__in=duplicates))

    # The state before the merge, so undoing it restores exactly what was there.
    with reversion.create_revision(atomic=False):
        reversion.set_user(by)
        reversion.set_comment(f"Before: {summary}")
        for person in [keep, *duplicates]:
            reversion.add_to_revision(person)
        for contribution in moved:
            reversion.add_to_revision(contribution)
        for text in translated:
            reversion.add_to_revision(text)
    before = Version.objects.get_for_object(keep).first().revision

    with reversion.create_revision(atomic=False):
        reversion.set_user(by)
        reversion.set_comment(summary)
        old_name = keep.name
        values = merged_values(keep, duplicates, take)
        for name, value in values.items():
            setattr(keep, name, value)
        affected = set()
        by_pk = {d.pk: d for d in duplicates}
        for contribution in moved:
            affected.add(contribution.document_id)
            spelled = by_pk[contribution.person_id].name
            existing = Contribution.objects.filter(
                document_id=contribution.document_id, person=keep, role=contribution.role
            ).first()
            if existing:
                # Both had this role here: keep one link and the spelling the document used.
                if not existing.name_as_written and spelled != values["name"]:
                    existing.name_as_written = contribution.name_as_written or spelled
                    existing.save()
                contribution.delete()
                continue
            contribution.person = keep
            if not contribution.name_as_written and spelled != values["name"]:
                contribution.name_as_written = spelled
            contribution.save()

        known = {name_key(values["name"])} | {name_key(v.name) for v in keep.variants.all()}
        for variant in PersonName.objects.filter(person__in=duplicates):
            if name_key(variant.name) in known:
                variant.delete()
                continue
            known.add(name_key(variant.name))
            variant.person = keep
            variant.save()
        for name in [old_name, *(d.name for d in duplicates)]:
            if name_key(name) not in known:
                known.add(name_key(name))
                PersonName.objects.create(person=keep, name=name, kind=PersonName.Kind.VARIANT)

        for redirect in PersonRedirect.objects.filter(person__in=duplicates):
            redirect.person = keep
            redirect.save()
        _move_other_links(duplicates, keep)
        slugs = [d.slug for d in duplicates]
        for duplicate in duplicates:
            duplicate.delete()
        for slug in slugs:
            PersonRedirect.objects.create(old_slug=slug, person=keep)
        keep.save()
        reversion.add_to_revision(keep)
        for document in Document.objects.filter(pk__in=affected):
            reversion.add_to_revision(document)
    revision = Version.objects.get_for_object(keep).first().revision
    return PersonMerge.objects.create(
        kept=keep,
        summary=summary,
        merged_slugs=slugs,
        before=before,
        revision=revision,
        merged_by=by,
    )


def _move_other_links(duplicates, keep):
    """Point any other record that refers to a duplicate at the kept person."""
    handled = {Contribution, PersonName, PersonRedirect}
    for relation in Person._meta.related_objects:
        if relation.related_model in handled or not relation.field.concrete:
            continue
        if relation.many_to_many:
            continue
        rows = relation.related_model._default_manager.filter(
            **{f"{relation.field.name}__in": duplicates}
        )
        changes.record_rows(rows)  # an UPDATE sends no signal
        rows.update(**{relation.field.name: keep})


@transaction.atomic
@changes.batch()
def undo_merge(merge, *, by):
    """Bring the merged people back with their links, names and addresses; drop the redirects."""
    merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at:
        raise MergeError("This merge has already been undone.")
    if merge.kept is None:
        raise MergeError("The person kept by this merge has since been deleted or merged again.")
    if clash := Person.objects.filter(slug__in=merge.merged_slugs).first():
        raise MergeError(
            f"The address “{clash.slug}” now belongs to “{clash}”; change that person's slug "
            "before undoing the merge."
        )
    PersonRedirect.objects.filter(old_slug__in=merge.merged_slugs, person=merge.kept).delete()
    merge.before.revert(delete=True)
    restored = list(Person.objects.filter(slug__in=merge.merged_slugs))
    kept = Person.objects.get(pk=merge.kept_id)
    with reversion.create_revision(atomic=False):
        reversion.set_user(by)
        reversion.set_comment(f"Undid the merge: {merge.summary}")
        for person in [kept, *restored]:
            reversion.add_to_revision(person)
        moved = merge.before.version_set.filter(
            content_type=ContentType.objects.get_for_model(Contribution)
        )
        affected = {version.field_dict["document_id"] for version in moved}
        for document in Document.objects.filter(pk__in=affected):
            reversion.add_to_revision(document)
    merge.undone_at = timezone.now()
    merge.undone_by = by
    merge.save(update_fields=["undone_at", "undone_by"])
    return restored
