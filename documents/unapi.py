"""The unAPI server: a published document's citation in each format, for reference managers.

unAPI 1.0 (the unapi.info specification): a page names the server in
`<link rel="unapi-server">` and each record in `<abbr class="unapi-id" title="ID">`; then
- GET /unapi                      200, the formats offered;
- GET /unapi?id=ID                300 Multiple Choices, the formats offered for that record;
- GET /unapi?id=ID&format=NAME    200, the record in that format;
  404 for an ID that names no published record, 406 for a format not offered, 400 for a format
  asked for without an ID.

Zotero's unAPI translator (zotero/translators unAPI.js) reads the formats list, prefers "ris"
over "bibtex" (RECOGNIZABLE_FORMATS) and imports the RIS with its RIS translator. Only published
records are served, to staff too: the server is for programs, which have no preview. An ID is
`documents.citing.record_key`, the page's `unapi_id`.
"""

from xml.sax.saxutils import quoteattr

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from documents.citing import RECORD_KEY_PREFIX
from documents.models import Document
from documents.views import CITATION_FORMATS, document_citation, with_page_relations

# unAPI format name: (the download's format in CITATION_FORMATS, where the format is described).
FORMATS = {
    "ris": ("ris", "https://en.wikipedia.org/wiki/RIS_(file_format)"),
    "bibtex": ("bib", "https://www.bibtex.org/Format/"),
    "csl": ("json", "https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html"),
}


def unapi(request):
    identifier = request.GET.get("id")
    name = request.GET.get("format")
    if identifier is None:
        if name is not None:
            return _text(400, "Ask for a format together with an id: ?id=record-1234&format=ris.")
        return _formats(200)
    document = _published_document(identifier)
    if name is None:
        return _formats(300, identifier)
    if name not in FORMATS:
        offered = ", ".join(FORMATS)
        return _text(406, f"The format '{name}' is not offered: ask for one of {offered}.")
    method, content_type, _extension = CITATION_FORMATS[FORMATS[name][0]]
    body = getattr(document_citation(request, document), method)()
    return HttpResponse(body, content_type=content_type)


def _published_document(identifier):
    number = identifier.removeprefix(RECORD_KEY_PREFIX)
    if not identifier.startswith(RECORD_KEY_PREFIX) or not number.isdigit():
        raise Http404(f"'{identifier}' is not a record ID of this archive.")
    return get_object_or_404(with_page_relations(Document.objects.published()), record_id=number)


def _formats(status, identifier=None):
    lines = ['<?xml version="1.0" encoding="UTF-8"?>']
    lines.append(f"<formats id={quoteattr(identifier)}>" if identifier else "<formats>")
    for name, (key, docs) in FORMATS.items():
        content_type = CITATION_FORMATS[key][1].split(";")[0]
        lines.append(
            f"  <format name={quoteattr(name)} type={quoteattr(content_type)}"
            f" docs={quoteattr(docs)}/>"
        )
    lines.append("</formats>")
    return HttpResponse(
        "\n".join(lines) + "\n", content_type="application/xml; charset=utf-8", status=status
    )


def _text(status, message):
    return HttpResponse(message + "\n", content_type="text/plain; charset=utf-8", status=status)
