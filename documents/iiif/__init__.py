"""IIIF: the Image API 3.0 (level 0) and Presentation API 3.0 documents the archive serves.

- `images.py`: a page's `info.json`, written from its `ScanImage` row (the tiles themselves are
  static files made with the scan's other derivatives, documents/scans/derivatives.py);
- `presentation.py`: a published document's Manifest (a Canvas per page, PDF pages too) and the
  IIIF Collections of the published archive collections;
- `views.py` and `urls.py`: the addresses under /iiif/, every answer with
  `Access-Control-Allow-Origin: *` so viewers on other sites can read it.

Public only: built from `Document.objects.published()`, `Collection.objects.published()` and
`ScanImage.objects.public()`, whoever asks. May import documents.models and
archive_collections.models; the views are the only part that reads a request.
"""
