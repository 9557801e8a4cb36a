"""Asking the provider, and reading its answers, as a harvester would."""

from tests.oai.schemas import NS, validate


def ask(client, method="get", **params):
    """The provider's answer to these arguments, parsed once it is valid OAI-PMH."""
    params = {key.rstrip("_"): value for key, value in params.items()}  # from_ -> from
    response = getattr(client, method)("/oai/", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    return validate(response.content)


def error_codes(tree):
    return [error.get("code") for error in tree.iterfind("oai:error", NS)]


def identifiers(tree, *, deleted=False):
    """The identifiers of the headers listed, those reported deleted or the others."""
    return [
        header.findtext("oai:identifier", namespaces=NS)
        for header in tree.iterfind(".//oai:header", NS)
        if (header.get("status") == "deleted") == deleted
    ]


def identifier(document):
    return f"oai:testserver:{document.record_id}"


def text(tree, path):
    return [node.text for node in tree.iterfind(path, NS)]
