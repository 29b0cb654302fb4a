"""The status workbook as an appendix under Nghị định 30/2020/NĐ-CP, and as of
its report date: margins, pages kept whole, the "Kèm theo" line, "Nơi nhận:",
the signature block, dates, cached formula results, Excel 2010 formulas,
texts cut to Excel's cell limit said so, the record as it stood that day."""
import datetime as dt
import re
import shutil
import zipfile

import pytest
from openpyxl import load_workbook
from rich.console import Console

from inspect_tui import cli
from inspect_tui.excel import cached, export, styles
from inspect_tui.excel.sheets import summary as summary_sheet
from inspect_tui.excel.styles import Letterhead, recipient_lines
from inspect_tui.rules import indicators, workplan
from inspect_tui.store import db as store
from inspect_tui.store.models import ChangeLog, ProgressNote, Task

from .conftest import TODAY

pytestmark = pytest.mark.slow  # each test writes the appendix of the whole demo: seconds

SECTION = re.compile(r"^[IVX]+\. ")
SUMMARY, VISITS, TASKS, PLAN, INDICATORS = (
    "Tổng hợp", "Kiểm tra", "Tồn tại - Khắc phục", "Giải pháp 2026-2030", "Chỉ tiêu")
DEMO_TODAY = dt.date(2026, 11, 23)
LATER = dt.date(2030, 12, 31)  # after the demo was built, whenever the tests run: all of it known


@pytest.fixture
def exported(demo_db, tmp_path):
    result = export.export_status_workbook(tmp_path / "out.xlsx", TODAY)
    return result, load_workbook(result.path)


def column_a(ws) -> list[tuple[int, str]]:
    return [(c.row, c.value) for c in ws["A"] if isinstance(c.value, str)]


# --- the report date applies everywhere ------------------------------------------------

@pytest.fixture
def demo_2026(demo_build, tmp_path):
    """A copy of the demo built for 23/11/2026 (after the 2025 reorganisation)."""
    path = tmp_path / "demo2026.sqlite3"
    shutil.copy(demo_build[0], path)
    store.connect(str(path))
    yield path
    store.close()


def test_a_report_dated_before_the_reorganisation_shows_the_record_as_it_stood(demo_2026, tmp_path):
    then = export.export_status_workbook(tmp_path / "then.xlsx", dt.date(2025, 5, 6), year=2024)
    now = export.export_status_workbook(tmp_path / "now.xlsx", LATER, year=2024)
    wb_then, wb_now = load_workbook(then.path), load_workbook(now.path)

    def units(wb):  # visited unit -> responsible units of its tasks
        found = {}
        for r in wb[TASKS].iter_rows(min_row=5, values_only=True):
            if r[0] is not None:
                found.setdefault(r[2], set()).add(r[7])
        return found

    districts = [u for u in units(wb_then) if u.startswith(("Quận", "Huyện"))]
    assert districts
    # districts existed until 01/7/2025: in May 2025 their tasks are still theirs
    assert all(units(wb_then)[d] == {d} for d in districts)
    assert any("UBND thành phố Cần Thơ" in units(wb_now)[d] for d in districts)
    worst_then = {n for n, *_ in then.tally.worst()}
    assert worst_then & set(districts) and "UBND thành phố Cần Thơ" not in worst_then
    # milestones: the demo recorded its 2026 progress after 06/5/2025, so none of it shows
    plan_then = [c for r in wb_then[PLAN].iter_rows(min_row=5, min_col=5, max_col=10, values_only=True)
                 for c in r if c]
    assert plan_then and set(plan_then) == {"Chưa bắt đầu"}
    plan_now = {r[4] for r in wb_now[PLAN].iter_rows(min_row=5, values_only=True) if r[0]}
    assert plan_now - {"Chưa bắt đầu"}
    # indicators: only periods ended by 06/5/2025 carry values (targets stay)
    rows = [r for r in wb_then[INDICATORS].iter_rows(min_row=5, values_only=True) if r[0]]
    with_values = {r[2] for r in rows if r[5] is not None}
    assert "2025-Q1" in with_values and "2024" in with_values
    assert not with_values & {"2025", "2021-2025", "2022-2025"}
    assert any(r[2] == "2025" and r[4] is not None for r in rows)  # the 2025 target, no value yet
    now_values = {r[2] for r in wb_now[INDICATORS].iter_rows(min_row=5, values_only=True) if r[0] and r[5]}
    assert "2025" in now_values


# --- page layout ----------------------------------------------------------------------------

def test_margins_follow_the_decree_on_every_sheet(exported):
    _result, wb = exported
    for ws in wb.worksheets:
        m = ws.page_margins
        mm = {k: round(getattr(m, k) * 25.4, 1) for k in ("left", "right", "top", "bottom")}
        assert 30 <= mm["left"] <= 35 and 15 <= mm["right"] <= 20, ws.title
        assert 20 <= mm["top"] <= 25 and 20 <= mm["bottom"] <= 25, ws.title


def test_no_section_is_cut_from_its_heading(exported):
    """A fixed scale (fit-to-page makes Excel and LibreOffice drop manual breaks),
    every row of a set height, and a break before each section that would not
    fit on the rest of its page."""
    result, wb = exported
    ws = wb[SUMMARY]
    assert not ws.sheet_properties.pageSetUpPr.fitToPage
    assert 10 <= ws.page_setup.scale <= 100
    assert all(ws.row_dimensions[r].height for r in range(1, ws.max_row + 1))
    breaks = [b.id for b in ws.row_breaks.brk]
    assert breaks
    headings = {row: text for row, text in column_a(ws) if SECTION.match(text)}
    assert all(b + 1 in headings for b in breaks)  # every page after the first starts with a heading
    capacity = summary_sheet.page_capacity(ws.page_setup.scale)
    bounds = [0] + breaks + [ws.max_row]
    for first, last in zip(bounds, bounds[1:]):
        assert sum(ws.row_dimensions[r].height for r in range(first + 1, last + 1)) <= capacity
    # page numbers: top centre, not on the first page, the appendix numbered from 1
    assert ws.HeaderFooter.differentFirst and ws.oddHeader.center.text == "&P"
    assert ws.page_setup.firstPageNumber == 1 and ws.page_setup.useFirstPageNumber


def test_page_breaks_keep_blocks_whole():
    heights = [10.0] * 10
    assert summary_sheet.page_breaks(heights, [1, 4, 8], 50) == [3, 7]  # 1-3, then 4-7, then 8-10
    assert summary_sheet.page_breaks(heights, [1, 4, 8], 100) == []
    assert summary_sheet.page_breaks(heights, [1, 3, 5, 7, 9], 45) == [4, 8]
    assert summary_sheet.page_breaks([10.0] * 12, [1, 2], 40) == [1]  # a block taller than a page


def test_the_kem_theo_line_and_the_title(exported, demo_db, tmp_path):
    _result, wb = exported
    texts = [text for _row, text in column_a(wb[SUMMARY])]
    i = texts.index("PHỤ LỤC")
    assert texts[i + 1] == "TÌNH HÌNH KIỂM TRA CÔNG TÁC CẢI CÁCH HÀNH CHÍNH\nVÀ KHẮC PHỤC TỒN TẠI, HẠN CHẾ"
    assert texts[i + 2] == "(Kèm theo Báo cáo số        /BC-SNV ngày 06/5/2025 của Sở Nội vụ)"
    assert wb[SUMMARY]["A8"].font.i
    head = Letterhead(agency="VĂN PHÒNG UBND THÀNH PHỐ", agency_name="Văn phòng UBND thành phố",
                      number_line="Số: 12/BC-VP")
    other = export.export_status_workbook(tmp_path / "vp.xlsx", TODAY, letterhead=head)
    assert load_workbook(other.path)[SUMMARY]["A8"].value == (
        "(Kèm theo Báo cáo số 12/BC-VP ngày 06/5/2025 của Văn phòng UBND thành phố)")
    english = export.export_status_workbook(tmp_path / "en.xlsx", TODAY, lang="en")
    assert load_workbook(english.path)["Summary"]["A8"].value == (
        "(Attached to Report No.        /BC-SNV of 06/05/2025 by Sở Nội vụ)")


def test_signature_block_has_room_to_sign_and_the_name(demo_db, tmp_path):
    head = Letterhead(signer_title="KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", signer_name="Nguyễn Văn An",
                      recipients=["Bộ Nội vụ", "- UBND thành phố;", "Lưu: VT, CCHC"])
    result = export.export_status_workbook(tmp_path / "s.xlsx", TODAY, letterhead=head)
    ws = load_workbook(result.path)[SUMMARY]
    start = next(row for row, text in column_a(ws) if text == "Nơi nhận:")
    assert ws[f"C{start}"].value == "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC" and ws[f"C{start}"].font.b
    assert ws.row_dimensions[start].height >= 2 * 15  # both lines of the title show
    room = [ws[f"C{r}"].value for r in range(start + 1, start + 1 + styles.SIGNING_ROWS)]
    assert room == [None] * styles.SIGNING_ROWS
    assert sum(ws.row_dimensions[r].height for r in range(start + 1, start + 1 + styles.SIGNING_ROWS)) >= 70
    name_row = start + 1 + styles.SIGNING_ROWS
    assert ws[f"C{name_row}"].value == "Nguyễn Văn An" and ws[f"C{name_row}"].font.b
    assert [ws[f"A{r}"].value for r in range(start, start + 4)] == [
        "Nơi nhận:", "- Bộ Nội vụ;", "- UBND thành phố;", "- Lưu: VT, CCHC."]
    assert ws.max_row == name_row
    # the default letterhead has no name: a line to write it on
    default = export.export_status_workbook(tmp_path / "d.xlsx", TODAY)
    ws = load_workbook(default.path)[SUMMARY]
    assert ws[f"C{ws.max_row}"].value.startswith("……")


@pytest.mark.parametrize("given, lines", [
    (["Sở Nội vụ", "Lưu: VT"], ["- Sở Nội vụ;", "- Lưu: VT."]),
    (["- Sở Nội vụ;", "  – Bộ Nội vụ ;", "• UBND thành phố.", "- Lưu: VT, CCHC;"],
     ["- Sở Nội vụ;", "- Bộ Nội vụ;", "- UBND thành phố;", "- Lưu: VT, CCHC."]),
    (["Lưu: VT, CCHC", "Sở Nội vụ"], ["- Sở Nội vụ;", "- Lưu: VT, CCHC."]),  # "Lưu" always last
    (["Sở Nội vụ", ""], ["- Sở Nội vụ;", "- Lưu: VT."]),  # the archive line is added
    ([], ["- Lưu: VT."]),
])
def test_recipients_are_a_proper_noi_nhan_block(given, lines):
    assert recipient_lines(given, "vi") == lines


def test_recipients_in_english_keep_one_archive_line():
    assert recipient_lines(["- Bộ Nội vụ;", "- Lưu: VT, CCHC."], "en") == ["- Bộ Nội vụ;", "- Lưu: VT, CCHC."]
    assert recipient_lines(["Ministry of Home Affairs"], "en") == ["- Ministry of Home Affairs;", "- File: VT."]


def test_recipients_from_the_config_file(demo_template, tmp_path, monkeypatch):
    db = tmp_path / "d.sqlite3"
    shutil.copy(demo_template, db)
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text(
        '[excel]\nrecipients = ["Sở Nội vụ", "Lưu: VT"]\nsigner_name = "Trần Thị Bình"\n', "utf-8")
    monkeypatch.setenv("INSPECT_TUI_HOME", str(home))
    out = tmp_path / "c.xlsx"
    code = cli.main(["--db", str(db), "--today", "06/5/2025", "export", "--out", str(out)],
                    console=Console(record=True, width=200), err=Console(record=True, stderr=True))
    assert code == 0
    ws = load_workbook(out)[SUMMARY]
    start = next(row for row, text in column_a(ws) if text == "Nơi nhận:")
    assert [ws[f"A{r}"].value for r in range(start + 1, start + 3)] == ["- Sở Nội vụ;", "- Lưu: VT."]
    assert ws[f"C{ws.max_row}"].value == "Trần Thị Bình"


def test_long_indicator_codes_are_not_cut(demo_db, tmp_path):
    code = "TTHC-NOIBO-CONGBO-THEO-DE-XUAT"
    indicators.create(code, "Chỉ tiêu có mã dài", "count", "tester")
    indicators.observe(code, "2024", 12, "Nguồn thử", "tester")
    result = export.export_status_workbook(tmp_path / "i.xlsx", TODAY)
    ws = load_workbook(result.path)[INDICATORS]
    assert ws.column_dimensions["A"].width >= len(code)
    cell = next(c for c in ws["A"] if c.value == code)
    assert cell.alignment.wrap_text  # and a longer one would wrap, not be cut


@pytest.mark.parametrize("text, per_line, lines", [
    ("Văn phòng UBND thành phố", 22, 2), ("Văn phòng UBND thành phố", 24, 1), ("x" * 25, 10, 3),
    ("ab cd ef", 5, 2), ("ab cd ef", 8, 1), ("một hai ba bốn năm sáu bảy", 7, 4)])
def test_wrapped_text_gets_rows_tall_enough(text, per_line, lines):
    """Rows are sized from text wrapped at spaces, as the applications wrap it."""
    assert styles.wrapped_lines(text, per_line) == lines


# --- dates the decree's way -------------------------------------------------------------------

def test_dates_are_written_the_decree_way(exported, demo_db, tmp_path):
    _result, wb = exported
    dates = [c for ws in wb.worksheets for row in ws.iter_rows(min_row=5) for c in row
             if isinstance(c.value, dt.datetime)]
    assert dates and {c.value.month for c in dates} - {1, 2}
    for c in dates:
        expected = "dd/mm/yyyy" if c.value.month <= 2 else "dd/m/yyyy"
        if c.parent.title == SUMMARY:  # the report date, inside the scope line
            expected = f'"{expected}")"'
        assert c.number_format.endswith(expected), c.coordinate
    texts = " ".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows(max_row=9) for c in row
                     if isinstance(c.value, str))
    assert "06/5/2025" in texts and "06/05/2025" not in texts
    assert styles.date_format(dt.date(2025, 2, 6)) == "dd/mm/yyyy"  # 06/02/2025: months 1-2 keep the zero
    assert styles.date_format(dt.date(2025, 3, 6)) == "dd/m/yyyy"
    assert styles.date_format(dt.date(2025, 3, 6), "en") == "dd/mm/yyyy"
    english = load_workbook(export.export_status_workbook(tmp_path / "en.xlsx", TODAY, lang="en").path)
    assert {c.number_format for row in english["Visits"].iter_rows(min_row=5) for c in row
            if isinstance(c.value, dt.datetime)} == {"dd/mm/yyyy"}


# --- formulas: cached results, Excel 2010 ---------------------------------------------------------

def test_formulas_carry_the_computed_values(exported):
    result, wb = exported
    values = load_workbook(result.path, data_only=True)
    ws, vs = wb[SUMMARY], values[SUMMARY]
    formulas = [c.coordinate for row in ws.iter_rows() for c in row
                if isinstance(c.value, str) and c.value.startswith("=")]
    assert formulas and all(vs[ref].value is not None for ref in formulas)
    assert {ref: vs[ref].value for ref in result.checks} == result.checks
    shares = [vs[ref].value for ref in formulas if ws[ref].number_format == "0.00%"]
    assert shares and all(0 <= v <= 1 for v in shares) and 1 in shares
    days = [r[10] for r in values[TASKS].iter_rows(min_row=5, values_only=True) if r[0] is not None]
    assert sorted(d for d in days if d) == sorted(result.tally.overdue_days)
    total = [r for r in values[VISITS].iter_rows(min_row=5, values_only=True) if r[0] == "Tổng cộng"][0]
    assert total[10:13] == tuple(sum(r[i] for r in values[VISITS].iter_rows(min_row=5, values_only=True)
                                     if isinstance(r[0], int)) for i in (10, 11, 12))
    with zipfile.ZipFile(result.path) as z:
        assert 'fullCalcOnLoad="1"' in z.read("xl/workbook.xml").decode()  # Excel still recalculates
        assert z.testzip() is None


def test_no_formula_needs_more_than_excel_2010(exported):
    result, _wb = exported
    with zipfile.ZipFile(result.path) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>" in xml and "_xlfn." not in xml and "MAXIFS" not in xml


def test_fill_sheet_puts_values_into_empty_formula_cells():
    values = cached.Cached()
    for row, v in ((1, 3), (2, 4), (3, 5)):
        values.set("K", row, v)
    values.set("A", 9, 'Đã kiểm tra 05 đơn vị: <"a" & b>')
    values.set("B", 9, 0.25)
    values.set("C", 9, True)
    text = ('<row r="1"><c r="K1" s="4"><f>IF(A1&lt;2,1,0)</f><v /></c><c r="L1" t="n"><v>7</v></c></row>'
            '<c r="K2"><f>1+1</f><v></v></c><c r="K3" s="2"><f>X</f><v/></c>'
            '<c r="A9" s="1"><f>"a"&amp;"b"</f><v /></c><c r="B9"><f>1/4</f><v /></c>'
            '<c r="C9"><f>TRUE()</f><v /></c><c r="D9"><f>NOW()</f><v /></c>')
    filled = cached.fill_sheet(text, values)
    assert '<c r="K1" s="4"><f>IF(A1&lt;2,1,0)</f><v>3</v></c>' in filled
    assert '<c r="L1" t="n"><v>7</v></c>' in filled
    assert '<c r="K2"><f>1+1</f><v>4</v></c>' in filled and '<c r="K3" s="2"><f>X</f><v>5</v></c>' in filled
    assert ('<c r="A9" s="1" t="str"><f>"a"&amp;"b"</f>'
            '<v>Đã kiểm tra 05 đơn vị: &lt;"a" &amp; b&gt;</v></c>') in filled
    assert '<c r="B9"><f>1/4</f><v>0.25</v></c>' in filled and '<c r="C9" t="b"><f>TRUE()</f><v>1</v></c>' in filled
    assert '<c r="D9"><f>NOW()</f><v /></c>' in filled  # no value known: left for the application
    assert len(values) == 6 and values.runs["K"][1].typecode == "q"


def test_values_are_filled_across_blocks_of_a_big_sheet(monkeypatch, tmp_path):
    """Blocks cut anywhere, even inside a character of two bytes."""
    from openpyxl import Workbook

    monkeypatch.setattr(cached, "CHUNK", 7)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Tồn tại")
    w = styles.SheetWriter(ws)
    for i in range(1, 301):
        w.append([w.cell(f"Nhiệm vụ số {i} – ở Cần Thơ"), w.formula(f"={i}*2", value=i * 2)])
    raw = tmp_path / "raw.xlsx"
    cached.save(wb, str(raw), {"Tồn tại": w.cached})
    values = load_workbook(raw, data_only=True)["Tồn tại"]
    assert [values[f"B{i}"].value for i in range(1, 301)] == [i * 2 for i in range(1, 301)]
    assert values["A300"].value == "Nhiệm vụ số 300 – ở Cần Thơ"
    assert load_workbook(raw)["Tồn tại"]["B7"].value == "=7*2"


# --- texts cut to one Excel cell ---------------------------------------------------------------------

def test_texts_over_an_excel_cell_are_cut_and_say_so(demo_db, tmp_path):
    task = Task.select().order_by(Task.id).first()
    ProgressNote.create(task=task, noted_on=TODAY, author="tester", text="Tiến độ " + "x" * 40_000)
    for year in workplan.YEARS:  # five notes, each allowed, joined in one cell
        workplan.set_milestone("GP1", year, "tester", note=f"Ghi chú {year}: " + "y" * 9_000)
    ChangeLog.update(at=dt.datetime(2025, 1, 2, 8)).where(ChangeLog.entity == "milestone").execute()
    result = export.export_status_workbook(tmp_path / "long.xlsx", TODAY)
    assert result.truncated == 2
    assert {(sheet, cell[0]) for sheet, cell, _n in result.truncations} == {(TASKS, "L"), (PLAN, "K")}
    wb = load_workbook(result.path)
    for sheet, cell, n in result.truncations:
        text = wb[sheet][cell].value
        assert len(text) == styles.MAX_TEXT
        assert text.endswith(f"… [cắt bớt: {n:,} ký tự]".replace(",", "."))
    note = next(n for s, _c, n in result.truncations if s == TASKS)
    assert note == len("Tiến độ ") + 40_000 - styles.MAX_TEXT + len(f"… [cắt bớt: {note:,} ký tự]")
    from inspect_tui.excel.commands import truncation_message
    message = truncation_message(result, "vi")
    assert message.startswith("2 ô dài quá 32.767 ký tự") and "Tồn tại - Khắc phục!L" in message


def test_the_export_command_says_which_cells_were_cut(demo_template, tmp_path, monkeypatch):
    db = tmp_path / "d.sqlite3"
    shutil.copy(demo_template, db)
    store.connect(str(db))
    ProgressNote.create(task=Task.select().first(), noted_on=TODAY, author="t", text="z" * 33_000)
    store.close()
    monkeypatch.setenv("INSPECT_TUI_HOME", str(tmp_path))
    out = Console(record=True, width=300)
    code = cli.main(["--db", str(db), "--today", "06/5/2025", "export", "--out", str(tmp_path / "x.xlsx")],
                    console=out, err=Console(record=True, stderr=True))
    text = out.export_text()
    assert code == 0 and "1 ô dài quá 32.767 ký tự" in text and "(cắt " in text


def test_days_overdue_after_a_finding_without_tasks_still_carry_their_values():
    """A finding without tasks leaves a row without the formula: the rows after
    it still show their days overdue in a preview (the value saved with them)."""
    values = cached.Cached()
    values.set("K", 5, 12)
    values.set("K", 7, 40)  # row 6: a finding without tasks
    values.set("K", 9000, 3)  # far below: kept as well
    text = ''.join(f'<c r="K{r}" s="4"><f>X</f><v /></c>' for r in (5, 6, 7, 9000))
    filled = cached.fill_sheet(text, values)
    assert '<c r="K5" s="4"><f>X</f><v>12</v></c>' in filled
    assert '<c r="K6" s="4"><f>X</f><v /></c>' in filled  # no value of its own: left as written
    assert '<c r="K7" s="4"><f>X</f><v>40</v></c>' in filled
    assert '<c r="K9000" s="4"><f>X</f><v>3</v></c>' in filled
