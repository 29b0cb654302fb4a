"""What `inspect-tui` imports before it answers: `--help` and the commands
that need neither the app nor a workbook start without Textual, openpyxl,
python-docx or the database driver; a missing Textual is one line, any other
missing module is not hidden."""
import json
import subprocess
import sys
import textwrap

import pytest

from inspect_tui import cli

HEAVY = ("textual", "openpyxl", "docx", "peewee", "psycopg2", "sqlite3")


def python(code: str, home, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code), *map(str, args)],
                          capture_output=True, text=True, cwd=home, timeout=120,
                          env={"INSPECT_TUI_HOME": str(home), "PATH": "/usr/bin:/bin"})


IMPORTED_AFTER = """
    import json, sys
    from inspect_tui import cli
    try:
        cli.main(sys.argv[1:])
    except SystemExit:
        pass
    print(json.dumps(sorted({m.split(".")[0] for m in sys.modules})), file=sys.stderr)
"""


@pytest.mark.parametrize("argv", [("--help",), ("overdue", "--help"), ("summary", "--year", "x"),
                                  ("frobnicate",)])
def test_help_and_usage_errors_import_no_heavy_library(home, argv):
    done = python(IMPORTED_AFTER, home, *argv)
    imported = set(json.loads(done.stderr.strip().splitlines()[-1]))
    assert not imported & set(HEAVY), imported & set(HEAVY)


def test_a_workbook_command_imports_openpyxl_only_when_run(home):
    done = python(IMPORTED_AFTER, home, "template", "--help")
    assert "--out" in done.stdout
    assert "openpyxl" in set(json.loads(done.stderr.strip().splitlines()[-1]))


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_list_of_commands_is_the_same_as_with_every_command_registered(lang):
    from inspect_tui.locale import set_language

    set_language(lang)
    assert cli.build_parser().format_help() == cli.build_parser(whole=True).format_help()


@pytest.mark.parametrize("command, option", [
    ("history", "--since"), ("reorganise", "--holder"), ("reassign", "--to"), ("export", "--per-unit"),
    ("import-progress", "--dry-run"), ("template", "--out"), ("import", "--dry-run"),
    ("notice", "--out"), ("minutes", "--out"), ("remind", "--unit"), ("report", "--year"),
])
def test_each_command_defined_elsewhere_has_its_own_help(home, capsys, command, option):
    for argv in ([command, "--help"], ["--lang", "en", command, "--help"], ["--db", "x.sqlite3", command, "-h"]):
        with pytest.raises(SystemExit) as info:
            cli.main(argv)
        assert info.value.code == 0
        assert option in capsys.readouterr().out


def test_units_actions_are_there_when_units_is_run(home, capsys):
    with pytest.raises(SystemExit):
        cli.main(["units", "export", "--help"])
    assert "--out" in capsys.readouterr().out


@pytest.mark.parametrize("argv, command", [
    ([], None), (["--help"], None), (["overdue"], "overdue"), (["--db", "export", "summary"], "summary"),
    (["--lang", "en", "--today", "01/01/2025", "export", "--year", "2025"], "export"),
    (["--lang=en", "notice", "3"], "notice"), (["--", "report"], "report"),
])
def test_the_command_is_found_before_parsing(argv, command):
    assert cli.command_of(argv) == command


BLOCKING = """
    import sys
    from importlib.abc import MetaPathFinder

    class Block(MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name == sys.argv[1] or name.startswith(sys.argv[1] + "."):
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)

    for name in list(sys.modules):
        if name.startswith(sys.argv[1]):
            del sys.modules[name]
    sys.meta_path.insert(0, Block())
    from inspect_tui import cli
    raise SystemExit(cli.main(["--lang", sys.argv[2]]))
"""


@pytest.mark.parametrize("lang, says", [("vi", "thiếu thư viện Textual"), ("en", "Textual library is missing")])
def test_without_textual_the_app_says_so_in_one_line(home, lang, says):
    done = python(BLOCKING, home, "textual", lang)
    assert done.returncode == 1 and done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1 and says in done.stderr


def test_another_missing_module_is_not_hidden(home):
    done = python(BLOCKING, home, "inspect_tui.ui.keymap", "vi")
    assert done.returncode == 1
    assert "Traceback" in done.stderr and "ImportError" in done.stderr  # a bug shows where it is
    assert "keymap" in done.stderr and "Textual" not in done.stderr
