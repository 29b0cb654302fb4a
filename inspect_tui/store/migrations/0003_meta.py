"""Schema version 3: a small key-value table about the database itself
(for example whether it is the demo database)."""
from peewee import CharField, Model, TextField


def up(migrator, db):
    class Meta_(Model):
        key = CharField(max_length=60, primary_key=True)
        value = TextField(default="")

        class Meta:
            database = db
            table_name = "meta"

    db.create_tables([Meta_])
