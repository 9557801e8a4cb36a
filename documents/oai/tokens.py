"""Resumption tokens: the rest of a long list, named by the last record of the page before.

A token carries the request's arguments, the (datestamp, id) of the last record listed, how
many records came before (the cursor) and the size of the whole list as counted on its first
page, signed with the site's key and stamped with the time it was issued. The next page is read
from the database after that record (a key-set, not an offset), so records stamped while a
harvester pages through are not listed twice and do not shift the rest: they come last, or in
the next harvest. A token altered, made for another verb or older than OAI_TOKEN_SECONDS is
refused with badResumptionToken.
"""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core import signing

from documents.oai.protocol import OAIError

_SALT = "documents.oai.resumption"


def issue(verb, arguments, *, after, cursor, size, now):
    """A token for the page after `after` (datestamp, id), and when it expires."""
    payload = {
        "verb": verb,
        "arguments": arguments,
        "after": [after[0].isoformat(), after[1]],
        "cursor": cursor,
        "size": size,
    }
    token = signing.dumps(payload, salt=_SALT, compress=True)
    return token, now + timedelta(seconds=settings.OAI_TOKEN_SECONDS)


def read(verb, token):
    """The arguments, last record, cursor and list size a token names; OAIError if it is bad."""
    try:
        payload = signing.loads(token, salt=_SALT, max_age=settings.OAI_TOKEN_SECONDS)
    except signing.SignatureExpired as error:
        raise OAIError(
            "badResumptionToken",
            "The resumption token has expired; start the list again without one.",
        ) from error
    except signing.BadSignature as error:
        raise OAIError(
            "badResumptionToken",
            "The resumption token is not one this repository issued, or it was altered; start "
            "the list again without one.",
        ) from error
    if payload.get("verb") != verb:
        raise OAIError(
            "badResumptionToken",
            f"The resumption token was issued for {payload.get('verb')}, not {verb}; send it "
            "with the verb it came from.",
        )
    after = (datetime.fromisoformat(payload["after"][0]).astimezone(UTC), payload["after"][1])
    return payload["arguments"], after, payload["cursor"], payload["size"]
