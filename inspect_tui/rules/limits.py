"""Named limits on everything that comes from outside (typed text, arguments,
files), checked before the work starts. Each limit lives here once; the rules,
the command line, the TUI and the importers read it from here.

The same limits hold on SQLite and PostgreSQL, so both accept and refuse the
same inputs: SQLite would store a 600-character code in a 40-character column,
PostgreSQL would refuse it with a driver error; the rules refuse it first.
"""
import datetime as dt

from inspect_tui.rules.errors import DomainError

YEAR_MIN, YEAR_MAX = 2000, 2100  # years a plan, a report or "today" may be in
LONG_TEXT_MAX = 32_767  # characters of a free text (a note, a description): one Excel cell holds it whole
QUERY_MAX = 200  # characters of a search text or a unit name typed as a filter
NAME_MAX = 200  # characters of a person's name (--user, an assignee, a team member)
DUE_DAYS_MIN, DUE_DAYS_MAX = 1, 3650  # config `due_days`: default remediation deadline, in days
DUE_WORKING_DAYS_MIN, DUE_WORKING_DAYS_MAX = 1, 2500  # config `due_working_days`: the same, in working days
INT_MIN, INT_MAX = -(2**31), 2**31 - 1  # an IntegerField on PostgreSQL
ROSTER_ROWS_MAX = 10_000  # units in one roster file (`units import`); a workbook also keeps to excel/limits.py
ROSTER_BYTES_MAX = 20 * 1024 * 1024  # a roster CSV file, as sent (a workbook: excel/limits.py FILE_BYTES_MAX)


def check_year(year, field: str = "year") -> int:
    """A year the record accepts, as an int; a domain error otherwise."""
    try:
        value = int(year)
    except (TypeError, ValueError):
        raise DomainError("bad_year", value=year) from None
    if not YEAR_MIN <= value <= YEAR_MAX:
        raise DomainError("year_out_of_range", value=value, low=YEAR_MIN, high=YEAR_MAX)
    return value


def check_day(day: dt.date, field: str = "date") -> dt.date:
    """A date inside the years the record accepts (so day arithmetic never overflows)."""
    if not YEAR_MIN <= day.year <= YEAR_MAX:
        raise DomainError("date_out_of_range", field=field, low=YEAR_MIN, high=YEAR_MAX)
    return day


def check_text(value: str, field: str, limit: int = LONG_TEXT_MAX) -> str:
    """Text that every backend stores and reads back exactly: no NUL, no lone
    surrogate, at most `limit` characters."""
    if len(value) > limit:
        raise DomainError("too_long", field=field, limit=f"{limit:,}".replace(",", "."),
                          length=f"{len(value):,}".replace(",", "."))
    if "\x00" in value:
        raise DomainError("bad_characters", field=field)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: no backend can store it
        raise DomainError("bad_characters", field=field) from None
    return value


def check_int(value: int, field: str) -> int:
    if not INT_MIN <= value <= INT_MAX:
        raise DomainError("bad_number", field=field, value=value)
    return value


def _control(value: str) -> bool:
    """Whether `value` holds a control character (C0, DEL, C1: ESC, newline, ...)."""
    return any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in value)


def check_query(text, field: str) -> str:
    """A search text or a unit typed as a filter, stripped: not blank, at most
    QUERY_MAX characters (SQLite refuses very long LIKE patterns), storable."""
    text = str(text or "").strip()
    if not text:
        raise DomainError("required", field=field)
    return check_text(text, field, QUERY_MAX)


def check_name(value, field: str) -> str:
    """A person's name recorded in the change log, stripped: not blank, at most
    NAME_MAX characters, no control characters."""
    value = str(value or "").strip()
    if not value:
        raise DomainError("required", field=field)
    check_text(value, field, NAME_MAX)
    if _control(value):
        raise DomainError("control_characters", field=field)
    return value
