"""How a snippet marks the words that matched, and how those marks become HTML.

Both backends build snippets with these marks; `highlight()` turns them into <mark> elements.

May import: nothing of the project.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

# Private-use characters mark highlighted words in snippets; the text around them is escaped
# before the marks become <mark> tags, so nothing a curator typed can turn into markup.
MARK_START, MARK_END = "\ue000", "\ue001"


def highlight(snippet):
    """Escape a snippet, then turn its match marks into <mark> elements."""
    if not snippet:
        return ""
    html = escape(snippet).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return mark_safe(html)  # noqa: S308 - everything but our own marks was escaped above
