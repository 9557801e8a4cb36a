"""documents.changes: the rule table, batches, and when the indexes are told.

tests/test_propagation.py walks every write path; these tests pin down the mechanism itself.
"""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models, transaction
from django.test.utils import isolate_apps

from archive_collections.models import Collection
from archive_site.cache import current_generation
from documents import changes, search
from documents.browse import index as browse_index
from documents.models import Document, Person, PublicChange, Scan, SearchEntry
from tests.factories import CollectionFactory, ContributionFactory, DocumentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def told(monkeypatch):
    """The change sets the public index is told of, as (change set, committed) pairs."""
    calls = []
    real = browse_index.archive_changed

    def archive_changed(change_set, *, committed=False):
        calls.append((change_set, committed))
        real(change_set, committed=committed)

    monkeypatch.setattr(browse_index, "archive_changed", archive_changed)
    return calls


def matches(query):
    return set(search.matching_ids(query))


def test_every_model_of_the_documents_and_collections_apps_has_a_rule():
    changes.check_rules(changes.app_models())


@isolate_apps("documents")
def test_a_model_without_a_rule_stops_start_up_with_a_sentence_naming_it():
    class Footnote(models.Model):
        text = models.TextField()

        class Meta:
            app_label = "documents"

        def __str__(self):
            return self.text

    with pytest.raises(ImproperlyConfigured) as refused:
        changes.check_rules([*changes.app_models(), Footnote])
    assert "documents.changes.RULES has no rule for the model documents.Footnote" in str(
        refused.value
    )


def test_a_rule_for_a_model_that_is_gone_stops_start_up_too():
    others = [m for m in changes.app_models() if m is not Scan]
    with pytest.raises(ImproperlyConfigured, match="names documents.Scan, which is not a model"):
        changes.check_rules(others)


def test_a_batch_rewrites_the_search_entries_of_many_writes_once_at_its_end(
    monkeypatch, told, django_capture_on_commit_callbacks
):
    documents = [DocumentFactory(title=f"Telegram {n}") for n in range(3)]
    told.clear()
    indexed = []
    real = search.index_documents
    monkeypatch.setattr(search, "index_documents", lambda ids: indexed.append(ids) or real(ids))
    with django_capture_on_commit_callbacks(execute=True):
        with changes.batch():
            for document in documents:
                document.title = f"Cable {document.pk}"
                document.save()
                with changes.batch():  # a workflow called inside another adds to it
                    ContributionFactory(document=document)
            assert indexed == [] and told == []
    assert indexed[0] == sorted(d.pk for d in documents)
    assert [committed for _change, committed in told] == [False, True]
    assert told[0][0].documents == {d.pk for d in documents}
    assert matches("Cable") == {d.pk for d in documents}


def test_the_page_cache_and_public_index_are_told_at_once_and_again_after_commit(
    told, django_capture_on_commit_callbacks
):
    document = DocumentFactory()
    before, logged = current_generation(), browse_index.current_version()
    with django_capture_on_commit_callbacks() as callbacks:
        document.title = "Telegram, corrected"
        document.save()
        assert current_generation() == before + 1
        # This process reads the document again on its next request; other processes wait for
        # the commit, since they could not see the change before it.
        assert document.pk in browse_index._unseen.documents
        assert browse_index.current_version() == logged
    for callback in callbacks:
        callback()
    assert current_generation() == before + 2
    change = PublicChange.objects.get(pk=browse_index.current_version())
    assert change.pk > logged
    assert change.documents == [document.pk] and not change.everything
    assert [committed for _change, committed in told[-2:]] == [False, True]


def test_search_entries_roll_back_with_the_transaction_that_wrote_them():
    document = DocumentFactory(title="Telegram from Tabriz")
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            document.title = "Telegram from Zanjan"
            document.save()
            assert matches("Zanjan") == {document.pk}
            raise RuntimeError("The curator's save failed.")
    assert matches("Zanjan") == set()
    assert matches("Tabriz") == {document.pk}


def test_what_a_failed_batch_wrote_before_the_error_still_reaches_the_search_index():
    document = DocumentFactory(title="Telegram from Tabriz")
    with pytest.raises(RuntimeError):
        with changes.batch():
            document.title = "Telegram from Zanjan"
            document.save()
            raise RuntimeError("A later step failed; the save was already made.")
    assert matches("Zanjan") == {document.pk}


def test_a_batch_in_a_transaction_marked_for_rollback_writes_nothing(told):
    document = DocumentFactory(title="Telegram from Tabriz")
    told.clear()
    with transaction.atomic():
        with changes.batch():
            Document.objects.filter(pk=document.pk).update(title="Telegram from Zanjan")
            changes.record(documents=[document.pk])
            transaction.set_rollback(True)
    assert told == []
    assert matches("Tabriz") == {document.pk}


def test_clearing_a_collection_names_every_document_it_held(told):
    documents = [DocumentFactory(), DocumentFactory()]
    collection = CollectionFactory()
    collection.documents.add(*documents)
    told.clear()
    collection.documents.clear()
    change, _committed = told[0]
    assert change.documents == {d.pk for d in documents}
    assert change.models == {Collection.documents.through._meta.label}


def test_deleting_a_document_removes_its_search_entry_and_names_it_removed(told):
    document = DocumentFactory(title="Telegram from Zanjan")
    ContributionFactory(document=document)
    pk = document.pk
    told.clear()
    document.delete()
    assert matches("Zanjan") == set()
    with connection.cursor() as cursor:
        table = SearchEntry._meta.db_table
        cursor.execute(f"SELECT count(*) FROM {table} WHERE rowid = %s", [pk])
        assert cursor.fetchone()[0] == 0
    assert any(pk in change.removed_documents for change, _committed in told)


def test_rows_written_in_bulk_are_recorded_by_the_rule_of_their_model(told):
    contribution = ContributionFactory(person__name="Mir Jafar Bagirov")
    told.clear()
    person = Person.objects.filter(pk=contribution.person_id)
    person.update(name="Mir Jafar Baghirov")
    changes.record_rows(person)
    assert matches("Baghirov") == {contribution.document_id}
    assert told[0][0].people == {contribution.person_id}
