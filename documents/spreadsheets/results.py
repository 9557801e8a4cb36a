"""What an import reports: per-row errors, the preview's row results and the import's totals."""

from dataclasses import dataclass, field

from documents.models import (
    ImportJob,
)

# The most of a refused value an error keeps: enough to find it, never a whole long text
# (errors are shown in the preview and stored with the import's record).
VALUE_SHOWN = 200


@dataclass
class RowError:
    row: int
    column: str
    value: str
    message: str

    def __post_init__(self):
        if isinstance(self.value, str) and len(self.value) > VALUE_SHOWN:
            self.value = f"{self.value[:VALUE_SHOWN]}… ({len(self.value):,} characters)"

    def __str__(self):
        where = f"Row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"

    def as_dict(self):
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }


@dataclass
class RowResult:
    """What the import does with one row; kept for the preview (up to `preview_limit` rows)."""

    row: int
    action: str  # "new", "updated", "unchanged" or "error"
    record_id: int | None
    title: str
    diff: list = field(default_factory=list)  # (column, before, after)
    errors: list = field(default_factory=list)
    notes: list = field(default_factory=list)


@dataclass
class ImportResult:
    file_name: str
    file_format: str = ""
    encoding: str = ""
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    errors: list = field(default_factory=list)  # the first MAX_ERRORS_KEPT
    more_errors: int = 0
    file_errors: list = field(default_factory=list)
    new_people: list = field(default_factory=list)  # names
    notes: list = field(default_factory=list)  # (row, sentence): the first 1,000
    more_notes: int = 0
    new_terms: list = field(default_factory=list)  # (vocabulary, name)
    preview: list = field(default_factory=list)
    more_rows: int = 0
    written: bool = False
    job: ImportJob | None = None
    error_file: str = ""
    seconds: float = 0.0

    @property
    def ok(self):
        return not self.file_errors and not self.failed

    def summary(self):
        what = "Would create" if self.dry_run or not self.written else "Created"
        parts = [
            f"{what} {self.created}, "
            f"{'would update' if what == 'Would create' else 'updated'} {self.updated}, "
            f"unchanged {self.unchanged}, errors {self.failed} (of {self.rows} rows)."
        ]
        if self.file_errors:
            parts.append(" ".join(self.file_errors))
        elif self.failed and not self.written and not self.dry_run:
            parts.append("Nothing was written because some rows have errors.")
        return " ".join(parts)


class _FileProblem(Exception):
    pass
