"""Take out of stored citations the credit sentences the page also prints from the people.

Imports before this release kept a source cell such as "RGASPI, f. 558, ll. 0069-0072.
Translated by Gary Goldberg." whole as the citation, and the page then printed the credit twice
(once in the citation, once from the document's translator). Where every name of such a credit
is a person linked to the document in that role (by display name, variant or the name as
written), and every "for X" is whom they acted for, the credit is the same fact as those links:
it is taken off the citation, which keeps the rest exactly as written. Any other credit is left
where it is; the admin names it when the citation's reference is next edited. As after every
upgrade, `manage.py rebuild_search_index` then refreshes the search index and the public pages.

What the old import rewrote when it took a repository off the front of a source ("REPO AzR,
f. 1" was kept as "AzR, f. 1" and shown "REPO, AzR, f. 1") cannot be restored: whether the
source had a comma, a space or nothing after the repository was not kept anywhere.

The rule is frozen here (verbs, roles); `documents.parsing.credits.split_credit` reads the text.
"""

from django.db import migrations

from documents.parsing.credits import split_credit
from documents.parsing.names import name_key
from documents.parsing.references import parse_reference

ROLES = {"obtained": "obtained_by", "contributed": "contributor", "translated": "translator"}


def _credited(contributions, phrase):
    """Whether the document's links in the phrase's role credit exactly the phrase's people."""
    linked = [c for c in contributions if c["role"] == ROLES[phrase.verb]]
    for name in phrase.names:
        key = name_key(name)
        found = [c for c in linked if key in c["keys"]]
        if not found:
            return False
        if phrase.for_whom and not any(
            phrase.for_whom.casefold() in c["for"] for c in found
        ):
            return False
    return True


def take_out_printed_credits(apps, schema_editor):
    alias = schema_editor.connection.alias
    citations = apps.get_model("documents", "Citation").objects.using(alias)
    contributions_ = apps.get_model("documents", "Contribution").objects.using(alias)
    names = apps.get_model("documents", "PersonName").objects.using(alias)
    candidates = []
    for citation in citations.filter(reference__iregex=r"(obtained|contributed|translated)"):
        text, credits = split_credit(citation.reference, ROLES)
        if credits:
            candidates.append((citation, text, credits))
    if not candidates:
        return
    documents = {citation.document_id for citation, _text, _credits in candidates}
    rows = contributions_.filter(document_id__in=documents, role__in=ROLES.values())
    rows = list(
        rows.values(
            "document_id",
            "role",
            "person_id",
            "name_as_written",
            "person__name_key",
            "on_behalf_of__name",
            "on_behalf_of__abbreviation",
        )
    )
    variants = {}
    for person_id, key in names.filter(
        person_id__in={row["person_id"] for row in rows}
    ).values_list("person_id", "name_key"):
        variants.setdefault(person_id, set()).add(key)
    contributions = {}
    for row in rows:
        keys = {row["person__name_key"], *variants.get(row["person_id"], ())}
        if row["name_as_written"]:
            keys.add(name_key(row["name_as_written"]))
        behalf = {row["on_behalf_of__name"], row["on_behalf_of__abbreviation"]}
        contributions.setdefault(row["document_id"], []).append(
            {
                "role": row["role"],
                "keys": keys,
                "for": {name.casefold() for name in behalf if name},
            }
        )
    for citation, text, credits in candidates:
        linked = contributions.get(citation.document_id, [])
        if all(_credited(linked, phrase) for phrase in credits):
            parts = parse_reference(text)
            citations.filter(pk=citation.pk).update(
                reference=text,
                fond=parts.fond,
                opis=parts.opis,
                delo=parts.delo,
                folios=parts.folios,
            )


class Migration(migrations.Migration):
    dependencies = [("documents", "0015_citation_reference_as_written")]

    operations = [migrations.RunPython(take_out_printed_credits, migrations.RunPython.noop)]
