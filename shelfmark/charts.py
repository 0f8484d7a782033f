"""Small charts drawn at build time as inline SVG: theses per year, and a department's share.

The SVG has no viewBox. Horizontal positions are percentages of the chart's width and vertical
ones are CSS pixels, so the chart fills any column from a phone to a wide screen while its
labels keep their font size. Colours come from CSS classes in assets/site.css (the bars use
the accent colour, the labels currentColor), so one chart works in the light and the dark
scheme. The output depends only on the counts, so two builds give the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from markupsafe import Markup, escape

# Vertical layout of the year chart, in CSS pixels.
PLOT_HEIGHT = 120  # height of the tallest column
TOP_MARGIN = 20  # room for the count above the tallest column
BOTTOM_MARGIN = 24  # room for the year labels under the baseline
CHART_HEIGHT = TOP_MARGIN + PLOT_HEIGHT + BOTTOM_MARGIN

MIN_SLOTS = 5  # fewer years are centred in five slots, so one year is not one wide block
BAR_FRACTION = 0.7  # share of its slot a column fills
MAX_YEAR_LABELS = 8  # years labelled under the axis; more would collide at 360 px
MAX_COUNT_LABELS = 12  # with more years the counts above the columns are left out (the table has them)
LABEL_STEPS = (1, 2, 5, 10, 20, 25, 50, 100)
MAX_FILLED_SPAN = 100  # wider spans (usually one mistyped year, such as 0023) are not filled year by year

SHARE_HEIGHT = 14  # height of the department share bar, in CSS pixels


@dataclass(frozen=True)
class YearChart:
    """The year chart of a page: the SVG, and the rows of the table that repeats its numbers."""

    svg: Markup
    rows: tuple[tuple[int, int], ...]  # (year, theses), oldest first, years without theses included
    title: str
    summary: str


@dataclass(frozen=True)
class Share:
    """One department's part of the collection, in words and as a bar."""

    count: int
    total: int
    percent: str  # "30%", "33.3%", "less than 0.1%"
    svg: Markup


def year_counts(pairs: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Sort (year, count) pairs oldest first and add the missing years between them with a count of 0.

    Gaps are filled only when the years span at most MAX_FILLED_SPAN years; otherwise only the
    years given are returned.
    """
    counts: dict[int, int] = {}
    for year, count in pairs:
        counts[year] = counts.get(year, 0) + count
    if not counts:
        return ()
    if max(counts) - min(counts) >= MAX_FILLED_SPAN:
        return tuple(sorted(counts.items()))
    return tuple((year, counts.get(year, 0)) for year in range(min(counts), max(counts) + 1))


def year_chart(pairs: Iterable[tuple[int, int]], chart_id: str) -> YearChart | None:
    """Draw a column chart of theses per year; None when no thesis has a year.

    `chart_id` prefixes the ids of the chart's title and description, so it must be unique on
    the page.
    """
    rows = year_counts(pairs)
    if not rows:
        return None
    title = f"Theses per year, {rows[0][0]} to {rows[-1][0]}" if len(rows) > 1 else f"Theses in {rows[0][0]}"
    summary = _year_summary(rows)
    parts = [
        f'<svg class="chart-svg" width="100%" height="{CHART_HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(summary)}</desc>',
        *_columns(rows),
        f'<line class="chart-axis" x1="0" x2="100%" y1="{TOP_MARGIN + PLOT_HEIGHT}" y2="{TOP_MARGIN + PLOT_HEIGHT}"/>',
        "</svg>",
    ]
    return YearChart(Markup("\n".join(parts)), rows, title, summary)


def _year_summary(rows: tuple[tuple[int, int], ...]) -> str:
    total = sum(count for _, count in rows)
    peak = max(count for _, count in rows)
    peak_years = [str(year) for year, count in rows if count == peak]
    span = f"from {rows[0][0]} to {rows[-1][0]}" if len(rows) > 1 else f"in {rows[0][0]}"
    text = f"{_theses(total)} {span}."
    if len(rows) > 1 and len(peak_years) == 1:
        text += f" The busiest year is {peak_years[0]}, with {_theses(peak)}."
    elif len(rows) > 1:
        text += f" The busiest years are {_join(peak_years)}, with {_theses(peak)} each."
    return text + " The table after the chart gives the count for each year."


def _columns(rows: tuple[tuple[int, int], ...]) -> list[str]:
    """One column per year, its count above it and, for some years, the year under the axis."""
    slots = max(len(rows), MIN_SLOTS)
    offset = (slots - len(rows)) / 2
    slot_width = 100 / slots
    peak = max(count for _, count in rows) or 1
    baseline = TOP_MARGIN + PLOT_HEIGHT
    step = _label_step(len(rows))
    elements = []
    for index, (year, count) in enumerate(rows):
        left = (offset + index) * slot_width
        centre = _percent(left + slot_width / 2)
        height = round(count / peak * PLOT_HEIGHT, 1)
        if count:
            elements.append(f'<rect class="chart-bar" x="{_percent(left + slot_width * (1 - BAR_FRACTION) / 2)}" '
                            f'y="{_number(baseline - height)}" width="{_percent(slot_width * BAR_FRACTION)}" '
                            f'height="{_number(height)}"/>')
        if len(rows) <= MAX_COUNT_LABELS:
            elements.append(f'<text class="chart-count" x="{centre}" y="{_number(baseline - height - 5)}" '
                            f'text-anchor="middle">{count}</text>')
        if year % step == 0:
            x, anchor = _label_position(index, len(rows), left, slot_width)
            elements.append(f'<text class="chart-label" x="{x}" y="{baseline + 17}" text-anchor="{anchor}">{year}</text>')
    return elements


def _label_position(index: int, count: int, left: float, slot_width: float) -> tuple[str, str]:
    """Centre a year under its column, except in the first and last of many narrow slots.

    There a centred label would stick out of the chart, so it starts at the slot's left edge or
    ends at its right edge instead.
    """
    if count > MAX_YEAR_LABELS and index == 0:
        return _percent(left), "start"
    if count > MAX_YEAR_LABELS and index == count - 1:
        return _percent(left + slot_width), "end"
    return _percent(left + slot_width / 2), "middle"


def _label_step(years: int) -> int:
    """The smallest step in LABEL_STEPS that labels at most MAX_YEAR_LABELS years."""
    for step in LABEL_STEPS:
        if -(-years // step) <= MAX_YEAR_LABELS:
            return step
    return LABEL_STEPS[-1]


def share(count: int, total: int) -> Share:
    """A part of a whole, as a percentage and a horizontal bar; the bar is decorative because the page prints the numbers."""
    fraction = count / total if total else 0.0
    percent = format_percent(fraction * 100)
    if count and percent == "0%":
        percent = "less than 0.1%"
    elif count < total and percent == "100%":
        percent = "more than 99.9%"
    svg = (f'<svg class="share-svg" width="100%" height="{SHARE_HEIGHT}" aria-hidden="true">'
           f'<rect class="share-track" width="100%" height="{SHARE_HEIGHT}" rx="3"/>'
           f'<rect class="share-fill" width="{_percent(fraction * 100)}" height="{SHARE_HEIGHT}" rx="3"/>'
           "</svg>")
    return Share(count, total, percent, Markup(svg))


def format_percent(value: float) -> str:
    """A percentage for people: whole when it is whole, otherwise one decimal ("30%", "33.3%", "0.2%")."""
    rounded = round(value, 1)
    if rounded == int(rounded):
        return f"{int(rounded)}%"
    return f"{rounded:.1f}%"


def _percent(value: float) -> str:
    return _number(value) + "%"


def _number(value: float) -> str:
    """A coordinate with at most three decimals and no trailing zeros, so the SVG stays short and stable."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _theses(count: int) -> str:
    return f"{count} thesis" if count == 1 else f"{count} theses"


def _join(words: list[str]) -> str:
    if len(words) <= 2:
        return " and ".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]
