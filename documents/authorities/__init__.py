"""Authority records (people) and deciding which one a written name means.

`matching` is the archive's one policy for "is this the same person?": the importer, the admin's
duplicate warning, the export's labels and the benchmark generator all ask it, so they agree.
May import `documents.models` and `documents.parsing`; imported by the spreadsheets, the admin
and the generator, never by the models.
"""
