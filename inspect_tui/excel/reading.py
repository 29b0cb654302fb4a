"""Reading what people send back, shared by every import: the one problem
collector, the normalising of cell values (text in composed Unicode, dates
typed as text or as Excel day numbers, numbers stored as text), the one
label -> code map, the one heading -> column matcher and the bounded row reader.

Nothing here trusts the sheet: rows are read between bounds the caller gives
(never up to the dimension a sheet claims), and each cell is held to the
limits of excel/limits.py before its value is used.
"""
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from inspect_tui.excel import limits
from inspect_tui.excel.package import Deadline, Refusal
from inspect_tui.locale import formats, t
from inspect_tui.rules.dates import parse_date
from inspect_tui.rules.errors import DomainError

FIRST_SERIAL, LAST_SERIAL = limits.SERIAL_MIN, limits.SERIAL_MAX
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # tab, newline, return are text


@dataclass
class Problem:
    file: str
    sheet: str
    row: int | None
    column: str
    field: str
    reason: str

    def where(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(self.sheet)
        if self.row:
            parts.append(f"{self.column}{self.row}" if self.column else str(self.row))
        return " / ".join(p for p in parts if p)


class Problems:
    """Every problem of one file: the first PROBLEMS_SHOWN kept, all counted."""

    def __init__(self, file: str):
        self.file = file
        self.shown: list[Problem] = []
        self.count = 0
        self.refused = False  # the file as a whole: none of its rows is read

    def add(self, sheet: str, row: int | None, column, field_: str, reason: str) -> None:
        self.count += 1
        if len(self.shown) < limits.PROBLEMS_SHOWN:
            letter = get_column_letter(column) if isinstance(column, int) and column > 0 else (column or "")
            self.shown.append(Problem(self.file, sheet, row, letter, field_, reason))

    def refuse(self, reason: str) -> None:
        """One line for the whole file, instead of whatever its rows said before."""
        self.refused = True
        self.shown, self.count = [], 0
        self.add("", None, "", "", reason)


# --- text ------------------------------------------------------------------------------------

def nfc(value):
    """Text in composed form (some Vietnamese keyboards type "ạ" as a + dot below)."""
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


def text_key(value) -> str:
    """How a typed label is compared: composed, spaces collapsed, case folded."""
    return " ".join(nfc(show(value)).split()).casefold()


class Labels:
    """The one label -> code map: a code, or its label in either language under
    any of `groups` ("task_status", "area", ...), typed in any case, composed or
    decomposed, with any spacing."""

    def __init__(self, groups, codes):
        self.codes = tuple(codes)
        self._map: dict[str, str] = {}
        for code in self.codes:
            self._map[text_key(code)] = code
            for group in groups:
                for lang in ("en", "vi"):
                    label = t(f"{group}.{code}", lang=lang)
                    if label != f"{group}.{code}":
                        self._map[text_key(label)] = code

    def code(self, value) -> str | None:
        return self._map.get(text_key(value))


def find_sheet(package, titles):
    """The package's worksheet under one of `titles` (excel/sheet_xml.Sheet), or None."""
    names = package.sheetnames
    for title in titles:
        if title in names:
            return package.sheet(title)
    wanted = {text_key(x) for x in titles}
    for title in names:  # a sheet renamed in another case or decomposed
        if text_key(title) in wanted:
            return package.sheet(title)
    return None


def row_values(ws, row: int, last_column: int = limits.CELLS_PER_ROW_MAX) -> list:
    for values in ws.iter_rows(min_row=row, max_row=row, max_col=last_column, values_only=True):
        return list(values)
    return []


def cell_value(ws, row: int, column: int):
    for values in ws.iter_rows(min_row=row, max_row=row, min_col=column, max_col=column,
                               values_only=True):
        return values[0] if values else None
    return None


def match_columns(ws, header_row: int, wanted: dict[str, list[str]]) -> tuple[dict[str, int], list[str]]:
    """The one heading -> column matcher: {key: column number} for the keys whose
    heading (any of its labels) is in `header_row`, and the keys not found."""
    found = {}
    for col, value in enumerate(row_values(ws, header_row), 1):
        if isinstance(value, str) and value.strip():
            found.setdefault(text_key(value), col)
    columns, missing = {}, []
    for key, labels in wanted.items():
        col = next((found[text_key(label)] for label in labels if text_key(label) in found), None)
        if col is None:
            missing.append(key)
        else:
            columns[key] = col
    return columns, missing


@dataclass
class Row:
    """One sheet row as read: values by column key, and the cells refused."""
    sheet: str
    row: int
    values: dict = field(default_factory=dict)
    refused: dict = field(default_factory=dict)  # key -> reason

    def ok(self) -> bool:
        return not self.refused


def read_rows(ws, first_row: int, columns: dict[str, int], deadline: Deadline, lang: str):
    """The non-blank rows from `first_row` to the row limit, each cell normalised
    (text composed and stripped) and held to the limits: a formula, a text longer
    than a cell may hold or one with control characters is refused at its cell."""
    last = max(columns.values())
    keys = sorted(columns, key=columns.get)
    for row_no, cells in enumerate(ws.iter_rows(min_row=first_row, max_row=limits.ROWS_MAX,
                                                max_col=last), first_row):
        deadline.check()
        if all(is_blank(cells[columns[k] - 1]) for k in keys):
            continue
        row = Row(ws.title, row_no)
        for key in keys:
            cell = cells[columns[key] - 1]
            try:
                row.values[key] = _cell(cell, lang)
            except Refusal as refusal:
                row.values[key] = None
                row.refused[key] = refusal.message(lang)
        yield row


def _cell(cell, lang):
    if getattr(cell, "data_type", None) == "f":
        raise Refusal("formula")
    v = cell.value if cell is not None else None
    if isinstance(v, str):
        if len(v) > limits.CELL_CHARS_MAX:
            raise Refusal("cell_too_long", length=formats.number(len(v), lang=lang),
                          limit=formats.number(limits.CELL_CHARS_MAX, lang=lang))
        if _CONTROL.search(v):
            raise Refusal("control_characters")
        v = nfc(v).strip()
        return v or None
    return v


def is_blank(cell) -> bool:
    v = None if cell is None else cell.value
    return v is None or (isinstance(v, str) and not v.strip())


def show(v) -> str:
    """A cell value as text for reports and free-text fields."""
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        v = v.date() if v.time() == dt.time() else v
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def as_int(v) -> int | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, str) and v.strip().isdigit() and len(v.strip()) < 12:
        return int(v.strip())
    return None


def as_date(v, lang: str) -> dt.date | None:
    """A date cell, a date typed as text (06/5/2025, 2025-05-06) or an Excel day
    number, within the days the workbook's own validation accepts (limits.DAY_MIN..DAY_MAX)."""
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, dt.datetime):
        day = v.date()
    elif isinstance(v, dt.date):
        day = v
    elif isinstance(v, (int, float)) and not isinstance(v, bool):
        if not FIRST_SERIAL <= v <= LAST_SERIAL:
            raise Refusal("bad_serial", value=show(v), low=formats.date(limits.DAY_MIN, lang),
                          high=formats.date(limits.DAY_MAX, lang))
        day = from_excel(v).date()
    else:
        try:
            day = parse_date(str(v), "date")
        except DomainError:
            raise Refusal("bad_date", value=show(v)[:40]) from None
    if not limits.DAY_MIN <= day <= limits.DAY_MAX:
        raise Refusal("date_range", value=formats.date(day, lang), low=formats.date(limits.DAY_MIN, lang),
                      high=formats.date(limits.DAY_MAX, lang))
    return day
