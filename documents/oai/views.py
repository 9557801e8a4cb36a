"""The OAI-PMH endpoint: GET or POST /oai/?verb=..., answered in XML, one function per verb."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from lxml import etree

from documents.models.harvest import now_in_seconds
from documents.oai import records, tokens
from documents.oai.formats import DC, FORMATS, OAI_DC, XSI, Record
from documents.oai.protocol import (
    CONTENT_TYPE,
    GRANULARITY,
    OAI,
    OAIError,
    element,
    envelope,
    format_datestamp,
    harvest_window,
    read_request,
    serialise,
)


@dataclass(frozen=True)
class Context:
    request: object
    base_url: str
    namespace: str
    now: datetime


def oai(name):
    return f"{{{OAI}}}{name}"


@csrf_exempt  # harvesters POST without a session; nothing is written
@require_http_methods(["GET", "HEAD", "POST"])
def endpoint(request):
    params = request.POST if request.method == "POST" else request.GET
    context = Context(
        request=request,
        base_url=request.build_absolute_uri(request.path),
        namespace=settings.OAI_NAMESPACE or request.get_host().rsplit(":", 1)[0],
        now=now_in_seconds(),
    )
    try:
        verb, arguments = read_request(params)
    except OAIError as error:
        return _respond(_failed(context, [error]))
    try:
        body = VERBS[verb](context, arguments)
    except OAIError as error:
        if error.code == "badArgument":
            return _respond(_failed(context, [error]))
        return _respond(_failed(context, [error], verb=verb, arguments=arguments))
    root = envelope(context.base_url, now=context.now, verb=verb, arguments=arguments)
    root.append(body)
    return _respond(root)


def _failed(context, errors, **request):
    root = envelope(context.base_url, now=context.now, **request)
    for error in errors:
        element(root, oai("error"), error.message, code=error.code)
    return root


def _respond(root):
    return HttpResponse(serialise(root), content_type=CONTENT_TYPE)


# The verbs -------------------------------------------------------------------------------------


def identify(context, arguments):
    body = etree.Element(oai("Identify"))
    element(body, oai("repositoryName"), settings.ARCHIVE_NAME)
    element(body, oai("baseURL"), context.base_url)
    element(body, oai("protocolVersion"), "2.0")
    element(body, oai("adminEmail"), settings.OAI_ADMIN_EMAIL)
    earliest = records.earliest_datestamp() or context.now
    element(body, oai("earliestDatestamp"), format_datestamp(earliest))
    element(body, oai("deletedRecord"), "persistent")
    element(body, oai("granularity"), GRANULARITY)
    return body


def list_metadata_formats(context, arguments):
    if "identifier" in arguments:
        _record(context, arguments["identifier"])  # idDoesNotExist if there is none
    body = etree.Element(oai("ListMetadataFormats"))
    for metadata_format in FORMATS.values():
        described = element(body, oai("metadataFormat"))
        element(described, oai("metadataPrefix"), metadata_format.prefix)
        element(described, oai("schema"), metadata_format.schema)
        element(described, oai("metadataNamespace"), metadata_format.namespace)
    return body


def list_sets(context, arguments):
    if "resumptionToken" in arguments:
        raise OAIError(
            "badResumptionToken",
            "The list of sets comes whole, so this repository issued no resumption token for "
            "it; ask again without one.",
        )
    sets = list(records.published_sets())
    if not sets:
        raise OAIError("noSetHierarchy", "This repository has no sets: no collection is public.")
    body = etree.Element(oai("ListSets"))
    for collection in sets:
        described = element(body, oai("set"))
        element(described, oai("setSpec"), collection.slug)
        element(described, oai("setName"), collection.title)
        if collection.description.strip():
            description = element(described, oai("setDescription"))
            dc = etree.SubElement(
                description, f"{{{OAI_DC}}}dc", nsmap={"oai_dc": OAI_DC, "dc": DC, "xsi": XSI}
            )
            dc.set(f"{{{XSI}}}schemaLocation", f"{OAI_DC} {FORMATS['oai_dc'].schema}")
            element(dc, f"{{{DC}}}description", collection.description.strip())
    return body


def get_record(context, arguments):
    metadata_format = _format(arguments["metadataPrefix"])
    record = _record(context, arguments["identifier"])
    body = etree.Element(oai("GetRecord"))
    _records(context, body, [record], metadata_format)
    return body


def list_identifiers(context, arguments):
    return _list(context, "ListIdentifiers", arguments, metadata=False)


def list_records(context, arguments):
    return _list(context, "ListRecords", arguments, metadata=True)


VERBS = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListIdentifiers": list_identifiers,
    "ListRecords": list_records,
}


# Lists and records -----------------------------------------------------------------------------


def _list(context, verb, arguments, *, metadata):
    if "resumptionToken" in arguments:
        arguments, after, cursor, size = tokens.read(verb, arguments["resumptionToken"])
    else:
        after, cursor, size = None, 0, None
    metadata_format = _format(arguments["metadataPrefix"])
    start, end = harvest_window(arguments)
    rows = records.selected(start=start, end=end, set_spec=arguments.get("set"))
    page, more = records.page(rows, after=after, size=settings.OAI_PAGE_SIZE)
    if not page:
        raise OAIError(
            "noRecordsMatch",
            "No record matches these arguments: none was published in that set or between "
            "those dates, or the set is not one this repository has.",
        )
    if size is None:
        size = rows.count() if more else len(page)
    body = etree.Element(oai(verb))
    if metadata:
        _records(context, body, page, metadata_format)
    else:
        sets = records.sets_of(page)
        for record in page:
            _header(context, body, record, sets, deleted=record.deleted)
    if more or cursor:
        token = element(body, oai("resumptionToken"), completeListSize=size, cursor=cursor)
        if more:
            last = page[-1]
            token.text, expires = tokens.issue(
                verb,
                arguments,
                after=(last.datestamp, last.document_id),
                cursor=cursor + len(page),
                size=size,
                now=context.now,
            )
            token.set("expirationDate", format_datestamp(expires))
    return body


def _records(context, body, page, metadata_format):
    sets = records.sets_of(page)
    documents = records.documents_of(page)
    default_rights = records.default_rights() if documents else None
    collection_urls = {}
    for record in page:
        document = documents.get(record.document_id)
        shown = element(body, oai("record"))
        _header(context, shown, record, sets, deleted=document is None)
        if document is None:
            continue  # withdrawn, a draft again, or deleted: its header says so
        for collection in document.oai_collections:
            if collection.slug not in collection_urls:
                collection_urls[collection.slug] = _absolute(
                    context, reverse("collections:detail", kwargs={"slug": collection.slug})
                )
        metadata = element(shown, oai("metadata"))
        metadata_format.build(
            metadata,
            Record(
                document=document,
                url=_absolute(context, document.get_absolute_url()),
                collection_urls=collection_urls,
                default_rights=default_rights,
            ),
        )


def _header(context, parent, record, sets, *, deleted):
    header = element(parent, oai("header"))
    if deleted:
        header.set("status", "deleted")
    element(header, oai("identifier"), records.identifier(context.namespace, record.record_id))
    element(header, oai("datestamp"), format_datestamp(record.datestamp))
    for slug in sets.get(record.document_id, ()):
        element(header, oai("setSpec"), slug)


def _format(prefix):
    if prefix not in FORMATS:
        raise OAIError(
            "cannotDisseminateFormat",
            f"This repository has no metadata format “{prefix}”; it has {', '.join(FORMATS)}.",
        )
    return FORMATS[prefix]


def _record(context, identifier):
    record = records.find(context.namespace, identifier)
    if record is None:
        raise OAIError(
            "idDoesNotExist",
            f"No record has the identifier “{identifier}”; this repository's identifiers look "
            f"like {records.identifier(context.namespace, 1234)}.",
        )
    return record


def _absolute(context, path):
    return context.request.build_absolute_uri(path)
