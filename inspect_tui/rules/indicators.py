"""Indicators (chỉ tiêu): targets and observed values, each with its source.

Two observed values for the same indicator and period from different sources
are both kept; `conflicts` reports where they disagree.
"""
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from inspect_tui.rules import audit
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


def _decimal(value, field="value") -> Decimal:
    try:
        return Decimal(str(value).replace(",", "."))
    except (InvalidOperation, ValueError):
        raise DomainError("bad_number", field=field, value=value) from None


def period_year(period: str) -> int:
    """"2024" -> 2024; "2025-Q1" -> 2025; "2021-2025" -> 2025."""
    digits = [int(p) for p in period.replace("-Q", " ").replace("-", " ").split() if len(p) == 4]
    if not digits:
        raise DomainError("bad_period", value=period)
    return max(digits)


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


def all_indicators() -> list[IndicatorRow]:
    targets: dict[int, list[TargetRow]] = {}
    for t in Target.select().order_by(Target.year):
        targets.setdefault(t.indicator_id, []).append(TargetRow(t.year, t.comparator, t.value, t.source))
    by_indicator: dict[int, list[Observation]] = {}
    for o in Observation.select().order_by(Observation.year, Observation.period, Observation.id):
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
