"""Schema version 1: units, plans, visits, findings, tasks, change log.

A frozen copy of the models as they were, independent of models.py, so this
migration builds the same tables forever.
"""
import datetime as dt

from peewee import (BooleanField, CharField, DateField, DateTimeField, ForeignKeyField,
                    IntegerField, Model, TextField)


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Unit(Base):
        code = CharField(max_length=40, unique=True)
        name = CharField(max_length=255)
        kind = CharField(max_length=16, index=True)
        parent = ForeignKeyField("self", null=True, on_delete="SET NULL")
        started_on = DateField(null=True)
        ended_on = DateField(null=True, index=True)
        confirmed = BooleanField(default=True)
        note = TextField(default="")
        search_text = CharField(max_length=600, index=True, default="")

    class Succession(Base):
        predecessor = ForeignKeyField(Unit, on_delete="CASCADE")
        successor = ForeignKeyField(Unit, on_delete="CASCADE")
        on_date = DateField()
        kind = CharField(max_length=16)
        takes_open_tasks = BooleanField(default=True)
        note = TextField(default="")

        class Meta:
            indexes = ((("predecessor", "successor"), True),)

    class Plan(Base):
        year = IntegerField(index=True)
        level = CharField(max_length=16)
        issuer = ForeignKeyField(Unit, null=True, on_delete="RESTRICT")
        number = CharField(max_length=64)
        issued_on = DateField(null=True)
        kind = CharField(max_length=16, default="comprehensive")
        title = CharField(max_length=500, default="")
        derived_from = ForeignKeyField("self", null=True, on_delete="SET NULL")

        class Meta:
            indexes = ((("year", "level"), False),)

    class TeamMember(Base):
        plan = ForeignKeyField(Plan, on_delete="CASCADE")
        name = CharField(max_length=200)
        title = CharField(max_length=200, default="")
        organisation = CharField(max_length=255, default="")
        role = CharField(max_length=16)
        position = IntegerField(default=0)

    class Visit(Base):
        plan = ForeignKeyField(Plan, on_delete="CASCADE")
        unit = ForeignKeyField(Unit, on_delete="RESTRICT", index=True)
        scheduled_on = DateField(null=True, index=True)
        held_on = DateField(null=True)
        status = CharField(max_length=16, default="planned", index=True)
        minutes_ref = CharField(max_length=120, default="")
        notice_number = CharField(max_length=64, default="")
        notice_date = DateField(null=True)
        assessment = TextField(default="")

    class Finding(Base):
        visit = ForeignKeyField(Visit, on_delete="CASCADE")
        area = CharField(max_length=24, index=True)
        severity = CharField(max_length=16, default="moderate")
        description = TextField()
        recommendation = TextField(default="")
        position = IntegerField(default=0)
        search_text = TextField(default="")

    class Task(Base):
        finding = ForeignKeyField(Finding, on_delete="CASCADE")
        responsible_unit = ForeignKeyField(Unit, on_delete="RESTRICT")
        description = TextField()
        assignee = CharField(max_length=200, default="", index=True)
        due_on = DateField(index=True)
        status = CharField(max_length=16, default="open")
        status_reason = TextField(default="")
        completed_on = DateField(null=True)
        evidence_ref = CharField(max_length=120, default="")
        version = IntegerField(default=1)
        created_at = DateTimeField(default=dt.datetime.now)
        search_text = TextField(default="")

        class Meta:
            indexes = ((("status", "due_on"), False), (("responsible_unit", "status"), False))

    class ProgressNote(Base):
        task = ForeignKeyField(Task, on_delete="CASCADE")
        noted_on = DateField()
        author = CharField(max_length=200)
        text = TextField()
        created_at = DateTimeField(default=dt.datetime.now)

    class CarriedTask(Base):
        plan = ForeignKeyField(Plan, on_delete="CASCADE")
        task = ForeignKeyField(Task, on_delete="CASCADE")

        class Meta:
            indexes = ((("plan", "task"), True),)

    class ChangeLog(Base):
        at = DateTimeField(default=dt.datetime.now, index=True)
        actor = CharField(max_length=200)
        batch = CharField(max_length=36, index=True)
        action = CharField(max_length=8)
        entity = CharField(max_length=40)
        record_id = IntegerField()
        field = CharField(max_length=60, default="")
        old = TextField(null=True)
        new = TextField(null=True)

        class Meta:
            indexes = ((("entity", "record_id"), False),)

    db.create_tables([Unit, Succession, Plan, TeamMember, Visit, Finding, Task,
                      ProgressNote, CarriedTask, ChangeLog])
