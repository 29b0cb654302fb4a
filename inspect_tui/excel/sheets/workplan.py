"""Sheet 4, Giải pháp 2026-2030: each item with its yearly milestone status
(late milestones shaded) and the milestone notes, as known on the report
date (rules/asof.py: a status recorded after it is not shown)."""
from inspect_tui.excel.sheets import detail
from inspect_tui.excel.sheets.context import Context
from inspect_tui.rules import workplan

WIDTHS = [7, 46, 18, 22] + [13] * len(workplan.YEARS) + [14, 34]


def write(ws, ctx: Context) -> int:
    items = workplan.items(ctx.today, detail=True, as_of=True)
    headings = ([ctx.t("excel.workplan.code"), ctx.t("excel.workplan.title_col"),
                 ctx.t("column.area"), ctx.t("excel.workplan.lead")]
                + [str(y) for y in workplan.YEARS]
                + [ctx.t("column.status"), ctx.t("column.note")])
    w = detail.start(ws, ctx, ctx.t("excel.workplan.title"), headings, WIDTHS)
    for item in items:
        by_year = {m.year: m for m in item.milestones}
        cells = [w.cell(item.code, "text_center"), w.cell(item.title, "text"),
                 w.cell(ctx.label("area_short", item.area), "text"), w.cell(item.lead_name or "", "text")]
        for year in workplan.YEARS:
            m = by_year.get(year)
            if m is None:
                cells.append(w.cell("", "text_center"))
            else:
                label = ctx.label("milestone_status", m.status)
                if m.late:
                    label += " " + ctx.t("excel.workplan.late")
                cells.append(w.cell(label, "late_text" if m.late else "text_center"))
        notes = "\n".join(f"{m.year}: {m.note}" for m in item.milestones if m.note)
        cells += [w.cell(ctx.label("milestone_status", item.status), "text_center"), w.cell(notes, "text")]
        w.append(cells, fit=True)
    if not items:
        w.append([w.cell(None, "text") for _ in headings])
    detail.finish(w, ctx, len(headings), 4 + max(len(items), 1))
    ctx.step()
    return len(items)
