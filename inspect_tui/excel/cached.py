"""Cached results for formula cells.

A formula cell in an xlsx file holds the formula and, beside it, the value it
had when the file was saved. Previews, phones, mail clients and data-only
readers (openpyxl's `data_only=True`, pandas) show only that value, and Excel
shows it until it recalculates. openpyxl 3.1 cannot write it: its cell writer
puts an empty <v/> after every formula (openpyxl/cell/_writer.py), and there
is no API for the result. So the workbook is saved as openpyxl writes it, then
copied entry by entry into the target, the sheets that have formulas streamed
through `fill_sheet`, which puts into each formula cell's <v> the value our
own code computed for it (the figures `summary` prints). The formulas stay:
Excel recalculates them on opening (openpyxl sets fullCalcOnLoad), LibreOffice
when told to, and the values are the same.

Streaming keeps memory flat: a sheet is read in blocks that end at a cell's
end tag, and the values of a long column of formulas (the days overdue of
every task) are held in an array, not one object per cell.
"""
import datetime as dt
import os
import re
import tempfile
import zipfile
from array import array
from xml.sax.saxutils import escape

MISSING = object()
CHUNK = 1 << 20
ZIP64_FROM = 1 << 30  # a sheet this big may grow past 4 GB with its values: give it Zip64 headers
_SHEETS = re.compile(r'<sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"')
_RELS = re.compile(r'<Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"')
_RELS_REVERSED = re.compile(r'<Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"')
# a formula cell as openpyxl writes it: no type attribute, the formula, an empty value
_FORMULA_CELL = re.compile(
    r'<c r="([A-Z]{1,3})(\d+)"((?:\s+s="\d+")?)\s*>(<f>[^<]*</f>)(?:<v\s*/>|<v></v>)</c>')


class Cached:
    """The values of one sheet's formula cells, by column and row. Whole numbers
    written down a column are kept in an array (8 bytes a row): rows without a
    value in between (a finding without tasks has no days-overdue formula) hold
    a marker, so one gap never sends the rest of a long column into the dict."""

    GAP_MAX = 1000  # rows of markers worth writing rather than a dict entry
    _NONE = -2**63  # the marker: no value in this row (never a whole number we write)

    def __init__(self):
        self.cells: dict[tuple[str, int], object] = {}
        self.runs: dict[str, tuple[int, array]] = {}
        self._count = 0

    def set(self, column: str, row: int, value) -> None:
        self._count += 1
        if type(value) is int and self._NONE < value < 2**63:
            run = self.runs.get(column)
            if run is None:
                self.runs[column] = (row, array("q", [value]))
                return
            first, values = run
            gap = row - (first + len(values))
            if 0 <= gap <= self.GAP_MAX:
                if gap:
                    values.extend([self._NONE] * gap)
                values.append(value)
                return
        self.cells[(column, row)] = value

    def get(self, column: str, row: int):
        value = self.cells.get((column, row), MISSING)
        if value is not MISSING:
            return value
        run = self.runs.get(column)
        if run is not None and 0 <= row - run[0] < len(run[1]):
            value = run[1][row - run[0]]
            return MISSING if value == self._NONE else value
        return MISSING

    def __len__(self) -> int:
        return self._count


def value_xml(value) -> tuple[str, str] | None:
    """(type attribute, <v> text) for a cached value; None to leave the cell empty."""
    if value is None or value is MISSING:
        return None
    if isinstance(value, bool):
        return ' t="b"', "1" if value else "0"
    if isinstance(value, int):
        return "", str(value)
    if isinstance(value, float):
        return "", repr(value)
    return ' t="str"', escape(str(value))


def fill_sheet(text: str, values: Cached) -> str:
    """The sheet XML `text` (whole cells only) with the values put into its
    formula cells; cells without a value are left as they are."""
    def put(match: re.Match) -> str:
        column, row, style, formula = match.group(1), int(match.group(2)), match.group(3), match.group(4)
        found = value_xml(values.get(column, row))
        if found is None:
            return match.group(0)
        kind, text_ = found
        return f'<c r="{column}{row}"{style}{kind}>{formula}<v>{text_}</v></c>'
    return _FORMULA_CELL.sub(put, text)


def _sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """{sheet title: path of its XML in the archive}."""
    from xml.sax.saxutils import unescape

    workbook = archive.read("xl/workbook.xml").decode("utf-8")
    rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    targets = dict(_RELS.findall(rels))
    targets.update({rid: target for target, rid in _RELS_REVERSED.findall(rels)})
    paths = {}
    for name, rid in _SHEETS.findall(workbook):
        target = targets.get(rid)
        if target:
            target = target.lstrip("/")
            paths[unescape(name, {"&quot;": '"', "&apos;": "'"})] = (
                target if target.startswith("xl/") else "xl/" + target)
    return paths


def _stream(source, target, values: Cached) -> None:
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8")()
    pending = ""
    while True:
        block = source.read(CHUNK)
        pending += decoder.decode(block, final=not block)
        if not block:
            target.write(fill_sheet(pending, values).encode("utf-8"))
            return
        cut = pending.rfind("</c>")
        if cut < 0:
            continue
        cut += len("</c>")
        target.write(fill_sheet(pending[:cut], values).encode("utf-8"))
        pending = pending[cut:]


def copy_with_values(source, target, sheets: dict[str, Cached]) -> int:
    """Copy the xlsx `source` to `target` (paths or binary files), putting the
    values of `sheets` ({sheet title: Cached}) into their formula cells.
    Returns the number of values available (for the tests)."""
    with zipfile.ZipFile(source) as zin, \
            zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zout:
        paths = {path: sheets[title] for title, path in _sheet_paths(zin).items()
                 if title in sheets and len(sheets[title])}
        for info in zin.infolist():
            out = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            out.compress_type = zipfile.ZIP_DEFLATED
            out.external_attr = info.external_attr
            big = info.file_size > ZIP64_FROM  # Zip64 headers only where needed: old Excel dislikes them
            with zin.open(info) as src, zout.open(out, "w", force_zip64=big) as dst:
                if info.filename in paths:
                    _stream(src, dst, paths[info.filename])
                else:
                    while block := src.read(CHUNK):
                        dst.write(block)
    return sum(len(v) for v in sheets.values())


def save(wb, target: str, sheets: dict[str, Cached]) -> None:
    """Save the openpyxl workbook `wb` at `target` with the cached values.

    openpyxl writes to a file of its own in a private temporary folder (its
    zip file closes even when the save fails half-way), stored rather than
    compressed: the copy compresses it, once."""
    from openpyxl.writer.excel import ExcelWriter

    with tempfile.TemporaryDirectory(prefix="inspect-xlsx-") as folder:
        raw = os.path.join(folder, "raw.xlsx")
        # what openpyxl's save_workbook does, with ZIP_STORED for ZIP_DEFLATED
        wb.properties.modified = dt.datetime.now(tz=dt.timezone.utc).replace(tzinfo=None)
        with zipfile.ZipFile(raw, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
            ExcelWriter(wb, archive).save()
        copy_with_values(raw, target, sheets)
