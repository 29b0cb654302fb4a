"""Writes that record themselves in the change log, and undo.

Every rule writes through a `Change` (one transaction, one batch id): who,
when, which session, which record, which field, old and new value.

Several people write at once (a team on PostgreSQL, two terminals on one
SQLite file), so a write never trusts what was read before it:
- `Change.lock` reads a record inside the transaction and keeps it locked
  until the commit (FOR UPDATE on PostgreSQL; on SQLite the IMMEDIATE
  transaction already holds the write lock), refusing it when its version is
  not the one the user saw;
- `Change.update` is a conditional UPDATE (`WHERE id = ? AND version = ?`)
  whose "old" values are those of the locked row, so the log records what
  was really overwritten.

Undo replays a batch backwards as a new batch, so the log stays a true
history. It reaches only the session's own batches, and is refused when any
record of the batch changed after it.
"""
import datetime as dt
import json
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal, InvalidOperation

from peewee import (CharField, DatabaseError, DateField, DateTimeField, DecimalField,
                    ForeignKeyField, IntegerField, PostgresqlDatabase)

from inspect_tui.locale import formats, t
from inspect_tui.rules import limits
from inspect_tui.rules.errors import DomainError
from inspect_tui.store.db import BUSY_SECONDS
from inspect_tui.store.models import MODELS_BY_NAME, ChangeLog, database

_session = uuid.uuid4().hex  # this program; a terminal app starts its own


def session() -> str:
    """The session the change log records this program's writes under."""
    return _session


def start_session() -> str:
    """A new session id for what this program writes from now on."""
    global _session
    _session = uuid.uuid4().hex
    return _session


def encode(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime, Decimal)):
        value = value.isoformat() if not isinstance(value, Decimal) else str(value)
    return json.dumps(value, ensure_ascii=False)


def decode(field, raw: str | None):
    """A change-log value back in the field's type (the history shows old rows
    written before a field changed type, so what does not parse stays as written)."""
    if raw is None:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        return raw
    if not isinstance(value, str) or field is None:
        return value
    try:
        if isinstance(field, DateTimeField):
            return dt.datetime.fromisoformat(value)
        if isinstance(field, DateField):
            return dt.date.fromisoformat(value)
        if isinstance(field, DecimalField):
            return Decimal(value)
    except (ValueError, InvalidOperation):
        pass
    return value


def _stored(instance, name):
    field = instance._meta.fields[name]
    if isinstance(field, ForeignKeyField):
        return instance.__data__.get(name)
    return getattr(instance, name)


def _versioned(model) -> bool:
    return "version" in model._meta.fields


def check_value(model, name: str, value) -> None:
    """The same limits on both backends: length, NUL, integer range."""
    field = model._meta.fields[name]
    if name == "search_text":  # derived from checked fields, never typed
        return
    if isinstance(value, str):
        limit = field.max_length if isinstance(field, CharField) else limits.LONG_TEXT_MAX
        limits.check_text(value, name, limit)
    elif isinstance(value, int) and not isinstance(value, bool) and isinstance(field, IntegerField) \
            and not isinstance(field, ForeignKeyField):
        limits.check_int(value, name)


def entity_label(entity: str) -> str:
    return t(f"entity.{entity}")


def last_change(entity: str, record_id: int) -> ChangeLog | None:
    return (ChangeLog.select().where((ChangeLog.entity == entity) & (ChangeLog.record_id == record_id))
            .order_by(ChangeLog.id.desc()).first())


def changed_error(instance) -> DomainError:
    """The refusal of a save made on an older copy: who changed it, and when."""
    entity = instance._meta.table_name
    latest = last_change(entity, instance.id)
    who = latest.actor if latest else "?"
    when = formats.datetime(latest.at) if latest else "?"
    key = "task_changed" if entity == "task" else "record_changed"
    return DomainError(key, what=entity_label(entity), id=instance.id, who=who, when=when)


def expect(instance, expected_version: int | None) -> None:
    """Refuse at once a change made on a copy older than `instance` (the write
    itself checks again, inside the transaction)."""
    if expected_version is not None and instance.version != expected_version:
        raise changed_error(instance)


class Change:
    def __init__(self, actor: str, batch: str):
        self.actor = actor
        self.batch = batch
        self.at = dt.datetime.now().replace(microsecond=0)

    def _log(self, action, instance, fields: dict) -> None:
        """One log row per field ({field: (old, new)}), in one statement."""
        ChangeLog.insert_many([
            {"at": self.at, "actor": self.actor, "batch": self.batch, "session": _session,
             "action": action, "entity": instance._meta.table_name, "record_id": instance.id,
             "field": name, "old": encode(old), "new": encode(new)}
            for name, (old, new) in fields.items()]).execute()

    @staticmethod
    def _fields(instance) -> dict:
        return {name: _stored(instance, name) for name in instance._meta.sorted_field_names
                if name != "id"}

    def lock(self, model, record_id, expected_version: int | None = None):
        """The record as it is now, locked until this change commits; None if
        it is gone. Refused when it is no longer at `expected_version`."""
        query = model.select().where(model.id == record_id)
        if isinstance(database.obj, PostgresqlDatabase):
            # NO KEY: a colleague may still add a note pointing at the record meanwhile
            query = query.for_update("FOR NO KEY UPDATE")
        instance = query.first()
        if instance is not None and expected_version is not None and _versioned(model) \
                and instance.version != expected_version:
            raise changed_error(instance)
        return instance

    @staticmethod
    def _fit(model, values: dict) -> dict:
        """Folded search text can outgrow its column (one "ﬃ" folds to "ffi"):
        it only serves search, so it is cut to fit rather than refused."""
        text = values.get("search_text")
        field = model._meta.fields.get("search_text")
        if isinstance(text, str) and isinstance(field, CharField):
            values["search_text"] = text[:field.max_length]
        return values

    def create(self, model, **values):
        values = self._fit(model, values)
        for name, value in values.items():
            check_value(model, name, value)
        instance = model.create(**values)
        self._log("create", instance, {n: (None, v) for n, v in self._fields(instance).items()})
        return instance

    def update(self, instance, **values) -> dict:
        """Set fields that differ; returns {field: (old, new)} of what changed.

        `instance` is the copy the decision was made on: if the record has
        changed since (another version), the update is refused."""
        model = type(instance)
        values = self._fit(model, values)
        current = self.lock(model, instance.id)
        if current is None:
            raise DomainError("record_gone", what=entity_label(model._meta.table_name), id=instance.id)
        if _versioned(model) and current.version != instance.version:
            raise changed_error(current)
        changed = {}
        for name, new in values.items():
            field = model._meta.fields[name]
            if isinstance(field, ForeignKeyField) and new is not None and not isinstance(new, int):
                new = new.id
            check_value(model, name, new)
            old = _stored(current, name)
            if old != new:
                changed[name] = (old, new)
        if changed:
            self._write(model, current, changed)
        for name, (_, new) in changed.items():
            setattr(instance, name, new)
        return changed

    def touch(self, instance) -> None:
        """Raise the version only: news (a note) that an older copy must not overwrite."""
        current = self.lock(type(instance), instance.id)
        if current is None or current.version != instance.version:
            raise changed_error(current or instance)
        self._write(type(instance), current, {})
        instance.version = current.version + 1

    def _write(self, model, current, changed: dict) -> None:
        query_values = {model._meta.fields[n]: new for n, (_, new) in changed.items()}
        query = model.update(query_values).where(model.id == current.id)
        if _versioned(model):
            changed["version"] = (current.version, current.version + 1)
            query = model.update({**query_values, model.version: current.version + 1}).where(
                (model.id == current.id) & (model.version == current.version))
        if query.execute() != 1:  # the guard itself: nobody else wrote this version
            raise changed_error(current)
        self._log("update", current, changed)

    def delete(self, instance):
        model = type(instance)
        current = self.lock(model, instance.id)
        if current is None:
            return
        if _versioned(model) and current.version != instance.version:
            raise changed_error(current)
        self._log("delete", current, {n: (v, None) for n, v in self._fields(current).items()})
        current.delete_instance()


_open: ContextVar = ContextVar("audit_change", default=None)


@contextmanager
def change(actor: str):
    """One user action: a transaction and a change-log batch. Inside another
    `change` of the same actor, the writes join that batch (one undo).

    On SQLite the transaction begins IMMEDIATE and waits for another writer up
    to BUSY_SECONDS; past that the user reads one line, and nothing is written."""
    outer = _open.get()
    if outer is not None and outer.actor == actor:
        with database.atomic():
            yield outer
        return
    try:
        with database.atomic():
            ch = Change(actor, uuid.uuid4().hex)
            token = _open.set(ch)
            try:
                yield ch
            finally:
                _open.reset(token)
    except DatabaseError as exc:  # one line for people, whatever the driver said
        raise _busy_error(exc) or DomainError("db_error", detail=" ".join(str(exc).split())[:300]) from exc


PG_RETRY = {"40P01", "40001", "55P03"}  # deadlock, serialization failure, lock not available


def _busy_error(exc: DatabaseError) -> DomainError | None:
    """The driver's words for "someone else is writing", as one line for people."""
    causes = (exc, exc.__cause__, exc.__context__, *exc.args)  # peewee wraps the driver's error
    if any(getattr(cause, "pgcode", None) in PG_RETRY for cause in causes):
        return DomainError("db_conflict")
    text = str(exc).lower()
    if "database is locked" in text or "database table is locked" in text:
        return DomainError("db_busy", seconds=BUSY_SECONDS)
    if "readonly database" in text or any(getattr(c, "pgcode", None) == "25006" for c in causes):
        return DomainError("db_read_only")  # a read-only file, or a read-only PostgreSQL database
    return None


# --- undo ------------------------------------------------------------------------


def last_batch(session_id: str | None = None) -> str | None:
    """The newest batch of this session (or `session_id`) not yet undone."""
    session_id = session_id or _session
    mine = ChangeLog.select(ChangeLog.batch, ChangeLog.action, ChangeLog.old).where(
        ChangeLog.session == session_id)
    undo_rows = list(mine.where(ChangeLog.action == "undo"))
    undone = {row.old for row in undo_rows}
    undo_batches = {row.batch for row in undo_rows}
    for row in mine.order_by(ChangeLog.id.desc()).iterator():
        if row.batch not in undo_batches and encode(row.batch) not in undone:
            return row.batch
    return None


def _conflict(entity: str, record_id: int, after_id: int) -> None:
    """Refuse when the record changed after the batch, unless every later change
    was itself taken back by an undo (which restored the record as it was)."""
    later = list(ChangeLog.select().where((ChangeLog.entity == entity) & (ChangeLog.record_id == record_id)
                                          & (ChangeLog.id > after_id)).order_by(ChangeLog.id))
    if not later:
        return
    batches = {row.batch for row in later}
    cancelled = set()
    for marker in ChangeLog.select().where((ChangeLog.action == "undo") & ChangeLog.batch.in_(batches)):
        target = json.loads(marker.old)
        if target in batches:  # a later change and its undo cancel out
            cancelled |= {marker.batch, target}
    for row in later:
        if row.batch not in cancelled:
            raise DomainError("undo_conflict", what=entity_label(entity), id=record_id, who=row.actor,
                              when=formats.datetime(row.at))


def _dependents(model, record_id: int, made_here: set) -> None:
    """Refuse to take back a record that someone has since built on (a task
    under a finding made in this batch): deleting it would delete their work."""
    for field, child in model._meta.backrefs.items():
        for row in child.select(child.id).where(field == record_id).iterator():
            if (child._meta.table_name, row.id) not in made_here:
                raise DomainError("undo_dependents", what=entity_label(model._meta.table_name),
                                  id=record_id, child=entity_label(child._meta.table_name))


def undo(batch: str, actor: str) -> str:
    """Revert one batch; returns what it undid, in words."""
    rows = list(ChangeLog.select().where(ChangeLog.batch == batch).order_by(ChangeLog.id.desc()))
    if not rows:
        raise DomainError("nothing_to_undo")
    last_id = rows[0].id
    records: dict[tuple[str, int], list[ChangeLog]] = {}
    for row in rows:
        records.setdefault((row.entity, row.record_id), []).append(row)
    made_here = {key for key, changes in records.items() if any(c.action == "create" for c in changes)}
    with change(actor) as ch:
        for (entity, record_id), changes in records.items():
            model = MODELS_BY_NAME[entity]
            ch.lock(model, record_id)  # nobody may write it while we look and undo
            _conflict(entity, record_id, last_id)
        for (entity, record_id), changes in records.items():
            model = MODELS_BY_NAME[entity]
            actions = {c.action for c in changes}
            # `changes` runs newest first: where a field changed twice in the batch,
            # the oldest "old" is the value from before it, and it comes last.
            if "create" in actions:  # made in this batch, whatever happened to it next
                instance = model.get_or_none(model.id == record_id)
                if instance is not None:
                    _dependents(model, record_id, made_here)
                    ch.delete(instance)
            elif "delete" in actions:
                values = {c.field: decode(model._meta.fields[c.field], c.old)
                          for c in changes if c.action == "delete"}
                values.update({c.field: decode(model._meta.fields[c.field], c.old)
                               for c in changes if c.action == "update" and c.field != "version"})
                if "version" in values:
                    values["version"] += 1  # a copy made before the delete stays stale
                ch.create(model, id=record_id, **values)
            else:
                instance = model.get_or_none(model.id == record_id)
                if instance is None:
                    raise DomainError("record_gone", what=entity_label(entity), id=record_id)
                values = {c.field: decode(model._meta.fields[c.field], c.old)
                          for c in changes if c.field != "version"}
                if values:
                    ch.update(instance, **values)
                else:
                    ch.touch(instance)
        ChangeLog.create(at=ch.at, actor=actor, batch=ch.batch, session=_session, action="undo",
                         entity="change_log", record_id=0, old=encode(batch))
    return describe(rows)


_MAIN_ENTITIES = ("task", "visit", "finding", "plan", "unit", "milestone", "work_item",
                  "team_member", "observation", "progress_note")


def describe(rows: list[ChangeLog]) -> str:
    """What undoing these rows did, in words: "Nhiệm vụ 47: trở lại Đang thực hiện"."""
    records: dict[tuple[str, int], list[ChangeLog]] = {}
    for row in reversed(rows):  # oldest first
        records.setdefault((row.entity, row.record_id), []).append(row)
    rank = {name: i for i, name in enumerate(_MAIN_ENTITIES)}
    created = {k for k, changes in records.items() if any(c.action == "create" for c in changes)}
    (entity, record_id) = min(records, key=lambda k: (k in created and k[0] != "progress_note",
                                                      rank.get(k[0], 99)))
    changes = records[(entity, record_id)]
    what = f"{entity_label(entity)} {record_id}"
    actions = {c.action for c in changes}
    if "create" in actions:
        text = t("undo.created", what=what)
    elif "delete" in actions:
        text = t("undo.deleted", what=what)
    else:
        status = next((c for c in changes if c.field == "status"), None)
        notes = [k for k in created if k[0] == "progress_note"]
        if status is not None:
            old = decode(MODELS_BY_NAME[entity]._meta.fields["status"], status.old)
            text = t("undo.status", what=what, status=_status_label(entity, old))
        elif notes:
            text = t("undo.note", what=what)
        else:
            fields = sorted({c.field for c in changes if c.field != "version"})
            text = t("undo.fields", what=what, fields=", ".join(_field_label(f) for f in fields))
    notes = {k for k in created if k[0] == "progress_note"}  # part of what was done to the task
    others = len(records) - 1 - (len(notes) if entity == "task" else 0)
    return t("undo.with_others", text=text, n=others) if others > 0 else text


def _status_label(entity: str, code: str) -> str:
    for group in (f"{entity}_status", "task_status", "visit_status", "milestone_status"):
        text = t(f"{group}.{code}")
        if text != f"{group}.{code}":
            return text
    return code


def _field_label(name: str) -> str:
    text = t(f"field.{name}")
    return name if text == f"field.{name}" else text


def history(entity: str, record_id: int) -> list[ChangeLog]:
    return list(
        ChangeLog.select()
        .where((ChangeLog.entity == entity) & (ChangeLog.record_id == record_id))
        .order_by(ChangeLog.id)
    )
