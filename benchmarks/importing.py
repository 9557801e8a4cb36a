"""Import benchmark, run in a child process so its peak memory is its own.

    python -m benchmarks.importing --mode baseline|archive --file rows.csv

prints one JSON object: rows, seconds, rows per second, CPU seconds and rows per CPU-second,
peak memory (MB) and what was written.
`baseline` is a plain django-import-export ModelResource of Document with the library's defaults
(each row saved on its own, the whole file loaded into a tablib Dataset first). `archive` is the
archive's own spreadsheet import (documents.spreadsheets.importing), measured only when it exists.
"""

import argparse
import importlib
import importlib.util
import inspect
import json
import os
import resource
import sys
import time


def peak_memory_mb():
    """This process's peak resident memory since it started (VmHWM).

    Not `ru_maxrss`: Linux carries that across exec from the process that started this one, so
    an import started by a benchmark run that had grown to 1.4 GB reported 1.4 GB.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def baseline_resource():
    from import_export import fields, resources, widgets

    from documents.models import Classification, Document, DocumentType

    class BaselineDocumentResource(resources.ModelResource):
        """Stock ModelResource; the spreadsheet's differently named columns mapped, nothing more."""

        date_text = fields.Field(attribute="date_text", column_name="date")
        document_type = fields.Field(
            attribute="document_type",
            column_name="type",
            widget=widgets.ForeignKeyWidget(DocumentType, field="name"),
        )
        classification = fields.Field(
            attribute="classification",
            column_name="classification",
            widget=widgets.ForeignKeyWidget(Classification, field="name"),
        )

        class Meta:
            model = Document
            import_id_fields = ["record_id"]
            fields = [
                "record_id",
                "title",
                "date_text",
                "document_type",
                "summary",
                "text",
                "transcript",
                "classification",
                "status",
            ]

    return BaselineDocumentResource()


def run_baseline(path):
    import tablib

    started = time.perf_counter()
    with open(path, encoding="utf-8", newline="") as handle:
        dataset = tablib.Dataset().load(handle.read(), format="csv")
    result = baseline_resource().import_data(dataset, dry_run=False, use_transactions=True)
    seconds = time.perf_counter() - started
    if result.has_errors() or result.has_validation_errors():
        first = next(iter(result.row_errors()), None)
        return {"status": f"failed: {first}"}
    return {"rows": len(dataset), "seconds": seconds, "written": dict(result.totals)}


def archive_import_entry_point():
    """The archive's own import, if this checkout has it: (callable, description) or (None, why)."""
    if importlib.util.find_spec("documents.spreadsheets.importing") is None:
        return None, "not available: documents.spreadsheets.importing is not in this checkout yet"
    module = importlib.import_module("documents.spreadsheets.importing")
    for name in ("import_file", "import_spreadsheet", "import_documents", "run_import"):
        function = getattr(module, name, None)
        if callable(function):
            return function, f"documents.spreadsheets.importing.{name}"
    return (
        None,
        (
            "not available: documents.spreadsheets.importing has no import_file/import_documents"
            " function"
        ),
    )


def run_archive(path):
    function, description = archive_import_entry_point()
    if function is None:
        return {"status": description}
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(is_superuser=True).first()
    parameters = inspect.signature(function).parameters
    kwargs = {}
    for name in ("by", "user"):
        if name in parameters:
            kwargs[name] = user
    # The generated file names vocabulary entries (types, collections, ...) that the fresh
    # database does not hold yet; staff importing such a file choose "create missing values".
    if "create_missing" in parameters:
        kwargs["create_missing"] = True
    started = time.perf_counter()
    try:
        try:
            result = function(path, **kwargs)
        except TypeError:
            with open(path, "rb") as handle:
                result = function(handle, **kwargs)
    except Exception as error:  # noqa: BLE001 - the benchmark reports any failure as a row
        return {"status": f"failed: {type(error).__name__}: {error}"}
    seconds = time.perf_counter() - started
    # A rejected file writes nothing, fast: never report that as import speed.
    failed = getattr(result, "failed", 0) or len(getattr(result, "file_errors", None) or [])
    if failed:
        errors = getattr(result, "errors", None) or getattr(result, "file_errors", None) or []
        first = f": {errors[0]}" if errors else ""
        return {"status": f"failed: {failed} rows were refused{first}"}
    written = {}
    for key in ("created", "updated", "unchanged", "skipped", "new", "update", "skip"):
        value = getattr(result, key, None) if not isinstance(result, dict) else result.get(key)
        if isinstance(value, int):
            written[key] = value
        elif isinstance(value, list | tuple | set):
            written[key] = len(value)
    rows = getattr(result, "rows", None)
    if not isinstance(rows, int):
        # Records, not lines: a cell may hold line breaks (the generated texts do).
        import csv

        with open(path, encoding="utf-8", newline="") as handle:
            rows = sum(1 for _record in csv.reader(handle)) - 1
    return {"rows": rows, "seconds": seconds, "written": written, "entry_point": description}


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=["baseline", "archive"], required=True)
    parser.add_argument("--file", required=True)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive_site.settings")
    import django

    django.setup()
    from django.db import connection

    counts = {"queries": 0, "writes": 0}

    def count(execute, sql, params, many, context):
        # Counted, not stored: keeping every statement would inflate the peak memory measured.
        counts["queries"] += 1
        if sql.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE"):
            counts["writes"] += 1
        return execute(sql, params, many, context)

    cpu = time.process_time()
    with connection.execute_wrapper(count):
        outcome = run_baseline(args.file) if args.mode == "baseline" else run_archive(args.file)
    # The machine may be shared: CPU time (this process, including SQLite's work in it) is the
    # steadier measure; reading the file and setting up are included, starting Python is not.
    cpu = time.process_time() - cpu
    outcome.setdefault("status", "ok")
    if outcome["status"] == "ok":
        outcome["rows_per_second"] = outcome["rows"] / outcome["seconds"]
        outcome["cpu_seconds"] = cpu
        outcome["rows_per_cpu_second"] = outcome["rows"] / cpu if cpu else None
        outcome.update(counts)
    outcome["peak_memory_mb"] = peak_memory_mb()
    json.dump(outcome, sys.stdout)


if __name__ == "__main__":
    main()
