"""Running `inspect-tui` in the test's process, as the command-line tests do."""
from io import StringIO
from types import SimpleNamespace

from rich.console import Console

from inspect_tui import cli


def run(*argv, width: int = 220) -> SimpleNamespace:
    """code, out and err of `inspect-tui ARGV` (a usage error raises SystemExit)."""
    out, err = StringIO(), StringIO()
    code = cli.main([str(a) for a in argv], console=Console(file=out, width=width),
                    err=Console(file=err, width=width))
    return SimpleNamespace(code=code, out=out.getvalue(), err=err.getvalue())


def run_to_exit(*argv) -> SimpleNamespace:
    """As `run`, a usage error's exit code included."""
    try:
        return run(*argv)
    except SystemExit as exc:
        return SimpleNamespace(code=exc.code, out="", err="")


def one_line(text: str) -> str:
    lines = text.strip("\n").split("\n")
    assert len(lines) == 1, text
    return lines[0]
