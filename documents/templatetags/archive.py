import json
import re

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import _json_script_escapes, conditional_escape, linebreaks
from django.utils.safestring import mark_safe

from documents import search
from documents.models import join_names
from documents.parsing.bidi import VALUE_END, VALUE_START
from documents.parsing.dates import format_edtf

register = template.Library()


# Isolating text of either direction ------------------------------------------------------------
# A Persian title or name in an English sentence (or the reverse) is shown in its own direction
# and cannot pull the punctuation or numbers around it to the wrong side. Inline values (a title
# in a list, a name, a facet's label) go in <bdi>, the |bidi filter; a block that holds one text
# (a heading, a paragraph of a summary) gets dir="auto", in the template or by |bidi_paragraphs.


@register.filter(needs_autoescape=True)
def bidi(value, autoescape=True):
    """`value` escaped and isolated in <bdi> (nothing for an empty value)."""
    if value is None or value == "":
        return ""
    text = conditional_escape(value) if autoescape else value
    return mark_safe(f"<bdi>{text}</bdi>")  # noqa: S308 - escaped above


@register.filter(needs_autoescape=True)
def bidi_paragraphs(value, autoescape=True):
    """Text as |linebreaks shows it, each paragraph in its own direction (dir="auto")."""
    html = linebreaks(value, autoescape=autoescape)
    return mark_safe(html.replace("<p>", '<p dir="auto">'))  # noqa: S308 - from linebreaks


_CODE_SPAN = re.compile(r"`([^`]+)`")


@register.filter(needs_autoescape=True)
def code_spans(value, autoescape=True):
    """`value` escaped, with its `back-quoted` names (columns, commands) set as <code>: the
    column guide's help texts are written once, for the README's Markdown and the admin."""
    text = conditional_escape(value) if autoescape else value
    return mark_safe(_CODE_SPAN.sub(r"<code>\1</code>", str(text)))  # noqa: S308 - escaped above


@register.filter
def isolated(prose):
    """Prose built with documents.parsing.bidi.marked values, escaped, each value in <bdi>."""
    html = conditional_escape(prose)
    return mark_safe(html.replace(VALUE_START, "<bdi>").replace(VALUE_END, "</bdi>"))  # noqa: S308


@register.filter
def bidi_cells(cells):
    """A change-list row's cells (the <td> and <th> Django renders), each in its text's direction.

    One call a row rather than a cell: the admin lists 100 rows of 7 cells a page."""
    return mark_safe("".join([_with_dir(cell) for cell in cells]))  # noqa: S308 - Django's cells


def _with_dir(cell):
    tag = cell[:3]
    if tag in ("<td", "<th") and cell[3:4] in (" ", ">"):
        return f'{tag} dir="auto"{cell[3:]}'
    return cell


@register.filter(name="join_names", needs_autoescape=True)
def join_names_filter(items, autoescape=True):
    """Join items as prose, each isolated: 'A', 'A and B', 'A, B and C'."""
    return mark_safe(join_names(bidi(item, autoescape) for item in items))  # noqa: S308


@register.filter
def highlight(snippet):
    """A search snippet, escaped, with the matched words in <mark>."""
    return search.highlight(snippet)


@register.filter
def json_ld(data):
    """Data as JSON safe inside <script type="application/ld+json"> (as json_script escapes it)."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return mark_safe(text.translate(_json_script_escapes))  # noqa: S308 - <, > and & escaped


@register.simple_tag
def year_span(first, last):
    """The years from day `first` to day `last` as the archive writes a range ('1945–1953'),
    or one year ('1946')."""
    if first is None or last is None:
        return ""
    edtf = f"{first.year:04d}" if first.year == last.year else f"{first.year:04d}/{last.year:04d}"
    return format_edtf(edtf)
