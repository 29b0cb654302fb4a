"""One workbook per unit with its open tasks, to send to the unit and get back.

Only the progress columns (status, new progress note, completion date,
evidence reference) are unlocked; the sheet is protected otherwise and the
status column offers a drop-down of the statuses a unit may report. A key
sheet, "very hidden" (not listed by Excel's Unhide) in a workbook whose
structure is locked, records what the import needs to apply the file safely:
the format, the unit, the export (an id and the time), and for each task its
id, version, sheet row and the values of every column as exported (so edits
to protected columns are detected). All of it is signed with an HMAC whose key
only the database holds (rules.meta.exchange_key): an edited key sheet, a
forged one, or one copied from another unit's file is refused as tampering.
"""
import datetime as dt
import hashlib
import hmac
import json
import re
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from inspect_tui.excel import limits, saving
from inspect_tui.excel.errors import ExcelError
from inspect_tui.excel.safety import Sanitiser
from inspect_tui.excel.styles import SheetWriter, page_setup, set_widths
from inspect_tui.locale import formats, t
from inspect_tui.rules import exchange, meta
from inspect_tui.rules.limits import check_year

FORMAT = "inspect-tui/progress/2"  # signed; /1 files (unsigned) are refused: export again
OLD_FORMATS = ("inspect-tui/progress/1",)
HEADER_ROW = 5
KEYS = ("task", "visited", "area", "finding", "description", "due_on", "latest_note",
        "status", "note", "completed_on", "evidence_ref")
EDITABLE = ("status", "note", "completed_on", "evidence_ref")
WIDTHS = [8, 22, 16, 32, 32, 11.5, 26, 20, 32, 12, 18]
UNIT_STATUSES = ("open", "in_progress", "reported_done")  # what a unit may report


def canon(value) -> str:
    """A value as comparable text: the same for what was written and what is read back."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass
class UnitWorkbook:
    unit: str
    path: Path
    tasks: int


def file_name(unit: str, today: dt.date, lang: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9_-]+", "-", unit).strip("-").lower()
    return t("excel.file.unit", lang=lang, unit=safe, day=today.isoformat())


def export_per_unit(out_dir, today: dt.date, year: int | None = None, lang: str = "vi",
                    exported_at: dt.datetime | None = None, only: str | None = None,
                    progress=None, create_parents: bool = True) -> tuple[list[UnitWorkbook], Sanitiser]:
    """One workbook per unit with open tasks (or only the unit `only`), each
    written whole into `out_dir`. The year, the unit and the folder are checked
    first; the folder is made (its parents too if `create_parents`) only when
    there is a workbook to write, and removed again if the first one fails."""
    if year is not None:
        year = check_year(year)
    if only:
        from inspect_tui.rules import units
        only = units.get(only).code  # a clear error for an unknown code
    out_dir = saving.check_folder(out_dir, create_parents)
    exported_at = exported_at or dt.datetime.now().replace(microsecond=0)
    sanitiser = Sanitiser()
    targets = exchange.units_with_open_tasks(year)
    if only:
        targets = [(c, n) for c, n in targets if c == only]
    written = []
    if not targets:
        return written, sanitiser
    signing_key = meta.exchange_key(create=True)
    created = saving.make_folder(out_dir)
    try:
        for i, (code, name) in enumerate(targets, 1):
            rows = exchange.open_tasks_of(code, year)
            if HEADER_ROW + len(rows) > limits.ROWS_MAX:  # the import would refuse it
                raise ExcelError("unit_too_many_rows", unit=code, n=len(rows),
                                 limit=limits.ROWS_MAX - HEADER_ROW)
            path = out_dir / file_name(code, today, lang)
            write_unit_workbook(path, code, name, rows, today, lang, exported_at, sanitiser, signing_key)
            written.append(UnitWorkbook(code, path, len(rows)))
            if progress:
                progress(i, len(targets))
    except BaseException:
        if not written:
            saving.remove_folders(created)
        raise
    return written, sanitiser


def headings(lang: str) -> list[str]:
    return [t(f"excel.unit.{k}", lang=lang) for k in KEYS]


def write_unit_workbook(path: Path, code: str, name: str, rows: list, today: dt.date, lang: str,
                        exported_at: dt.datetime, sanitiser: Sanitiser, signing_key: bytes | None = None) -> None:
    """The workbook of unit `code` with `rows` (exchange.UnitTaskRow), signed with
    `signing_key` (the database's exchange key when not given)."""
    wb = Workbook()
    ws = wb.active
    ws.title = t("excel.sheet.progress", lang=lang)
    set_widths(ws, WIDTHS)
    page_setup(ws, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")
    w = SheetWriter(ws, sanitiser)
    w.widths = WIDTHS
    n = len(KEYS)
    w.line(t("excel.unit.title", lang=lang).upper(), "title", 1, n, height=22)
    w.line(t("excel.unit.subtitle", lang=lang, unit=name, day=formats.date(today, lang)), "subtitle", 1, n)
    w.line(t("excel.unit.instructions", lang=lang), "note", 1, n, height=32)
    w.blank()
    w.append([w.cell(h, "head") for h in headings(lang)], height=45)
    labels = {s: t(f"task_status.{s}", lang=lang) for s in UNIT_STATUSES}
    originals = []
    for r in rows:
        values = {"task": r.task_id, "visited": f"{r.visited_name}\n{r.notice_number}".strip(),
                  "area": t(f"area_short.{r.area}", lang=lang), "finding": r.finding,
                  "description": r.description, "due_on": r.due_on, "latest_note": r.latest_note,
                  "status": t(f"task_status.{r.status}", lang=lang), "note": "",
                  "completed_on": r.completed_on, "evidence_ref": r.evidence_ref}
        cells = []
        for key in KEYS:
            editable = key in EDITABLE
            style = {"task": "year", "due_on": "date", "completed_on": "edit_date",
                     "status": "edit_center"}.get(key, "edit_text" if editable else "text")
            cells.append(w.cell(values[key], style, locked=not editable))
        w.append(cells, fit=True)
        originals.append((r.task_id, r.version, w.row, [canon(c.value) for c in cells]))
    last = max(w.row, HEADER_ROW + 1)
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    _validations(ws, lang, labels, last)
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # units may widen columns and rows to read
    ws.protection.formatRows = False
    _meta(wb, code, lang, today, exported_at, ws.title, originals,
          signing_key or meta.exchange_key(create=True))
    wb.security = WorkbookProtection(lockStructure=True)  # no unhiding, renaming, adding sheets
    wb.properties.title = t("excel.unit.title", lang=lang)
    saving.save(wb, Path(path))


def _col(key: str) -> str:
    from openpyxl.utils import get_column_letter
    return get_column_letter(KEYS.index(key) + 1)


def _validations(ws, lang: str, labels: dict, last: int) -> None:
    first = HEADER_ROW + 1
    status = DataValidation(type="list", formula1='"' + ",".join(labels.values()) + '"',
                            allow_blank=False, showDropDown=False, showErrorMessage=True,
                            errorTitle=t("excel.unit.status_error_title", lang=lang),
                            error=t("excel.unit.status_error", lang=lang))
    status.add(f"{_col('status')}{first}:{_col('status')}{last}")
    day = DataValidation(type="date", operator="between", formula1=str(limits.SERIAL_MIN),
                         formula2=str(limits.SERIAL_MAX),
                         allow_blank=True, showErrorMessage=True,
                         errorTitle=t("excel.unit.date_error_title", lang=lang),
                         error=t("excel.unit.date_error", lang=lang))
    day.add(f"{_col('completed_on')}{first}:{_col('completed_on')}{last}")
    ws.add_data_validation(status)
    ws.add_data_validation(day)


META_KEYS = ("format", "unit", "exported_at", "today", "lang", "sheet", "header_row", "export_id")
SIGNATURE_ROW = len(META_KEYS) + 1  # "signature" and the HMAC, under the keys
META_TABLE_ROW = 10  # headings of the per-task table on the key sheet
TABLE_COLUMNS = 3 + len(KEYS)  # task_id, version, row, then every column as exported


def comparable(value: str) -> str:
    """Text as it survives a save by Excel or LibreOffice: composed Unicode,
    carriage returns (which Excel may keep as _x000D_) dropped, runs of white
    space as one space. What is signed, and what protected columns are compared by."""
    value = _CARRIAGE.sub("", value or "")
    return unicodedata.normalize("NFC", " ".join(value.split()))


_CARRIAGE = re.compile(r"_x000[dD]_|\r")


def signature(key: bytes, header: list[str], table: list[list[str]]) -> str:
    """HMAC-SHA256 of what the key sheet carries (each value `comparable`)."""
    payload = json.dumps([FORMAT, [comparable(v) for v in header],
                          [[comparable(v) for v in row] for row in table]],
                         ensure_ascii=False, separators=(",", ":"))
    return hmac.new(key, payload.encode("utf-8"), hashlib.sha256).hexdigest()


def _text(value) -> str | None:
    """Every value of the key sheet is written as text (None for empty), so it
    reads back exactly as it was signed."""
    value = canon(value)
    return value or None


def _meta(wb, code, lang, today, exported_at, sheet_title, originals, key: bytes) -> None:
    ws = wb.create_sheet(t("excel.sheet.meta", lang=lang))
    values = (FORMAT, code, exported_at.isoformat(), today.isoformat(), lang, sheet_title, HEADER_ROW,
              uuid.uuid4().hex)
    header = []
    for i, (name, value) in enumerate(zip(META_KEYS, values), 1):
        ws.cell(row=i, column=1, value=name)
        c = ws.cell(row=i, column=2, value=_text(value))
        c.data_type = "s"
        header.append(canon(value))
    for j, name in enumerate(("task_id", "version", "row") + KEYS, 1):
        ws.cell(row=META_TABLE_ROW, column=j, value=name)
    table = []
    for i, (task_id, version, row, canon_values) in enumerate(originals, META_TABLE_ROW + 1):
        texts = [canon(task_id), canon(version), canon(row)] + [canon(v) for v in canon_values]
        for j, value in enumerate(texts, 1):
            c = ws.cell(row=i, column=j, value=value or None)
            c.data_type = "s"
        table.append(texts)
    ws.cell(row=SIGNATURE_ROW, column=1, value="signature")
    ws.cell(row=SIGNATURE_ROW, column=2, value=signature(key, header, table)).data_type = "s"
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True
