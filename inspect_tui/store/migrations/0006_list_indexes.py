"""Schema version 6: indexes that hold the task list's orders, so a page of the
list is a walk of an index with LIMIT, never a sort of every match
(rules/task_pages.py):

- task (status, due_on, id): each status in due-date order (the "due" and
  "overdue" sorts, the quick filters);
- task (responsible_unit_id, due_on, id): a unit's tasks in due-date order
  (the "unit" sort, a unit's list);
- task (status, responsible_unit_id, due_on): the overview's and the
  summary's active and overdue tasks by unit, counted from the index alone.

They supersede task (status, due_on), which is dropped."""


def up(migrator, db):
    db.execute_sql('CREATE INDEX IF NOT EXISTS "task_status_due_on_id" ON "task" ("status", "due_on", "id")')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "task_responsible_unit_id_due_on_id" '
                   'ON "task" ("responsible_unit_id", "due_on", "id")')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "task_status_responsible_unit_id_due_on" '
                   'ON "task" ("status", "responsible_unit_id", "due_on")')
    db.execute_sql('DROP INDEX IF EXISTS "task_status_due_on"')
