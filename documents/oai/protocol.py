"""The OAI-PMH 2.0 protocol: each verb's arguments, the errors, datestamps and the envelope.

Everything here follows the specification (https://www.openarchives.org/OAI/openarchivesprotocol.html):
a request names one verb once; each verb takes its own arguments, `resumptionToken` alone;
`from` and `until` are dates or times in UTC at the granularity the repository declares.
"""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from lxml import etree

OAI = "http://www.openarchives.org/OAI/2.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
OAI_SCHEMA = f"{OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
CONTENT_TYPE = "text/xml; charset=utf-8"

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
# What XML 1.0 cannot carry (C0 controls but tab and line breaks, lone surrogates, U+FFFE/F).
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class OAIError(Exception):
    """A protocol error: its code and a sentence saying what was wrong and what to send."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code, self.message = code, message


@dataclass(frozen=True)
class Arguments:
    required: frozenset = frozenset()
    optional: frozenset = frozenset()
    exclusive: str = ""  # an argument given alone: the resumption token


_LIST = Arguments(
    required=frozenset({"metadataPrefix"}),
    optional=frozenset({"from", "until", "set"}),
    exclusive="resumptionToken",
)
VERBS = {
    "Identify": Arguments(),
    "ListMetadataFormats": Arguments(optional=frozenset({"identifier"})),
    "ListSets": Arguments(exclusive="resumptionToken"),
    "GetRecord": Arguments(required=frozenset({"identifier", "metadataPrefix"})),
    "ListIdentifiers": _LIST,
    "ListRecords": _LIST,
}


def read_request(params):
    """The verb and arguments of a request (a QueryDict); raises OAIError when they are wrong."""
    verbs = params.getlist("verb")
    if not verbs:
        raise OAIError("badVerb", f"The request names no verb; send verb= one of {_verbs()}.")
    if len(verbs) > 1:
        raise OAIError("badVerb", "The request names the verb more than once; send one verb.")
    verb = verbs[0]
    if verb not in VERBS:
        raise OAIError("badVerb", f"“{clean(verb)}” is not an OAI-PMH verb; use one of {_verbs()}.")
    arguments = {}
    for name in params:
        if name == "verb":
            continue
        values = params.getlist(name)
        if len(values) > 1:
            raise OAIError(
                "badArgument",
                f"The argument {clean(name)} is given {len(values)} times; give it once.",
            )
        arguments[name] = values[0]
    spec = VERBS[verb]
    allowed = spec.required | spec.optional | ({spec.exclusive} if spec.exclusive else set())
    for name in sorted(arguments.keys() - allowed):
        raise OAIError("badArgument", f"{verb} takes no argument {clean(name)}.")
    if spec.exclusive in arguments:
        if len(arguments) > 1:
            raise OAIError(
                "badArgument",
                f"{spec.exclusive} is given with other arguments; send it alone with the verb.",
            )
        return verb, arguments
    for name in sorted(spec.required - arguments.keys()):
        raise OAIError("badArgument", f"{verb} needs the argument {name}.")
    return verb, arguments


def _verbs():
    return ", ".join(VERBS)


# Datestamps ------------------------------------------------------------------------------------


def format_datestamp(moment):
    """A datestamp as the protocol writes it, in UTC to the second: 2026-12-02T05:31:00Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def harvest_window(arguments):
    """The first and last moments `from` and `until` name (either may be None), checked."""
    given = {}
    for name in ("from", "until"):
        if name in arguments:
            given[name] = _read_datestamp(name, arguments[name])
    if len({granularity for _, granularity in given.values()}) > 1:
        raise OAIError(
            "badArgument",
            "from and until are given at different granularities; give both as days "
            "(YYYY-MM-DD) or both as times (YYYY-MM-DDThh:mm:ssZ).",
        )
    start = given["from"][0] if "from" in given else None
    end = None
    if "until" in given:
        end, granularity = given["until"]
        if granularity == "day":
            end = end.replace(hour=23, minute=59, second=59)  # the whole day
    if start and end and start > end:
        raise OAIError("badArgument", "from is later than until; no moment lies between them.")
    return start, end


def _read_datestamp(name, value):
    try:
        if _DAY.match(value):
            return datetime.combine(date.fromisoformat(value), time(), UTC), "day"
        if _SECOND.match(value):
            return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC), "second"
    except ValueError:
        pass  # matches the form but is no date: 2026-02-30
    raise OAIError(
        "badArgument",
        f"The argument {name} is “{clean(value)}”, which is not a date of the form YYYY-MM-DD "
        "or YYYY-MM-DDThh:mm:ssZ.",
    )


# The envelope ----------------------------------------------------------------------------------


def clean(text):
    """Text as XML 1.0 can carry it: characters it cannot hold are dropped."""
    return _NOT_XML.sub("", str(text))


def element(parent, tag, text=None, **attributes):
    """A child element (tag in Clark notation or plain), its text cleaned for XML."""
    child = etree.SubElement(parent, tag, {k: clean(v) for k, v in attributes.items()})
    if text is not None:
        child.text = clean(text)
    return child


def envelope(base_url, *, now, verb=None, arguments=None):
    """The response's root and its request element; bad requests echo no arguments."""
    root = etree.Element(f"{{{OAI}}}OAI-PMH", nsmap={None: OAI, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", OAI_SCHEMA)
    element(root, f"{{{OAI}}}responseDate", format_datestamp(now))
    request = element(root, f"{{{OAI}}}request", base_url)
    if verb:
        request.set("verb", verb)
        for name, value in (arguments or {}).items():
            request.set(name, clean(value))
    return root


def serialise(root):
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
