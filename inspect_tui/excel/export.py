"""The status workbook for Sở Nội vụ: summary, visits, findings and tasks,
the 2026-2030 solutions and the indicators, written in streaming mode so
memory stays flat however many tasks there are.

Everything in it is as of its report date (`today`): the unit responsible
for each task then, the milestones as known then, the indicator values of
periods ended by then (rules/asof.py). Its formulas carry the values the
program computed as their cached results (excel/cached.py)."""
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook

from inspect_tui.excel import cached, saving
from inspect_tui.excel.safety import Sanitiser
from inspect_tui.excel.sheets import findings, indicators, summary, visits, workplan
from inspect_tui.excel.sheets.context import Context
from inspect_tui.excel.styles import Letterhead, use_body_font
from inspect_tui.locale import t
from inspect_tui.rules import exchange
from inspect_tui.rules.limits import check_year
from inspect_tui.excel.errors import ExcelError

OTHER_STEPS = 4  # summary, visits, work plan, indicators


@dataclass
class ExportResult:
    path: Path
    rows: int  # rows on the findings-and-tasks sheet(s)
    visits: int
    sheets: list[str]
    checks: dict[str, object]  # summary cell -> value the program computed
    stripped: int  # texts that lost characters the xlsx format cannot hold
    neutralised: int  # texts starting with = + - @ kept as text
    truncated: int = 0  # texts cut to Excel's 32,767 characters
    tally: findings.Tally | None = field(default=None, repr=False)
    truncations: list = field(default_factory=list)  # (sheet, cell, characters cut), the first few

    @property
    def changes(self) -> int:
        return self.stripped + self.truncated


def default_name(today: dt.date, year: int | None = None, unit: str | None = None,
                 lang: str = "vi") -> str:
    """bao-cao-cchc-2025-ngay-2025-05-06.xlsx (what, which year, as of when)."""
    scope = str(year) if year else t("excel.file.all_years", lang=lang)
    if unit:
        scope += "-" + re.sub(r"[^A-Za-z0-9_-]+", "-", unit).strip("-").lower()
    return t("excel.file.status", lang=lang, scope=scope, day=today.isoformat())


def export_status_workbook(path, today: dt.date, year: int | None = None, unit: str | None = None,
                           lang: str = "vi", progress: Callable[[int, int], None] | None = None,
                           letterhead: Letterhead | None = None,
                           create_folder: bool = True) -> ExportResult:
    """Write the status workbook whole at `path` (a .xlsx file). Arguments are
    checked before any work: the year, the unit, the target and its folder,
    which is created if missing only when `create_folder` (the default export
    folder); a refusal is an ExcelError or DomainError and nothing is written."""
    if year is not None:
        year = check_year(year)
    if unit:
        from inspect_tui.rules import units
        unit = units.get(unit).code  # a clear error for an unknown code
    path = saving.check_file(path, create_folder)
    ctx = Context(today, year, unit, lang, letterhead or Letterhead(), Sanitiser(), progress)
    rows_total = exchange.count_rows(year, unit, today)
    parts = findings.part_titles(t("excel.sheet.tasks", lang=lang), rows_total)
    if len(parts) > findings.MAX_PARTS:
        raise ExcelError("too_many_rows", rows=rows_total, limit=findings.capacity())
    ctx.total_steps = rows_total + OTHER_STEPS
    wb = Workbook(write_only=True)
    use_body_font(wb)
    try:
        ws_summary = wb.create_sheet(t("excel.sheet.summary", lang=lang))
        ws_visits = wb.create_sheet(t("excel.sheet.visits", lang=lang))
        ws_tasks = [wb.create_sheet(title) for title in parts]
        ws_plan = wb.create_sheet(t("excel.sheet.workplan", lang=lang))
        ws_ind = wb.create_sheet(t("excel.sheet.indicators", lang=lang))
        visit_rows = visits.write(ws_visits, ctx)
        tally = findings.write(ws_tasks, ctx, rows_total)
        workplan.write(ws_plan, ctx)
        indicators.write(ws_ind, ctx)
        checks = summary.write(ws_summary, ctx, visit_rows, tally)
        _set_properties(wb, ctx)
        path = saving.save(wb, path, create_folder,
                           write=lambda target: cached.save(wb, target, ctx.cached))
    except BaseException:
        saving.discard(wb)  # no half-written sheet streams left behind
        raise
    return ExportResult(path, tally.rows, len(visit_rows), [ws.title for ws in wb.worksheets], checks,
                        ctx.sanitiser.stripped, ctx.sanitiser.neutralised, ctx.truncated, tally,
                        ctx.truncations)


def _set_properties(wb: Workbook, ctx: Context) -> None:
    wb.properties.title = ctx.t("excel.summary.title")
    wb.properties.creator = ctx.letterhead.agency
    wb.properties.language = ctx.lang
