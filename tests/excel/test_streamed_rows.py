"""Rows streamed through styles.Row reuse their cells: every row written must
keep its own value, type and date format, nothing carried over from the row before."""
import datetime as dt

from openpyxl import Workbook, load_workbook

from inspect_tui.excel import styles
from inspect_tui.excel.cached import save


def test_each_streamed_row_keeps_its_own_values_types_and_date_formats(tmp_path):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Nhiệm vụ")
    w = styles.SheetWriter(ws)
    w.decree_dates = True
    row = styles.Row(w, ("int", "date", "text", "int"))
    w.append(row.fill([1, dt.date(2025, 5, 6), "=SUM(A1)", styles.Formula("=A1*2", 2)]))
    w.append(row.fill([None, None, "- ghi chú", 0]))
    w.append(row.fill([3, dt.date(2025, 2, 6), "x" * (styles.MAX_TEXT + 10), styles.Formula("=A3*2", 6)]))
    path = tmp_path / "rows.xlsx"
    save(wb, str(path), {ws.title: w.cached})

    sheet = load_workbook(path)["Nhiệm vụ"]
    assert [c.value for c in sheet[1]][:3] == [1, dt.datetime(2025, 5, 6), "=SUM(A1)"]
    assert sheet["C1"].data_type == "s" and sheet["D1"].value == "=A1*2"
    assert sheet["B1"].number_format == styles.DECREE_DATE_FORMAT  # 06/5/2025
    assert [c.value for c in sheet[2]] == [None, None, "- ghi chú", 0]
    assert sheet["B2"].number_format == styles.DATE_FORMAT and sheet["D2"].data_type == "n"
    assert sheet["B3"].number_format == styles.DATE_FORMAT  # 06/02/2025: February keeps its zero
    assert len(sheet["C3"].value) == styles.MAX_TEXT and w.truncated == 1
    (where, cut), = w.truncations
    assert where == "C3" and cut > 10  # the note saying so takes room too
    for r in (1, 2, 3):
        assert sheet.cell(r, 1).font.name == styles.FONT and sheet.cell(r, 1).border.left.style == "thin"
    values = load_workbook(path, data_only=True)["Nhiệm vụ"]
    assert values["D1"].value == 2 and values["D3"].value == 6
