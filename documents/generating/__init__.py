"""A large, realistic, reproducible archive for benchmarks and load tests.

`generate_archive --documents N --seed S` writes N documents with everything a real record has:
texts of 1 to 20 KB, dates over 1917-1991 of every precision, about N/5 people with variant
spellings and transliterations, 3 to 8 people per document in several roles, 50 collections,
200 subjects, 500 places, 10 repositories with citations, funders, drafts and withdrawn records.
The same seed gives the same archive. Rows are written in batches with the import's bulk insert
(`documents.models.bulk`) and every derived field (EDTF bounds, slugs, record IDs, name keys,
citation parts) is computed with what the models' save() uses (the slug scheme, the record-ID
allocator), so a large archive takes minutes, not hours.

`generate_archive --documents N --csv FILE` writes an import spreadsheet of N rows instead, in the
column layout of the spreadsheet import, naming people, collections and vocabularies by name.
People are written as staff who answered the import's questions would write them ('Name [new]',
'Name [#id]'), by the import's own matching policy (`documents.authorities.matching`), for the
database the file is generated against, so the whole file imports there.

`words` holds the vocabularies and word lists; `plans` decides every record from the seed;
`database` writes a plan in bulk; `spreadsheet` writes it as an import file instead. The
command is `manage.py generate_archive`. Used by the benchmarks and tests, never by the site.
"""
