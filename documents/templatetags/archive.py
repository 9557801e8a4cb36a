from django import template

from documents.models import join_names

register = template.Library()


@register.filter(name="join_names")
def join_names_filter(items):
    """Join items as prose: 'A', 'A and B', 'A, B and C'."""
    return join_names(items)
