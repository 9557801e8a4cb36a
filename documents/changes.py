"""What a write changes, and telling every index: the search entries, the public index, the pages.

`RULES` says, for every model of the `documents` and `collections` apps, what a write to one of
its rows affects: the search entries of its document, of a person's documents or of the
documents citing a repository, and whether a public page can show it. A model missing from the
table stops start-up (`connect()` raises ImproperlyConfigured), so a new model cannot be
forgotten.

A write reaches this module one of two ways:

- a write of one object (a save or delete from the admin, a form, the shell, a fixture or a
  reverted version; a link added or removed through a many-to-many manager) is caught by the
  receivers `connect()` ties once, from documents/apps.py, to Django's post_save, post_delete
  and m2m_changed signals;
- a bulk write (bulk_create, bulk_update, QuerySet.update, plain SQL: the importer, its undo,
  the generator) sends no signal, so the function that makes it says what it wrote with
  `record()` (or `record_rows()`), as its last step.

`batch()` gathers everything recorded inside it into one change set, applied when the outermost
batch ends; workflows (publishing, merging, reverting, importing, undo) run in one. Applying a
change set rewrites the search entries of the documents it names at once, inside the writer's
transaction, so they roll back with it; the public index (`documents.browse.index`) and the page
cache (`archive_site.cache`) are told at once and again after commit, and so are the OAI-PMH
datestamps of the records harvesters see changed (`documents.models.harvest`). The change set
the public index receives names what changed (documents, people, repositories and the models
written), so it can later be patched in place instead of rebuilt.

May import documents.models, documents.search, documents.browse.index and archive_site.cache;
models never import it.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import partial

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from archive_site import cache
from documents import search
from documents.browse import index as browse_index
from documents.models import Citation, Contribution, Document, DocumentText, HarvestRecord

APPS = ("documents", "collections")


@dataclass(frozen=True)
class Rule:
    """What a write to one row of a model affects.

    `documents`, `people` and `repositories` name the row's fields ("pk" for its own key) that
    hold the documents whose search entries contain the row, the people whose documents' entries
    show their names, and the repositories whose citing documents' entries show theirs. `public`
    says whether any public page (or the public index) can show the row. `named_in` and `names`
    are for vocabulary entries, below.
    """

    documents: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    repositories: tuple[str, ...] = ()
    public: bool = True
    # A vocabulary entry whose names the search entries of the documents linked to it show:
    # `named_in` is the path from Document to the model ("subjects"; several, between bars:
    # "places|origin|destination" for a place linked or a cable's), `names` the row's fields
    # those entries show. Saving the row re-indexes its documents only when one of `names`
    # changed (a subject of 20,000 documents saved unchanged costs nothing); deleting it, always.
    named_in: str = ""
    names: tuple[str, ...] = ()


PUBLIC_PAGES = Rule()  # shown on public pages, in no document's search entry
NO_EFFECT = Rule(public=False)  # bookkeeping no visitor or search sees

RULES = {
    # A document and the rows that belong to it: its own entry and pages.
    "documents.Document": Rule(documents=("pk",)),
    "documents.Contribution": Rule(documents=("document",)),
    "documents.Citation": Rule(documents=("document",)),
    "documents.Funding": Rule(documents=("document",)),
    "documents.DocumentText": Rule(documents=("document",)),  # its text and translator's names
    "documents.Scan": Rule(documents=("document",)),
    "documents.ScanImage": PUBLIC_PAGES,  # a page's IIIF image: manifests and the viewer
    "documents.Document_languages": Rule(documents=("document",)),
    "documents.Document_subjects": Rule(documents=("document",)),
    "documents.Document_places": Rule(documents=("document",)),
    "documents.Document_related": PUBLIC_PAGES,
    # Names in other documents' entries.
    "documents.Person": Rule(people=("pk",)),
    "documents.PersonName": Rule(people=("person",)),
    "documents.Repository": Rule(repositories=("pk",)),
    # Vocabularies, rights and funders: labels, facets and credit lines on public pages; the
    # subjects, places and funders also in their documents' search entries (search.columns).
    "documents.DocumentType": PUBLIC_PAGES,
    "documents.Classification": PUBLIC_PAGES,
    "documents.Subject": Rule(named_in="subjects", names=("name", "other_names")),
    # A place is named by the documents linked to it and by the cables sent from or to it.
    "documents.Place": Rule(named_in="places|origin|destination", names=("name", "other_names")),
    "documents.Language": PUBLIC_PAGES,
    "documents.Organization": Rule(
        named_in="funders", names=("name", "abbreviation", "other_names")
    ),
    "documents.RightsStatement": PUBLIC_PAGES,
    "documents.PersonRedirect": PUBLIC_PAGES,  # an old address of a person's page
    # Collections and their links. A published collection's title is in its documents' search
    # entries, a draft's is not: a change of status re-indexes them too.
    # Its slug is the OAI-PMH set of its documents (documents.oai): a new one restamps them.
    "collections.Collection": Rule(
        named_in="collections", names=("title", "other_names", "status", "slug")
    ),
    "collections.Collection_documents": Rule(documents=("document",)),
    "collections.Collection_related": PUBLIC_PAGES,
    "collections.FeaturedDocument": PUBLIC_PAGES,
    # Bookkeeping: the merge, import and batch-edit records (their own writes are recorded one
    # by one), the record-ID counter, the token the public index itself writes, the search
    # entries.
    "documents.PersonMerge": NO_EFFECT,
    "documents.DistinctPeople": NO_EFFECT,  # read by the duplicates report only
    "documents.ImportJob": NO_EFFECT,
    "documents.BatchEdit": NO_EFFECT,
    "documents.BatchEditChange": NO_EFFECT,
    "documents.ImportChange": NO_EFFECT,
    "documents.RememberedAnswer": NO_EFFECT,
    # Review before publishing: the document stays a draft while in review; publishing it is
    # its own write (documents.workflows.publishing).
    "documents.Review": NO_EFFECT,
    "documents.ReviewEvent": NO_EFFECT,
    "documents.RecordIdCounter": NO_EFFECT,
    "documents.PublicChange": NO_EFFECT,
    "documents.SearchEntry": NO_EFFECT,
    "documents.HarvestRecord": NO_EFFECT,  # written by _apply itself
}

# Rows every harvested record may show although no change names its documents: a document
# type's name (a record's genre), a language's code and name, a rights statement (the default
# one applies to every record naming none). A write to one restamps every record harvesters see
# (documents.models.harvest); curators change them rarely.
HARVESTED_BY_EVERY_RECORD = {
    "documents.DocumentType",
    "documents.Language",
    "documents.RightsStatement",
}


@dataclass
class ChangeSet:
    """What a write, or a batch of them, changed; what the indexes are told."""

    documents: set[int] = field(default_factory=set)  # rows, links or texts written
    removed_documents: set[int] = field(default_factory=set)
    people: set[int] = field(default_factory=set)  # names written
    repositories: set[int] = field(default_factory=set)
    models: set[str] = field(default_factory=set)  # labels of the models written
    public: bool = False  # a public page, or the public index, may show it
    everything: bool = False  # a bulk load: rebuild rather than patch
    # The documents whose search entries are rewritten: `documents` and those of the people and
    # repositories, found when the change is recorded (as the rows stand then).
    search_documents: set[int] = field(default_factory=set)

    def add(self, other):
        """Fold a later change into this one: a document removed after a write stays removed."""
        # In place: a batch may fold in tens of thousands of small changes.
        self.documents -= other.removed_documents
        self.documents |= other.documents
        self.search_documents -= other.removed_documents
        self.search_documents |= other.search_documents
        self.removed_documents -= other.documents
        self.removed_documents |= other.removed_documents
        self.people |= other.people
        self.repositories |= other.repositories
        self.models |= other.models
        self.public |= other.public
        self.everything |= other.everything


_pending: ContextVar[ChangeSet | None] = ContextVar("documents_changes_pending", default=None)
_cleared: ContextVar[dict | None] = ContextVar("documents_changes_cleared", default=None)
# (model label, pk) -> what a vocabulary entry's `names` were before a save, or the documents
# linked to it before a delete (see Rule.named_in).
_named_before: ContextVar[dict | None] = ContextVar("documents_changes_named", default=None)
_links = {}  # through model -> the many-to-many field it stores, filled by connect()


# Recording -------------------------------------------------------------------------------------


def record(
    *,
    documents=(),
    removed_documents=(),
    people=(),
    repositories=(),
    models=(),
    public=True,
    everything=False,
):
    """Say what a write changed: applied at once, or when the enclosing `batch()` ends.

    `documents` are ids of documents whose row, links or texts were written; `people` and
    `repositories` ids of those whose names were (their documents' search entries show them);
    `models` the models (or labels) written, for what names no document (a renamed subject).
    """
    change = ChangeSet(
        documents={pk for pk in documents if pk is not None},
        removed_documents={pk for pk in removed_documents if pk is not None},
        people={pk for pk in people if pk is not None},
        repositories={pk for pk in repositories if pk is not None},
        models={m if isinstance(m, str) else m._meta.label for m in models},
        public=public,
        everything=everything,
    )
    change.search_documents = change.documents - change.removed_documents
    if change.people:
        change.search_documents |= set(
            Contribution.objects.filter(person_id__in=change.people).values_list(
                "document_id", flat=True
            )
        )
        # The translators of further texts are named in their documents' entries too.
        change.search_documents |= set(
            DocumentText.objects.filter(translator_id__in=change.people).values_list(
                "document_id", flat=True
            )
        )
    if change.repositories:
        change.search_documents |= set(
            Citation.objects.filter(repository_id__in=change.repositories).values_list(
                "document_id", flat=True
            )
        )
    pending = _pending.get()
    if pending is not None:
        pending.add(change)
    else:
        _apply(change)


def record_rows(rows):
    """Say what a bulk update of the rows of a queryset changes, by their model's rule.

    Call it before an update that could move the rows out of the queryset.
    """
    rule = rule_for(rows.model)
    values = {}
    for kind in ("documents", "people", "repositories"):
        values[kind] = set()
        for name in getattr(rule, kind):
            column = "pk" if name == "pk" else rows.model._meta.get_field(name).attname
            values[kind].update(rows.values_list(column, flat=True))
    if rule.named_in:
        values["documents"].update(_named_documents(rule, rows.values("pk")))
    if rule.public or any(values.values()):
        record(**values, models=[rows.model], public=rule.public)


def rebuild():
    """Rebuild the search index from every document and tell the public side everything changed.

    For bulk loads that wrote past the ORM's signals (the generator, plain SQL). Returns how many
    documents were indexed.
    """
    count = search.rebuild_index()
    record(everything=True)
    return count


@contextmanager
def batch():
    """Apply everything recorded inside as one change set when the outermost batch ends.

    Open it inside the transaction whose writes it covers, so the search entries are written in
    that transaction. Also usable as a decorator (`@changes.batch()`, under `@transaction.atomic`).
    If the block fails, what it recorded is still applied (a caller may catch the error and
    commit the rest); the search entries then roll back with the writes when the transaction does.
    """
    if _pending.get() is not None:
        yield
        return
    token = _pending.set(ChangeSet())
    try:
        yield
    except BaseException:
        change = _pending.get()
        _pending.reset(token)
        try:
            _apply(change)
        except DatabaseError:
            pass  # the transaction failed too (PostgreSQL refuses every query until rollback)
        raise
    change = _pending.get()
    _pending.reset(token)
    _apply(change)


def _apply(change):
    if connection.in_atomic_block and transaction.get_rollback():
        return  # the writes will be rolled back, and so would anything written now
    if change.removed_documents:
        search.remove_documents(sorted(change.removed_documents))
    if change.search_documents:
        search.index_documents(sorted(change.search_documents - change.removed_documents))
    _stamp_harvested(change)
    if change.public:
        _tell_public(change, committed=False)
        # Again after commit: a page or an index built by another request in between, from the
        # data before the change, is dropped then.
        transaction.on_commit(partial(_tell_public, change, committed=True))


def _stamp_harvested(change):
    """Move the OAI-PMH datestamps of the records this change alters for harvesters.

    Inside the writer's transaction, so a deletion is never lost; and again after commit, so a
    harvester that listed up to a moment between the two does not miss the change for good.
    """
    at = HarvestRecord.objects.now()
    documents = None  # None: every record
    if change.everything:
        HarvestRecord.objects.resync(at=at)
    else:
        documents = sorted(change.documents | change.search_documents | change.removed_documents)
        # Published, withdrawn or deleted here: made or marked deleted.
        HarvestRecord.objects.stamp(documents, at=at)
        if change.models & HARVESTED_BY_EVERY_RECORD:
            HarvestRecord.objects.stamp_all(at=at)
            documents = None
        elif not documents:
            return
    if connection.in_atomic_block:
        transaction.on_commit(partial(HarvestRecord.objects.restamp, at, documents))


def _tell_public(change, *, committed):
    # The index first: once the page cache's generation moves on, the next visitor's page is
    # rendered from it, and it must already know.
    browse_index.archive_changed(change, committed=committed)
    cache.bump_generation()


# The rule table and the receivers -------------------------------------------------------------


def rule_for(model):
    return RULES[model._meta.label]


def app_models():
    """Every model of the two apps, the tables Django makes for many-to-many links included."""
    return [
        model
        for label in APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    ]


def check_rules(models):
    """Raise ImproperlyConfigured unless `RULES` names exactly these models."""
    labels = {model._meta.label for model in models}
    missing = sorted(labels - RULES.keys())
    stale = sorted(RULES.keys() - labels)
    problems = [
        f"documents.changes.RULES has no rule for the model {label}: say there what a write to "
        "it affects (a Rule), or NO_EFFECT if no search entry or public page depends on it."
        for label in missing
    ] + [
        f"documents.changes.RULES names {label}, which is not a model of the documents or "
        "collections app; remove it."
        for label in stale
    ]
    if problems:
        raise ImproperlyConfigured(" ".join(problems))


def connect():
    """Check the rule table, then tie the receivers to every model of the two apps (once)."""
    models = app_models()
    check_rules(models)
    _links.update(
        (f.remote_field.through, f) for model in models for f in model._meta.local_many_to_many
    )
    for model in models:
        label = model._meta.label
        if RULES[label] == NO_EFFECT:
            continue
        if not model._meta.auto_created:
            # Link tables Django makes are written through their managers (m2m_changed) or in
            # bulk (record()); a delete receiver on them would make every cascade load its rows.
            post_save.connect(_saved, sender=model, dispatch_uid=f"changes-saved-{label}")
            post_delete.connect(_deleted, sender=model, dispatch_uid=f"changes-deleted-{label}")
        if RULES[label].named_in:
            pre_save.connect(_saving, sender=model, dispatch_uid=f"changes-saving-{label}")
            pre_delete.connect(_deleting, sender=model, dispatch_uid=f"changes-deleting-{label}")
        if model in _links:
            m2m_changed.connect(_links_changed, sender=model, dispatch_uid=f"changes-m2m-{label}")


def _record_object(model, instance, *, deleted):
    rule = rule_for(model)
    values = {}
    for kind in ("documents", "people", "repositories"):
        values[kind] = {
            instance.pk if name == "pk" else getattr(instance, model._meta.get_field(name).attname)
            for name in getattr(rule, kind)
        }
    removed = {instance.pk} if deleted and "pk" in rule.documents else set()
    if rule.named_in:
        values["documents"] |= _named_changed(model, instance, deleted=deleted)
    record(
        documents=values["documents"] - removed,
        removed_documents=removed,
        people=values["people"],
        repositories=values["repositories"],
        models=[model],
        public=rule.public,
    )


def _named_documents(rule, entries):
    """The ids of the documents linked to these vocabulary entries (ids or a pk subquery)."""
    found = set()
    for path in rule.named_in.split("|"):
        found |= set(
            Document.objects.filter(**{f"{path}__in": entries}).values_list("pk", flat=True)
        )
    return found


def _stash(model, instance, value):
    stash = dict(_named_before.get() or {})
    stash[(model._meta.label, instance.pk)] = value
    _named_before.set(stash)


def _unstash(model, instance):
    stash = dict(_named_before.get() or {})
    value = stash.pop((model._meta.label, instance.pk), None)
    _named_before.set(stash)
    return value


def _saving(sender, instance, using=None, **kwargs):
    """Before a vocabulary entry is saved: note the names its documents' entries show now."""
    if instance.pk is not None:
        rows = sender._base_manager.using(using).filter(pk=instance.pk)
        _stash(sender, instance, rows.values_list(*rule_for(sender).names).first())


def _deleting(sender, instance, **kwargs):
    """Before a vocabulary entry is deleted: note its documents, whose links go with it."""
    _stash(sender, instance, _named_documents(rule_for(sender), [instance.pk]))


def _named_changed(model, instance, *, deleted):
    """The documents whose search entries a save or delete of a vocabulary entry changed."""
    before = _unstash(model, instance)
    if deleted:
        return before or set()
    rule = rule_for(model)
    if before is None or tuple(before) == tuple(getattr(instance, n) for n in rule.names):
        return set()  # new (nothing links to it yet), or its names are as they were
    return _named_documents(rule, [instance.pk])


def _saved(sender, instance, **kwargs):
    _record_object(sender, instance, deleted=False)


def _deleted(sender, instance, **kwargs):
    _record_object(sender, instance, deleted=True)


def _links_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """Links added or removed through a many-to-many manager (`document.subjects.add(...)`)."""
    key = (sender, type(instance), instance.pk, reverse)
    if action == "pre_clear":
        # After the clear the removed links are gone: note now which they were.
        stash = dict(_cleared.get() or {})
        stash[key] = _linked_now(sender, instance, reverse)
        _cleared.set(stash)
        return
    if action == "post_clear":
        stash = dict(_cleared.get() or {})
        pk_set = stash.pop(key, set())
        _cleared.set(stash)
    elif action not in ("post_add", "post_remove"):
        return
    rule = rule_for(sender)
    values = {}
    for kind in ("documents", "people", "repositories"):
        values[kind] = set()
        for name in getattr(rule, kind):
            target = sender._meta.get_field(name).related_model
            if isinstance(instance, target):
                values[kind].add(instance.pk)
            if issubclass(model, target):
                values[kind].update(pk_set or ())
    record(**values, models=[sender], public=rule.public)


def _linked_now(through, instance, reverse):
    """The ids on the other side of `instance`'s links in the link table `through`."""
    link = _links[through]
    source, target = link.m2m_field_name(), link.m2m_reverse_field_name()
    if reverse:
        source, target = target, source
    target_column = through._meta.get_field(target).attname
    rows = through._default_manager.filter(**{through._meta.get_field(source).attname: instance.pk})
    return set(rows.values_list(target_column, flat=True))
