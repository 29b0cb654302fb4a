"""Schema version 4: every record people edit carries a version (optimistic
locking), and each change-log row names the session (program) that wrote it,
so undo reaches only the terminal's own changes.

Plain ALTER TABLE, the same on both backends: the SQLite migrator would
rebuild each table to add a NOT NULL column, which foreign keys forbid."""

VERSIONED = ("unit", "plan", "team_member", "visit", "finding", "indicator", "target",
             "observation", "work_item", "milestone")


def up(migrator, db):
    for table in VERSIONED:
        db.execute_sql(f'ALTER TABLE "{table}" ADD COLUMN "version" INTEGER NOT NULL DEFAULT 1')
    db.execute_sql('ALTER TABLE "change_log" ADD COLUMN "session" VARCHAR(36) NOT NULL DEFAULT \'\'')
    db.execute_sql('CREATE INDEX "change_log_session_id" ON "change_log" ("session", "id")')
