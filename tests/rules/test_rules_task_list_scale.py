"""The task list a page at a time (rules/task_pages.py): paging by keyset shows
every task once and in the same order as the list read whole, for every sort
and filter; the count stops at its cap; the change-log stamp moves with writes
only. On SQLite and PostgreSQL."""
import datetime as dt
import random

import pytest

from inspect_tui.rules import task_pages, tasks
from inspect_tui.rules.tasks import TaskFilter
from inspect_tui.rules.text import fold
from inspect_tui.rules.vocab import AREAS, TASK_STATUSES
from inspect_tui.store.models import Finding, Plan, Task, Unit, Visit, database

TODAY = dt.date(2026, 3, 16)
N_TASKS = 400


def build_many(make):
    """N_TASKS tasks in every status around TODAY, over a few units, areas, years
    (inserted in bulk: the list's order, not the rules that write, is tested here);
    many share a due date, so the id decides the order among them."""
    rng = random.Random(11)
    units = [u.id for u in Unit.select(Unit.id).where(Unit.code.in_(["SNV", "STP", "STC", "Q-NK"]))]
    with database.atomic():
        plans = [Plan.create(year=y, level="city", number=f"{y % 100}/KH-UBND").id for y in (2024, 2025)]
        visits = [Visit.create(plan=plans[i % 2], unit=units[i % len(units)], status="held",
                               held_on=dt.date(2024 + i % 2, 4, 1 + i)).id for i in range(8)]
        found = [Finding.create(visit=visits[i % len(visits)], area=AREAS[i % len(AREAS)],
                                description=f"Tồn tại {i}", search_text=fold(f"Tồn tại {i} niêm yết" if i % 5 == 0
                                                                              else f"Tồn tại {i}")).id
                 for i in range(40)]
        rows = []
        for k in range(N_TASKS):
            description = "Rà soát quy chế" if k % 7 == 0 else f"Nhiệm vụ {k}"
            assignee = "Lê Văn Bình" if k % 3 == 0 else ""
            rows.append({"finding": found[rng.randrange(len(found))], "responsible_unit": rng.choice(units),
                         "description": description, "assignee": assignee,
                         "search_text": fold(f"{description} {assignee}"),
                         "due_on": TODAY + dt.timedelta(days=rng.randint(-60, 20)),
                         "status": rng.choice(TASK_STATUSES)})
        Task.insert_many(rows).execute()
    return None


@pytest.fixture
def many(prebuilt):
    return prebuilt("seeded", build_many)


FILTERS = [
    {}, {"quick": "overdue"}, {"quick": "due_week"}, {"quick": "awaiting"}, {"quick": "unassigned"},
    {"quick": "active"}, {"bucket": "overdue_1_30"}, {"statuses": ("open", "verified")},
    {"unit": "STP"}, {"unit": "tu phap"}, {"area": "digital"}, {"year": 2025}, {"text": "ra soat"},
    {"text": "niem yet"}, {"assignee": "binh"}, {"quick": "active", "unit": "SNV", "area": "procedures"},
    {"quick": "awaiting", "statuses": ("open",)},
]


def paged(flt: TaskFilter, limit: int) -> list[int]:
    seen, after = [], None
    while True:
        page = task_pages.page(flt, TODAY, limit=limit, after=after)
        seen += [r.id for r in page.rows]
        if page.after is None:
            return seen
        assert len(page.rows) == limit
        after = page.after


@pytest.mark.slow
@pytest.mark.parametrize("sort", ["overdue", "due", "unit"])
def test_paging_shows_every_task_once_in_the_order_of_the_whole_list(many, sort):
    for values in FILTERS:
        flt = TaskFilter(sort=sort, **values)
        whole = [r.id for r in tasks.list_tasks(flt, TODAY, limit=None)]
        assert paged(flt, 23) == whole, values
        assert paged(flt, 1000) == whole, values


def test_a_page_carries_what_the_list_shows(many):
    flt = TaskFilter(sort="overdue", quick="overdue")
    first = task_pages.page(flt, TODAY, limit=5).rows
    assert first == tasks.list_tasks(flt, TODAY, limit=5)
    assert all(r.days_overdue > 0 for r in first)
    assert [r.days_overdue for r in first] == sorted((r.days_overdue for r in first), reverse=True)


def test_the_count_stops_past_its_cap(many):
    everything = TaskFilter()
    assert tasks.count(everything, TODAY) == N_TASKS
    assert tasks.count(everything, TODAY, cap=100) == 101  # "more than 100"
    overdue = TaskFilter(quick="overdue", unit="STP")
    exact = len(tasks.list_tasks(overdue, TODAY, limit=None))
    assert 0 < exact < 100
    assert tasks.count(overdue, TODAY, cap=100) == exact


def test_the_stamp_moves_with_a_write_and_not_with_a_read(many):
    task_id = Task.select(Task.id).where(Task.status == "open").order_by(Task.id).scalar()
    before = task_pages.stamp()
    task_pages.page(TaskFilter(), TODAY)
    assert task_pages.stamp() == before
    tasks.move(task_id, "in_progress", "an", TODAY)
    assert task_pages.stamp() > before
