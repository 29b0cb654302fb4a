"""Schema version 2: the 2026-2030 work plan and the indicators (frozen copy)."""
from peewee import (BooleanField, CharField, DateField, DecimalField, ForeignKeyField,
                    IntegerField, Model, TextField)


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Unit(Base):  # existing table, referenced only
        pass

    class Indicator(Base):
        code = CharField(max_length=40, unique=True)
        name = TextField()
        measure = CharField(max_length=8)
        higher_is_better = BooleanField(default=True)
        area = CharField(max_length=24, default="", index=True)
        description = TextField(default="")

    class Target(Base):
        indicator = ForeignKeyField(Indicator, on_delete="CASCADE")
        year = IntegerField()
        comparator = CharField(max_length=2, default=">=")
        value = DecimalField(max_digits=20, decimal_places=4)
        source = CharField(max_length=200)

    class Observation(Base):
        indicator = ForeignKeyField(Indicator, on_delete="CASCADE")
        period = CharField(max_length=16)
        year = IntegerField(index=True)
        value = DecimalField(max_digits=20, decimal_places=4)
        source = CharField(max_length=200)
        note = TextField(default="")

        class Meta:
            indexes = ((("indicator", "period", "source"), True),)

    class WorkItem(Base):
        code = CharField(max_length=16, unique=True)
        source = CharField(max_length=8)
        position = IntegerField(default=0)
        title = TextField()
        area = CharField(max_length=24, index=True)
        lead_unit = ForeignKeyField(Unit, null=True, on_delete="SET NULL")
        description = TextField(default="")
        status = CharField(max_length=16, default="not_started")

    class WorkItemUnit(Base):
        item = ForeignKeyField(WorkItem, on_delete="CASCADE")
        unit = ForeignKeyField(Unit, on_delete="CASCADE")

        class Meta:
            indexes = ((("item", "unit"), True),)

    class Milestone(Base):
        item = ForeignKeyField(WorkItem, on_delete="CASCADE")
        year = IntegerField()
        due_on = DateField()
        status = CharField(max_length=16, default="not_started")
        note = TextField(default="")

        class Meta:
            indexes = ((("item", "year"), True),)

    class WorkItemIndicator(Base):
        item = ForeignKeyField(WorkItem, on_delete="CASCADE")
        indicator = ForeignKeyField(Indicator, on_delete="CASCADE")

        class Meta:
            indexes = ((("item", "indicator"), True),)

    class WorkItemNote(Base):
        item = ForeignKeyField(WorkItem, on_delete="CASCADE")
        noted_on = DateField()
        author = CharField(max_length=200)
        text = TextField()

    db.create_tables([Indicator, Target, Observation, WorkItem, WorkItemUnit, Milestone,
                      WorkItemIndicator, WorkItemNote])
