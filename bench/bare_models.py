"""Bare peewee models of the two tables the bare writers touch (`task`,
`progress_note`), with only the columns they read or set: the baselines of
contention.py and scale_import.py share them. No inspect_tui import here."""
from peewee import CharField, DateField, DateTimeField, IntegerField, Model, TextField


def bare_models(db) -> tuple[type[Model], type[Model]]:
    """(Task, ProgressNote) bound to `db`; table names from the class names."""

    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False  # ProgressNote -> progress_note

    class Task(Base):
        status = CharField()
        status_reason = TextField()
        completed_on = DateField(null=True)
        assignee = CharField()
        search_text = TextField()
        version = IntegerField()

    class ProgressNote(Base):
        task_id = IntegerField()
        noted_on = DateField()
        author = CharField()
        text = TextField()
        created_at = DateTimeField()

    return Task, ProgressNote
