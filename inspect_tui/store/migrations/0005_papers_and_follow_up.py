"""Schema version 5: what the papers and the follow-up of earlier visits need.

- visit.strengths ("Ưu điểm", for the conclusion notice) and
  visit.representatives (the unit's people present, for the minutes);
- finding.repeats_id: the earlier, unremedied finding of the same unit and
  area that this one repeats (tồn tại lặp lại), or NULL;
- item_check: at a visit, the team's check of a task left open by an earlier
  visit (verified / still open).

Plain ALTER TABLE for the new columns, the same on both backends (as in
0004: the SQLite migrator would rebuild the tables, which foreign keys
forbid); the new table from a frozen model."""
from peewee import CharField, DateField, ForeignKeyField, IntegerField, Model, TextField


def up(migrator, db):
    for column in ("strengths", "representatives"):
        db.execute_sql(f'ALTER TABLE "visit" ADD COLUMN "{column}" TEXT NOT NULL DEFAULT \'\'')
    db.execute_sql('ALTER TABLE "finding" ADD COLUMN "repeats_id" INTEGER '
                   'REFERENCES "finding" ("id") ON DELETE SET NULL')
    db.execute_sql('CREATE INDEX "finding_repeats_id" ON "finding" ("repeats_id")')

    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Visit(Base):  # existing tables, referenced only
        pass

    class Task(Base):
        pass

    class ItemCheck(Base):
        version = IntegerField(default=1)
        visit = ForeignKeyField(Visit, on_delete="CASCADE")
        task = ForeignKeyField(Task, on_delete="CASCADE", index=True)
        result = CharField(max_length=16)
        checked_on = DateField()
        note = TextField(default="")

        class Meta:
            indexes = ((("visit", "task"), True),)

    db.create_tables([ItemCheck])
