"""The status workbook: sheets, official header, styles, formulas, print set-up."""
import datetime as dt

import pytest
from openpyxl import load_workbook

from inspect_tui.excel import export
from inspect_tui.excel.errors import ExcelError
from inspect_tui.excel.sheets import findings as findings_sheet
from inspect_tui.rules import summary

from .conftest import TODAY

SHEETS = ["Tổng hợp", "Kiểm tra", "Tồn tại - Khắc phục", "Giải pháp 2026-2030", "Chỉ tiêu"]


@pytest.fixture
def exported(demo_db, tmp_path):
    result = export.export_status_workbook(tmp_path / "out.xlsx", TODAY)
    return result, load_workbook(result.path)


def test_default_name_says_what_and_when():
    assert export.default_name(TODAY, 2025) == "bao-cao-cchc-2025-ngay-2025-05-06.xlsx"
    assert export.default_name(TODAY, None, lang="en") == "cchc-report-all-years-as-of-2025-05-06.xlsx"


def test_sheets_and_official_header(exported):
    result, wb = exported
    assert wb.sheetnames == SHEETS == result.sheets
    ws = wb["Tổng hợp"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:B1", "C1:F1", "A2:B2", "C2:F2", "A4:B4", "C4:F4"} <= merged
    assert ws["A1"].value == "UBND THÀNH PHỐ CẦN THƠ"
    assert ws["A2"].value == "SỞ NỘI VỤ" and ws["A2"].font.b
    assert ws["C1"].value == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and ws["C1"].font.b
    assert ws["C2"].value == "Độc lập - Tự do - Hạnh phúc" and ws["C2"].font.u == "single"
    assert ws["A4"].value.startswith("Số:")
    assert ws["C4"].value == "Cần Thơ, ngày 06 tháng 5 năm 2025" and ws["C4"].font.i
    texts = [c.value for c in ws["A"] if isinstance(c.value, str)]
    assert "PHỤ LỤC" in texts
    assert any(v.startswith("TÌNH HÌNH KIỂM TRA") for v in texts)
    assert texts[-5:] == ["Nơi nhận:", "- Bộ Nội vụ;", "- TT. Thành ủy, TT. HĐND thành phố;",
                          "- UBND thành phố;", "- Lưu: VT, CCHC."]


def test_every_cell_is_times_new_roman(exported):
    _result, wb = exported
    for ws in wb.worksheets:
        fonts = {c.font.name for row in ws.iter_rows() for c in row if c.value is not None}
        assert fonts == {"Times New Roman"}, ws.title


def test_totals_are_live_formulas_matching_the_rules(exported):
    result, wb = exported
    ws = wb["Tổng hợp"]
    expected = summary.summarise(TODAY)
    for ref, value in result.checks.items():
        assert str(ws[ref].value).startswith("="), ref
    formulas = " ".join(str(ws[ref].value) for ref in result.checks)
    assert "COUNTIFS('Kiểm tra'!" in formulas and "SUMIFS('Tồn tại - Khắc phục'!" in formulas
    assert "MAXIFS" not in formulas and "SUMPRODUCT(MAX((" in formulas  # Excel 2010 reads it
    values = list(result.checks.values())
    assert expected.visits_held in values
    tally = result.tally
    assert dict(tally.tasks_by_status) == {k: v for k, v in expected.tasks_by_status.items() if v}
    assert dict(tally.findings_by_area) == {k: v for k, v in expected.findings_by_area.items() if v}
    assert len(tally.overdue_days) == expected.overdue
    assert [(n, o) for n, o, _op, _d in tally.worst()] == [(u.name, u.overdue) for u in expected.worst_units]
    sentence = next(v for v in result.checks.values() if isinstance(v, str))
    kinds = expected.visits_by_kind
    assert sentence == (f"Đã kiểm tra {expected.visits_held:02d} đơn vị: {kinds['department']:02d} sở, ngành; "
                        f"{kinds['vertical']:02d} cơ quan ngành dọc; {kinds['district']:02d} quận, huyện.")
    # The report date is a real date cell, shown as the scope line under the title,
    # written the decree's way (06/5/2025).
    assert wb.defined_names["NgayBaoCao"].attr_text.endswith("$A$9")
    assert ws["A9"].value == dt.datetime(2025, 5, 6)
    assert ws["A9"].number_format == '"(Phạm vi: tất cả các năm; số liệu tính đến ngày "dd/m/yyyy")"'
    assert any(str(r).startswith("A9:") for r in ws.merged_cells.ranges)
    percent = [c for row in ws.iter_rows() for c in row if c.number_format == "0.00%"]
    assert percent and all(str(c.value).startswith("=") for c in percent)


def test_detail_sheets_dates_numbers_filters_and_print(exported):
    result, wb = exported
    ws = wb["Tồn tại - Khắc phục"]
    assert ws.freeze_panes == "A5"
    assert ws.auto_filter.ref == f"A4:L{4 + result.rows}"
    assert ws.print_title_rows == "$4:$4"
    assert ws.column_dimensions["M"].hidden
    heads = [c.value for c in ws[4]]
    assert heads[:3] == ["Mã NV", "Năm", "Đơn vị được kiểm tra"]
    row = ws[5]
    assert isinstance(row[0].value, int) and isinstance(row[1].value, int)
    assert isinstance(row[8].value, dt.datetime)
    assert row[8].number_format == ("dd/mm/yyyy" if row[8].value.month <= 2 else "dd/m/yyyy")
    assert row[10].value.startswith("=IF(AND(OR(J5=")
    assert row[4].alignment.wrap_text
    rules = [r for cf in ws.conditional_formatting for r in cf.rules]
    assert rules and rules[0].formula == ["$K5>0"]
    for sheet in wb.worksheets:
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.paperSize == 9
    for sheet in wb.worksheets[1:]:  # the appendix prints at a fixed scale (see test_appendix.py)
        assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    visits = wb["Kiểm tra"]
    assert visits["G5"].number_format == "dd/m/yyyy" and visits["G5"].value.month > 2
    indicators = wb["Chỉ tiêu"]
    percents = [c for row in indicators.iter_rows(min_row=5) for c in row if c.number_format == "0.00%"]
    assert percents and all(isinstance(c.value, (int, float)) and c.value <= 1.5 for c in percents if c.value)
    conflicts = [c.value for c in indicators["O"] if c.value and "không thống nhất" in str(c.value)] or \
        [c.value for row in indicators.iter_rows() for c in row if c.value and "không thống nhất" in str(c.value)]
    assert conflicts
    plan = wb["Giải pháp 2026-2030"]
    assert [c.value for c in plan[4]][4:9] == ["2026", "2027", "2028", "2029", "2030"]


def test_english_labels_and_unit_filter(demo_db, tmp_path):
    result = export.export_status_workbook(tmp_path / "en.xlsx", TODAY, unit="STC", lang="en")
    wb = load_workbook(result.path)
    assert wb.sheetnames == ["Summary", "Visits", "Findings - Tasks", "Solutions 2026-2030", "Indicators"]
    assert wb["Summary"]["C1"].value == "SOCIALIST REPUBLIC OF VIETNAM"
    assert wb["Summary"]["C4"].value == "Cần Thơ, 06 May 2025"
    ws = wb["Findings - Tasks"]
    units = {r[7] for r in ws.iter_rows(min_row=5, values_only=True)}
    visited = {r[2] for r in ws.iter_rows(min_row=5, values_only=True)}
    assert "Sở Tài chính" in units | visited
    assert result.rows > 0


def test_year_filter_progress_and_letterhead(demo_db, tmp_path):
    from inspect_tui.excel.styles import Letterhead
    seen = []
    head = Letterhead(agency="VĂN PHÒNG UBND THÀNH PHỐ", number_line="Số: 12/BC-VP",
                      recipients=["- Sở Nội vụ;", "- Lưu: VT."])
    result = export.export_status_workbook(tmp_path / "y.xlsx", TODAY, year=2022,
                                           progress=lambda d, t: seen.append((d, t)), letterhead=head)
    assert seen and seen[-1][0] == seen[-1][1]
    assert all(d <= t for d, t in seen)
    wb = load_workbook(result.path)
    ws = wb["Tổng hợp"]
    assert ws["A2"].value == "VĂN PHÒNG UBND THÀNH PHỐ" and ws["A4"].value == "Số: 12/BC-VP"
    years = {r[1] for r in wb["Tồn tại - Khắc phục"].iter_rows(min_row=5, values_only=True) if r[1]}
    assert years == {2022}


def test_big_sheet_is_split_and_formulas_add_the_parts(demo_db, tmp_path, monkeypatch):
    monkeypatch.setattr(findings_sheet, "EXCEL_MAX_ROWS", 64)  # 60 data rows per sheet
    result = export.export_status_workbook(tmp_path / "split.xlsx", TODAY)
    parts = [s for s in result.sheets if s.startswith("Tồn tại - Khắc phục")]
    assert len(parts) == -(-result.rows // 60) >= 3
    wb = load_workbook(result.path)
    assert sum(wb[p].max_row - 4 for p in parts) == result.rows
    formula = next(wb["Tổng hợp"][ref].value for ref, v in result.checks.items()
                   if isinstance(v, int) and "COUNTIFS('Tồn tại" in str(wb["Tổng hợp"][ref].value))
    assert "'Tồn tại - Khắc phục (2)'!" in formula


def test_too_many_rows_is_refused_clearly(demo_db, tmp_path, monkeypatch):
    monkeypatch.setattr(findings_sheet, "EXCEL_MAX_ROWS", 10)
    monkeypatch.setattr(findings_sheet, "MAX_PARTS", 2)
    with pytest.raises(ExcelError) as info:
        export.export_status_workbook(tmp_path / "big.xlsx", TODAY)
    assert "vượt quá" in info.value.message("vi")
    assert not (tmp_path / "big.xlsx").exists()
