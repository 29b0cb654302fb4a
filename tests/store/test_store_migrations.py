"""The schema is versioned: a database created by the first schema version is
upgraded on connect, its rows intact; connecting again changes nothing."""
import datetime as dt

import pytest

from inspect_tui.rules import indicators, meta, overview, seed, tasks, units
from inspect_tui.store import db as store
from inspect_tui.store.models import (ALL_MODELS, ChangeLog, Fact, Indicator, Task, TaskCountByArea, TaskCountByDay,
                                      TaskCountByUnit, Unit)

MIGRATIONS = ["0001_record", "0002_work_plan_and_indicators", "0003_meta",
              "0004_versions_and_sessions", "0005_papers_and_follow_up", "0006_list_indexes",
              "0007_overview_tallies", "0008_search_index"]
V1_TABLES = {"unit", "succession", "plan", "team_member", "visit", "finding", "task",
             "progress_note", "carried_task", "change_log"}
LATER_TABLES = {"indicator", "target", "observation", "work_item", "work_item_unit", "milestone",
                "work_item_indicator", "work_item_note", "meta"}

V1_ROWS = [
    "INSERT INTO unit (id, code, name, kind, parent_id, started_on, ended_on, confirmed, note, search_text) "
    "VALUES (1, 'SNV', 'Sở Nội vụ', 'department', NULL, NULL, NULL, TRUE, '', 'snv so noi vu')",
    "INSERT INTO unit (id, code, name, kind, parent_id, started_on, ended_on, confirmed, note, search_text) "
    "VALUES (2, 'Q-NK', 'Quận Ninh Kiều', 'district', NULL, NULL, '2025-07-01', TRUE, '', "
    "'q-nk quan ninh kieu')",
    "INSERT INTO plan (id, year, level, issuer_id, number, issued_on, kind, title, derived_from_id) "
    "VALUES (1, 2024, 'city', NULL, '45/KH-UBND', '2024-03-05', 'comprehensive', '', NULL)",
    "INSERT INTO visit (id, plan_id, unit_id, scheduled_on, held_on, status, minutes_ref, notice_number, "
    "notice_date, assessment) VALUES (1, 1, 1, '2024-04-06', '2024-04-06', 'held', '', '112/TB-UBND', "
    "'2024-04-20', '')",
    "INSERT INTO finding (id, visit_id, area, severity, description, recommendation, position, search_text) "
    "VALUES (1, 1, 'procedures', 'moderate', 'Chưa niêm yết TTHC', '', 0, 'chua niem yet tthc')",
    "INSERT INTO task (id, finding_id, responsible_unit_id, description, assignee, due_on, status, "
    "status_reason, completed_on, evidence_ref, version, created_at, search_text) VALUES "
    "(1, 1, 1, 'Niêm yết công khai', '', '2024-06-01', 'open', '', NULL, '', 1, "
    "'2024-04-21 08:00:00', 'niem yet cong khai')",
    "INSERT INTO change_log (id, at, actor, batch, action, entity, record_id, field, old, new) VALUES "
    "(1, '2024-04-21 08:00:00', 'an', 'b1', 'create', 'task', 1, 'status', NULL, '\"open\"')",
]


def _tables(database) -> set[str]:
    return set(database.get_tables())


def _make_v1(url, version="0001_record"):
    database = store.make_database(url, create=True)
    database.connect()
    applied = store.migration_runner(database).up(target=version)
    assert applied == MIGRATIONS[:MIGRATIONS.index(version) + 1]
    if version == "0001_record":
        assert V1_TABLES <= _tables(database) and not LATER_TABLES & _tables(database)
    with database.atomic():
        for sql in V1_ROWS:
            database.execute_sql(sql)
    if url.startswith("postgresql://"):  # explicit ids: move the sequences on, as a real v1 db would
        for table in ("unit", "plan", "visit", "finding", "task", "change_log"):
            database.execute_sql(f"SELECT setval('{table}_id_seq', (SELECT MAX(id) FROM {table}))")
    database.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_url(request, tmp_path):
    if request.param == "sqlite":
        yield str(tmp_path / "v1.sqlite3")
        return
    yield request.getfixturevalue("pg_urls")()


@pytest.mark.slow
@pytest.mark.parametrize("version", MIGRATIONS[:-1])
def test_a_database_of_each_older_schema_is_upgraded_on_connect(empty_url, version):
    _make_v1(empty_url, version)
    database = store.connect(empty_url)
    assert LATER_TABLES | V1_TABLES <= _tables(database)
    assert set(store.migration_runner(database).applied()) == set(MIGRATIONS)
    # the v1 rows are intact and read through today's models
    assert [(u.code, u.ended_on) for u in Unit.select().order_by(Unit.id)] == [
        ("SNV", None), ("Q-NK", dt.date(2025, 7, 1))]
    task = Task.get_by_id(1)
    assert (task.description, task.due_on, task.responsible_unit.code, task.version) == (
        "Niêm yết công khai", dt.date(2024, 6, 1), "SNV", 1)
    assert ChangeLog.select().count() == 1
    # and the upgraded database works: rules read and write v1 and v2 tables alike
    row = tasks.row(1, dt.date(2024, 7, 1))
    assert (row.visited_code, row.days_overdue, row.bucket) == ("SNV", 30, "overdue_1_30")
    tasks.move(1, "in_progress", "an", dt.date(2024, 7, 1))
    assert Task.get_by_id(1).version == 2
    report = seed.load_defaults("an")
    assert report.units == 32  # the two v1 units are kept, not duplicated
    assert units.get("SNV").name == "Sở Nội vụ"
    assert Indicator.select().count() == 20 and indicators.indicator("SO-HOA-KQ").conflicts == ["2025"]
    meta.put("demo", "0")
    assert Fact.get_by_id("demo").value == "0"


MORE_TASKS = [  # besides V1_ROWS' open task of 2024-06-01: another unit, another status and day
    "INSERT INTO finding (id, visit_id, area, severity, description, recommendation, position, search_text) "
    "VALUES (2, 1, 'digital', 'minor', 'Chưa số hoá hồ sơ', '', 1, 'chua so hoa ho so')",
    "INSERT INTO task (id, finding_id, responsible_unit_id, description, assignee, due_on, status, "
    "status_reason, completed_on, evidence_ref, version, created_at, search_text) VALUES "
    "(2, 2, 2, 'Số hoá', '', '2024-06-01', 'in_progress', '', NULL, '', 1, '2024-04-21 08:00:00', 'so hoa'), "
    "(3, 2, 1, 'Số hoá lại', '', '2024-09-30', 'verified', '', '2024-09-01', '', 1, "
    "'2024-04-21 08:00:00', 'so hoa lai'), "
    "(4, 1, 1, 'Niêm yết lại', '', '2024-06-01', 'open', '', NULL, '', 1, '2024-04-21 08:00:00', 'niem yet lai')",
]


def _tallies() -> tuple[set, set, set]:
    return (
        {(s, a, str(d), n) for s, a, d, n in TaskCountByDay.select(
            TaskCountByDay.status, TaskCountByDay.area, TaskCountByDay.due_on, TaskCountByDay.n).tuples() if n},
        {r for r in TaskCountByArea.select(TaskCountByArea.status, TaskCountByArea.area, TaskCountByArea.n)
         .tuples() if r[-1]},
        {r for r in TaskCountByUnit.select(TaskCountByUnit.responsible_unit_id, TaskCountByUnit.status,
                                           TaskCountByUnit.n).tuples() if r[-1]})


def test_the_overview_tallies_are_filled_from_the_tasks_already_there(empty_url):
    """A database of schema 6 holding tasks gets its counts when migrated to 7,
    and the triggers keep them from then on."""
    _make_v1(empty_url, "0006_list_indexes")
    database = store.make_database(empty_url)
    database.connect()
    with database.atomic():
        for sql in MORE_TASKS:
            database.execute_sql(sql)
    database.close()
    store.connect(empty_url)
    assert _tallies() == (
        {("open", "procedures", "2024-06-01", 2), ("in_progress", "digital", "2024-06-01", 1),
         ("verified", "digital", "2024-09-30", 1)},
        {("open", "procedures", 2), ("in_progress", "digital", 1), ("verified", "digital", 1)},
        {(1, "open", 2), (2, "in_progress", 1), (1, "verified", 1)})
    seen = overview.overview(dt.date(2024, 7, 1))
    assert (seen.active, seen.overdue, seen.buckets["overdue_1_30"]) == (3, 3, 3)
    assert [(u.code, u.active, u.overdue) for u in seen.by_unit] == [("SNV", 2, 2), ("Q-NK", 1, 1)]
    tasks.move(1, "in_progress", "an", dt.date(2024, 7, 1))
    assert _tallies()[1] == {("open", "procedures", 1), ("in_progress", "procedures", 1),
                             ("in_progress", "digital", 1), ("verified", "digital", 1)}


def test_connect_twice_applies_nothing_more(tmp_path):
    url = str(tmp_path / "t.sqlite3")
    database = store.connect(url, create=True)
    assert set(store.migration_runner(database).applied()) == set(MIGRATIONS)
    store.close()
    database = store.connect(url)
    assert store.migration_runner(database).up() == []
    expected = {m._meta.table_name for m in ALL_MODELS} | {"meta"}
    assert expected <= _tables(database)


def test_every_model_column_exists_after_the_migrations(db):
    """models.py and the frozen migrations describe the same schema."""
    for model in ALL_MODELS + [Fact]:
        columns = {c.name for c in db.get_columns(model._meta.table_name)}
        assert {f.column_name for f in model._meta.sorted_fields} <= columns, model.__name__


def test_unusable_database_is_a_store_error(tmp_path):
    with pytest.raises(store.StoreError):
        store.connect("postgresql://postgres@127.0.0.1:1/none")


def test_postgres_url_is_parsed():
    database = store.make_database("postgresql://alice:s%40cret@db.example:5433/inspect")
    assert database.database == "inspect"
    assert database.connect_params["user"] == "alice"
    assert database.connect_params["password"] == "s@cret"
    assert database.connect_params["host"] == "db.example"
    assert database.connect_params["port"] == 5433
    assert store.is_postgres("postgres://x/y") and not store.is_postgres("db/inspect.sqlite3")


def _history(url) -> None:
    """Record a migration this version does not know, as a newer inspect-tui would."""
    database = store.make_database(url)
    database.connect()
    database.execute_sql("INSERT INTO schema_migration (name, applied) VALUES "
                         "('0099_from_the_future', '2030-01-01 00:00:00')")
    database.close()


def test_a_database_written_by_a_newer_version_is_refused(empty_url):
    store.connect(empty_url, create=True)
    store.close()
    _history(empty_url)
    with pytest.raises(store.StoreError) as info:
        store.connect(empty_url)
    assert (info.value.key, info.value.values) == ("newer_schema", {"migration": "0099_from_the_future"})


def test_a_database_that_lacks_a_table_is_refused(empty_url):
    database = store.connect(empty_url, create=True)
    database.execute_sql("DROP TABLE work_item_note")
    store.close()
    with pytest.raises(store.StoreError) as info:
        store.connect(empty_url)
    assert (info.value.key, info.value.values) == ("missing_table", {"table": "work_item_note"})


def test_no_silent_new_database(tmp_path):
    missing = tmp_path / "typo.sqlite3"
    with pytest.raises(store.StoreError) as info:
        store.connect(str(missing))
    assert info.value.key == "no_database" and not missing.exists()
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    with pytest.raises(store.StoreError) as info:
        store.connect(str(empty))
    assert info.value.key == "empty_database"
    for url, key in (("mysql://x/y", "unknown_db_scheme"),
                     ("postgresql://x@127.0.0.1:99999/x", "bad_db_url"),
                     (str(tmp_path), "db_is_folder")):
        with pytest.raises(store.StoreError) as info:
            store.connect(url)
        assert info.value.key == key, url


def test_an_empty_postgres_database_says_run_init(pg_urls):
    url = pg_urls()
    with pytest.raises(store.StoreError) as info:
        store.connect(url)
    assert info.value.key == "empty_database"
