"""The importers' cell reader (excel/sheet_xml.py) reads what openpyxl's
read-only reader reads: the same values and data types, row by row, on every
workbook of the hostile corpus the package checks let through, and on a
workbook holding every kind of cell."""
import datetime as dt
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from inspect_tui.excel.package import Deadline, Refusal, open_package

from .test_hostile_corpus import bound, on_sqlite as corpus  # noqa: F401 (a fixture: the corpus, built once per module)


def theirs(path: Path) -> dict[str, list]:
    wb = load_workbook(path, read_only=True, data_only=False, keep_links=False)
    for ws in wb.worksheets:
        ws.reset_dimensions()  # as the importers read: never up to the size a sheet claims
    try:
        return {ws.title: [tuple((c.value, c.data_type) if c.value is not None else None for c in row)
                           for row in ws.iter_rows()] for ws in wb.worksheets}
    finally:
        wb.close()


def ours(path: Path) -> dict[str, list]:
    package = open_package(path, "vi", Deadline())
    try:
        return {title: [tuple((c.value, c.data_type) if c.value is not None else None for c in row)
                        for row in package.sheet(title).iter_rows()] for title in package.sheetnames}
    finally:
        package.close()


def same(path: Path) -> None:
    expected = theirs(path)
    got = ours(path)
    assert list(got) == list(expected)
    for title in expected:
        # openpyxl pads every row to the sheet's claimed width; compare the cells held
        trim = [tuple(_trim(r)) for r in expected[title]]
        assert [tuple(_trim(r)) for r in got[title]] == trim, (path.name, title)


def _trim(row):
    row = list(row)
    while row and row[-1] is None:
        row.pop()
    return row


def every_kind(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Các ô"
    ws["B2"] = "Sở Tư pháp"
    ws["C2"] = 45225
    ws["D2"] = 1.5
    ws["E2"] = dt.date(2025, 5, 6)
    ws["F2"] = dt.datetime(2025, 5, 6, 10, 30)
    ws["G2"] = True
    ws["H2"] = "=1+2"
    ws["I2"] = "  khoảng trắng  "
    ws["J2"] = "dòng một\ndòng hai"
    ws["B4"] = CellRichText(["Cần ", TextBlock(InlineFont(b=True), "Thơ")])
    ws["C4"] = "x005F_x000D_ giữ nguyên"
    ws["D4"] = dt.time(8, 15)
    ws["E4"] = dt.timedelta(hours=30)
    ws["F4"] = "#N/A"
    ws["G4"] = 1e20
    ws["H4"] = -7
    ws["K7"] = "xa"
    other = wb.create_sheet("Trống")
    other.sheet_state = "hidden"
    wb.save(path)
    return path


def test_every_kind_of_cell_reads_as_openpyxl_reads_it(tmp_path):
    same(every_kind(tmp_path / "every.xlsx"))


def test_inline_strings_rows_without_numbers_and_phonetic_guides(tmp_path):
    """Cells and rows without their `r`, inline rich text and a phonetic guide
    (never part of the text), as some generators write them."""
    path = every_kind(tmp_path / "base.xlsx")
    sheet = ('<?xml version="1.0" encoding="UTF-8"?>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             '<row><c t="inlineStr"><is><t>một</t></is></c><c><v>2</v></c></row>'
             '<row r="3"><c r="B3" t="inlineStr"><is><r><t>Cần </t></r><r><t>Thơ</t></r>'
             '<rPh sb="0" eb="1"><t>phiên âm</t></rPh></is></c><c t="str"><f>A1</f><v>một</v></c>'
             '<c t="e"><v>#DIV/0!</v></c><c t="b"><v>0</v></c><c t="inlineStr"/></row>'
             '</sheetData></worksheet>').encode()
    out = tmp_path / "raw.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = sheet if info.filename == "xl/worksheets/sheet1.xml" else src.read(info.filename)
            dst.writestr(info, data)
    same(out)
    rows = ours(out)["Các ô"]
    assert rows[0][:2] == (("một", "s"), (2, "n")) and rows[1] == ()
    assert rows[2][1] == ("Cần Thơ", "s") and rows[2][2] == ("=A1", "f")


def test_a_cell_the_reader_cannot_decode_refuses_the_file(tmp_path):
    path = every_kind(tmp_path / "base.xlsx")
    out = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                assert b"<v>45225</v>" in data
                data = data.replace(b"<v>45225</v>", b"<v>bon</v>")  # a number that is not one
            dst.writestr(info, data)
    package = open_package(out, "vi", Deadline())
    try:
        with pytest.raises(Refusal) as refused:
            list(package.sheet("Các ô").iter_rows())
        assert refused.value.message("vi") == (
            'Không đọc được sổ tính: nội dung XML của thành phần "xl/worksheets/sheet1.xml" bị hỏng.')
    finally:
        package.close()


@pytest.mark.slow
def test_every_workbook_of_the_corpus_the_checks_let_through(corpus):
    read = 0
    for case in bound(corpus).values():
        try:
            open_package(case.path, "vi", Deadline()).close()
        except Refusal:
            continue
        same(case.path)
        read += 1
    assert read >= 20


def test_shared_texts_named_but_missing_refuse_the_file(tmp_path):
    """The relationships name a part of shared texts the package lacks (the
    content types do not list it, so openpyxl opens the file): one line, no traceback."""
    path = every_kind(tmp_path / "base.xlsx")
    out = tmp_path / "no-strings.xlsx"
    named = (b'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
             b'sharedStrings" Target="sharedStrings.xml" Id="rId99"/></Relationships>')
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", named)
            dst.writestr(info, data)
    package = open_package(out, "vi", Deadline())
    try:
        with pytest.raises(Refusal) as refused:
            package.sheet("Các ô")
        assert refused.value.message("vi") == (
            "Không đọc được sổ tính: thiếu thành phần xl/sharedStrings.xml.")
    finally:
        package.close()
