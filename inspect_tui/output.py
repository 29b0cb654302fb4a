"""Command-line output in three formats.

`table` is for people: Rich tables, Vietnamese labels, 1.585 and 06/5/2025.
`csv` and `json` are for machines: stable English keys, ISO dates, plain
numbers, stored codes.

`emit` prints a list it is given; `stream` writes rows as they come (a
million overdue tasks), in constant memory: csv and json row by row, the
table with fixed column widths (a Rich table measures every row first).
Rich is imported only when something is printed: `--help` stays quick.
"""
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from inspect_tui.locale import formats, t

FORMATS = ("table", "csv", "json")
# The patterns below are compiled when first used (eleven compiled at import
# would cost `--help` a few milliseconds for nothing), and kept here: re's own
# cache costs a microsecond a call, for every cell of a million rows.
_compiled = cache(re.compile)

# What must never reach a terminal as typed: C0 controls (ESC starts an escape
# sequence), DEL, C1 controls (0x9B is an 8-bit CSI), the bidirectional
# overrides that reorder what is shown, and lone surrogates (undecodable bytes
# in argv), which no terminal encoding can write.
_UNSAFE = r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
_UNSAFE_KEEPING_LINES = (r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e"
                         r"\u2066-\u2069\ud800-\udfff]")


def clean(text, keep_lines: bool = False) -> str:
    """`text` safe to echo to a terminal: every control character is shown as
    its escape (ESC as \\x1b, a newline as \\n), so typed or stored text can
    neither move the cursor, recolour, retitle the terminal nor break the
    one-line error. `keep_lines` keeps newlines and tabs (a table cell).
    Rich's escape() is still needed for markup; this is about the terminal."""
    pattern = _UNSAFE_KEEPING_LINES if keep_lines else _UNSAFE
    return _compiled(pattern).sub(lambda m: ascii(m.group())[1:-1], str(text))


# argparse's own messages (English), read back into the user's language.
_ARGPARSE = [
    (r"^invalid choice: (?P<value>.*) \(choose from (?P<choices>.*)\)$", "invalid_choice"),
    (r"^invalid \S+ value: (?P<value>.*)$", "invalid_value"),
    (r"^expected one argument$", "expected_one"),
    (r"^expected at least one argument$", "expected_some"),
    (r"^the following arguments are required: (?P<names>.*)$", "required"),
    (r"^unrecognized arguments: (?P<names>.*)$", "unrecognized"),
    (r"^ambiguous option: (?P<option>\S+) could match (?P<matches>.*)$", "ambiguous"),
]
_ARGUMENT = r"(?s)^argument (?P<name>[^:]+): (?P<message>.*)$"


def _usage_message(message: str) -> str:
    argument = _compiled(_ARGUMENT).match(message)
    if argument:
        name, inner = argument["name"], _usage_message(argument["message"])
        # our own checks already name the option ("... ở trường --today ...")
        named = re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", inner)
        return inner if named else t("cli.usage.argument", name=name, message=inner)
    for pattern, key in _ARGPARSE:
        found = _compiled(pattern).match(message)
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
    width: int | None = None  # a streamed table's fixed width for the column (None: a share of the rest)


def _plain(value):
    if value is None or isinstance(value, (str, int, float)):  # most values: as they are
        return value
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


def emit(console, fmt: str, title: str, columns: list[Column], rows: list[dict],
         caption: str = "") -> None:
    if fmt in ("csv", "json"):
        stream(console, fmt, title, columns, rows)
        return
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

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


def counts_table(console, title: str, label: str, pairs: list[tuple[str, int]],
                 total_label: str) -> None:
    """A two-column table of counts with a total row."""
    from rich.table import Table
    from rich.text import Text

    console.print(f"[bold]{title}[/bold]")
    table = Table(header_style="bold")
    table.add_column(label)
    table.add_column(t("column.count"), justify="right")
    for name, n in pairs:
        table.add_row(Text(clean(name)), formats.number(n))
    table.add_row(f"[bold]{total_label}[/bold]", f"[bold]{formats.number(sum(n for _, n in pairs))}[/bold]")
    console.print(table)


# --- streamed output: rows as they come, constant memory ---------------------------------

FLUSH_EVERY = 500  # rows between flushes: the first lines reach a pipe at once, later ones in blocks


def stream(console, fmt: str, title: str, columns: list[Column], rows, caption=None) -> int:
    """Write `rows` (any iterable of dicts) as they come; returns how many.
    csv and json are the text `emit` writes for the same list; the table is
    `title`, a header, the rows in fixed-width columns and `caption(n)`."""
    if fmt == "json":
        return _stream_json(console.file, columns, rows)
    if fmt == "csv":
        return _stream_csv(console.file, columns, rows)
    return _stream_table(console, title, columns, rows, caption)


def _stream_json(out, columns, rows) -> int:
    """The same text as json.dumps(list, indent=2), one row at a time. A row
    of plain values is put together from each value's JSON (json's indented
    encoder is pure Python, five times slower); any other goes through it."""
    import json

    scalar = json.JSONEncoder(ensure_ascii=False).encode
    names = [scalar(c.key) for c in columns]
    n = 0
    for row in rows:
        values = [_plain(row.get(c.key)) for c in columns]
        if all(type(v) in _SCALARS for v in values):
            item = "{\n    " + ",\n    ".join(f"{k}: {scalar(v)}" for k, v in zip(names, values)) + "\n  }"
            if not values:
                item = "{}"
        else:
            item = json.dumps(dict(zip((c.key for c in columns), values)), ensure_ascii=False, indent=2,
                              default=str).replace("\n", "\n  ")
        out.write(("," if n else "[") + "\n  " + item)
        n += 1
        if n % FLUSH_EVERY == 1:
            out.flush()
    out.write("\n]\n" if n else "[]\n")
    return n


_SCALARS = frozenset((str, int, float, bool, type(None)))


def _stream_csv(out, columns, rows) -> int:
    import csv

    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.key for c in columns])
    keys = [c.key for c in columns]
    n = 0
    for row in rows:  # csv writes None as "" and str, int, float as they are
        writer.writerow([v if type(v) in _SCALARS else _plain(v) for v in map(row.get, keys)])
        n += 1
        if n % FLUSH_EVERY == 1:
            out.flush()
    return n


GAP = "  "  # between the columns of a streamed table
MIN_SHARE = 14  # the least a column without a fixed width gets (the fixed ones give way down to 6)


def column_widths(columns: list[Column], total: int) -> list[int]:
    """Fixed widths for a streamed table `total` cells wide: the columns
    with a `width` keep it (the widest give way first when the rest would
    get under MIN_SHARE), the others share what is left equally."""
    widths = [c.width for c in columns]
    flexible = [i for i, w in enumerate(widths) if w is None]
    room = total - len(GAP) * (len(columns) - 1)

    def share():
        fixed = sum(w for w in widths if w is not None)
        return (room - fixed) // len(flexible) if flexible else room - fixed

    while flexible and share() < MIN_SHARE:
        shrinkable = [i for i, w in enumerate(widths)
                      if w is not None and w > 6 and not columns[i].no_wrap]
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda i: widths[i])
        widths[widest] -= 1
    each = max(share(), 4)
    spare = max(room - sum(w for w in widths if w is not None) - each * len(flexible), 0)
    for i in flexible:
        widths[i] = each
    if flexible:  # the remainder of the division goes to the last flexible column
        widths[flexible[-1]] += spare
    return [max(w, 1) for w in widths]


# Characters one cell wide each (ASCII, Latin with Vietnamese, Greek, Cyrillic,
# dashes and quotes): a text of only these is as wide as it is long, which
# spares measuring each character (rich.cells) for almost every cell.
_NOT_ONE_CELL = ("[^\x20-\x7e\u00a0-\u02ff\u0370-\u0482\u1e00-\u1eff\u2010-\u2027"
                 "\u2030-\u205e\u20a0-\u20bf]")


def _cells(text: str) -> int:
    if _compiled(_NOT_ONE_CELL).search(text) is None:
        return len(text)
    from rich.cells import cell_len

    return cell_len(text)


def _wrap(text: str, width: int) -> list[str]:
    """`text` folded into lines of at most `width` cells, at spaces where it
    can (a word longer than the column is cut)."""
    lines = []
    for paragraph in text.replace("\t", " ").split("\n"):
        if _cells(paragraph) <= width:
            lines.append(paragraph)
            continue
        if _compiled(_NOT_ONE_CELL).search(paragraph) is not None:  # wide or combining characters: by cells
            from rich.cells import chop_cells

            lines += chop_cells(paragraph, width) or [""]
            continue
        while len(paragraph) > width:  # one cell a character: cut at the last space that fits
            cut = paragraph.rfind(" ", 0, width + 1)
            if cut <= 0:  # a word longer than the column
                lines.append(paragraph[:width])
                paragraph = paragraph[width:]
            else:
                lines.append(paragraph[:cut])
                paragraph = paragraph[cut + 1:]
        lines.append(paragraph)
    return lines


class _Grid:
    """Rows of cells as fixed-width lines."""

    def __init__(self, columns: list[Column], total: int):
        self.columns = columns
        self.widths = column_widths(columns, total)
        self.right = [c.justify == "right" for c in columns]

    def lines(self, cells: list[str]) -> list[str]:
        sizes = [_cells(c) for c in cells]
        if all(n <= w for n, w in zip(sizes, self.widths)) and not any("\n" in c or "\t" in c for c in cells):
            # the common case: every cell fits on one line
            return [GAP.join([" " * (w - n) + c if r else c + " " * (w - n)
                              for c, n, w, r in zip(cells, sizes, self.widths, self.right)]).rstrip()]
        parts = [((c, n),) if n <= w and "\n" not in c and "\t" not in c
                 else tuple((line, _cells(line)) for line in _wrap(c, w))
                 for c, n, w in zip(cells, sizes, self.widths)]
        out = []
        for k in range(max(map(len, parts))):
            line = []
            for cell, width, right in zip(parts, self.widths, self.right):
                text, size = cell[k] if k < len(cell) else ("", 0)
                line.append(" " * (width - size) + text if right else text + " " * (width - size))
            out.append(GAP.join(line).rstrip())
        return out


def _stream_table(console, title: str, columns: list[Column], rows, caption) -> int:
    from rich.markup import escape
    from rich.text import Text

    grid = _Grid(columns, console.width)
    out = console.file
    if title:
        console.print(f"[bold]{escape(clean(title))}[/bold]", highlight=False, soft_wrap=True)
    for line in grid.lines([clean(c.label) for c in columns]):
        console.print(Text(line, style="bold"), highlight=False, soft_wrap=True)
    console.print("─" * min(sum(grid.widths) + len(GAP) * (len(columns) - 1), console.width),
                  highlight=False, soft_wrap=True)
    out.flush()
    n = 0
    for row in rows:
        cells = [clean(c.shown(row.get(c.key)) if c.shown else _human(row.get(c.key)), keep_lines=True)
                 for c in columns]
        out.write("\n".join(grid.lines(cells)) + "\n")
        n += 1
        if n % FLUSH_EVERY == 1:
            out.flush()
    if caption is not None:
        console.print(escape(clean(caption(n))), highlight=False, soft_wrap=True)
    return n
