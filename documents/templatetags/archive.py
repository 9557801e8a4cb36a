import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import _json_script_escapes
from django.utils.safestring import mark_safe

from documents import search
from documents.models import join_names

register = template.Library()


@register.filter(name="join_names")
def join_names_filter(items):
    """Join items as prose: 'A', 'A and B', 'A, B and C'."""
    return join_names(items)


@register.filter
def highlight(snippet):
    """A search snippet, escaped, with the matched words in <mark>."""
    return search.highlight(snippet)


@register.filter
def json_ld(data):
    """Data as JSON safe inside <script type="application/ld+json"> (as json_script escapes it)."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return mark_safe(text.translate(_json_script_escapes))  # noqa: S308 - <, > and & escaped
