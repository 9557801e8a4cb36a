"""Historical dates as curators write them, normalized to EDTF.

A document's date is kept three ways: as written (for display), as EDTF
(Library of Congress Extended Date/Time Format, a level 0/1 subset) so it can
be edited and exchanged without losing precision, and as start/end dates used
for sorting and range filtering.

Supported EDTF: ``1946-05-08``, ``1946-05``, ``1946``, ``194X`` (decade),
``19XX`` (century), each optionally qualified ``~`` (approximate), ``?``
(uncertain) or ``%`` (both); intervals of those, with ``..`` for an open end;
and ``""`` for undated.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

__all__ = [
    "DateParseError",
    "ParsedDate",
    "display_date",
    "edtf_points",
    "format_edtf",
    "format_edtf_for_citation",
    "parse_date",
    "parse_edtf",
]

ORDERS = ("mdy", "dmy")

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

_MONTHS_BY_NAME: dict[str, int] = {
    **{name.lower(): number for number, name in enumerate(MONTH_NAMES, start=1)},
    **{name[:3].lower(): number for number, name in enumerate(MONTH_NAMES, start=1)},
    "sept": 9,
}

# Compared with spaces removed, so "n. d." and "no date" match too.
_UNDATED_WORDS = frozenset(
    {"undated", "n.d.", "n.d", "nd", "nodate", "s.d.", "s.d", "dateunknown", "unknown"}
)

_NOT_A_DATE_HINT = (
    "Write it like 'May 8, 1946', '8 May 1946', '1946-05-08', 'November 1945', "
    "'circa 1946', '1945/1946' or 'undated'."
)

_EDTF_POINT = r"(?:\d{4}(?:-\d{2}(?:-\d{2})?)?|\d{3}X|\d{2}XX)[~?%]?"
_EDTF_RE = re.compile(rf"(?:{_EDTF_POINT}|\.\.)(?:/(?:{_EDTF_POINT}|\.\.))?")
_EDTF_POINT_RE = re.compile(
    r"(?:(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?"
    r"|(?P<decade>\d{3})X|(?P<century>\d{2})XX)(?P<qualifier>[~?%]?)"
)

_DASHES = "\u2010\u2012\u2013\u2014\u2212"  # hyphen, figure dash, en dash, em dash, minus
_APPROXIMATE_PREFIX_RE = re.compile(
    r"(?:(?:circa|approximately|approx|about|around|ca|c)\s+|(?:approx|ca|c)\.\s*)"
)
_BRACKETED_RE = re.compile(r"\[(?P<inner>.*)\](?P<uncertain>\s*\?)?")
_ORDINAL = r"(?:st|nd|rd|th)?"
_MONTH_DAY_YEAR_RE = re.compile(
    rf"(?P<month>[a-z]+)\.?\s*(?P<day>\d{{1,2}}){_ORDINAL}(?:\s*,\s*|\s+)(?P<year>\d+)"
)
_DAY_MONTH_YEAR_RE = re.compile(
    rf"(?P<day>\d{{1,2}}){_ORDINAL}\s*(?:of\s+)?(?P<month>[a-z]+)\.?,?\s*(?P<year>\d+)"
)
_MONTH_YEAR_RE = re.compile(r"(?P<month>[a-z]+)\.?,?\s*(?P<year>\d+)")
_DAY_MONTH_RE = re.compile(rf"(?P<day>\d{{1,2}}){_ORDINAL}\s*(?:of\s+)?(?P<month>[a-z]+)\.?")
_SLASHED_RE = re.compile(r"(?P<first>\d{1,2})/(?P<second>\d{1,2})/(?P<year>\d+)")
_DOTTED_RE = re.compile(r"(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d+)")
_DOTTED_MONTH_RE = re.compile(r"(?P<month>\d{1,2})\.(?P<year>\d{3,})")
_YEAR_RE = re.compile(r"\d{4,}")
# A date in figures and the separators of numeric dates only: how `display_date` tells one.
_NUMERIC_DATE_RE = re.compile(rf"[\d\s./{_DASHES}-]*\d[\d\s./{_DASHES}-]*")
_DECADE_RE = re.compile(r"(?P<digits>\d{3})0['\u2019]?s")
# "1900s" alone reads as the century; the decade 1900-1909 needs spelling out.
_HUNDRED_RE = re.compile(r"(?P<digits>\d{2})00['\u2019]?s\s*\((?P<span>decade|century)\)")
_ABBREVIATED_RANGE_RE = re.compile(rf"(?P<year>\d{{4}})\s*[-/{_DASHES}]\s*(?P<end>\d{{2}})")

_BETWEEN_RE = re.compile(r"between\s+(?P<start>.+?)\s+and\s+(?P<end>.+)")
_TO_RE = re.compile(r"(?:from\s+)?(?P<start>.+?)\s+(?:to|until|through)\s+(?P<end>.+)")
_OR_LATER_RE = re.compile(r"(?P<start>.+?)\s+or\s+later")
_OR_EARLIER_RE = re.compile(r"(?P<end>.+?)\s+or\s+earlier")
# Spelled-out separators are tried before bare hyphens and slashes, which also
# occur inside single dates ("1946-05", "05/08/1946").
_SEPARATOR_RES = (
    re.compile(rf"\s*[{_DASHES}]\s*|\s+-\s+"),
    re.compile(r"-"),
    re.compile(r"\s*/\s*"),
)


class DateParseError(ValueError):
    """A date that cannot be read or does not exist; str() says why in a sentence."""


@dataclass(frozen=True)
class ParsedDate:
    """A date normalized to EDTF with the calendar bounds it covers."""

    edtf: str
    start: date | None
    end: date | None

    @property
    def is_undated(self) -> bool:
        return self.edtf == ""

    @property
    def display(self) -> str:
        return format_edtf(self.edtf)


UNDATED = ParsedDate("", None, None)


@dataclass(frozen=True)
class _Where:
    """Where a problem sits, so error messages can quote what the curator typed."""

    part: str
    whole: str

    def __str__(self) -> str:
        if self.part == self.whole:
            return f"'{self.whole}'"
        return f"'{self.part}' in '{self.whole}'"


@dataclass(frozen=True)
class _Point:
    """One validated date of day, month, year, decade or century precision."""

    year: int
    month: int | None = None
    day: int | None = None
    # Trailing digits left unspecified: 1 for a decade (194X), 2 for a century (19XX).
    unspecified: int = 0
    qualifier: str = ""

    @property
    def edtf(self) -> str:
        if self.unspecified:
            digits = f"{self.year:04d}"[: 4 - self.unspecified]
            text = digits + "X" * self.unspecified
        else:
            text = f"{self.year:04d}"
            if self.month is not None:
                text += f"-{self.month:02d}"
            if self.day is not None:
                text += f"-{self.day:02d}"
        return text + self.qualifier

    @property
    def start(self) -> date:
        # date cannot hold year 0, so the span 000X starts at the first real year.
        return date(max(self.year, 1), self.month or 1, self.day or 1)

    @property
    def end(self) -> date:
        if self.unspecified:
            return date(self.year + 10**self.unspecified - 1, 12, 31)
        if self.month is None:
            return date(self.year, 12, 31)
        if self.day is None:
            return date(self.year, self.month, _days_in_month(self.year, self.month))
        return date(self.year, self.month, self.day)

    @property
    def approximate(self) -> bool:
        return self.qualifier in ("~", "%")

    @property
    def uncertain(self) -> bool:
        return self.qualifier in ("?", "%")

    @property
    def is_exact(self) -> bool:
        """A plain year, month or day: what ISO 8601 itself can write, without a qualifier."""
        return not self.unspecified and not self.qualifier

    @property
    def iso(self) -> str:
        """The point in ISO 8601 at its precision ('1946', '1946-05', '1946-05-08'); a decade or
        century as its first year. Qualifiers are dropped: ISO 8601 cannot write them."""
        return _Point(self.year, self.month, self.day).edtf

    @property
    def last_iso(self) -> str:
        """The point's last year, month or day in ISO 8601 ('1949' for the 1940s)."""
        if self.unspecified:
            return f"{self.year + 10**self.unspecified - 1:04d}"
        return self.iso

    @property
    def display(self) -> str:
        return self.written()

    def written(self, circa: str = "circa") -> str:
        """The point for people; `circa` is the word put before an approximate date."""
        year = f"{self.year:04d}"
        if self.unspecified == 2:
            text = f"{year}s"
        elif self.unspecified == 1:
            # "1900s" is read back as the century, so name the decade explicitly.
            text = f"{year}s (decade)" if self.year % 100 == 0 else f"{year}s"
        elif self.month is None:
            text = year
        elif self.day is None:
            text = f"{MONTH_NAMES[self.month - 1]} {year}"
        else:
            text = f"{MONTH_NAMES[self.month - 1]} {self.day}, {year}"
        if self.approximate:
            text = f"{circa} {text}"
        if self.uncertain:
            text = f"{text}?"
        return text


def parse_date(text: str, *, order: str = "mdy") -> ParsedDate:
    """Read a date as curators write it (or as EDTF) and normalize it.

    ``order`` decides how all-number dates with slashes are read: "mdy" reads
    05/08/1946 as May 8, "dmy" as 5 August. Dotted dates (8.5.1946) are always
    day.month.year, as in European and Russian archives.
    """
    if order not in ORDERS:
        raise ValueError(f"The date order '{order}' is not supported: use 'mdy' or 'dmy'.")
    written = " ".join(text.split())
    lowered = written.lower()
    if not written or _strip_brackets(lowered).replace(" ", "") in _UNDATED_WORDS:
        return UNDATED
    if _EDTF_RE.fullmatch(written.upper()):
        return _parse_edtf(written.upper(), written)
    whole = _Where(written, written)

    abbreviated = _ABBREVIATED_RANGE_RE.fullmatch(lowered)
    if abbreviated and int(abbreviated["end"]) > int(abbreviated["year"]) % 100:
        raise DateParseError(
            f"The range {whole} abbreviates its second year: write both years in full, "
            f"like '{abbreviated['year']}-{abbreviated['year'][:2]}{abbreviated['end']}'."
        )

    point = _read_point(written, written, order)
    if point is not None:
        return _single(point)
    interval = _read_interval(written, order)
    if interval is not None:
        return interval
    raise DateParseError(f"'{written}' is not a date this archive can read. {_NOT_A_DATE_HINT}")


def parse_edtf(edtf: str) -> ParsedDate:
    """Validate a stored EDTF string (our subset) and derive its bounds; raises DateParseError."""
    return _parse_edtf(edtf, edtf)


def format_edtf(edtf: str) -> str:
    """Render an EDTF value for people."""
    return _written(edtf, undated="undated", circa="circa")


def display_date(written: str, edtf: str) -> str:
    """A date as the public pages show it: as the curator wrote it, unless it is written in
    figures alone with a month or a day ('03/15/1946', '8.5.1946', '1946-05-08'), which is
    shown in the archive's style from its EDTF form ('March 15, 1946').

    The EDTF form is what the date was read as when it was saved (with the import's or the
    form's day order), so an ambiguous '03/04/1946' shows the day the archive decided on, never
    a second guess. Words ('8 May 1946', 'circa 1946') and years alone ('1946', '1945/1946')
    are shown as written; an empty text shows the EDTF form ('undated' for none).
    """
    written = " ".join(written.split())
    if not written:
        return format_edtf(edtf)
    if edtf and _NUMERIC_DATE_RE.fullmatch(written):
        try:
            points = _split_edtf(edtf, edtf)
        except DateParseError:  # a stored value no longer read: show what was typed
            return written
        if any(point is not None and point.month is not None for point in points):
            return format_edtf(edtf)
    return written


def format_edtf_for_citation(edtf: str, *, written: str = "") -> str:
    """An EDTF value as a careful historian writes it in a citation.

    Abbreviated as Chicago abbreviates: 'n.d.' for undated and 'ca.' for approximate
    ('ca. 1946'); decades and ranges as the page shows them ('1940s', '1945\u20131946',
    '1950 or earlier'). Every citation format (documents/citing.py) prints dates with this.

    `written`, the date as the curator wrote it, is kept in front when it is not merely another
    spelling of the same date, as for another calendar: '22 Ordibehesht 1325 [May 12, 1946]'.
    """
    cited = _written(edtf, undated="n.d.", circa="ca.")
    written = " ".join(written.split())
    if not written:
        return cited
    try:
        same = parse_date(written).edtf == edtf
    except DateParseError:
        same = False
    if same:
        return cited
    return f"{written} [{cited}]" if edtf else written


def edtf_points(edtf: str) -> tuple:
    """The points of a stored EDTF value, for formats that write dates in parts.

    () for undated; (point,) for a single date; (start, end) for an interval, with None for an
    open end. Each point has `year`, `month`, `day` (None when not given), `unspecified` (1 for a
    decade, 2 for a century), `approximate`, `uncertain`, `is_exact`, `iso` and `last_iso`.
    """
    if edtf == "":
        return ()
    return _split_edtf(edtf, edtf)


def _written(edtf: str, *, undated: str, circa: str) -> str:
    if edtf == "":
        return undated
    points = _split_edtf(edtf, edtf)
    if len(points) == 1:
        return points[0].written(circa)
    start, end = points
    if start is None:
        assert end is not None
        return f"{end.written(circa)} or earlier"
    if end is None:
        return f"{start.written(circa)} or later"
    first, last = start.written(circa), end.written(circa)
    # A bare en dash reads well between short values; longer ones need air around it.
    separator = "\u2013" if " " not in first + last else " \u2013 "
    return f"{first}{separator}{last}"


def _parse_edtf(edtf: str, written: str) -> ParsedDate:
    if edtf == "":
        return UNDATED
    points = _split_edtf(edtf, written)
    if len(points) == 1:
        return _single(points[0])
    return _interval(*points, _Where(written, written))


def _split_edtf(edtf: str, written: str) -> tuple[_Point] | tuple[_Point | None, _Point | None]:
    """Return the point of a single EDTF date, or an interval's start and end (None if open)."""
    if not _EDTF_RE.fullmatch(edtf):
        raise DateParseError(
            f"'{edtf}' is not an EDTF date this archive supports. Use forms like "
            "'1946-05-08', '1946-05', '1946', '194X', '1946~', '1946?', '1945/1946' "
            "or '1945/..', or leave it empty for undated."
        )
    if "/" not in edtf:
        return (_edtf_point(edtf, _Where(written, written)),)
    first, last = edtf.split("/")
    if first == last == "..":
        raise DateParseError(
            f"The range '{written}' has neither a start nor an end: "
            "mark the document undated instead."
        )
    where_first = _Where(written.split("/")[0], written)
    where_last = _Where(written.split("/")[1], written)
    start = None if first == ".." else _edtf_point(first, where_first)
    end = None if last == ".." else _edtf_point(last, where_last)
    return start, end


def _edtf_point(text: str, where: _Where) -> _Point:
    match = _EDTF_POINT_RE.fullmatch(text)
    if match is None:  # pragma: no cover - callers have already checked the syntax.
        raise DateParseError(f"'{text}' is not an EDTF date this archive supports.")
    qualifier = match["qualifier"]
    if match["decade"] is not None:
        return _span_point(match["decade"], 1, qualifier)
    if match["century"] is not None:
        return _span_point(match["century"], 2, qualifier)
    year = _checked_year(match["year"], where)
    month = None if match["month"] is None else int(match["month"])
    day = None if match["day"] is None else int(match["day"])
    # "1945-46" is a common shorthand for a range of years, not a 46th month.
    if month is not None and day is None and month > 12 and month > year % 100:
        raise DateParseError(
            f"The date {where} does not exist: there is no month {month}. "
            "For a range of years, write both years in full, "
            f"like '{year:04d}-{year // 100:02d}{month:02d}'."
        )
    return _calendar_point(year, month, day, qualifier, where)


def _span_point(digits: str, unspecified: int, qualifier: str) -> _Point:
    return _Point(year=int(digits) * 10**unspecified, unspecified=unspecified, qualifier=qualifier)


def _checked_year(digits: str, where: _Where) -> int:
    """Return the year written as ``digits``, refusing years a reader could misread."""
    if len(digits) < 4:
        raise DateParseError(
            f"The year in {where} is too short to be sure of: write the year in full, like 1946."
        )
    year = int(digits)
    if year == 0:
        raise DateParseError(
            f"The date {where} does not exist: there is no year 0 (1 BC is followed by AD 1)."
        )
    if year > 9999:
        raise DateParseError(
            f"The year in {where} is after 9999, which is later than this archive can store."
        )
    return year


def _calendar_point(
    year: int, month: int | None, day: int | None, qualifier: str, where: _Where
) -> _Point:
    if month is not None and not 1 <= month <= 12:
        raise DateParseError(f"The date {where} does not exist: there is no month {month}.")
    if month is not None and day is not None:
        days = _days_in_month(year, month)
        if day == 0:
            raise DateParseError(f"The date {where} does not exist: there is no day 0.")
        if day > days:
            raise DateParseError(
                f"The date {where} does not exist: "
                f"{MONTH_NAMES[month - 1]} {year} has only {days} days."
            )
    return _Point(year=year, month=month, day=day, qualifier=qualifier)


def _days_in_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _single(point: _Point) -> ParsedDate:
    return ParsedDate(point.edtf, point.start, point.end)


def _interval(start: _Point | None, end: _Point | None, where: _Where) -> ParsedDate:
    if start is not None and end is not None and start.start > end.end:
        raise DateParseError(
            f"The range {where} starts after it ends: {start.display} is later than "
            f"{end.display}. Put the earlier date first."
        )
    edtf = f"{'..' if start is None else start.edtf}/{'..' if end is None else end.edtf}"
    return ParsedDate(
        edtf,
        None if start is None else start.start,
        None if end is None else end.end,
    )


def _strip_brackets(text: str) -> str:
    """Drop the square brackets archivists put around dates they supplied."""
    match = _BRACKETED_RE.fullmatch(text)
    if match is None:
        return text
    return match["inner"].strip() + ("?" if match["uncertain"] else "")


def _read_interval(written: str, order: str) -> ParsedDate | None:
    """Read a range such as '1945 to 1946'; return None when ``written`` is not one."""
    whole = _Where(written, written)
    lowered = written.lower()
    if len(lowered) != len(written):
        # A few letters change length when lowered; keep match positions valid.
        written = lowered

    for pattern in (_BETWEEN_RE, _TO_RE):
        match = pattern.fullmatch(lowered)
        if match is not None:
            pair = _read_pair(written, match.span("start"), match.span("end"), order)
            if pair is not None:
                return _interval(*pair, whole)
    match = _OR_LATER_RE.fullmatch(lowered)
    if match is not None:
        point = _read_point(written[slice(*match.span("start"))], written, order)
        if point is not None:
            return _interval(point, None, whole)
    match = _OR_EARLIER_RE.fullmatch(lowered)
    if match is not None:
        point = _read_point(written[slice(*match.span("end"))], written, order)
        if point is not None:
            return _interval(None, point, whole)

    for separator in _SEPARATOR_RES:
        for match in separator.finditer(written):
            pair = _read_pair(written, (0, match.start()), (match.end(), len(written)), order)
            if pair is not None:
                return _interval(*pair, whole)
    return None


def _read_pair(
    written: str, first: tuple[int, int], last: tuple[int, int], order: str
) -> tuple[_Point, _Point] | None:
    """Read both ends of a candidate range; None when either end is not a date at all.

    An end that looks like a date but is impossible raises, so that the curator
    hears about '31 February' rather than that the whole range is unreadable.
    """
    points: list[_Point | None] = []
    errors: list[DateParseError] = []
    for start, stop in (first, last):
        try:
            points.append(_read_point(written[start:stop].strip(), written, order))
        except DateParseError as error:
            points.append(None)
            errors.append(error)
            continue
        if points[-1] is None:
            return None
    if errors:
        raise errors[0]
    start_point, end_point = points
    assert start_point is not None and end_point is not None
    return start_point, end_point


def _read_point(part: str, whole: str, order: str) -> _Point | None:
    """Read one date; None when ``part`` has no date shape, DateParseError when impossible."""
    where = _Where(part, whole)
    text = _strip_brackets(part.lower())
    approximate = uncertain = False
    while text and text[-1] in "?~%":
        approximate = approximate or text[-1] in "~%"
        uncertain = uncertain or text[-1] in "?%"
        text = text[:-1].rstrip()
    prefix = _APPROXIMATE_PREFIX_RE.match(text)
    if prefix is not None:
        approximate = True
        text = text[prefix.end() :]
    text = _strip_brackets(text.strip())
    if not text:
        return None
    qualifier = {(True, True): "%", (True, False): "~", (False, True): "?"}.get(
        (approximate, uncertain), ""
    )

    if _EDTF_POINT_RE.fullmatch(text.upper()):
        return _edtf_point(text.upper() + qualifier, where)
    if match := _HUNDRED_RE.fullmatch(text):
        digits = match["digits"]
        if match["span"] == "decade":
            return _span_point(digits + "0", 1, qualifier)
        return _span_point(digits, 2, qualifier)
    if match := _DECADE_RE.fullmatch(text):
        digits = match["digits"]
        if digits.endswith("0"):
            return _span_point(digits[:2], 2, qualifier)
        return _span_point(digits, 1, qualifier)
    if _YEAR_RE.fullmatch(text):
        return _calendar_point(_checked_year(text, where), None, None, qualifier, where)

    for pattern in (_MONTH_DAY_YEAR_RE, _DAY_MONTH_YEAR_RE):
        match = pattern.fullmatch(text)
        if match is not None and match["month"] in _MONTHS_BY_NAME:
            year = _checked_year(match["year"], where)
            month = _MONTHS_BY_NAME[match["month"]]
            return _calendar_point(year, month, int(match["day"]), qualifier, where)
    match = _MONTH_YEAR_RE.fullmatch(text)
    if match is not None and match["month"] in _MONTHS_BY_NAME:
        month = _MONTHS_BY_NAME[match["month"]]
        # "May 8" is a day without a year, whereas "May 46" is a shortened year.
        if len(match["year"]) <= 2 and 1 <= int(match["year"]) <= 31:
            example = f"{MONTH_NAMES[month - 1]} {int(match['year'])}, 1946"
            raise DateParseError(f"The date {where} has no year: add it, like '{example}'.")
        year = _checked_year(match["year"], where)
        return _calendar_point(year, month, None, qualifier, where)
    match = _DAY_MONTH_RE.fullmatch(text)
    if match is not None and match["month"] in _MONTHS_BY_NAME:
        example = f"{int(match['day'])} {MONTH_NAMES[_MONTHS_BY_NAME[match['month']] - 1]} 1946"
        raise DateParseError(f"The date {where} has no year: add it, like '{example}'.")

    if match := _SLASHED_RE.fullmatch(text):
        year = _checked_year(match["year"], where)
        first, second = int(match["first"]), int(match["second"])
        month, day = (first, second) if order == "mdy" else (second, first)
        # Only point at the order when the numbers make a real date the other way round.
        if month > 12 and 1 <= day <= 12 and month <= _days_in_month(year, day):
            raise DateParseError(_wrong_order_message(where, order, year, day=month, month=day))
        return _calendar_point(year, month, day, qualifier, where)
    if match := _DOTTED_RE.fullmatch(text):
        year = _checked_year(match["year"], where)
        day, month = int(match["day"]), int(match["month"])
        if month > 12:
            raise DateParseError(
                f"The date {where} does not exist: there is no month {month}. "
                "Dates with dots are read as day.month.year."
            )
        return _calendar_point(year, month, day, qualifier, where)
    if match := _DOTTED_MONTH_RE.fullmatch(text):
        year = _checked_year(match["year"], where)
        return _calendar_point(year, int(match["month"]), None, qualifier, where)
    return None


def _wrong_order_message(where: _Where, order: str, year: int, day: int, month: int) -> str:
    """Explain a slashed date whose numbers only make sense the other way round."""
    if order == "mdy":
        return (
            f"The date {where} cannot be read as month/day/year: there is no month {day}. "
            "If the day comes first, switch the date order to day/month/year, "
            f"or write the month as a word, like '{day} {MONTH_NAMES[month - 1]} {year}'."
        )
    return (
        f"The date {where} cannot be read as day/month/year: there is no month {day}. "
        "If the month comes first, switch the date order to month/day/year, "
        f"or write the month as a word, like '{MONTH_NAMES[month - 1]} {day}, {year}'."
    )
