"""An empty workbook for recording one round of visits, their findings and
remediation tasks in Excel, so teams that take notes in Excel never retype.

Sheets: the plan (one row), visits, findings, tasks (rows tied together by
short keys the team chooses, e.g. KT1 and KT1-1), a list of unit codes,
areas and severities with drop-downs pointing at it, and a hidden sheet that
marks the file as this template.
"""
import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from inspect_tui.excel import limits, saving
from inspect_tui.excel.styles import SheetWriter, page_setup, set_widths
from inspect_tui.locale import t
from inspect_tui.rules import units
from inspect_tui.rules.vocab import AREAS, PLAN_KINDS, SEVERITIES

FORMAT = "inspect-tui/record/1"
HEADER_ROW = 4
ROWS_WITH_LISTS = 1000  # rows that get drop-downs and date checks
SHEETS = {  # sheet key -> (column keys, widths, date columns)
    "plan": (("year", "number", "issued_on", "kind"), [10, 20, 14, 18], ("issued_on",)),
    "visits": (("visit_key", "unit", "held_on", "minutes_ref", "notice_number", "notice_date",
                "assessment"), [12, 14, 14, 22, 18, 14, 50], ("held_on", "notice_date")),
    "findings": (("visit_key", "finding_key", "area", "severity", "description", "recommendation"),
                 [12, 12, 30, 14, 50, 40], ()),
    "tasks": (("finding_key", "description", "responsible", "assignee", "due_on"),
              [12, 50, 18, 22, 14], ("due_on",)),
}
SHEET_TITLE = {"plan": "plan", "visits": "record_visits", "findings": "record_findings",
               "tasks": "record_tasks"}


def title(key: str, lang: str) -> str:
    return t(f"excel.sheet.{SHEET_TITLE[key]}", lang=lang)


def heading(sheet: str, column: str, lang: str) -> str:
    return t(f"excel.record.{sheet}.{column}", lang=lang)


def write_template(path, today: dt.date, lang: str = "vi", create_folder: bool = True) -> Path:
    """Write the template whole at `path` (a .xlsx file; its folder is created
    if missing only when `create_folder`)."""
    path = saving.check_file(path, create_folder)
    wb = Workbook()
    wb.remove(wb.active)
    lists = _lists(wb, today, lang)
    for key, (columns, widths, dates) in SHEETS.items():
        ws = wb.create_sheet(title(key, lang), index=len(wb.sheetnames) - 1)
        set_widths(ws, widths)
        page_setup(ws, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")
        w = SheetWriter(ws)
        w.line(t(f"excel.record.{key}.title", lang=lang).upper(), "title", 1, len(columns), height=22)
        w.line(t(f"excel.record.{key}.help", lang=lang), "note", 1, len(columns), height=45)
        w.blank()
        w.append([w.cell(heading(key, c, lang), "head") for c in columns], height=32)
        ws.freeze_panes = f"A{HEADER_ROW + 1}"
        last = HEADER_ROW + (1 if key == "plan" else ROWS_WITH_LISTS)
        for c in dates:
            _date_check(ws, columns.index(c) + 1, last, lang)
        for c, source in (("area", "areas"), ("severity", "severities"), ("kind", "kinds"),
                          ("unit", "units"), ("responsible", "units")):
            if c in columns:
                _list_check(ws, columns.index(c) + 1, last, lists[source])
        for row in range(HEADER_ROW + 1, last + 1):
            for col, c in enumerate(columns, 1):
                ws.cell(row=row, column=col).number_format = "dd/mm/yyyy" if c in dates else "@"
    meta = wb.create_sheet(t("excel.sheet.meta", lang=lang))
    for i, (k, v) in enumerate((("format", FORMAT), ("lang", lang), ("written", today.isoformat())), 1):
        meta.cell(row=i, column=1, value=k)
        meta.cell(row=i, column=2, value=v)
    meta.sheet_state = "hidden"
    return saving.save(wb, path, create_folder)


def _lists(wb, today, lang) -> dict[str, str]:
    """The reference sheet; returns list name -> range for drop-downs."""
    ws = wb.create_sheet(t("excel.sheet.lists", lang=lang))
    set_widths(ws, [14, 50, 4, 50, 4, 18, 4, 18])
    w = SheetWriter(ws)
    w.append([w.cell(x, "head") for x in (t("column.code", lang=lang), t("column.name", lang=lang))]
             + [None, w.cell(t("column.area", lang=lang), "head"), None,
                w.cell(t("excel.record.findings.severity", lang=lang), "head"), None,
                w.cell(t("excel.record.plan.kind", lang=lang), "head")])
    roster = units.roster(on=today)
    columns = [[(u.code, u.name) for u in roster], [t(f"area.{a}", lang=lang) for a in AREAS],
               [t(f"severity.{s}", lang=lang) for s in SEVERITIES],
               [t(f"plan_kind.{k}", lang=lang) for k in PLAN_KINDS]]
    height = max(len(c) for c in columns)
    for i in range(height):
        row = []
        row += [w.cell(*([columns[0][i][0]] if i < len(columns[0]) else [None]), "text"),
                w.cell(columns[0][i][1] if i < len(columns[0]) else None, "text")]
        for values in columns[1:]:
            row += [None, w.cell(values[i] if i < len(values) else None, "text")]
        w.append(row)
    sheet = quote_sheetname(ws.title)

    def span(col, n):
        letter = get_column_letter(col)
        return f"{sheet}!${letter}$2:${letter}${max(2, n + 1)}"
    return {"units": span(1, len(columns[0])), "areas": span(4, len(columns[1])),
            "severities": span(6, len(columns[2])), "kinds": span(8, len(columns[3]))}


def _list_check(ws, col: int, last: int, source: str) -> None:
    dv = DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=False)
    letter = get_column_letter(col)
    dv.add(f"{letter}{HEADER_ROW + 1}:{letter}{last}")
    ws.add_data_validation(dv)


def _date_check(ws, col: int, last: int, lang: str) -> None:
    dv = DataValidation(type="date", operator="between", formula1=str(limits.SERIAL_MIN),
                        formula2=str(limits.SERIAL_MAX),
                        allow_blank=True, showErrorMessage=True,
                        errorTitle=t("excel.unit.date_error_title", lang=lang),
                        error=t("excel.unit.date_error", lang=lang))
    letter = get_column_letter(col)
    dv.add(f"{letter}{HEADER_ROW + 1}:{letter}{last}")
    ws.add_data_validation(dv)
