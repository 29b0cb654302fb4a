"""Four colleagues write to one database at once, as real processes, on both
backends: every save made on a version someone else already used is refused,
each record's version rises by one per accepted write, the change log's "old"
is always the value really overwritten, nobody sees "database is locked", the
status rules hold however the writes interleave, and the task counts the
triggers keep (migration 0007) are still a plain recount of the tasks."""
import datetime as dt
import json
from collections import Counter, defaultdict

import pytest

from inspect_tui.rules import tasks
from inspect_tui.rules.tasks import MOVES
from inspect_tui.store.models import (ChangeLog, Task, TaskCountByArea, TaskCountByDay, TaskCountByUnit,
                                      database)

from processes import results, start

TODAY = dt.date(2026, 11, 23)
WRITERS = 4
WRITES = 500
pytestmark = pytest.mark.slow


def _tasks(make, n: int) -> list[int]:
    plan = make.plan(2024)
    ids = []
    for i, code in enumerate(["STC", "SXD", "SYT", "STP", "SCT", "SGDDT"][:n]):
        ids.append(make.chain(code, dt.date(2026, 12, 31), TODAY, plan_id=plan))
    return ids


def _log(task_id: int) -> list[ChangeLog]:
    return list(ChangeLog.select().where((ChangeLog.entity == "task") & (ChangeLog.record_id == task_id))
                .order_by(ChangeLog.id))


def _assert_log_is_a_true_history(task_id: int) -> None:
    """Each "old" equals the value the previous change left; each status move is allowed."""
    last = {}
    for row in _log(task_id):
        if row.action == "create":
            last[row.field] = row.new
            continue
        assert row.action == "update"
        assert row.old == last.get(row.field), (task_id, row.id, row.field, row.old, last.get(row.field))
        if row.field == "status":
            assert json.loads(row.new) in MOVES[json.loads(row.old)], (task_id, row.old, row.new)
        last[row.field] = row.new
    task = Task.get_by_id(task_id)
    assert json.loads(last["version"]) == task.version
    assert json.loads(last["status"]) == task.status


def _assert_tallies_are_a_recount() -> None:
    """The trigger-kept counts equal plain GROUP BYs over the tasks (rows at 0 aside)."""
    def counted(sql):
        return {tuple(str(v) for v in row[:-1]): row[-1] for row in database.execute_sql(sql).fetchall()}

    def kept(model, *key):
        return {tuple(str(v) for v in row[:-1]): row[-1]
                for row in model.select(*key, model.n).tuples() if row[-1]}

    join = "FROM task t JOIN finding f ON f.id = t.finding_id"
    assert kept(TaskCountByDay, TaskCountByDay.status, TaskCountByDay.area, TaskCountByDay.due_on) == counted(
        f"SELECT t.status, f.area, t.due_on, COUNT(*) {join} GROUP BY t.status, f.area, t.due_on")
    assert kept(TaskCountByArea, TaskCountByArea.status, TaskCountByArea.area) == counted(
        f"SELECT t.status, f.area, COUNT(*) {join} GROUP BY t.status, f.area")
    assert kept(TaskCountByUnit, TaskCountByUnit.responsible_unit_id, TaskCountByUnit.status) == counted(
        "SELECT responsible_unit_id, status, COUNT(*) FROM task GROUP BY responsible_unit_id, status")


def test_four_writers_lose_nothing(url, make):
    shared, *own = _tasks(make, 1 + WRITERS)
    start_version = {t: Task.get_by_id(t).version for t in [shared, *own]}
    # half of each writer's writes go to the shared task, half to its own
    processes = [start("writer.py", url, seed, WRITES, shared, own[seed]) for seed in range(WRITERS)]
    attempts = [a for p in processes for a in results(p)]
    assert len(attempts) == WRITERS * WRITES

    crashes = [a for a in attempts if a.get("key") == "crash"]
    assert crashes == []  # no "database is locked", no driver error reached a caller
    refusals = Counter(a["key"] for a in attempts if not a["ok"])
    assert set(refusals) <= {"task_changed"}
    for task_id in [shared, *own]:
        accepted = [a["expected"] for a in attempts if a["ok"] and a["task"] == task_id]
        # no stale save: two accepted writes never started from the same version
        assert len(accepted) == len(set(accepted)), task_id
        assert Task.get_by_id(task_id).version == start_version[task_id] + len(accepted)
        _assert_log_is_a_true_history(task_id)
    assert refusals["task_changed"] > 0  # the shared task was really fought over
    print(f"\n{WRITERS} writers x {WRITES}: {sum(a['ok'] for a in attempts)} accepted, "
          f"{refusals['task_changed']} refused as stale, shared task +"
          f"{Task.get_by_id(shared).version - start_version[shared]}, 0 stale saves, 0 wrong olds")
    assert all(a["ok"] for a in attempts if a["task"] != shared)  # nobody fights over their own
    _assert_tallies_are_a_recount()


def test_verify_and_cancel_racing_leave_one_allowed_move(url, make):
    """Two coordinators, one verifying and one cancelling the same reported tasks,
    neither passing a version: the status rules are checked inside the write."""
    ids = _tasks(make, 6)
    for task_id in ids:
        tasks.move(task_id, "reported_done", "unit", TODAY)
    verify = start("mover.py", url, "verified", *ids)
    cancel = start("mover.py", url, "cancelled", *ids)
    outcomes = results(verify) + results(cancel)
    assert [o for o in outcomes if o.get("key") == "crash"] == []
    by_task = defaultdict(list)
    for o in outcomes:
        by_task[o["task"]].append(o)
    for task_id in ids:
        won = [o for o in by_task[task_id] if o["ok"]]
        assert len(won) == 1, by_task[task_id]  # exactly one of the two moves happened
        lost = [o for o in by_task[task_id] if not o["ok"]]
        assert [o["key"] for o in lost] == ["task_move_refused"]
        assert Task.get_by_id(task_id).status == won[0]["status"]
        _assert_log_is_a_true_history(task_id)
    _assert_tallies_are_a_recount()
