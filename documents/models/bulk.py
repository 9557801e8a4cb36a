"""Plain-SQL bulk reads and writes shared by the import, its history and the archive generator.

Kept hand-written where a measurement earned it (see each docstring). Writing through these
bypasses save() and signals: the caller reports what it changed (see documents.changes).
"""

import operator
from contextlib import nullcontext

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction


def select_rows(model, columns, document_ids, *, by="document_id"):
    """Rows of a link table for these documents, in (order, pk) order where the table has one.

    Plain SQL: the ORM prepares each of the thousand ids of a batch again for every table,
    which costs more than the queries themselves on the unchanged-file path.
    """
    quote = connection.ops.quote_name
    names = [model._meta.get_field(c).column for c in columns]
    has_order = any(f.name == "order" for f in model._meta.fields)
    sql = "SELECT {} FROM {} WHERE {} IN ({}) ORDER BY {}".format(
        ", ".join(quote(n) for n in names),
        quote(model._meta.db_table),
        quote(by),
        ", ".join(["%s"] * len(document_ids)),
        f"{quote('order')}, {quote(model._meta.pk.column)}"
        if has_order
        else quote(model._meta.pk.column),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(document_ids))
        return cursor.fetchall()


def with_ids(queryset, column, ids):
    """`queryset.filter(<column>__in=ids)` for whole numbers, without the ORM's per-value work.

    Preparing a thousand ids for an IN lookup costs the ORM more than SQLite takes to run the
    query, and an import does it for every table of every batch. The ids are formatted as
    integers, so nothing from a file reaches the SQL text.
    """
    ids = {int(i) for i in ids}
    if not ids:
        return queryset.none()
    model = queryset.model
    name = model._meta.pk.column if column == "pk" else model._meta.get_field(column).column
    quote = connection.ops.quote_name
    where = f"{quote(model._meta.db_table)}.{quote(name)} IN ({', '.join(map(str, sorted(ids)))})"
    return queryset.extra(where=[where])


def insert_rows(model, columns, rows):
    """INSERT plain values (already in the database's form) into `model`'s table, in bulk.

    The one bulk insert of the import, its history and the archive generator. `columns` are
    field names or attnames. bulk_create builds a model object per row, which costs more than
    the database does for the many small link rows an import writes. On PostgreSQL the rows
    are streamed with one COPY: 5,000 link rows take 68 ms against 446 ms as multi-row INSERTs
    of 1,000 rows (20,000: 0.37 s against 2.3 s; PostgreSQL 15, measured for issue 10). On
    SQLite, a prepared statement run per row (executemany) is as fast as one long statement.
    """
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(model._meta.get_field(c).column) for c in columns)
    # One transaction, as bulk_create has: outside one, SQLite would commit every row.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = f"COPY {table} ({names}) FROM STDIN"
            # Logged like any query where queries are being counted (tests, benchmarks).
            debug = cursor.debug_sql(sql) if hasattr(cursor, "debug_sql") else nullcontext()
            with debug, cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
            return
        rows = list(rows)
        if rows:
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", rows)


# Fields whose values need the database's own form (dates as text on SQLite, JSON, ...), given
# as Python values of the field's type; a file is first read as its name.
_PREPARED_TYPES = {
    "DateField",
    "DateTimeField",
    "TimeField",
    "DurationField",
    "DecimalField",
    "JSONField",
    "UUIDField",
}
_NAMED_TYPES = {"FileField"}


def insert_objects(model, objects, *, fields=None, key=None):
    """INSERT unsaved model objects with `insert_rows`; set their pks by `key` if given.

    `fields` default to every concrete field but the automatic primary key. `key` names a
    unique field whose values find the new rows' primary keys again (one query; for text, one
    per 5,000).
    Values, Python values of their fields' types, are written as they are, dates, JSON and
    files in the database's form; a timestamp left empty (auto_now, auto_now_add) is filled in
    as save() would.
    """
    objects = list(objects)
    if not objects:
        return
    meta = model._meta
    if fields is None:
        fields = [f.attname for f in meta.concrete_fields if not f.primary_key]
    # The connection itself, not the proxy: each value prepared would look it up again.
    database = connections[DEFAULT_DB_ALIAS]
    readers = [_reader(meta.get_field(name), database) for name in fields]
    insert_rows(model, fields, (tuple(read(obj) for read in readers) for obj in objects))
    if key is not None:
        values = [getattr(obj, key) for obj in objects]
        rows = model._default_manager.all()
        if all(isinstance(value, int) for value in values):
            found = dict(with_ids(rows, key, values).values_list(key, "pk"))
        else:
            found = {}
            for start in range(0, len(values), 5000):
                chunk = values[start : start + 5000]
                found.update(rows.filter(**{f"{key}__in": chunk}).values_list(key, "pk"))
        for obj, value in zip(objects, values, strict=True):
            obj.pk = found[value]
            obj._state.adding = False


def _reader(field, database):
    """How to read a field's value from an object for `insert_rows`."""
    attname = field.attname
    stamped = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    kind = field.get_internal_type()
    if kind in _NAMED_TYPES:
        return lambda obj: field.get_db_prep_save(getattr(obj, attname), database)
    prepared = kind in _PREPARED_TYPES
    if not stamped and not prepared:
        return operator.attrgetter(attname)

    last = [None, None]  # a batch's rows often share one value (its timestamp): adapt it once

    def read(obj):
        value = getattr(obj, attname)
        if stamped and value is None:
            value = field.pre_save(obj, add=True)
        if value is None or not prepared:
            return value
        if value is not last[0]:
            # The value is of the field's type already: only the database's form is missing.
            last[:] = value, field.get_db_prep_value(value, database, prepared=True)
        return last[1]

    return read
