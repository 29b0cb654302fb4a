"""Bare dumps of the status workbook's task sheet (13 columns, the fonts,
borders, alignments and number formats of inspect_tui/excel/styles.py): the
export baselines. No inspect_tui import here.

    python bench/scale_bare_xlsx.py openpyxl|xlsxwriter DB TODAY OUT.xlsx
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


def dump_openpyxl(bare: Bare, today: dt.date, out: str) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    thin = Side(style="thin", color="000000")
    grid = Border(left=thin, right=thin, top=thin, bottom=thin)
    font = Font(name=FONT, size=11)
    styles = {
        "int": (Alignment(horizontal="center", vertical="top", wrap_text=True), "#,##0"),
        "year": (Alignment(horizontal="center", vertical="top", wrap_text=True), "0"),
        "text": (Alignment(horizontal="left", vertical="top", wrap_text=True), "@"),
        "text_center": (Alignment(horizontal="center", vertical="top", wrap_text=True), "@"),
        "date": (Alignment(horizontal="center", vertical="top", wrap_text=True), "dd/mm/yyyy"),
    }
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Tồn tại - Khắc phục")
    for i, width in enumerate(WIDTHS, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A6"
    head = []
    for text in HEADINGS:
        cell = WriteOnlyCell(ws, text)
        cell.font, cell.border = Font(name=FONT, size=11, bold=True), grid
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        head.append(cell)
    for _ in range(4):
        ws.append([])
    ws.append(head)
    n = 0
    for row in values(bare, today):
        cells = []
        for value, kind in zip(row, KINDS):
            cell = WriteOnlyCell(ws, value)
            alignment, number_format = styles[kind]
            cell.font, cell.border, cell.alignment, cell.number_format = font, grid, alignment, number_format
            cells.append(cell)
        ws.append(cells)
        n += 1
    wb.save(out)
    return n


def dump_xlsxwriter(bare: Bare, today: dt.date, out: str) -> int:
    import xlsxwriter
    wb = xlsxwriter.Workbook(out, {"constant_memory": True})
    ws = wb.add_worksheet("Tồn tại - Khắc phục")
    base = {"font_name": FONT, "font_size": 11, "border": 1, "valign": "top", "text_wrap": True}
    formats = {
        "int": wb.add_format(base | {"align": "center", "num_format": "#,##0"}),
        "year": wb.add_format(base | {"align": "center", "num_format": "0"}),
        "text": wb.add_format(base | {"align": "left", "num_format": "@"}),
        "text_center": wb.add_format(base | {"align": "center", "num_format": "@"}),
        "date": wb.add_format(base | {"align": "center", "num_format": "dd/mm/yyyy"}),
    }
    head = wb.add_format(base | {"bold": True, "align": "center", "valign": "vcenter", "bg_color": "#DDEBF7"})
    for i, width in enumerate(WIDTHS):
        ws.set_column(i, i, width)
    ws.freeze_panes(5, 0)
    ws.write_row(4, 0, HEADINGS, head)
    n = 0
    for r, row in enumerate(values(bare, today), 5):
        for c, (value, kind) in enumerate(zip(row, KINDS)):
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
    n = {"openpyxl": dump_openpyxl, "xlsxwriter": dump_xlsxwriter}[kind](bare, today, out)
    print(f"{n} rows")


if __name__ == "__main__":
    main()
