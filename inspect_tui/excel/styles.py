"""Fonts, borders, number formats, the page set-up and the official blocks
(header, place-date line, "Nơi nhận:") that every workbook shares.

Sheets are written row by row through `SheetWriter`, which works the same on
streaming (write-only) and ordinary worksheets: cells are made with a style
name, and the style of the first cell made with each name is copied to the
next ones, so styling a hundred thousand rows costs little.
"""
import copy
import datetime as dt
from dataclasses import dataclass, field

from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins

from inspect_tui.excel.safety import Sanitiser
from inspect_tui.locale import formats, t

FONT = "Times New Roman"
DATE_FORMAT = "dd/mm/yyyy"
PERCENT_FORMAT = "0.00%"
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.00"
MAX_TEXT = 32767  # characters an Excel cell can hold

THIN = Side(style="thin", color="000000")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
LATE_FILL = PatternFill("solid", fgColor="FCE4D6")
OVERDUE_FILL = PatternFill("solid", fgColor="F8CBAD")
OVERDUE_FONT = Font(name=FONT, color="9C0006")
EDITABLE_FILL = PatternFill("solid", fgColor="FFF2CC")

CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="top", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="top", wrap_text=False)
TOP_CENTER = Alignment(horizontal="center", vertical="top", wrap_text=True)


def _font(size=11, bold=False, italic=False, underline=None):
    return Font(name=FONT, size=size, bold=bold, italic=italic, underline=underline)


# name: (font, alignment, border, fill, number format)
STYLES = {
    "agency": (_font(12), CENTER, None, None, None),
    "agency_bold": (_font(12, bold=True), CENTER, None, None, None),
    "nation": (_font(12, bold=True), CENTER, None, None, None),
    "motto": (_font(13, bold=True, underline="single"), CENTER, None, None, None),
    "number_line": (_font(13), CENTER, None, None, None),
    "place_date": (_font(13, italic=True), CENTER, None, None, None),
    "title": (_font(14, bold=True), CENTER, None, None, None),
    "subtitle": (_font(12, italic=True), CENTER, None, None, None),
    "section": (_font(12, bold=True), Alignment(horizontal="left", vertical="center"), None, None, None),
    "sentence": (_font(12), Alignment(horizontal="left", vertical="center", wrap_text=True), None, None, None),
    "label_right": (_font(12, italic=True), Alignment(horizontal="right", vertical="center"), None, None, None),
    "head": (_font(11, bold=True), CENTER, GRID, HEADER_FILL, None),
    "text": (_font(11), LEFT, GRID, None, "@"),
    "text_center": (_font(11), TOP_CENTER, GRID, None, "@"),
    "int": (_font(11), TOP_CENTER, GRID, None, INTEGER_FORMAT),
    "year": (_font(11), TOP_CENTER, GRID, None, "0"),
    "number": (_font(11), Alignment(horizontal="right", vertical="top"), GRID, None, DECIMAL_FORMAT),
    "percent": (_font(11), Alignment(horizontal="right", vertical="top"), GRID, None, PERCENT_FORMAT),
    "date": (_font(11), TOP_CENTER, GRID, None, DATE_FORMAT),
    "total_label": (_font(11, bold=True), CENTER, GRID, TOTAL_FILL, None),
    "total_int": (_font(11, bold=True), TOP_CENTER, GRID, TOTAL_FILL, INTEGER_FORMAT),
    "total_percent": (_font(11, bold=True), Alignment(horizontal="right", vertical="top"), GRID,
                      TOTAL_FILL, PERCENT_FORMAT),
    "late_text": (_font(11), LEFT, GRID, LATE_FILL, "@"),
    "edit_text": (_font(11), LEFT, GRID, EDITABLE_FILL, "@"),
    "edit_center": (_font(11), TOP_CENTER, GRID, EDITABLE_FILL, None),
    "edit_date": (_font(11), TOP_CENTER, GRID, EDITABLE_FILL, DATE_FORMAT),
    "recipients_head": (_font(12, bold=True, italic=True), Alignment(horizontal="left", vertical="top"),
                        None, None, None),
    "recipients": (_font(11), Alignment(horizontal="left", vertical="top"), None, None, None),
    "signature": (_font(13, bold=True), CENTER, None, None, None),
    "note": (_font(11, italic=True), Alignment(horizontal="left", vertical="top", wrap_text=True),
             None, None, None),
    "plain": (_font(11), Alignment(vertical="top"), None, None, None),
}
EDITABLE_STYLES = ("edit_text", "edit_center", "edit_date")


class SheetWriter:
    """Append styled rows to a worksheet (streaming or not) and remember merges."""

    def __init__(self, ws, sanitiser: Sanitiser | None = None):
        self.ws = ws
        self.sanitiser = sanitiser or Sanitiser()
        self.row = 0
        self._styles: dict = {}
        self.truncated = 0
        self.widths: list[float] = []
        self.streaming = not hasattr(ws, "merge_cells")  # write-only sheets cannot merge later

    def cell(self, value=None, style: str = "text", locked: bool | None = None,
             typed: bool = True) -> Cell:
        if isinstance(value, str):
            value = self.sanitiser.text(value, typed)
            if len(value) > MAX_TEXT:
                value = value[:MAX_TEXT]
                self.truncated += 1
        c = Cell(self.ws, row=1, column=1, value=value)
        if isinstance(value, str):
            c.data_type = "s"  # never a formula, whatever the text starts with
        self._apply(c, style)
        if locked is not None:
            c.protection = Protection(locked=locked)
        return c

    def formula(self, text: str, style: str = "int") -> Cell:
        c = Cell(self.ws, row=1, column=1)
        c.value = text if text.startswith("=") else "=" + text
        self._apply(c, style)
        return c

    def _apply(self, c: Cell, style: str) -> None:
        cached = self._styles.get(style)
        if cached is not None:
            c._style = copy.copy(cached)
            return
        font, alignment, border, fill, number_format = STYLES[style]
        c.font = font
        c.alignment = alignment
        if border is not None:
            c.border = border
        if fill is not None:
            c.fill = fill
        if number_format:
            c.number_format = number_format
        self._styles[style] = copy.copy(c._style)

    def append(self, cells: list, height: float | None = None, fit: bool = False) -> int:
        """Write one row; a streaming sheet takes the row height only before the row.

        `fit`: set the height from the wrapped text, because neither Excel nor
        LibreOffice reliably sizes rows of a generated file when opening it."""
        if fit and self.widths:
            height = fit_height(cells, self.widths)
        if height:
            self.ws.row_dimensions[self.row + 1].height = height
        self.ws.append(cells)
        self.row += 1
        if height and self.streaming:
            del self.ws.row_dimensions[self.row]  # already written; keep memory flat
        return self.row

    def blank(self, n: int = 1) -> None:
        for _ in range(n):
            self.append([])

    def merge(self, first_col: int, last_col: int, row: int | None = None, last_row: int | None = None):
        row = row or self.row
        if last_col <= first_col and (last_row or row) == row:
            return
        ref = f"{get_column_letter(first_col)}{row}:{get_column_letter(last_col)}{last_row or row}"
        if hasattr(self.ws, "merge_cells"):
            self.ws.merge_cells(ref)
        else:
            self.ws.merged_cells.add(ref)

    def line(self, value, style: str, first_col: int, last_col: int, height: float | None = None) -> int:
        """One merged line of text across columns first_col..last_col."""
        cells = [None] * (first_col - 1) + [self.cell(value, style)]
        row = self.append(cells, height)
        self.merge(first_col, last_col)
        return row


LINE_HEIGHT = 15.0  # points per line of 11 pt Times New Roman
CHARS_PER_WIDTH = 1.25  # Times New Roman is narrower than the width unit (a Calibri "0")


def fit_height(cells: list, widths: list[float], line: float = LINE_HEIGHT) -> float | None:
    """Row height that shows every wrapped text cell whole; None for one line."""
    lines = 1
    for cell, width in zip(cells, widths):
        if cell is None or cell.data_type != "s" or not isinstance(cell.value, str):
            continue  # numbers, dates and formulas stay on one line
        per_line = max(1, int(width * CHARS_PER_WIDTH))
        n = sum(max(1, -(-len(part) // per_line)) for part in cell.value.split("\n"))
        lines = max(lines, n)
    return None if lines == 1 else round(lines * line + 3, 1)


def set_widths(ws, widths: list[float]) -> None:
    """Column widths in characters; call before the first row of a streaming sheet."""
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width


def page_setup(ws, title_rows: str | None = None, footer: str = "") -> None:
    """A4 landscape, fitted to the page width, page numbers in the footer.

    Call before the first row of a streaming sheet (the fit-to-page flag is
    written at its top)."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=0.6, right=0.4, top=0.6, bottom=0.6, header=0.3, footer=0.3)
    ws.print_options.horizontalCentered = True
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.center.text = footer + "&P/&N" if footer else "&P/&N"
    ws.oddFooter.center.font = f"{FONT},Regular"
    ws.oddFooter.center.size = 9


@dataclass
class Letterhead:
    """The issuing agency, number line, place and recipients of a report.

    Defaults suit Sở Nội vụ Cần Thơ; `[excel]` in config.toml overrides them."""

    agency_parent: str = "UBND THÀNH PHỐ CẦN THƠ"
    agency: str = "SỞ NỘI VỤ"
    number_line: str = "Số:        /BC-SNV"
    place: str = "Cần Thơ"
    recipients: list[str] = field(default_factory=lambda: [
        "- Bộ Nội vụ;", "- TT. Thành ủy, TT. HĐND thành phố;", "- UBND thành phố;", "- Lưu: VT, CCHC."])
    signer_title: str = "GIÁM ĐỐC"
    signer_name: str = ""

    @classmethod
    def from_config(cls, table: dict | None) -> "Letterhead":
        table = table or {}
        known = {k: v for k, v in table.items() if k in cls.__dataclass_fields__}
        if "recipients" in known:
            known["recipients"] = [str(r) for r in known["recipients"]]
        return cls(**known)


def header_block(w: SheetWriter, head: Letterhead, today: dt.date, left: tuple[int, int],
                 right: tuple[int, int], lang: str) -> None:
    """The official header: agency left, national name and motto right, then the
    number line (left) and the italic place-date line (right)."""
    def pair(left_value, left_style, right_value, right_style, height=None):
        cells = [None] * (right[1])
        cells[left[0] - 1] = w.cell(left_value, left_style)
        cells[right[0] - 1] = w.cell(right_value, right_style)
        w.append(cells, height)
        w.merge(*left)
        w.merge(*right)

    pair(head.agency_parent, "agency", t("excel.nation", lang=lang), "nation", 18)
    pair(head.agency, "agency_bold", t("excel.motto", lang=lang), "motto", 18)
    w.blank()
    pair(head.number_line, "number_line",
         formats.place_date_line(head.place, today, lang=lang), "place_date", 20)


def recipients_block(w: SheetWriter, head: Letterhead, left: tuple[int, int],
                     right: tuple[int, int], lang: str) -> None:
    """"Nơi nhận:" bottom left, the signer's title bottom right."""
    w.blank()
    lines = [(t("excel.recipients", lang=lang), "recipients_head")]
    lines += [(r, "recipients") for r in head.recipients]
    for i, (text, style) in enumerate(lines):
        cells = [None] * right[1]
        cells[left[0] - 1] = w.cell(text, style, typed=False)
        if i == 0:
            cells[right[0] - 1] = w.cell(head.signer_title, "signature")
        if i == len(lines) - 1 and head.signer_name:
            cells[right[0] - 1] = w.cell(head.signer_name, "signature")
        w.append(cells)
        w.merge(*left)
        w.merge(*right)
