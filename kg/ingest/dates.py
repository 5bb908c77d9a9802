"""Publication dates in the many forms news sources write them, normalised to ISO.

Extraction resolves relative dates ("on Tuesday", "last month") against
``Article.published``, so that value must be a plain ISO date (``YYYY-MM-DD``, or a shorter
prefix ``YYYY-MM`` / ``YYYY`` when the source gives no day). Times and time zones are
dropped without conversion: the calendar date as the publisher wrote it is the one the text's
relative dates refer to.
"""

from __future__ import annotations

import re
import time
from datetime import date, datetime
from email.utils import parsedate_tz

__all__ = ["normalise_date"]

_MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))

_ISO = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?(?:[T ].*)?$")
_ISO_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T.*)?$")
_SLASHED_YMD = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$")
_SLASHED_MDY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_DOTTED_DMY = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
_MDY = re.compile(
    rf"^{_WEEKDAY}({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I
)
_DMY = re.compile(
    rf"^{_WEEKDAY}(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_RE})\.?,?\s+(\d{{4}})\b", re.I
)
_MY = re.compile(rf"^({_MONTH_RE})\.?,?\s+(\d{{4}})$", re.I)
_YEAR = re.compile(r"^(\d{4})$")


def _ymd(year: int, month: int, day: int | None) -> str | None:
    try:
        if day is None:
            date(year, month, 1)
            return f"{year:04d}-{month:02d}"
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def normalise_date(value: object) -> str | None:
    """Return ``value`` as an ISO date string, or None when it is not a recognisable date.

    Accepts ISO dates and datetimes (``2025-06-13``, ``2025-06-13T09:30:00+02:00``),
    RFC 822 dates as feeds write them (``Fri, 13 Jun 2025 09:30:00 GMT``), written-out dates
    (``June 13, 2025``, ``13 June 2025``, ``Jun. 13th, 2025``), ``2025/06/13``,
    ``06/13/2025`` (US order), ``13.06.2025`` (European order), ``June 2025``, ``2025``,
    ``datetime``/``date`` objects and ``time.struct_time`` (feedparser's ``*_parsed``).
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time.struct_time):
        return _ymd(value.tm_year, value.tm_mon, value.tm_mday)
    if not isinstance(value, str):
        return None
    s = " ".join(value.strip().strip("\"'").split())
    if not s:
        return None
    if m := _ISO.match(s):
        day = int(m.group(3)) if m.group(3) else None
        return _ymd(int(m.group(1)), int(m.group(2)), day)
    if m := _ISO_COMPACT.match(s):
        return _ymd(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if m := _SLASHED_YMD.match(s):
        return _ymd(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if m := _SLASHED_MDY.match(s):  # US order, unless the first number cannot be a month
        first, second = int(m.group(1)), int(m.group(2))
        if first > 12:
            first, second = second, first
        return _ymd(int(m.group(3)), first, second)
    if m := _DOTTED_DMY.match(s):
        return _ymd(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    if m := _MDY.match(s):
        return _ymd(int(m.group(3)), _MONTHS[m.group(1).lower()], int(m.group(2)))
    if m := _DMY.match(s):
        return _ymd(int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1)))
    if m := _MY.match(s):
        return _ymd(int(m.group(2)), _MONTHS[m.group(1).lower()], None)
    if m := _YEAR.match(s):
        return m.group(1)
    parsed = parsedate_tz(s)  # RFC 822 / 2822, with or without weekday and zone
    if parsed is not None and parsed[0] > 0:
        return _ymd(parsed[0], parsed[1], parsed[2])
    return None
