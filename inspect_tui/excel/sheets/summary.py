"""Sheet 1, Tổng hợp: laid out as an official appendix (phụ lục).

Header block, number and place-date lines, title; then visits by unit kind
(with the "45 đơn vị: 25 sở, ngành; ..." sentence), findings by area, tasks
by status, overdue tasks by age, the units with most overdue tasks; then
"Nơi nhận:". Every count is a live COUNTIFS/SUMIFS over the detail sheets,
and the value the program computed for it is kept in `checks`, so a test can
recalculate the workbook elsewhere and compare.
"""
import re

from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.pagebreak import Break

from inspect_tui.excel.sheets.context import REPORT_DATE_NAME, Context, Part
from inspect_tui.excel.sheets import findings, visits
from inspect_tui.excel.styles import SheetWriter, header_block, page_setup, recipients_block, set_widths
from inspect_tui.rules.vocab import ACTIVE_TASK, AREAS, TASK_STATUSES, UNIT_KINDS

WIDTHS = [7, 50, 15, 15, 15, 15]
COLS = len(WIDTHS)
LEFT, RIGHT = (1, 2), (3, 6)
MAIN_KINDS = ("department", "vertical", "district")
OVERDUE_BUCKETS = (("overdue_1_30", 1, 30), ("overdue_31_90", 31, 90), ("overdue_90_plus", 91, None))


def criterion(text: str) -> str:
    """A COUNTIFS criterion matching `text` literally, as a formula string literal."""
    text = re.sub(r"([~*?])", r"~\1", text)
    return '"' + text.replace('"', '""') + '"'


def over(parts: list[Part], fn: str, *pairs) -> str:
    """fn(range, criterion, ...) summed over every part of a split sheet.
    `pairs` are (column number, criterion) with the first item of `fn`'s
    arguments for SUMIFS given as ("sum", column)."""
    terms = []
    for part in parts:
        args = []
        for col, crit in pairs:
            args.append(part.column(col) if crit is None else f"{part.column(col)},{crit}")
        terms.append(f"{fn}({','.join(args)})")
    return "+".join(terms)


class Summary:
    def __init__(self, ws, ctx: Context):
        self.ws, self.ctx = ws, ctx
        self.w = SheetWriter(ws, ctx.sanitiser)
        self.checks: dict[str, object] = {}

    def cell_ref(self, col: str, row: int) -> str:
        return f"{col}{row}"

    def section(self, text: str) -> None:
        self.w.line(text, "section", 1, COLS, height=20)

    def table_head(self, labels: list[str]) -> None:
        w = self.w
        cells = [w.cell(label, "head") for label in labels]
        cells += [w.cell(None, "head") for _ in range(COLS - len(cells))]
        w.append(cells[:COLS], height=32)
        if len(labels) < COLS:
            w.merge(len(labels), COLS)

    def counted_rows(self, items: list[tuple[str, str, int]], share: bool = True) -> tuple[int, int]:
        """Rows of (label, formula, expected); returns (first, last) row numbers."""
        w = self.w
        first = w.row + 1
        total_row = first + len(items)
        for i, (label, formula, expected) in enumerate(items, 1):
            row = w.row + 1
            cells = [w.cell(i, "int"), w.cell(label, "text"), w.formula(formula, "int")]
            if share:
                cells.append(w.formula(f"IF($C${total_row}=0,0,C{row}/$C${total_row})", "percent"))
            cells += [w.cell(None, "text") for _ in range(COLS - len(cells))]
            w.append(cells)
            if share:
                w.merge(4, COLS)
            self.checks[f"C{row}"] = expected
        return first, total_row - 1

    def total_row(self, first: int, last: int, expected: int, share: bool = True) -> int:
        w = self.w
        row = w.row + 1
        cells = [w.cell(self.ctx.t("column.total"), "total_label"), w.cell(None, "total_label"),
                 w.formula(f"SUM(C{first}:C{max(last, first)})" if last >= first else "0", "total_int")]
        if share:
            cells.append(w.formula(f"IF(C{row}=0,0,1)", "total_percent"))
        cells += [w.cell(None, "total_label") for _ in range(COLS - len(cells))]
        w.append(cells)
        w.merge(1, 2)
        if share:
            w.merge(4, COLS)
        self.checks[f"C{row}"] = expected
        return row


def write(ws, ctx: Context, visit_rows: list, tally: findings.Tally) -> dict[str, object]:
    set_widths(ws, WIDTHS)
    page_setup(ws)
    ws.page_setup.fitToHeight = 2  # the appendix is two pages: tables I-II, then III-V and recipients
    s = Summary(ws, ctx)
    w = s.w
    header_block(w, ctx.letterhead, ctx.today, LEFT, RIGHT, ctx.lang)
    w.blank()
    w.line(ctx.t("excel.summary.appendix"), "title", 1, COLS, height=20)
    w.line(ctx.t("excel.summary.title").upper(), "title", 1, COLS, height=40)
    report_date = w.cell(ctx.today, "subtitle")
    report_date.number_format = ctx.scope_format()
    row = w.append([report_date], height=18)
    w.merge(1, COLS)
    ws.parent.defined_names[REPORT_DATE_NAME] = DefinedName(
        REPORT_DATE_NAME, attr_text=f"'{ws.title}'!$A${row}")
    w.blank()

    # I. Visits by the kind of unit visited.
    t = ctx.t
    s.section(t("excel.summary.visits_section"))
    held = ctx.label("visit_status", "held")
    counts = {k: 0 for k in UNIT_KINDS}
    for v in visit_rows:
        if v.status == "held":
            counts[v.unit_kind] += 1
    kinds = [k for k in UNIT_KINDS if k in MAIN_KINDS or counts[k]]
    # The sentence comes first; its counts are the table rows written just below.
    sentence_row = w.row + 1
    first = sentence_row + 2
    refs = {k: f"C{first + i}" for i, k in enumerate(kinds)}
    refs["total"] = f"C{first + len(kinds)}"
    template = t("excel.summary.sentence")
    w.append([w.formula(sentence_formula(template, refs), "sentence")], height=20)
    w.merge(1, COLS)
    expected = {k: f"{counts[k]:02d}" for k in kinds}
    expected["total"] = f"{sum(counts.values()):02d}"
    s.checks[f"A{sentence_row}"] = re.sub(r"\{(\w+)\}", lambda m: expected.get(m.group(1), "00"), template)
    s.table_head([t("excel.summary.no"), t("excel.summary.kind"), t("excel.summary.visits"),
                  t("excel.summary.share")])
    items = [(ctx.label("unit_kind", k),
              over(ctx.visit_parts, "COUNTIFS", (visits.KIND_COL, criterion(ctx.label("unit_kind", k))),
                   (visits.STATUS_COL, criterion(held))),
              counts[k]) for k in kinds]
    first, last = s.counted_rows(items)
    s.total_row(first, last, sum(counts.values()))
    w.blank()

    # II. Findings by reform area.
    s.section(t("excel.summary.findings_section"))
    s.table_head([t("excel.summary.no"), t("column.area"), t("excel.summary.findings"),
                  t("excel.summary.share")])
    flag = findings.COL["finding_flag"]
    area_col = findings.COL["area"]
    items = [(ctx.label("area", a),
              over(ctx.task_parts, "SUMIFS", (flag, None), (area_col, criterion(ctx.label("area_short", a)))),
              tally.findings_by_area.get(a, 0)) for a in AREAS]
    first, last = s.counted_rows(items)
    s.total_row(first, last, sum(tally.findings_by_area.values()))
    w.blank()

    # III. Tasks by status, on the second page so no table is cut in two.
    ws.row_breaks.append(Break(id=w.row))
    s.section(t("excel.summary.tasks_section"))
    s.table_head([t("excel.summary.no"), t("column.status"), t("excel.summary.tasks"),
                  t("excel.summary.share")])
    status_col = findings.COL["status"]
    items = [(ctx.label("task_status", st),
              over(ctx.task_parts, "COUNTIFS", (status_col, criterion(ctx.label("task_status", st)))),
              tally.tasks_by_status.get(st, 0)) for st in TASK_STATUSES]
    first, last = s.counted_rows(items)
    s.total_row(first, last, sum(tally.tasks_by_status.values()))
    w.blank()

    # IV. Overdue tasks by how long they are overdue.
    s.section(t("excel.summary.overdue_section"))
    s.table_head([t("excel.summary.no"), t("excel.summary.bucket"), t("excel.summary.tasks"),
                  t("excel.summary.share")])
    days_col = findings.COL["days_overdue"]
    items = []
    for code, low, high in OVERDUE_BUCKETS:
        pairs = [(days_col, f'">={low}"')] + ([(days_col, f'"<={high}"')] if high else [])
        expected = sum(1 for d in tally.overdue_days if d >= low and (high is None or d <= high))
        items.append((ctx.label("bucket", code), over(ctx.task_parts, "COUNTIFS", *pairs), expected))
    first, last = s.counted_rows(items)
    s.total_row(first, last, len(tally.overdue_days))
    w.blank()

    # V. Units with most overdue tasks.
    s.section(t("excel.summary.worst_section"))
    w.append([w.cell(x, "head") for x in (
        t("excel.summary.no"), t("column.unit"), t("column.overdue"), t("excel.summary.active"),
        t("column.oldest"))] + [w.cell(None, "head")], height=32)
    w.merge(5, 6)
    unit_col = findings.COL["unit"]
    worst = tally.worst()
    for i, (name, overdue, open_, max_days) in enumerate(worst, 1):
        row = w.row + 1
        crit = criterion(name)
        open_formula = "+".join(over(ctx.task_parts, "COUNTIFS", (unit_col, crit),
                                     (status_col, criterion(ctx.label("task_status", st))))
                                for st in ACTIVE_TASK)
        max_formula = over(ctx.task_parts, "_xlfn.MAXIFS", (days_col, None), (unit_col, crit))
        if len(ctx.task_parts) > 1:
            max_formula = "MAX(" + max_formula.replace("+", ",") + ")"
        w.append([w.cell(i, "int"), w.cell(name, "text"),
                  w.formula(over(ctx.task_parts, "COUNTIFS", (unit_col, crit), (days_col, '">0"')), "int"),
                  w.formula(open_formula, "int"), w.formula(max_formula, "int"), w.cell(None, "int")])
        w.merge(5, 6)
        s.checks[f"C{row}"] = overdue
        s.checks[f"D{row}"] = open_
        s.checks[f"E{row}"] = max_days
    if not worst:
        w.line(t("excel.summary.no_overdue"), "note", 1, COLS)

    recipients_block(w, ctx.letterhead, LEFT, RIGHT, ctx.lang)
    ctx.truncated += w.truncated
    ctx.step()
    return s.checks


def sentence_formula(template: str, refs: dict[str, str]) -> str:
    """"{total} đơn vị: {department} sở, ngành; ..." as a formula joining the
    literal text with each count written with two digits (04, 16)."""
    pieces = re.split(r"\{(\w+)\}", template)
    terms = []
    for i, piece in enumerate(pieces):
        if i % 2:
            terms.append(f'TEXT({refs.get(piece, "0")},"00")')
        elif piece:
            terms.append('"' + piece.replace('"', '""') + '"')
    return "=" + "&".join(terms)

