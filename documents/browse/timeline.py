"""The timeline of the public lists: how many documents date from each year, as bars to click.

Counted from the in-memory index (`documents.browse.index`): its date columns are the day
numbers the date filter (`declarations.DATES`) compares, so a bar counts exactly the documents
the list shows when filtered by its years (`?date_from=1946&date_to=1946`). A document dated
over several years (1945/1946, the 1940s, circa 1946 read as the whole year) counts in every
year it may fall in, as the date filter finds it in each; the bars may therefore add up to more
than the documents listed, and the caption says so. Undated documents and those with one bound
only ('1950 or earlier') are in no bar: the caption counts them in words.

A wide range is drawn in spans of several years (`YEAR_STEPS`), so that bars stay wide enough
to click; a span's link filters by its first and last year.

`Timeline` is what the template draws (`includes/timeline.html`): an inline SVG whose bars are
links, the decades labelled in text, and the same counts as a table in a `<details>` for
screen readers and anyone who prefers numbers. No JavaScript is involved.

Imports the declarations and the index; the views import this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

import numpy as np
from django.utils.html import format_html

from documents.browse import index
from documents.browse.declarations import DATES

YEAR_STEPS = (1, 5, 10, 25, 50, 100)  # years a bar may stand for: the fewest that fit
MOST_BARS = 60

# The drawing, in CSS pixels: drawn at its own size (a wide one scrolls sideways), so a bar's
# link is never narrower than SLOT, a target WCAG 2.2 (2.5.8) accepts, and labels stay legible.
WIDTH, HEIGHT = 720, 150  # at least WIDTH wide
SLOT = 26  # the narrowest column a bar's link covers
PLOT_TOP, PLOT_BOTTOM = 8, 120  # the bars stand on PLOT_BOTTOM; the labels go below it
LABEL_Y = 140
LABEL_SPACE = 56  # the least room a year's label is given
LABEL_YEARS = (10, 20, 50, 100, 200, 500, 1000)  # the round years labelled, the most that fit


@dataclass(frozen=True)
class YearCounts:
    """How many documents may date from each span of `step` years, from the year `first` on.

    `undated` documents have no date; `open_ended` ones one bound only: no bar counts them.
    """

    first: int
    step: int
    counts: np.ndarray
    undated: int
    open_ended: int


def _years(days):
    """The calendar year of each day number (days since 1970-01-01, as the index keeps them)."""
    return days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def span_step(low, high, most):
    """The fewest years a bar stands for (of YEAR_STEPS) that draw `low` to `high` in `most`."""
    return next((s for s in YEAR_STEPS if high // s - low // s < most), YEAR_STEPS[-1])


def year_counts(public_index, mask, *, most=MOST_BARS):
    """`YearCounts` of the documents in `mask`, in spans of the fewest YEAR_STEPS that keep
    to `most` bars; a document counts in every span its dates touch."""
    start = public_index.columns[DATES.start][mask]
    end = public_index.columns[DATES.end][mask]
    has_start, has_end = start != index.NO_DATE_START, end != index.NO_DATE_END
    dated = has_start & has_end
    undated = int((~has_start & ~has_end).sum())
    open_ended = int(len(start) - dated.sum() - undated)
    if not dated.any():
        return YearCounts(0, 1, np.zeros(0, dtype=np.int64), undated, open_ended)
    first_years, last_years = _years(start[dated]), _years(end[dated])
    low, high = int(first_years.min()), int(last_years.max())
    step = span_step(low, high, most)
    first = low - low % step
    spans = high // step - low // step + 1
    # Each document adds one from its first span on and takes it away after its last.
    starts = np.bincount((first_years - first) // step, minlength=spans + 1)
    stops = np.bincount((last_years - first) // step + 1, minlength=spans + 1)
    counts = np.cumsum(starts - stops)[:spans]
    return YearCounts(first, step, counts, undated, open_ended)


@dataclass(frozen=True)
class Bar:
    first: int
    last: int
    count: int
    url: str  # the list filtered by these years ("" when no document dates from them)
    x: float  # the column's left edge; its link covers the whole column
    y: float
    width: float  # the column's width; the bar is `gap` narrower
    height: float
    gap: float

    @property
    def bar_x(self):
        return self.x + self.gap / 2

    @property
    def bar_width(self):
        return self.width - self.gap

    @property
    def years(self):
        return str(self.first) if self.first == self.last else f"{self.first}–{self.last}"

    @property
    def label(self):
        return f"{self.years}: {self.count} document{'' if self.count == 1 else 's'}"

    @property
    def svg(self):
        """The bar in the chart: a link over its column, and the bar (numbers to 2 decimals).

        Written here rather than in the template, earned by a measurement: drawn there with
        `floatformat` for each of a bar's six numbers, the chart of 18 bars took 4.3 ms of a
        22 ms collection page (100,000 documents on SQLite), this way 0.8 ms.
        """
        if not self.url:
            return ""
        return format_html(
            '<a href="{}" aria-label="{}"><title>{}</title>'
            '<rect class="timeline-column" x="{}" y="{}" width="{}" height="{}"/>'
            '<rect class="timeline-bar" x="{}" y="{}" width="{}" height="{}"/></a>',
            self.url,
            self.label,
            self.label,
            _number(self.x),
            PLOT_TOP,
            _number(self.width),
            PLOT_BOTTOM - PLOT_TOP,
            _number(self.bar_x),
            _number(self.y),
            _number(self.bar_width),
            _number(self.height),
        )


@dataclass(frozen=True)
class Tick:
    x: float
    text: str

    @property
    def svg_x(self):
        return _number(self.x)


def _number(value):
    """A coordinate as the chart writes it: two decimals, never localised."""
    return f"{value:.2f}"


@dataclass(frozen=True)
class Timeline:
    bars: list[Bar]
    ticks: list[Tick]
    step: int
    highest: int
    undated: int
    open_ended: int
    width: float = WIDTH
    height: int = HEIGHT
    top: int = PLOT_TOP
    baseline: int = PLOT_BOTTOM
    label_y: int = LABEL_Y

    @property
    def column_height(self):
        return self.baseline - self.top

    @property
    def svg_width(self):
        return f"{self.width:.0f}"

    @property
    def first(self):
        return self.bars[0].first

    @property
    def last(self):
        return self.bars[-1].last

    @property
    def busiest(self):
        return max(self.bars, key=lambda bar: bar.count)

    @property
    def dated(self):
        return any(bar.count for bar in self.bars)


def timeline(found, params, *, most=MOST_BARS):
    """The `Timeline` of `found` (from `index.find`), its bars linking to the list `params`
    (the request's query string) filtered by each bar's years. None when nothing is listed."""
    counts = found.remembered(
        ("years", most), lambda: year_counts(found.index, found.mask, most=most)
    )
    return draw(counts, params)


def draw(counts, params):
    """The `Timeline` of `YearCounts`, its bars linking to the list `params` filtered by each
    bar's years. None when no document is counted at all."""
    if not len(counts.counts) and not (counts.undated or counts.open_ended):
        return None
    spans = len(counts.counts)
    highest = int(counts.counts.max()) if spans else 0
    width = max(WIDTH, spans * SLOT)
    slot = width / max(spans, 1)
    gap = min(4.0, slot * 0.15)
    # Every bar labelled when there is room, else the round years (decades, where they fit).
    every = counts.step
    if slot < LABEL_SPACE:
        every = next(
            (
                n
                for n in LABEL_YEARS
                if n % counts.step == 0 and n / counts.step * slot >= LABEL_SPACE
            ),
            LABEL_YEARS[-1],
        )
    bars, ticks = [], []
    for i, count in enumerate(counts.counts.tolist()):
        first = counts.first + i * counts.step
        last = first + counts.step - 1
        # A bar of one document among thousands still shows (two pixels).
        height = max((PLOT_BOTTOM - PLOT_TOP) * count / highest, 2) if count else 0
        url = years_url(params, first, last) if count else ""
        bars.append(Bar(first, last, count, url, i * slot, PLOT_BOTTOM - height, slot, height, gap))
        if first % every == 0:
            ticks.append(Tick(i * slot + slot / 2, str(first)))
    return Timeline(
        bars, ticks, counts.step, highest, counts.undated, counts.open_ended, width=width
    )


def years_url(params, first, last):
    """The current list's query string filtered by the years `first` to `last` (page dropped)."""
    names = (DATES.name, DATES.to_name, "page")
    pairs = [(k, v) for k, vs in params.lists() if k not in names for v in vs if v != ""]
    return "?" + urlencode([*pairs, (DATES.name, str(first)), (DATES.to_name, str(last))])
