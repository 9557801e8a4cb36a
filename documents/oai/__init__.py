"""The OAI-PMH 2.0 provider at /oai/: aggregators harvest the published records from it.

- protocol.py: the verbs and their arguments, the errors, datestamps and the response envelope;
- tokens.py: resumption tokens (signed, expiring, naming the last record of the page);
- records.py: which records, sets and pages a request selects (from `documents.models.harvest`,
  the datestamps `documents.changes` keeps);
- formats.py: the metadata formats, `oai_dc` and MODS 3.7, built from the record;
- views.py: the endpoint (GET and POST), one function per verb.

A page above `documents.changes` and the models: it reads, never writes.
"""
