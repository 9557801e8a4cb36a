"""Authority records and deciding which one a written value means.

`matching` is the archive's one policy for "is this the same person?": the importer, the admin's
duplicate warning, the export's labels and the benchmark generator all ask it, so they agree.
`terms` is the policy for vocabulary entries (subjects, places, collections, repositories,
funders and organizations, types, classifications, languages), and `records` the one for
possible duplicate records.
May import `documents.models` and `documents.parsing`; imported by the spreadsheets, the admin
and the generator, never by the models.
"""
