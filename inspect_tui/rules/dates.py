"""Dates as people type them: Vietnamese dd/mm/yyyy habit or ISO."""
import datetime as dt
import re

from inspect_tui.rules import limits
from inspect_tui.rules.errors import DomainError

_VN = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def parse_date(value, field: str = "date") -> dt.date:
    """Accept a date, a datetime, "06/5/2025", "6.5.2025" or "2025-05-06"."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    match = _ISO.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _VN.match(text)
        if not match:
            raise DomainError("bad_date", field=field, value=text)
        day, month, year = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise DomainError("bad_date", field=field, value=text) from None


def parse_day(value, field: str = "date") -> dt.date:
    """parse_date, and the day must lie within limits.YEAR_MIN..YEAR_MAX: for a
    day typed from outside ("today", "the roster on"), so date arithmetic on it
    (a week ahead, days overdue) never overflows."""
    return limits.check_day(parse_date(value, field), field)


def parse_optional_date(value, field: str = "date") -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_date(value, field)
