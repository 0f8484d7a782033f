"""Dates of issue: kept as printed, and turned into a sortable ISO value of the precision given."""

from __future__ import annotations

import datetime
import re

MONTHS = {name: number for number, name in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}

_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})-([A-Za-z]{3})[A-Za-z]*-(\d{4})$")  # JSPUI: 20-Aug-2010
_MONTH_YEAR = re.compile(r"^([A-Za-z]{3})[A-Za-z]*-(\d{4})$")  # JSPUI: Aug-2010
EARLIEST_PLAUSIBLE_YEAR = 1800


class DateError(ValueError):
    pass


def to_iso(printed: str) -> str:
    """Return the ISO form of a printed date ("2024", "2024-05", "2010-08-20"); raise DateError if it is not one."""
    text = printed.strip()
    match = _ISO.match(text)
    if match:
        year, month, day = match.groups()
        return _checked(int(year), int(month) if month else None, int(day) if day else None, printed)
    match = _DAY_MONTH_YEAR.match(text)
    if match and match.group(2).casefold() in MONTHS:
        return _checked(int(match.group(3)), MONTHS[match.group(2).casefold()], int(match.group(1)), printed)
    match = _MONTH_YEAR.match(text)
    if match and match.group(1).casefold() in MONTHS:
        return _checked(int(match.group(2)), MONTHS[match.group(1).casefold()], None, printed)
    raise DateError(f"not a date: {printed!r}; expected YYYY, YYYY-MM, YYYY-MM-DD or DD-Mon-YYYY")


def _checked(year: int, month: int | None, day: int | None, printed: str) -> str:
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        raise DateError(f"impossible date {printed!r}: month {month}")
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        datetime.date(max(year, 1), month, day)
    except ValueError as error:
        raise DateError(f"impossible date {printed!r}: {error}") from error
    return f"{year:04d}-{month:02d}-{day:02d}"


def year_of(iso: str | None) -> int | None:
    return int(iso[:4]) if iso and iso[:4].isdigit() else None


def implausibility(iso: str, today: datetime.date | None = None) -> str | None:
    """Say why a valid date is implausible for a thesis (year 0023, a year in the future), or return None."""
    year = year_of(iso)
    latest = (today or datetime.date.today()).year + 1
    if year is None:
        return None
    if year < EARLIEST_PLAUSIBLE_YEAR:
        return f"year {iso[:4]} is before {EARLIEST_PLAUSIBLE_YEAR}"
    if year > latest:
        return f"year {iso[:4]} is in the future"
    return None
