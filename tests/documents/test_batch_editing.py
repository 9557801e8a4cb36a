"""Batch edits (documents.workflows.batch_editing): every field and action, the preview, one
revision, undo, and who may make them."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.test import Client
from reversion.models import Revision

from documents.history import versions_of
from documents.models import (
    BatchEdit,
    Classification,
    Document,
    DocumentType,
    Funding,
    Language,
    Organization,
    Place,
    RightsStatement,
    Status,
    Subject,
)
from documents.spreadsheets.state import load_states
from documents.workflows import batch_editing
from documents.workflows.batch_editing import BatchEditError, Operation
from tests.factories import CollectionFactory, DocumentFactory, terms

pytestmark = pytest.mark.django_db


@pytest.fixture
def make_user(django_user_model):
    """A staff account in one of the roles the data migration creates."""

    def make(role):
        user = django_user_model.objects.create_user(role.lower(), is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture
def curator(make_user):
    return make_user("Curator")


def make(curator, documents, field, action, *values):
    edit = batch_editing.create(
        [d.pk for d in documents], Operation(field, action, tuple(values)), by=curator
    )
    return batch_editing.run(edit)


def states(documents):
    """What the spreadsheet columns hold of each document, to compare exactly."""
    found = load_states([d.pk for d in documents])
    for state in found.values():
        state.pop("state", None)
        state["fields"].pop("updated_at", None)
    return found


def subject_names(document):
    return sorted(document.subjects.values_list("name", flat=True))


def test_adding_a_subject_gives_it_to_every_selected_document_and_keeps_the_others(curator):
    oil, crisis = terms(Subject, "Oil", "Iran Crisis, 1946")
    first, second = DocumentFactory(), DocumentFactory()
    first.subjects.add(crisis)
    edit = make(curator, [first, second], "subjects", "add", oil.pk)
    assert (edit.state, edit.changed, edit.unchanged) == (BatchEdit.State.DONE, 2, 0)
    assert subject_names(first) == ["Iran Crisis, 1946", "Oil"]
    assert subject_names(second) == ["Oil"]


def test_removing_and_setting_subjects_change_only_the_documents_that_differ(curator):
    oil, crisis, troops = terms(Subject, "Oil", "Iran Crisis, 1946", "Troops")
    first, second, third = DocumentFactory(), DocumentFactory(), DocumentFactory()
    first.subjects.add(oil, crisis)
    second.subjects.add(crisis)
    removed = make(curator, [first, second, third], "subjects", "remove", oil.pk)
    assert (removed.changed, removed.unchanged) == (1, 2)
    assert subject_names(first) == ["Iran Crisis, 1946"]
    replaced = make(curator, [first, second, third], "subjects", "set", troops.pk)
    assert replaced.changed == 3
    assert [subject_names(d) for d in (first, second, third)] == [["Troops"]] * 3
    cleared = make(curator, [first, third], "subjects", "set")
    assert cleared.changed == 2 and subject_names(first) == [] and subject_names(second)


@pytest.mark.parametrize(
    ("field", "model", "relation"),
    [("places", Place, "places"), ("languages", Language, "languages")],
)
def test_places_and_languages_are_added_and_removed_like_subjects(curator, field, model, relation):
    entry = model.objects.create(name="Tabriz" if model is Place else "Azerbaijani")
    if model is Language:
        entry.code = "az"
        entry.save()
    document = DocumentFactory()
    make(curator, [document], field, "add", entry.pk)
    assert list(getattr(document, relation).all()) == [entry]
    make(curator, [document], field, "remove", entry.pk)
    assert not getattr(document, relation).exists()


def test_collections_are_added_and_removed(curator):
    collection = CollectionFactory(title="Iran-Soviet Relations")
    first, second = DocumentFactory(), DocumentFactory()
    make(curator, [first, second], "collections", "add", collection.pk)
    assert set(collection.documents.all()) == {first, second}
    make(curator, [first], "collections", "remove", collection.pk)
    assert list(collection.documents.all()) == [second]


@pytest.mark.parametrize(
    ("field", "model", "attname", "names"),
    [
        ("type", DocumentType, "document_type_id", ("Letter", "Telegram")),
        ("classification", Classification, "classification_id", ("Top Secret", "Secret")),
    ],
)
def test_a_type_or_classification_is_set_and_removed(curator, field, model, attname, names):
    old, new = (model.objects.create(name=name) for name in names)
    first = DocumentFactory(**{attname: old.pk})
    second = DocumentFactory()
    edit = make(curator, [first, second], field, "set", new.pk)
    assert edit.changed == 2
    first.refresh_from_db()
    assert getattr(first, attname) == new.pk
    # Remove clears it only where the document has one of the entries named.
    edit = make(curator, [first, second], field, "remove", old.pk)
    assert edit.changed == 0 and edit.unchanged == 2
    make(curator, [first], field, "remove", new.pk)
    first.refresh_from_db()
    assert getattr(first, attname) is None


def test_a_rights_statement_is_set(curator):
    rights = RightsStatement.objects.create(title="Educational reuse", text="Reuse welcome.")
    document = DocumentFactory()
    make(curator, [document], "rights", "set", rights.pk)
    document.refresh_from_db()
    assert document.rights == rights


def test_funders_are_added_after_those_a_document_has_and_keep_their_credit(curator):
    cwihp = Organization.objects.create(name="Cold War International History Project")
    macarthur = Organization.objects.create(name="MacArthur Foundation")
    document = DocumentFactory()
    Funding.objects.create(document=document, organization=cwihp, order=0, credited=False)
    make(curator, [document], "funders", "add", macarthur.pk)
    rows = list(document.fundings.order_by("order").values_list("organization", "credited"))
    assert rows == [(cwihp.pk, False), (macarthur.pk, True)]
    make(curator, [document], "funders", "remove", cwihp.pk)
    assert list(document.fundings.values_list("organization", flat=True)) == [macarthur.pk]


def test_publishing_in_a_batch_stamps_the_first_publication_and_undo_takes_it_back(curator):
    draft = DocumentFactory(status=Status.DRAFT)
    edit = make(curator, [draft], "status", "set", Status.PUBLISHED)
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED and draft.first_published_at is not None
    batch_editing.undo(edit, by=curator)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.first_published_at is None


def test_the_preview_counts_the_documents_that_change_and_shows_the_first_ten(curator):
    oil, crisis = terms(Subject, "Oil", "Iran Crisis, 1946")
    documents = [DocumentFactory() for _ in range(14)]
    for document in documents[:2]:
        document.subjects.add(oil)
    documents[5].subjects.add(crisis)
    queryset = Document.objects.filter(pk__in=[d.pk for d in documents])
    preview = batch_editing.preview(queryset, Operation("subjects", "add", (oil.pk,)), curator)
    assert (preview.total, preview.changing, preview.unchanged) == (14, 12, 2)
    assert len(preview.sample) == 10
    assert [row.record_id for row in preview.sample] == sorted(d.record_id for d in documents[2:12])
    row = next(r for r in preview.sample if r.pk == documents[5].pk)
    assert (row.before, row.after) == ("Iran Crisis, 1946", "Iran Crisis, 1946; Oil")
    assert preview.description == "add subject 'Oil' to 12 documents"
    assert not documents[5].subjects.filter(pk=oil.pk).exists()  # the preview wrote nothing


def test_a_batch_edit_is_one_revision_in_every_changed_documents_history(curator):
    oil = Subject.objects.create(name="Oil")
    documents = [DocumentFactory() for _ in range(3)]
    revisions = Revision.objects.count()
    edit = make(curator, documents, "subjects", "add", oil.pk)
    # One revision for the edit, and one keeping the records as they were (no history yet).
    assert Revision.objects.count() == revisions + 2
    assert edit.revision.comment == f"Batch edit #{edit.pk}: add subject 'Oil' to 3 documents"
    assert edit.revision.user == curator
    for document in documents:
        latest = versions_of(document).first()
        assert latest.revision == edit.revision
        assert oil.pk in latest.field_dict["subjects"]
        assert versions_of(document).count() == 2  # the state before, kept to revert to


def test_undo_restores_every_document_exactly_as_it_was(curator):
    oil, crisis = terms(Subject, "Oil", "Iran Crisis, 1946")
    collection = CollectionFactory()
    documents = [DocumentFactory() for _ in range(4)]
    documents[0].subjects.add(oil)
    documents[1].subjects.add(crisis)
    collection.documents.add(documents[2])
    before = states(documents)
    edit = make(curator, documents, "subjects", "set", crisis.pk)
    second = make(curator, documents, "collections", "add", collection.pk)
    assert states(documents) != before
    batch_editing.undo(second, by=curator)
    batch_editing.undo(edit, by=curator)
    assert states(documents) == before
    edit.refresh_from_db()
    assert edit.state == BatchEdit.State.UNDONE and edit.undone_by == curator
    assert (
        versions_of(documents[0])
        .first()
        .revision.comment.startswith(f"Undid batch edit #{edit.pk}")
    )


def test_undo_is_refused_when_a_document_was_changed_since(curator):
    oil, troops = terms(Subject, "Oil", "Troops")
    first, second = DocumentFactory(), DocumentFactory()
    edit = make(curator, [first, second], "subjects", "add", oil.pk)
    second.subjects.add(troops)  # a curator's later edit of the same field
    with pytest.raises(BatchEditError, match=rf"record {second.record_id}\b"):
        batch_editing.undo(edit, by=curator)
    assert subject_names(first) == ["Oil"] and subject_names(second) == ["Oil", "Troops"]
    edit.refresh_from_db()
    assert edit.state == BatchEdit.State.DONE


def test_a_later_edit_of_another_field_does_not_stop_the_undo(curator):
    oil = Subject.objects.create(name="Oil")
    document = DocumentFactory()
    edit = make(curator, [document], "subjects", "add", oil.pk)
    document.title = "A corrected title"
    document.save()
    batch_editing.undo(edit, by=curator)
    document.refresh_from_db()
    assert subject_names(document) == [] and document.title == "A corrected title"


def test_an_undone_batch_edit_cannot_be_undone_again(curator):
    oil = Subject.objects.create(name="Oil")
    edit = make(curator, [DocumentFactory()], "subjects", "add", oil.pk)
    batch_editing.undo(edit, by=curator)
    with pytest.raises(BatchEditError, match="already undone"):
        batch_editing.undo(edit, by=curator)


def test_an_editor_may_batch_edit_subjects_but_not_the_status(make_user):
    editor = make_user("Editor")
    oil = Subject.objects.create(name="Oil")
    document = DocumentFactory(status=Status.DRAFT)
    make(editor, [document], "subjects", "add", oil.pk)
    with pytest.raises(PermissionDenied, match="publish, unpublish and withdraw"):
        batch_editing.create([document.pk], Operation("status", "set", ("published",)), by=editor)
    queryset = Document.objects.filter(pk=document.pk)
    with pytest.raises(PermissionDenied):
        batch_editing.preview(queryset, Operation("status", "set", ("published",)), editor)


def test_collections_need_the_permission_to_change_collections(django_user_model):
    user = django_user_model.objects.create_user("changer", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_document"))
    collection = CollectionFactory()
    with pytest.raises(PermissionDenied, match="change collections"):
        batch_editing.create(
            [DocumentFactory().pk], Operation("collections", "add", (collection.pk,)), by=user
        )


def test_an_importer_without_change_permission_may_not_batch_edit(make_user):
    importer = make_user("Importer")
    oil = Subject.objects.create(name="Oil")
    with pytest.raises(PermissionDenied, match="may not change documents"):
        batch_editing.create(
            [DocumentFactory().pk], Operation("subjects", "add", (oil.pk,)), by=importer
        )


def test_a_batch_edit_queued_by_someone_who_lost_the_permission_fails_and_writes_nothing(
    curator,
):
    draft = DocumentFactory(status=Status.DRAFT)
    edit = batch_editing.create([draft.pk], Operation("status", "set", ("published",)), by=curator)
    curator.groups.clear()
    with pytest.raises(PermissionDenied):
        batch_editing.run(edit)
    edit.refresh_from_db()
    draft.refresh_from_db()
    assert edit.state == BatchEdit.State.FAILED and "nothing was written" in edit.error
    assert draft.status == Status.DRAFT


@pytest.mark.parametrize(
    ("operation", "message"),
    [
        (Operation("title", "set", ("x",)), "'title' is not a field a batch edit can change"),
        (Operation("type", "add", (1,)), "document type can only be set to or remove"),
        (Operation("subjects", "add", ()), "Choose at least one subject"),
        (Operation("status", "set", ("gone",)), "Choose one status"),
        (Operation("subjects", "add", (999_999,)), "subject #999999 no longer exists"),
    ],
)
def test_an_operation_that_cannot_be_made_is_refused_naming_the_field(operation, message):
    with pytest.raises(BatchEditError, match=message):
        batch_editing.validate(operation)


def test_adding_a_subject_to_drafts_never_shows_them_on_public_pages(curator):
    oil = Subject.objects.create(name="Oil")
    published = DocumentFactory(title="A published telegram")
    draft = DocumentFactory(title="A secret draft telegram", status=Status.DRAFT)
    make(curator, [published, draft], "subjects", "add", oil.pk)
    page = Client().get("/documents/?subject=oil").content.decode()
    assert "A published telegram" in page and "A secret draft telegram" not in page
    assert "A secret draft telegram" not in Client().get("/documents/?q=oil").content.decode()


def test_recent_batch_edits_lists_the_latest_first(curator):
    oil = Subject.objects.create(name="Oil")
    document = DocumentFactory()
    first = make(curator, [document], "subjects", "add", oil.pk)
    second = make(curator, [document], "subjects", "remove", oil.pk)
    assert batch_editing.recent_batch_edits(1) == [second]
    assert batch_editing.recent_batch_edits(5) == [second, first]
