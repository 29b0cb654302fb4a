"""Opening a workbook that came from outside, within the limits (excel/limits.py).

Before openpyxl reads a byte of it, the file is checked as a package:

1. its size; an empty file; an OLE2 compound file (a password-protected
   workbook is one, and so is an old .xls) or anything else that is not a zip;
2. the zip's directory: the number of parts, each part's unzipped size and all
   of them together (zipfile never returns more than the size a part declares,
   so the declared sizes bound everything read below); a macro project;
3. every XML part streamed once through expat: a DOCTYPE or ENTITY declaration
   is refused (entity bombs, external entities), elements are counted and, by
   the part's root element, a worksheet's rows, last row and column (the
   dimension it claims included), cells per row and merged ranges, and the
   shared strings' count and length, are held to the limits. The time budget
   is checked as it goes.

Only then does openpyxl open it, read-only, from the open file (so a renamed
extension changes nothing), with defusedxml installed underneath as a second
guard, for its structure (the sheets, their order, the date system); the cells
are read by excel/sheet_xml.py. A file past any limit raises `Refusal` naming
the limit.
"""
import posixpath
import time
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from openpyxl import load_workbook
from openpyxl.utils.cell import (column_index_from_string, coordinate_from_string, get_column_letter,
                                 range_boundaries)

from inspect_tui.excel import limits
from inspect_tui.locale import formats, t

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")  # the stream a password-protected workbook holds
CHUNK = 256 * 1024
ELEMENTS_PER_CELL_MAX = limits.ELEMENTS_PER_CELL_MAX
ELEMENTS_PER_ROW_MAX = limits.CELLS_PER_ROW_MAX * limits.ELEMENTS_PER_CELL_MAX  # a row's cells, and what they hold


class Refusal(Exception):
    """A file, a cell or a row refused: a key under `excel.import`, worded when shown."""

    def __init__(self, key: str, **values):
        super().__init__(key)
        self.key = key
        self.values = values

    def message(self, lang: str | None = None) -> str:
        return t("excel.import." + self.key, lang=lang, **self.values)


def number(n: int, lang: str | None = None) -> str:
    return formats.number(n, lang=lang)


class Deadline:
    """The time budget of reading one file, in CPU seconds of the thread
    reading it: the work the file makes, which a busy machine does not change
    (wall seconds would refuse a sound file while neighbours run)."""

    SAMPLE = 0.05  # wall seconds between readings of the thread's clock, which costs a system call

    def __init__(self, seconds: float = limits.SECONDS_MAX):
        self.seconds = seconds
        self.end = time.thread_time() + seconds
        self.next_sample = time.monotonic() + self.SAMPLE

    def check(self) -> None:
        now = time.monotonic()
        if now < self.next_sample:
            return
        self.next_sample = now + self.SAMPLE
        if time.thread_time() > self.end:
            raise Refusal("too_slow", seconds=formats.number(self.seconds))


@dataclass
class SheetScan:
    part: str
    title: str = ""
    merged: list[str] = field(default_factory=list)


class Package:
    """A workbook opened after its package passed the checks: openpyxl's
    read-only workbook for its structure (`wb`), and its sheets' cells read by
    excel/sheet_xml.py (`sheet`)."""

    def __init__(self, wb, handle, scan, lang: str, deadline: Deadline):
        self.wb, self.handle, self.lang, self.deadline = wb, handle, lang, deadline
        self.sheets: dict[str, SheetScan] = scan.scans  # part name -> what the scan saw
        self._parts = {s.title: part for part, s in self.sheets.items() if s.title}
        self._strings_part, self._styles_part = scan.part_of("sharedStrings"), scan.part_of("styles")
        self._archive = None
        self._book = None

    @property
    def sheetnames(self) -> list[str]:
        """The titles of the worksheets, in the workbook's order."""
        return [ws.title for ws in self.wb.worksheets]

    def sheet(self, title: str):
        """The worksheet called `title`, or None."""
        from inspect_tui.excel import sheet_xml  # here: sheet_xml imports this module
        if title not in self.sheetnames:
            return None
        part = self._parts.get(title)
        if part is None:  # openpyxl found a sheet the package's relationships do not lead to
            raise Refusal("unreadable", detail=t("excel.import.damage.missing_part", lang=self.lang, part=title))
        if self._archive is None:
            self.handle.seek(0)
            self._archive = zipfile.ZipFile(self.handle)
            self._book = sheet_xml.open_book(self._archive, self._strings_part, self._styles_part,
                                             self.wb.epoch, self.lang)
        return sheet_xml.Sheet(self._archive, part, title, self._book, self.deadline)

    def merged(self, sheet) -> list[str]:
        scan = self.sheets.get(sheet.part)
        return scan.merged if scan else []

    def close(self) -> None:
        try:
            if self._archive is not None:
                self._archive.close()
            self.wb.close()
        finally:
            self.handle.close()


def file_size(path: Path) -> int:
    """The size of the file at `path`, or a Refusal: missing, unreadable or a folder."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise Refusal("no_file") from None
    except OSError as exc:
        raise Refusal("cannot_open", detail=exc.strerror or str(exc)) from None
    if path.is_dir():
        raise Refusal("is_folder")
    return size


def open_package(path: Path, lang: str, deadline: Deadline) -> Package:
    """The workbook at `path`, or a Refusal saying why it is not read."""
    path = Path(path)
    size = file_size(path)
    if size == 0:
        raise Refusal("empty_file")
    if size > limits.FILE_BYTES_MAX:
        raise Refusal("file_too_big", size=_mb(size, lang), limit=_mb(limits.FILE_BYTES_MAX, lang))
    try:
        handle = open(path, "rb")
    except OSError as exc:
        raise Refusal("cannot_open", detail=exc.strerror or str(exc)) from None
    try:
        head = handle.read(8)
        if head == OLE2_MAGIC:
            handle.seek(0)
            raise Refusal("encrypted" if ENCRYPTED_STREAM in handle.read() else "old_xls")
        handle.seek(0)
        if not zipfile.is_zipfile(handle):
            if head.startswith(b"PK\x03\x04"):  # a zip cut short: a download or a copy not finished
                raise Refusal("unreadable", detail=t("excel.import.damage.zip", lang=lang))
            raise Refusal("not_workbook")
        handle.seek(0)
        scan = _scan(handle, deadline, lang)
        handle.seek(0)
        try:
            wb = load_workbook(handle, read_only=True, data_only=False, keep_links=False)
        except Refusal:
            raise
        except Exception as exc:  # openpyxl raises many kinds for a damaged package
            raise Refusal("unreadable", detail=damage(exc, lang)) from None
        return Package(wb, handle, scan, lang, deadline)
    except BaseException:
        handle.close()
        raise


def damage(exc: BaseException, lang: str) -> str:
    """What is wrong with a package, in words: never an exception's name."""
    if isinstance(exc, KeyError):
        return t("excel.import.damage.missing_part", lang=lang, part=str(exc.args[0] if exc.args else "")
                 .replace("There is no item named ", "").strip("'\" "))
    if isinstance(exc, (zipfile.BadZipFile, zlib.error, EOFError)):
        return t("excel.import.damage.zip", lang=lang)
    if isinstance(exc, (expat.ExpatError, SyntaxError)) or type(exc).__name__ in (
            "ParseError", "XMLSyntaxError", "DefusedXmlException", "EntitiesForbidden",
            "DTDForbidden", "ExternalReferenceForbidden"):
        return t("excel.import.damage.xml", lang=lang)
    return t("excel.import.damage.other", lang=lang)


def _mb(size: int, lang: str) -> str:
    return formats.number(round(size / limits.MB, 1), 1, lang=lang) + " MB"


# --- the scan ---------------------------------------------------------------------------------

def _scan(handle, deadline: Deadline, lang: str) -> "_Workbook":
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise Refusal("unreadable", detail=t("excel.import.damage.zip", lang=lang)) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.PARTS_MAX:
            raise Refusal("too_many_parts", n=number(len(infos), lang), limit=number(limits.PARTS_MAX, lang))
        names = {i.filename.lower() for i in infos}
        if "mimetype" in names and not any(n.endswith("workbook.xml") for n in names):
            raise Refusal("ods")
        if any(posixpath.basename(n) == "vbaproject.bin" for n in names):
            raise Refusal("macro")
        total = 0
        for info in infos:
            if info.flag_bits & 0x1:
                raise Refusal("encrypted")
            if info.file_size > limits.SHEET_PART_BYTES_MAX:
                raise Refusal("part_too_big", part=info.filename, size=_mb(info.file_size, lang),
                              limit=_mb(limits.SHEET_PART_BYTES_MAX, lang))
            total += info.file_size
        if total > limits.PACKAGE_BYTES_MAX:
            raise Refusal("package_too_big", size=_mb(total, lang), limit=_mb(limits.PACKAGE_BYTES_MAX, lang))
        state = _Workbook()
        # Small parts first: the workbook and its relationships name the sheets
        # before a sheet's refusal has to say which one it is.
        for info in sorted(infos, key=lambda i: (i.file_size, i.filename)):
            if info.is_dir() or not info.filename.lower().endswith((".xml", ".rels", ".vml")):
                continue
            _scan_part(archive, info, state, deadline, lang)
        if state.workbook_part is None:
            raise Refusal("not_workbook")
        state.sheet_scans()
        return state


class _Workbook:
    """What the scan learns about the package as it goes."""

    def __init__(self):
        self.workbook_part: str | None = None
        self.sheet_ids: dict[str, str] = {}  # relationship id -> sheet title
        self.targets: dict[str, dict[str, str]] = {}  # rels part -> {id: target}
        self.types: dict[str, dict[str, str]] = {}  # rels part -> {id: relationship type}
        self.scans: dict[str, SheetScan] = {}

    def _workbook_rels(self):
        """(relationship id, the part it points at, its type) of the workbook's relationships."""
        if self.workbook_part is None:
            return
        base = posixpath.dirname(self.workbook_part)
        rels = posixpath.join(base, "_rels", posixpath.basename(self.workbook_part) + ".rels")
        types = self.types.get(rels, {})
        for rid, target in self.targets.get(rels, {}).items():
            full = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join(base, target))
            yield rid, full, types.get(rid, "")

    def title_of(self, part: str) -> str:
        for rid, full, _type in self._workbook_rels():
            if full == part and rid in self.sheet_ids:
                return self.sheet_ids[rid]
        return ""

    def part_of(self, kind: str) -> str | None:
        """The workbook's part of a relationship type ("sharedStrings", "styles"), if any."""
        return next((full for _rid, full, type_ in self._workbook_rels()
                     if type_.rsplit("/", 1)[-1] == kind), None)

    def sheet_scans(self) -> dict[str, SheetScan]:
        for part, scan in self.scans.items():
            scan.title = scan.title or self.title_of(part)
        return self.scans


class _Stop(Exception):
    pass


def _scan_part(archive, info, state: _Workbook, deadline: Deadline, lang: str) -> None:
    part = info.filename
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True  # a cell's text in one call, not one a line or entity
    scanner = _PartScanner(part, info.file_size, state, deadline, lang, parser)

    def doctype(*_):
        raise Refusal("xml_doctype", part=part)

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.StartElementHandler = scanner.start
    parser.EndElementHandler = scanner.end
    try:
        with archive.open(info) as stream:
            while True:
                chunk = stream.read(CHUNK)
                deadline.check()
                if not chunk:
                    break
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except (Refusal, _Stop):
        raise
    except expat.ExpatError:
        raise Refusal("unreadable", detail=t("excel.import.damage.xml_in", lang=lang, part=part)) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError):  # unsupported compression is a RuntimeError too
        raise Refusal("unreadable", detail=t("excel.import.damage.zip", lang=lang)) from None


class _LocalNames(dict):
    """"namespace local" -> "local", remembered for the few names a part uses
    (a lookup costs less than a split, once per element of a 50 MB sheet)."""

    KEPT = 200

    def __missing__(self, name: str) -> str:
        local = name.rsplit(" ", 1)[-1]
        if len(self) < self.KEPT:
            self[name] = local
        return local


local_name = _LocalNames().__getitem__  # the scan's and the cell reader's (excel/sheet_xml.py)


class _PartScanner:
    """Counts what one XML part holds, by its root element, and refuses at the first limit passed."""

    def __init__(self, part, size, state: _Workbook, deadline, lang, parser):
        self.part, self.size, self.state, self.deadline, self.lang = part, size, state, deadline, lang
        self.parser = parser
        self.kind = None
        self.depth = 0
        self.elements = 0
        # worksheets
        self.rows = 0
        self.row = 0
        self.cells = 0
        self.cell_depth = None
        self.row_depth = None
        self.in_row = 0
        self.outside = 0
        self.cell_ref = ""
        self.in_cell = 0
        # shared strings
        self.strings = 0
        self.chars = 0

    def _n(self, n):
        return number(n, self.lang)

    def _sheet(self) -> str:
        return self.state.title_of(self.part) or self.part

    def start(self, name, attrs):
        self.depth += 1
        self.elements += 1
        if self.elements % 20_000 == 0:
            self.deadline.check()
        tag = local_name(name)
        if self.kind is None:
            self._root(tag)
        if self.kind == "worksheet":
            self._worksheet(tag, attrs)
        elif self.kind == "sst":
            self._strings_start(tag)
        elif self.kind == "other" and self.elements > limits.ELEMENTS_MAX:
            raise Refusal("too_many_elements", part=self.part, limit=self._n(limits.ELEMENTS_MAX))
        elif self.kind == "workbook" and tag == "sheet":
            rid = next((v for k, v in attrs.items() if local_name(k) == "id"), "")
            self.state.sheet_ids[rid] = attrs.get("name", "")
        elif self.kind == "rels" and tag == "Relationship":
            self.state.targets.setdefault(self.part, {})[attrs.get("Id", "")] = attrs.get("Target", "")
            self.state.types.setdefault(self.part, {})[attrs.get("Id", "")] = attrs.get("Type", "")
        if self.kind in ("workbook", "rels") and self.elements > limits.ELEMENTS_MAX:
            raise Refusal("too_many_elements", part=self.part, limit=self._n(limits.ELEMENTS_MAX))

    def end(self, name):
        self.depth -= 1
        if self.cell_depth is not None and self.depth < self.cell_depth:
            self.cell_depth = None
            self.parser.CharacterDataHandler = None
        if self.row_depth is not None and self.depth < self.row_depth:
            self.row_depth = None

    def _root(self, tag):
        if tag == "worksheet":
            self.kind = "worksheet"
            self.state.scans[self.part] = SheetScan(self.part)
        elif tag == "sst":
            self.kind = "sst"
        elif tag == "workbook":
            self.kind = "workbook"
            self.state.workbook_part = self.part
        elif tag == "Relationships":
            self.kind = "rels"
        else:
            self.kind = "other"
            if self.size > limits.OTHER_PART_BYTES_MAX:
                raise Refusal("part_too_big", part=self.part, size=_mb(self.size, self.lang),
                              limit=_mb(limits.OTHER_PART_BYTES_MAX, self.lang))

    # -- a worksheet ----------------------------------------------------------------------------
    def _worksheet(self, tag, attrs):
        if self.row_depth is not None:  # inside a row: its cells, and what a cell holds
            self.in_row += 1
            if self.in_row > ELEMENTS_PER_ROW_MAX:
                raise Refusal("cell_too_complex", sheet=self._sheet(), row=self._n(self.row))
        elif tag != "row":  # around the rows: columns, validations, links, formatting ...
            self.outside += 1
            if self.outside > limits.ELEMENTS_MAX:
                raise Refusal("too_many_elements", part=self.part, limit=self._n(limits.ELEMENTS_MAX))
        if self.cell_depth is not None:
            self.in_cell += 1
            if self.in_cell > ELEMENTS_PER_CELL_MAX:
                raise Refusal("cell_too_complex", sheet=self._sheet(), row=self._n(self.row))
            return
        if tag == "row":
            self.row_depth = self.depth
            self.in_row = 0
            self.rows += 1
            r = attrs.get("r")
            self.row = _int(r) if r is not None else self.row + 1
            self.cells = 0
            if self.row is None or self.row > limits.ROWS_MAX or self.rows > limits.ROWS_MAX:
                raise Refusal("too_many_rows", sheet=self._sheet(), row=self._n(self.row or self.rows),
                              limit=self._n(limits.ROWS_MAX))
        elif tag == "c":
            self.cells += 1
            self.cell_depth = self.depth
            self.in_cell = 0
            self.chars = 0
            self.cell_ref = attrs.get("r", "")[:20]
            self.parser.CharacterDataHandler = self._cell_text
            if self.cells > limits.CELLS_PER_ROW_MAX:
                raise Refusal("too_many_cells", sheet=self._sheet(), row=self._n(self.row),
                              limit=self._n(limits.CELLS_PER_ROW_MAX))
            ref = attrs.get("r")
            if ref:
                column = column_of(ref)
                if column is None or column > limits.CELLS_PER_ROW_MAX:
                    raise Refusal("too_many_columns", sheet=self._sheet(), cell=ref[:20],
                                  limit=self._n(limits.CELLS_PER_ROW_MAX))
        elif tag == "dimension":
            ref = attrs.get("ref", "")
            try:
                low_col, low_row, high_col, high_row = range_boundaries(ref.upper())
            except (ValueError, TypeError):
                return  # a dimension openpyxl cannot read is one it does not use: reset below
            if (high_row or 0) > limits.ROWS_MAX or (high_col or 0) > limits.CELLS_PER_ROW_MAX:
                raise Refusal("dimension", sheet=self._sheet(), ref=ref[:30],
                              rows=self._n(limits.ROWS_MAX), columns=self._n(limits.CELLS_PER_ROW_MAX))
        elif tag == "mergeCell":
            scan = self.state.scans[self.part]
            scan.merged.append(attrs.get("ref", "")[:30])
            if len(scan.merged) > limits.MERGED_MAX:
                raise Refusal("too_many_merged", sheet=self._sheet(), limit=self._n(limits.MERGED_MAX))

    # -- the shared strings -----------------------------------------------------------------------
    def _strings_start(self, tag):
        if self.cell_depth is not None:
            self.in_cell += 1
            if self.in_cell > ELEMENTS_PER_CELL_MAX:
                raise Refusal("text_too_complex", n=self._n(self.strings))
            return
        if tag == "si":
            self.strings += 1
            if self.strings > limits.SHARED_STRINGS_MAX:
                raise Refusal("too_many_strings", limit=self._n(limits.SHARED_STRINGS_MAX))
            self.cell_depth = self.depth
            self.in_cell = 0
            self.chars = 0
            self.parser.CharacterDataHandler = self._text

    def _cell_text(self, data):
        self.chars += len(data)
        if self.chars > limits.CELL_CHARS_MAX:
            raise Refusal("cell_text_too_long", sheet=self._sheet(),
                          cell=self.cell_ref or self._n(self.row), limit=self._n(limits.CELL_CHARS_MAX))

    def _text(self, data):
        self.chars += len(data)
        if self.chars > limits.CELL_CHARS_MAX:
            raise Refusal("text_too_long", limit=self._n(limits.CELL_CHARS_MAX))


def _int(text) -> int | None:
    try:
        return int(text)
    except (TypeError, ValueError):
        try:
            value = float(text)
        except (TypeError, ValueError):
            return None
        return int(value) if value.is_integer() else None


DIGITS = "0123456789"
COLUMNS = {get_column_letter(i): i for i in range(1, limits.CELLS_PER_ROW_MAX + 1)}  # "A" -> 1 ...


def column_of(ref: str) -> int | None:
    """The column of a cell reference ("B12" -> 2); None when it is not one."""
    letters = ref.rstrip(DIGITS)
    if letters in COLUMNS and len(letters) < len(ref) and ref[len(letters)] != "0":
        return COLUMNS[letters]  # the common case, without parsing
    try:
        letters, _row = coordinate_from_string(ref.upper())
        return column_index_from_string(letters)
    except (ValueError, TypeError):
        return None
