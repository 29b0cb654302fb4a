"""Each sub-command's output and exit code, and figures that match the rules,
on SQLite and on PostgreSQL (the `backend`, `seeded_url`, `new_db_url` and
`demo_url` fixtures give a database URL per backend)."""
import csv
import datetime as dt
import getpass
import io
import json
import shutil

import pytest

from inspect_tui.locale import formats
from inspect_tui.rules import search, summary, tasks
from inspect_tui.store import db as store
from inspect_tui.store.models import ChangeLog

from cli_helpers import run, one_line
from overdue_list import overdue_list

TODAY = "23/11/2026"
TODAY_DATE = dt.date(2026, 11, 23)


def usage_error(capsys, *argv):
    with pytest.raises(SystemExit) as info:
        run(*argv)
    return info.value.code, capsys.readouterr().err


@pytest.fixture
def demo_path(demo_url, home):
    """The session's demo database on each backend (PostgreSQL's is built once, for slow tests)."""
    return demo_url


@pytest.fixture
def init_target(backend, home, url_maker):
    """(database, options) for `init`: SQLite's default file in the data home (no --db),
    or an empty PostgreSQL database given with --db."""
    if backend == "sqlite":
        return str(home / "db" / "inspect.sqlite3"), ()
    url = url_maker("postgres")
    return url, ("--db", url)


def on_demo(demo_path, *argv):
    return run("--db", demo_path, "--today", TODAY, *argv)


# --- init, where, demo ----------------------------------------------------------------------

@pytest.mark.slow
def test_init_loads_defaults_then_changes_nothing(init_target, backend):
    target, options = init_target
    first = run(*options, "init")
    assert first.code == 0 and first.err == ""
    if backend == "sqlite":
        assert (store.sqlite_path(target)).exists()
    assert one_line(first.out) == (
        f"Đã khởi tạo cơ sở dữ liệu {target}: thêm 34 đơn vị, 6 lần sắp xếp, 20 chỉ tiêu "
        f"(66 số liệu), 11 nhiệm vụ giải pháp.")
    second = run(*options, "init")
    assert second.code == 0
    assert one_line(second.out) == (
        f"Cơ sở dữ liệu {target} đã có đủ dữ liệu mặc định; không thay đổi gì.")
    data = json.loads(run(*options, "units", "--on", "01/6/2024", "--format", "json").out)
    assert len(data) == 34
    store.connect(target)
    assert {c.actor for c in ChangeLog.select()} == {getpass.getuser()}  # the OS user


@pytest.mark.parametrize("backend", ["sqlite", pytest.param(
    "postgres", marks=[pytest.mark.postgres, pytest.mark.slow])], indirect=True)  # two inits: 3 s
@pytest.mark.slow
def test_init_records_the_configured_user(home, backend, url_maker, monkeypatch):
    first = url_maker(backend)
    assert run("--db", first, "init", "--user", "chị Hoa").code == 0
    store.connect(first)
    assert {c.actor for c in ChangeLog.select()} == {"chị Hoa"}
    store.close()
    monkeypatch.setenv("INSPECT_TUI_USER", "anh Nam")
    other = url_maker(backend)
    assert run("--db", other, "init").code == 0
    store.connect(other)
    assert {c.actor for c in ChangeLog.select()} == {"anh Nam"}


def test_init_on_sqlite_defaults_to_the_data_home(home):
    # SQLite only: the default database is a file in the data home
    assert run("init", "--user", "chị Hoa").code == 0
    store.connect(str(home / "db" / "inspect.sqlite3"))
    assert {c.actor for c in ChangeLog.select()} == {"chị Hoa"}


def test_where(home):
    # opens no database: both backends' URLs are only shown
    result = run("where")
    assert result.code == 0
    assert result.out.splitlines() == [
        f"Thư mục dữ liệu: {home}",
        f"Cơ sở dữ liệu: {home / 'db' / 'inspect.sqlite3'}",
        f"Thư mục xuất báo cáo: {home / 'exports'}",
        f"Tệp cấu hình: {home / 'config.toml'}",
    ]
    assert run("where", "--db", str(home / "x.sqlite3")).out.splitlines()[1].endswith("x.sqlite3")
    url = "postgresql://postgres@127.0.0.1:5432/itui_never_made"
    assert run("where", "--db", url).out.splitlines()[1] == f"Cơ sở dữ liệu: {url}"


@pytest.mark.slow  # a demo build (6 s on PostgreSQL); the first build is the session's
def test_demo_refuses_to_overwrite_then_rebuilds_whole_under_force(home, backend, url_maker, request):
    """On a copy of the session's demo (made by the same `demo.create` as the command):
    refused without --force, rebuilt whole with it, the same figures, nothing twice."""
    report = request.getfixturevalue("demo_build")[1]
    if backend == "sqlite":  # the demo is a file, replaced whole
        out = str(home / "demo.sqlite3")
        shutil.copyfile(request.getfixturevalue("demo_build")[0], out)
        force = ("--out", out)
    else:  # the demo is a database: its tables are dropped and made again
        template = request.getfixturevalue("demo_build_pg")[0].rsplit("/", 1)[1]
        out = url_maker("postgres", template)
        force = ("--db", out)
    again = run("demo", "--out", out, "--today", TODAY)
    assert again.code == 1 and again.out == ""
    assert one_line(again.err) == f"{out} đã tồn tại; dùng --force để tạo lại."

    forced = run("demo", *force, "--today", TODAY, "--force")
    assert forced.code == 0 and forced.err == ""
    text = " ".join(forced.out.split())  # the console wraps long lines
    assert text.startswith(f"Đã tạo CSDL DEMO {out}: 6 kế hoạch, 45 cuộc kiểm tra đã thực hiện "
                            f"năm 2021-2025 (25 sở, ngành; 04 cơ quan ngành dọc; 16 quận, huyện) ")
    assert f"{report.findings} tồn tại, {report.tasks} nhiệm vụ khắc phục " \
           f"({report.overdue} quá hạn tính đến 23/11/2026)." in text
    assert text.endswith(f"Mở bằng: inspect-tui --db {out}")
    overdue = json.loads(run("--db", out, "overdue", "--today", TODAY, "--format", "json").out)
    assert len(overdue) == report.overdue
    assert len(json.loads(run("--db", out, "units", "--format", "json").out)) == 35


# --- units ------------------------------------------------------------------------------------

def test_units_on_a_date_as_a_table(home, seeded_url):
    result = run("--db", seeded_url, "units", "--on", "01/6/2024")
    assert result.code == 0
    assert "Danh sách đơn vị ngày 01/6/2024" in result.out
    assert "Quận Ninh Kiều" in result.out and "Sở Kế hoạch và Đầu tư" in result.out
    assert "Sở Nông nghiệp và Môi trường" not in result.out
    assert "01/7/2025" in result.out  # when the districts ended, Vietnamese style
    assert "34 dòng" in result.out


def test_units_csv_and_json_carry_iso_dates_and_codes(home, seeded_url):
    def units(*argv):
        return run("--db", seeded_url, "units", *argv).out

    rows = list(csv.DictReader(io.StringIO(units("--on", "01/6/2024", "--format", "csv"))))
    assert len(rows) == 34
    nk = next(r for r in rows if r["code"] == "Q-NK")
    assert (nk["name"], nk["kind"], nk["parent_code"], nk["ended_on"]) == (
        "Quận Ninh Kiều", "district", "UBND-TP", "2025-07-01")
    data = json.loads(units("--on", "2024-06-01", "--format", "json"))
    assert len(data) == 34 and {d["kind"] for d in data} == {"department", "vertical", "district", "other"}
    assert next(d for d in data if d["code"] == "SKHDT")["ended_on"] == "2025-03-01"
    districts = json.loads(units("--on", "01/6/2024", "--kind", "district", "--format", "json"))
    assert len(districts) == 9
    later = json.loads(units("--on", "01/01/2026", "--format", "json"))
    assert not [d for d in later if d["kind"] == "district"]
    assert "SNNMT" in {d["code"] for d in later}


# --- overdue ---------------------------------------------------------------------------------

@pytest.mark.parametrize("options, flt", [
    ((), {}),
    (("--unit", "so noi vu"), {"unit": "so noi vu"}),
    (("--unit", "SNV"), {"unit": "SNV"}),
    (("--area", "procedures"), {"area": "procedures"}),
    (("--unit", "ubnd thanh pho can tho", "--area", "digital"), {"unit": "UBND-TP", "area": "digital"}),
])
def test_overdue_json_matches_the_task_list(demo_path, options, flt):
    result = on_demo(demo_path, "overdue", *options, "--format", "json")
    assert result.code == 0
    data = json.loads(result.out)
    expected = overdue_list(demo_path, TODAY_DATE, **flt)
    assert expected, "the demo should have overdue tasks for this filter"
    assert [d["id"] for d in data] == [r.id for r in expected]
    assert [d["days_overdue"] for d in data] == [r.days_overdue for r in expected]
    assert [d["due_on"] for d in data] == [r.due_on.isoformat() for r in expected]
    assert all(d["status"] in ("open", "in_progress") for d in data)
    if "area" in flt:
        assert {d["area"] for d in data} == {flt["area"]}
    # most days overdue first
    assert [d["days_overdue"] for d in data] == sorted((d["days_overdue"] for d in data), reverse=True)


def test_overdue_by_unit_name_without_diacritics_equals_by_code(demo_path):
    by_name = json.loads(on_demo(demo_path, "overdue", "--unit", "so noi vu", "--format", "json").out)
    by_code = json.loads(on_demo(demo_path, "overdue", "--unit", "SNV", "--format", "json").out)
    assert by_name == by_code and {d["unit_code"] for d in by_code} == {"SNV"}


def test_overdue_table_reads_the_vietnamese_way(demo_path):
    result = on_demo(demo_path, "overdue", "--unit", "so noi vu")
    assert result.code == 0
    assert "Nhiệm vụ quá hạn tính đến 23/11/2026" in result.out
    expected = overdue_list(demo_path, TODAY_DATE, unit="so noi vu")
    assert f"{len(expected)} dòng" in result.out
    oldest = expected[0]
    assert oldest.days_overdue >= 1000
    assert formats.number(oldest.days_overdue) in result.out  # e.g. 1.984
    assert "." in formats.number(oldest.days_overdue)
    assert formats.date(oldest.due_on) in result.out


def test_overdue_csv_has_iso_dates_and_plain_numbers(demo_path):
    rows = list(csv.DictReader(io.StringIO(on_demo(demo_path, "overdue", "--format", "csv").out)))
    expected = overdue_list(demo_path, TODAY_DATE)
    assert len(rows) == len(expected) == 68
    assert rows[0]["due_on"] == expected[0].due_on.isoformat()
    assert rows[0]["days_overdue"] == str(expected[0].days_overdue)  # 1984, not 1.984


def test_overdue_as_of_an_earlier_day(demo_path):
    result = run("--db", demo_path, "overdue", "--today", "01/01/2021", "--format", "json")
    assert json.loads(result.out) == []
    table = run("--db", demo_path, "overdue", "--today", "01/01/2021")
    assert one_line(table.out) == "Không có nhiệm vụ quá hạn tính đến 01/01/2021."


def test_overdue_for_an_unknown_unit_is_an_error(demo_path):
    result = on_demo(demo_path, "overdue", "--unit", "so khong ton tai")
    assert result.code == 1 and result.out == ""
    assert one_line(result.err) == 'Không có đơn vị mã "so khong ton tai".'


# --- summary -------------------------------------------------------------------------------

def test_summary_of_2025(demo_path):
    result = on_demo(demo_path, "summary", "--year", "2025")
    assert result.code == 0
    store.connect(demo_path)
    s = summary.summarise(TODAY_DATE, 2025)
    store.close()
    lines = result.out.splitlines()
    assert lines[0] == "Tổng hợp năm 2025 (tính đến 23/11/2026)"
    k = s.visits_by_kind
    assert lines[1] == (f"{s.visits_held} cuộc kiểm tra đã thực hiện: {k['department']:02d} sở, ngành; "
                        f"{k['vertical']:02d} cơ quan ngành dọc; {k['district']:02d} quận, huyện")
    assert lines[1] == "8 cuộc kiểm tra đã thực hiện: 05 sở, ngành; 00 cơ quan ngành dọc; 03 quận, huyện"
    for title in ("Cuộc kiểm tra theo loại hình đơn vị", "Tồn tại, hạn chế theo lĩnh vực",
                  "Nhiệm vụ khắc phục theo trạng thái", "Nhiệm vụ đang mở theo thời hạn",
                  "Đơn vị có nhiều nhiệm vụ quá hạn nhất"):
        assert title in result.out
    assert "│ Cải cách thủ tục hành chính" in result.out
    assert s.worst_units[0].name in result.out


def test_summary_json_matches_the_rules(demo_path):
    data = json.loads(on_demo(demo_path, "summary", "--year", "2025", "--format", "json").out)
    store.connect(demo_path)
    s = summary.summarise(TODAY_DATE, 2025)
    store.close()
    got = {(d["section"], d["key"]): d["count"] for d in data}
    for section in ("visits_by_kind", "findings_by_area", "tasks_by_status", "tasks_by_bucket"):
        for key, n in getattr(s, section).items():
            assert got[(section, key)] == n
    assert [d["key"] for d in data if d["section"] == "worst_units"] == [u.code for u in s.worst_units]
    assert sum(n for (sec, _), n in got.items() if sec == "visits_by_kind") == 8


def test_summary_of_all_years_uses_vietnamese_thousands(demo_path):
    result = on_demo(demo_path, "summary")
    assert result.code == 0
    assert result.out.splitlines()[0] == "Tổng hợp tất cả các năm (tính đến 23/11/2026)"
    store.connect(demo_path)
    s = summary.summarise(TODAY_DATE)
    store.close()
    k = s.visits_by_kind
    # 45 visits held in 2021-2025 and 4 so far this year
    assert (s.visits_held, k["department"], k["vertical"], k["district"]) == (49, 29, 4, 16)
    assert result.out.splitlines()[1] == (
        "49 cuộc kiểm tra đã thực hiện: 29 sở, ngành; 04 cơ quan ngành dọc; 16 quận, huyện")
    oldest = max(u.max_days for u in s.worst_units)
    assert oldest >= 1000 and formats.number(oldest) in result.out
    assert "│ Tổng cộng" in result.out and formats.number(s.tasks) in result.out


# --- search --------------------------------------------------------------------------------

def test_search_can_tho(demo_path):
    result = on_demo(demo_path, "search", "can tho")
    assert result.code == 0
    assert 'Kết quả tìm kiếm "can tho"' in result.out
    assert "UBND thành phố Cần Thơ" in result.out
    data = json.loads(on_demo(demo_path, "search", "CAN THO", "--format", "json").out)
    store.connect(demo_path)
    hits = search.search("Cần Thơ")
    store.close()
    assert [(d["kind"], d["id"]) for d in data] == [(h.kind, h.id) for h in hits]
    assert ("unit", "UBND-TP") in {(d["kind"], d["code"]) for d in data}


def test_search_without_hits(demo_path):
    result = on_demo(demo_path, "search", "xyzzy [red]")
    assert result.code == 0
    assert one_line(result.out) == 'Không tìm thấy "xyzzy [red]".'


# --- English ---------------------------------------------------------------------------------

def test_english(demo_path):
    units_out = on_demo(demo_path, "units", "--on", "01/6/2024", "--kind", "district", "--lang", "en")
    assert units_out.code == 0
    assert "Units on 01/06/2024" in units_out.out and "District" in units_out.out
    assert "9 rows" in units_out.out
    s = on_demo(demo_path, "--lang", "en", "summary", "--year", "2025")
    assert s.out.splitlines()[0] == "Summary of 2025 (as of 23/11/2026)"
    assert s.out.splitlines()[1] == (
        "8 visits held: 05 departments and sectors; 00 vertical agencies; 03 districts")
    overdue = on_demo(demo_path, "overdue", "--lang", "en")
    assert "Overdue tasks as of 23/11/2026" in overdue.out
    store.connect(demo_path)
    oldest = tasks.list_tasks(tasks.TaskFilter(quick="overdue"), TODAY_DATE, limit=1)[0]
    store.close()
    assert formats.number(oldest.days_overdue, lang="en") in overdue.out  # 1,984
    error = on_demo(demo_path, "overdue", "--unit", "nowhere", "--lang", "en")
    assert error.code == 1 and one_line(error.err) == 'No unit with code "nowhere".'


# --- errors ----------------------------------------------------------------------------------

# These fail before any database is opened: the backend plays no part.
@pytest.mark.parametrize("argv, mentions", [
    (("overdue", "--today", "31/02/2026"), "31/02/2026"),
    (("units", "--on", "hôm qua"), 'trường --on: "hôm qua"'),
    (("summary", "--year", "năm nay"), "--year"),
    (("overdue", "--area", "sports"), "sports"),
    (("units", "--format", "xml"), "xml"),
    (("frobnicate",), "frobnicate"),
    (("search",), "text"),
])
def test_usage_errors_exit_2(home, capsys, argv, mentions):
    code, err = usage_error(capsys, *argv)
    assert code == 2
    assert mentions.casefold() in err.strip().splitlines()[-1].casefold()


def test_bad_today_from_the_environment_is_one_line(home, monkeypatch):
    # refused before any database is opened: the backend plays no part
    monkeypatch.setenv("INSPECT_TUI_TODAY", "hôm qua")
    result = run("where")
    assert result.code == 1
    assert "hôm qua" in one_line(result.err)


def test_unknown_language_from_the_environment_is_one_line(home, monkeypatch):
    # refused before any database is opened: the backend plays no part
    monkeypatch.setenv("INSPECT_TUI_LANG", "fr")
    result = run("where")
    assert result.code == 1
    assert "fr" in one_line(result.err)


def test_database_that_cannot_be_opened_is_one_line(home):
    # PostgreSQL only: a server that does not answer
    result = run("--db", "postgresql://postgres@127.0.0.1:1/nothing", "units")
    assert result.code == 1 and result.out == ""
    assert one_line(result.err).startswith("Không mở được cơ sở dữ liệu: postgresql://")


def test_a_database_not_yet_made_is_refused_in_one_line(home, new_db_url, backend):
    result = run("--db", new_db_url, "units")
    assert result.code == 1 and result.out == ""
    if backend == "sqlite":
        assert one_line(result.err) == (
            f'Không có cơ sở dữ liệu tại {new_db_url}: chạy "inspect-tui init" để tạo.')
        assert not store.sqlite_path(new_db_url).exists()  # not made on the way
    else:
        assert one_line(result.err) == (
            f'Cơ sở dữ liệu {new_db_url} còn trống: chạy "inspect-tui init" trước.')


def test_today_from_the_environment_is_used(demo_path, monkeypatch):
    monkeypatch.setenv("INSPECT_TUI_TODAY", "2021-01-01")
    result = run("--db", demo_path, "overdue")
    assert one_line(result.out) == "Không có nhiệm vụ quá hạn tính đến 01/01/2021."
