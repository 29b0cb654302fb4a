"""A believable demo database: the city's 2021-2025 inspections (45 visits:
25 departments and sectors, 04 vertical agencies, 16 district visits, as in
the Director's article), their findings and remediation tasks in every
status, the 2025 reorganisation, and the current year's plan.

Everything is drawn from a fixed random seed and dated relative to the
`today` it is given, so the same command builds the same database.
"""
import datetime as dt
import random
import tomllib
from dataclasses import dataclass
from pathlib import Path

from inspect_tui.files import write_whole
from inspect_tui.rules import findings, inspections, meta, seed, tasks, workplan
from inspect_tui.rules.ageing import is_overdue
from inspect_tui.rules.errors import DomainError
from inspect_tui.store import db as store
from inspect_tui.store.models import Plan, Task, Unit, Visit, database

ACTOR = "demo"

# Which units the city team visited each year: (departments, vertical agencies, districts).
YEARS = {
    2021: (["SNV", "STP", "SKHDT", "STNMT", "SYT"], ["CA-TP"], ["Q-NK", "H-PD", "Q-OM"]),
    2022: (["SCT", "SXD", "SGTVT", "SGDDT", "SLDTBXH"], ["CT-TP"], ["Q-BT", "H-CD", "H-VT"]),
    2023: (["STC", "SNNPTNT", "STTTT", "SVHTTDL", "TTRA"], ["BHXH-TP"], ["Q-CR", "Q-TN", "H-TL", "Q-NK"]),
    2024: (["VP-UBND", "SKHCN", "SNGV", "BDT", "SKHDT"], ["KBNN-TP"], ["H-PD", "Q-OM", "H-CD"]),
    2025: (["SNV", "BQL-KCX", "SYT", "STP", "SCT"], [], ["Q-BT", "H-VT", "Q-TN"]),
}
# Units visited this year (after the 2025 reorganisation).
CURRENT = ["SNNMT", "STC", "SXD", "SGDDT", "CA-TP", "SVHTTDL"]

TEAM = [
    ("Trần Văn Minh", "Chủ tịch UBND thành phố", "UBND thành phố", "leader"),
    ("Lê Thị Thu Hà", "Giám đốc Sở Nội vụ", "Sở Nội vụ", "deputy"),
    ("Nguyễn Hoàng Phúc", "Phó Trưởng ban Pháp chế", "HĐND thành phố", "member"),
    ("Phạm Thị Ngọc Lan", "Phó Trưởng ban", "Ban Dân vận Thành ủy", "member"),
    ("Võ Minh Khoa", "Phó Trưởng ban", "Ban Tổ chức Thành ủy", "member"),
    ("Huỳnh Văn Đức", "Phó Chánh Văn phòng", "Văn phòng Thành ủy", "member"),
    ("Đặng Thị Kim Yến", "Chuyên viên Phòng CCHC", "Sở Nội vụ", "secretary"),
]
STRENGTHS = [
    "Thủ trưởng đơn vị quan tâm chỉ đạo; kế hoạch cải cách hành chính năm được ban hành kịp thời, đầy đủ nội dung.",
    "Bộ phận Một cửa được bố trí thuận tiện; thủ tục hành chính được niêm yết công khai đúng quy định.",
    "Tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn cao; phản ánh, kiến nghị được xử lý kịp thời.",
    "Phần mềm quản lý văn bản và điều hành, chữ ký số được sử dụng thường xuyên trong xử lý công việc.",
    "Công tác tuyên truyền cải cách hành chính được thực hiện đa dạng, phù hợp với đặc điểm của đơn vị.",
]
ASSIGNEES = ["Nguyễn Văn Tâm", "Trần Thị Mai", "Lê Quốc Bảo", "Phan Thị Hồng", "Đỗ Minh Trí", ""]


@dataclass(frozen=True)
class DemoReport:
    plans: int
    visits: int
    visits_2021_2025: int
    departments: int
    verticals: int
    districts: int
    findings: int
    tasks: int
    by_status: dict
    overdue: int


def _catalogue() -> list[dict]:
    return tomllib.loads(seed._read("demo_findings.toml"))["finding"]


def _working_days_after(day: dt.date, n: int) -> dt.date:
    while n:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def _plan(year: int, number: int, issued_on: dt.date, rng: random.Random) -> int:
    plan = inspections.create_plan(year, f"{number}/KH-UBND", ACTOR, issued_on=issued_on,
                                   title=f"Kế hoạch kiểm tra công tác cải cách hành chính năm {year}")
    for name, title, org, role in TEAM:
        inspections.add_member(plan.id, name, role, ACTOR, title=title, organisation=org)
    return plan.id


def _hold(visit_id: int, held_on: dt.date, notice_no: int, rng: random.Random) -> dt.date:
    notice = _working_days_after(held_on, rng.randint(8, 15))
    inspections.update_visit(
        visit_id, ACTOR, status="held", held_on=held_on,
        minutes_ref=f"Biên bản kiểm tra ngày {held_on.day:02d}/{held_on.month:02d}/{held_on.year}",
        notice_number=f"{notice_no}/TB-UBND", notice_date=notice,
        assessment=rng.choice([
            "Đơn vị triển khai đầy đủ các nhiệm vụ CCHC; một số nội dung còn chậm.",
            "Thủ trưởng đơn vị quan tâm chỉ đạo; kết quả thực hiện đạt khá.",
            "Còn nhiều hạn chế trong giải quyết TTHC và ứng dụng công nghệ thông tin.",
        ]),
        # two strengths picked by the visit's number, not the random draw: the rest stays as it was
        strengths="\n".join(STRENGTHS[(visit_id + i) % len(STRENGTHS)] for i in (0, 2)))
    return notice


def draw(rng: random.Random, weights) -> str:
    """One name of (name, share) pairs, drawn with one number of `rng`; past
    the shares' sum, the last name (bench/generate.py draws statuses so too)."""
    roll = rng.random()
    for name, weight in weights:
        if roll < weight:
            return name
        roll -= weight
    return weights[-1][0]


def _progress(task_id: int, notice: dt.date, due: dt.date, today: dt.date, rng: random.Random,
              old: bool) -> None:
    """Walk a task through a believable history up to `today`."""
    started = min(notice + dt.timedelta(days=rng.randint(5, 20)), today)
    if due > today:
        if rng.random() < 0.5:
            tasks.move(task_id, "in_progress", ACTOR, started)
            tasks.add_note(task_id, "Đã giao phòng chuyên môn triển khai.", ACTOR, started)
        return
    if old:  # older years: mostly closed
        weights = [("verified", 0.62), ("reported_done", 0.1), ("in_progress", 0.1),
                   ("open", 0.08), ("cancelled", 0.04), ("reopened", 0.06)]
    else:
        weights = [("verified", 0.3), ("reported_done", 0.2), ("in_progress", 0.22),
                   ("open", 0.16), ("cancelled", 0.04), ("reopened", 0.08)]
    outcome = draw(rng, weights)
    if outcome == "open":
        return
    if outcome == "cancelled":
        tasks.move(task_id, "cancelled", ACTOR, started,
                   reason="Nội dung đã được xử lý trong nhiệm vụ khác.")
        return
    tasks.move(task_id, "in_progress", ACTOR, started)
    tasks.add_note(task_id, "Đang triển khai, dự kiến hoàn thành đúng hạn.", ACTOR, started)
    if outcome == "in_progress":
        return
    done = min(due + dt.timedelta(days=rng.randint(-20, 25)), today)
    done = max(done, started)
    tasks.move(task_id, "reported_done", ACTOR, done, completed_on=done,
               evidence_ref=f"{rng.randint(100, 2999)}/BC-{rng.choice(['SNV', 'UBND', 'VP'])}")
    if outcome == "reported_done":
        return
    checked = min(done + dt.timedelta(days=rng.randint(10, 40)), today)
    tasks.move(task_id, "verified", ACTOR, checked)
    if outcome == "reopened":
        tasks.move(task_id, "in_progress", ACTOR, min(checked + dt.timedelta(days=20), today),
                   reason="Kiểm tra lại chưa đạt yêu cầu; đề nghị tiếp tục khắc phục.")


def _findings(visit_id: int, notice: dt.date, today: dt.date, rng: random.Random,
              catalogue: list[dict], old: bool, current: bool = False) -> None:
    for spec in rng.sample(catalogue, rng.randint(2, 4)):
        finding = findings.add(visit_id, spec["area"], spec["description"], ACTOR,
                               severity=rng.choice(["minor", "moderate", "moderate", "serious"]),
                               recommendation=spec["recommendation"])
        for text in spec["tasks"]:
            due = notice + dt.timedelta(days=rng.choice([30, 45, 60, 90]))
            if current:  # spread this year's deadlines around today, for every ageing bucket
                due = max(notice + dt.timedelta(days=7),
                          today + dt.timedelta(days=rng.choice([-50, -35, -12, 2, 4, 6, 20, 45])))
            task_id = findings.add_task(finding.id, text, due, ACTOR, notice,
                                        assignee=rng.choice(ASSIGNEES))
            _progress(task_id, notice, due, today, rng, old)


def create(target: str, today: dt.date, force: bool = False) -> "DemoReport":
    """Build the demo at `target` whole or not at all: a SQLite file is built
    beside it and renamed into place; on PostgreSQL the whole build (with the
    tables dropped first, under --force) is one transaction. Without `force`
    a database that already holds data is refused."""
    path = store.sqlite_path(target)
    if path is None:
        return _create_postgres(target, today, force)
    if path.is_dir():
        raise DomainError("demo_exists", db=target)
    if path.exists() and path.stat().st_size > 0 and not force:
        raise DomainError("demo_exists", db=target)
    built = []

    def write(temporary: str) -> None:
        store.connect(temporary, create=True)
        try:
            built.append(build(today))
            meta.put("demo", "1")
        finally:
            store.close()  # the last connection: SQLite folds its journal into the file
        for suffix in ("-wal", "-shm"):  # an old journal must not be replayed onto the new file
            Path(f"{path}{suffix}").unlink(missing_ok=True)

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_whole(path, write)
    except OSError as exc:
        raise DomainError("cannot_create", path=str(path), reason=exc.strerror or str(exc)) from None
    return built[0]


def _create_postgres(url: str, today: dt.date, force: bool) -> "DemoReport":
    db = store.open_raw(url)
    try:
        with db.atomic():
            if "unit" in db.get_tables() and Unit.select().exists():
                if not force:
                    raise DomainError("demo_exists", db=store.describe(url))
                store.drop_schema(db)
            store.prepare(db, create=True)
            result = build(today)
            meta.put("demo", "1")
    finally:
        store.close()
    return result


def build(today: dt.date, seed_value: int = 2025) -> DemoReport:
    """Fill the connected (empty) database with the demo history."""
    rng = random.Random(seed_value)
    catalogue = _catalogue()
    notice_no = 100
    with database.atomic():
        seed.load_units(ACTOR)
        for year, (departments, verticals, districts) in YEARS.items():
            if dt.date(year, 12, 31) > today and year == today.year:
                break
            plan_id = _plan(year, 40 + year % 100, dt.date(year, 3, rng.randint(2, 20)), rng)
            day = dt.date(year, 4, 6)
            for code in departments + verticals + districts:
                visit_id = inspections.add_visit(plan_id, code, ACTOR, scheduled_on=day)
                notice = _hold(visit_id, day, notice_no, rng)
                notice_no += 1
                _findings(visit_id, notice, today, rng, catalogue, old=year <= 2023)
                day += dt.timedelta(days=rng.randint(7, 12))
        seed.apply_reorganisations(ACTOR, until=today)
        seed.load_indicators(ACTOR)
        seed.load_workplan(ACTOR)
        if today.year > 2025:
            _current_year(today, rng, catalogue, notice_no)
            _workplan_progress(today, rng)
    return report(today)


def _current_year(today: dt.date, rng: random.Random, catalogue: list[dict], notice_no: int) -> None:
    """This year's plan: visits already held (tasks not yet due) and visits planned this month."""
    year = today.year
    jan1 = dt.date(year, 1, 1)
    plan_id = _plan(year, 40 + year % 100, max(jan1, today - dt.timedelta(days=200)), rng)
    for i, code in enumerate(CURRENT):
        if i < 4:
            held = max(jan1, today - dt.timedelta(days=110 - 20 * i))
            visit_id = inspections.add_visit(plan_id, code, ACTOR, scheduled_on=held)
            notice = _hold(visit_id, held, notice_no + i, rng)
            if notice <= today:
                _findings(visit_id, notice, today, rng, catalogue, old=False, current=True)
        else:
            later = min(dt.date(year, 12, 31), today + dt.timedelta(days=3 + 2 * i))
            if later.month != today.month:
                later = today
            inspections.add_visit(plan_id, code, ACTOR, scheduled_on=later)


def _workplan_progress(today: dt.date, rng: random.Random) -> None:
    for item in workplan.items(today):
        for m in item.milestones:
            if m.year < today.year:
                workplan.set_milestone(item.code, m.year, ACTOR, status=rng.choice(["done", "done", "delayed"]))
            elif m.year == today.year:
                status = rng.choice(["in_progress", "in_progress", "done", "delayed", "not_started"])
                workplan.set_milestone(item.code, m.year, ACTOR, status=status,
                                       note="Đang triển khai theo kế hoạch năm." if status == "in_progress" else "")
        workplan.set_status(item.code, "in_progress", ACTOR)


def report(today: dt.date) -> DemoReport:
    from inspect_tui.store.models import Finding, Unit

    visits = list(Visit.select(Visit, Unit, Plan).join(Unit).switch(Visit).join(Plan))
    history = [v for v in visits if 2021 <= v.plan.year <= 2025]
    by_status = {}
    overdue = 0
    for status, due in Task.select(Task.status, Task.due_on).tuples():
        by_status[status] = by_status.get(status, 0) + 1
        overdue += is_overdue(status, due, today)
    return DemoReport(
        plans=Plan.select().count(), visits=len(visits), visits_2021_2025=len(history),
        departments=sum(v.unit.kind == "department" for v in history),
        verticals=sum(v.unit.kind == "vertical" for v in history),
        districts=sum(v.unit.kind == "district" for v in history),
        findings=Finding.select().count(), tasks=Task.select().count(),
        by_status=by_status, overdue=overdue)
