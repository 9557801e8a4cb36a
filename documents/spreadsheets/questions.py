"""The questions an import asks a curator, once per distinct written value, and their answers.

Where the archive's matching policies (documents.authorities) cannot decide what a cell means
(a name likely the same as a person's, a shared name, a near match of a subject, a possible
duplicate record), the import asks instead of guessing. A question is asked once per distinct
value, whatever number of cells and rows hold it; it lists the candidates and proposes an
answer. The curator answers in the admin's preview or in a questions file
(`import_documents FILE --dry-run --questions Q.csv`, then `--answers Q.csv`), or takes every
proposal (`--accept-suggestions`). A row whose question is open is not written; its error
names the question.

Answers are short codes, the same in the preview's form and in the file:

- ``#12``: the entry (person, subject, ...) number 12. The spelling is remembered as a variant
  or other name of it, so the same file imported again asks nothing;
- ``new``: a new entry of that name;
- ``=Pishavari``: (people) the same new person as the spelling 'Pishavari', new in the file;
- ``place#7``: (a subject equal to a place name) the place number 7, not a subject;
- ``update:1234``, ``new``, ``skip``: (records) update record 1234, create a separate
  record, or leave the row out.

May import nothing of the archive: the importer gives it the answers.
"""

import csv
from dataclasses import dataclass, field

# The question file's columns, in order; the curator fills `answer`.
FILE_COLUMNS = (
    "question",
    "kind",
    "written",
    "rows",
    "columns",
    "reason",
    "candidates",
    "choices",
    "proposed_answer",
    "answer",
)


@dataclass(frozen=True)
class Candidate:
    """One entry a question may mean: its answer code, its label and what tells it apart."""

    answer: str
    label: str
    details: str = ""

    def __str__(self):
        return f"{self.label} ({self.details})" if self.details else self.label


@dataclass
class Question:
    """What a value means, asked once however many cells hold it."""

    key: str
    kind: str
    written: str
    reason: str
    candidates: list = field(default_factory=list)
    choices: list = field(default_factory=list)  # (answer code, label)
    proposed: str = ""
    rows: list = field(default_factory=list)
    columns: list = field(default_factory=list)
    answer: str = ""  # as given (the preview's form, a file, or the proposal taken)
    # (records) answer code -> the row beside that record, column by column (FieldComparison)
    comparison: dict = field(default_factory=dict)
    from_memory: bool = False  # answered by an earlier import (RememberedAnswer), not asked

    def where(self, row, column):
        if not self.rows or self.rows[-1] != row:
            self.rows.append(row)
        if column and column not in self.columns:
            self.columns.append(column)

    def choice_label(self, answer):
        return dict(self.choices).get(answer, "")

    @property
    def open(self):
        return not self.answer

    @property
    def rows_text(self):
        """The rows as a curator reads them: '3, 7, 12-15'."""
        spans, start, last = [], None, None
        for number in self.rows:
            if start is None:
                start = last = number
            elif number == last + 1:
                last = number
            else:
                spans.append((start, last))
                start = last = number
        if start is not None:
            spans.append((start, last))
        return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)

    def message(self):
        """The error of a row waiting for this question's answer."""
        proposal = (
            f" Proposed: {self.choice_label(self.proposed)} ('{self.proposed}')."
            if self.proposed
            else ""
        )
        return (
            f"{self.reason}{proposal} Answer the question in the preview, or with --answers "
            "or --accept-suggestions on the command line."
        )


class Questions:
    """The questions of one import, by key, with the answers given to it."""

    def __init__(self, answers=None, *, accept_suggestions=False, remembered=None):
        self.given = dict(answers or {})
        self.accept_suggestions = accept_suggestions
        # Answers of earlier imports no record holds (see RememberedAnswer): taken unasked.
        self.remembered = dict(remembered or {})
        self.by_key = {}
        self.problems = []  # answers that are not one of their question's choices

    def ask(self, question, row=None, column=None):
        """Register `question` (the first time) and where it is asked; return its answer or ""."""
        known = self.by_key.get(question.key)
        if known is None:
            known = self.by_key[question.key] = question
            answer = self.given.get(question.key, "").strip()
            if answer and answer not in dict(question.choices):
                self.problems.append(
                    f"The answer '{answer}' to the question about '{question.written}' "
                    f"({question.key}) is not one of its choices: "
                    f"{', '.join(code for code, _label in question.choices)}."
                )
                answer = ""
            if not answer and self.remembered.get(question.key) in dict(question.choices):
                answer = self.remembered[question.key]
                question.from_memory = True
            if not answer and self.accept_suggestions:
                answer = question.proposed
            known.answer = answer
        if row is not None:
            known.where(row, column)
        return known.answer

    def asking(self, kind, written):
        """The key of the open question about `written` as a `kind`, or ""."""
        question = self.by_key.get(f"{kind}:{written}")
        return question.key if question is not None and question.open else ""

    def __iter__(self):
        """The questions asked: those an earlier import's answer settled are not."""
        return (q for q in self.by_key.values() if not q.from_memory)

    def __len__(self):
        return sum(1 for _q in self)

    @property
    def open(self):
        return sum(1 for q in self if q.open)


def write_questions(target, questions):
    """Write `questions` as a CSV a curator answers and gives back (`--answers`).

    The `answer` column starts as the answer given, else the proposal, as the preview's form
    does: the curator changes the answers they disagree with and fills the empty ones."""
    writer = csv.writer(target)
    writer.writerow(FILE_COLUMNS)
    for q in questions:
        writer.writerow(
            [
                q.key,
                q.kind,
                q.written,
                q.rows_text,
                ", ".join(q.columns),
                q.reason,
                "; ".join(str(c) for c in q.candidates),
                "; ".join(f"{code} = {label}" for code, label in q.choices),
                q.proposed,
                q.answer or q.proposed,
            ]
        )


class AnswersFileError(ValueError):
    pass


def read_answers(source):
    """{question key: answer} from a questions file; empty answers are left out.

    Raises AnswersFileError naming the line when the file is not a questions file.
    """
    reader = csv.reader(source)
    header = next(reader, None)
    if header is None or "question" not in header or "answer" not in header:
        raise AnswersFileError(
            "The answers file must be a questions file written by --questions, with its "
            "'question' and 'answer' columns."
        )
    key_at, answer_at = header.index("question"), header.index("answer")
    answers = {}
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) <= max(key_at, answer_at):
            raise AnswersFileError(f"Line {line} of the answers file has too few columns.")
        key, answer = cells[key_at].strip(), cells[answer_at].strip()
        if not key:
            raise AnswersFileError(f"Line {line} of the answers file names no question.")
        if answer:
            answers[key] = answer
    return answers
