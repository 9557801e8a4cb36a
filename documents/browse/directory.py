"""The browse pages of the authorities: the people, subjects and places published documents name.

`DIRECTORIES` declares each page once: the public filter whose terms it lists (from
`documents.browse.declarations`, so an entry links to the document list filtered by the same
name and value the list itself reads) and how a visitor's words find its entries. Everything a
page shows is derived:

- which entries: those at least one published document names, with the number of published
  documents naming each, counted by the in-memory index (`PublicIndex.term_counts`, the same
  counts as the list's facets); a draft's or a withdrawn record's people, subjects and places
  are absent and uncounted;
- their order: the vocabulary's sort label as the database orders it (a person's sort name,
  'Bagirov, M. D.'), grouped under the initial letter of its folded form (`name_key`: Ə is
  under A, Молотов under M), the letters being the navigation bar's; read once per version of
  the archive and kept with the index (`PublicIndex.derived`), so a page costs the same whatever
  the archive holds;
- a search: a person by the archive's one rule for "is this the same person?"
  (`documents.authorities.matching.PersonMatcher.candidates`: 'bagirov', 'Багиров' or the
  misspelling 'Bagriov' find M. D. Bagirov), or by part of any of their names, folded; a
  subject or a place by the vocabularies' rule (`documents.authorities.terms.TermMatcher`:
  'Teheran' finds Tehran) or by part of its name or of one of its other names, folded.

Only ids, counts and letters are kept in memory; the rows of a page are read from the database
on each request, so a renamed entry is never shown from memory.

Imports the declarations, the index, the authorities' matching rules and the models.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

import numpy as np
from django.urls import reverse

from documents.authorities import terms as term_rules
from documents.authorities.matching import PersonMatcher
from documents.browse.declarations import PEOPLE, PLACE, SUBJECT
from documents.browse.index import public_index
from documents.models import PersonName
from documents.models.base import split_names
from documents.parsing.names import name_key

OTHER = "#"  # the letter of names that begin with no letter of the alphabet


@dataclass(frozen=True, eq=False)
class Directory:
    """One browse page: the terms of one declared filter that published documents name."""

    declaration: object  # a declared filter of documents.browse.declarations
    label: str  # what an entry is, in the singular ('person')

    @property
    def name(self):
        return self.declaration.name

    @property
    def vocabulary(self):
        return self.declaration.vocabulary

    @property
    def model(self):
        return self.vocabulary.model

    def list_url(self, term):
        """The document list filtered by `term`, by the filter's own name and value."""
        value = getattr(term, self.vocabulary.value)
        return f"{reverse('documents:list')}?{urlencode({self.name: value})}"

    def entry_url(self, term):
        """Where an entry's name links: a person's page, else the filtered document list."""
        return term.get_absolute_url() if self.declaration is PEOPLE else self.list_url(term)


PEOPLE_DIRECTORY = Directory(PEOPLE, "person")
SUBJECTS_DIRECTORY = Directory(SUBJECT, "subject")
PLACES_DIRECTORY = Directory(PLACE, "place")
DIRECTORIES = (PEOPLE_DIRECTORY, SUBJECTS_DIRECTORY, PLACES_DIRECTORY)


def letter_of(text):
    """The letter a name is listed under: its folded form's first letter, else OTHER."""
    key = name_key(text[:8])
    first = key[:1].upper()
    return first if "A" <= first <= "Z" else OTHER


@dataclass(frozen=True)
class Listing:
    """The entries of a directory that published documents name, A to Z."""

    ids: np.ndarray  # term ids, in order
    letters: np.ndarray  # the letter of each
    counts: np.ndarray  # published documents, by term id

    def letter_bar(self):
        """[(letter, number of entries)] of the letters that have entries, A to Z, then OTHER."""
        letters, numbers = np.unique(self.letters, return_counts=True)
        found = dict(zip(letters.tolist(), numbers.tolist(), strict=True))
        order = [chr(c) for c in range(ord("A"), ord("Z") + 1)] + [OTHER]
        return [(letter, found[letter]) for letter in order if letter in found]

    def under(self, letter):
        return self.ids[self.letters == letter]

    def among(self, term_ids):
        """The entries among `term_ids`, in the listing's order (the others left out)."""
        return self.ids[np.isin(self.ids, np.fromiter(term_ids, dtype=np.int64))]


def listing(directory):
    """The `Listing` of `directory` for the current version of the archive."""
    index = public_index()
    return index.derived(("directory", directory.name), lambda: _listing(index, directory))


def _listing(index, directory):
    counts = index.term_counts(directory.name)
    public = set(np.flatnonzero(counts).tolist())
    vocabulary = directory.vocabulary
    rows = directory.model._default_manager.order_by(vocabulary.sort_label, "pk").values_list(
        "pk", vocabulary.sort_label
    )
    kept = [(pk, letter_of(label or "")) for pk, label in rows if pk in public]
    ids = np.array([pk for pk, _letter in kept], dtype=np.int64)
    letters = np.array([letter for _pk, letter in kept], dtype="<U1")
    # Grouped by letter, each letter's entries in the database's order (a stable sort); OTHER
    # ('#') sorts before the letters in Unicode, so it is moved after Z.
    order = np.argsort(letters, kind="stable")
    other = letters[order] == OTHER
    order = np.concatenate((order[~other], order[other]))
    return Listing(ids[order], letters[order], counts)


def search(directory, words):
    """The ids of the entries `words` find, by the directory's rule (see the module docstring)."""
    key = name_key(words)
    if not key:
        return set()
    if directory.declaration is PEOPLE:
        found = PersonMatcher().candidates(words)
        people = directory.model._default_manager
        found |= set(people.filter(name_key__contains=key).values_list("pk", flat=True))
        found |= set(
            PersonName.objects.filter(name_key__contains=key).values_list("person_id", flat=True)
        )
        return found
    matcher, folded = _term_matcher(directory)
    decision = matcher.decide(words)
    found = {
        candidate.id
        for candidate in decision.candidates
        if candidate.vocabulary == directory.label
        and (decision.kind in (term_rules.SAME, term_rules.AMBIGUOUS) or candidate.link)
    }
    return found | {pk for pk, names in folded if any(key in name for name in names)}


def _term_matcher(directory):
    """The vocabulary's `TermMatcher` and each entry's folded names, kept with the index."""
    index = public_index()

    def make():
        public = set(listing(directory).ids.tolist())
        rows = directory.model._default_manager.values_list("pk", "name", "other_names")
        entries = [
            term_rules.Entry(pk, name, tuple(split_names(other)))
            for pk, name, other in rows
            if pk in public
        ]
        matcher = term_rules.TermMatcher(directory.label, entries)
        folded = [(e.id, [name_key(name) for name in e.all_names()]) for e in entries]
        return matcher, folded

    return index.derived(("directory matcher", directory.name), make)


def variants_by_person(person_ids):
    """{person id: [their variant names]} for these people, in one query."""
    found = {}
    rows = PersonName.objects.filter(person_id__in=person_ids).values_list("person_id", "name")
    for person_id, variant in rows.order_by("name"):
        found.setdefault(person_id, []).append(variant)
    return found
