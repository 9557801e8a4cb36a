"""Import documents from a spreadsheet: validate every row, preview, write in batches, undo.

The entry point is `import_documents(path, *, user, dry_run, create_missing, skip_errors,
date_order, ...)`. It streams the file (see `documents/spreadsheets/files.py`), works through it in
batches of `batch_size` rows, and for each batch:

1. cleans every cell (trimmed, control characters refused, length limits, dates, statuses),
2. resolves vocabularies (preloaded once per import into dicts) and people (looked up per
   batch by the archive's matching policy, `documents/authorities/matching.py`),
3. loads the batch's existing records and their links in a fixed number of queries and
   compares: a row is *new*, *updated* (with a column-by-column diff), *unchanged* or an
   *error*,
4. writes the new and updated records with bulk queries (unless `dry_run`), and records what
   each one held before in an `ImportJob`'s `ImportChange` rows so the import can be undone.

All or nothing: once a row fails, nothing more is written and the transaction is rolled back at
the end (the report still lists every bad row). With `skip_errors` the good rows are written and
the bad ones are listed and can be written to a spreadsheet of their own.

The work is split by step: `cleaning` (reading and comparing rows), `people` and `vocabularies`
(resolving names), `state` (what a record holds, in bulk), `writing` (bulk writes and what each
record held before), `results`; `undo.undo_import(job, *, user, dry_run)` reverses an import,
except records edited since."""

import time
from contextlib import contextmanager
from itertools import count

from django.db import connection, transaction
from django.utils import timezone

from documents import changes
from documents.authorities.records import DuplicateFinder
from documents.history.bulk import finish_revision
from documents.history.diffs import inline_diff, is_long_text
from documents.models import (
    Document,
    ImportJob,
    RememberedAnswer,
    Slugs,
)
from documents.models.bulk import with_ids
from documents.spreadsheets.cells import ERRORS_COLUMN, escape_formula, unescape_formula
from documents.spreadsheets.cleaning import DATE_ORDERS, DIFF_CONTEXT, RowCleaner, _Row
from documents.spreadsheets.columns import COLUMNS_BY_KEY, COMPARED_KEYS, PENDING, VOCABULARIES
from documents.spreadsheets.files import SpreadsheetError, Table, limit, write_rows
from documents.spreadsheets.people import People
from documents.spreadsheets.permissions import ImportPermissions
from documents.spreadsheets.questions import Questions
from documents.spreadsheets.results import Creation, ImportResult, RowError, RowResult
from documents.spreadsheets.state import load_states, state_of
from documents.spreadsheets.writing import RecordWriter

__all__ = ["ImportResult", "RowError", "SpreadsheetError", "import_documents"]


class _FileProblem(Exception):
    pass


class _Importer(RowCleaner, RecordWriter):
    def __init__(
        self,
        *,
        user,
        dry_run,
        create_missing,
        skip_errors,
        date_order,
        allow_duplicates,
        preview_limit,
        progress,
        job=None,
        answers=None,
        accept_suggestions=False,
    ):
        self.given_job = job
        self.user = user
        self.dry_run = dry_run
        self.create_missing = create_missing
        self.skip_errors = skip_errors
        self.date_order = date_order
        self.allow_duplicates = allow_duplicates
        self.preview_limit = preview_limit
        self.progress = progress
        self.new_ids = count(-1, -1)
        self.questions = Questions(
            answers,
            accept_suggestions=accept_suggestions,
            remembered=dict(RememberedAnswer.objects.values_list("question", "answer")),
        )
        # One Vocabulary per Terms: the columns naming the same entries share it.
        self.vocabularies = {}
        for terms in VOCABULARIES.values():
            for wanted in (terms, *terms.also):
                if wanted not in self.vocabularies:
                    self.vocabularies[wanted] = wanted.load()
                    self.vocabularies[wanted].questions = self.questions
        self.vocab = {key: self.vocabularies[terms] for key, terms in VOCABULARIES.items()}
        self.people = People(self.new_ids, self.questions)
        self.added_names = []  # [model label, id, name] of the variant names written
        self.header_warnings = []
        self.record_ids_seen = {}
        self.related_named = {}  # record ID a `related` cell names -> (row number, cell)
        self.links_later = []  # (link, pairs) waiting for records created later in the file
        self.duplicates = DuplicateFinder()
        self.created_people = []
        self.created_terms = []
        self.writing = not dry_run
        self.permissions = ImportPermissions(user)
        self.job = None
        self.job_fields = None
        self.revision = None
        self.history_docs = []
        self.columns_read = []  # set from the file's headers (see RowCleaner.map_headers)
        self.numbered_here = {}  # record ID this import gave a row -> (document id, row number)
        self.document_slugs = Slugs(Document)
        self.file_format = ""  # the file's, once open: an XLSX may hold texts it cut

    def connect_vocabularies(self):
        """Let each vocabulary's values name the entries of those it looks in as well, in the
        file's column for them (a subject that is a place goes in the places column)."""
        present = {column.key for column in self.columns_read}
        for terms, vocabulary in self.vocabularies.items():
            for other in terms.also:
                column = next(
                    (k for k, t in VOCABULARIES.items() if t is other and k in present), None
                )
                vocabulary.look_also_in(self.vocabularies[other], column)

    def job_row(self, fields):
        """The import's record: the row a background import was queued with, or a new one."""
        if self.given_job is None:
            return ImportJob.objects.create(**fields)
        for name, value in fields.items():
            setattr(self.given_job, name, value)
        self.given_job.save()
        return self.given_job

    # Reading ------------------------------------------------------------------------------


def import_documents(
    path,
    *,
    user=None,
    file_name="",
    file_format=None,
    encoding=None,
    dry_run=False,
    create_missing=False,
    skip_errors=False,
    allow_duplicates=False,
    date_order="mdy",
    batch_size=1000,
    preview_limit=0,
    progress=None,
    error_file=None,
    job=None,
    answers=None,
    accept_suggestions=False,
):
    """Import the spreadsheet at `path`; return an `ImportResult`.

    `user` is who imports (recorded on the job; their publish permission is checked).
    `dry_run` writes nothing. `create_missing` creates unknown types, classifications,
    languages, collections, subjects, places, funders and repositories. `skip_errors` writes the
    good rows even when others fail (otherwise a single bad row means nothing is written).
    `allow_duplicates` creates rows that match an existing record's title and date.
    `date_order` reads 05/08/1946 as May 8 ("mdy") or 5 August ("dmy"). `preview_limit` keeps
    that many row results for a preview. `progress(rows)` is called after each batch with the
    number of rows it held. `job` is an `ImportJob` made beforehand (a background import, see
    documents/tasks/imports.py), filled in instead of a new one.
    `answers` ({question key: answer code}, see documents/spreadsheets/questions.py) answer
    the questions the import asks; `accept_suggestions` takes the proposed answer of the others.
    `error_file` (a binary file object) receives the bad rows as a spreadsheet in the import's
    format, with an `import_errors` column, ready to fix and import again.
    """
    started = time.monotonic()
    if date_order not in DATE_ORDERS:
        raise ValueError(f"date_order must be one of {DATE_ORDERS}")
    file_name = file_name or str(path).rsplit("/", 1)[-1]
    result = ImportResult(file_name=file_name, dry_run=dry_run)
    options = {
        "dry_run": dry_run,
        "create_missing": create_missing,
        "skip_errors": skip_errors,
        "allow_duplicates": allow_duplicates,
        "date_order": date_order,
    }
    if answers:
        options["answers"] = dict(answers)
    if accept_suggestions:
        options["accept_suggestions"] = True
    importer = _Importer(
        user=user,
        dry_run=dry_run,
        create_missing=create_missing,
        skip_errors=skip_errors,
        date_order=date_order,
        allow_duplicates=allow_duplicates,
        preview_limit=preview_limit,
        progress=progress,
        job=job,
        answers=answers,
        accept_suggestions=accept_suggestions,
    )
    # Bad rows go to a temporary CSV as they are found, so memory does not grow with them.
    bad_rows = _BadRows()
    try:
        with _larger_sqlite_cache(), transaction.atomic(), changes.batch():
            _run(
                path,
                importer,
                result,
                bad_rows,
                file_format=file_format,
                encoding=encoding,
                batch_size=batch_size,
                options=options,
            )
            if result.file_errors or (result.failed and not skip_errors):
                importer.writing = False
            if not dry_run and importer.writing:
                result.written = True
                if importer.job is not None:
                    _finish_job(importer, result)
            else:
                transaction.set_rollback(True)
    except _FileProblem:
        pass
    if not dry_run and not result.written:
        result.created = result.updated = 0
        if job is not None:
            # A queued import has its record already: it says why nothing was written.
            result.job = _failed_job(importer, result, options)
    if error_file is not None and bad_rows.count:
        bad_rows.write(error_file, result.file_format or "csv")
    bad_rows.close()
    result.seconds = time.monotonic() - started
    return result


def _failed_job(importer, result, options):
    """Fill a queued import's record with why it wrote nothing."""
    return importer.job_row(
        dict(
            user=user_or_none(importer.user),
            file_name=result.file_name[:255],
            file_format=result.file_format,
            encoding=result.encoding,
            options=options,
            outcome=ImportJob.Outcome.FAILED,
            rows=result.rows,
            created=0,
            updated=0,
            unchanged=0,
            failed=result.failed,
            finished_at=timezone.now(),
            errors=[
                *({"row": 0, "column": "", "value": "", "message": m} for m in result.file_errors),
                *(e.as_dict() for e in result.errors[:500]),
            ],
        )
    )


@contextmanager
def _larger_sqlite_cache():
    """Give SQLite a 32 MB page cache for the import: index updates then stay in memory."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (previous,) = cursor.fetchone()
        cursor.execute("PRAGMA cache_size = -32768")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def user_or_none(user):
    return user if user is not None and getattr(user, "pk", None) else None


MAX_ERRORS_KEPT = 10_000


class _BadRows:
    """The rows that failed, with their errors, kept in a temporary CSV file."""

    def __init__(self):
        import csv
        import tempfile

        self.file = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")
        self.writer = csv.writer(self.file)
        self.count = 0
        self.headers = []

    def header(self, headers):
        self.headers = headers

    def append(self, row):
        # The values as the curator meant them, escaped again so no cell runs as a formula.
        self.writer.writerow([escape_formula(value) for value in row])
        self.count += 1

    def write(self, target, file_format):
        import csv

        self.file.seek(0)
        write_rows(target, self.headers, csv.reader(self.file), file_format=file_format)

    def close(self):
        self.file.close()


def _run(path, importer, result, bad_rows, *, file_format, encoding, batch_size, options):
    try:
        table = Table(path, name=result.file_name, file_format=file_format, encoding=encoding)
    except SpreadsheetError as error:
        result.file_errors.append(str(error))
        raise _FileProblem from error
    with table:
        result.file_format, result.encoding = table.format, table.encoding
        importer.file_format = table.format
        mapping, problems = importer.map_headers(table.headers)
        result.warnings.extend(importer.header_warnings)
        importer.connect_vocabularies()
        if problems:
            result.file_errors.extend(problems)
            raise _FileProblem
        # The job and its revision are written with the first change (see _Importer.start_job),
        # so an import that changes nothing writes nothing.
        importer.job_fields = {
            "user": user_or_none(importer.user),
            "started_at": timezone.now(),
            "file_name": result.file_name[:255],
            "file_format": table.format,
            "encoding": table.encoding,
            "options": options,
            "outcome": ImportJob.Outcome.IMPORTED,
            # What each record's after_hash covers, so that undo compares the same columns.
            "hashed_columns": COMPARED_KEYS,
        }
        headers = [table.headers[i] for i in sorted(mapping)]
        bad_rows.header([*headers, ERRORS_COLUMN])
        max_rows = limit("IMPORT_MAX_ROWS", 500_000)
        width = len(table.headers)
        unnamed = [i for i, header in enumerate(table.headers) if not (header or "").strip()]
        indexes, keys = list(mapping), list(mapping.values())
        batch = []
        try:
            for number, cells in table.rows():
                if result.rows >= max_rows:
                    result.file_errors.append(
                        f"The file has more than {max_rows:,} rows, the most this archive imports "
                        "at once. Split it into smaller files; nothing was written."
                    )
                    raise _FileProblem
                result.rows += 1
                if len(cells) >= width:
                    texts = [cells[index].strip() for index in indexes]
                else:
                    texts = [cells[i].strip() if i < len(cells) else "" for i in indexes]
                values = dict(zip(keys, texts, strict=True))
                if "'" in {text[:1] for text in texts}:
                    for key, value in values.items():
                        if value[:1] == "'":
                            values[key] = unescape_formula(value)
                row = _Row(number=number, cells=values)
                stray = ()
                if unnamed or len(cells) > width:
                    stray = [cells[i] for i in unnamed if i < len(cells) and cells[i].strip()]
                    stray += [c for c in cells[width:] if c.strip()]
                if stray:
                    extra = stray[0]
                    row.error(
                        "",
                        extra,
                        "This row has a value in a column without a header; "
                        "name the column or remove the value.",
                    )
                batch.append(row)
                if len(batch) >= batch_size:
                    _process(batch, importer, result, bad_rows, mapping)
                    batch = []
            if batch:
                _process(batch, importer, result, bad_rows, mapping)
            _check_related(importer, result)
            _check_answers(importer, result)
            if importer.writing:
                importer.write_links_later()
                importer.write_names()
        except SpreadsheetError as error:
            result.file_errors.append(str(error))
            raise _FileProblem from error


def _check_answers(importer, result):
    """Refuse the file if an answer given is not one of its question's choices."""
    result.questions = list(importer.questions)
    result.file_errors.extend(importer.questions.problems)
    if importer.questions.problems:
        importer.writing = False


def _check_related(importer, result):
    """Refuse the file if a `related` cell names a record neither in the archive nor the file."""
    named = set(importer.related_named) - set(importer.record_ids_seen)
    if not named:
        return
    known = set(
        with_ids(Document.objects.all(), "record_id", sorted(named)).values_list(
            "record_id", flat=True
        )
    )
    for record_id in sorted(named - known)[:100]:
        number, cell = importer.related_named[record_id]
        result.file_errors.append(
            f"Row {number}, column related: there is no record {record_id} in the archive or "
            f"in this file ('{cell[:100]}'). Nothing was imported; correct the record number "
            "or add that record's row."
        )
    if named - known:
        importer.writing = False


def _process(batch, importer, result, bad_rows, mapping):
    for row in batch:
        importer.clean(row)
    importer.clean_people(batch)
    for number, record_id in importer.release_claimed_numbers(batch).items():
        for item in result.preview:
            if item.row == number:
                item.record_id = record_id
    record_ids = [r.record_id for r in batch if r.record_id]
    by_record = dict(
        with_ids(Document.objects.all(), "record_id", record_ids).values_list("record_id", "pk")
    )
    duplicates = importer.find_duplicates(batch)
    possible = {m.document_id for matches in duplicates.values() for m in matches}
    existing = load_states(list(by_record.values()) + list(possible - {None}))
    for row in batch:
        matches = duplicates.get(row.number)
        if matches and not row.errors:
            importer.ask_about_duplicates(row, matches, existing, by_record)
    importer.classify(batch, existing, by_record)
    for row in batch:
        for note in row.notes:
            if len(result.notes) < 1000:
                result.notes.append((row.number, note))
            else:
                result.more_notes += 1
    for row in batch:
        if row.action == "error":
            result.failed += 1
            room = MAX_ERRORS_KEPT - len(result.errors)
            result.errors.extend(row.errors[: max(room, 0)])
            result.more_errors += max(len(row.errors) - max(room, 0), 0)
            bad_rows.append(
                [row.cells.get(mapping[i], "") for i in sorted(mapping)]
                + ["\n".join(str(e) for e in row.errors)]
            )
        elif row.action == "new":
            result.created += 1
        elif row.action == "updated":
            result.updated += 1
        elif row.action == "skipped":
            result.skipped += 1
        else:
            result.unchanged += 1
    if result.failed and not importer.skip_errors:
        importer.writing = False
    # Before writing: the entries to create still have their planned (negative) ids.
    _collect_creations(batch, importer, result)
    if importer.writing:
        importer.write(batch, existing)
    if importer.preview_limit:
        _collect_preview(batch, importer, result, existing)
    if importer.progress:
        importer.progress(len(batch))


def _collect_creations(batch, importer, result):
    """Note the people and vocabulary entries the good rows of `batch` would create."""
    for row in batch:
        if row.action not in ("new", "updated"):
            continue
        wanted = {}
        for column in PENDING:
            if column.key in row.values:
                for pending in column.pending_ids(row.values[column.key]):
                    wanted.setdefault(pending, None)
        for pending in wanted:
            kind, name = _planned(importer, pending)
            creation = result.creations.get((kind, name))
            if creation is None:
                creation = result.creations[kind, name] = Creation(kind, name)
            creation.add_row(row.number)


def _planned(importer, pending):
    """(kind, name) of the person or entry planned with the negative id `pending`."""
    if pending in importer.people.pending:
        return "person", importer.people.pending[pending]
    for vocabulary in importer.vocabularies.values():
        if pending in vocabulary.pending:
            return vocabulary.label, vocabulary.pending[pending]
    raise KeyError(f"No person or entry is planned with the id {pending}.")


# The most of a new record's long text the preview shows (the rest is counted, never cut
# silently).
NEW_TEXT_SHOWN = 600


def _collect_preview(batch, importer, result, existing):
    for row in batch:
        if len(result.preview) >= importer.preview_limit:
            result.more_rows += 1
            continue
        title = row.values.get("title") or row.cells.get("title", "")
        item = RowResult(
            row=row.number,
            action=row.action,
            record_id=row.record_id,
            title=title,
            errors=row.errors,
            notes=row.notes,
        )
        if row.action == "new":
            item.values = [
                (key, _shown_new(_display(importer, key, value)))
                for key, value in row.values.items()
                if value not in (None, "", ())
            ]
        if row.action == "updated":
            old = state_of(existing, row.doc_id)
            for key in row.changed:
                before = _display(importer, key, old[key])
                after = _display(importer, key, row.values[key])
                item.diff.append((key, before, after))
                if isinstance(before, str) and isinstance(after, str):
                    if is_long_text(before, after):
                        item.inline[key] = inline_diff(before, after, context=DIFF_CONTEXT)
            if not item.record_id:
                item.record_id = existing[row.doc_id]["record_id"]
        result.preview.append(item)


def _shown_new(text):
    """A new record's value for the preview: a long text's beginning and its length."""
    if isinstance(text, str) and len(text) > NEW_TEXT_SHOWN:
        return f"{text[:NEW_TEXT_SHOWN]}… ({len(text):,} characters in all)"
    return text


def _display(importer, key, value):
    """A value as the curator wrote it, for the preview's diff."""
    return COLUMNS_BY_KEY[key].display(value, importer)


def _finish_job(importer, result):
    importer.flush_history()
    if importer.revision is not None:
        finish_revision(importer.revision)
    job = importer.job
    job.finished_at = timezone.now()
    job.rows, job.created, job.updated = result.rows, result.created, result.updated
    job.unchanged, job.failed = result.unchanged, result.failed
    job.new_people = [list(p) for p in importer.created_people]
    job.new_terms = [list(t) for t in importer.created_terms]
    job.new_names = importer.added_names
    job.errors = [e.as_dict() for e in result.errors[:500]]
    job.save()
    result.job = job
    result.new_people = [name for _pk, name in importer.created_people]
    result.new_terms = [(label, name) for label, _pk, name in importer.created_terms]
    result.new_names = [(label, pk, name) for label, pk, name in importer.added_names]
