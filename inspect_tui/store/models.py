"""The record, as peewee models bound to one database proxy.

Codes (kinds, statuses, areas) are stored as short English words; the
locale files turn them into Vietnamese or English for people.
`search_text` columns hold the diacritic-folded text that search matches.
The schema itself is created by the migrations in `migrations/`, never by
`create_tables` on these classes, so every database follows one history.
"""
import datetime as dt

from peewee import (
    BooleanField,
    CharField,
    CompositeKey,
    DatabaseProxy,
    DateField,
    DateTimeField,
    DecimalField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

database = DatabaseProxy()


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


def linked_once(first: str, second: str) -> type:
    """The Meta of a table holding each pair of `first` and `second` at most once."""
    return type("Meta", (), {"indexes": (((first, second), True),)})


class Versioned(BaseModel):
    """A record people edit: `version` rises by one on every change, and a save
    made on an older version is refused (schema version 4)."""

    version = IntegerField(default=1)


class Unit(Versioned):
    code = CharField(max_length=40, unique=True)
    name = CharField(max_length=255)
    kind = CharField(max_length=16, index=True)  # department, vertical, district, commune, other
    parent = ForeignKeyField("self", null=True, backref="children", on_delete="SET NULL")
    started_on = DateField(null=True)  # None: existed before the record begins
    ended_on = DateField(null=True, index=True)  # first day it no longer exists
    confirmed = BooleanField(default=True)
    note = TextField(default="")
    search_text = CharField(max_length=600, index=True, default="")

    def exists_on(self, day: dt.date) -> bool:
        return (self.started_on is None or self.started_on <= day) and (
            self.ended_on is None or day < self.ended_on
        )


class Succession(BaseModel):
    """`predecessor` ended and `successor` carries on (merge, rename, split)."""

    predecessor = ForeignKeyField(Unit, backref="successions", on_delete="CASCADE")
    successor = ForeignKeyField(Unit, backref="precedences", on_delete="CASCADE")
    on_date = DateField()
    kind = CharField(max_length=16)  # merge, rename, split
    takes_open_tasks = BooleanField(default=True)
    note = TextField(default="")

    class Meta:
        indexes = ((("predecessor", "successor"), True),)


class Plan(Versioned):
    year = IntegerField(index=True)
    level = CharField(max_length=16)  # city: the city team; unit: a department or district inspects its own
    issuer = ForeignKeyField(Unit, null=True, backref="plans", on_delete="RESTRICT")
    number = CharField(max_length=64)  # "45/KH-UBND"
    issued_on = DateField(null=True)
    kind = CharField(max_length=16, default="comprehensive")  # comprehensive, thematic
    title = CharField(max_length=500, default="")
    derived_from = ForeignKeyField("self", null=True, backref="derived", on_delete="SET NULL")

    class Meta:
        indexes = ((("year", "level"), False),)


class TeamMember(Versioned):
    plan = ForeignKeyField(Plan, backref="team", on_delete="CASCADE")
    name = CharField(max_length=200)
    title = CharField(max_length=200, default="")
    organisation = CharField(max_length=255, default="")
    role = CharField(max_length=16)  # leader, deputy, member, secretary
    position = IntegerField(default=0)


class Visit(Versioned):
    plan = ForeignKeyField(Plan, backref="visits", on_delete="CASCADE")
    unit = ForeignKeyField(Unit, backref="visits", on_delete="RESTRICT", index=True)
    scheduled_on = DateField(null=True, index=True)
    held_on = DateField(null=True)
    status = CharField(max_length=16, default="planned", index=True)
    minutes_ref = CharField(max_length=120, default="")
    notice_number = CharField(max_length=64, default="")  # "112/TB-UBND"
    notice_date = DateField(null=True)
    assessment = TextField(default="")
    strengths = TextField(default="")  # "Ưu điểm" of the conclusion notice (schema version 5)
    representatives = TextField(default="")  # the unit's people at the visit, one a line


class Finding(Versioned):
    visit = ForeignKeyField(Visit, backref="findings", on_delete="CASCADE")
    area = CharField(max_length=24, index=True)
    severity = CharField(max_length=16, default="moderate")
    description = TextField()
    recommendation = TextField(default="")
    position = IntegerField(default=0)
    search_text = TextField(default="")
    # the earlier, unremedied finding of the same unit and area it repeats (schema version 5)
    repeats = ForeignKeyField("self", null=True, backref="repeated_by", on_delete="SET NULL",
                              index=True)


class Task(Versioned):  # exports carry the version to detect conflicts
    finding = ForeignKeyField(Finding, backref="tasks", on_delete="CASCADE")
    responsible_unit = ForeignKeyField(Unit, backref="tasks", on_delete="RESTRICT")
    description = TextField()
    assignee = CharField(max_length=200, default="", index=True)
    due_on = DateField(index=True)
    status = CharField(max_length=16, default="open")
    status_reason = TextField(default="")
    completed_on = DateField(null=True)
    evidence_ref = CharField(max_length=120, default="")
    created_at = DateTimeField(default=_now)
    search_text = TextField(default="")

    class Meta:
        indexes = (
            (("status", "due_on"), False),
            (("responsible_unit", "status"), False),
        )


class ProgressNote(BaseModel):
    task = ForeignKeyField(Task, backref="notes", on_delete="CASCADE")
    noted_on = DateField()
    author = CharField(max_length=200)
    text = TextField()
    created_at = DateTimeField(default=_now)


class CarriedTask(BaseModel):
    """An open task that a later plan takes over for follow-up (never copied)."""

    plan = ForeignKeyField(Plan, backref="carried", on_delete="CASCADE")
    task = ForeignKeyField(Task, backref="carried_into", on_delete="CASCADE")
    Meta = linked_once("plan", "task")


class ItemCheck(Versioned):
    """At a visit, the team's check of a task an earlier visit left open:
    `verified` or `still_open` (schema version 5)."""

    visit = ForeignKeyField(Visit, backref="item_checks", on_delete="CASCADE")
    task = ForeignKeyField(Task, backref="checks", on_delete="CASCADE", index=True)
    result = CharField(max_length=16)
    checked_on = DateField()
    note = TextField(default="")

    class Meta:
        indexes = ((("visit", "task"), True),)


class ChangeLog(BaseModel):
    at = DateTimeField(default=_now, index=True)
    actor = CharField(max_length=200)
    batch = CharField(max_length=36, index=True)  # one user action; undo reverts a batch
    session = CharField(max_length=36, default="")  # the program (terminal) that made it; undo is per session
    action = CharField(max_length=8)  # create, update, delete
    entity = CharField(max_length=40)
    record_id = IntegerField()
    field = CharField(max_length=60, default="")
    old = TextField(null=True)  # JSON
    new = TextField(null=True)  # JSON

    class Meta:
        indexes = ((("entity", "record_id"), False), (("session", "id"), False))


# --- 2026-2030 work plan and indicators (schema version 2) ---------------


class Indicator(Versioned):
    code = CharField(max_length=40, unique=True)
    name = TextField()
    measure = CharField(max_length=8)  # percent, count, dong
    higher_is_better = BooleanField(default=True)
    area = CharField(max_length=24, default="", index=True)
    description = TextField(default="")


class Target(Versioned):
    indicator = ForeignKeyField(Indicator, backref="targets", on_delete="CASCADE")
    year = IntegerField()
    comparator = CharField(max_length=2, default=">=")  # >=, <=, =
    value = DecimalField(max_digits=20, decimal_places=4)
    source = CharField(max_length=200)


class Observation(Versioned):
    indicator = ForeignKeyField(Indicator, backref="observations", on_delete="CASCADE")
    period = CharField(max_length=16)  # "2024", "2025-Q1", "2021-2025"
    year = IntegerField(index=True)  # the year the period ends in, for ordering
    value = DecimalField(max_digits=20, decimal_places=4)
    source = CharField(max_length=200)
    note = TextField(default="")

    class Meta:
        indexes = ((("indicator", "period", "source"), True),)


class WorkItem(Versioned):
    code = CharField(max_length=16, unique=True)  # GP1..GP6 (six solutions), PH1..PH5 (five directions)
    source = CharField(max_length=8)
    position = IntegerField(default=0)
    title = TextField()
    area = CharField(max_length=24, index=True)
    lead_unit = ForeignKeyField(Unit, null=True, backref="led_items", on_delete="SET NULL")
    description = TextField(default="")
    status = CharField(max_length=16, default="not_started")


class WorkItemUnit(BaseModel):
    item = ForeignKeyField(WorkItem, backref="coordinators", on_delete="CASCADE")
    unit = ForeignKeyField(Unit, backref="coordinated_items", on_delete="CASCADE")
    Meta = linked_once("item", "unit")


class Milestone(Versioned):
    item = ForeignKeyField(WorkItem, backref="milestones", on_delete="CASCADE")
    year = IntegerField()
    due_on = DateField()
    status = CharField(max_length=16, default="not_started")
    note = TextField(default="")
    Meta = linked_once("item", "year")  # one milestone a year


class WorkItemNote(BaseModel):
    item = ForeignKeyField(WorkItem, backref="notes", on_delete="CASCADE")
    noted_on = DateField()
    author = CharField(max_length=200)
    text = TextField()


class WorkItemIndicator(BaseModel):
    item = ForeignKeyField(WorkItem, backref="indicator_links", on_delete="CASCADE")
    indicator = ForeignKeyField(Indicator, backref="item_links", on_delete="CASCADE")
    Meta = linked_once("item", "indicator")


# --- task counts kept by the database's triggers (schema version 7) --------
# Read only: every write to `task` or a finding's area changes them in the same
# transaction. Rows fall to n = 0 and stay; readers skip them.


class TaskCountByDay(BaseModel):
    status = CharField(max_length=16)
    area = CharField(max_length=24)
    due_on = DateField()
    n = IntegerField()

    class Meta:
        primary_key = CompositeKey("status", "area", "due_on")


class TaskCountByArea(BaseModel):
    status = CharField(max_length=16)
    area = CharField(max_length=24)
    n = IntegerField()

    class Meta:
        primary_key = CompositeKey("status", "area")


class TaskCountByUnit(BaseModel):
    responsible_unit_id = IntegerField()
    status = CharField(max_length=16)
    n = IntegerField()

    class Meta:
        primary_key = CompositeKey("responsible_unit_id", "status")


TALLIES = [TaskCountByDay, TaskCountByArea, TaskCountByUnit]

# Tables the database fills itself, by triggers, from the record's rows (migration
# 0007's counts; 0008's search indexes and their shadow tables, on SQLite only):
# a copy of the record leaves them out, and the target's own triggers fill its own.
DERIVED_TABLES = tuple(m._meta.table_name for m in TALLIES) + ("task_search", "finding_search")


def is_derived(table: str) -> bool:
    return any(table == name or table.startswith(name + "_") for name in DERIVED_TABLES)


class Fact(BaseModel):
    """Facts about the database itself, such as `demo` = "1" (schema version 3)."""

    key = CharField(max_length=60, primary_key=True)
    value = TextField(default="")

    class Meta:
        table_name = "meta"


ALL_MODELS = [
    Unit, Succession, Plan, TeamMember, Visit, Finding, Task, ProgressNote, CarriedTask, ChangeLog,
    ItemCheck, Indicator, Target, Observation, WorkItem, WorkItemUnit, Milestone, WorkItemIndicator, WorkItemNote,
    *TALLIES,
]
MODELS_BY_NAME = {m._meta.table_name: m for m in ALL_MODELS}
