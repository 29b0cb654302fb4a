"""Indicators (chỉ tiêu): targets and observed values, each with its source.

Two observed values for the same indicator and period from different sources
are both kept; `conflicts` reports where they disagree.
"""
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from inspect_tui.rules import audit, limits
from inspect_tui.rules.errors import DomainError
from inspect_tui.rules.vocab import AREAS, MEASURES
from inspect_tui.store.models import Indicator, Observation, Target

COMPARATORS = (">=", "<=", "=")


@dataclass(frozen=True)
class ObservationRow:
    period: str
    year: int
    value: Decimal
    source: str
    note: str
    conflict: bool


@dataclass(frozen=True)
class TargetRow:
    year: int
    comparator: str
    value: Decimal
    source: str


@dataclass(frozen=True)
class IndicatorRow:
    id: int
    code: str
    name: str
    measure: str
    higher_is_better: bool
    area: str
    targets: tuple[TargetRow, ...]
    observations: tuple[ObservationRow, ...]

    @property
    def conflicts(self) -> list[str]:
        return sorted({o.period for o in self.observations if o.conflict})

    def latest(self) -> ObservationRow | None:
        return self.observations[-1] if self.observations else None


DECIMALS = 4  # the columns' places after the point
WHOLE_DIGITS = 16  # the columns hold 20 digits
SIGNIFICANT = 15  # SQLite keeps a decimal as a double: exact up to 15 significant digits


def _decimal(value, field="value") -> Decimal:
    """A number both backends store exactly; refused otherwise (never rounded)."""
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise DomainError("bad_number", field=field, value=value) from None
    if not number.is_finite() or abs(number) >= Decimal(10) ** WHOLE_DIGITS \
            or number != number.quantize(Decimal(1).scaleb(-DECIMALS)) \
            or len(number.normalize().as_tuple().digits) > SIGNIFICANT:
        raise DomainError("bad_number", field=field, value=value)
    return number


def period_year(period: str) -> int:
    """"2024" -> 2024; "2025-Q1" -> 2025; "2021-2025" -> 2025."""
    digits = [int(p) for p in period.replace("-Q", " ").replace("-", " ").split() if len(p) == 4]
    if not digits:
        raise DomainError("bad_period", value=period)
    return max(digits)


def period_end(period: str) -> dt.date:
    """The last day of a period: "2024" -> 31/12/2024; "2025-Q1" -> 31/3/2025;
    "2025-H1" -> 30/6/2025; "2025-05" -> 31/5/2025; "2021-2025" -> 31/12/2025."""
    match = re.fullmatch(r"(\d{4})-(Q[1-4]|H[12]|\d{1,2})", period.strip().upper())
    if match:
        year, part = int(match.group(1)), match.group(2)
        month = {"Q": 3, "H": 6}[part[0]] * int(part[1:]) if part[0] in "QH" else int(part)
        if 1 <= month <= 12:
            return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    return dt.date(period_year(period), 12, 31)


def get(code: str) -> Indicator:
    indicator = Indicator.get_or_none(Indicator.code == code)
    if indicator is None:
        raise DomainError("unknown_record", what="indicator", id=code)
    return indicator


def create(code: str, name: str, measure: str, actor: str, higher_is_better: bool = True,
           area: str = "", description: str = "") -> None:
    if measure not in MEASURES:
        raise DomainError("bad_choice", field="measure", value=measure, choices=", ".join(MEASURES))
    if area and area not in AREAS:
        raise DomainError("bad_choice", field="area", value=area, choices=", ".join(AREAS))
    if Indicator.select().where(Indicator.code == code).exists():
        raise DomainError("duplicate_record", what="indicator", id=code)
    with audit.change(actor) as ch:
        ch.create(Indicator, code=code, name=name.strip(), measure=measure,
                  higher_is_better=higher_is_better, area=area, description=description)


def add_target(code: str, year: int, value, source: str, actor: str, comparator: str = ">=") -> None:
    if comparator not in COMPARATORS:
        raise DomainError("bad_choice", field="comparator", value=comparator, choices=" ".join(COMPARATORS))
    with audit.change(actor) as ch:
        ch.create(Target, indicator=get(code), year=int(year), comparator=comparator,
                  value=_decimal(value), source=source.strip())


def observe(code: str, period: str, value, source: str, actor: str, note: str = "") -> None:
    """Record an observed value; the same period and source may be recorded once."""
    indicator = get(code)
    for field, text in (("period", period), ("source", source.strip()), ("note", note)):
        limits.check_text(text, field, Observation._meta.fields[field].max_length
                          if field != "note" else limits.LONG_TEXT_MAX)
    if not source.strip():
        raise DomainError("required", field="source")
    if Observation.select().where((Observation.indicator == indicator) & (Observation.period == period)
                                  & (Observation.source == source.strip())).exists():
        raise DomainError("duplicate_observation", code=code, period=period, source=source)
    with audit.change(actor) as ch:
        ch.create(Observation, indicator=indicator, period=period, year=period_year(period),
                  value=_decimal(value), source=source.strip(), note=note)


def _period_key(period: str):
    return (period_year(period), period)


def all_indicators(known_on: dt.date | None = None) -> list[IndicatorRow]:
    """Every indicator with its targets and observed values. With `known_on`
    (a report date), only the values of periods that had ended by then, and
    conflicts among those only (see rules/asof.py)."""
    targets: dict[int, list[TargetRow]] = {}
    for t in Target.select().order_by(Target.year):
        targets.setdefault(t.indicator_id, []).append(TargetRow(t.year, t.comparator, t.value, t.source))
    by_indicator: dict[int, list[Observation]] = {}
    for o in Observation.select().order_by(Observation.year, Observation.period, Observation.id):
        if known_on is not None and period_end(o.period) > known_on:
            continue
        by_indicator.setdefault(o.indicator_id, []).append(o)
    result = []
    for ind in Indicator.select().order_by(Indicator.id):
        obs = by_indicator.get(ind.id, [])
        values: dict[str, set] = {}
        for o in obs:
            values.setdefault(o.period, set()).add(o.value.normalize())
        rows = tuple(ObservationRow(o.period, o.year, o.value, o.source, o.note,
                                    len(values[o.period]) > 1)
                     for o in sorted(obs, key=lambda o: _period_key(o.period)))
        result.append(IndicatorRow(ind.id, ind.code, ind.name, ind.measure, ind.higher_is_better,
                                   ind.area, tuple(targets.get(ind.id, ())), rows))
    return result


def indicator(code: str) -> IndicatorRow:
    for row in all_indicators():
        if row.code == code:
            return row
    raise DomainError("unknown_record", what="indicator", id=code)


def conflicts() -> list[tuple[str, str, list[ObservationRow]]]:
    """(indicator code, period, the disagreeing observations) for every conflict."""
    found = []
    for row in all_indicators():
        for period in row.conflicts:
            found.append((row.code, period, [o for o in row.observations if o.period == period]))
    return found


def meets(row: IndicatorRow, target: TargetRow, value: Decimal) -> bool:
    if target.comparator == ">=":
        return value >= target.value
    if target.comparator == "<=":
        return value <= target.value
    return value == target.value
