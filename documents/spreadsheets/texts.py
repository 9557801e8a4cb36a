"""The kinds of spreadsheet column for a document's further translations and transcripts.

Each further text has a place ("slot") in the row: `translation_2`, `translation_3`, ...,
`transcript_2`, ... (the main ones are `text` and `transcript`). `FurtherText` is the text with
its language (`translation_2` and `translation_2_language`, read together), `TextNote` its note
and `TextTranslator` its translator (a person, found by the archive's matching rule for a whole
batch, like the people in the credit columns: see RowCleaner.clean_people). All keep their
values in one linked table (links.Texts): a record's state holds [kind, slot, language, text,
translator, note] rows. A note or translator column left out of a file leaves that part alone.

See documents/spreadsheets/kinds.py for what a kind is. May import the models and the spreadsheet
modules `cells`, `kinds` and `links`.
"""

from documents.models import DocumentText
from documents.spreadsheets.kinds import Column, Header, display_field, refuse_bidi_controls

KIND, SLOT, LANGUAGE, TEXT, TRANSLATOR, NOTE = range(6)  # a state row's places


def slot_row(raw, link, kind, slot):
    """The state's row of this further text, or None."""
    for row in raw[link.name]:
        if row[KIND] == kind and row[SLOT] == slot:
            return row
    return None


def nth_text(document, kind, slot):
    """The document's further text of `kind` in place `slot` (2, 3, ...), or None (prefetched)."""
    texts = [t for t in document.texts.all() if t.kind == kind]
    return texts[slot - 2] if len(texts) > slot - 2 else None


class FurtherText(Column):
    """A further translation or transcript with its language; an empty cell removes it."""

    pending = True  # its language may be one the import creates
    prefetch_related = ("texts__language",)

    def __init__(self, kind, slot, *, terms, link, example=""):
        self.kind, self.slot, self.terms, self.link = kind, slot, terms, link
        label = DocumentText.Kind(kind).label.lower()
        self.key = f"{kind}_{slot}"
        self.language = f"{self.key}_language"
        self.previous = f"{kind}_{slot - 1}" if slot > 2 else None
        main = "text" if kind == DocumentText.Kind.TRANSLATION else "transcript"
        self.label = label
        self.headers = (
            Header(
                self.key,
                f"A further {label} beside `{main}`, whole; line breaks are kept."
                + (f" Fill `{self.previous}` first." if self.previous else ""),
                example,
            ),
            Header(
                self.language,
                f"The language of `{self.key}`, by name or ISO code; needed with it.",
                "German" if example else "",
            ),
        )
        self.model_field = DocumentText._meta.get_field("text")

    def present(self, names):
        return self.key in names

    def header_problems(self, names):
        problems = []
        if self.key in names and self.language not in names:
            problems.append(f"The column '{self.key}' needs a '{self.language}' column beside it.")
        if self.language in names and self.key not in names:
            problems.append(f"The column '{self.language}' needs a '{self.key}' column beside it.")
        if self.previous and self.key in names and self.previous not in names:
            problems.append(f"The column '{self.key}' needs a '{self.previous}' column before it.")
        return problems

    def clean(self, row, importer):
        cells = row.cells
        text, language = cells[self.key], cells.get(self.language, "")
        if refuse_bidi_controls(row, self.key, text, self.model_field) or refuse_bidi_controls(
            row, self.language, language, display_field(self.terms)
        ):
            return
        if not text:
            if language:
                row.error(
                    self.language,
                    language,
                    f"'{self.language}' names a language, but '{self.key}' is empty; give the "
                    f"{self.label} or leave both empty.",
                )
                return
            row.values[self.key] = None
            return
        if self.previous and not cells.get(self.previous):
            row.error(
                self.key,
                text,
                f"'{self.key}' holds a {self.label}, but '{self.previous}' is empty; fill the "
                f"further {self.label}s in order, from '{self.kind}_2'.",
            )
            return
        if not language:
            row.error(
                self.language,
                "",
                f"The {self.label} in '{self.key}' needs its language in '{self.language}'.",
            )
            return
        pk = importer.vocab[self.key].read(row, self.language, language, importer)
        if pk is not None:
            row.values[self.key] = (pk, text)

    def compare(self, raw):
        found = slot_row(raw, self.link, self.kind, self.slot)
        return (found[LANGUAGE], found[TEXT]) if found else None

    def apply(self, raw, value, now):
        found = slot_row(raw, self.link, self.kind, self.slot)
        if value is None:
            if found:
                raw[self.link.name] = [r for r in raw[self.link.name] if r is not found]
            return
        if found:
            # A copy: the state before keeps its rows (undo restores them).
            raw[self.link.name] = [list(r) if r is found else r for r in raw[self.link.name]]
            found = slot_row(raw, self.link, self.kind, self.slot)
            found[LANGUAGE], found[TEXT] = value
        else:
            raw[self.link.name] = [*raw[self.link.name], [self.kind, self.slot, *value, None, ""]]

    def cells(self, document, context):
        text = nth_text(document, self.kind, self.slot)
        if text is None:
            return ("", "")
        return (text.text, getattr(text.language, self.terms.display))

    def display(self, value, importer):
        if value is None:
            return ""
        language, text = value
        return f"({importer.vocab[self.key].names.get(language, language)}) {text}"

    def long_text(self, value):
        return value[1] if value is not None else None

    def pending_ids(self, value):
        return (value[0],) if value is not None and value[0] < 0 else ()

    def materialize(self, value, real):
        return (real(value[0], value[0]), value[1]) if value is not None else None


class _TextPart(Column):
    """A part of a further text kept beside it (its note, its translator)."""

    place = None  # the state row's place of the part
    empty = None  # the part's value when there is none

    def __init__(self, name, help, example="", *, text):
        super().__init__(name, help, example)
        self.text, self.link = text, text.link
        self.kind, self.slot = text.kind, text.slot

    def header_problems(self, names):
        if self.key in names and self.text.key not in names:
            return [f"The column '{self.key}' needs a '{self.text.key}' column beside it."]
        return []

    def without_text(self, row, value):
        """Refuse a part given for a text the row does not give; return whether refused."""
        if value and not row.cells.get(self.text.key):
            row.error(
                self.key,
                value,
                f"'{self.key}' is filled, but '{self.text.key}' is empty; give the "
                f"{self.text.label} too, or leave '{self.key}' empty.",
            )
            return True
        return False

    def compare(self, raw):
        found = slot_row(raw, self.link, self.kind, self.slot)
        return found[self.place] if found else self.empty

    def apply(self, raw, value, now):
        # After the text's own column (declared before it): its row is there if it has a text.
        found = slot_row(raw, self.link, self.kind, self.slot)
        if found is not None:
            raw[self.link.name] = [list(r) if r is found else r for r in raw[self.link.name]]
            slot_row(raw, self.link, self.kind, self.slot)[self.place] = value


class TextNote(_TextPart):
    """The note shown with a further text."""

    place, empty = NOTE, ""

    def __init__(self, name, help, example="", *, text):
        super().__init__(name, help, example, text=text)
        self.model_field = DocumentText._meta.get_field("note")
        self.limit = self.model_field.max_length

    def clean(self, row, importer):
        value = row.cells[self.key]
        if refuse_bidi_controls(row, self.key, value, self.model_field) or self.without_text(
            row, value
        ):
            return
        if len(value) > self.limit:
            row.error(
                self.key,
                value,
                f"The note is {len(value)} characters long; the most it may have is "
                f"{self.limit}. Shorten it.",
            )
            return
        row.values[self.key] = value

    def cells(self, document, context):
        text = nth_text(document, self.kind, self.slot)
        return (text.note if text else "",)


class TextTranslator(_TextPart):
    """Who made a further translation: one person, found by name or variant, or created.

    Read for a whole batch with the credit columns' people (RowCleaner.clean_people), which
    gives the column its value through `people_value`."""

    place, empty = TRANSLATOR, None
    pending = True
    per_row = False
    role = "translator"
    prefetch_related = ("texts__translator",)

    def people_value(self, row, people):
        """The column's value from the people its cell names: one person's id, or None."""
        cell = row.cells[self.key]
        if people and self.without_text(row, cell):
            return None
        if len(people) > 1:
            row.error(
                self.key,
                cell,
                f"'{self.key}' names {len(people)} people; a further translation has one "
                "translator here (credit others in 'translators').",
            )
        return people[0][0] if people else None

    def cells(self, document, context):
        text = nth_text(document, self.kind, self.slot)
        if text is None or text.translator is None:
            return ("",)
        return (context.person_label(text.translator.name, text.translator_id),)

    def display(self, value, importer):
        if value is None:
            return ""
        importer.people.load_ids([value] if value > 0 else [])
        return importer.people.names.get(value, str(value))

    def pending_ids(self, value):
        return (value,) if value is not None and value < 0 else ()

    def materialize(self, value, real):
        return real(value, value) if value is not None else None
