"""Hostile arguments, environments and config files, for every sub-command.

Each case runs `inspect_tui.cli.main(argv)` in-process on a seeded SQLite
database and must end with: the expected exit code (1 for bad input, 2 for a
usage error), exactly one non-empty line on stderr (in Vietnamese unless the
case asks for English), no traceback anywhere, no escape character echoed,
and the database exactly as it was.

To add a case, append a `Case(...)` to CASES. In argv, env values and file
contents, "{db}" is the seeded database's path and "{home}" the data home.
"""
import hashlib
import sqlite3
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path

import pytest
from rich.console import Console

from inspect_tui import cli
from inspect_tui.rules import limits

LONG = "a" * 50_000  # SQLite: "LIKE or GLOB pattern too complex"
TOO_LONG_QUERY = "x" * (limits.QUERY_MAX + 1)
TOO_LONG_NAME = "n" * (limits.NAME_MAX + 1)
ESC = "\x1b[31m\x1b]0;owned\x07"  # recolour and retitle the terminal
PG_BAD_PORT = "postgresql://x@127.0.0.1:99999/x"


@dataclass(frozen=True)
class Case:
    id: str
    argv: tuple
    code: int | tuple = 1  # the exit code, or the codes allowed (a check another engineer is moving)
    mentions: tuple = ()  # texts the error line must contain
    env: dict = field(default_factory=dict)
    files: dict = field(default_factory=dict)  # name in the data home -> text (str) or bytes
    english: bool = False
    known: str = ""  # a known failure in code another engineer owns: xfail (strict) with this reason

    def __str__(self):
        return self.id

    def param(self):
        marks = [pytest.mark.xfail(reason=self.known, strict=True)] if self.known else []
        return pytest.param(self, id=self.id, marks=marks)


def db(*argv):
    """Run on the seeded database."""
    return ("--db", "{db}", *argv)


def config(text: str | bytes) -> dict:
    return {"config.toml": text}


CASES = [
    # --- global options: --today, --user, --lang, --db, and the environment -------------------
    Case("today-far-future", db("--today", "9999-12-31", "summary"), 2, ("--today", "2000-2100")),
    Case("today-year-one", db("--today", "0001-01-01", "overdue"), 2, ("--today",)),
    Case("today-1999", db("overdue", "--today", "31/12/1999"), 2, ("--today",)),
    Case("today-not-a-day", db("overdue", "--today", "31/02/2026"), 2, ("31/02/2026",)),
    Case("today-words", db("summary", "--today", "hôm qua"), 2, ("hôm qua",)),
    Case("today-missing-value", db("summary", "--today"), 2, ("--today",)),
    Case("today-english", db("--lang", "en", "--today", "9999-12-31", "summary"), 2,
         ("--today", "2000-2100"), english=True),
    Case("env-today-far", db("summary"), 1, ("INSPECT_TUI_TODAY",), env={"INSPECT_TUI_TODAY": "9999-12-31"}),
    Case("env-today-year-one", db("overdue"), 1, ("INSPECT_TUI_TODAY",),
         env={"INSPECT_TUI_TODAY": "0001-01-01"}),
    Case("env-today-words", db("overdue"), 1, ("INSPECT_TUI_TODAY", "hôm qua"),
         env={"INSPECT_TUI_TODAY": "hôm qua"}),
    Case("env-lang", db("units"), 1, ("INSPECT_TUI_LANG", "fr"), env={"INSPECT_TUI_LANG": "fr"}),
    Case("env-user-blank", db("init"), 1, ("INSPECT_TUI_USER",), env={"INSPECT_TUI_USER": "   "}),
    Case("env-user-escape", db("init"), 1, ("INSPECT_TUI_USER",), env={"INSPECT_TUI_USER": "a" + ESC}),
    Case("user-empty", db("--user", "", "init"), 2, ("--user",)),
    Case("user-spaces", db("init", "--user", "   "), 2, ("--user",)),
    Case("user-too-long", db("init", "--user", TOO_LONG_NAME), 2, ("--user", str(limits.NAME_MAX))),
    Case("user-escape", db("init", "--user", "chị Hoa" + ESC), 2, ("--user",)),
    Case("user-newline", db("init", "--user", "chị Hoa\nanh Nam"), 2, ("--user",)),
    Case("lang-unknown", db("--lang", "fr", "units"), 2, ("--lang", "fr")),
    Case("db-port-out-of-range", ("--db", PG_BAD_PORT, "units"), 1, ("99999",)),
    Case("command-unknown", db("frobnicate"), 2, ("frobnicate",)),
    Case("argument-unknown", db("units", "--bogus"), 2, ("--bogus",)),

    # --- config.toml ------------------------------------------------------------------------------
    Case("config-syntax", ("where",), 1, ("config.toml", "dòng 2"), files=config('lang = "vi"\ndue_days = \n')),
    Case("config-due-days-text", ("where",), 1, ("config.toml", "due_days", '"abc"'),
         files=config('due_days = "abc"\n')),
    Case("config-due-days-negative", db("units"), 1, ("due_days", "-5", "1", "3650"),
         files=config("due_days = -5\n")),
    Case("config-due-days-zero", db("init"), 1, ("due_days",), files=config("due_days = 0\n")),
    Case("config-due-days-huge", db("overdue"), 1, ("due_days", "10000"), files=config("due_days = 10000\n")),
    Case("config-due-days-bool", ("where",), 1, ("due_days",), files=config("due_days = true\n")),
    Case("config-theme", ("where",), 1, ("theme", "blue", "dark"), files=config('theme = "blue"\n')),
    Case("config-lang", ("where",), 1, ("lang", "fr"), files=config('lang = "fr"\n')),
    Case("config-user-blank", db("init"), 1, ("user",), files=config('user = "  "\n')),
    Case("config-user-number", db("init"), 1, ("user", "5"), files=config("user = 5\n")),
    Case("config-db-number", ("units",), 1, ("db",), files=config("db = 5\n")),
    Case("config-exports-list", ("where",), 1, ("exports",), files=config('exports = ["a"]\n')),
    Case("config-keys-not-table", ("where",), 1, ("keys",), files=config("keys = 5\n")),
    Case("config-keys-number", ("where",), 1, ("keys.quit",), files=config("[keys]\nquit = 5\n")),
    Case("config-excel-not-table", db("template", "--out", "{home}/t.xlsx"), 1, ("excel",),
         files=config("excel = 3\n")),
    Case("config-not-utf8", ("where",), 1, ("config.toml",), files=config(b'user = "\xff\xfe"\n')),
    Case("config-english", ("where",), 1, ("due_days", "abc"), english=True,
         files=config('lang = "en"\ndue_days = "abc"\n')),
    Case("config-english-by-flag", ("--lang", "en", "where"), 1, ("theme",), english=True,
         files=config('theme = "blue"\n')),

    # --- init, where --------------------------------------------------------------------------------
    Case("init-today", db("init", "--today", "0001-01-01"), 2, ("--today",)),
    Case("where-today", ("where", "--today", "9999-12-31"), 2, ("--today",)),

    # --- units ----------------------------------------------------------------------------------------
    Case("units-on-year-one", db("units", "--on", "0001-01-01"), 2, ("--on",)),
    Case("units-on-far", db("units", "--on", "31/12/9999"), 2, ("--on",)),
    Case("units-on-words", db("units", "--on", "hôm qua"), 2, ("--on", "hôm qua")),
    Case("units-kind", db("units", "--kind", "ministry"), 2, ("ministry",)),
    Case("units-format", db("units", "--format", "xml"), 2, ("xml",)),
    Case("units-action-unknown", db("units", "frobnicate"), 2, ("frobnicate",)),
    Case("units-import-missing-file", db("units", "import", "{home}/none.csv"), 1),
    Case("units-import-a-folder", db("units", "import", "{home}"), 1),
    Case("units-import-no-file", db("units", "import"), 2, ("FILE",)),
    Case("units-import-today", db("units", "import", "{home}/none.csv", "--today", "9999-12-31"), 2,
         ("--today",)),
    Case("units-import-not-utf8", db("units", "import", "{home}/u.csv"), 1,
         files={"u.csv": b"code,name,kind\nX,T\xe2n,commune\n"}),
    Case("units-import-missing-column", db("units", "import", "{home}/u.csv"), 1,
         files={"u.csv": "code,name\nX,Tên\n"}),
    Case("units-import-escape", db("units", "import", "{home}/u.csv", "--dry-run"), 1,
         files={"u.csv": "code,name,kind\nX," + ESC + ",commune\n"}),
    Case("units-import-not-a-workbook", db("units", "import", "{home}/u.xlsx"), 1,
         files={"u.xlsx": b"PK\x03\x04 broken zip"}),
    Case("units-export-on-far", db("units", "export", "--on", "31/12/9999", "--out", "{home}/u.csv"), 2,
         ("--on",)),
    Case("units-export-suffix", db("units", "export", "--out", "{home}/u.txt"), 1, (".csv", ".xlsx")),
    Case("units-export-out-under-a-file", db("units", "export", "--out", "{home}/afile/u.csv"), 1,
         files={"afile": "not a folder"}),
    Case("units-template-csv", db("units", "template", "--out", "{home}/t.csv"), 1, (".xlsx",)),

    # --- reorganise, reassign -------------------------------------------------------------------------
    Case("reorganise-kind", db("reorganise", "absorb", "--on", "01/01/2026", "--from", "SNV"), 2, ("absorb",)),
    Case("reorganise-no-day", db("reorganise", "merge", "--from", "SNV", "--to", "STP"), 2, ("--on",)),
    Case("reorganise-day-far", db("reorganise", "merge", "--on", "31/12/9999", "--from", "SNV", "--to", "STP"),
         2, ("--on",)),
    Case("reorganise-no-source", db("reorganise", "merge", "--on", "01/01/2026", "--to", "STP"), 2, ("--from",)),
    Case("reorganise-unknown-unit", db("reorganise", "merge", "--on", "01/01/2026", "--from", "NOWHERE",
                                       "--to", "STP"), 1, ("NOWHERE",)),
    Case("reorganise-ambiguous", db("reorganise", "merge", "--on", "01/01/2026", "--from", "so", "--to", "STP"),
         1, ("khớp",)),
    Case("reorganise-ended-unit", db("reorganise", "merge", "--on", "01/01/2026", "--from", "SKHDT",
                                     "--to", "STP"), 1, ("SKHDT",)),
    Case("reorganise-bad-new", db("reorganise", "split", "--on", "01/01/2026", "--from", "SNV", "--new", "X"),
         2, ("--new",)),
    Case("reorganise-bad-task", db("reorganise", "split", "--on", "01/01/2026", "--from", "SNV",
                                   "--task", "abc=STP"), 2, ("--task",)),
    Case("reorganise-bad-area", db("reorganise", "split", "--on", "01/01/2026", "--from", "SNV", "--to", "STP",
                                   "STC", "--by-area", "sports=STP"), 1, ("sports",)),
    Case("reorganise-new-code-spaces", db("reorganise", "rename", "--on", "01/01/2026", "--from", "SNV",
                                          "--new", "S N V=Sở"), 1, ("S N V",)),
    Case("reorganise-escape", db("reorganise", "merge", "--on", "01/01/2026", "--from", "x" + ESC,
                                 "--to", "STP"), 1, ("\\x1b",)),
    Case("reassign-unknown-task", db("reassign", "--task", "999999", "--to", "STP"), 1, ("999999",)),
    Case("reassign-bad-task", db("reassign", "--task", "abc", "--to", "STP"), 2, ("--task",)),
    Case("reassign-huge-task", db("reassign", "--task", "99999999999999999999", "--to", "STP"), 2, ("--task",)),
    Case("reassign-to-without-tasks", db("reassign", "--to", "STP"), 2, ("--task",)),
    Case("reassign-nothing-pending", db("reassign", "--from", "Q-NK", "--to", "STP"), 1),
    Case("reassign-from-unknown", db("reassign", "--from", "NOWHERE"), 1, ("NOWHERE",)),
    Case("reassign-format", db("reassign", "--format", "xml"), 2, ("xml",)),

    # --- overdue ----------------------------------------------------------------------------------------
    Case("overdue-unit-empty", db("overdue", "--unit", ""), 2, ("--unit",)),
    Case("overdue-unit-blank", db("overdue", "--unit", "   "), 2, ("--unit",)),
    Case("overdue-unit-huge", db("overdue", "--unit", LONG), 2, ("--unit", str(limits.QUERY_MAX))),
    Case("overdue-unit-over-limit", db("overdue", "--unit", TOO_LONG_QUERY), 2, ("--unit",)),
    Case("overdue-unit-ambiguous-so", db("overdue", "--unit", "so"), 1, ("“so”", "khớp", "…", "mã đơn vị")),
    Case("overdue-unit-ambiguous-ubnd", db("overdue", "--unit", "ubnd"), 1, ("“ubnd”", "khớp")),
    Case("overdue-unit-ambiguous-city", db("overdue", "--unit", "ubnd thanh pho"), 1,
         ("khớp 2 đơn vị: UBND-TP, VP-UBND",)),
    Case("overdue-unit-ambiguous-english", db("overdue", "--unit", "so", "--lang", "en"), 1,
         ("matches",), english=True),
    Case("overdue-unit-unknown", db("overdue", "--unit", "nowhere"), 1, ("nowhere",)),
    Case("overdue-unit-escape", db("overdue", "--unit", "x" + ESC), 1, ("\\x1b",)),
    Case("overdue-area", db("overdue", "--area", "sports"), 2, ("sports",)),

    # --- summary ----------------------------------------------------------------------------------------
    Case("summary-year-zero", db("summary", "--year", "0"), 2, ("--year", "0")),
    Case("summary-year-huge", db("summary", "--year", "99999"), 2, ("99999",)),
    Case("summary-year-1900", db("summary", "--year", "1900"), 2, ("1900", "2000-2100")),
    Case("summary-year-negative", db("summary", "--year=-1"), 2, ("--year",)),
    Case("summary-year-words", db("summary", "--year", "năm nay"), 2, ("năm nay",)),
    Case("summary-year-empty", db("summary", "--year", ""), 2, ("--year",)),
    Case("summary-today", db("summary", "--year", "2025", "--today", "9999-12-31"), 2, ("--today",)),

    # --- search -----------------------------------------------------------------------------------------
    Case("search-huge", db("search", LONG), 2, (str(limits.QUERY_MAX),)),
    Case("search-over-limit", db("search", TOO_LONG_QUERY), 2, ("text",)),
    Case("search-empty", db("search", ""), 2, ("text",)),
    Case("search-blank", db("search", "   "), 2, ("text",)),
    Case("search-missing", db("search"), 2, ("text",)),

    # --- export ---------------------------------------------------------------------------------------------
    Case("export-year-zero", db("export", "--year", "0", "--out", "{home}/r.xlsx"), (1, 2), ("0",)),
    Case("export-year-huge", db("export", "--year", "99999", "--out", "{home}/r.xlsx"), (1, 2), ("99999",)),
    Case("export-year-words", db("export", "--year", "năm nay"), 2, ("--year",)),
    Case("export-today", db("export", "--today", "9999-12-31", "--out", "{home}/r.xlsx"), 2, ("--today",)),
    Case("export-unit-unknown", db("export", "--unit", "NOWHERE", "--out", "{home}/r.xlsx"), (1, 2),
         ("NOWHERE",)),
    Case("export-out-under-a-file", db("export", "--out", "{home}/afile/r.xlsx"), 1,
         files={"afile": "not a folder"}),
    Case("export-per-unit-year", db("export", "--per-unit", "--year", "1900", "--out", "{home}/pu"), (1, 2),
         ("1900",)),

    # --- import-progress ---------------------------------------------------------------------------------------
    # the import commands print their report (file, sheet, row, reason) on stdout, one line on stderr
    Case("progress-missing-file", db("import-progress", "{home}/none.xlsx"), 1),
    Case("progress-not-a-workbook", db("import-progress", "{home}/fake.xlsx"), 1,
         files={"fake.xlsx": "this is not a workbook"}),
    Case("progress-today", db("import-progress", "{home}/none.xlsx", "--today", "0001-01-01"), 2,
         ("--today",)),
    Case("progress-user", db("import-progress", "{home}/none.xlsx", "--user", ""), 2, ("--user",)),
    Case("progress-no-file", db("import-progress"), 2, ("FILE",)),

    # --- template ----------------------------------------------------------------------------------------------
    Case("template-out-under-a-file", db("template", "--out", "{home}/afile/t.xlsx"), 1,
         files={"afile": "not a folder"}),
    Case("template-today", db("template", "--out", "{home}/t.xlsx", "--today", "9999-12-31"), 2,
         ("--today",)),

    # --- import -------------------------------------------------------------------------------------------------
    Case("import-missing-file", db("import", "{home}/none.xlsx"), 1),
    Case("import-not-a-workbook", db("import", "{home}/fake.xlsx"), 1,
         files={"fake.xlsx": b"PK\x03\x04 broken zip"}),
    Case("import-a-folder", db("import", "{home}"), 1),
    Case("import-today", db("import", "{home}/none.xlsx", "--today", "9999-12-31"), 2, ("--today",)),
    Case("import-dry-run-user", db("import", "{home}/none.xlsx", "--dry-run", "--user", " "), 2,
         ("--user",)),

    # --- demo -----------------------------------------------------------------------------------------------------
    Case("demo-over-the-database", ("demo", "--out", "{db}"), 1, ("--force",)),
    Case("demo-today-far", ("demo", "--out", "{home}/d.sqlite3", "--today", "9999-12-31"), 2, ("--today",)),
    Case("demo-today-year-one", ("demo", "--out", "{home}/d.sqlite3", "--today", "0001-01-01"), 2,
         ("--today",)),
    Case("demo-out-under-a-file", ("demo", "--out", "{home}/afile/d.sqlite3"), 1,
         files={"afile": "not a folder"}),
    Case("demo-out-bad-port", ("demo", "--out", PG_BAD_PORT), 1, ("99999",)),
    Case("demo-env-today", ("demo", "--out", "{home}/d.sqlite3"), 1, ("INSPECT_TUI_TODAY",),
         env={"INSPECT_TUI_TODAY": "9999-12-31"}),
]

# What argparse says when its messages were not translated.
ENGLISH_ONLY = ("error:", "argument ", "invalid choice", "invalid int value", "expected one argument",
                "the following arguments are required", "unrecognized arguments", "Traceback")


def test_every_sub_command_has_hostile_cases():
    commands = {"init", "where", "units", "overdue", "summary", "search", "export", "import-progress",
                "template", "import", "demo", "reorganise", "reassign"}
    covered = {word for case in CASES for word in case.argv if word in commands}
    assert covered == commands
    assert len({case.id for case in CASES}) == len(CASES)


# --- running ----------------------------------------------------------------------------------

@pytest.fixture
def home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("INSPECT_TUI_HOME", str(home))
    monkeypatch.chdir(home)
    return home


@pytest.fixture
def db_path(seeded_sqlite, tmp_path):
    return tmp_path / "t.sqlite3"  # the copy the `seeded_sqlite` fixture bound


def dump(path: Path) -> dict:
    """Row counts per table, the last change-log id, and a digest of every row."""
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        state = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
        state["change_log max id"] = conn.execute("SELECT max(id) FROM change_log").fetchone()[0]
        state["digest"] = hashlib.sha256("\n".join(conn.iterdump()).encode()).hexdigest()
        return state
    finally:
        conn.close()


def fill(value, home: Path, db: Path):
    if isinstance(value, bytes):
        return value
    return value.replace("{db}", str(db)).replace("{home}", str(home))


def run(capsys, argv):
    """main(argv) in-process: (exit code, stdout, stderr), stderr both from the
    error console and from anything written to sys.stderr (argparse, excel)."""
    out, err = StringIO(), StringIO()
    try:
        code = cli.main(list(argv), console=Console(file=out, width=100),
                        err=Console(file=err, width=100))
    except SystemExit as exc:  # usage errors
        code = exc.code
    captured = capsys.readouterr()
    return code, out.getvalue() + captured.out, err.getvalue() + captured.err


@pytest.mark.parametrize("case", [case.param() for case in CASES])
def test_hostile_input_is_one_line_and_changes_nothing(case, home, db_path, monkeypatch, capsys):
    for name, content in case.files.items():
        target = home / name
        content = fill(content, home, db_path)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, "utf-8")
    for name, value in case.env.items():
        monkeypatch.setenv(name, fill(value, home, db_path))
    argv = [fill(a, home, db_path) for a in case.argv]
    before = dump(db_path)

    code, out, err = run(capsys, argv)

    allowed = case.code if isinstance(case.code, tuple) else (case.code,)
    assert code in allowed, (code, out, err)
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    line = lines[0]
    assert "Traceback" not in out + err
    assert "\x1b" not in out + err
    for text in case.mentions:
        assert text in line, line
    if not case.english:
        assert not any(word in line for word in ENGLISH_ONLY), line
    assert dump(db_path) == before
    if case.id.startswith("demo-") and case.id != "demo-over-the-database":
        assert not (home / "d.sqlite3").exists()


# --- echoed text ----------------------------------------------------------------------------------

@pytest.mark.parametrize("argv, stream", [
    (db("search", "zz" + ESC), "out"),  # "Không tìm thấy …"
    (db("overdue", "--unit", "zz" + ESC), "err"),  # unknown unit "…"
    (db("overdue", "--unit", "so\x9b2J"), "err"),  # an 8-bit CSI in the echoed text
    (db("--today", "1/1/2025" + ESC, "units"), "err"),  # a usage error echoes the value
    (db("units", "--on", ESC), "err"),
    (("--db", "{home}/x" + ESC + ".sqlite3", "where"), "out"),
    pytest.param(("demo", "--out", "{home}/d" + ESC + ".sqlite3", "--today", "23/11/2026"), "out",
                 marks=pytest.mark.slow),  # a demo build
    (db("export", "--unit", "zz" + ESC, "--out", "{home}/r.xlsx"), "err"),
    (db("template", "--out", "{home}/no" + ESC + "/t.xlsx"), "err"),
    (db("import", "{home}/x" + ESC + ".xlsx"), "out"),
])
def test_echoed_text_carries_no_escape_sequences(argv, stream, home, db_path, capsys):
    code, out, err = run(capsys, [fill(a, home, db_path) for a in argv])
    shown = out if stream == "out" else err
    assert shown.strip()
    assert "\x1b" not in out + err and "\x9b" not in out + err and "\x07" not in out + err
    assert "\\x1b" in shown or "\\x9b" in shown  # shown, harmlessly, as its escape
    assert "Traceback" not in out + err


def test_search_none_shows_the_text_escaped(home, db_path, capsys):
    code, out, err = run(capsys, [fill(a, home, db_path) for a in db("search", "zz" + ESC)])
    assert code == 0 and err == ""
    assert out.strip() == 'Không tìm thấy "zz\\x1b[31m\\x1b]0;owned\\x07".'


# --- the unit resolver behind --unit ------------------------------------------------------------------

def test_ambiguous_unit_lists_five_codes_then_an_ellipsis(home, db_path, capsys):
    from inspect_tui.store import db as store
    from inspect_tui.rules import units
    from inspect_tui.rules.errors import DomainError

    store.connect(str(db_path))
    with pytest.raises(DomainError) as info:
        units.resolve("so")
    store.close()
    message = info.value.message()
    n = info.value.values["n"]
    assert n > 5
    codes = info.value.values["codes"].split(", ")
    assert len(codes) == 6 and codes[-1] == "…"
    assert message == f"“so” khớp {n} đơn vị: {', '.join(codes)} — hãy ghi mã đơn vị."


@pytest.mark.parametrize("typed", ["SNV", "snv", " Snv ", "Sở Nội vụ", "so noi vu", "SỞ NỘI VỤ", "noi vu"])
def test_one_unit_by_code_any_case_or_by_name_with_or_without_diacritics(typed, home, db_path, capsys):
    from inspect_tui.store import db as store
    from inspect_tui.rules import units

    store.connect(str(db_path))
    try:
        assert units.resolve(typed).code == "SNV"
    finally:
        store.close()
    code, out, err = run(capsys, [fill(a, home, db_path) for a in db("overdue", "--unit", typed)])
    assert code == 0 and err == "", err


def test_search_rule_refuses_an_over_limit_text_for_the_tui_too(seeded_sqlite):
    from inspect_tui.rules import search
    from inspect_tui.rules.errors import DomainError

    assert search.search("   ") == []  # typing has just begun
    with pytest.raises(DomainError) as info:
        search.search(LONG)
    assert info.value.key == "too_long"
