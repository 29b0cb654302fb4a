"""Writes that record themselves in the change log, and undo.

Every rule writes through a `Change` (one transaction, one batch id): who,
when, which record, which field, old and new value. Undo replays a batch
backwards as a new batch, so the log stays a true history.
"""
import contextvars
import datetime as dt
import json
import uuid
from contextlib import contextmanager
from decimal import Decimal

from peewee import DateField, DateTimeField, DecimalField, ForeignKeyField

from inspect_tui.rules.errors import DomainError
from inspect_tui.store.models import MODELS_BY_NAME, ChangeLog, database


def _encode(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime, Decimal)):
        value = value.isoformat() if not isinstance(value, Decimal) else str(value)
    return json.dumps(value, ensure_ascii=False)


def _decode(field, raw: str | None):
    if raw is None:
        return None
    value = json.loads(raw)
    if isinstance(field, DateTimeField):
        return dt.datetime.fromisoformat(value)
    if isinstance(field, DateField):
        return dt.date.fromisoformat(value)
    if isinstance(field, DecimalField):
        return Decimal(value)
    return value


def _stored(instance, name):
    field = instance._meta.fields[name]
    if isinstance(field, ForeignKeyField):
        return instance.__data__.get(name)
    return getattr(instance, name)


class Change:
    def __init__(self, actor: str, batch: str):
        self.actor = actor
        self.batch = batch
        self.at = dt.datetime.now().replace(microsecond=0)

    def _log(self, action, instance, field="", old=None, new=None):
        ChangeLog.create(
            at=self.at, actor=self.actor, batch=self.batch, action=action,
            entity=instance._meta.table_name, record_id=instance.id,
            field=field, old=_encode(old), new=_encode(new),
        )

    def create(self, model, **values):
        instance = model.create(**values)
        for name in instance._meta.sorted_field_names:
            if name != "id":
                self._log("create", instance, name, None, _stored(instance, name))
        return instance

    def update(self, instance, **values) -> dict:
        """Set fields that differ; returns {field: (old, new)} of what changed."""
        changed = {}
        for name, new in values.items():
            field = instance._meta.fields[name]
            if isinstance(field, ForeignKeyField) and new is not None and not isinstance(new, int):
                new = new.id
            old = _stored(instance, name)
            if old != new:
                changed[name] = (old, new)
        if not changed:
            return changed
        if "version" in instance._meta.fields:
            changed["version"] = (instance.version, instance.version + 1)
        for name, (old, new) in changed.items():
            setattr(instance, name, new)
            self._log("update", instance, name, old, new)
        instance.save(only=[instance._meta.fields[n] for n in changed])
        return changed

    def delete(self, instance):
        for name in instance._meta.sorted_field_names:
            if name != "id":
                self._log("delete", instance, name, _stored(instance, name), None)
        instance.delete_instance()


_open: contextvars.ContextVar = contextvars.ContextVar("audit_change", default=None)


@contextmanager
def change(actor: str):
    """One user action: a transaction and a change-log batch. Inside another
    `change` of the same actor, the writes join that batch (one undo)."""
    outer = _open.get()
    if outer is not None and outer.actor == actor:
        with database.atomic():
            yield outer
        return
    with database.atomic():
        ch = Change(actor, uuid.uuid4().hex)
        token = _open.set(ch)
        try:
            yield ch
        finally:
            _open.reset(token)


def last_batch(actor: str | None = None, since_id: int = 0) -> str | None:
    """The newest batch (of `actor`, after log row `since_id`) not yet undone."""
    query = ChangeLog.select(ChangeLog.batch, ChangeLog.id).where(ChangeLog.id > since_id)
    if actor:
        query = query.where(ChangeLog.actor == actor)
    undone = {row.old for row in ChangeLog.select(ChangeLog.old).where(ChangeLog.action == "undo")}
    for row in query.order_by(ChangeLog.id.desc()):
        if _encode(row.batch) not in undone and not _is_undo_batch(row.batch):
            return row.batch
    return None


def _is_undo_batch(batch: str) -> bool:
    return ChangeLog.select().where((ChangeLog.batch == batch) & (ChangeLog.action == "undo")).exists()


def undo(batch: str, actor: str) -> int:
    """Revert one batch; returns how many records it touched."""
    rows = list(ChangeLog.select().where(ChangeLog.batch == batch).order_by(ChangeLog.id.desc()))
    if not rows:
        raise DomainError("nothing_to_undo")
    records: dict[tuple[str, int], list[ChangeLog]] = {}
    for row in rows:
        records.setdefault((row.entity, row.record_id), []).append(row)
    with change(actor) as ch:
        for (entity, record_id), changes in records.items():
            model = MODELS_BY_NAME[entity]
            actions = {c.action for c in changes}
            # `changes` runs newest first: where a field changed twice in the batch,
            # the oldest "old" is the value from before it, and it comes last.
            if "create" in actions:  # made in this batch, whatever happened to it next
                instance = model.get_or_none(model.id == record_id)
                if instance is not None:
                    ch.delete(instance)
            elif "delete" in actions:
                values = {c.field: _decode(model._meta.fields[c.field], c.old)
                          for c in changes if c.action == "delete"}
                values.update({c.field: _decode(model._meta.fields[c.field], c.old)
                               for c in changes if c.action == "update" and c.field != "version"})
                ch.create(model, id=record_id, **values)
            else:
                instance = model.get_or_none(model.id == record_id)
                if instance is None:
                    raise DomainError("undo_record_gone", entity=entity)
                values = {c.field: _decode(model._meta.fields[c.field], c.old)
                          for c in changes if c.field != "version"}
                ch.update(instance, **values)
        ChangeLog.create(at=ch.at, actor=actor, batch=ch.batch, action="undo",
                         entity="change_log", record_id=0, old=_encode(batch))
    return len(records)


def history(entity: str, record_id: int) -> list[ChangeLog]:
    return list(
        ChangeLog.select()
        .where((ChangeLog.entity == entity) & (ChangeLog.record_id == record_id))
        .order_by(ChangeLog.id)
    )
