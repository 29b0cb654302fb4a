"""Fonts, borders, number formats, the page set-up and the official blocks
(header, place-date line, "Nơi nhận:") that every workbook shares.

Sheets are written row by row through `SheetWriter`, which works the same on
streaming (write-only) and ordinary worksheets: cells are made with a style
name, and the style of the first cell made with each name is copied to the
next ones, so styling a hundred thousand rows costs little.
"""
import copy
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.dimensions import RowDimension
from openpyxl.worksheet.page import PageMargins

from inspect_tui.excel.cached import Cached
from inspect_tui.excel.safety import Sanitiser
from inspect_tui.locale import formats, t
from inspect_tui.rules.text import fold

FONT = "Times New Roman"
DATE_FORMAT = "dd/mm/yyyy"
DECREE_DATE_FORMAT = "dd/m/yyyy"  # 06/5/2025: months from March on without a leading zero
PERCENT_FORMAT = "0.00%"
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.00"
MAX_TEXT = 32767  # characters an Excel cell can hold
TRUNCATIONS_KEPT = 20  # where texts were cut, for the command's message
MM = 1 / 25.4  # inches per millimetre
# Nghị định 30/2020/NĐ-CP: left 30-35 mm, right 15-20 mm, top and bottom 20-25 mm.
MARGINS_MM = {"left": 30, "right": 15, "top": 20, "bottom": 20, "header": 10, "footer": 10}
A4_MM = (210, 297)

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
    "attached": (_font(12, italic=True), CENTER, None, None, None),
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
        self.truncations: list[tuple[str, int]] = []  # (cell, characters cut), the first few
        self.widths: list[float] = []
        self.streaming = not hasattr(ws, "merge_cells")  # write-only sheets cannot merge later
        self.lang = "vi"
        self.decree_dates = False  # dates as 06/5/2025 (Nghị định 30) rather than 06/05/2025
        self.cached = Cached()  # values of the formulas written, saved as their cached results
        self.default_height: float | None = None  # rows without a height of their own
        self.heights: list[float] | None = None  # every row's height, when a sheet lays out pages
        self._pending: dict[int, tuple[str, object]] = {}  # id(cell) -> news for `append`
        self._row_heights: dict[float, RowDimension] = {}

    def cell(self, value=None, style: str = "text", locked: bool | None = None,
             typed: bool = True) -> Cell:
        cut = 0
        if isinstance(value, str):
            value, cut = self._text(value, typed)
        c = Cell(self.ws, row=1, column=1, value=value)
        if isinstance(value, str):
            c.data_type = "s"  # never a formula, whatever the text starts with
        self._apply(c, style)
        number_format = self.own_date_format(value, style)
        if number_format:
            c.number_format = number_format
        if locked is not None:
            c.protection = Protection(locked=locked)
        if cut:
            self._pending[id(c)] = ("cut", cut)
        return c

    def _text(self, value: str, typed: bool) -> tuple[str, int]:
        """Text as a cell may hold it, and the characters cut to fit."""
        value = self.sanitiser.text(value, typed)
        if len(value) <= MAX_TEXT:
            return value, 0
        self.truncated += 1
        return truncate(value, self.lang)

    def formula(self, text: str, style: str = "int", value=None) -> Cell:
        """A formula cell; `value` (what our code computed for it) is saved as
        its cached result, for readers that do not calculate (excel/cached.py)."""
        c = Cell(self.ws, row=1, column=1)
        self._apply(c, style)
        return self.put_formula(c, text, value)

    def put_formula(self, c: Cell, text: str, value=None) -> Cell:
        """Make the styled cell `c` the formula `text` with the cached result `value`."""
        c.value = text if text.startswith("=") else "=" + text
        if value is not None:
            self._pending[id(c)] = ("value", value)
        return c

    def put(self, c: Cell, value, typed: bool = True) -> Cell:
        """Give the styled cell `c` a new value as `cell` would write it: text
        cleaned, cut to fit and kept as text (its style is left alone)."""
        if isinstance(value, str):
            value, cut = self._text(value, typed)
            c.value = value
            c.data_type = "s"
            if cut:
                self._pending[id(c)] = ("cut", cut)
        else:
            c.value = value
        return c

    def own_date_format(self, value, style: str) -> str | None:
        """The number format `cell` gives `value` over its style's, if any."""
        if style == "date" and self.decree_dates and isinstance(value, dt.date):
            return date_format(value, self.lang)
        return None

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
            height = fit_height(cells, self.widths) or height
        height = height or self.default_height
        if height and self.streaming:
            self.ws.row_dimensions[self.row + 1] = self._row_dimension(height, self.row + 1)
        elif height:
            self.ws.row_dimensions[self.row + 1].height = height
        self.ws.append(cells)
        self.row += 1
        if height and self.streaming:
            del self.ws.row_dimensions[self.row]  # already written; keep memory flat
        if self.heights is not None:
            self.heights.append(height or LINE_HEIGHT)
        if self._pending:
            self._note_pending(cells)
        return self.row

    def _row_dimension(self, height: float, row: int) -> RowDimension:
        """The height of a streamed row: one RowDimension per height, moved
        from row to row (the sheet writes it with its row and forgets it)."""
        dimension = self._row_heights.get(height)
        if dimension is None:
            dimension = self._row_heights[height] = RowDimension(self.ws, index=row, ht=height)
        dimension.index = row
        return dimension

    def _note_pending(self, cells: list) -> None:
        for i, c in enumerate(cells, 1):
            news = self._pending.get(id(c)) if c is not None else None
            if news is None:
                continue
            kind, value = news
            column = get_column_letter(i)
            if kind == "value":
                self.cached.set(column, self.row, value)
            elif len(self.truncations) < TRUNCATIONS_KEPT:
                self.truncations.append((f"{column}{self.row}", value))
        self._pending.clear()  # a cell made but never written must not match a later one

    def blank(self, n: int = 1, height: float | None = None) -> None:
        for _ in range(n):
            self.append([], height)

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


@dataclass(frozen=True)
class Formula:
    """A formula for `Row.fill`, with the value our code computed for it."""
    text: str
    value: object = None


class Row:
    """The cells of one row of a sheet, one style per column. On a streaming
    sheet they are made once and refilled for every row: openpyxl writes a row
    out while it is appended, so the next row can take the same cells, and a
    long sheet costs a value a cell rather than a styled cell a cell.

    A written cell's style is never changed (the workbook's style table holds
    it from then on): a date needing its own format gets a cell of its own."""

    def __init__(self, w: SheetWriter, styles: tuple[str, ...]):
        self.w, self.styles = w, styles
        self.cells = [w.cell(None, style) for style in styles] if w.streaming else None
        self.dated: dict[tuple[int, str], Cell] = {}  # (column, number format) -> its cell

    def fill(self, values: list) -> list[Cell]:
        """The cells holding `values` (a Formula for a formula), ready to append."""
        w = self.w
        if self.cells is None:
            return [w.formula(v.text, style, value=v.value) if isinstance(v, Formula) else w.cell(v, style)
                    for v, style in zip(values, self.styles)]
        cells = []
        for i, (v, style) in enumerate(zip(values, self.styles)):
            c = self.cells[i]
            if isinstance(v, Formula):
                w.put_formula(c, v.text, v.value)
            else:
                number_format = w.own_date_format(v, style)
                if number_format:
                    c = self.dated.get((i, number_format))
                    if c is None:
                        c = self.dated[(i, number_format)] = w.cell(v, style)
                w.put(c, v)
            cells.append(c)
        return cells


LINE_HEIGHT = 15.0  # points per line of 11 pt Times New Roman
CHARS_PER_WIDTH = 1.0  # characters of 11 pt Times New Roman a width unit holds, cell padding counted
# (measured in LibreOffice with Liberation Serif, Times New Roman's metric twin: about 1.05)


def fit_height(cells: list, widths: list[float], line: float = LINE_HEIGHT) -> float | None:
    """Row height that shows every wrapped text cell whole; None for one line."""
    lines = 1
    for cell, width in zip(cells, widths):
        if cell is None or cell.data_type != "s" or not isinstance(cell.value, str):
            continue  # numbers, dates and formulas stay on one line
        per_line = max(1, int(width * CHARS_PER_WIDTH))
        text = cell.value
        n = text.count("\n") + 1 if len(text) <= per_line else text_lines(text, per_line)
        lines = max(lines, n)
    return None if lines == 1 else round(lines * line + 3, 1)


@lru_cache(maxsize=4096)  # a finding's text, a unit's name come back row after row
def text_lines(text: str, per_line: int) -> int:
    """Lines a text of paragraphs takes when wrapped."""
    return sum(wrapped_lines(part, per_line) for part in text.split("\n"))


def wrapped_lines(text: str, per_line: int) -> int:
    """Lines a paragraph takes when wrapped at spaces (a word longer than a
    line is cut), as Excel and LibreOffice wrap it."""
    if len(text) <= per_line:
        return 1
    lines, used = 1, 0
    for word in text.split(" "):
        size = len(word)
        if used and used + 1 + size > per_line:
            lines, used = lines + 1, 0
        elif used:
            used += 1
        while size > per_line - used:
            if used == 0 and size <= per_line:
                break
            lines, size, used = lines + 1, size - (per_line - used), 0
        used += size
    return lines


def truncate(text: str, lang: str = "vi") -> tuple[str, int]:
    """`text` cut to fit one Excel cell, ending with a note of how many
    characters were cut ("… [cắt bớt: 7.233 ký tự]"); returns (text, cut)."""
    cut = len(text) - MAX_TEXT
    while True:
        note = t("excel.truncated", lang=lang, n=formats.number(cut, lang=lang))
        keep = MAX_TEXT - len(note)
        if len(text) - keep == cut:
            return text[:keep] + note, cut
        cut = len(text) - keep


def date_format(day: dt.date, lang: str = "vi") -> str:
    """The number format that shows `day` as Nghị định 30 writes it (06/5/2025,
    but 06/02/2025), or dd/mm/yyyy in English."""
    return DECREE_DATE_FORMAT if lang == "vi" and day.month > 2 else DATE_FORMAT


def use_body_font(wb) -> None:
    """Make Times New Roman 11 the workbook's default font (the "Normal" style),
    before any cell is styled. Column widths are counted in digits of the
    default font: with openpyxl's Calibri, a computer without Calibri (LibreOffice
    on Linux falls back to DejaVu Sans) draws every column a quarter wider and
    the page overflows; Times New Roman has metric twins everywhere (Liberation
    Serif), so widths and pages come out the same."""
    from openpyxl.utils.indexed_list import IndexedList

    body = Font(name=FONT, size=11, family=1)
    wb._fonts = IndexedList([body])  # openpyxl keeps no public setter for the default font
    normal = wb._named_styles["Normal"]
    normal.font = body


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
    ws.page_margins = PageMargins(**{k: round(v * MM, 4) for k, v in MARGINS_MM.items()})
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
    agency_name: str = ""  # the agency as a sentence names it ("Sở Nội vụ"); blank: from `agency`

    def issuer(self) -> str:
        """Who issues the report, for "(Kèm theo Báo cáo số … của Sở Nội vụ)"."""
        if self.agency_name.strip():
            return self.agency_name.strip()
        return "Sở Nội vụ" if self.agency == Letterhead.agency else self.agency

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


SIGNING_ROWS = 5  # blank rows between the signer's title and name: room to sign and stamp (~28 mm)
SIGNATURE_ROW_HEIGHT = 15.0


def report_number(number_line: str) -> str:
    """"Số:        /BC-SNV" -> "       /BC-SNV" (the blank kept for the number)."""
    return re.sub(r"^\s*(?:Số|So|No\.?)\s*:\s?", "", number_line, flags=re.IGNORECASE)


def attached_line(head: Letterhead, day: dt.date, lang: str) -> str:
    """"(Kèm theo Báo cáo số …/BC-SNV ngày 06/5/2025 của Sở Nội vụ)"."""
    return t("excel.attached", lang=lang, number=report_number(head.number_line),
             day=formats.date(day, lang), agency=head.issuer())


def recipient_lines(recipients: list[str], lang: str) -> list[str]:
    """The "Nơi nhận:" lines as Nghị định 30 writes them: each "- X;", the last
    "- Lưu: VT, ..." ending with a full stop (added when the list has none),
    whatever dashes and punctuation the configuration used."""
    archive = t("excel.archive", lang=lang)
    words = {fold(archive), fold(t("excel.archive", lang="vi"))}  # "Lưu: VT" in an English report too

    def is_archive(line: str) -> bool:
        return any(fold(line).startswith(w) for w in words)
    names = [re.sub(r"[\s;,.]+$", "", re.sub(r"^[\s\-–—•+*]+", "", str(r))) for r in recipients]
    names = [n for n in names if n]
    stored = [n for n in names if is_archive(n)]
    names = [n for n in names if not is_archive(n)] + (stored[-1:] or [archive + ": VT"])
    return [f"- {n};" for n in names[:-1]] + [f"- {names[-1]}."]


def recipients_block(w: SheetWriter, head: Letterhead, left: tuple[int, int],
                     right: tuple[int, int], lang: str) -> int:
    """"Nơi nhận:" and its lines bottom left; the signer's title, room to sign
    and the signer's name bottom right. Returns the first row of the block."""
    lines = [(t("excel.recipients", lang=lang), "recipients_head")]
    lines += [(r, "recipients") for r in recipient_lines(head.recipients, lang)]
    title_lines = max(1, len(head.signer_title.splitlines()))
    name_at = 1 + SIGNING_ROWS
    name = head.signer_name.strip() or t("excel.signer_blank", lang=lang)
    first = w.row + 1
    for i in range(max(len(lines), name_at + 1)):
        cells = [None] * right[1]
        if i < len(lines):
            cells[left[0] - 1] = w.cell(lines[i][0], lines[i][1], typed=False)
        if i == 0:
            cells[right[0] - 1] = w.cell(head.signer_title, "signature", typed=False)
        elif i == name_at:
            cells[right[0] - 1] = w.cell(name, "signature", typed=False)
        height = SIGNATURE_ROW_HEIGHT * (title_lines if i == 0 else 1) + (2 if i == 0 else 0)
        w.append(cells, height)
        w.merge(*left)
        w.merge(*right)
    return first
