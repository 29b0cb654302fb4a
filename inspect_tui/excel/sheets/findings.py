"""Sheet 3, Tồn tại - Khắc phục: one row per task (a finding without tasks
gets one row of its own), streamed; overdue rows stand out.

"Days overdue" is a formula on the report date, and a hidden column marks
the first row of each finding, so the summary's COUNTIFS/SUMIFS stay right
when someone edits a status. A sheet that would pass Excel's row limit is
continued on "... (2)", "... (3)" and the summary's formulas add the parts.
"""
from array import array
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from openpyxl.formatting.rule import FormulaRule
from openpyxl.utils import get_column_letter

from inspect_tui.excel import styles
from inspect_tui.excel.sheets import detail
from inspect_tui.excel.sheets.context import FIRST_DATA_ROW, REPORT_DATE_NAME, Context, Part
from inspect_tui.rules import exchange
from inspect_tui.rules.vocab import ACTIVE_TASK

EXCEL_MAX_ROWS = 1_048_576
MAX_PARTS = 20  # beyond ~20 million rows a workbook is no longer a sensible way to send data
KEYS = ("task", "year", "visited", "area", "finding", "recommendation", "description", "unit",
        "due_on", "status", "days_overdue", "latest_note", "finding_flag")
COL = {k: i for i, k in enumerate(KEYS, 1)}
STYLES = ("int", "year", "text", "text", "text", "text", "text", "text", "date", "text_center", "int", "text", "int")
WIDTHS = [8, 7, 20, 16, 34, 26, 30, 20, 11.5, 14, 9, 28, 5]


@dataclass
class Tally:
    """What the program counted while writing, to check the workbook's formulas."""
    rows: int = 0
    tasks_by_status: Counter = field(default_factory=Counter)
    findings_by_area: Counter = field(default_factory=Counter)
    overdue_days: array = field(default_factory=lambda: array("q"))  # 8 bytes an overdue task
    units: dict = field(default_factory=dict)  # name -> [overdue, open, max_days, code]

    def add(self, r: exchange.FindingTaskRow) -> None:
        self.rows += 1
        if r.first_of_finding:
            self.findings_by_area[r.area] += 1
        if r.task_id is None:
            return
        self.tasks_by_status[r.status] += 1
        if r.status in ACTIVE_TASK:
            unit = self.units.setdefault(r.unit_name, [0, 0, 0, r.unit_code])
            unit[1] += 1
            if r.days_overdue > 0:
                unit[0] += 1
                unit[2] = max(unit[2], r.days_overdue)
                self.overdue_days.append(r.days_overdue)

    def worst(self, top: int = 10) -> list[tuple[str, int, int, int]]:
        ranked = sorted(((n, o, op, d) for n, (o, op, d, _c) in self.units.items() if o > 0),
                        key=lambda x: (-x[1], -x[3], x[0]))
        return ranked[:top]


def capacity() -> int:
    """Data rows one sheet can hold below its headings."""
    return EXCEL_MAX_ROWS - FIRST_DATA_ROW + 1


def part_titles(base: str, rows: int) -> list[str]:
    parts = max(1, -(-rows // capacity()))
    return [base] + [f"{base[:25]} ({i})" for i in range(2, parts + 1)]


def headings(ctx: Context) -> list[str]:
    return [ctx.t(f"excel.tasks.{k}") for k in KEYS]


def _days_formula(row: int, active_labels: list[str]) -> str:
    return _days_template(tuple(active_labels)).replace("\0", str(row))


@lru_cache(maxsize=8)
def _days_template(active_labels: tuple[str, ...]) -> str:
    """The days-overdue formula with NUL for the row number, built once an export."""
    status = f"{get_column_letter(COL['status'])}\0"
    due = f"{get_column_letter(COL['due_on'])}\0"
    active = ",".join(f'{status}="{label}"' for label in active_labels)
    return f"=IF(AND(OR({active}),{due}<{REPORT_DATE_NAME}),{REPORT_DATE_NAME}-{due},0)"


def write(sheets: list, ctx: Context, rows_total: int) -> Tally:
    """Stream every row into `sheets` (one per part, created by the caller)."""
    active_labels = [ctx.label("task_status", s) for s in ACTIVE_TASK]
    tally = Tally()
    cap = capacity()
    source = exchange.finding_task_rows(ctx.today, ctx.year, ctx.unit)
    writers, rows = [], []
    for ws in sheets:
        w = detail.start(ws, ctx, ctx.t("excel.tasks.title"), headings(ctx), WIDTHS,
                         hidden=(COL["finding_flag"],))
        writers.append(w)
        rows.append(styles.Row(w, STYLES))
    ctx.task_parts = []
    step_every = max(1, rows_total // 50)
    w_index, in_part = 0, 0
    for r in source:
        if in_part == cap:
            _close(writers[w_index], ctx, in_part)
            w_index, in_part = w_index + 1, 0
        w = writers[w_index]
        in_part += 1
        tally.add(r)
        w.append(rows[w_index].fill(_values(ctx, r, FIRST_DATA_ROW + in_part - 1, active_labels)), fit=True)
        if tally.rows % step_every == 0:
            ctx.step(step_every)
    _close(writers[w_index], ctx, in_part)
    for w in writers[w_index + 1:]:
        _close(w, ctx, 0)
    ctx.step(tally.rows % step_every)
    return tally


def _values(ctx: Context, r: exchange.FindingTaskRow, row: int, active_labels: list[str]) -> list:
    """The values of one row, in the columns of KEYS (styled by STYLES)."""
    has_task = r.task_id is not None
    return [r.task_id, r.year, r.visited_name, ctx.label("area_short", r.area), r.finding,
            r.recommendation, r.description, r.unit_name, r.due_on,
            ctx.label("task_status", r.status) if has_task else "",
            styles.Formula(_days_formula(row, active_labels), r.days_overdue) if has_task else 0,
            r.latest_note, 1 if r.first_of_finding else 0]


def _close(w: styles.SheetWriter, ctx: Context, rows: int) -> None:
    if rows == 0:
        w.append([w.cell(None, "text") for _ in KEYS])
    last = FIRST_DATA_ROW + max(rows, 1) - 1
    part = Part(w.ws.title, FIRST_DATA_ROW, last)
    ctx.task_parts.append(part)
    last_col = get_column_letter(len(KEYS) - 1)
    days = get_column_letter(COL["days_overdue"])
    w.ws.conditional_formatting.add(
        f"A{FIRST_DATA_ROW}:{last_col}{last}",
        FormulaRule(formula=[f"${days}{FIRST_DATA_ROW}>0"], fill=styles.OVERDUE_FILL,
                    font=styles.OVERDUE_FONT))
    detail.finish(w, ctx, len(KEYS) - 1, last)
