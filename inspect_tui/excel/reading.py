"""Reading workbooks people send back: opening them safely, finding sheets,
and turning cell values (dates typed as text, dates as serial numbers,
numbers stored as text) into plain values. Every import shares these."""
import datetime as dt
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import iterparse

from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.cell_range import CellRange

from inspect_tui.locale import t
from inspect_tui.rules.dates import parse_date
from inspect_tui.rules.errors import DomainError

FIRST_SERIAL, LAST_SERIAL = 36526, 73050  # 01/01/2000 .. 31/12/2099 as Excel day numbers


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


def open_workbook(path: Path, lang: str):
    """(workbook opened read-only, None) or (None, the reason it cannot be read)."""
    if not path.exists():
        return None, t("excel.import.no_file", lang=lang)
    if path.stat().st_size == 0:
        return None, t("excel.import.empty_file", lang=lang)
    if not zipfile.is_zipfile(path):
        return None, t("excel.import.not_workbook", lang=lang)
    try:
        return load_workbook(path, read_only=True, data_only=False), ""
    except Exception as exc:  # openpyxl raises many kinds for a damaged package
        return None, t("excel.import.unreadable", lang=lang, detail=type(exc).__name__)


def find_sheet(wb, titles: list[str]):
    for title in titles:
        if title in wb.sheetnames:
            return wb[title]
    return None


def cell_value(ws, row: int, col: int):
    for values in ws.iter_rows(min_row=row, max_row=row, min_col=col, max_col=col, values_only=True):
        return values[0] if values else None
    return None


def row_values(ws, row: int) -> list:
    for values in ws.iter_rows(min_row=row, max_row=row, values_only=True):
        return list(values)
    return []


def merged_ranges(ws) -> list[CellRange]:
    """Merged ranges of a read-only sheet, read from its XML (openpyxl's
    streaming reader does not keep them)."""
    source = getattr(ws, "_get_source", None)
    if source is None:
        return [CellRange(str(r)) for r in getattr(ws, "merged_cells", [])]
    found = []
    with source() as stream:
        for _event, element in iterparse(stream):
            if element.tag.endswith("}mergeCell"):
                found.append(CellRange(element.get("ref")))
            elif element.tag.endswith("}row"):
                element.clear()
    return found


def value(cell):
    return None if cell is None else cell.value


def is_blank(cell) -> bool:
    v = value(cell)
    return v is None or (isinstance(v, str) and not v.strip())


def is_formula(cell) -> bool:
    return cell is not None and getattr(cell, "data_type", None) == "f"


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
    if isinstance(v, str) and v.strip().isdigit():
        return int(v.strip())
    return None


def as_date(v, field: str) -> dt.date | None:
    """A date cell, a date typed as text (06/5/2025, 2025-05-06) or an Excel day number."""
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        if FIRST_SERIAL <= v <= LAST_SERIAL:
            return from_excel(v).date()
        raise DomainError("bad_date", field=field, value=show(v))
    return parse_date(str(v), field)
