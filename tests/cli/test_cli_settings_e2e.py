"""Settings precedence, and the installed command end to end, as a new user runs it."""
import datetime as dt
import getpass
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from inspect_tui import settings

EXE = shutil.which("inspect-tui", path=str(Path(sys.executable).parent)) or "inspect-tui"


# Settings are read without opening any database: no backend plays a part.
def test_settings_defaults(tmp_path):
    s = settings.load({"INSPECT_TUI_HOME": str(tmp_path)})
    assert s.home == tmp_path.resolve()
    assert s.db == str(tmp_path.resolve() / "db" / "inspect.sqlite3")
    assert (s.lang, s.user, s.due_days, s.today_override) == ("vi", getpass.getuser(), 30, None)
    assert s.export_dir == tmp_path.resolve() / "exports"


def test_config_file_then_environment_then_flags(tmp_path):
    (tmp_path / "config.toml").write_text(
        'lang = "en"\nuser = "chị Hoa"\ndue_days = 15\ndb = "postgresql://postgres@127.0.0.1/x"\n',
        "utf-8")
    s = settings.load({"INSPECT_TUI_HOME": str(tmp_path)})
    assert (s.lang, s.user, s.due_days, s.db) == ("en", "chị Hoa", 15, "postgresql://postgres@127.0.0.1/x")
    env = {"INSPECT_TUI_HOME": str(tmp_path), "INSPECT_TUI_USER": "anh Nam", "INSPECT_TUI_LANG": "vi",
           "INSPECT_TUI_DB": "other.sqlite3", "INSPECT_TUI_TODAY": "06/5/2025"}
    s = settings.load(env)
    assert (s.lang, s.user, s.db, s.today) == ("vi", "anh Nam", "other.sqlite3", dt.date(2025, 5, 6))
    s = s.with_(user="flag", lang=None)
    assert (s.user, s.lang) == ("flag", "vi")


def _run(home, *argv, **settings_env):
    env = {k: v for k, v in os.environ.items() if not k.startswith("INSPECT_TUI_")}
    env.update(INSPECT_TUI_HOME=str(home), COLUMNS="200", PYTHONIOENCODING="utf-8", **settings_env)
    return subprocess.run([EXE, *argv], cwd=home, env=env, capture_output=True, text=True,
                          encoding="utf-8", timeout=120)


@pytest.mark.slow  # a dozen new processes
def test_new_user_end_to_end(tmp_path):
    """install (the venv) → init → demo → roster on 01/6/2024 → overdue as of a day → summary.
    A new user starts on SQLite, in the data home; a team's start on PostgreSQL follows."""
    init = _run(tmp_path, "init")
    assert init.returncode == 0, init.stderr
    assert "34 đơn vị" in init.stdout
    assert (tmp_path / "db" / "inspect.sqlite3").exists()

    demo = _run(tmp_path, "demo", "--today", "23/11/2026")
    assert demo.returncode == 0, demo.stderr
    assert "45 cuộc kiểm tra" in " ".join(demo.stdout.split())
    demo_db = str(tmp_path / "db" / "demo.sqlite3")
    again = _run(tmp_path, "demo", "--today", "23/11/2026")
    assert again.returncode == 1 and len(again.stderr.strip().splitlines()) == 1

    roster = _run(tmp_path, "--db", demo_db, "units", "--on", "01/6/2024", "--format", "json")
    assert roster.returncode == 0, roster.stderr
    assert len(json.loads(roster.stdout)) == 34
    table = _run(tmp_path, "--db", demo_db, "units", "--on", "01/6/2024")
    assert "Quận Ninh Kiều" in table.stdout

    overdue = _run(tmp_path, "--db", demo_db, "overdue", "--today", "23/11/2026", "--format", "json")
    assert overdue.returncode == 0, overdue.stderr
    assert len(json.loads(overdue.stdout)) == 68
    assert "Nhiệm vụ quá hạn tính đến 23/11/2026" in _run(
        tmp_path, "--db", demo_db, "overdue", "--today", "23/11/2026").stdout

    summary = _run(tmp_path, "--db", demo_db, "summary", "--year", "2025", "--today", "23/11/2026")
    assert summary.returncode == 0, summary.stderr
    assert summary.stdout.splitlines()[:2] == [
        "Tổng hợp năm 2025 (tính đến 23/11/2026)",
        "8 cuộc kiểm tra đã thực hiện: 05 sở, ngành; 00 cơ quan ngành dọc; 03 quận, huyện"]

    usage = _run(tmp_path, "summary", "--year", "abc")
    assert usage.returncode == 2
    error = _run(tmp_path, "--db", demo_db, "overdue", "--unit", "khong co", "--today", "23/11/2026")
    assert error.returncode == 1 and error.stderr.strip() == 'Không có đơn vị mã "khong co".'
    assert Path(demo_db).exists()  # the demo went to the data home


@pytest.mark.slow  # new processes, and the demo on PostgreSQL (built once per session)
@pytest.mark.postgres
def test_team_end_to_end_on_postgres(tmp_path, url_maker, demo_build_pg):
    """A team's database named in INSPECT_TUI_DB: init → roster; then the demo on PostgreSQL."""
    url = url_maker("postgres")
    init = _run(tmp_path, "init", INSPECT_TUI_DB=url, INSPECT_TUI_USER="chị Hoa")
    assert init.returncode == 0, init.stderr
    assert "34 đơn vị" in init.stdout and url in " ".join(init.stdout.split())
    roster = _run(tmp_path, "units", "--on", "01/6/2024", "--format", "json", INSPECT_TUI_DB=url)
    assert roster.returncode == 0, roster.stderr
    assert len(json.loads(roster.stdout)) == 34
    assert not (tmp_path / "db").exists()  # no SQLite file made on the side

    demo_db = demo_build_pg[0]
    overdue = _run(tmp_path, "--db", demo_db, "overdue", "--today", "23/11/2026", "--format", "json")
    assert overdue.returncode == 0, overdue.stderr
    assert len(json.loads(overdue.stdout)) == 68
    summary = _run(tmp_path, "summary", "--year", "2025", "--today", "23/11/2026",
                   INSPECT_TUI_DB=demo_db)
    assert summary.returncode == 0, summary.stderr
    assert summary.stdout.splitlines()[:2] == [
        "Tổng hợp năm 2025 (tính đến 23/11/2026)",
        "8 cuộc kiểm tra đã thực hiện: 05 sở, ngành; 00 cơ quan ngành dọc; 03 quận, huyện"]
    error = _run(tmp_path, "--db", demo_db, "overdue", "--unit", "khong co", "--today", "23/11/2026")
    assert error.returncode == 1 and error.stderr.strip() == 'Không có đơn vị mã "khong co".'
