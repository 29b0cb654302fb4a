"""The change log, read back: what happened to one record, or everything
since a day (optionally by one person).

Rows are read BATCH at a time in log order (keyset paging on the id), so a
log of millions of rows is listed with one batch in memory. Old and new
values are stored as JSON text; they come back decoded to what the field
holds (a date is a date), and `Labels` turns them into what people read.
"""
import datetime as dt
import json
import operator
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce
from typing import Iterator

from peewee import BooleanField, ForeignKeyField, fn

from inspect_tui.locale import formats, t
from inspect_tui.rules.audit import decode
from inspect_tui.rules.errors import DomainError
from inspect_tui.store.models import MODELS_BY_NAME, ChangeLog, Unit

KINDS = ("task", "finding", "visit", "unit")
BATCH = 500

# coded values and the locale group that names them, by field (and entity where it matters)
_CODES = {"status": None, "area": "area_short", "severity": "severity", "role": "role",
          "measure": "measure", "level": "plan_level"}
_KIND_CODES = {"unit": "unit_kind", "plan": "plan_kind", "succession": "reorganisation"}


@dataclass(frozen=True)
class Entry:
    id: int
    at: dt.datetime
    actor: str
    action: str  # create, update, delete, undo
    entity: str  # the table: task, finding, visit, unit, ...
    record_id: int
    field: str
    old: object  # decoded: a date is a date, a unit is its id
    new: object
    batch: str


def find_record(kind: str, ref: str) -> int:
    """The id of the `kind` record `ref` (a unit also by its code); a record
    that was deleted is still found through its log."""
    if kind not in KINDS:
        raise DomainError("bad_choice", field="KIND", value=kind, choices=", ".join(KINDS))
    ref = str(ref).strip()
    if kind == "unit":
        unit = Unit.get_or_none(Unit.code == ref)
        if unit is not None:
            return unit.id
    if ref.isdigit():
        record_id = int(ref)
        model = MODELS_BY_NAME[kind]
        if model.select().where(model.id == record_id).exists() or ChangeLog.select().where(
                (ChangeLog.entity == kind) & (ChangeLog.record_id == record_id)).exists():
            return record_id
    raise DomainError("unknown_record", what=t(f"entity.{kind}").lower(), id=ref)


def changes(entity: str | None = None, record_id: int | None = None,
            since: dt.date | None = None, actor: str | None = None) -> Iterator[Entry]:
    """Change-log rows, oldest first, streamed."""
    conditions = []
    if entity is not None:
        conditions += [ChangeLog.entity == entity, ChangeLog.record_id == record_id]
    if since is not None:
        conditions.append(ChangeLog.at >= dt.datetime.combine(since, dt.time.min))
    if actor:
        conditions.append(ChangeLog.actor == actor)
    condition = reduce(operator.and_, conditions, ChangeLog.id > 0)
    # start at the first matching id (found through the indexes), then page on the id
    last = ChangeLog.select(fn.MIN(ChangeLog.id)).where(condition).scalar()
    if last is None:
        return
    last -= 1
    while True:
        rows = list(ChangeLog.select().where(condition & (ChangeLog.id > last))
                    .order_by(ChangeLog.id).limit(BATCH))
        for row in rows:
            yield _entry(row)
        if len(rows) < BATCH:
            return
        last = rows[-1].id


def _entry(row: ChangeLog) -> Entry:
    field = _field(row.entity, row.field)
    return Entry(row.id, row.at, row.actor, row.action, row.entity, row.record_id, row.field,
                 decode(field, row.old), decode(field, row.new), row.batch)


def _field(entity: str, name: str):
    model = MODELS_BY_NAME.get(entity)
    return model._meta.fields.get(name) if model is not None and name else None


class Labels:
    """Entries as people read them, in the current language (unit codes looked
    up once each)."""

    def __init__(self):
        self._units: dict[int, str] = {}

    def action(self, entry: Entry) -> str:
        return _label(f"history.action.{entry.action}", entry.action)

    def record(self, entry: Entry) -> str:
        if entry.entity == "change_log":  # an undo names the batch it took back, in `old`
            return ""
        return f"{_label(f'entity.{entry.entity}', entry.entity)} {entry.record_id}"

    def field(self, entry: Entry) -> str:
        if not entry.field:
            return ""
        return _label(f"field.{entry.field}", None) or _label(f"history.field.{entry.field}", entry.field)

    def value(self, entry: Entry, value) -> str:
        if value is None:
            return ""
        field = _field(entry.entity, entry.field)
        if isinstance(field, ForeignKeyField) and isinstance(value, int):
            if field.rel_model is Unit:
                return self._unit(value)
            return f"{_label(f'entity.{field.rel_model._meta.table_name}', '')} {value}".strip()
        if isinstance(field, BooleanField) or isinstance(value, bool):
            return t("history.yes") if value else t("history.no")
        if isinstance(value, dt.datetime):
            return formats.datetime(value)
        if isinstance(value, dt.date):
            return formats.date(value)
        if isinstance(value, (int, float, Decimal)):
            return formats.number(value)
        if isinstance(value, str):
            groups = [_KIND_CODES.get(entry.entity)] if entry.field == "kind" else []
            if entry.field in _CODES:  # work items share the milestones' statuses
                groups = [_CODES[entry.field]] if _CODES[entry.field] else [
                    f"{entry.entity}_status", "milestone_status"]
            for group in filter(None, groups):
                text = _label(f"{group}.{value}", None)
                if text is not None:
                    return text
            return value
        return json.dumps(value, ensure_ascii=False)

    def _unit(self, unit_id: int) -> str:
        if unit_id not in self._units:
            code = Unit.select(Unit.code).where(Unit.id == unit_id).scalar()
            self._units[unit_id] = code or str(unit_id)
        return self._units[unit_id]


def _label(key: str, fallback):
    text = t(key)
    return fallback if text == key else text
