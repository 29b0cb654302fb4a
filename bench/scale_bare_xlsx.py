"""Bare dumps of the status workbook's two detail sheets, visits and tasks
(13 columns each, the fonts, borders, alignments and number formats of
inspect_tui/excel/styles.py): the export baselines. No inspect_tui import here.

    python bench/scale_bare_xlsx.py openpyxl|openpyxl-named|xlsxwriter DB TODAY OUT.xlsx
"""
import datetime as dt
import sys

sys.path.insert(0, __import__("os").path.dirname(__file__))
from scale_bare_sql import Bare  # noqa: E402

FONT = "Times New Roman"
HEADINGS = ["Nhiệm vụ", "Năm", "Đơn vị được kiểm tra", "Lĩnh vực", "Tồn tại, hạn chế", "Kiến nghị",
            "Nhiệm vụ khắc phục", "Đơn vị thực hiện", "Thời hạn", "Trạng thái", "Số ngày quá hạn",
            "Tiến độ mới nhất", "Dòng đầu"]
WIDTHS = [8, 7, 20, 16, 34, 26, 30, 20, 11.5, 14, 9, 28, 5]
# column: style name, as the app's findings sheet writes it
KINDS = ["int", "year", "text", "text", "text", "text", "text", "text", "date", "text_center", "int",
         "text", "int"]
STATUS = {"open": "Chưa thực hiện", "in_progress": "Đang thực hiện", "reported_done": "Đã báo cáo hoàn thành",
          "verified": "Đã xác nhận", "cancelled": "Đã hủy"}
AREA = {"leadership": "Chỉ đạo, điều hành", "institutions": "Thể chế", "procedures": "Thủ tục hành chính",
        "organisation": "Tổ chức bộ máy", "civil_service": "Công vụ", "public_finance": "Tài chính công",
        "digital": "Chính quyền số"}


VISIT_HEADINGS = ["STT", "Năm", "Đơn vị được kiểm tra", "Loại đơn vị", "Kế hoạch", "Trạng thái", "Ngày kiểm tra",
                  "Trưởng đoàn", "Số thông báo", "Ngày thông báo", "Tồn tại", "Nhiệm vụ đang mở",
                  "Nhiệm vụ quá hạn"]
VISIT_WIDTHS = [6, 7, 30, 17, 14, 13, 12, 22, 15, 12, 10, 10, 10]
VISIT_KINDS = ["int", "year", "text", "text", "text_center", "text_center", "date", "text", "text_center",
               "date", "int", "int", "int"]
UNIT_KIND = {"department": "Sở, ban, ngành", "vertical": "Cơ quan ngành dọc", "district": "Quận, huyện",
             "commune": "Xã, phường, thị trấn"}
VISIT_STATUS = {"planned": "Kế hoạch", "held": "Đã kiểm tra", "cancelled": "Đã hủy"}
VISITS_SQL = (
    "SELECT p.year, u.name, u.kind, p.number, v.status, v.held_on, "
    "(SELECT m.name FROM team_member m WHERE m.plan_id = p.id AND m.role = 'leader' LIMIT 1), "
    "v.notice_number, v.notice_date, "
    "(SELECT COUNT(*) FROM finding f WHERE f.visit_id = v.id), "
    "(SELECT COUNT(*) FROM task t JOIN finding f ON t.finding_id = f.id WHERE f.visit_id = v.id "
    " AND t.status IN ('open', 'in_progress')), "
    "(SELECT COUNT(*) FROM task t JOIN finding f ON t.finding_id = f.id WHERE f.visit_id = v.id "
    " AND t.status IN ('open', 'in_progress') AND t.due_on < ?) "
    "FROM visit v JOIN plan p ON v.plan_id = p.id JOIN unit u ON v.unit_id = u.id "
    "ORDER BY p.year, v.scheduled_on, u.name")


def _day(value):
    return dt.date.fromisoformat(str(value)[:10]) if value else None


def visit_values(bare: Bare, today: dt.date):
    """The visits sheet's rows as plain values."""
    for no, (year, unit, kind, plan, status, held, leader, notice, notice_on, findings, open_, overdue) in \
            enumerate(bare.rows(VISITS_SQL, [today.isoformat()]), 1):
        yield [no, year, unit, UNIT_KIND.get(kind, kind), plan, VISIT_STATUS.get(status, status), _day(held),
               leader or "", notice, _day(notice_on), findings, open_, overdue]


def sheets(bare: Bare, today: dt.date) -> list[tuple]:
    """(title, headings, widths, column styles, rows) of each detail sheet."""
    return [("Kiểm tra", VISIT_HEADINGS, VISIT_WIDTHS, VISIT_KINDS, lambda: visit_values(bare, today)),
            ("Tồn tại - Khắc phục", HEADINGS, WIDTHS, KINDS, lambda: values(bare, today))]


def values(bare: Bare, today: dt.date):
    """The sheet's rows as plain values (days overdue as a formula on the report date)."""
    row_no, previous = 6, None
    for task_id, year, visited, area, finding, rec, desc, unit, due, status, note in bare.export_rows():
        if isinstance(due, str):
            due = dt.date.fromisoformat(due)
        first = 1 if finding != previous else 0
        previous = finding
        formula = (f'=IF(AND(OR(J{row_no}="Chưa thực hiện",J{row_no}="Đang thực hiện"),I{row_no}<NgayBaoCao),'
                   f'NgayBaoCao-I{row_no},0)') if task_id else 0
        yield [task_id, year, visited, AREA.get(area, area), finding, rec, desc, unit, due,
               STATUS.get(status, ""), formula, note, first]
        row_no += 1


def dump_openpyxl(bare: Bare, today: dt.date, out: str, reuse: bool = True) -> int:
    """Bare openpyxl write-only. Styles are shared, never built per cell: one
    styled WriteOnlyCell per column, given each row's value in turn (a
    write-only sheet writes a row out while it is appended), the fastest
    public way to stream styled cells; `reuse=False` makes a WriteOnlyCell per
    cell and gives it the column's NamedStyle, the usual idiom."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
    from openpyxl.utils import get_column_letter
    thin = Side(style="thin", color="000000")
    grid = Border(left=thin, right=thin, top=thin, bottom=thin)
    font = Font(name=FONT, size=11)
    looks = {
        "int": (Alignment(horizontal="center", vertical="top", wrap_text=True), "#,##0"),
        "year": (Alignment(horizontal="center", vertical="top", wrap_text=True), "0"),
        "text": (Alignment(horizontal="left", vertical="top", wrap_text=True), "@"),
        "text_center": (Alignment(horizontal="center", vertical="top", wrap_text=True), "@"),
        "date": (Alignment(horizontal="center", vertical="top", wrap_text=True), "dd/mm/yyyy"),
    }
    wb = Workbook(write_only=True)
    if not reuse:
        for name, (alignment, number_format) in looks.items():
            wb.add_named_style(NamedStyle(name=name, font=font, border=grid, alignment=alignment,
                                          number_format=number_format))
    n = 0
    for title, headings, widths, kinds, rows in sheets(bare, today):
        ws = wb.create_sheet(title)
        for i, width in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = "A6"
        head = []
        for text in headings:
            cell = WriteOnlyCell(ws, text)
            cell.font, cell.border = Font(name=FONT, size=11, bold=True), grid
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            head.append(cell)
        for _ in range(4):
            ws.append([])
        ws.append(head)
        if reuse:
            cells = []
            for kind in kinds:
                cell = WriteOnlyCell(ws)
                alignment, number_format = looks[kind]
                cell.font, cell.border, cell.alignment, cell.number_format = font, grid, alignment, number_format
                cells.append(cell)
            for row in rows():
                for cell, value in zip(cells, row):
                    cell.value = value
                ws.append(cells)
                n += 1
        else:
            for row in rows():
                cells = []
                for value, kind in zip(row, kinds):
                    cell = WriteOnlyCell(ws, value)
                    cell.style = kind
                    cells.append(cell)
                ws.append(cells)
                n += 1
    wb.save(out)
    return n


def dump_xlsxwriter(bare: Bare, today: dt.date, out: str) -> int:
    import xlsxwriter
    wb = xlsxwriter.Workbook(out, {"constant_memory": True})
    base = {"font_name": FONT, "font_size": 11, "border": 1, "valign": "top", "text_wrap": True}
    formats = {
        "int": wb.add_format(base | {"align": "center", "num_format": "#,##0"}),
        "year": wb.add_format(base | {"align": "center", "num_format": "0"}),
        "text": wb.add_format(base | {"align": "left", "num_format": "@"}),
        "text_center": wb.add_format(base | {"align": "center", "num_format": "@"}),
        "date": wb.add_format(base | {"align": "center", "num_format": "dd/mm/yyyy"}),
    }
    head = wb.add_format(base | {"bold": True, "align": "center", "valign": "vcenter", "bg_color": "#DDEBF7"})
    n = 0
    for title, headings, widths, kinds, rows in sheets(bare, today):
        ws = wb.add_worksheet(title)
        for i, width in enumerate(widths):
            ws.set_column(i, i, width)
        ws.freeze_panes(5, 0)
        ws.write_row(4, 0, headings, head)
        for r, row in enumerate(rows(), 5):
            for c, (value, kind) in enumerate(zip(row, kinds)):
                fmt = formats[kind]
                if isinstance(value, str) and value.startswith("="):
                    ws.write_formula(r, c, value, fmt)
                elif isinstance(value, dt.date):
                    ws.write_datetime(r, c, dt.datetime.combine(value, dt.time()), fmt)
                elif value is None:
                    ws.write_blank(r, c, None, fmt)
                elif isinstance(value, str):
                    ws.write_string(r, c, value, fmt)
                else:
                    ws.write_number(r, c, value, fmt)
            n += 1
    wb.close()
    return n


def main() -> None:
    kind, url, today, out = sys.argv[1], sys.argv[2], dt.date.fromisoformat(sys.argv[3]), sys.argv[4]
    bare = Bare(url)
    dumps = {"openpyxl": dump_openpyxl, "xlsxwriter": dump_xlsxwriter,
             "openpyxl-named": lambda b, d, o: dump_openpyxl(b, d, o, reuse=False)}
    n = dumps[kind](bare, today, out)
    print(f"{n} rows")


if __name__ == "__main__":
    main()
