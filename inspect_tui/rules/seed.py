"""Load the default data files (roster, 2025 reorganisation, indicators,
work plan) into a database. Idempotent: what is already there is kept."""
import csv
import datetime as dt
import io
import tomllib
from dataclasses import dataclass
from importlib import resources

from inspect_tui.rules import indicators, units, workplan
from inspect_tui.rules.dates import parse_optional_date
from inspect_tui.store.db import serialised
from inspect_tui.store.models import Indicator, Observation, Target, Unit, WorkItem

DATA = resources.files("inspect_tui.data")


def _read(name: str) -> str:
    return DATA.joinpath(name).read_text("utf-8")


@dataclass(frozen=True)
class SeedReport:
    units: int
    reorganisations: int
    indicators: int
    observations: int
    work_items: int


def load_units(actor: str) -> int:
    created = 0
    for line in csv.DictReader(io.StringIO(_read("units.csv"))):
        if Unit.select().where(Unit.code == line["code"]).exists():
            continue
        units.create(line["code"], line["name"], line["kind"], actor,
                     parent=line["parent"] or None,
                     started_on=parse_optional_date(line["started_on"], "started_on"),
                     ended_on=parse_optional_date(line["ended_on"], "ended_on"),
                     confirmed=line["confirmed"].strip().lower() == "true", note=line["note"])
        created += 1
    return created


def reorganisation_events() -> list[dict]:
    return tomllib.loads(_read("reorganisations.toml"))["event"]


def apply_reorganisations(actor: str, until: dt.date | None = None) -> int:
    """Apply the events not yet applied (optionally only those up to `until`).
    An event may name a `holder` (a dissolution): the unit that keeps the open
    tasks, pending reassignment."""
    applied = 0
    for event in reorganisation_events():
        if until and event["on"] > until:
            continue
        ending = [c for c in event["from"] if c not in event.get("to", [])]
        if all(units.get(c).ended_on is not None for c in ending):
            applied += _mark_holder(event, ending, actor)
            continue
        units.reorganise(event["kind"], event["from"], event.get("to", []), event["on"], actor,
                         new_units=event.get("new"), note=event.get("note", ""),
                         holder=event.get("holder"))
        applied += 1
    return applied


def _mark_holder(event: dict, ending: list[str], actor: str) -> int:
    """A database that recorded the end of the districts before holders
    existed (as a merge into UBND thành phố): mark those links as the
    holder's, so its tasks from them show as pending reassignment. 1 if done."""
    from inspect_tui.rules.reorganisation import HOLD
    from inspect_tui.store.models import Succession

    holder = event.get("holder")
    if not holder:
        return 0
    links = list(Succession.select().where(
        Succession.predecessor.in_([units.get(c).id for c in ending])
        & (Succession.successor == units.get(holder).id) & (Succession.kind != HOLD)))
    if not links:
        return 0
    from inspect_tui.rules import audit

    with audit.change(actor) as ch:
        for link in links:
            ch.update(link, kind=HOLD, takes_open_tasks=True)
    return 1


def load_indicators(actor: str) -> tuple[int, int]:
    data = tomllib.loads(_read("indicators.toml"))
    sources = data["sources"]
    created = observed = 0
    for spec in data["indicator"]:
        if not Indicator.select().where(Indicator.code == spec["code"]).exists():
            indicators.create(spec["code"], spec["name"], spec["measure"], actor,
                              higher_is_better=spec.get("higher_is_better", True),
                              area=spec.get("area", ""))
            created += 1
        indicator = indicators.get(spec["code"])
        for target in spec.get("targets", []):
            source = sources[target["source"]]
            if not Target.select().where((Target.indicator == indicator) & (Target.year == target["year"])
                                         & (Target.source == source)).exists():
                indicators.add_target(spec["code"], target["year"], target["value"], source, actor,
                                      target.get("comparator", ">="))
        for obs in spec.get("observations", []):
            source = sources[obs["source"]]
            if not Observation.select().where(
                    (Observation.indicator == indicator) & (Observation.period == obs["period"])
                    & (Observation.source == source)).exists():
                indicators.observe(spec["code"], obs["period"], obs["value"], source, actor,
                                   obs.get("note", ""))
                observed += 1
    return created, observed


def load_workplan(actor: str) -> int:
    created = 0
    for position, spec in enumerate(tomllib.loads(_read("workplan.toml"))["item"], start=1):
        if WorkItem.select().where(WorkItem.code == spec["code"]).exists():
            continue
        milestones = {year: {"due_on": dt.date(year, 12, 31)} for year in workplan.YEARS}
        workplan.create_item(spec["code"], spec["source"], spec["title"], spec["area"], actor,
                             position=position, lead=spec.get("lead"),
                             description=spec.get("description", ""),
                             coordinators=tuple(spec.get("coordinators", ())),
                             milestones=milestones, indicators=tuple(spec.get("indicators", ())))
        created += 1
    return created


def ensure_defaults(actor: str) -> None:
    """Load the default data into a database that has no unit yet."""
    if not Unit.select().exists():
        load_defaults(actor)


def load_defaults(actor: str, reorganise: bool = True) -> SeedReport:
    """Idempotent, and one program at a time: a second `init` started together
    waits, then finds everything there."""
    with serialised():
        n_units = load_units(actor)
        n_reorg = apply_reorganisations(actor) if reorganise else 0
        n_ind, n_obs = load_indicators(actor)
        n_items = load_workplan(actor)
    return SeedReport(n_units, n_reorg, n_ind, n_obs, n_items)
