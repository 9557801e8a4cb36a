import shutil
import tempfile
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from documents.spreadsheets.files import SpreadsheetError, Table
from documents.spreadsheets.importing import import_documents
from documents.spreadsheets.questions import AnswersFileError, read_answers, write_questions


def count_rows(path, file_format, encoding):
    """The rows below the header, for the progress bar's total (a first, quick read of the file).

    None when the file cannot be read: the import then reports why, and the bar counts up.
    """
    try:
        with Table(path, file_format=file_format, encoding=encoding) as table:
            return sum(1 for _row in table.rows())
    except (SpreadsheetError, OSError):
        return None


class Command(BaseCommand):
    help = (
        "Import documents from a CSV, XLSX or ODS spreadsheet (columns: see the README). "
        "All or nothing unless --skip-errors; exits with status 1 when any row failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The spreadsheet to import.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report; write nothing."
        )
        parser.add_argument(
            "--create-missing",
            action="store_true",
            help="Create unknown types, classifications, languages, collections, subjects, "
            "places, funders and repositories instead of reporting them as errors.",
        )
        parser.add_argument(
            "--skip-errors",
            action="store_true",
            help="Import the good rows even when others fail; the bad ones go to the error file.",
        )
        parser.add_argument(
            "--allow-duplicates",
            action="store_true",
            help="Create rows whose title and date match an existing record.",
        )
        parser.add_argument(
            "--date-order",
            choices=["mdy", "dmy"],
            default="mdy",
            help="How to read 05/08/1946: mdy = May 8 (default), dmy = 5 August.",
        )
        parser.add_argument("--encoding", help="CSV encoding, e.g. cp1252 (default: detected).")
        parser.add_argument("--format", choices=["csv", "xlsx", "ods"], help="Default: detected.")
        parser.add_argument(
            "--errors-file",
            help="Where to write the rows that failed (default: FILE-errors.<ext> beside FILE).",
        )
        parser.add_argument("--user", help="Username recorded as the importer.")
        parser.add_argument(
            "--questions",
            metavar="QUESTIONS.csv",
            help="Write every question the import asks (a name likely the same as a person's, a "
            "near match of a subject, a possible duplicate record) with its proposed answer to "
            "this CSV file. Edit its 'answer' column and give it back with --answers.",
        )
        parser.add_argument(
            "--answers",
            metavar="QUESTIONS.csv",
            help="Answer the import's questions from this file (written by --questions).",
        )
        parser.add_argument(
            "--accept-suggestions",
            action="store_true",
            help="Take the proposed answer of every question not answered otherwise.",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"There is no file {path}.")
        user = None
        if options["user"]:
            try:
                user = get_user_model().objects.get(username=options["user"])
            except get_user_model().DoesNotExist as error:
                raise CommandError(f"There is no user '{options['user']}'.") from error
        answers = None
        if options["answers"]:
            try:
                with open(options["answers"], encoding="utf-8-sig", newline="") as source:
                    answers = read_answers(source)
            except OSError as error:
                raise CommandError(f"Cannot read the answers file: {error}") from error
            except AnswersFileError as error:
                raise CommandError(str(error)) from error
        quiet = options["verbosity"] == 0
        total = None if quiet else count_rows(path, options["format"], options["encoding"])
        bar = tqdm(
            total=total, unit=" rows", desc="Importing", disable=quiet, file=self.stderr._out
        )
        with tempfile.TemporaryFile() as errors:
            result = import_documents(
                path,
                user=user,
                file_format=options["format"],
                encoding=options["encoding"],
                dry_run=options["dry_run"],
                create_missing=options["create_missing"],
                skip_errors=options["skip_errors"],
                allow_duplicates=options["allow_duplicates"],
                date_order=options["date_order"],
                progress=bar.update,
                error_file=errors,
                answers=answers,
                accept_suggestions=options["accept_suggestions"],
            )
            bar.close()
            if result.failed:
                errors_path = Path(
                    options["errors_file"]
                    or path.with_name(f"{path.stem}-errors.{result.file_format}")
                )
                errors.seek(0)
                with errors_path.open("wb") as out:
                    shutil.copyfileobj(errors, out)
        self.report_problems(result)
        for number, note in result.notes:
            self.stdout.write(f"Row {number}, note: {note}")
        if result.more_notes:
            self.stdout.write(f"... and {result.more_notes} more notes.")
        self.stdout.write(result.summary())
        if result.new_people:
            self.stdout.write(
                f"New people ({len(result.new_people)}): " + "; ".join(result.new_people[:100])
            )
        if result.new_terms:
            self.stdout.write(
                "New vocabulary entries: "
                + "; ".join(f"{name} ({label})" for label, name in result.new_terms)
            )
        if result.failed:
            self.stdout.write(
                f"The rows with errors are in {errors_path}: fix them there and import that file."
            )
        if options["questions"]:
            with open(options["questions"], "w", encoding="utf-8", newline="") as target:
                write_questions(target, result.questions)
            self.stdout.write(
                f"The {len(result.questions)} questions are in {options['questions']}: check the "
                "answer column and import again with --answers "
                f"{options['questions']}."
            )
        if result.job:
            self.stdout.write(f"Recorded as import #{result.job.pk}.")
        if not result.ok:
            raise SystemExit(1)

    def report_problems(self, result):
        """Each problem once: the file's, the questions still open, then the other errors."""
        for message in result.warnings:
            self.stderr.write(f"Warning: {message}")
        for message in result.file_errors:
            self.stderr.write(message)
        open_questions = [q for q in result.questions if q.open]
        for question in open_questions:
            self.stderr.write(
                f"Question ({question.key}), rows {question.rows_text}: {question.message()}"
            )
        errors = [e for e in result.errors if not e.question]
        for error in errors[:200]:
            value = (
                f" ('{error.value[:60]}')"
                if error.value and error.value not in error.message
                else ""
            )
            self.stderr.write(f"{error}{value}")
        hidden = len(errors) + result.more_errors - 200
        if hidden > 0:
            self.stderr.write(f"... and {hidden} more errors (all of them are in the error file).")
