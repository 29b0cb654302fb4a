"""Command-line output in three formats.

`table` is for people: Rich tables, Vietnamese labels, 1.585 and 06/5/2025.
`csv` and `json` are for machines: stable English keys, ISO dates, plain
numbers, stored codes.
"""
import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass
from decimal import Decimal

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from inspect_tui.locale import formats, t

FORMATS = ("table", "csv", "json")

# What must never reach a terminal as typed: C0 controls (ESC starts an escape
# sequence), DEL, C1 controls (0x9B is an 8-bit CSI), the bidirectional
# overrides that reorder what is shown, and lone surrogates (undecodable bytes
# in argv), which no terminal encoding can write.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_UNSAFE_KEEPING_LINES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e"
                                   r"\u2066-\u2069\ud800-\udfff]")


def clean(text, keep_lines: bool = False) -> str:
    """`text` safe to echo to a terminal: every control character is shown as
    its escape (ESC as \\x1b, a newline as \\n), so typed or stored text can
    neither move the cursor, recolour, retitle the terminal nor break the
    one-line error. `keep_lines` keeps newlines and tabs (a table cell).
    Rich's escape() is still needed for markup; this is about the terminal."""
    pattern = _UNSAFE_KEEPING_LINES if keep_lines else _UNSAFE
    return pattern.sub(lambda m: ascii(m.group())[1:-1], str(text))


# argparse's own messages (English), read back into the user's language.
_ARGPARSE = [
    (re.compile(r"^invalid choice: (?P<value>.*) \(choose from (?P<choices>.*)\)$"), "invalid_choice"),
    (re.compile(r"^invalid \S+ value: (?P<value>.*)$"), "invalid_value"),
    (re.compile(r"^expected one argument$"), "expected_one"),
    (re.compile(r"^expected at least one argument$"), "expected_some"),
    (re.compile(r"^the following arguments are required: (?P<names>.*)$"), "required"),
    (re.compile(r"^unrecognized arguments: (?P<names>.*)$"), "unrecognized"),
    (re.compile(r"^ambiguous option: (?P<option>\S+) could match (?P<matches>.*)$"), "ambiguous"),
]
_ARGUMENT = re.compile(r"^argument (?P<name>[^:]+): (?P<message>.*)$", re.S)


def _usage_message(message: str) -> str:
    argument = _ARGUMENT.match(message)
    if argument:
        name, inner = argument["name"], _usage_message(argument["message"])
        # our own checks already name the option ("... ở trường --today ...")
        named = re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", inner)
        return inner if named else t("cli.usage.argument", name=name, message=inner)
    for pattern, key in _ARGPARSE:
        found = pattern.match(message)
        if found:
            return t(f"cli.usage.{key}", **found.groupdict())
    return message


def usage_line(prog: str, message: str) -> str:
    """A usage error as one line in the user's language, safe for a terminal."""
    return clean(t("cli.usage.line", prog=prog, message=_usage_message(message)))


@dataclass(frozen=True)
class Column:
    key: str  # machine name (csv header, json key)
    label: str  # what people read
    shown: object = None  # value -> text for the table, else the default rendering
    justify: str = "left"
    no_wrap: bool = False


def _plain(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral() else int(value)
    return value


def _human(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else ""
    if isinstance(value, (dt.date, dt.datetime)):
        return formats.date(value)
    if isinstance(value, (int, float, Decimal)):
        return formats.number(value)
    return str(value)


def emit(console: Console, fmt: str, title: str, columns: list[Column], rows: list[dict],
         caption: str = "") -> None:
    if fmt == "json":
        data = [{c.key: _plain(r.get(c.key)) for c in columns} for r in rows]
        console.file.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([c.key for c in columns])
        for r in rows:
            writer.writerow(["" if r.get(c.key) is None else _plain(r.get(c.key)) for c in columns])
        console.file.write(buffer.getvalue())
        return
    table = Table(title=escape(clean(title)), caption=caption, show_lines=False, header_style="bold")
    for c in columns:
        # A column of numbers is as wide as its longest heading word: names get the room.
        narrow = max(map(len, c.label.split()), default=1) if c.justify == "right" else None
        table.add_column(c.label, justify=c.justify, overflow="fold", no_wrap=c.no_wrap,
                         max_width=narrow and max(narrow, 7))
    for r in rows:
        # Text(), not str: what people typed ("[1]", "[b]") is shown as typed, never as markup.
        table.add_row(*[Text(clean(c.shown(r.get(c.key)) if c.shown else _human(r.get(c.key)),
                                   keep_lines=True)) for c in columns])
    console.print(table)


def counts_table(console: Console, title: str, label: str, pairs: list[tuple[str, int]],
                 total_label: str) -> None:
    """A two-column table of counts with a total row."""
    console.print(f"[bold]{title}[/bold]")
    table = Table(header_style="bold")
    table.add_column(label)
    table.add_column(t("column.count"), justify="right")
    for name, n in pairs:
        table.add_row(Text(clean(name)), formats.number(n))
    table.add_row(f"[bold]{total_label}[/bold]", f"[bold]{formats.number(sum(n for _, n in pairs))}[/bold]")
    console.print(table)
