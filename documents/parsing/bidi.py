"""The invisible characters that set the direction of text, and which of them a text may hold.

Unicode's explicit direction controls (U+202A to U+202E and U+2066 to U+2069) change how the
text after them is shown: a right-to-left override makes "1945 ,Tehran" of "Tehran, 1945" and
reverses every Latin word up to the end of the line. Typed or pasted into a title or a name they
are invisible in the admin and reorder the public page, so a one-line text refuses every one of
them. A long text (a translation, a transcript, a note) may hold the embeddings and isolates
that Persian and Arabic word processors write around runs of the other direction, since those
only set the direction of a run and end with its paragraph; it refuses the two overrides, which
no source needs and which show letters in an order they were not written in. The marks
(LRM U+200E, RLM U+200F, ALM U+061C) are ordinary characters of mixed-direction text everywhere.
Pages isolate every title, name and paragraph as well (see documents/templatetags/archive.py),
so what a long text holds cannot reorder the page around it.
"""

import re

# Each control: (its name, what it does to the text after it).
CONTROLS = {
    "\u202a": ("left-to-right embedding", "which makes the text after it run left to right"),
    "\u202b": ("right-to-left embedding", "which makes the text after it run right to left"),
    "\u202c": ("pop directional formatting", "which ends an embedding or override"),
    "\u202d": ("left-to-right override", "which forces the text after it to run left to right"),
    "\u202e": ("right-to-left override", "which reverses the text after it"),
    "\u2066": ("left-to-right isolate", "which makes the text after it run left to right"),
    "\u2067": ("right-to-left isolate", "which makes the text after it run right to left"),
    "\u2068": ("first strong isolate", "which sets the direction of the text after it"),
    "\u2069": ("pop directional isolate", "which ends an isolate"),
}
OVERRIDES = "\u202d\u202e"

_ANY_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")
_OVERRIDE = re.compile(f"[{OVERRIDES}]")


def refused_control(text, *, multiline=False):
    """The first direction control in `text` that a one-line (or a long) text refuses, or None."""
    if not text or text.isascii():
        return None
    found = (_OVERRIDE if multiline else _ANY_CONTROL).search(text)
    return found.group() if found else None


def control_message(noun, character):
    """The sentence telling a curator which control the `noun` holds and what to do."""
    name, effect = CONTROLS[character]
    return (
        f"The {noun} contains the invisible {name} character U+{ord(character):04X}, "
        f"{effect}; remove it."
    )


# What a builder of prose (a citation, a credit line) puts around each value it quotes when the
# prose is to be shown as HTML: two private-use characters no text holds, which the page turns
# into <bdi> and </bdi> once the rest is escaped (documents.templatetags.archive.isolated).
# Plain-text formats (RIS, BibTeX, CSV) are built without them.
VALUE_START, VALUE_END = "\ue000", "\ue001"


def marked(text):
    """`text` between the marks of a value to isolate, its own marks removed."""
    return f"{VALUE_START}{unmarked(str(text))}{VALUE_END}"


def unmarked(text):
    """`text` without the marks of values to isolate."""
    return text.replace(VALUE_START, "").replace(VALUE_END, "")
