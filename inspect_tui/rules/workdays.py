"""Working days in Vietnam, for deadlines counted in working days (the
conclusion notice is due 15 working days after the visit; a task's default
deadline may be set in working days).

A day is worked unless it is a Saturday, a Sunday or a public holiday. The
holidays come from the `holidays` package (country "VN": Tết Nguyên Đán by
the lunar calendar, the days off in lieu of holidays that fall on a weekend,
and the swaps it knows); the government's yearly swaps and extra days off
are kept in the editable `inspect_tui/data/days_off.toml`, which has the last
word: a `[[working_day]]` there is worked whatever the package says, a
`[[day_off]]` is not.

Nothing here reads the clock: every function takes the days it works on.
"""
import datetime as dt
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from inspect_tui.rules import limits
from inspect_tui.rules.errors import DomainError

DAYS_OFF_FILE = "days_off.toml"
NOTICE_WORKING_DAYS = 15  # the conclusion notice follows the visit within 15 working days
ONE = dt.timedelta(days=1)


@dataclass(frozen=True)
class DayOff:
    """A day that is not a plain working day (or, `worked`, a weekend day that is)."""

    day: dt.date
    name: str
    worked: bool = False  # a make-up day (làm bù)
    confirmed: bool = True
    source: str = ""  # "holidays" for the package, else the file's `source` or the file


def _read_file() -> str:
    return resources.files("inspect_tui.data").joinpath(DAYS_OFF_FILE).read_text("utf-8")


@lru_cache(maxsize=1)
def _file_entries() -> tuple[DayOff, ...]:
    """The entries of days_off.toml; a broken file is one domain error naming it."""
    try:
        table = tomllib.loads(_read_file())
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DomainError("days_off_file", file=DAYS_OFF_FILE, detail=str(exc)) from None
    entries = []
    for key, worked in (("day_off", False), ("working_day", True)):
        for item in table.get(key, []):
            day = item.get("date") if isinstance(item, dict) else None
            if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
                raise DomainError("days_off_file", file=DAYS_OFF_FILE,
                                  detail=f"[[{key}]] date = {day!r}")
            entries.append(DayOff(day, str(item.get("name", "")), worked,
                                  bool(item.get("confirmed", True)),
                                  str(item.get("source", "")) or DAYS_OFF_FILE))
    return tuple(sorted(entries, key=lambda e: e.day))


def reload() -> None:
    """Forget what was read (after days_off.toml was edited, or in tests)."""
    _file_entries.cache_clear()
    _year.cache_clear()
    _package_year.cache_clear()


@lru_cache(maxsize=64)
def _package_year(year: int, lang: str) -> tuple[dict, frozenset]:
    import holidays

    language = "vi" if lang == "vi" else "en_US"
    calendar = holidays.country_holidays("VN", years=year, language=language)
    days = {day: name for day, name in calendar.items() if day.year == year}
    worked = frozenset(d for d in getattr(calendar, "weekend_workdays", ()) if d.year == year)
    return days, worked


@lru_cache(maxsize=64)
def _year(year: int) -> tuple[frozenset, frozenset]:
    """(days off on weekdays, days worked) of one year, all sources merged."""
    holidays_, package_worked = _package_year(year, "vi")
    entries = [e for e in _file_entries() if e.day.year == year]
    worked = set(package_worked) | {e.day for e in entries if e.worked}
    off = {d for d in holidays_ if d.weekday() < 5} | {e.day for e in entries if not e.worked}
    file_worked = {e.day for e in entries if e.worked}
    return frozenset(off - file_worked), frozenset(worked)


def is_working_day(day: dt.date) -> bool:
    off, worked = _year(day.year)
    if day in worked:
        return True
    return day.weekday() < 5 and day not in off


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The n-th working day after `start` (start itself not counted); `start` for 0."""
    if n < 0:
        raise DomainError("bad_number", field="working_days", value=n)
    day = start
    while n:
        day += ONE
        limits.check_day(day, "due_on")
        if is_working_day(day):
            n -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (negative when end < start)."""
    if end < start:
        return -working_days_between(end, start)
    count, day = 0, start
    while day < end:
        day += ONE
        count += is_working_day(day)
    return count


def next_working_day(day: dt.date) -> dt.date:
    """`day` itself if it is worked, else the first working day after it."""
    while not is_working_day(day):
        day += ONE
    return day


def notice_due_on(held_on: dt.date) -> dt.date:
    """The day the conclusion notice is due: 15 working days after the visit."""
    return add_working_days(held_on, NOTICE_WORKING_DAYS)


def days_off(year: int, lang: str = "vi") -> list[DayOff]:
    """Every day of `year` that is off although it is a weekday, or worked although
    it is a weekend day, with its name: the package's holidays and the file's
    entries (the file's name wins on a day both give). For people to check."""
    limits.check_year(year)
    names, package_worked = _package_year(year, lang)
    entries = {e.day: e for e in _file_entries() if e.day.year == year}
    off, worked = _year(year)
    result = []
    for day in sorted(off | worked | set(names)):
        if day in entries:
            result.append(entries[day])
        elif day in names:
            result.append(DayOff(day, names[day], day in worked, True, "holidays"))
        elif day in package_worked:
            result.append(DayOff(day, "", True, True, "holidays"))
    return result


def unconfirmed(year: int | None = None) -> list[DayOff]:
    """The file's entries marked confirmed = false (to be checked by the office)."""
    return [e for e in _file_entries() if not e.confirmed and (year is None or e.day.year == year)]
