"""Files written whole: every workbook (status, per unit, template) appears
complete with the user's normal permissions, or not at all; a failure or a
kill leaves no half file and, after the next write, no temporary file; hostile
export arguments are refused in one line before anything is written.

Chosen behaviour for SIGKILL: a kill between creating the temporary file and
renaming it leaves that `.~inspect-*.tmp` file behind (nothing can prevent
that); the target is then absent or still the previous complete file. The next
write into the same folder removes it, since no live process holds its lock.
"""
import errno
import gc
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook
from rich.console import Console

from inspect_tui import cli, files
from inspect_tui.excel import export, per_unit, template
from inspect_tui.excel.errors import ExcelError
from inspect_tui.rules import exchange, units
from inspect_tui.store import db as store

from .conftest import TODAY

ROOT = Path(__file__).parents[2]
HAS_LOCKS = files.fcntl is not None


# --- helpers ----------------------------------------------------------------------

@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def temporaries(folder: Path) -> list[str]:
    return sorted(n for n in os.listdir(folder) if n.startswith(files.PREFIX))


def tree(folder: Path) -> set[str]:
    """Every path under `folder` except the database and its journal files."""
    return {str(p.relative_to(folder)) for p in folder.rglob("*")
            if ".sqlite3" not in p.name}


def opens(path: Path) -> bool:
    wb = load_workbook(path, read_only=True)
    wb.close()
    return True


def write_all(kind: str, out: Path) -> list[Path]:
    """Write one kind of workbook into the folder `out`; returns the files written."""
    if kind == "status":
        return [export.export_status_workbook(out / "status.xlsx", TODAY).path]
    if kind == "per_unit":
        return [w.path for w in per_unit.export_per_unit(out / "units", TODAY)[0]]
    return [template.write_template(out / "template.xlsx", TODAY)]


def disk_full_midway(monkeypatch):
    """Saving writes part of the zip, then the disk is full."""
    from openpyxl.writer.excel import ExcelWriter

    def write_data(self):
        self._archive.writestr("xl/partial.bin", os.urandom(50_000))
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(ExcelWriter, "write_data", write_data)


# --- permissions --------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["status", "per_unit", "template"])
def test_every_writer_makes_files_with_the_users_normal_mode(kind, demo_db, tmp_path, umask_022):
    written = write_all(kind, tmp_path)
    assert written
    for path in written:
        assert (path.stat().st_mode & 0o777) == 0o644, path
        assert opens(path)
    assert temporaries(written[0].parent) == []


def test_the_mode_follows_the_umask(demo_db, tmp_path):
    old = os.umask(0o077)
    try:
        path = export.export_status_workbook(tmp_path / "private.xlsx", TODAY).path
    finally:
        os.umask(old)
    assert (path.stat().st_mode & 0o777) == 0o600


# --- failures midway ------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["status", "per_unit", "template"])
def test_a_failure_while_saving_leaves_no_target_and_no_temporary(kind, demo_db, tmp_path,
                                                                  monkeypatch):
    disk_full_midway(monkeypatch)
    with pytest.raises(ExcelError) as caught:
        write_all(kind, tmp_path)
    assert "hết dung lượng" in caught.value.message("vi")
    assert "disk is full" in caught.value.message("en")
    assert tree(tmp_path) == set()  # no target, no temporary, no per-unit folder


@pytest.mark.parametrize("kind, where", [
    ("status", "inspect_tui.excel.sheets.workplan.write"),
    ("per_unit", "inspect_tui.excel.per_unit._meta"),
    ("template", "inspect_tui.excel.template._date_check"),
])
def test_a_failure_while_building_leaves_nothing(kind, where, demo_db, tmp_path, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("midway")
    monkeypatch.setattr(where, boom)
    with pytest.raises(RuntimeError, match="midway"):
        write_all(kind, tmp_path)
    assert tree(tmp_path) == set()


def test_a_failed_save_keeps_the_previous_file_intact(demo_db, tmp_path, monkeypatch):
    target = tmp_path / "status.xlsx"
    export.export_status_workbook(target, TODAY)
    before = target.read_bytes()
    disk_full_midway(monkeypatch)
    with pytest.raises(ExcelError):
        export.export_status_workbook(target, TODAY)
    assert target.read_bytes() == before and opens(target)
    assert temporaries(tmp_path) == []


def test_a_failed_status_workbook_reports_no_stray_sheet_streams(demo_db, tmp_path, monkeypatch):
    """The write-only sheets of an unsaved workbook are closed, not left for the
    garbage collector to complain about ("Exception ignored in ..."), and their
    temporary files are removed."""
    from openpyxl.worksheet import _writer

    complaints = []
    monkeypatch.setattr(sys, "unraisablehook", complaints.append)
    before = set(_writer.ALL_TEMP_FILES)
    disk_full_midway(monkeypatch)
    try:
        export.export_status_workbook(tmp_path / "s.xlsx", TODAY)
    except ExcelError:
        pass
    gc.collect()
    assert complaints == []
    assert [p for p in _writer.ALL_TEMP_FILES if p not in before and os.path.exists(p)] == []


def test_per_unit_failing_at_the_third_unit_keeps_the_first_two_whole(demo_db, tmp_path,
                                                                      monkeypatch):
    real, calls = per_unit._meta, []

    def third_fails(*args):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("midway")
        return real(*args)
    monkeypatch.setattr(per_unit, "_meta", third_fails)
    with pytest.raises(RuntimeError):
        per_unit.export_per_unit(tmp_path / "units", TODAY)
    left = sorted((tmp_path / "units").iterdir())
    assert len(left) == 2 and all(p.suffix == ".xlsx" and opens(p) for p in left)


# --- orphaned temporary files -------------------------------------------------------------

def test_the_next_write_removes_orphans_but_not_live_or_foreign_files(tmp_path):
    orphan = tmp_path / f"{files.PREFIX}dead01.tmp"
    orphan.write_bytes(b"PK half a workbook")
    live = tmp_path / f"{files.PREFIX}live01.tmp"
    live.write_bytes(b"PK another writer")
    other = tmp_path / f"{files.PREFIX}notes.txt"  # not our suffix
    other.write_text("mine")
    decoy = tmp_path / f"{files.PREFIX}link01.tmp"
    decoy.symlink_to(other)
    fd = os.open(live, os.O_RDWR)
    try:
        if HAS_LOCKS:
            files.fcntl.flock(fd, files.fcntl.LOCK_EX)
        else:  # pragma: no cover - where there are no locks, only old files are orphans
            old = time.time() - files.ORPHAN_AGE - 60
            os.utime(orphan, (old, old))
        files.write_whole(tmp_path / "a.bin", lambda p: Path(p).write_bytes(b"a"))
        assert not orphan.exists()
        assert live.exists() and other.exists() and decoy.is_symlink()
    finally:
        os.close(fd)
    if HAS_LOCKS:  # its writer is gone now: the next write takes it
        files.write_whole(tmp_path / "b.bin", lambda p: Path(p).write_bytes(b"b"))
        assert not live.exists()
    assert (tmp_path / "a.bin").read_bytes() == b"a"


@pytest.mark.skipif(not HAS_LOCKS, reason="needs flock to tell a dead writer")
def test_a_writer_killed_before_the_rename_leaves_only_a_temporary_the_next_run_removes(tmp_path):
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"the previous complete file")
    script = textwrap.dedent(f"""
        import sys, time
        from inspect_tui import files
        def write(tmp):
            f = open(tmp, "wb")
            f.write(b"PK half")
            f.flush()
            print("writing", flush=True)
            time.sleep(30)
        files.write_whole({str(target)!r}, write)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE)
    try:
        assert proc.stdout.readline().strip() == b"writing"
        left = temporaries(tmp_path)
        assert len(left) == 1
        files.write_whole(tmp_path / "other.bin", lambda p: Path(p).write_bytes(b"x"))  # a live writer's
        assert temporaries(tmp_path) == left                               # file stays
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
    assert target.read_bytes() == b"the previous complete file"
    assert temporaries(tmp_path) == left  # unavoidable after SIGKILL
    files.write_whole(tmp_path / "other.bin", lambda p: Path(p).write_bytes(b"y"))
    assert temporaries(tmp_path) == []


def test_a_symlinked_target_keeps_its_link(tmp_path):
    real = tmp_path / "real.xlsx"
    real.write_bytes(b"old")
    link = tmp_path / "link.xlsx"
    link.symlink_to(real)
    files.write_whole(link, lambda p: Path(p).write_bytes(b"new"))
    assert link.is_symlink() and real.read_bytes() == b"new"


# --- hostile export arguments, through the command line --------------------------------------

@pytest.fixture
def cli_db(demo_template, tmp_path, monkeypatch):
    """A copy of the demo database, the data home in tmp_path/home, outputs in tmp_path/work."""
    db = tmp_path / "d.sqlite3"
    shutil.copy(demo_template, db)
    for name in ("INSPECT_TUI_DB", "INSPECT_TUI_LANG", "INSPECT_TUI_USER", "INSPECT_TUI_TODAY"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "home").mkdir()
    (tmp_path / "work").mkdir()
    monkeypatch.setenv("INSPECT_TUI_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path / "work")
    return db


def run_cli(args, capsys):
    out = Console(record=True, width=200)
    err = Console(record=True, width=200, stderr=True)
    code = cli.main(args, console=out, err=err)
    captured = capsys.readouterr()
    return code, out.export_text() + captured.out, err.export_text() + captured.err


def refused(cli_db, capsys, args, *needles, lang="vi"):
    base = ["--db", str(cli_db), "--today", "06/5/2025", "--lang", lang]
    root = cli_db.parent
    before = tree(root)
    code, out, err = run_cli(base + args, capsys)
    lines = err.strip().splitlines()
    assert code == 1, (out, err)
    assert len(lines) == 1, err
    assert "Traceback" not in err + out
    for needle in needles:
        assert needle in lines[0], lines[0]
    assert tree(root) == before  # nothing written, no folder made
    return lines[0]


def test_unknown_unit_for_the_per_unit_export(cli_db, capsys):
    line = refused(cli_db, capsys, ["export", "--per-unit", "--unit", "XYZ", "--out", "units"])
    assert line == 'Không có đơn vị mã "XYZ".'
    refused(cli_db, capsys, ["export", "--per-unit", "--unit", "XYZ"])  # default folder
    refused(cli_db, capsys, ["export", "--unit", "XYZ"])


@pytest.mark.parametrize("year", ["0", "99999", "1900", "-2025", "2101", "1999"])
@pytest.mark.parametrize("command", [["export"], ["export", "--per-unit"]])
def test_years_outside_the_allowed_range(cli_db, capsys, year, command):
    from inspect_tui.rules.limits import YEAR_MAX, YEAR_MIN

    line = refused(cli_db, capsys, command + ["--year", year], year, f"{YEAR_MIN}-{YEAR_MAX}")
    assert line == f"Năm {int(year)} nằm ngoài khoảng {YEAR_MIN}-{YEAR_MAX}."


@pytest.mark.parametrize("command", [["export"], ["template"]])
def test_a_target_that_is_not_an_xlsx_file(cli_db, capsys, command):
    refused(cli_db, capsys, command + ["--out", "report.csv"], ".xlsx", "report.csv")
    refused(cli_db, capsys, command + ["--out", "report"], ".xlsx")
    refused(cli_db, capsys, command + ["--out", "report.csv"], "must end in .xlsx", lang="en")
    (cli_db.parent / "work" / "a-folder.xlsx").mkdir()
    refused(cli_db, capsys, command + ["--out", "a-folder.xlsx"], "là một thư mục")
    refused(cli_db, capsys, command + ["--out", str(cli_db.parent / "work")], "là một thư mục")


@pytest.mark.parametrize("command", [["export"], ["template"], ["export", "--per-unit"]])
def test_a_missing_parent_folder(cli_db, capsys, command):
    target = "missing/deeper/r.xlsx" if command[-1] != "--per-unit" else "missing/deeper"
    refused(cli_db, capsys, command + ["--out", target], "missing", "không tồn tại")
    assert not (cli_db.parent / "work" / "missing").exists()
    target = f"{cli_db}/r.xlsx" if command[-1] != "--per-unit" else str(cli_db)
    refused(cli_db, capsys, command + ["--out", target], str(cli_db))  # a file, not a folder


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize("command", [["export"], ["template"], ["export", "--per-unit"]])
def test_an_unwritable_folder(cli_db, capsys, command, monkeypatch):
    locked = cli_db.parent / "work" / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    if os.geteuid() == 0:  # permissions do not stop root: answer as they would for a user
        real = os.access
        monkeypatch.setattr(os, "access", lambda p, mode, **kw: (
            False if Path(p).resolve() == locked and mode & os.W_OK else real(p, mode, **kw)))
    try:
        target = "locked/r.xlsx" if command[-1] != "--per-unit" else "locked/units"
        refused(cli_db, capsys, command + ["--out", target], "locked", "quyền ghi")
        assert os.listdir(locked) == []
    finally:
        locked.chmod(0o755)


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
@pytest.mark.parametrize("command", [["export"], ["template"]])
def test_a_folder_the_system_refuses_files_in(cli_db, capsys, command):
    """Even root cannot create files in /proc: the write itself fails, after the
    workbook is built; still one line."""
    refused(cli_db, capsys, command + ["--out", "/proc/r.xlsx"], "/proc")


def test_a_known_unit_without_open_tasks_writes_no_folder(cli_db, capsys):
    store.connect(str(cli_db))
    try:
        busy = {code for code, _ in exchange.units_with_open_tasks()}
        idle = next(u.code for u in units.roster() if u.code not in busy)
    finally:
        store.close()
    before = tree(cli_db.parent)
    code, out, err = run_cli(["--db", str(cli_db), "export", "--per-unit", "--unit", idle,
                              "--out", "units"], capsys)
    assert code == 0 and err == "" and "không tạo tệp nào" in out
    assert tree(cli_db.parent) == before


def test_good_arguments_still_write(cli_db, capsys, umask_022):
    base = ["--db", str(cli_db), "--today", "06/5/2025"]
    work = cli_db.parent / "work"
    assert run_cli(base + ["export", "--year", "2022", "--out", "r.XLSX"], capsys)[0] == 0
    assert run_cli(base + ["export", "--per-unit", "--unit", "STC", "--out", "u"], capsys)[0] == 0
    assert run_cli(base + ["template"], capsys)[0] == 0  # the default folder is created
    written = [work / "r.XLSX", *(work / "u").iterdir(),
               *(cli_db.parent / "home" / "exports").iterdir()]
    assert len(written) == 3
    assert all(opens(p) and (p.stat().st_mode & 0o777) == 0o644 for p in written)


@pytest.mark.slow  # a real process
@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
def test_a_refused_write_in_a_real_process_prints_one_line(demo_template, tmp_path):
    """The whole stderr of the program, garbage collection at exit included (it
    used to add 45 lines of "Exception ignored in ... _write_rows")."""
    db = tmp_path / "d.sqlite3"
    shutil.copy(demo_template, db)
    proc = subprocess.run(
        [sys.executable, "-m", "inspect_tui", "--db", str(db), "--today", "06/5/2025",
         "export", "--out", "/proc/r.xlsx"], cwd=tmp_path, env=_env(tmp_path),
        capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith(('Không ghi được tệp "/proc/r.xlsx": ',
                                'Không có quyền ghi vào thư mục "/proc".')), lines[0]


# --- SIGKILL at random moments ------------------------------------------------------------------

def _env(tmp_path: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INSPECT_TUI_")}
    env["INSPECT_TUI_HOME"] = str(tmp_path)
    env["PYTHONPATH"] = str(ROOT)
    private_tmp = tmp_path / "tmp"  # openpyxl's own sheet streams, out of the way
    private_tmp.mkdir(exist_ok=True)
    env["TMPDIR"] = str(private_tmp)
    return env


KILLED = {  # command -> (arguments after the global options, where the workbooks land)
    "export": (["export", "--out", "out/status.xlsx"], "out"),
    "per_unit": (["export", "--per-unit", "--out", "out/units"], "out/units"),
    "template": (["template", "--out", "out/template.xlsx"], "out"),
}


@pytest.mark.slow  # real processes killed at random moments
@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
@pytest.mark.parametrize("command", list(KILLED))
def test_sigkill_at_random_moments_leaves_whole_files_only(command, demo_template, tmp_path):
    db = tmp_path / "d.sqlite3"
    shutil.copy(demo_template, db)
    (tmp_path / "out").mkdir()
    args, folder = KILLED[command]
    folder = tmp_path / folder
    argv = [sys.executable, "-m", "inspect_tui", "--db", str(db), "--today", "06/5/2025", *args]
    rng = random.Random(f"files-written-whole-{command}")
    left_by_kills = set()
    for _ in range(3):
        delay = rng.uniform(0.05, 1.5)
        proc = subprocess.Popen(argv, cwd=tmp_path, env=_env(tmp_path),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            proc.wait(timeout=delay)  # finished before the kill: fine too
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        if folder.exists():
            for path in folder.iterdir():
                if files.is_temporary(path.name):
                    left_by_kills.add(path.name)  # only a kill may leave one
                else:
                    assert path.suffix == ".xlsx" and opens(path), path
    done = subprocess.run(argv, cwd=tmp_path, env=_env(tmp_path), capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert temporaries(folder) == []  # the next run removed whatever the kills left
    assert temporaries(tmp_path / "out") == []
    written = [p for p in folder.iterdir() if p.suffix == ".xlsx"]
    assert written and all(opens(p) for p in written)
