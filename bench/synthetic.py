"""A synthetic database of N remediation tasks, inserted in bulk (not through
the rules, which would take minutes): the default roster, one plan a year,
visits, findings in every area and tasks in every status around `today`."""
import datetime as dt
import random

from inspect_tui.rules import seed
from inspect_tui.rules.vocab import AREAS, TASK_STATUSES
from inspect_tui.store.models import Finding, Plan, Task, Unit, Visit, database

TASKS_PER_FINDING = 4
FINDINGS_PER_VISIT = 5


def build(n_tasks: int, today: dt.date, seed_value: int = 7) -> None:
    rng = random.Random(seed_value)
    seed.load_units("bench")
    units = [u.id for u in Unit.select(Unit.id)]
    visits_needed = -(-n_tasks // (TASKS_PER_FINDING * FINDINGS_PER_VISIT))
    with database.atomic():
        plans = {y: Plan.create(year=y, level="city", number=f"{y % 100}/KH-UBND").id
                 for y in range(2021, 2026)}
        visit_rows = []
        for i in range(visits_needed):
            year = 2021 + i % 5
            held = dt.date(year, 1 + i % 12, 1 + i % 28)
            visit_rows.append({"plan": plans[year], "unit": units[i % len(units)], "held_on": held,
                               "scheduled_on": held, "status": "held",
                               "notice_number": f"{100 + i}/TB-UBND", "notice_date": held})
        for chunk in range(0, len(visit_rows), 500):
            Visit.insert_many(visit_rows[chunk:chunk + 500]).execute()
        visit_ids = [v for (v,) in Visit.select(Visit.id).order_by(Visit.id).tuples()]
        finding_rows = [{"visit": v, "area": AREAS[(v + j) % len(AREAS)], "position": j,
                         "description": f"Tồn tại số {j + 1} của cuộc kiểm tra {v}: chưa thực hiện đầy đủ quy định.",
                         "recommendation": "Khắc phục ngay, báo cáo kết quả bằng văn bản."}
                        for v in visit_ids for j in range(FINDINGS_PER_VISIT)]
        for chunk in range(0, len(finding_rows), 500):
            Finding.insert_many(finding_rows[chunk:chunk + 500]).execute()
        finding_ids = [f for (f,) in Finding.select(Finding.id).order_by(Finding.id).tuples()]
        rows = []
        for k in range(n_tasks):
            f = finding_ids[k // TASKS_PER_FINDING]
            rows.append({"finding": f, "responsible_unit": units[rng.randrange(len(units))],
                         "description": f"Nhiệm vụ khắc phục {k + 1}: rà soát, sửa đổi, báo cáo kết quả.",
                         "due_on": today + dt.timedelta(days=rng.randint(-400, 60)),
                         "status": rng.choice(TASK_STATUSES), "assignee": "Nguyễn Văn A"})
            if len(rows) == 1000:
                Task.insert_many(rows).execute()
                rows = []
        if rows:
            Task.insert_many(rows).execute()
