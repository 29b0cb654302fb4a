"""Sheet 1, Tổng hợp: laid out as an official appendix (phụ lục) under
Nghị định 30/2020/NĐ-CP.

Header block, number and place-date lines, title, the "(Kèm theo Báo cáo số
… ngày … của …)" line and the report date; then visits by unit kind (with
the "45 đơn vị: 25 sở, ngành; ..." sentence), findings by area, tasks by
status, overdue tasks by age, the units with most overdue tasks; then
"Nơi nhận:" and the signature block (title, room to sign, name).

Every count is a live formula over the detail sheets (COUNTIFS, SUMIFS, and
SUMPRODUCT(MAX(...)) for the longest delay, which Excel 2010 reads, unlike
MAXIFS), and carries as its cached result the value the program computed,
also kept in `checks` so a test can recalculate the workbook elsewhere and
compare.

Pages: A4 landscape at a fixed scale (not "fit to page", which makes Excel and
LibreOffice ignore manual page breaks), every row of a set height, and a
manual break before any section that would not fit whole on the rest of its
page, so no heading is left at the foot of a page with its table on the next.
"""
import datetime as dt
import re
from functools import cache

from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.pagebreak import Break

from inspect_tui.excel import styles
from inspect_tui.excel.sheets.context import REPORT_DATE_NAME, Context, Part
from inspect_tui.excel.sheets import findings, visits
from inspect_tui.excel.styles import attached_line, header_block, page_setup, recipients_block, set_widths
from inspect_tui.rules import ageing
from inspect_tui.rules.vocab import ACTIVE_TASK, AREAS, TASK_STATUSES, UNIT_KINDS

WIDTHS = [7, 56, 15, 15, 15, 15]  # B holds the longest area name on one line
COLS = len(WIDTHS)
LEFT, RIGHT = (1, 2), (3, 6)
MAIN_KINDS = ("department", "vertical", "district")
ROW = 15.0  # points: a row of 11 pt Times New Roman (Excel's own default), the same in LibreOffice
GAP = 10.0  # a blank row between sections
TITLE_CHARS = 60  # capitals of 14 pt bold that fit on one line of the landscape page
PAGE_SAFETY = 0.95  # of the page's height: rows print a little taller in some applications


@cache
def overdue_buckets(scan: int = 3650) -> tuple[tuple[str, int, int | None], ...]:
    """rules/ageing's overdue buckets as (code, first day, last day or None) of
    days overdue, for COUNTIFS over the days-overdue column: read off
    `ageing.bucket` itself, so the appendix never holds a second definition."""
    today = dt.date(2050, 1, 1)  # any day: the buckets count days, not dates
    spans: dict[str, list[int]] = {}
    for days in range(1, scan + 1):
        code = ageing.bucket("open", today - dt.timedelta(days=days), today)
        spans.setdefault(code, [days, days])[1] = days
    return tuple((code, low, None if high == scan else high) for code, (low, high) in spans.items())


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
        self.w = ctx.writer(ws)
        self.w.default_height = ROW
        self.w.widths = WIDTHS  # long labels wrap, and their rows are made tall enough
        self.w.heights = []
        self.checks: dict[str, object] = {}
        self.blocks: list[int] = [1]  # first row of each part that must not be cut by a page break

    def keep_together(self) -> None:
        """What follows starts a new part: it moves whole to the next page when
        it does not fit on the rest of this one."""
        self.blocks.append(self.w.row + 1)

    def section(self, text: str) -> None:
        self.keep_together()
        self.w.line(text, "section", 1, COLS, height=20)

    def table_head(self, labels: list[str]) -> None:
        w = self.w
        cells = [w.cell(label, "head") for label in labels]
        cells += [w.cell(None, "head") for _ in range(COLS - len(cells))]
        w.append(cells[:COLS], height=32)
        if len(labels) < COLS:
            w.merge(len(labels), COLS)

    def counted_table(self, label: str, count: str, items: list[tuple[str, str, int]], total: int) -> None:
        """A table of `items` (No., `label`, `count`, share) with its total row, and a gap after."""
        t = self.ctx.t
        self.table_head([t("excel.summary.no"), label, count, t("excel.summary.share")])
        first, last = self.counted_rows(items)
        self.total_row(first, last, total)
        self.w.blank(height=GAP)

    def counted_rows(self, items: list[tuple[str, str, int]], share: bool = True) -> tuple[int, int]:
        """Rows of (label, formula, expected); returns (first, last) row numbers."""
        w = self.w
        first = w.row + 1
        total_row = first + len(items)
        total = sum(expected for _l, _f, expected in items)
        for i, (label, formula, expected) in enumerate(items, 1):
            row = w.row + 1
            cells = [w.cell(i, "int"), w.cell(label, "text"), w.formula(formula, "int", value=expected)]
            if share:
                cells.append(w.formula(f"IF($C${total_row}=0,0,C{row}/$C${total_row})", "percent",
                                       value=expected / total if total else 0))
            cells += [w.cell(None, "text") for _ in range(COLS - len(cells))]
            w.append(cells, fit=True)
            if share:
                w.merge(4, COLS)
            self.checks[f"C{row}"] = expected
        return first, total_row - 1

    def total_row(self, first: int, last: int, expected: int, share: bool = True) -> int:
        w = self.w
        row = w.row + 1
        cells = [w.cell(self.ctx.t("column.total"), "total_label"), w.cell(None, "total_label"),
                 w.formula(f"SUM(C{first}:C{max(last, first)})" if last >= first else "0", "total_int",
                           value=expected)]
        if share:
            cells.append(w.formula(f"IF(C{row}=0,0,1)", "total_percent", value=1 if expected else 0))
        cells += [w.cell(None, "total_label") for _ in range(COLS - len(cells))]
        w.append(cells)
        w.merge(1, 2)
        if share:
            w.merge(4, COLS)
        self.checks[f"C{row}"] = expected
        return row

    def paginate(self) -> list[int]:
        """Put a page break before every part that would not fit on the rest of
        its page; returns the rows the breaks follow."""
        breaks = page_breaks(self.w.heights, self.blocks, page_capacity(self.ws.page_setup.scale))
        for row in breaks:
            self.ws.row_breaks.append(Break(id=row))
        return breaks


def print_scale(widths: list[float], orientation: str = "landscape") -> int:
    """The largest print scale (percent, at most 100) at which the columns fit
    the width of an A4 page inside the decree's margins, with a little room."""
    short, long_ = styles.A4_MM
    paper = long_ if orientation == "landscape" else short
    room = paper - styles.MARGINS_MM["left"] - styles.MARGINS_MM["right"]
    needed = sum(int(w * 7 + 0.5) for w in widths) * 25.4 / 96  # Excel: 7 px a character at 96 dpi
    return max(10, min(100, int(100 * room * PAGE_SAFETY / needed)))


def page_capacity(scale: int | None, orientation: str = "landscape") -> float:
    """Points of rows that fit on one page between the top and bottom margins."""
    short, long_ = styles.A4_MM
    paper = short if orientation == "landscape" else long_
    body_mm = paper - styles.MARGINS_MM["top"] - styles.MARGINS_MM["bottom"]
    return body_mm / 25.4 * 72 * 100 / (scale or 100) * PAGE_SAFETY


def page_breaks(heights: list[float], blocks: list[int], capacity: float) -> list[int]:
    """Rows after which to break the page so that each block (rows from one
    first row in `blocks` to the next) starts on a new page when it does not fit
    on what is left of the current one. A block taller than a page is cut
    where it must."""
    breaks = []
    used = 0.0
    bounds = sorted(set(blocks)) + [len(heights) + 1]
    for first, following in zip(bounds, bounds[1:]):
        height = sum(heights[first - 1:following - 1])
        if used and used + height > capacity:
            breaks.append(first - 1)
            used = 0.0
        used += height
        while used > capacity:
            used -= capacity
    return breaks


def two_lines(title: str, one_line: int = TITLE_CHARS) -> str:
    """A title too long for one line, broken into two of about equal length,
    before a "và"/"and" near the middle if there is one (so a phrase such as
    "cải cách hành chính" stays whole), rather than leaving one word alone
    on the second line."""
    if len(title) <= one_line:
        return title
    middle = len(title) / 2
    spaces = [i for i, c in enumerate(title) if c == " "]
    joins = [i for i in spaces if title[i + 1:].split(" ", 1)[0].lower() in ("và", "and")
             and abs(i - middle) < len(title) / 4]
    cut = min(joins or spaces, key=lambda i: abs(i - middle))
    return title[:cut] + "\n" + title[cut + 1:]


def number_pages(ws) -> None:
    """Page numbers as Nghị định 30 places them: centred in the top margin,
    13 pt, not on the first page, the appendix numbered on its own from 1."""
    ws.oddFooter.center.text = None
    ws.HeaderFooter.differentFirst = True
    ws.oddHeader.center.text = "&P"
    ws.oddHeader.center.font = f"{styles.FONT},Regular"
    ws.oddHeader.center.size = 13
    ws.page_setup.firstPageNumber = 1
    ws.page_setup.useFirstPageNumber = True


def write(ws, ctx: Context, visit_rows: list, tally: findings.Tally) -> dict[str, object]:
    set_widths(ws, WIDTHS)
    page_setup(ws)
    # A fixed scale, not "fit to page": both applications then keep the manual breaks.
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_setup.scale = print_scale(WIDTHS)
    number_pages(ws)
    s = Summary(ws, ctx)
    w = s.w
    header_block(w, ctx.letterhead, ctx.today, LEFT, RIGHT, ctx.lang)
    w.blank(height=GAP)
    w.line(ctx.t("excel.summary.appendix"), "title", 1, COLS, height=20)
    w.line(two_lines(ctx.t("excel.summary.title").upper()), "title", 1, COLS, height=40)
    w.line(attached_line(ctx.letterhead, ctx.today, ctx.lang), "attached", 1, COLS, height=18)
    report_date = w.cell(ctx.today, "subtitle")
    report_date.number_format = ctx.scope_format()
    row = w.append([report_date], height=18)
    w.merge(1, COLS)
    ws.parent.defined_names[REPORT_DATE_NAME] = DefinedName(
        REPORT_DATE_NAME, attr_text=f"'{ws.title}'!$A${row}")
    w.blank(height=GAP)

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
    expected = {k: f"{counts[k]:02d}" for k in kinds}
    expected["total"] = f"{sum(counts.values()):02d}"
    sentence = re.sub(r"\{(\w+)\}", lambda m: expected.get(m.group(1), "00"), template)
    w.append([w.formula(sentence_formula(template, refs), "sentence", value=sentence)], height=20)
    w.merge(1, COLS)
    s.checks[f"A{sentence_row}"] = sentence
    items = [(ctx.label("unit_kind", k),
              over(ctx.visit_parts, "COUNTIFS", (visits.KIND_COL, criterion(ctx.label("unit_kind", k))),
                   (visits.STATUS_COL, criterion(held))),
              counts[k]) for k in kinds]
    s.counted_table(t("excel.summary.kind"), t("excel.summary.visits"), items, sum(counts.values()))

    # II. Findings by reform area.
    s.section(t("excel.summary.findings_section"))
    flag = findings.COL["finding_flag"]
    area_col = findings.COL["area"]
    items = [(ctx.label("area", a),
              over(ctx.task_parts, "SUMIFS", (flag, None), (area_col, criterion(ctx.label("area_short", a)))),
              tally.findings_by_area.get(a, 0)) for a in AREAS]
    s.counted_table(t("column.area"), t("excel.summary.findings"), items, sum(tally.findings_by_area.values()))

    # III. Tasks by status.
    s.section(t("excel.summary.tasks_section"))
    status_col = findings.COL["status"]
    items = [(ctx.label("task_status", st),
              over(ctx.task_parts, "COUNTIFS", (status_col, criterion(ctx.label("task_status", st)))),
              tally.tasks_by_status.get(st, 0)) for st in TASK_STATUSES]
    s.counted_table(t("column.status"), t("excel.summary.tasks"), items, sum(tally.tasks_by_status.values()))

    # IV. Overdue tasks by how long they are overdue.
    s.section(t("excel.summary.overdue_section"))
    days_col = findings.COL["days_overdue"]
    items = []
    for code, low, high in overdue_buckets():
        pairs = [(days_col, f'">={low}"')] + ([(days_col, f'"<={high}"')] if high else [])
        expected = sum(1 for d in tally.overdue_days if d >= low and (high is None or d <= high))
        items.append((ctx.label("bucket", code), over(ctx.task_parts, "COUNTIFS", *pairs), expected))
    s.counted_table(t("excel.summary.bucket"), t("excel.summary.tasks"), items, len(tally.overdue_days))

    # V. Units with most overdue tasks, kept on one page with the signature block.
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
        w.append([w.cell(i, "int"), w.cell(name, "text"),
                  w.formula(over(ctx.task_parts, "COUNTIFS", (unit_col, crit), (days_col, '">0"')), "int",
                            value=overdue),
                  w.formula(open_formula, "int", value=open_),
                  w.formula(longest_delay(ctx.task_parts, unit_col, days_col, name), "int", value=max_days),
                  w.cell(None, "int")], fit=True)
        w.merge(5, 6)
        s.checks[f"C{row}"] = overdue
        s.checks[f"D{row}"] = open_
        s.checks[f"E{row}"] = max_days
    if not worst:
        w.line(t("excel.summary.no_overdue"), "note", 1, COLS)
    w.blank(height=GAP)

    recipients_block(w, ctx.letterhead, LEFT, RIGHT, ctx.lang)
    s.paginate()
    ctx.finish(w)
    ctx.step()
    return s.checks


def longest_delay(parts: list[Part], unit_col: int, days_col: int, name: str) -> str:
    """The most days overdue among a unit's tasks, as a formula Excel 2010 reads
    (MAXIFS needs Excel 2019): SUMPRODUCT evaluates MAX over the array of
    days, zero on the rows of other units, without entering it as an array formula."""
    literal = '"' + name.replace('"', '""') + '"'
    terms = [f"SUMPRODUCT(MAX(({p.column(unit_col)}={literal})*{p.column(days_col)}))" for p in parts]
    return terms[0] if len(terms) == 1 else "MAX(" + ",".join(terms) + ")"


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

