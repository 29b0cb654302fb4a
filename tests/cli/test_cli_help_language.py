"""--help speaks the user's language, argparse's own texts included ("usage:",
"options", "show this help message and exit"), for the program and every
command; each option of a command says what it does."""
import pytest

from inspect_tui import cli
from inspect_tui.locale import set_language, t

COMMANDS = ("init", "demo", "where", "units", "overdue", "summary", "search", "backup", "restore",
            "history", "export", "import-progress", "template", "import")


def help_text(capsys, *argv) -> str:
    with pytest.raises(SystemExit) as exit_:
        cli.main(list(argv))
    assert exit_.value.code == 0
    return capsys.readouterr().out


@pytest.fixture(autouse=True)
def _vietnamese(monkeypatch, tmp_path):
    monkeypatch.setenv("INSPECT_TUI_HOME", str(tmp_path))
    monkeypatch.delenv("INSPECT_TUI_LANG", raising=False)
    yield
    set_language("vi")


@pytest.mark.parametrize("command", ("",) + COMMANDS)
def test_help_is_vietnamese_by_default(capsys, command):
    out = help_text(capsys, *([command] if command else []), "--help")
    assert out.startswith("cách dùng: inspect-tui")
    assert "hiện hướng dẫn này rồi thoát" in out and "tùy chọn:" in out
    for english in ("usage:", "show this help message", "options:", "positional arguments"):
        assert english not in out, english
    assert out.count("tùy chọn:") == 1  # the common options join the command's own


def test_every_option_of_the_reading_commands_says_what_it_does(capsys):
    said = {"units": ("cli.help.kind", "cli.help.format"), "overdue": ("cli.help.area", "cli.help.format"),
            "summary": ("cli.help.summary_year", "cli.help.format"), "search": ("cli.help.search_text",)}
    for command, keys in said.items():
        out = " ".join(help_text(capsys, command, "--help").split())
        for key in keys:
            assert t(key) in out, (command, key)


def test_help_in_english_with_lang_en(capsys):
    out = help_text(capsys, "--lang", "en", "overdue", "--help")
    assert out.startswith("usage: inspect-tui overdue")
    assert "show this help message and exit" in out and "only one reform area" in out


def test_a_usage_error_stays_one_vietnamese_line(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["overdue", "--area", "x"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("inspect-tui overdue: lỗi: tham số --area")
