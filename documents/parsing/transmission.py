"""A cable's times of sending and receipt, as clerks wrote them, read into ISO 8601.

Cipher clerks wrote the time as four figures, before or after the day: "0450, 8 May 1946",
"Sent 1750 20 April 1946", "8 May 1946, 04:50", "1946-05-08 04:50". A leading "Sent",
"Received", "Checked" or "at" is part of the label, not of the time, and is passed over.

The normalized value is a wall-clock time with no zone ("1946-05-08T04:50"): the sources never
say which clock the clerk read, so none is invented; as ISO 8601 text, values sort and compare
as times do. Pure text rules; imports only documents.parsing.dates.
"""

from __future__ import annotations

import re

from documents.parsing.dates import DateParseError, parse_date

__all__ = ["TransmissionTimeError", "parse_transmission_time"]

_LABEL = re.compile(r"^\s*(?:(?:sent|received|checked|dispatched|at|on)\b[\s:,.]*)+", re.I)
# 0450, 04:50, 04.50, 4:50, 0450h, 04:50 hrs; at the start or at the end of the text.
_TIME = (
    r"(?P<hour>[01]?\d|2[0-3])(?P<mark>[:.h]?)(?P<minute>[0-5]\d)"
    r"(?P<hours>\s*(?:h|hrs?|hours)\b\.?)?"
)
_LEADING = re.compile(rf"^{_TIME}(?=[\s,;]|$)[\s,;]*", re.I)
_TRAILING = re.compile(rf"[\s,;]+{_TIME}\s*$", re.I)
_YEAR_END = re.compile(r"\d{4}[\s,;]*$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO = re.compile(rf"^(?P<day>\d{{4}}-\d{{2}}-\d{{2}})[T ]{_TIME}$", re.I)

_EXAMPLES = "Write it like '0450, 8 May 1946' or '1946-05-08 04:50'."


class TransmissionTimeError(ValueError):
    """A time of sending or receipt that cannot be read; the message says why and how."""


def parse_transmission_time(text: str) -> str:
    """The time as ISO 8601 ('1946-05-08T04:50'), or '' for an empty text.

    Raises TransmissionTimeError, with a sentence a curator can act on, for a text with no
    time, no day, a day that is not a single day, or a day that does not exist.
    """
    written = " ".join(text.split())
    if not written:
        return ""
    if iso := _ISO.match(written):
        day, hour, minute = iso["day"], iso["hour"], iso["minute"]
    else:
        rest = _LABEL.sub("", written)
        time = _LEADING.search(rest)
        if time:
            rest = rest[time.end() :]
        else:
            time = _TRAILING.search(rest)
            # Four bare figures at the end are a time only after a year ("8 May 1946 0850"):
            # in "8 May 1946" they are the year.
            if time and not (
                time["mark"] or time["hours"] or _YEAR_END.search(rest[: time.start()])
            ):
                time = None
            if time:
                rest = rest[: time.start()]
        if not time:
            raise TransmissionTimeError(
                f"'{written}' has no time of day that can be read (four figures such as 0450, "
                f"or 04:50). {_EXAMPLES}"
            )
        hour, minute = time["hour"], time["minute"]
        rest = rest.strip(" ,;")
        if not rest:
            raise TransmissionTimeError(
                f"'{written}' gives the time but not the day; add the day, as in "
                f"'{hour.zfill(2)}{minute}, 8 May 1946'."
            )
        try:
            parsed = parse_date(rest, order="dmy")
        except DateParseError as error:
            raise TransmissionTimeError(f"The day in '{written}' cannot be read: {error}") from None
        if not _DAY.match(parsed.edtf):
            raise TransmissionTimeError(
                f"'{written}' does not name a single day ('{rest}'); a time of sending or "
                f"receipt needs day, month and year. {_EXAMPLES}"
            )
        day = parsed.edtf
    if iso:
        try:
            parsed = parse_date(day)
        except DateParseError as error:
            raise TransmissionTimeError(f"The day in '{written}' cannot be read: {error}") from None
    return f"{day}T{hour.zfill(2)}:{minute}"
