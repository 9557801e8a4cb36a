"""The read-only JSON API at /api/ (Django REST framework): published documents, with the same
filters as /documents/, and the public people, collections, subjects and places.

- `filtering`: the document list's filters, taken from the public filter set
  (`documents.browse.filters.DocumentFilter`, built from `documents.browse.declarations`) and
  served by the in-memory public index, as the pages are; the OpenAPI parameters are derived
  from the same filter set. A value a filter refuses is a 400 naming the parameter.
- `pagination`: pages with a count (`page`, `page_size`); a bad number is a 400.
- `serializers`, `views`, `urls`: what each record looks like and where it is.
- `throttling`: requests per client, from `settings.API_THROTTLE_RATES`; `schema`: the error
  answers every operation's OpenAPI description lists.

Every page's number of queries is fixed, whatever the page size. Throttled per client by the
rates in `settings.API_THROTTLE_RATES`. Imports the models, the public index, the filter set
and `documents.views`; nothing imports it but the URLconf.
"""
