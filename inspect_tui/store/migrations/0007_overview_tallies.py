"""Schema version 7: task counts kept current by the database itself, so the
overview and the summary read a few thousand rows instead of counting a
million tasks (rules/overview.py, rules/summary.py):

- task_count_by_day (status, area, due_on, n): tasks by status, their
  finding's area and due date; the ageing buckets, the week's deadlines and
  the overdue figures are sums over the days near `today`;
- task_count_by_area (status, area, n): the same without the day, for totals;
- task_count_by_unit (responsible_unit_id, status, n): tasks by unit.

Triggers on `task` (insert, delete, update of status, due_on,
responsible_unit_id, finding_id) and on `finding` (update of area, delete)
change them in the same transaction as the write, whichever path writes
(the app, imports, undo, bulk inserts). Every change is an upsert adding +1
or -1 (INSERT ... ON CONFLICT DO UPDATE: two transactions adding the same new
key both succeed); rows that fall to 0 are kept, readers skip them.

A finding's delete removes its tasks by cascade after the finding is gone,
so the finding's own BEFORE DELETE trigger takes its tasks off the area
counts and the task's trigger, finding no area, leaves them alone.

On PostgreSQL a move's two changes lock each table's rows in key order, so
two moves in opposite directions never deadlock on the counts."""

from peewee import PostgresqlDatabase

TABLES = [
    'CREATE TABLE IF NOT EXISTS "task_count_by_day" ("status" VARCHAR(16) NOT NULL, '
    '"area" VARCHAR(24) NOT NULL, "due_on" DATE NOT NULL, "n" INTEGER NOT NULL, '
    'PRIMARY KEY ("status", "area", "due_on"))',
    'CREATE TABLE IF NOT EXISTS "task_count_by_area" ("status" VARCHAR(16) NOT NULL, '
    '"area" VARCHAR(24) NOT NULL, "n" INTEGER NOT NULL, PRIMARY KEY ("status", "area"))',
    'CREATE TABLE IF NOT EXISTS "task_count_by_unit" ("responsible_unit_id" INTEGER NOT NULL, '
    '"status" VARCHAR(16) NOT NULL, "n" INTEGER NOT NULL, PRIMARY KEY ("responsible_unit_id", "status"))',
]

FILL = [
    'INSERT INTO "task_count_by_day" ("status", "area", "due_on", "n") '
    'SELECT t."status", f."area", t."due_on", COUNT(*) FROM "task" t '
    'JOIN "finding" f ON f."id" = t."finding_id" WHERE 1 = 1 GROUP BY t."status", f."area", t."due_on"',
    'INSERT INTO "task_count_by_area" ("status", "area", "n") '
    'SELECT t."status", f."area", COUNT(*) FROM "task" t '
    'JOIN "finding" f ON f."id" = t."finding_id" WHERE 1 = 1 GROUP BY t."status", f."area"',
    'INSERT INTO "task_count_by_unit" ("responsible_unit_id", "status", "n") '
    'SELECT "responsible_unit_id", "status", COUNT(*) FROM "task" WHERE 1 = 1 '
    'GROUP BY "responsible_unit_id", "status"',
]


def _sqlite_add(row: str, sign: str) -> str:
    """The statements adding `sign`1 for the task `row` (NEW or OLD); the area
    is read from its finding, and nothing is added to the area counts when
    the finding is gone (a cascade from the finding's delete)."""
    return f"""
    INSERT INTO task_count_by_day (status, area, due_on, n)
        SELECT {row}.status, f.area, {row}.due_on, {sign}1 FROM finding f WHERE f.id = {row}.finding_id
        ON CONFLICT (status, area, due_on) DO UPDATE SET n = n + excluded.n;
    INSERT INTO task_count_by_area (status, area, n)
        SELECT {row}.status, f.area, {sign}1 FROM finding f WHERE f.id = {row}.finding_id
        ON CONFLICT (status, area) DO UPDATE SET n = n + excluded.n;
    INSERT INTO task_count_by_unit (responsible_unit_id, status, n)
        VALUES ({row}.responsible_unit_id, {row}.status, {sign}1)
        ON CONFLICT (responsible_unit_id, status) DO UPDATE SET n = n + excluded.n;"""


def _sqlite_finding(area: str, sign: str) -> str:
    """Add the tasks of finding OLD/NEW to the area counts of `area`, with `sign`."""
    return f"""
    INSERT INTO task_count_by_day (status, area, due_on, n)
        SELECT status, {area}, due_on, {sign}COUNT(*) FROM task WHERE finding_id = OLD.id
        GROUP BY status, due_on
        ON CONFLICT (status, area, due_on) DO UPDATE SET n = n + excluded.n;
    INSERT INTO task_count_by_area (status, area, n)
        SELECT status, {area}, {sign}COUNT(*) FROM task WHERE finding_id = OLD.id GROUP BY status
        ON CONFLICT (status, area) DO UPDATE SET n = n + excluded.n;"""


MOVED = ("OLD.status IS NOT NEW.status OR OLD.due_on IS NOT NEW.due_on "
         "OR OLD.responsible_unit_id IS NOT NEW.responsible_unit_id OR OLD.finding_id IS NOT NEW.finding_id")

SQLITE_TRIGGERS = [
    f"CREATE TRIGGER IF NOT EXISTS task_tally_insert AFTER INSERT ON task BEGIN {_sqlite_add('NEW', '+')} END",
    f"CREATE TRIGGER IF NOT EXISTS task_tally_delete AFTER DELETE ON task BEGIN {_sqlite_add('OLD', '-')} END",
    "CREATE TRIGGER IF NOT EXISTS task_tally_update AFTER UPDATE OF status, due_on, responsible_unit_id, "
    f"finding_id ON task WHEN {MOVED} BEGIN {_sqlite_add('OLD', '-')} {_sqlite_add('NEW', '+')} END",
    "CREATE TRIGGER IF NOT EXISTS finding_tally_area AFTER UPDATE OF area ON finding "
    f"WHEN OLD.area IS NOT NEW.area BEGIN {_sqlite_finding('OLD.area', '-')} "
    f"{_sqlite_finding('NEW.area', '')} END",
    "CREATE TRIGGER IF NOT EXISTS finding_tally_delete BEFORE DELETE ON finding "
    f"BEGIN {_sqlite_finding('OLD.area', '-')} END",
]

POSTGRES_FUNCTIONS = [
    """CREATE OR REPLACE FUNCTION task_tally_day(s text, a text, d date, delta integer) RETURNS void AS $$
    BEGIN
        IF a IS NOT NULL THEN
            INSERT INTO task_count_by_day AS c (status, area, due_on, n) VALUES (s, a, d, delta)
                ON CONFLICT (status, area, due_on) DO UPDATE SET n = c.n + excluded.n;
        END IF;
    END $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE FUNCTION task_tally_area(s text, a text, delta integer) RETURNS void AS $$
    BEGIN
        IF a IS NOT NULL THEN
            INSERT INTO task_count_by_area AS c (status, area, n) VALUES (s, a, delta)
                ON CONFLICT (status, area) DO UPDATE SET n = c.n + excluded.n;
        END IF;
    END $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE FUNCTION task_tally_unit(u integer, s text, delta integer) RETURNS void AS $$
    BEGIN
        INSERT INTO task_count_by_unit AS c (responsible_unit_id, status, n) VALUES (u, s, delta)
            ON CONFLICT (responsible_unit_id, status) DO UPDATE SET n = c.n + excluded.n;
    END $$ LANGUAGE plpgsql""",
    # one function for insert, delete and update; an update's -1 and +1 go in key order
    """CREATE OR REPLACE FUNCTION task_tally() RETURNS trigger AS $$
    DECLARE
        old_area text;
        new_area text;
    BEGIN
        IF TG_OP = 'INSERT' THEN
            SELECT area INTO new_area FROM finding WHERE id = NEW.finding_id;
            PERFORM task_tally_day(NEW.status, new_area, NEW.due_on, 1);
            PERFORM task_tally_area(NEW.status, new_area, 1);
            PERFORM task_tally_unit(NEW.responsible_unit_id, NEW.status, 1);
            RETURN NULL;
        END IF;
        SELECT area INTO old_area FROM finding WHERE id = OLD.finding_id;
        IF TG_OP = 'DELETE' THEN
            PERFORM task_tally_day(OLD.status, old_area, OLD.due_on, -1);
            PERFORM task_tally_area(OLD.status, old_area, -1);
            PERFORM task_tally_unit(OLD.responsible_unit_id, OLD.status, -1);
            RETURN NULL;
        END IF;
        SELECT area INTO new_area FROM finding WHERE id = NEW.finding_id;
        IF (OLD.status, old_area, OLD.due_on) <= (NEW.status, new_area, NEW.due_on) THEN
            PERFORM task_tally_day(OLD.status, old_area, OLD.due_on, -1);
            PERFORM task_tally_day(NEW.status, new_area, NEW.due_on, 1);
        ELSE
            PERFORM task_tally_day(NEW.status, new_area, NEW.due_on, 1);
            PERFORM task_tally_day(OLD.status, old_area, OLD.due_on, -1);
        END IF;
        IF (OLD.status, old_area) <= (NEW.status, new_area) THEN
            PERFORM task_tally_area(OLD.status, old_area, -1);
            PERFORM task_tally_area(NEW.status, new_area, 1);
        ELSE
            PERFORM task_tally_area(NEW.status, new_area, 1);
            PERFORM task_tally_area(OLD.status, old_area, -1);
        END IF;
        IF (OLD.responsible_unit_id, OLD.status) <= (NEW.responsible_unit_id, NEW.status) THEN
            PERFORM task_tally_unit(OLD.responsible_unit_id, OLD.status, -1);
            PERFORM task_tally_unit(NEW.responsible_unit_id, NEW.status, 1);
        ELSE
            PERFORM task_tally_unit(NEW.responsible_unit_id, NEW.status, 1);
            PERFORM task_tally_unit(OLD.responsible_unit_id, OLD.status, -1);
        END IF;
        RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE FUNCTION finding_tally_move(finding integer, a text, sign integer) RETURNS void AS $$
    BEGIN
        INSERT INTO task_count_by_day AS c (status, area, due_on, n)
            SELECT status, a, due_on, sign * COUNT(*) FROM task WHERE finding_id = finding
            GROUP BY status, due_on
            ON CONFLICT (status, area, due_on) DO UPDATE SET n = c.n + excluded.n;
        INSERT INTO task_count_by_area AS c (status, area, n)
            SELECT status, a, sign * COUNT(*) FROM task WHERE finding_id = finding GROUP BY status
            ON CONFLICT (status, area) DO UPDATE SET n = c.n + excluded.n;
    END $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE FUNCTION finding_tally() RETURNS trigger AS $$
    BEGIN
        PERFORM finding_tally_move(OLD.id, OLD.area, -1);
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        PERFORM finding_tally_move(NEW.id, NEW.area, 1);
        RETURN NULL;
    END $$ LANGUAGE plpgsql""",
]

POSTGRES_TRIGGERS = [
    "DROP TRIGGER IF EXISTS task_tally_insert_delete ON task",
    "CREATE TRIGGER task_tally_insert_delete AFTER INSERT OR DELETE ON task "
    "FOR EACH ROW EXECUTE FUNCTION task_tally()",
    "DROP TRIGGER IF EXISTS task_tally_update ON task",
    "CREATE TRIGGER task_tally_update AFTER UPDATE OF status, due_on, responsible_unit_id, finding_id "
    "ON task FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status "
    "OR OLD.due_on IS DISTINCT FROM NEW.due_on "
    "OR OLD.responsible_unit_id IS DISTINCT FROM NEW.responsible_unit_id "
    "OR OLD.finding_id IS DISTINCT FROM NEW.finding_id) EXECUTE FUNCTION task_tally()",
    "DROP TRIGGER IF EXISTS finding_tally_area ON finding",
    "CREATE TRIGGER finding_tally_area AFTER UPDATE OF area ON finding "
    "FOR EACH ROW WHEN (OLD.area IS DISTINCT FROM NEW.area) EXECUTE FUNCTION finding_tally()",
    "DROP TRIGGER IF EXISTS finding_tally_delete ON finding",
    "CREATE TRIGGER finding_tally_delete BEFORE DELETE ON finding "
    "FOR EACH ROW EXECUTE FUNCTION finding_tally()",
]


def up(migrator, db):
    postgres = isinstance(db, PostgresqlDatabase)
    for sql in TABLES:
        db.execute_sql(sql)
    for table in ("task_count_by_day", "task_count_by_area", "task_count_by_unit"):
        db.execute_sql(f'DELETE FROM "{table}"')
    for sql in FILL:
        db.execute_sql(sql)
    for sql in (POSTGRES_FUNCTIONS + POSTGRES_TRIGGERS) if postgres else SQLITE_TRIGGERS:
        db.execute_sql(sql)
