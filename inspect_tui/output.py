"""Command-line output in three formats.

`table` is for people: Rich tables, Vietnamese labels, 1.585 and 06/5/2025.
`csv` and `json` are for machines: stable English keys, ISO dates, plain
numbers, stored codes.
"""
import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from decimal import Decimal

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from inspect_tui.locale import formats, t

FORMATS = ("table", "csv", "json")


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
    table = Table(title=escape(title), caption=caption, show_lines=False, header_style="bold")
    for c in columns:
        # A column of numbers is as wide as its longest heading word: names get the room.
        narrow = max(map(len, c.label.split()), default=1) if c.justify == "right" else None
        table.add_column(c.label, justify=c.justify, overflow="fold", no_wrap=c.no_wrap,
                         max_width=narrow and max(narrow, 7))
    for r in rows:
        # Text(), not str: what people typed ("[1]", "[b]") is shown as typed, never as markup.
        table.add_row(*[Text(c.shown(r.get(c.key)) if c.shown else _human(r.get(c.key)))
                        for c in columns])
    console.print(table)


def counts_table(console: Console, title: str, label: str, pairs: list[tuple[str, int]],
                 total_label: str) -> None:
    """A two-column table of counts with a total row."""
    console.print(f"[bold]{title}[/bold]")
    table = Table(header_style="bold")
    table.add_column(label)
    table.add_column(t("column.count"), justify="right")
    for name, n in pairs:
        table.add_row(Text(name), formats.number(n))
    table.add_row(f"[bold]{total_label}[/bold]", f"[bold]{formats.number(sum(n for _, n in pairs))}[/bold]")
    console.print(table)
