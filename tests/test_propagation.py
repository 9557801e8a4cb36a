"""Every write reaches every index: the search entries, the public index and the cached pages.

Each case below is one write path: the admin's forms with their inlines, its delete and its
actions, reverting, merging and undoing a merge, the importer and its undo, the seed loader,
the generator, and edits from the shell. Before the write, the archive of tests/public/records.py
is visited through the page cache and the in-memory public index is built; after it (with its
commit hooks run), three things must equal what a rebuild from the database gives:

(a) the search index's rows, read before and after `search.rebuild_index()`;
(b) the in-memory public index (`documents.browse.index.public_index()`), beside a fresh build;
(c) every public page as served through the page cache, beside the page rendered afresh.

Each case names the models it writes, checked against the SQL it runs; together the cases write
every model of the documents and collections apps, so a new model needs a case here.
"""

import re
from types import SimpleNamespace

import numpy as np
import pytest
from django.apps import apps
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from reversion.models import Version

from archive_collections.models import Collection, FeaturedDocument
from documents import search
from documents.browse import index as browse_index
from documents.history import versions_of
from documents.models import (
    Classification,
    Contribution,
    Document,
    DocumentText,
    Funding,
    HarvestRecord,
    ImportJob,
    Language,
    Person,
    PersonName,
    PersonRedirect,
    RecordIdCounter,
    RightsStatement,
    Scan,
    SearchEntry,
    Status,
    Subject,
)
from documents.scans import apply_upload, check_upload
from documents.spreadsheets.importing import import_documents
from documents.spreadsheets.undo import undo_import
from documents.tasks import scans as scan_tasks
from documents.workflows import batch_editing
from documents.workflows.merging import merge_people
from tests.admin.conftest import form_data, image_bytes
from tests.importing.conftest import write_csv
from tests.public.records import build_archive

pytestmark = pytest.mark.django_db

APPS = ("documents", "collections")
CASES = {}


def case(*labels, archive=True):
    """Register a write path and the models it writes ("documents.Subject", ...).

    The function is a generator: what comes before its `yield` prepares the archive (before the
    pages are visited), what comes after is the write under test.
    """

    def register(function):
        CASES[function.__name__] = SimpleNamespace(
            run=function, labels=set(labels), archive=archive
        )
        return function

    return register


def app_models():
    return [
        model
        for label in APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    ]


# The admin --------------------------------------------------------------------------------------


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def admin_save(client, url, **changes):
    """Post the admin form at `url` back as the browser would, with `changes`; it must be saved."""
    response = client.post(url, form_data(client.get(url), **changes))
    assert response.status_code == 302, response.context and [
        form.errors for form in [response.context["adminform"].form]
    ]
    return response


def admin_change(client, obj, **changes):
    return admin_save(client, admin_url(type(obj), "change", obj.pk), **changes)


def admin_action(client, model, action, objects):
    response = client.post(
        admin_url(model, "changelist"),
        {"action": action, ACTION_CHECKBOX_NAME: [o.pk for o in objects], "post": "yes"},
    )
    assert response.status_code == 302


def inline_index(client, obj, prefix, pk):
    """The position of the inline row for the related object `pk` in `obj`'s change form."""
    data = form_data(client.get(admin_url(type(obj), "change", obj.pk)))
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    return next(i for i in range(total) if data.get(f"{prefix}-{i}-id") == str(pk))


@case(
    "documents.Document",
    "documents.Contribution",
    "documents.Citation",
    "documents.Funding",
    "documents.Scan",
    "documents.Document_languages",
    "documents.Document_subjects",
    "documents.Document_places",
    "documents.Document_related",
    "collections.Collection_documents",
    "documents.RecordIdCounter",
    "documents.SearchEntry",
    "documents.PublicChange",
    "documents.HarvestRecord",
)
def adding_a_document_with_people_sources_funders_scans_and_links_in_the_admin(w):
    a = w.archive
    yield
    w.admin.get(admin_url(Document, "add"))
    admin_save(
        w.admin,
        admin_url(Document, "add"),
        title="Telegram from Tabriz on the oil concession",
        date_text="June 3, 1946",
        status=Status.PUBLISHED,
        document_type=str(a.telegram.pk),
        classification=str(a.top_secret.pk),
        languages=[str(a.russian.pk)],
        subjects=[str(a.oil.pk)],
        places=[str(a.tabriz.pk)],
        related=[str(a.stalin_letter.pk)],
        in_collections=[str(a.collection.pk)],
        summary="Qavam and the oil concession, as seen from Tabriz.",
        **{
            "contributions-TOTAL_FORMS": "1",
            "contributions-0-person": str(a.qavam.pk),
            "contributions-0-role": "author",
            "contributions-0-order": "0",
            "citations-TOTAL_FORMS": "1",
            "citations-0-repository": str(a.rgaspi.pk),
            "citations-0-reference": "f. 17, op. 128, d. 1",
            "citations-0-order": "0",
            "fundings-TOTAL_FORMS": "1",
            "fundings-0-organization": str(a.cwihp.pk),
            "fundings-0-credited": "on",
            "fundings-0-order": "0",
            "scans-TOTAL_FORMS": "1",
            "scans-0-file": SimpleUploadedFile("page.png", image_bytes("PNG")),
            "scans-0-caption": "Page 1",
            "scans-0-order": "1",
        },
    )


@case(
    "documents.Document",
    "documents.Contribution",
    "documents.Citation",
    "documents.Document_subjects",
)
def editing_a_document_and_its_inlines_in_the_admin(w):
    a = w.archive
    letter = a.bagirov_letter
    hasanli = letter.contributions.get(person=a.hasanli)
    contribution = inline_index(w.admin, letter, "contributions", hasanli.pk)
    yield
    admin_change(
        w.admin,
        letter,
        title="Letter from Bagirov to Stalin and Molotov on Qavam's delay",
        subjects=[str(a.iran_crisis.pk)],
        **{
            f"contributions-{contribution}-name_as_written": "Dzhamil Gasanly",
            "citations-0-DELETE": "on",
        },
    )


@case("documents.Document", "documents.Contribution", "documents.Citation", "documents.SearchEntry")
def deleting_a_document_in_the_admin(w):
    telegram = w.archive.baku_telegram
    yield
    response = w.admin.post(admin_url(Document, "delete", telegram.pk), {"post": "yes"})
    assert response.status_code == 302


@case("documents.Document", "documents.Contribution", "documents.Citation", "documents.SearchEntry")
def restoring_a_deleted_document_published_in_the_admin(w):
    telegram = w.archive.baku_telegram
    response = w.admin.post(admin_url(Document, "delete", telegram.pk), {"post": "yes"})
    assert response.status_code == 302
    version = Version.objects.get_deleted(Document).get(object_id=str(telegram.pk))
    yield
    response = w.admin.post(admin_url(Document, "restore", version.pk), {"publish": "yes"})
    assert response.status_code == 302
    assert Document.objects.get(pk=telegram.pk).status == Status.PUBLISHED


@case("collections.Collection")
def restoring_a_deleted_collection_in_the_admin(w):
    empty = Collection.objects.create(title="Azerbaijani oil", status=Status.PUBLISHED)
    response = w.admin.post(admin_url(Collection, "delete", empty.pk), {"post": "yes"})
    assert response.status_code == 302
    version = Version.objects.get_deleted(Collection).get()
    yield
    response = w.admin.post(admin_url(Collection, "restore", version.pk), {"publish": "yes"})
    assert response.status_code == 302


def action_case(name, *labels, action, selected):
    """Register the case `name`: the admin action `action` on the documents `selected(archive)`."""

    def run(w):
        yield
        admin_action(w.admin, Document, action, selected(w.archive))

    run.__name__ = name
    case(*labels)(run)


action_case(
    "deleting_selected_documents_with_the_admin_action",
    "documents.Document",
    "collections.FeaturedDocument",
    "collections.Collection_documents",
    action="delete_selected",
    selected=lambda a: [a.bagirov_letter, a.stalin_letter],
)
action_case(
    "publishing_a_draft_with_the_admin_action",
    "documents.Document",
    action="publish_selected",
    selected=lambda a: [a.draft],
)
action_case(
    "returning_a_document_to_draft_with_the_admin_action",
    "documents.Document",
    action="unpublish_selected",
    selected=lambda a: [a.baku_telegram],
)
action_case(
    "withdrawing_documents_with_the_admin_action",
    "documents.Document",
    action="withdraw_selected",
    selected=lambda a: [a.stalin_letter, a.baku_telegram],
)


@case("documents.Document", "documents.Review", "documents.ReviewEvent")
def reviewing_a_draft_in_the_admin_and_publishing_it(w):
    editor = type(w.curator).objects.create_user("editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    editing = Client()
    editing.force_login(editor)
    draft = w.archive.draft
    review = admin_url(Document, "review", draft.pk)
    yield
    admin_change(editing, draft, _submit_for_review="Save", review_note="Ready.")
    w.admin.post(review, {"decision": "return", "comment": "Add the citation."})
    admin_change(editing, draft, _submit_for_review="Save")
    assert w.admin.post(review, {"decision": "publish", "comment": ""}).status_code == 302
    assert Document.objects.get(pk=draft.pk).is_published()


@case("collections.Collection")
def publishing_and_withdrawing_collections_with_the_admin_actions(w):
    yield
    admin_action(w.admin, Collection, "publish_selected", [w.archive.unfinished])
    admin_action(w.admin, Collection, "withdraw_selected", [w.archive.collection])


@case("documents.Person", "documents.PersonName")
def renaming_a_person_and_editing_variant_names_in_the_admin(w):
    qavam = w.archive.qavam
    ghavam = qavam.variants.get(name="Ghavam")
    variant = inline_index(w.admin, qavam, "variants", ghavam.pk)
    total = int(
        form_data(w.admin.get(admin_url(Person, "change", qavam.pk)))["variants-TOTAL_FORMS"]
    )
    yield
    admin_change(
        w.admin,
        qavam,
        name="Ahmad Qavam os-Saltaneh",
        **{
            f"variants-{variant}-name": "Ghavam os-Saltaneh",
            f"variants-{total - 1}-name": "Qavam al-Saltaneh",
            f"variants-{total - 1}-kind": "variant",
        },
    )


@case("documents.Person", "documents.PersonName")
def deleting_a_person_in_the_admin(w):
    unlinked = Person.objects.create(name="Mohammad Mosaddegh")
    PersonName.objects.create(person=unlinked, name="Mossadegh")
    yield
    response = w.admin.post(admin_url(Person, "delete", unlinked.pk), {"post": "yes"})
    assert response.status_code == 302


@case("documents.DistinctPeople")
def marking_a_possible_duplicate_pair_as_two_people_in_the_admin_report(w):
    a = w.archive
    yield
    response = w.admin.post(
        reverse("admin:documents_person_dismiss_duplicate"),
        {"first": a.qavam.pk, "second": a.pishevari.pk},
    )
    assert response.status_code == 302


# What merging two people writes, and undoing the merge writes back.
MERGED = (
    "documents.Person",
    "documents.PersonName",
    "documents.PersonRedirect",
    "documents.PersonMerge",
    "documents.Contribution",
)


@case(*MERGED)
def merging_people_with_the_admin_action_and_merge_page(w):
    a = w.archive
    duplicate = Person.objects.create(name="Iosif Stalin")
    PersonName.objects.create(person=duplicate, name="Koba")
    Contribution.objects.create(document=a.baku_telegram, person=duplicate, role="mentioned")
    yield
    admin_action(w.admin, Person, "merge_selected", [a.stalin, duplicate])
    ids = f"{a.stalin.pk},{duplicate.pk}"
    response = w.admin.post(
        reverse("admin:documents_person_merge"), {"ids": ids, "keep": a.stalin.pk, "confirm": "1"}
    )
    assert response.status_code == 302 and not Person.objects.filter(pk=duplicate.pk).exists()


@case(*MERGED)
def undoing_a_merge_in_the_admin(w):
    a = w.archive
    merge = merge_people(a.bagirov, duplicates=[a.maslennikov], by=w.curator)
    yield
    response = w.admin.post(reverse("admin:documents_person_undo_merge", args=[merge.pk]))
    assert response.status_code == 302 and Person.objects.filter(name="I. I. Maslennikov").exists()


@case("documents.Document", "documents.Contribution", "documents.Citation")
def reverting_a_document_in_the_admin(w):
    letter = w.archive.stalin_letter
    admin_change(
        w.admin,
        letter,
        title="Letter, Stalin to Pishevari",
        **{"contributions-0-DELETE": "on", "citations-0-reference": "f. 558, op. 11, d. 1"},
    )
    original = list(versions_of(letter))[-1]
    yield
    response = w.admin.post(admin_url(Document, "revert", letter.pk, original.pk))
    assert response.status_code == 302
    assert Document.objects.get(pk=letter.pk).title == "Letter, I. V. Stalin to Cde. Pishevari"


@case("documents.Person", "documents.PersonName")
def reverting_a_person_in_the_admin(w):
    pishevari = w.archive.pishevari
    admin_change(w.admin, pishevari, name="Seyyed Jafar Pishevari", **{"variants-0-DELETE": "on"})
    original = list(versions_of(pishevari))[-1]
    yield
    response = w.admin.post(admin_url(Person, "revert", pishevari.pk, original.pk))
    assert response.status_code == 302


# Vocabularies, rights, funders and repositories, each edited in the admin.


def admin_edit(name, label, target, /, **changes):
    """Register the case `name`: `changes` posted to the admin form of `target(archive)`."""

    def run(w):
        obj = target(w.archive)
        yield
        admin_change(w.admin, obj, **changes)

    run.__name__ = name
    case(label)(run)


admin_edit(
    "renaming_a_subject_in_the_admin", "documents.Subject", lambda a: a.oil, name="Oil concessions"
)


@case("documents.Subject", "documents.Document_subjects")
def adding_and_deleting_subjects_in_the_admin(w):
    yield
    admin_save(w.admin, admin_url(Subject, "add"), name="Soviet troops in Iran", slug="")
    response = w.admin.post(admin_url(Subject, "delete", w.archive.oil.pk), {"post": "yes"})
    assert response.status_code == 302


admin_edit(
    "renaming_a_place_in_the_admin", "documents.Place", lambda a: a.tabriz, name="Tabriz (Tebriz)"
)
admin_edit(
    "renaming_a_document_type_in_the_admin",
    "documents.DocumentType",
    lambda a: a.letter,
    name="Personal letter",
)
admin_edit(
    "renaming_a_classification_in_the_admin",
    "documents.Classification",
    lambda a: a.top_secret,
    name="Top Secret (Special File)",
    rank="50",
)
admin_edit(
    "renaming_a_language_in_the_admin",
    "documents.Language",
    lambda a: a.azerbaijani,
    name="Azeri",
)
admin_edit(
    "renaming_a_funder_in_the_admin",
    "documents.Organization",
    lambda a: a.cwihp,
    abbreviation="the CWIHP",
)
admin_edit(
    "editing_the_rights_statement_in_the_admin",
    "documents.RightsStatement",
    lambda a: RightsStatement.objects.get(),
    text="Reuse for teaching and research is welcome.",
)
admin_edit(
    "renaming_a_repository_in_the_admin",
    "documents.Repository",
    lambda a: a.gappod,
    abbreviation="ARPIIA",
    name="Archive of Political Parties",
)


# Collections.


@case(
    "collections.Collection",
    "collections.Collection_documents",
    "collections.Collection_related",
    "collections.FeaturedDocument",
)
def editing_a_collection_with_its_documents_links_and_popular_documents_in_the_admin(w):
    a = w.archive
    yield
    admin_change(
        w.admin,
        a.collection,
        title="Iran and the Soviet Union",
        documents=[str(a.stalin_letter.pk), str(a.bagirov_letter.pk)],
        related=[str(a.crisis.pk)],
        **{
            "featured_entries-TOTAL_FORMS": "2",
            "featured_entries-1-document": str(a.baku_telegram.pk),
            "featured_entries-1-order": "0",
        },
    )


@case("collections.Collection")
def deleting_a_collection_in_the_admin(w):
    empty = Collection.objects.create(title="Azerbaijani oil", status=Status.PUBLISHED)
    yield
    response = w.admin.post(admin_url(Collection, "delete", empty.pk), {"post": "yes"})
    assert response.status_code == 302


# Importing and undoing an import.


def import_spreadsheet(w):
    a = w.archive
    path = write_csv(
        w.tmp_path / "import.csv",
        [
            ["record_id", "title", "date", "authors", "mentioned", "subjects", "status"],
            [
                str(a.stalin_letter.record_id),
                "Letter, Stalin to Pishevari (corrected)",
                "May 8, 1946",
                "I. V. Stalin",
                "Ahmad Qavam",
                "Iran Crisis, 1946",
                "published",
            ],
            [
                "",
                "Telegram on Soviet troops",
                "March 1946",
                "Nikolai Novikov",
                "",
                "Troops",
                "published",
            ],
        ],
    )
    result = import_documents(path, user=w.curator, create_missing=True)
    assert result.ok and (result.created, result.updated) == (1, 1), result.errors
    return result.job


# What import_spreadsheet() writes, and its undo writes back.
IMPORTED = (
    "documents.Document",
    "documents.Contribution",
    "documents.Document_subjects",
    "documents.Person",
    "documents.Subject",
    "documents.ImportJob",
)


@case(*IMPORTED, "documents.ImportChange")
def importing_a_spreadsheet(w):
    yield
    import_spreadsheet(w)


@case(
    "documents.Document",
    "documents.Document_places",
    "documents.ImportJob",
    "documents.ImportChange",
    "documents.RememberedAnswer",
)
def importing_a_subject_answered_as_the_place_it_names(w):
    from documents.models import Place

    Place.objects.get_or_create(name="Tabriz")
    path = write_csv(
        w.tmp_path / "tabriz.csv",
        [
            ["title", "date", "subjects", "places", "status"],
            ["Report from the Tabriz consulate", "June 1946", "Tabriz", "", "published"],
        ],
    )
    yield
    result = import_documents(path, user=w.curator, accept_suggestions=True)
    assert result.ok and [q.proposed for q in result.questions][0].startswith("place#")


@case(*IMPORTED)
def undoing_an_import(w):
    job = import_spreadsheet(w)
    yield
    undo_import(job, user=w.curator)


# Batch edits and their undo (documents.workflows.batch_editing).


def batch_edit(w, field, action, values, documents):
    edit = batch_editing.create(
        [d.pk for d in documents],
        batch_editing.Operation(field, action, tuple(values)),
        by=w.curator,
    )
    return batch_editing.run(edit)


@case(
    "documents.Document",
    "documents.Document_subjects",
    "documents.BatchEdit",
    "documents.BatchEditChange",
)
def adding_a_subject_to_documents_in_a_batch_edit(w):
    a = w.archive
    yield
    batch_edit(w, "subjects", "add", [a.oil.pk], [a.stalin_letter, a.draft, a.baku_telegram])


@case("documents.Document", "documents.BatchEdit", "documents.BatchEditChange")
def publishing_documents_in_a_batch_edit(w):
    yield
    batch_edit(w, "status", "set", ["published"], [w.archive.draft, w.archive.stalin_letter])


@case("documents.Document", "collections.Collection_documents", "documents.BatchEdit")
def undoing_a_batch_edit_of_collections(w):
    a = w.archive
    edit = batch_edit(w, "collections", "remove", [a.collection.pk], [a.stalin_letter, a.draft])
    yield
    batch_editing.undo(edit, by=w.curator)


# Commands.


# What a command that writes whole records writes, at the least.
RECORDS = (
    "documents.Document",
    "documents.Person",
    "documents.PersonName",
    "documents.Contribution",
    "documents.Citation",
)


@case(
    *RECORDS,
    "documents.Repository",
    "documents.Organization",
    "documents.Funding",
    "documents.RightsStatement",
    "documents.Classification",
    "collections.Collection",
    "collections.Collection_documents",
    archive=False,
)
def loading_the_seed_records(w):
    yield
    call_command("load_seeds", verbosity=0)


@case(
    *RECORDS,
    "documents.Funding",
    "documents.Subject",
    "documents.Place",
    "collections.Collection",
    "collections.FeaturedDocument",
)
def generating_an_archive_of_a_few_documents(w):
    yield
    call_command("generate_archive", documents=6, seed=5, verbosity=0, stdout=None)


@case("documents.SearchEntry")
def rebuilding_the_search_index(w):
    yield
    call_command("rebuild_search_index", stdout=None)


# Edits from the shell: saves, deletes and links through the model managers.


@case(
    "documents.Document_subjects",
    "documents.Document_places",
    "documents.Document_languages",
    "documents.Document_related",
)
def linking_a_document_to_vocabularies_and_documents_from_the_shell(w):
    a = w.archive
    yield
    a.baku_telegram.subjects.add(a.oil)
    a.stalin_letter.places.remove(a.tehran)
    a.bagirov_letter.languages.set([a.azerbaijani])
    a.baku_telegram.related.add(a.bagirov_letter)


@case(
    "documents.Document_subjects",
    "documents.Document_places",
    "collections.Collection_documents",
    "collections.Collection_related",
)
def linking_from_the_vocabulary_and_collection_side_from_the_shell(w):
    a = w.archive
    yield
    a.iran_crisis.documents.add(a.baku_telegram)
    a.tabriz.documents.remove(a.bagirov_letter)
    a.collection.documents.clear()
    a.crisis.related.add(a.collection)


@case("documents.Contribution")
def linking_and_unlinking_people_of_a_document_from_the_shell(w):
    a = w.archive
    yield
    Contribution.objects.create(document=a.stalin_letter, person=a.molotov, role="copied_to")
    a.bagirov_letter.contributions.get(person=a.molotov).delete()
    written = a.baku_telegram.contributions.get(person=a.bagirov)
    written.name_as_written = "M. D. Bagirov"
    written.save()


@case("documents.Document", "documents.DocumentText")
def adding_a_further_translation_in_the_admin(w):
    a = w.archive
    german = Language.objects.create(name="German", code="de")
    yield
    admin_change(
        w.admin,
        a.stalin_letter,
        **{
            "texts-TOTAL_FORMS": "1",
            "texts-0-kind": "translation",
            "texts-0-language": str(german.pk),
            "texts-0-translator": str(a.qavam.pk),
            "texts-0-text": "Genosse Pischewari! Zwiebelturm.",
            "texts-0-note": "From the Russian.",
            "texts-0-position": "0",
        },
    )


@case("documents.DocumentText")
def correcting_and_deleting_further_texts_from_the_shell(w):
    a = w.archive
    german = Language.objects.create(name="German", code="de")
    translation = DocumentText.objects.create(
        document=a.stalin_letter, language=german, text="Genosse Pischewari!"
    )
    transcript = DocumentText.objects.create(
        document=a.bagirov_letter, kind="transcript", language=a.russian, text="Тов. Сталину"
    )
    yield
    translation.text = "Genosse Pischewari! Kirschblüte."
    translation.save()
    transcript.delete()


@case("documents.Person")
def renaming_the_translator_of_a_further_translation_from_the_shell(w):
    a = w.archive
    translator = Person.objects.create(name="Hannelore Brandt")
    DocumentText.objects.create(
        document=a.stalin_letter,
        language=Language.objects.create(name="German", code="de"),
        text="Genosse Pischewari!",
        translator=translator,
    )
    yield
    translator.name = "Hannelore Brandt-Wegener"
    translator.save()


@case("documents.Citation")
def correcting_a_citation_from_the_shell(w):
    citation = w.archive.baku_telegram.citations.get()
    yield
    citation.reference = "f. 558, op. 11, d. 98, ll. 1-3"
    citation.save()


@case("documents.Funding")
def crediting_a_funder_from_the_shell(w):
    yield
    Funding.objects.create(document=w.archive.baku_telegram, organization=w.archive.cwihp)


@case("documents.Scan")
def attaching_a_scan_from_the_shell(w):
    yield
    Scan.objects.create(
        document=w.archive.stalin_letter,
        file=SimpleUploadedFile("scan.png", image_bytes("PNG")),
        caption="First page",
        media_type=Scan.MediaType.PNG,
        sha256="0" * 64,
    )


@case("documents.Scan", "documents.ScanImage")
def making_a_scans_derivatives_and_iiif_images_in_the_worker(w):
    scan = Scan(document=w.archive.stalin_letter, caption="Page 1")
    upload = SimpleUploadedFile("scan.png", image_bytes("PNG", size=(900, 700)))
    apply_upload(scan, upload, check_upload(upload))
    scan.save()
    yield
    scan_tasks.make_scan_derivatives.call(scan.pk)


@case("documents.PersonName")
def adding_correcting_and_deleting_variant_names_from_the_shell(w):
    a = w.archive
    yield
    PersonName.objects.create(person=a.molotov, name="Skryabin")
    filippov = a.stalin.variants.get(name="Filippov")
    filippov.name = "Filipov"
    filippov.save()
    a.qavam.variants.get(name="Ghavam").delete()


@case("documents.Contribution", "documents.Funding", "collections.FeaturedDocument")
def linking_through_the_link_models_managers_from_the_shell(w):
    a = w.archive
    yield
    a.baku_telegram.people.add(a.qavam, through_defaults={"role": "mentioned"})
    a.stalin_letter.funders.add(a.cwihp)
    a.collection.featured_documents.add(a.stalin_letter, through_defaults={"order": 2})
    a.molotov.documents.remove(a.bagirov_letter)


@case("collections.FeaturedDocument", "documents.Citation")
def deleting_popular_documents_and_sources_from_the_shell(w):
    a = w.archive
    yield
    FeaturedDocument.objects.filter(collection=a.collection).delete()
    a.stalin_letter.citations.get().delete()


@case(
    "documents.PersonRedirect",
    "documents.ImportJob",
    "documents.RecordIdCounter",
    "documents.Classification",
)
def writing_redirects_bookkeeping_and_vocabularies_from_the_shell(w):
    a = w.archive
    yield
    PersonRedirect.objects.create(old_slug="i-v-stalin-old", person=a.stalin)
    ImportJob.objects.create(file_name="notes.csv", file_format="csv", outcome="failed")
    RecordIdCounter.objects.update_or_create(pk=1, defaults={"last_value": 99_000})
    Classification.objects.create(name="Secret", rank=30)


# The checks -------------------------------------------------------------------------------------


def public_urls():
    """The archive's public pages: the list's facets show every vocabulary's counts and labels."""
    listing = reverse("documents:list")
    urls = ["/", listing, reverse("collections:list")]
    urls += [f"{listing}?q={word}" for word in ("Qavam", "Bagriov", "RGASPI")]
    # The browse pages: who and what published documents name, with their counts.
    urls += [reverse("people:list"), "/people/?q=Bagriov", "/people/?letter=M"]
    urls += [reverse("terms:subjects"), reverse("terms:places")]
    for model in (Document, Person, Collection):
        urls += [obj.get_absolute_url() for obj in model.objects.all()]
    redirects = PersonRedirect.objects.values_list("old_slug", flat=True)
    urls += [f"/people/{slug}/" for slug in redirects]
    # What search engines, feed readers and programs read (documents/discovery/, documents/api/).
    urls += ["/sitemap.xml", "/sitemap-documents.xml", "/sitemap-people.xml", "/documents/feed/"]
    urls += [f"/collections/{c.slug}/feed/" for c in Collection.objects.all()]
    urls += ["/api/documents/", "/api/people/", "/api/collections/", "/api/subjects/"]
    # IIIF: every document's Manifest (404 until it has images), every collection's Collection.
    urls += [reverse("iiif:collections")]
    urls += [
        reverse("iiif:collection", args=[slug])
        for slug in Collection.objects.values_list("slug", flat=True)
    ]
    urls += [
        reverse("iiif:manifest", args=[n])
        for n in Document.objects.values_list("record_id", flat=True)
    ]
    return urls


def visit(client, urls):
    pages = {}
    for url in urls:
        response = client.get(url)
        pages[url] = (response.status_code, response.content.decode())
    return pages


def search_rows():
    table = SearchEntry._meta.db_table
    select = "*" if connection.vendor == "postgresql" else "rowid, *"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {select} FROM {table} ORDER BY rowid")
        return cursor.fetchall()


def same(a, b):
    """Deep equality for the public index's parts: arrays, dataclasses, dicts, tuples."""
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.shape == b.shape and np.array_equal(a, b)
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple):
        return type(a) is type(b) and len(a) == len(b) and all(map(same, a, b))
    if hasattr(a, "__dict__"):
        return type(a) is type(b) and same(vars(a), vars(b))
    return a == b


def index_parts(index):
    """What the index holds, in a canonical order (a delta splices rows in where a build reads
    them), without its caches of orders and facet counts or its place in the change log."""
    return {"rows": index.rows().only(index.ids), "public_terms": index.public_terms}


WRITE = re.compile(
    # executemany() is logged as "3 times: INSERT ...".
    r'^\s*(?:\d+ times: )?(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?',
    re.IGNORECASE,
)


def models_written(queries, counts_before):
    """The models the SQL wrote to, and those whose row count changed (PostgreSQL's COPY)."""
    tables = {model._meta.db_table: model._meta.label for model in app_models()}
    found = {label for label, count in row_counts().items() if count != counts_before[label]}
    for query in queries:
        match = WRITE.match(query["sql"])
        if match and match.group(1) in tables:
            found.add(tables[match.group(1)])
    return found


def row_counts():
    return {model._meta.label: model._base_manager.count() for model in app_models()}


@pytest.fixture
def world(request, tmp_path, django_user_model):
    curator = django_user_model.objects.create_superuser("curator", "", "a-long-test-password")
    admin = Client()
    admin.force_login(curator)
    return SimpleNamespace(curator=curator, admin=admin, tmp_path=tmp_path, archive=None)


@pytest.mark.parametrize("name", list(CASES))
def test_after_every_write_path_search_the_public_index_and_cached_pages_match_a_rebuild(
    name, world, page_cache, settings, django_capture_on_commit_callbacks
):
    write_path = CASES[name]
    if write_path.archive:
        world.archive = build_archive()
    steps = write_path.run(world)
    next(steps)
    visitor = Client()
    urls = public_urls()
    visit(visitor, urls)
    browse_index.public_index()

    counts = row_counts()
    with CaptureQueriesContext(connection) as queries:
        with django_capture_on_commit_callbacks(execute=True):
            for _ in steps:
                pass
    missing = write_path.labels - models_written(queries.captured_queries, counts)
    assert not missing, f"The case {name} says it writes {sorted(missing)}, but it does not."

    # Only a page visited before the write can be served stale from the cache (a new one is
    # rendered on its first visit, and a page that was missing was never cached).
    served = visit(visitor, urls)

    # (b) the public index served now is what the database gives.
    current = browse_index.public_index()
    fresh = browse_index.PublicIndex.build(browse_index.current_version())
    assert same(index_parts(current), index_parts(fresh)), "The public index is stale."

    # (a) the search index is what a rebuild gives.
    before = search_rows()
    search.rebuild_index()
    assert search_rows() == before, "The search index is stale."

    # (c) every page served through the page cache is the page rendered afresh.
    browse_index.forget()
    settings.PAGE_CACHE_SECONDS = 0
    rendered = visit(visitor, urls)
    stale = [url for url in urls if served[url] != rendered[url]]
    assert not stale, f"These pages were served stale from the cache: {stale}"

    # (d) harvesters are told of exactly the published records (documents.models.harvest).
    told = set(HarvestRecord.objects.filter(deleted=False).values_list("pk", "record_id"))
    assert told == set(Document.objects.published().values_list("pk", "record_id")), (
        "The OAI-PMH records do not match the published documents."
    )


def test_the_write_paths_together_write_every_model_of_both_apps():
    labels = {model._meta.label for model in app_models()}
    covered = set().union(*(write_path.labels for write_path in CASES.values()))
    assert labels - covered == set(), "Add a case that writes each of these models."
    assert covered - labels == set()
