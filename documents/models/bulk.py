"""Plain-SQL bulk reads and writes shared by the import and the archive generator.

Kept hand-written where a measurement earned it (see each docstring). Writing through these
bypasses save() and signals: the caller reports what it changed (see documents.changes).
"""

from django.db import connection
from django.utils.text import slugify


def assign_slugs(model, objects, texts, max_length, used=None):
    """Give each object a unique slug in two queries (more only where a slug is taken)."""
    used = used if used is not None else set()
    bases = [(slugify(text) or model._meta.model_name)[:max_length].strip("-") for text in texts]
    taken = set(model.objects.filter(slug__in=set(bases)).values_list("slug", flat=True))
    for obj, base in zip(objects, bases, strict=True):
        slug, n = base, 1
        while slug in taken or slug in used:
            n += 1
            suffix = f"-{n}"
            slug = f"{base[: max_length - len(suffix)]}{suffix}"
            if slug not in used and slug not in taken and model.objects.filter(slug=slug).exists():
                taken.add(slug)  # taken by a record from before: try the next number
        used.add(slug)
        obj.slug = slug


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
    """INSERT plain values with one executemany: bulk_create builds a model object per row,
    which costs more than the database does for the many small link rows an import writes."""
    rows = list(rows)
    if not rows:
        return
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(model._meta.get_field(c).column) for c in columns),
        ", ".join(["%s"] * len(columns)),
    )
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # SQLite runs a prepared statement per row about as fast as one long statement.
            cursor.executemany(sql, rows)
            return
        # Client-server databases: one statement per chunk of rows saves a round trip per row.
        size = max(1, min(1000, 60000 // len(columns)))
        placeholder = "({})".format(", ".join(["%s"] * len(columns)))
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            statement = (
                sql.rsplit(" VALUES ", 1)[0] + " VALUES " + ", ".join([placeholder] * len(chunk))
            )
            cursor.execute(statement, [value for row in chunk for value in row])
