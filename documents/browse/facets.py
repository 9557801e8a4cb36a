"""The facet sidebar of the public lists: each declared facet's top options, labelled and linked.

Counts come from the in-memory index (`documents.browse.index`), labels from one query there,
headings and order from the declarations (`documents.browse.declarations`). Every facet is
rendered by the same template loop (`includes/document_results.html`), so a declared filter
with a facet appears on the lists without template changes.

Imports the declarations and the index; the views import this module.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from documents.browse import declarations, index


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool = False
    url: str = ""


@dataclass
class Facet:
    name: str
    label: str
    options: list[FacetOption] = field(default_factory=list)

    @property
    def selected(self):
        return [option for option in self.options if option.selected]


def facet_options(found, *, exclude=()):
    """The facets of `found` (from `index.find`), each with its top options."""
    chosen = [
        (name, heading)
        for declaration in declarations.FILTERS
        for name, heading in declaration.facets
        if name not in exclude
    ]
    counts = found.facet_counts([name for name, _heading in chosen])
    known = index.labels(counts)
    result = []
    for name, heading in chosen:
        options = []
        for term, count in counts[name]:
            if term not in known[name]:
                continue  # gone since the index was built
            value, text, sort_label = known[name][term]
            options.append((FacetOption(value, text, count), sort_label or ""))
        options.sort(key=lambda pair: (-pair[0].count, pair[1]))
        result.append(Facet(name, heading, [option for option, _sort in options]))
    return result


def link_facets(facets, params):
    """Mark the options already chosen and give each option the URL that toggles it."""
    for facet in facets:
        chosen = params.getlist(facet.name)
        for option in facet.options:
            option.selected = option.value in chosen
            if option.selected:
                values = [v for v in chosen if v != option.value]
            else:
                values = [*chosen, option.value]
            option.url = "?" + query_string(params, facet.name, values)
        # A value chosen in the URL but absent from the results still shows, to be removed.
        known = {option.value for option in facet.options}
        for value in chosen:
            if value not in known:
                remaining = [v for v in chosen if v != value]
                facet.options.insert(
                    0,
                    FacetOption(
                        value, value, 0, True, "?" + query_string(params, facet.name, remaining)
                    ),
                )
    return facets


def query_string(params, name, values):
    """The current query string with `name` set to `values` and the page number dropped."""
    pairs = [(k, v) for k, vs in params.lists() if k not in (name, "page") for v in vs if v != ""]
    pairs += [(name, v) for v in values]
    return urlencode(pairs)
