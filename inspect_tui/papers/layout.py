"""The layout every paper shares, after Nghị định 30/2020/NĐ-CP (Phụ lục I):

- A4 portrait; margins top 20 mm, bottom 20 mm, left 30 mm, right 15 mm;
- Times New Roman; body 14 pt, justified, first line indented 1 cm, 6 pt
  between paragraphs, line spacing 1.15 (the decree allows single to 1.5);
- the header in a borderless table: the issuing body over the agency on the
  left (capitals, 13 pt, the agency bold, a short rule under it), the
  national name (bold capitals, 13 pt) over the motto (bold, 14 pt,
  underlined) on the right; under them the number line ("Số: …/TB-UBND",
  13 pt) on the left and the italic place-date line ("Cần Thơ, ngày 06
  tháng 5 năm 2025", 14 pt) on the right;
- the kind of paper (bold capitals) and its subject (trích yếu, bold, with a
  short rule under it) centred; a letter (công văn) carries its subject
  ("V/v …", 12 pt) under the number line instead;
- the body in numbered sections; the last paragraph ends "./.";
- "Nơi nhận:" (bold italic 12 pt, lines of 11 pt starting "- " and ending
  ";", the last "- Lưu: …") bottom left, the signer's authority and title
  (bold capitals), room to sign and the name (bold) bottom right, kept on
  one page;
- page numbers from page 2, centred in the top margin.

A paper is built by `Paper` and written whole with `save` (inspect_tui.files).
"""
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt

from inspect_tui import files
from inspect_tui.locale import formats, t
from inspect_tui.rules.errors import DomainError

FONT = "Times New Roman"
BODY_PT = 14
HEADER_PT = 13
AGENCY_PT = 12  # the issuing body and the agency (the decree allows 12-13)
SMALL_PT = 12
RECIPIENTS_PT = 11
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGINS = {"top": Mm(20), "bottom": Mm(20), "left": Mm(30), "right": Mm(15)}
TEXT_WIDTH = Emu(PAGE_WIDTH - MARGINS["left"] - MARGINS["right"])  # 165 mm
FIRST_LINE = Mm(10)
LEFT_COLUMN = Mm(62)  # the header's and the closing block's left column
RIGHT_COLUMN = Emu(TEXT_WIDTH - LEFT_COLUMN)
SIGN_ROOM_LINES = 4  # empty lines for the signature and the seal
SUFFIX = ".docx"

CENTER = WD_ALIGN_PARAGRAPH.CENTER
LEFT = WD_ALIGN_PARAGRAPH.LEFT
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY


def count_text(value: int, lang: str) -> str:
    """A count as official papers write it: two digits under ten in Vietnamese (05, 09)."""
    return f"{value:02d}" if lang == "vi" and 0 <= value < 10 else formats.number(value, lang=lang)


LEVELS = ("Quận ", "Huyện ", "Thị xã ", "Thị trấn ", "Xã ", "Phường ")


def unit_text(name: str, lang: str) -> str:
    """A unit as a sentence names it: a district, ward or commune by its People's
    Committee, the level in lower case ("Huyện Cờ Đỏ" -> "UBND huyện Cờ Đỏ");
    departments and others as they are named."""
    if lang == "vi":
        for level in LEVELS:
            if name.startswith(level):
                return "UBND " + level.lower() + name[len(level):]
    return name


@dataclass
class Head:
    """Who issues the paper and who signs it (papers/letterhead.py fills it)."""

    agency_parent: str
    agency: str
    number_line: str
    place: str = "Cần Thơ"
    recipients: list[str] = field(default_factory=list)
    signer_authority: list[str] = field(default_factory=list)  # "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"
    signer_title: str = ""
    signer_name: str = ""


def _fonts(rpr_parent, name: str = FONT) -> None:
    """Set the font for every script (Vietnamese letters are "hAnsi", some viewers read "cs")."""
    rpr = rpr_parent.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), name)


def _border(paragraph, side: str = "bottom", size: int = 6) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    edge = OxmlElement(f"w:{side}")
    edge.set(qn("w:val"), "single")
    edge.set(qn("w:sz"), str(size))
    edge.set(qn("w:space"), "1")
    edge.set(qn("w:color"), "000000")
    borders.append(edge)
    ppr.insert_element_before(borders, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku",
                              "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE",
                              "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
                              "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
                              "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
                              "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
                              "w:rPr", "w:sectPr", "w:pPrChange")


def _mark_size(paragraph, size: float) -> None:
    """The size of an empty paragraph's mark, which sets its height."""
    ppr = paragraph._p.get_or_add_pPr()
    rpr = OxmlElement("w:rPr")
    for tag in ("w:sz", "w:szCs"):
        element = OxmlElement(tag)
        element.set(qn("w:val"), str(int(size * 2)))
        rpr.append(element)
    ppr.insert_element_before(rpr, "w:sectPr", "w:pPrChange")


def _no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "nil")
        borders.append(edge)
    tbl_pr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
                                 "w:tblCaption", "w:tblDescription", "w:tblPrChange")


def _widths(table, widths) -> None:
    """Fixed column widths, in the grid and in every cell (Word and LibreOffice each read one)."""
    table.autofit = False  # a fixed layout: the widths below hold
    widths = [Emu(int(w)) for w in widths]
    for col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths):
        col.set(qn("w:w"), str(int(width.twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width


def _keep_row(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    cant = OxmlElement("w:cantSplit")
    tr_pr.append(cant)


def _page_number(section) -> None:
    """PAGE in the header, centred, from page 2 on (the first page has its own, empty, header)."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = CENTER
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text.strip() == "PAGE":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)
    run.font.size = Pt(SMALL_PT)
    run.font.name = FONT


class Paper:
    """One paper in the decree's layout: header, title, body, closing."""

    def __init__(self, lang: str, title: str = "", author: str = ""):
        self.lang = lang
        self.doc = Document()
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
        section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]
        section.header_distance = Mm(10)
        section.footer_distance = Mm(10)
        normal = self.doc.styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(BODY_PT)
        _fonts(normal.element)
        normal.paragraph_format.space_before = Pt(0)
        normal.paragraph_format.space_after = Pt(0)
        normal.paragraph_format.line_spacing = 1.0
        _page_number(section)
        props = self.doc.core_properties
        props.title = title
        props.author = author
        props.language = "vi-VN" if lang == "vi" else "en-GB"
        props.comments = "Dự thảo do inspect-tui soạn" if lang == "vi" else "Draft by inspect-tui"

    # -- runs and paragraphs ------------------------------------------------------------
    def _run(self, paragraph, text: str, size: float = BODY_PT, bold: bool = False,
             italic: bool = False, underline: bool = False):
        lines = str(text).split("\n")
        for i, line in enumerate(lines):
            run = paragraph.add_run(line)
            run.font.name = FONT
            _fonts(run._r)
            run.font.size = Pt(size)
            run.bold = bold
            run.italic = italic
            run.underline = underline
            if i < len(lines) - 1:
                run.add_break(WD_BREAK.LINE)
        return paragraph

    def _paragraph(self, container, align=CENTER, before: float = 0, after: float = 0,
                   first_line=None, spacing: float = 1.0, keep_next: bool = False):
        paragraph = container.add_paragraph() if container is not None else self.doc.add_paragraph()
        fmt = paragraph.paragraph_format
        fmt.alignment = align
        fmt.space_before = Pt(before)
        fmt.space_after = Pt(after)
        fmt.line_spacing = spacing
        if first_line is not None:
            fmt.first_line_indent = first_line
        if keep_next:
            fmt.keep_with_next = True
        return paragraph

    def line(self, container, text: str, size: float = BODY_PT, bold: bool = False,
             italic: bool = False, underline: bool = False, align=CENTER, before: float = 0,
             after: float = 0):
        paragraph = self._paragraph(container, align, before, after)
        return self._run(paragraph, text, size, bold, italic, underline)

    def rule(self, container, width) -> None:
        """A short centred rule (under the agency, under the subject)."""
        paragraph = self._paragraph(container, CENTER)
        side = max(0, int((container_width(container) - width) / 2))
        paragraph.paragraph_format.left_indent = Emu(side)
        paragraph.paragraph_format.right_indent = Emu(side)
        _border(paragraph, "top")
        _mark_size(paragraph, 2)

    # -- the header -----------------------------------------------------------------------
    def header(self, head: Head, day: dt.date, letter_subject: str = "") -> None:
        table = self.doc.add_table(rows=2, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _no_borders(table)
        _widths(table, (LEFT_COLUMN, RIGHT_COLUMN))
        left, right = table.cell(0, 0), table.cell(0, 1)
        left.paragraphs[0]._p.getparent().remove(left.paragraphs[0]._p)
        right.paragraphs[0]._p.getparent().remove(right.paragraphs[0]._p)
        if head.agency_parent.strip():
            self.line(left, head.agency_parent.upper(), AGENCY_PT)
        self.line(left, head.agency.upper(), AGENCY_PT, bold=True)
        self.rule(left, Mm(22))
        self.line(right, t("papers.nation", lang=self.lang), HEADER_PT, bold=True)
        self.line(right, t("papers.motto", lang=self.lang), BODY_PT, bold=True, underline=True)
        number, date_cell = table.cell(1, 0), table.cell(1, 1)
        for cell in (number, date_cell):
            cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
        self.line(number, head.number_line, HEADER_PT, before=6)
        if letter_subject:
            self.line(number, letter_subject, SMALL_PT, before=4)
        self.line(date_cell, formats.place_date_line(head.place, day, lang=self.lang), BODY_PT,
                  italic=True, before=6)

    def title(self, kind: str, subject: str) -> None:
        """The kind of paper and its subject (trích yếu), centred, with a rule under it."""
        self.line(None, kind, BODY_PT, bold=True, before=18)
        self.line(None, subject, BODY_PT, bold=True, before=0)
        self.rule(None, Mm(45))

    def addressee(self, text: str) -> None:
        self.line(None, text, BODY_PT, before=12, after=6)

    # -- the body ------------------------------------------------------------------------
    def para(self, text: str, bold: bool = False, italic: bool = False, indent: bool = True,
             align=JUSTIFY, keep_next: bool = False, size: float = BODY_PT):
        paragraph = self._paragraph(None, align, before=6, first_line=FIRST_LINE if indent else None,
                                    spacing=1.15, keep_next=keep_next)
        return self._run(paragraph, text, size, bold, italic)

    def heading(self, text: str):
        return self.para(text, bold=True, keep_next=True)

    def table(self, headers: list[str], rows: list[list[str]], widths: list[float],
              align: list[str] | None = None, total: list[str] | None = None) -> None:
        """A grid table (12 pt; headings bold, centred; a bold total row if given).
        `widths` are shares of the text width; `align` per column: l, c or r."""
        align = align or ["l"] * len(headers)
        body = rows + ([total] if total else [])
        table = self.doc.add_table(rows=1 + len(body), cols=len(headers))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        share = sum(widths)
        _widths(table, [int(TEXT_WIDTH * w / share) for w in widths])
        kinds = {"l": LEFT, "c": CENTER, "r": WD_ALIGN_PARAGRAPH.RIGHT}
        for r, values in enumerate([headers] + body):
            heading = r == 0 or (total is not None and r == len(body))
            for c, value in enumerate(values):
                cell = table.cell(r, c)
                paragraph = cell.paragraphs[0]
                paragraph.paragraph_format.alignment = CENTER if r == 0 else kinds[align[c]]
                paragraph.paragraph_format.space_before = Pt(2)
                paragraph.paragraph_format.space_after = Pt(2)
                self._run(paragraph, value, SMALL_PT, bold=heading)
        for row in table.rows:
            _keep_row(row)  # a row never splits across two pages
        _repeat_header(table.rows[0])
        self._paragraph(None, LEFT, before=0)  # a table is followed by a paragraph

    # -- the closing ---------------------------------------------------------------------
    def closing(self, head: Head, recipients: list[str] | None = None) -> None:
        """"Nơi nhận:" on the left, the signature on the right, on one page."""
        recipients = head.recipients if recipients is None else recipients
        table = self.doc.add_table(rows=1, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _no_borders(table)
        _widths(table, (LEFT_COLUMN, RIGHT_COLUMN))
        _keep_row(table.rows[0])
        left, right = table.cell(0, 0), table.cell(0, 1)
        for cell in (left, right):
            cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
        if recipients:
            self.line(left, t("papers.recipients", lang=self.lang), SMALL_PT, bold=True, italic=True,
                      align=LEFT, before=12)
            for text in recipients:
                self.line(left, text, RECIPIENTS_PT, align=LEFT)
        else:
            self.line(left, "", SMALL_PT)
        if head.signer_authority or head.signer_title or head.signer_name:
            self.signature(right, head.signer_authority, head.signer_title, head.signer_name)
        else:  # the minutes: signed above, the recipients alone here
            self.line(right, "", SMALL_PT)

    def signature(self, cell, authority: list[str], title: str, name: str) -> None:
        first = True
        for text in [a for a in authority if a.strip()] + ([title] if title.strip() else []):
            self.line(cell, text.upper(), BODY_PT, bold=True, before=12 if first else 0)
            first = False
        for _ in range(SIGN_ROOM_LINES):
            self.line(cell, "", BODY_PT)
        self.line(cell, name, BODY_PT, bold=True)

    def signatures(self, blocks: list[tuple[list[str], str, str]]) -> None:
        """Several signature blocks side by side (the minutes: the unit and the team)."""
        table = self.doc.add_table(rows=1, cols=len(blocks))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _no_borders(table)
        _widths(table, [int(TEXT_WIDTH / len(blocks))] * len(blocks))
        _keep_row(table.rows[0])
        for i, (authority, title, name) in enumerate(blocks):
            cell = table.cell(0, i)
            cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
            self.signature(cell, authority, title, name)

    def save(self, path) -> Path:
        return files.write_whole(path, self.doc.save)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    tr_pr.append(element)


def container_width(container) -> int:
    """The width of a table cell (its set width) or of the text column."""
    width = getattr(container, "width", None)
    return int(width) if width else int(TEXT_WIDTH)


# --- where papers land ---------------------------------------------------------------------

def check_file(path, create_folder: bool = False) -> Path:
    """A paper may be written at `path`; a DomainError saying why not otherwise."""
    return files.check_target(path, SUFFIX, DomainError, "not_docx", create_folder)


def check_folder(folder, create: bool = False) -> Path:
    """Papers may be written into `folder`, or (`create`) into folders made under
    the nearest one that exists."""
    return files.check_folder_writable(folder, DomainError, create)


def write(paper: Paper, path, create_folder: bool = False) -> Path:
    """Write the paper whole at `path` (checked first); the folder is made only
    when allowed (the default exports/ folder)."""
    path = check_file(path, create_folder)
    try:
        if create_folder:
            path.parent.mkdir(parents=True, exist_ok=True)
        return paper.save(path)
    except OSError as exc:
        raise DomainError("cannot_write", path=path, reason=exc.strerror or str(exc)) from None
