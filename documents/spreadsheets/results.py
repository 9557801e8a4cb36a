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
    question: str = ""  # the key of the open question this row waits for, if that is the error

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
            **({"question": self.question} if self.question else {}),
        }


@dataclass
class RowResult:
    """What the import does with one row; kept for the preview (up to `preview_limit` rows)."""

    row: int
    action: str  # "new", "updated", "unchanged", "skipped" or "error"
    record_id: int | None
    title: str
    diff: list = field(default_factory=list)  # (column, before, after)
    errors: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    values: list = field(default_factory=list)  # a new row's (column, value) that it sets
    inline: dict = field(default_factory=dict)  # column -> HTML of a long text's word diff

    @property
    def changes(self):
        """(column, before, after, word diff or "") of an updated row, for the preview."""
        return [(key, old, new, self.inline.get(key, "")) for key, old, new in self.diff]


@dataclass
class Creation:
    """A person or vocabulary entry the import would create, and the rows that need it."""

    kind: str  # "person", "subject", "place", "repository", ...
    name: str
    rows: list = field(default_factory=list)  # the first ROWS_NAMED row numbers
    more_rows: int = 0

    ROWS_NAMED = 20

    def add_row(self, number):
        if number in self.rows:
            return
        if len(self.rows) < self.ROWS_NAMED:
            self.rows.append(number)
        else:
            self.more_rows += 1


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
    skipped: int = 0  # rows the curator's answers leave out (possible duplicates)
    failed: int = 0
    errors: list = field(default_factory=list)  # the first MAX_ERRORS_KEPT
    more_errors: int = 0
    file_errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)  # about the file, e.g. columns left out
    new_people: list = field(default_factory=list)  # names
    notes: list = field(default_factory=list)  # (row, sentence): the first 1,000
    more_notes: int = 0
    new_terms: list = field(default_factory=list)  # (vocabulary, name)
    new_names: list = field(default_factory=list)  # (model label, id, name) variants added
    questions: list = field(default_factory=list)  # every Question asked, answered or open
    # What the good rows would create, before it is: {(kind, name): Creation}, in file order.
    creations: dict = field(default_factory=dict)
    preview: list = field(default_factory=list)
    more_rows: int = 0
    written: bool = False
    job: ImportJob | None = None
    error_file: str = ""
    seconds: float = 0.0

    @property
    def to_create(self):
        """The people and vocabulary entries the import would create, by kind, then name."""
        return sorted(self.creations.values(), key=lambda c: (c.kind != "person", c.kind, c.name))

    @property
    def open_questions(self):
        return sum(1 for q in self.questions if q.open)

    @property
    def waiting(self):
        """The refused rows refused only for a question still open (among the errors kept)."""
        rows = {}
        for error in self.errors:
            rows[error.row] = rows.get(error.row, True) and bool(error.question)
        return sum(rows.values())

    @property
    def grouped_notes(self):
        """[(rows, note)]: each note once, with the rows it is about ('please check' notes
        repeat for every row naming the same spelling)."""
        grouped = {}
        for number, note in self.notes:
            grouped.setdefault(note, []).append(number)
        return [(rows, note) for note, rows in grouped.items()]

    @property
    def waiting_only_for_answers(self):
        """Whether every refused row is refused only for a question still open."""
        return (
            not self.file_errors
            and not self.more_errors
            and bool(self.errors)
            and all(e.question for e in self.errors)
        )

    @property
    def ok(self):
        return not self.file_errors and not self.failed

    def summary(self):
        what = "Would create" if self.dry_run or not self.written else "Created"
        waiting = self.waiting
        parts = [
            f"{what} {self.created}, "
            f"{'would update' if what == 'Would create' else 'updated'} {self.updated}, "
            f"unchanged {self.unchanged}, "
            + (f"left out {self.skipped}, " if self.skipped else "")
            + (f"waiting for an answer {waiting}, " if waiting else "")
            + f"errors {self.failed - waiting} (of {self.rows} rows)."
        ]
        waiting = self.open_questions
        if waiting and not self.file_errors:
            parts.append(
                f"{waiting} question{'s' if waiting != 1 else ''} without an answer: the rows "
                "that need them are not written until answered."
            )
        if self.file_errors:
            # The problems themselves are listed beside the summary, each once.
            parts.append("Nothing was read or written because of the problems with the file.")
        elif self.failed and not self.written and not self.dry_run:
            parts.append("Nothing was written because some rows have errors.")
        return " ".join(parts)


class _FileProblem(Exception):
    pass
