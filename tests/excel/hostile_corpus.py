"""A corpus of hostile and careless workbooks, and the exact answer to each.

`setup(actor)` puts a few open tasks of two units (STC, STP) into the bound
database (which must hold the default roster) and imports one filled template;
`build(folder, ids)` then writes every file of CASES into `folder`: most are
derived from STC's per-unit workbook as exported (so they carry this
database's signature), the rest are written from scratch. Each builder
returns the reasons the import must give, exactly, as the report shows them
(one line per file for a file refused whole).

Run it by hand to look at the files: `python tests/excel/hostile_corpus.py OUT_DIR`
(it makes a SQLite database in OUT_DIR).
"""
import datetime as dt
import shutil
import struct
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

from openpyxl import Workbook, load_workbook

from inspect_tui.excel import limits, per_unit, template
from inspect_tui.excel.package import Refusal
from inspect_tui.excel.safety import Sanitiser
from inspect_tui.locale import t
from inspect_tui.rules import exchange, findings, inspections, tasks
from inspect_tui.rules.errors import DomainError

TODAY = dt.date(2025, 11, 20)
LANG = "vi"
FIRST = per_unit.HEADER_ROW + 1  # the sheet row of the first task
SHEET = "Tiến độ khắc phục"
DATA_PART, META_PART, STRINGS_PART = "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", \
    "xl/sharedStrings.xml"


@dataclass
class Case:
    name: str
    kind: str  # "progress" (import-progress) or "template" (import)
    path: Path
    reasons: list[str]  # exactly the problems' reasons, in any order
    already: int = 0  # rows already in the database (a file imported before)
    db: bool = False  # the answer comes from the rules in the database, not the file alone


def r(key: str, **values) -> str:
    """A reason worded by the importer (excel.import.*)."""
    return Refusal(key, **values).message(LANG)


def rule(key: str, **values) -> str:
    """A reason worded by the rules (error.*)."""
    return DomainError(key, **values).message(LANG)


def n(value) -> str:
    from inspect_tui.locale import formats
    return formats.number(value, lang=LANG)


# --- the database the corpus is made for ---------------------------------------------------------

def setup(actor: str) -> SimpleNamespace:
    """Open tasks of STC (three: open, in progress, open) and STP (two), a plan for
    2025; then the template `twice` imported once (the corpus imports it again)."""
    plan = inspections.create_plan(2025, "15/KH-UBND", actor, issued_on=dt.date(2025, 2, 10)).id
    ids = {}
    for code, held, count in (("STC", dt.date(2025, 4, 8), 3), ("STP", dt.date(2025, 4, 10), 2)):
        visit = inspections.add_visit(plan, code, actor, scheduled_on=held)
        inspections.update_visit(visit, actor, TODAY, status="held", held_on=held,
                                 notice_number=f"1{count}/TB-UBND", notice_date=held + dt.timedelta(days=12))
        finding = findings.add(visit, "procedures", f"Chưa niêm yết đầy đủ TTHC ({code})", actor).id
        ids[code] = [findings.add_task(finding, f"Niêm yết TTHC, việc {i + 1} ({code})",
                                       dt.date(2025, 12, 31), actor, TODAY) for i in range(count)]
    tasks.move(ids["STC"][1], "in_progress", actor, TODAY)
    return SimpleNamespace(plan=plan, stc=ids["STC"], stp=ids["STP"])


# --- helpers --------------------------------------------------------------------------------------

def rezip(src: Path, dst: Path, replace=None, add=None, drop=()) -> Path:
    """Copy a package, part by part, replacing parts (bytes, or a function of
    the old bytes), adding parts and dropping some."""
    replace, add = replace or {}, add or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        names = set(zin.namelist())
        missing = [name for name in replace if name not in names]
        assert not missing, f"no part {missing} in {src.name}"
        for info in zin.infolist():
            if info.filename in drop:
                continue
            data = zin.read(info.filename)
            if info.filename in replace:
                new = replace[info.filename]
                data = new(data) if callable(new) else new
            zout.writestr(info.filename, data)
        for name, data in add.items():
            zout.writestr(name, data)
    return dst


def with_strings(src: Path, dst: Path, sst: bytes) -> Path:
    """`src` with a shared-strings part `sst`, declared where Excel declares it
    (the export writes its texts inline and has none)."""
    return rezip(src, dst, replace={
        "[Content_Types].xml": lambda x: x.replace(b"</Types>", (
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')),
        "xl/_rels/workbook.xml.rels": lambda x: x.replace(b"</Relationships>", (
            b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'))},
        add={STRINGS_PART: sst})


def edit(src: Path, dst: Path, fn) -> Path:
    """Change the workbook as a unit would in Excel: fn(wb, progress sheet)."""
    wb = load_workbook(src)
    fn(wb, wb.worksheets[0])
    wb.save(dst)
    return dst


def col(key: str) -> str:
    return per_unit._col(key)


def set_text(ws, ref, value):
    ws[ref] = value
    ws[ref].data_type = "s"  # typed as text, even when it starts with "="


def before_sheet_data_end(extra: bytes):
    return lambda xml: xml.replace(b"</sheetData>", extra + b"</sheetData>", 1)


def ole2(names: list[str]) -> bytes:
    """A minimal compound file (the OLE2 container of .xls files and of
    password-protected workbooks) holding empty streams named `names`."""
    header = bytearray(512)
    header[0:8] = bytes.fromhex("d0cf11e0a1b11ae1")
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<I", header, 44, 1)  # one FAT sector
    struct.pack_into("<I", header, 48, 1)  # the directory starts at sector 1
    struct.pack_into("<I", header, 56, 4096)  # mini stream cutoff
    struct.pack_into("<I", header, 60, 0xFFFFFFFE)
    struct.pack_into("<I", header, 68, 0xFFFFFFFE)
    struct.pack_into("<I", header, 76, 0)  # DIFAT[0]: the FAT is sector 0
    for i in range(1, 109):
        struct.pack_into("<I", header, 76 + 4 * i, 0xFFFFFFFF)
    fat = bytearray(b"\xff" * 512)
    struct.pack_into("<II", fat, 0, 0xFFFFFFFD, 0xFFFFFFFE)
    directory = bytearray(512)
    for i, name in enumerate(["Root Entry"] + names):
        entry = bytearray(128)
        raw = name.encode("utf-16-le") + b"\0\0"
        entry[0:len(raw)] = raw
        struct.pack_into("<HBB", entry, 64, len(raw), 5 if i == 0 else 2, 1)
        struct.pack_into("<III", entry, 68, 0xFFFFFFFF, 0xFFFFFFFF,
                         2 if i == 0 and len(names) else 0xFFFFFFFF)
        if i == 0 and names:
            struct.pack_into("<I", entry, 76, 1)  # the child: the first stream
        if 0 < i < len(names):
            struct.pack_into("<I", entry, 72, i + 1)  # a right sibling: the next stream
        struct.pack_into("<I", entry, 116, 0xFFFFFFFE)
        directory[i * 128:(i + 1) * 128] = entry
    return bytes(header + fat + directory)


# --- the builders: each writes `path` and returns the reasons -------------------------------------
# b = SimpleNamespace(export=STC's workbook, ids=setup's ids, folder=..., template=filled template)

def empty(b, path):
    path.write_bytes(b"")
    return [r("empty_file")]


def not_a_zip(b, path):
    path.write_text("Mã NV;Trạng thái\n1;Đã xong\n", "utf-8")
    return [r("not_workbook")]


def random_bytes(b, path):
    path.write_bytes(bytes(range(256)) * 40)
    return [r("not_workbook")]


def truncated_zip(b, path):
    data = b.export.read_bytes()
    path.write_bytes(data[: len(data) * 3 // 5])
    return [r("unreadable", detail=t("excel.import.damage.zip", lang=LANG))]


def zip_without_workbook(b, path):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    return [r("not_workbook")]


def broken_xml(b, path):
    rezip(b.export, path, replace={"xl/workbook.xml": lambda x: x[: len(x) // 2]})
    return [r("unreadable", detail=t("excel.import.damage.xml_in", lang=LANG, part="xl/workbook.xml"))]


def encrypted(b, path):
    path.write_bytes(ole2(["EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"]))
    return [r("encrypted")]


def old_xls(b, path):
    path.write_bytes(ole2(["Workbook", "\x05SummaryInformation"]))
    return [r("old_xls")]


def macro(b, path):
    types = lambda x: x.replace(b"</Types>", b'<Default Extension="bin" ContentType='
                                b'"application/vnd.ms-office.vbaProject"/></Types>')
    rezip(b.export, path, replace={"[Content_Types].xml": types},
          add={"xl/vbaProject.bin": ole2(["VBA", "PROJECT"])})
    return [r("macro")]


def ods(b, path):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    return [r("ods")]


def billion_laughs(b, path):
    names = "abcdefghij"
    entities = b'<!ENTITY a "lol">' + b"".join(
        b'<!ENTITY %s "%s">' % (names[i].encode(), b"".join([b"&%s;" % names[i - 1].encode()] * 10))
        for i in range(1, len(names)))
    lol = (b'<?xml version="1.0"?><!DOCTYPE sst [' + entities
           + b']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           b"<si><t>&j;</t></si></sst>")
    with_strings(b.export, path, lol)
    return [r("xml_doctype", part=STRINGS_PART)]


def external_entity(b, path):
    rezip(b.export, path, replace={"xl/workbook.xml": lambda x: x.replace(
        b"<workbook ", b'<!DOCTYPE workbook [<!ENTITY x SYSTEM "file:///etc/passwd">]><workbook ', 1)})
    return [r("xml_doctype", part="xl/workbook.xml")]


def huge_shared_string(b, path):
    """A few MB in one shared string (the issue's was 600,000,000 characters)."""
    sst = (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
           + b"A" * 3_000_000 + b"</t></si></sst>")
    with_strings(b.export, path, sst)
    return [r("text_too_long", limit=n(limits.CELL_CHARS_MAX))]


def part_over_limit(b, path):
    """Shared strings 8 MB past the limit (72 MB), zipped to some 70 KB."""
    megabytes = limits.SHEET_PART_BYTES_MAX // limits.MB + 8
    with_strings(b.export, path, b"")
    with zipfile.ZipFile(path) as zin:
        parts = [(i.filename, zin.read(i.filename)) for i in zin.infolist() if i.filename != STRINGS_PART]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in parts:
            zout.writestr(name, data)
        with zout.open(STRINGS_PART, "w") as part:
            part.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>')
            chunk = b"A" * (1 << 20)
            for _ in range(megabytes):
                part.write(chunk)
            part.write(b"</t></si></sst>")
    return [r("part_too_big", part=STRINGS_PART, size=f"{n(megabytes)} MB",
              limit=f"{n(limits.SHEET_PART_BYTES_MAX // limits.MB)} MB")]


def too_many_strings(b, path):
    sst = (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           + b"<si><t>x</t></si>" * (limits.SHARED_STRINGS_MAX + 1) + b"</sst>")
    with_strings(b.export, path, sst)
    return [r("too_many_strings", limit=n(limits.SHARED_STRINGS_MAX))]


def rich_text_bomb(b, path):
    runs = b"<r><t>a</t></r>" * 150
    with_strings(b.export, path, b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                 b"<si>" + runs + b"</si></sst>")
    return [r("text_too_complex", n=1)]


def dimension_bomb(b, path):
    rezip(b.export, path, replace={DATA_PART: lambda x: x.replace(
        x[x.index(b"<dimension"):x.index(b"/>", x.index(b"<dimension")) + 2],
        b'<dimension ref="A1:XFD1048576"/>', 1)})
    return [r("dimension", sheet=SHEET, ref="A1:XFD1048576", rows=n(limits.ROWS_MAX),
              columns=n(limits.CELLS_PER_ROW_MAX))]


def cell_at_the_last_row(b, path):
    """The claim is honest; a cell sits at XFD1048576 all the same."""
    rezip(b.export, path, replace={DATA_PART: before_sheet_data_end(
        b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>')})
    return [r("too_many_rows", sheet=SHEET, row=n(1048576), limit=n(limits.ROWS_MAX))]


def row_past_the_limit(b, path):
    rezip(b.export, path, replace={DATA_PART: before_sheet_data_end(
        b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % ((limits.ROWS_MAX + 1,) * 2))})
    return [r("too_many_rows", sheet=SHEET, row=n(limits.ROWS_MAX + 1), limit=n(limits.ROWS_MAX))]


def wide_row(b, path):
    cells = b'<c t="inlineStr"><is><t>x</t></is></c>' * (limits.CELLS_PER_ROW_MAX + 36)
    rezip(b.export, path, replace={DATA_PART: before_sheet_data_end(b'<row r="60">' + cells + b"</row>")})
    return [r("too_many_cells", sheet=SHEET, row=60, limit=n(limits.CELLS_PER_ROW_MAX))]


def far_column(b, path):
    rezip(b.export, path, replace={DATA_PART: before_sheet_data_end(
        b'<row r="60"><c r="BZ60" t="inlineStr"><is><t>x</t></is></c></row>')})
    return [r("too_many_columns", sheet=SHEET, cell="BZ60", limit=n(limits.CELLS_PER_ROW_MAX))]


def hyperlink_bomb(b, path):
    """Elements around the rows that openpyxl would make objects of, one each."""
    links = b"<hyperlinks>" + b'<hyperlink ref="A1" display="x"/>' * (limits.ELEMENTS_MAX + 10) + b"</hyperlinks>"
    rezip(b.export, path, replace={DATA_PART: lambda x: x.replace(b"</sheetData>", b"</sheetData>" + links, 1)})
    return [r("too_many_elements", part=DATA_PART, limit=n(limits.ELEMENTS_MAX))]


def too_many_parts(b, path):
    rezip(b.export, path, add={f"customXml/pad{i}.bin": b"" for i in range(limits.PARTS_MAX)})
    with zipfile.ZipFile(path) as z:
        count = len(z.infolist())
    return [r("too_many_parts", n=n(count), limit=n(limits.PARTS_MAX))]


def file_too_big(b, path):
    shutil.copy(b.export, path)
    with open(path, "r+b") as f:  # sparse: nothing is written to disk
        f.truncate(limits.FILE_BYTES_MAX + limits.MB)
    size = (limits.FILE_BYTES_MAX + limits.MB) // limits.MB
    return [r("file_too_big", size=f"{size} MB", limit=f"{n(limits.FILE_BYTES_MAX // limits.MB)} MB")]


def long_inline_cell(b, path):
    """40,000 characters typed inline in the note of the first row, in two runs."""
    ref = f"{col('note')}{FIRST}".encode()
    run = b"<r><t>" + b"B" * 20_000 + b"</t></r>"
    rezip(b.export, path, replace={DATA_PART: lambda x: _replace_cell(
        x, ref, b'<c r="%s" t="inlineStr"><is>%s%s</is></c>' % (ref, run, run))})
    return [r("cell_text_too_long", sheet=SHEET, cell=ref.decode(), limit=n(limits.CELL_CHARS_MAX))]


def hundred_thousand_characters(b, path):
    """(openpyxl itself would cut such a text at 32,767: written as Excel would not.)"""
    ref = f"{col('note')}{FIRST + 1}".encode()
    rezip(b.export, path, replace={DATA_PART: lambda x: _replace_cell(
        x, ref, b'<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, b"C" * 100_000))})
    return [r("cell_text_too_long", sheet=SHEET, cell=ref.decode(), limit=n(limits.CELL_CHARS_MAX))]


def _replace_cell(xml: bytes, ref: bytes, new: bytes) -> bytes:
    start = xml.find(b'<c r="%s"' % ref)
    end = xml.find(b"</c>", start)
    self_closing = xml.find(b"/>", start)
    if self_closing != -1 and (end == -1 or self_closing < end) and xml[start:self_closing].count(b">") == 0:
        end = self_closing + 2
    else:
        end += 4
    return xml[:start] + new + xml[end:]


def control_characters(b, path):
    edit(b.export, path, lambda wb, ws: set_text(ws, f"{col('note')}{FIRST}", "Đã xong \x9b[31m"))
    return [r("control_characters")]


def formula(b, path):
    edit(b.export, path, lambda wb, ws: ws.__setitem__(f"{col('evidence_ref')}{FIRST}", "=1+1"))
    return [r("formula")]


def merged_cells(b, path):
    edit(b.export, path, lambda wb, ws: ws.merge_cells(f"I{FIRST}:K{FIRST}"))
    return [t("excel.import.merged", lang=LANG, ref=f"I{FIRST}:K{FIRST}")]


def wrong_sheet_name(b, path):
    edit(b.export, path, lambda wb, ws: setattr(ws, "title", "Sheet1"))
    return [r("missing_sheet", sheet=SHEET)]


def missing_column(b, path):
    edit(b.export, path, lambda wb, ws: ws.delete_cols(per_unit.KEYS.index("completed_on") + 1))
    name = t("excel.unit.completed_on", lang=LANG)
    return [t("excel.import.missing_column", lang=LANG, column=name)]


def protected_column(b, path):
    original = tasks.get(b.ids.stc[0]).description
    edit(b.export, path, lambda wb, ws: set_text(ws, f"{col('description')}{FIRST}", "Đã sửa nội dung"))
    return [t("excel.import.protected", lang=LANG, old=original, new="Đã sửa nội dung")]


def meta_edit(change):
    def build(b, path):
        def fn(wb, ws):
            change(wb[t("excel.sheet.meta", lang=LANG)], b)
        edit(b.export, path, fn)
        return [r("tampered")]
    return build


def old_export(b, path):
    edit(b.export, path, lambda wb, ws: wb["_xuat"].__setitem__("B1", "inspect-tui/progress/1"))
    return [r("old_export")]


def key_column_edited(b, path):
    edit(b.export, path, lambda wb, ws: (ws.__setitem__(f"A{FIRST}", b.ids.stp[0]),
                                         set_text(ws, f"{col('note')}{FIRST}", "Xong")))
    return [r("key_edited", value=str(b.ids.stp[0])), r("deleted_row", id=b.ids.stc[0], row=FIRST)]


def another_units_task_signed(b, path):
    """An insider's file: signed with the database's key, made out to STC, but
    holding STP's tasks. The rules see the task is not STC's."""
    rows = exchange.open_tasks_of("STP")
    per_unit.write_unit_workbook(path, "STC", "Sở Tài chính", rows, TODAY, LANG,
                                 dt.datetime(2025, 11, 20, 8, 0), Sanitiser())
    edit(path, path, lambda wb, ws: set_text(ws, f"{col('note')}{FIRST}", "Đã xong việc của STP"))
    return [r("other_unit", id=rows[0].task_id, unit="STC", owner="STP")]


def status_row(status, date=None, note="", row=0):
    def fn(wb, ws):
        set_text(ws, f"{col('status')}{FIRST + row}", status)
        if date is not None:
            ws[f"{col('completed_on')}{FIRST + row}"] = date
        if note:
            set_text(ws, f"{col('note')}{FIRST + row}", note)
    return fn


def unit_cancels(b, path):
    edit(b.export, path, status_row("Đã hủy", note="Không làm nữa"))
    return [rule("unit_cannot_set", id=b.ids.stc[0], status="cancelled")]


def unit_verifies(b, path):
    edit(b.export, path, status_row("Đã xác nhận", dt.datetime(2025, 11, 1)))
    return [rule("unit_cannot_set", id=b.ids.stc[0], status="verified")]


def nfd_cancel(b, path):
    edit(b.export, path, status_row(unicodedata.normalize("NFD", "Đã hủy"), note="Bỏ"))
    return [rule("unit_cannot_set", id=b.ids.stc[0], status="cancelled")]


def date_without_status(b, path):
    edit(b.export, path, lambda wb, ws: set_text(ws, f"{col('completed_on')}{FIRST}", "05/11/2025"))
    return [rule("completed_needs_done", id=b.ids.stc[0], status="open")]


def serial_date_in_progress(b, path):
    edit(b.export, path, status_row("Đang thực hiện", 45960))  # an Excel day number: 15/10/2025
    return [rule("completed_needs_done", id=b.ids.stc[0], status="in_progress")]


def done_without_date(b, path):
    edit(b.export, path, status_row("Đã báo cáo hoàn thành", note="Đã xong"))
    return [rule("done_needs_date", id=b.ids.stc[0])]


def date_1900_text(b, path):
    edit(b.export, path, status_row("Đã báo cáo hoàn thành", "01/3/1900"))
    return [r("date_range", value="01/3/1900", low="01/01/2000", high="31/12/2099")]


def date_1900_cell(b, path):
    edit(b.export, path, status_row("Đã báo cáo hoàn thành", dt.datetime(1900, 3, 1)))
    return [r("date_range", value="01/3/1900", low="01/01/2000", high="31/12/2099")]


def serial_out_of_range(b, path):
    """61 typed in a cell formatted as a number: an Excel day number of 1900."""
    def fn(wb, ws):
        status_row("Đã báo cáo hoàn thành", 61)(wb, ws)
        ws[f"{col('completed_on')}{FIRST}"].number_format = "General"
    edit(b.export, path, fn)
    return [r("bad_serial", value="61", low="01/01/2000", high="31/12/2099")]


def date_in_future(b, path):
    edit(b.export, path, status_row("Đã báo cáo hoàn thành", dt.datetime(2025, 12, 1)))
    return [rule("completed_in_future", day=dt.date(2025, 12, 1))]


def deleted_row(b, path):
    edit(b.export, path, lambda wb, ws: ws.delete_rows(FIRST + 1))
    return [r("deleted_row", id=b.ids.stc[1], row=FIRST + 1)]


def new_row(b, path):
    edit(b.export, path, lambda wb, ws: set_text(ws, f"{col('note')}{FIRST + 3}", "Việc mới do đơn vị thêm"))
    return [r("new_row")]


def duplicate_row(b, path):
    edit(b.export, path, lambda wb, ws: ws.__setitem__(f"A{FIRST + 1}", b.ids.stc[0]))
    return [r("duplicate_task", id=b.ids.stc[0], where=path.name),
            r("deleted_row", id=b.ids.stc[1], row=FIRST + 1)]


def bad_status(b, path):
    edit(b.export, path, status_row("Xong rồi"))
    return [r("bad_status", value="Xong rồi")]


def evidence_too_long(b, path):
    edit(b.export, path, lambda wb, ws: set_text(ws, f"{col('evidence_ref')}{FIRST}", "CV-" + "9" * 200))
    return [rule("too_long", field=t("excel.unit.evidence_ref", lang=LANG), limit="120", length="203")]


def template_as_progress(b, path):
    shutil.copy(b.template, path)
    return [r("template_not_progress")]


def plain_workbook(b, path):
    wb = Workbook()
    wb.active.append(["Mã NV", "Trạng thái"])
    wb.save(path)
    return [r("not_progress")]


# --- templates -------------------------------------------------------------------------------------

TWICE = {"plan": [[2025, "15/KH-UBND", "10/2/2025", "Toàn diện"]],
         "visits": [["KT1", "SNV", "10/6/2025", "BB 01", "120/TB-UBND", dt.datetime(2025, 6, 20), "Khá"],
                    ["KT2", "STP", "12/6/2025", "", "", None, ""]],
         "findings": [["KT1", "KT1-1", "Cải cách thủ tục hành chính", "Trung bình", "Chưa niêm yết TTHC", ""],
                      ["KT2", "KT2-1", "Thể chế", "", "Chưa rà soát văn bản", ""]],
         "tasks": [["KT1-1", "Niêm yết đầy đủ TTHC", "", "Nguyễn Văn A", "30/12/2025"],
                   ["KT2-1", "Rà soát văn bản", "STP", "", dt.datetime(2026, 1, 15)]]}


def fill_template(path: Path, rows: dict) -> Path:
    template.write_template(path, TODAY, LANG)
    return fill_rows(path, rows)


def fill_rows(path: Path, rows: dict, lang: str = LANG) -> Path:
    """Type `rows` ({sheet key: rows of values}) into the written template at
    `path` as a team would: texts as texts, even one that starts with "="."""
    wb = load_workbook(path)
    for key, values in rows.items():
        ws = wb[template.title(key, lang)]
        for i, row in enumerate(values):
            for j, value in enumerate(row, 1):
                cell = ws.cell(row=template.HEADER_ROW + 1 + i, column=j, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"
    wb.save(path)
    return path


def template_twice(b, path):
    shutil.copy(b.template, path)
    return []  # the second time: nothing to do, every row already there (see ALREADY)


def template_dissolved_unit(b, path):
    fill_template(path, {"plan": TWICE["plan"],
                         "visits": [["KT1", "Q-NK", "15/8/2025", "", "", None, ""]],
                         "findings": [["KT1", "F1", "Thể chế", "", "Chưa rà soát", ""]],
                         "tasks": [["F1", "Rà soát", "", "", "30/12/2025"]]})
    return [rule("unit_not_existing", code="Q-NK", day=dt.date(2025, 8, 15))]


def template_due_before_visit(b, path):
    fill_template(path, {"plan": TWICE["plan"],
                         "visits": [["KT1", "SNV", "20/8/2025", "", "", None, ""]],
                         "findings": [["KT1", "F1", "Thể chế", "", "Chưa rà soát văn bản 2025", ""]],
                         "tasks": [["F1", "Rà soát", "", "", "01/8/2025"]]})
    return [rule("due_before_visit", due=dt.date(2025, 8, 1), day=dt.date(2025, 8, 20))]


def template_visit_in_future(b, path):
    fill_template(path, {"plan": TWICE["plan"],
                         "visits": [["KT1", "SNV", "10/12/2025", "", "", None, ""]],
                         "findings": [], "tasks": []})
    return [rule("held_in_future", day=dt.date(2025, 12, 10))]


def template_unknown_unit(b, path):
    fill_template(path, {"plan": TWICE["plan"], "visits": [["KT1", "KHONG-CO", "10/6/2025", "", "", None, ""]],
                         "findings": [], "tasks": []})
    return [rule("unknown_unit", code="KHONG-CO")]


def progress_as_template(b, path):
    shutil.copy(b.export, path)
    return [r("progress_not_template")]


def template_huge_strings(b, path):
    sst = (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
           + b"A" * 2_000_000 + b"</t></si></sst>")
    with_strings(b.template, path, sst)  # a template saved by Excel keeps its texts there
    return [r("text_too_long", limit=n(limits.CELL_CHARS_MAX))]


P, T = "progress", "template"
CASES = [  # (name, kind, builder, answered by the rules in the database)
    ("empty", P, empty, False),
    ("not-a-zip", P, not_a_zip, False),
    ("random-bytes", P, random_bytes, False),
    ("truncated-zip", P, truncated_zip, False),
    ("zip-without-workbook", P, zip_without_workbook, False),
    ("broken-xml", P, broken_xml, False),
    ("encrypted", P, encrypted, False),
    ("old-xls", P, old_xls, False),
    ("macro.xlsm", P, macro, False),
    ("ods", P, ods, False),
    ("billion-laughs", P, billion_laughs, False),
    ("external-entity", P, external_entity, False),
    ("huge-shared-string", P, huge_shared_string, False),
    ("part-over-limit", P, part_over_limit, False),
    ("too-many-strings", P, too_many_strings, False),
    ("rich-text-bomb", P, rich_text_bomb, False),
    ("dimension-bomb", P, dimension_bomb, False),
    ("cell-at-XFD1048576", P, cell_at_the_last_row, False),
    ("row-past-the-limit", P, row_past_the_limit, False),
    ("wide-row", P, wide_row, False),
    ("far-column", P, far_column, False),
    ("hyperlink-bomb", P, hyperlink_bomb, False),
    ("too-many-parts", P, too_many_parts, False),
    ("file-too-big", P, file_too_big, False),
    ("long-inline-cell", P, long_inline_cell, False),
    ("100000-characters", P, hundred_thousand_characters, False),
    ("control-characters", P, control_characters, False),
    ("formula", P, formula, False),
    ("merged-cells", P, merged_cells, False),
    ("wrong-sheet-name", P, wrong_sheet_name, False),
    ("missing-column", P, missing_column, False),
    ("protected-column", P, protected_column, False),
    ("forged-version", P, meta_edit(lambda ws, b: ws.__setitem__(f"B{per_unit.META_TABLE_ROW + 1}", "99")), False),
    ("forged-unit", P, meta_edit(lambda ws, b: ws.__setitem__("B2", "STP")), False),
    ("forged-task-id", P, meta_edit(lambda ws, b: ws.__setitem__(f"A{per_unit.META_TABLE_ROW + 1}",
                                                                    str(b.ids.stp[0]))), False),
    ("signature-removed", P, meta_edit(lambda ws, b: ws.__setitem__(f"B{per_unit.SIGNATURE_ROW}", None)), False),
    ("old-export", P, old_export, False),
    ("key-column-edited", P, key_column_edited, False),
    ("another-units-task", P, another_units_task_signed, True),
    ("unit-cancels", P, unit_cancels, True),
    ("unit-verifies", P, unit_verifies, True),
    ("nfd-cancel", P, nfd_cancel, True),
    ("date-without-status", P, date_without_status, True),
    ("serial-date-in-progress", P, serial_date_in_progress, True),
    ("done-without-date", P, done_without_date, True),
    ("date-1900-text", P, date_1900_text, False),
    ("date-1900-cell", P, date_1900_cell, False),
    ("serial-out-of-range", P, serial_out_of_range, False),
    ("date-in-future", P, date_in_future, True),
    ("deleted-row", P, deleted_row, False),
    ("new-row", P, new_row, False),
    ("duplicate-row", P, duplicate_row, False),
    ("bad-status", P, bad_status, False),
    ("evidence-too-long", P, evidence_too_long, True),
    ("template-as-progress", P, template_as_progress, False),
    ("plain-workbook", P, plain_workbook, False),
    ("template-twice", T, template_twice, True),
    ("template-dissolved-unit", T, template_dissolved_unit, True),
    ("template-due-before-visit", T, template_due_before_visit, True),
    ("template-visit-in-future", T, template_visit_in_future, True),
    ("template-unknown-unit", T, template_unknown_unit, False),
    ("template-huge-strings", T, template_huge_strings, False),
    ("progress-as-template", T, progress_as_template, False),
]
NAMES = [c[0] for c in CASES]
ALREADY = {"template-twice": 7,  # the plan, two visits, two findings, two tasks
           "template-dissolved-unit": 1, "template-due-before-visit": 1,  # the plan
           "template-visit-in-future": 1, "template-unknown-unit": 1}


def build(folder: Path, ids: SimpleNamespace, twice: Path) -> dict[str, Case]:
    """Every file of CASES in `folder` (the database bound, set up by `setup`;
    `twice` the template already imported once)."""
    folder.mkdir(parents=True, exist_ok=True)
    written, _ = per_unit.export_per_unit(folder / "exported", TODAY, only="STC", lang=LANG,
                                          exported_at=dt.datetime(2025, 11, 20, 8, 0))
    b = SimpleNamespace(export=written[0].path, ids=ids, template=twice)
    cases = {}
    for name, kind, builder, db in CASES:
        suffix = "" if Path(name).suffix else ".xlsx"
        path = folder / f"{name}{suffix}"
        reasons = builder(b, path)
        cases[name] = Case(name, kind, path, reasons, ALREADY.get(name, 0), db)
    return cases


def prepare(folder: Path, actor: str) -> dict[str, Case]:
    """setup + the template imported once + build."""
    from inspect_tui.excel.record_import import import_record

    ids = setup(actor)
    twice = fill_template(folder / "filled-template.xlsx", TWICE)
    first = import_record(twice, actor, TODAY, LANG)
    assert first.applied, [p.reason for p in first.problems]
    return build(folder / "corpus", ids, twice)


if __name__ == "__main__":  # pragma: no cover - by hand
    import sys

    from inspect_tui.rules import seed
    from inspect_tui.store import db as store

    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    store.connect(str(out / "corpus.sqlite3"), create=True)
    seed.load_defaults("corpus")
    for case in prepare(out, "corpus").values():
        print(f"{case.kind:9} {case.path.name:32} {case.reasons}")
