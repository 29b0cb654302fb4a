"""Sheet 2, Kiểm tra: one row per visit with its counts, then a total row."""
from inspect_tui.excel.sheets import detail
from inspect_tui.excel.sheets.context import FIRST_DATA_ROW, Context, Part
from inspect_tui.rules import inspections

KIND_COL, STATUS_COL = 4, 6
COUNT_COLS = (11, 12, 13)
WIDTHS = [6, 7, 30, 17, 14, 13, 12, 22, 15, 12, 10, 10, 10]


def write(ws, ctx: Context) -> list:
    rows = inspections.visits(ctx.today, year=ctx.year, unit=ctx.unit)
    headings = [ctx.t(f"excel.visits.{k}") for k in (
        "no", "year", "unit", "kind", "plan", "status", "held_on", "leader", "notice_number",
        "notice_date", "findings", "open_tasks", "overdue_tasks")]
    w = detail.start(ws, ctx, ctx.t("excel.visits.title"), headings, WIDTHS)
    for i, v in enumerate(rows, 1):
        w.append([
            w.cell(i, "int"), w.cell(v.year, "year"), w.cell(v.unit_name, "text"),
            w.cell(ctx.label("unit_kind", v.unit_kind), "text"), w.cell(v.plan_number, "text_center"),
            w.cell(ctx.label("visit_status", v.status), "text_center"), w.cell(v.held_on, "date"),
            w.cell(v.leader, "text"), w.cell(v.notice_number, "text_center"),
            w.cell(v.notice_date, "date"), w.cell(v.findings, "int"), w.cell(v.open_tasks, "int"),
            w.cell(v.overdue_tasks, "int")], fit=True)
    last = FIRST_DATA_ROW + len(rows) - 1
    part = Part(ws.title, FIRST_DATA_ROW, max(last, FIRST_DATA_ROW))
    if not rows:
        w.append([w.cell(None, "text") for _ in headings])
    total = [w.cell(ctx.t("column.total"), "total_label")] + [w.cell(None, "total_label") for _ in range(9)]
    sums = (sum(v.findings for v in rows), sum(v.open_tasks for v in rows), sum(v.overdue_tasks for v in rows))
    for col, value in zip(COUNT_COLS, sums):
        total.append(w.formula(f"SUM({part.column(col).split('!')[1]})", "total_int", value=value))
    w.append(total)
    w.merge(1, 10)
    detail.finish(w, ctx, len(headings), part.last)
    ctx.visit_parts = [part]
    ctx.step()
    return rows
