"""Search through the trigram indexes (migration 0008, rules/search.py) finds
exactly what the plain LIKE over every row finds, in the same order, on
SQLite and PostgreSQL: typed with or without diacritics, one or two letters,
LIKE's wildcards, quotes, long texts; and the index follows every write
(create, edit, undo)."""
import datetime as dt
import random

import pytest
from peewee import fn

from inspect_tui.rules import audit, limits, search, tasks
from inspect_tui.rules.errors import DomainError
from inspect_tui.rules.tasks import TaskFilter
from inspect_tui.rules.text import fold, matches
from inspect_tui.store.models import Finding, Plan, Task, Unit, Visit, database

TODAY = dt.date(2026, 3, 16)
WORDS = ["Rà soát", "quy chế", "niêm yết", "thủ tục", "hành chính", "Đắk Lắk", "kế hoạch", "báo cáo",
         "cải cách", "công chức", "dịch vụ công", "điện tử", "số hóa", "hồ sơ", "một cửa", "Cần Thơ",
         "50%", "HS_2024", 'trích "dẫn"', "tỷ lệ", "đúng hạn", "khắc phục", "ĐĂNG KÝ", "x"]
PEOPLE = ["Lê Văn Bình", "Nguyễn Thị Đào", "Trần Quốc Huy", ""]


def build_corpus(make):
    """300 tasks and 40 findings of Vietnamese phrases (some with %, _ and
    quotes), many tasks due on the same day, inserted through the models (so
    through the index triggers on SQLite)."""
    rng = random.Random(8)
    units = [u.id for u in Unit.select(Unit.id).order_by(Unit.id).limit(6)]
    with database.atomic():
        plans = [Plan.create(year=y, level="city", number=f"{y % 100}/KH-UBND").id for y in (2023, 2024, 2025)]
        visits = [Visit.create(plan=plans[i % 3], unit=units[i % len(units)], status="held",
                               held_on=dt.date(2023 + i % 3, 4, 1 + i)).id for i in range(9)]
        findings = []
        for i in range(40):
            text = " ".join(rng.sample(WORDS, 3))
            findings.append(Finding.create(visit=visits[i % len(visits)], area="procedures",
                                           description=text, search_text=fold(text)).id)
        rows = []
        for _ in range(300):
            text = " ".join(rng.sample(WORDS, rng.randint(2, 4)))
            who = rng.choice(PEOPLE)
            rows.append({"finding": rng.choice(findings), "responsible_unit": rng.choice(units),
                         "description": text, "assignee": who, "search_text": fold(f"{text} {who}"),
                         "due_on": TODAY + dt.timedelta(days=rng.randint(-40, 10)), "status": "open"})
        Task.insert_many(rows).execute()
    return None


@pytest.fixture(params=["as shipped", "small thresholds"])
def corpus(prebuilt, request, monkeypatch):
    """The corpus, read with the thresholds as shipped (few holders: through
    the index) and with tiny ones (most texts "common": the walk in due-date
    order and its fall-back), so every way of reading is compared."""
    prebuilt("seeded", build_corpus)
    if request.param == "small thresholds":
        monkeypatch.setattr(search, "SPARSE", 3)
        monkeypatch.setattr(search, "WINDOW", 25)
    search._counted.cache_clear()
    yield
    search._counted.cache_clear()


def plain_like(text: str, limit: int = 50) -> list[tuple]:
    """What search found before the index: a LIKE over every row, in the same order."""
    found = [("unit", i, code, name, None) for i, code, name in
             Unit.select(Unit.id, Unit.code, Unit.name).where(matches(Unit.search_text, text))
             .order_by(Unit.name).limit(limit).tuples()]
    found += [("finding", *row) for row in
              Finding.select(Finding.id, Unit.code, Finding.description, Plan.year)
              .join(Visit).join(Unit).switch(Visit).join(Plan)
              .where(matches(Finding.search_text, text)).order_by(Plan.year.desc(), Finding.id)
              .limit(limit).tuples()]
    found += [("task", *row, None) for row in
              Task.select(Task.id, Unit.code, Task.description).join(Unit)
              .where(matches(Task.search_text, text))
              .order_by(fn.COALESCE(Task.due_on, Task.due_on).desc(), Task.id).limit(limit).tuples()]
    return found


def indexed(text: str, limit: int = 50) -> list[tuple]:
    return [(h.kind, h.id, h.code, h.text, h.year) for h in search.search(text, limit)]


TYPED = ["kế hoạch", "ke hoach", "KE HOACH", "Kế Hoạch", "đắk lắk", "dak lak", "DAK", "cần thơ", "can tho",
         "đăng ký", "dang ky", "a", "x", "đ", "d", "ho", "ch", "50%", "%", "_", "hs_2024", "hs%2024",
         "0%", "%%", "__", '"', 'trich "dan"', '"dan"', "dịch vụ công điện tử", "dich vu cong dien tu",
         "binh", "Lê Văn Bình", "le van binh bao cao", "ra soat quy che niem yet thu tuc hanh chinh",
         "khong co dau", "zzz", "ke  hoach", "nh ", " h", "ó", "\\", "a\\b"]


def substrings(count: int) -> list[str]:
    """Pieces of the stored texts, as typed: 1 to 14 letters, with their diacritics or not."""
    rng = random.Random(3)
    texts = [t for (t,) in Task.select(Task.description).tuples()]
    picked = []
    for _ in range(count):
        text = rng.choice(texts)
        start = rng.randrange(len(text))
        piece = text[start:start + rng.randint(1, 14)]
        picked.append(piece if rng.random() < 0.5 else fold(piece))
    return [p for p in picked if p.strip()]


@pytest.mark.slow
def test_search_finds_what_the_plain_like_finds_in_the_same_order(corpus):
    for text in TYPED + substrings(60):
        for limit in (50, 7):
            assert indexed(text, limit) == plain_like(text, limit), (text, limit)


def test_a_query_over_the_limit_is_refused_as_before(corpus):
    with pytest.raises(DomainError):
        search.search("kế hoạch " * (limits.QUERY_MAX // 9 + 1))
    assert indexed("k" * limits.QUERY_MAX) == plain_like("k" * limits.QUERY_MAX) == []


def plain_task_list(text: str) -> set[int]:
    """The tasks the list's text filter let through before the index."""
    findings = Finding.select(Finding.id).where(matches(Finding.search_text, text))
    units = Unit.select(Unit.id).where(matches(Unit.search_text, text))
    return {i for (i,) in Task.select(Task.id).where(
        matches(Task.search_text, text) | Task.finding.in_(findings) | Task.responsible_unit.in_(units)).tuples()}


@pytest.mark.slow
def test_the_task_list_text_filter_lets_the_same_tasks_through(corpus):
    due = dict(Task.select(Task.id, Task.due_on).tuples())
    for text in TYPED + substrings(10):
        flt = TaskFilter(text=text, sort="due")
        shown = [r.id for r in tasks.list_tasks(flt, TODAY, limit=None)]
        assert set(shown) == plain_task_list(text), text
        assert sorted(shown, key=lambda i: (due[i], i)) == shown
        assert tasks.count(flt, TODAY, cap=100) == min(len(shown), 101)


def test_the_assignee_filter_lets_the_same_tasks_through(corpus):
    for who in ["binh", "Nguyễn Thị Đào", "dao", "huy", "bi"]:
        shown = {r.id for r in tasks.list_tasks(TaskFilter(assignee=who), TODAY, limit=None)}
        assert shown == {i for (i,) in Task.select(Task.id).where(matches(Task.search_text, who)).tuples()}


def task_hits(text: str) -> list[int]:
    return [h.id for h in search.search(text) if h.kind == "task"]


def test_the_index_follows_a_task_created_edited_and_undone(seeded, make):
    search._counted.cache_clear()
    task_id = make.chain("SNV", dt.date(2024, 6, 1), TODAY, description="Sắp xếp kho lưu trữ điện tử")
    created = audit.last_batch()
    assert task_hits("kho luu tru") == [task_id]
    assert task_hits("Kho lưu trữ") == [task_id]
    tasks.update(task_id, "an", TODAY, description="Chuẩn hóa danh mục hồ sơ")
    assert task_hits("kho luu tru") == []
    assert task_hits("chuan hoa danh muc") == [task_id]
    audit.undo(audit.last_batch(), "an")  # the edit undone: the old text is found again
    assert task_hits("kho luu tru") == [task_id]
    assert task_hits("chuan hoa danh muc") == []
    assert [r.id for r in tasks.list_tasks(TaskFilter(text="kho luu tru"), TODAY, limit=None)] == [task_id]
    audit.undo(created, "an")  # the task's creation undone: it is gone, and no longer found
    assert Task.get_or_none(Task.id == task_id) is None
    assert task_hits("kho luu tru") == []
    assert tasks.list_tasks(TaskFilter(text="kho luu tru"), TODAY, limit=None) == []
