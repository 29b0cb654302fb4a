"""The roster as a file, so it travels between databases: `units import`,
`units export`, `units template`.

One shape, as CSV or as a workbook: a heading row, then one unit a row, with
the columns code, name, kind, parent, started_on, ended_on, confirmed, note
(`inspect_tui/data/units.csv` is such a file). Headings are read as those
keys or as their labels in either language ("Mã", "Tên đơn vị", "Loại
hình", ...); code, name and kind must be there, a column left out leaves that
field of an existing unit as it is. A kind is its code (commune) or its label
in either language ("Xã, phường, thị trấn"); dates are dd/mm/yyyy, yyyy-mm-dd
or real dates; `confirmed` is true/false (có/không, x, 1/0; blank: true).
CSV is UTF-8 (Excel's "CSV UTF-8", with or without its BOM), separated by
commas, semicolons or tabs.

Importing goes through the one pipeline (excel/pipeline.py): the file read
within limits (rules/limits.py ROSTER_ROWS_MAX units and ROSTER_BYTES_MAX for
a CSV file; a workbook also keeps to every limit of excel/limits.py), then
every row through the rules the `a` and `e` forms use (`units.create`,
`units.update`), as the record stands, all or nothing, one change batch. Rows
are recognised by their code: a unit already as the file says is left alone,
so a second import of the same file changes nothing. Rows are applied parents
first, so a file may list a ward before its parent; a parent that is neither
in the file nor in the roster, a cycle of parents, a code twice, an end
before a start are each reported at their cell (file, row, column, reason).

Exporting writes the roster (every unit ever, or those existing on a day,
each under the parent it had that day) in the same shape, CSV or workbook by
the file's extension, written whole (inspect_tui/files.py).
"""
import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from inspect_tui import files
from inspect_tui.excel import limits as book_limits
from inspect_tui.excel import pipeline, saving
from inspect_tui.excel.errors import ExcelError
from inspect_tui.excel.package import OLE2_MAGIC, Deadline, Refusal, file_size, open_package
from inspect_tui.excel.pipeline import Change, ImportReport
from inspect_tui.excel.reading import (_CONTROL, Labels, Problems, as_date, find_sheet, match_columns,
                                       nfc, read_rows, show, text_key)
from inspect_tui.excel.styles import SheetWriter, set_widths
from inspect_tui.locale import LANGUAGES, formats, t
from inspect_tui.rules import exchange, limits, units
from inspect_tui.rules.errors import DomainError
from inspect_tui.rules.text import fold
from inspect_tui.rules.vocab import UNIT_KINDS

FORMAT = "inspect-tui/roster/1"
COLUMNS = ("code", "name", "kind", "parent", "started_on", "ended_on", "confirmed", "note")
REQUIRED_COLUMNS = ("code", "name", "kind")
WIDTHS = [16, 46, 22, 16, 13, 13, 12, 50]
HEADER_ROWS = 10  # the heading row is looked for among the first rows (a title may stand above it)
DELIMITERS = ",;\t"
TEMPLATE_ROWS = 1000  # rows of the template that get drop-downs and date checks
TRUE = {"true", "1", "x", "yes", "y", "co", "da xac nhan", "✓", "v"}
FALSE = {"false", "0", "no", "n", "khong", "chua xac nhan", "chua"}
FIELD_OF = {  # a refusal of the rules -> the column it is about
    "duplicate_unit": "code", "bad_unit_code": "code", "unknown_unit": "parent", "parent_cycle": "parent",
    "parent_not_existing": "parent", "ends_before_start": "ended_on", "unit_has_open_tasks": "ended_on",
    "unit_has_children": "ended_on", "unit_ended_by_reorganisation": "ended_on",
    "unit_started_by_reorganisation": "started_on", "unit_visited_outside": "started_on",
    "bad_choice": "kind",
}
CHANGES_SHOWN = 50  # changes the command line lists; the count covers them all


def heading(column: str, lang: str) -> str:
    return t(f"units.file.{column}", lang=lang)


def _wanted() -> dict[str, list[str]]:
    return {c: [c] + [heading(c, x) for x in LANGUAGES] for c in COLUMNS}


# --- reading ------------------------------------------------------------------------------------

@dataclass
class Line:
    row: int
    values: dict = field(default_factory=dict)
    ok: bool = True


@dataclass
class RosterFile:
    name: str
    sheet: str
    columns: dict[str, int]  # column key -> column number
    lines: list[Line] = field(default_factory=list)
    codes: set[str] = field(default_factory=set)  # every code in the file, rows with problems too


def import_roster(path, actor: str, today: dt.date, lang: str = "vi", dry_run: bool = False) -> ImportReport:
    """Check, then apply all or nothing (the dry run: check only)."""
    return pipeline.run([path], read_roster, apply_roster, actor, today, lang, dry_run)


def read_roster(path: Path, problems: Problems, deadline: Deadline, lang: str) -> RosterFile | None:
    path = Path(path)
    size = file_size(path)
    if size == 0:
        raise Refusal("roster_empty")
    try:
        with open(path, "rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise Refusal("cannot_open", detail=exc.strerror or str(exc)) from None
    if head.startswith(b"PK") or head == OLE2_MAGIC:
        return _read_workbook(path, problems, deadline, lang)
    return _read_csv(path, size, problems, deadline, lang)


def _too_many(lang: str) -> Refusal:
    return Refusal("roster_too_many_rows", limit=formats.number(limits.ROSTER_ROWS_MAX, lang=lang))


def _read_csv(path: Path, size: int, problems: Problems, deadline: Deadline, lang: str) -> RosterFile | None:
    if size > limits.ROSTER_BYTES_MAX:
        raise Refusal("roster_too_big", size=_mb(size, lang), limit=_mb(limits.ROSTER_BYTES_MAX, lang))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise Refusal("cannot_open", detail=exc.strerror or str(exc)) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Refusal("roster_not_utf8", position=formats.number(exc.start, lang=lang)) from None
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(DELIMITERS, key=first.count) if any(d in first for d in DELIMITERS) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    wanted = {key: {text_key(label) for label in labels} for key, labels in _wanted().items()}
    roster, lines = None, 0
    row_no = 0
    try:
        for row_no, cells in enumerate(reader, 1):
            if row_no % 500 == 0:
                deadline.check()
            if not any(c.strip() for c in cells):
                continue
            if roster is None:
                found = {}
                for col, value in enumerate(cells, 1):
                    key = next((k for k, labels in wanted.items() if text_key(value) in labels), None)
                    if key and key not in found:
                        found[key] = col
                if "code" in found and "name" in found:
                    roster = RosterFile(path.name, "", found)
                    if not _columns_ok(roster, problems, row_no, lang):
                        return None
                elif row_no >= HEADER_ROWS:
                    break
                continue
            lines += 1
            if lines > limits.ROSTER_ROWS_MAX:
                raise _too_many(lang)
            raw, refused = {}, {}
            for key, col in roster.columns.items():
                value = nfc(cells[col - 1]).strip() if col <= len(cells) else ""
                if len(value) > book_limits.CELL_CHARS_MAX:
                    refused[key] = Refusal("cell_too_long", length=formats.number(len(value), lang=lang),
                                           limit=formats.number(book_limits.CELL_CHARS_MAX, lang=lang)).message(lang)
                elif _CONTROL.search(value):  # tab, newline and return are text, as in a workbook
                    refused[key] = Refusal("control_characters").message(lang)
                raw[key] = value or None
            _line(roster, row_no, raw, refused, problems, lang)
    except csv.Error:
        raise Refusal("roster_csv_broken", row=formats.number(row_no + 1, lang=lang)) from None
    if roster is None:
        _missing(problems, "", 1, list(REQUIRED_COLUMNS), lang)
        return None
    return roster


def _columns_ok(roster: RosterFile, problems: Problems, row: int, lang: str) -> bool:
    missing = [c for c in REQUIRED_COLUMNS if c not in roster.columns]
    _missing(problems, roster.sheet, row, missing, lang)
    return not missing


def _missing(problems: Problems, sheet: str, row: int, missing: list[str], lang: str) -> None:
    for c in missing:
        name = heading(c, lang)
        problems.add(sheet, row, "", name, t("excel.import.missing_column", lang=lang, column=name))


def _read_workbook(path: Path, problems: Problems, deadline: Deadline, lang: str) -> RosterFile | None:
    package = open_package(path, lang, deadline)
    try:
        ws = find_sheet(package, [t("units.file.sheet", lang=x) for x in LANGUAGES])
        if ws is None:
            if not package.sheetnames:
                raise Refusal("not_workbook")
            ws = package.sheet(package.sheetnames[0])
        header, columns, missing = 1, {}, list(REQUIRED_COLUMNS)
        for row in range(1, HEADER_ROWS + 1):
            found, left = match_columns(ws, row, _wanted())
            if "code" in found and "name" in found:
                header, columns, missing = row, found, [c for c in REQUIRED_COLUMNS if c in left]
                break
        if missing:
            _missing(problems, ws.title, header, missing, lang)
            return None
        roster = RosterFile(path.name, ws.title, columns)
        lines = 0
        for read in read_rows(ws, header + 1, columns, deadline, lang):
            lines += 1
            if lines > limits.ROSTER_ROWS_MAX:
                raise _too_many(lang)
            _line(roster, read.row, read.values, read.refused, problems, lang)
        return roster
    finally:
        package.close()


_KINDS: dict[str, str] = {}


def _kind(text: str) -> str | None:
    """A kind typed as its code or its label in either language, diacritics optional."""
    if not _KINDS:
        labels = Labels(("unit_kind",), UNIT_KINDS)
        for code in UNIT_KINDS:
            _KINDS[fold(code)] = code
            for lang in LANGUAGES:
                _KINDS[fold(t(f"unit_kind.{code}", lang=lang))] = code
        _KINDS.update({fold(k): v for k, v in labels._map.items()})
    return _KINDS.get(fold(text))


def _line(roster: RosterFile, row: int, raw: dict, refused: dict, problems: Problems, lang: str) -> None:
    """Type one row's values; its problems reported at their cells."""
    before = problems.count
    columns = roster.columns

    def problem(key, reason):
        problems.add(roster.sheet, row, columns[key], heading(key, lang), reason)

    for key, reason in refused.items():
        problem(key, reason)
    values = {}
    for key in ("code", "name", "kind"):
        if key in refused:
            continue
        text = show(raw.get(key))
        if not text:
            problem(key, t("excel.import.required", lang=lang))
        elif key == "code":
            try:
                values["code"] = units.check_code(text)
            except DomainError as exc:
                problem(key, exc.message(lang))
        elif key == "kind":
            code = _kind(text)
            if code is None:
                problem(key, t("excel.import.bad_choice", lang=lang, value=text[:80],
                               choices=", ".join(t(f"unit_kind.{k}", lang=lang) for k in UNIT_KINDS)))
            else:
                values["kind"] = code
        else:
            values[key] = text
    if "parent" in columns and "parent" not in refused:
        values["parent"] = show(raw.get("parent")) or None
    for key in ("started_on", "ended_on"):
        if key in columns and key not in refused:
            try:
                values[key] = as_date(raw.get(key), lang)
            except Refusal as refusal:
                problem(key, refusal.message(lang))
    if "confirmed" in columns and "confirmed" not in refused:
        value = _yes_no(raw.get("confirmed"))
        if value is None:
            problem("confirmed", t("excel.import.roster_yes_no", lang=lang, value=show(raw.get("confirmed"))[:40]))
        else:
            values["confirmed"] = value
    if "note" in columns and "note" not in refused:
        note = raw.get("note")
        values["note"] = note if isinstance(note, str) else show(note)
    code = values.get("code")
    if code:
        if code in roster.codes:
            first = next((line.row for line in roster.lines if line.values.get("code") == code), None)
            problem("code", t("excel.import.roster_duplicate_code", lang=lang, code=code,
                              row=first if first is not None else "?"))
        roster.codes.add(code)
    roster.lines.append(Line(row, values, problems.count == before))


def _yes_no(value) -> bool | None:
    if value is None or value == "":
        return True
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return bool(value) if value in (0, 1) else None
    text = fold(str(value))
    if text in TRUE or text == fold(t("units.file.yes", lang="vi")) or text == fold(t("units.file.yes", lang="en")):
        return True
    if text in FALSE or text == fold(t("units.file.no", lang="vi")) or text == fold(t("units.file.no", lang="en")):
        return False
    return None


def _mb(size: int, lang: str) -> str:
    return formats.number(round(size / book_limits.MB, 1), 1, lang=lang) + " MB"


# --- applying -----------------------------------------------------------------------------------

def apply_roster(roster: RosterFile, problems: Problems, report: ImportReport, actor: str,
                 today: dt.date, lang: str) -> None:
    columns = roster.columns
    lines = {line.values["code"]: line for line in roster.lines if line.ok}
    code_of, db_parent = exchange.roster_tree()
    existing = exchange.units_by_code(lines)

    def problem(line, key, reason):
        column = key if key in columns else "code"
        problems.add(roster.sheet, line.row, columns[column], heading(column, lang), reason)

    def parent_of(code):
        if code in lines and "parent" in columns:
            return lines[code].values.get("parent")
        return db_parent.get(code)

    blocked = set()
    for code, line in lines.items():
        parent = line.values.get("parent")
        if not parent or parent in lines or parent in db_parent:
            continue
        blocked.add(code)
        if parent not in roster.codes:  # a parent on a row with problems: said there
            problem(line, "parent", DomainError("unknown_unit", code=parent).message(lang))
    state: set[str] = set()
    for start in lines:
        path, where = [], {}
        code = start
        while code is not None and code not in state:
            if code in where:
                for member in path[where[code]:]:
                    if member in lines and member not in blocked:
                        blocked.add(member)
                        problem(lines[member], "parent", DomainError(
                            "parent_cycle", code=member, parent=parent_of(member)).message(lang))
                break
            where[code] = len(path)
            path.append(code)
            code = parent_of(code)
        state.update(path)

    depth: dict[str, int] = {}

    def depth_of(code):  # how many of its ancestors (the file's or the roster's) the file lists
        chain, c = [], code
        while c is not None and c not in depth and c not in chain:
            chain.append(c)
            c = parent_of(c)
        base = depth[c] if c is not None and c in depth and c not in chain else -1
        for item in reversed(chain):
            base += item in lines
            depth[item] = base
        return depth[code]

    order = sorted((line for code, line in lines.items() if code not in blocked),
                   key=lambda line: (depth_of(line.values["code"]), line.row))
    step = partial(_step, actor, problems, roster, lang)
    made = updated = 0
    for line in order:
        v = line.values
        code = v["code"]
        if v.get("parent") and v["parent"] in roster.codes and v["parent"] not in lines \
                and v["parent"] not in db_parent:
            continue  # its parent's row was refused
        unit = existing.get(code)
        if unit is None:
            if step(line, lambda v=v: units.create(
                    v["code"], v["name"], v["kind"], actor, parent=v.get("parent"),
                    started_on=v.get("started_on"), ended_on=v.get("ended_on"),
                    confirmed=v.get("confirmed", True), note=v.get("note", ""))) is not None:
                made += 1
                report.changes.append(Change(roster.name, roster.sheet, line.row, None, heading("code", lang), "",
                                             f"{code} – {v['name']}"[:160], record=pipeline.new_record(lang)))
            continue
        changes = _differences(unit, v, code_of)
        if not changes:
            report.already += 1
            continue
        if step(line, lambda code=code, changes=changes: units.update(code, actor, **changes)) is not None:
            updated += 1
            for key, new in changes.items():
                old = code_of.get(unit.parent_id) if key == "parent" else getattr(unit, key)
                report.changes.append(Change(roster.name, roster.sheet, line.row, None, heading(key, lang),
                                             _shown(key, old, lang), _shown(key, new, lang), record=code))
    if made:
        report.created["units"] = report.created.get("units", 0) + made
    if updated:
        report.created["updated"] = report.created.get("updated", 0) + updated


def _differences(unit, values: dict, code_of: dict) -> dict:
    changes = {}
    for key in ("name", "kind", "started_on", "ended_on", "confirmed", "note"):
        if key in values and values[key] != getattr(unit, key):
            changes[key] = values[key]
    if "parent" in values and values["parent"] != code_of.get(unit.parent_id):
        changes["parent"] = values["parent"] or ""
    return changes


def _shown(key: str, value, lang: str) -> str:
    if value is None or value == "":
        return ""
    if key == "kind":
        return t(f"unit_kind.{value}", lang=lang)
    if key == "confirmed":
        return t("units.file.yes" if value else "units.file.no", lang=lang)
    if isinstance(value, dt.date):
        return formats.date(value, lang)
    return str(value)[:160]


def _step(actor: str, problems: Problems, roster: RosterFile, lang: str, line: Line, fn):
    labels = {c: heading(c, lang) for c in COLUMNS}

    def reason(exc: DomainError):
        key = FIELD_OF.get(exc.key)
        if exc.values.get("field") in roster.columns:
            key = exc.values["field"]
        if key not in roster.columns:
            key = "code"
        return roster.columns[key], heading(key, lang), pipeline.relabel(exc, labels, lang)

    return pipeline.row_step(actor, problems, (roster.sheet, line.row), fn, reason)


# --- writing ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Written:
    path: Path
    rows: int


def default_name(on: dt.date | None, today: dt.date, lang: str) -> str:
    return t("units.file.export_name", lang=lang, day=(on or today).isoformat())


def _target(path, create_folder: bool) -> Path:
    path = Path(path)
    if path.suffix.lower() not in (".csv", ".xlsx"):
        raise ExcelError("roster_suffix", path=path)
    if path.is_dir():
        raise ExcelError("roster_target_is_folder", path=path)
    files.check_folder_writable(path.parent, ExcelError, create_folder)
    return path


def export_roster(path, on: dt.date | None, today: dt.date, lang: str = "vi",
                  create_folder: bool = False) -> Written:
    """Write the roster (every unit ever, or those existing on `on`) at `path`:
    a .csv or .xlsx file in the shape `import_roster` reads back."""
    path = _target(path, create_folder)
    rows = units.roster(on=on)
    if path.suffix.lower() == ".csv":
        created = saving.make_folder(path.parent) if create_folder else []
        try:
            files.write_whole(path, partial(_write_csv, rows))
        except OSError as exc:
            saving.remove_folders(created)
            raise saving.refusal(exc, path) from None
        except BaseException:
            saving.remove_folders(created)
            raise
    else:
        saving.save(_workbook(rows, today, lang), path, create_folder)
    return Written(path, len(rows))


def _write_csv(rows: list[units.UnitRow], target: str) -> None:
    with open(target, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        for r in rows:
            writer.writerow([r.code, r.name, r.kind, r.parent_code or "",
                             r.started_on.isoformat() if r.started_on else "",
                             r.ended_on.isoformat() if r.ended_on else "",
                             "true" if r.confirmed else "false", r.note])


def write_template(path, today: dt.date, lang: str = "vi", create_folder: bool = False) -> Path:
    """An empty roster workbook: the headings, drop-downs for the kind and the
    parent (the units existing `today`), date checks, and a sheet of help."""
    path = _target(path, create_folder)
    if path.suffix.lower() != ".xlsx":
        raise ExcelError("not_xlsx", path=path)
    return saving.save(_workbook([], today, lang), path, create_folder)


def _workbook(rows: list[units.UnitRow], today: dt.date, lang: str):
    wb = Workbook()
    ws = wb.active
    ws.title = t("units.file.sheet", lang=lang)
    set_widths(ws, WIDTHS)
    w = SheetWriter(ws)
    w.lang = lang
    w.append([w.cell(heading(c, lang), "head") for c in COLUMNS], height=30)
    ws.freeze_panes = "A2"
    for r in rows:
        w.append([w.cell(r.code), w.cell(r.name), w.cell(t(f"unit_kind.{r.kind}", lang=lang)),
                  w.cell(r.parent_code), w.cell(r.started_on, "date"), w.cell(r.ended_on, "date"),
                  w.cell(t("units.file.yes" if r.confirmed else "units.file.no", lang=lang)),
                  w.cell(r.note or None)])
    last = max(len(rows) + 1, TEMPLATE_ROWS)
    lists = wb.create_sheet(t("units.file.lists", lang=lang))
    set_widths(lists, [24, 4, 16, 50])
    lw = SheetWriter(lists)
    kinds = [t(f"unit_kind.{k}", lang=lang) for k in UNIT_KINDS]
    existing = units.roster(on=today)
    lw.append([lw.cell(heading("kind", lang), "head"), None, lw.cell(heading("code", lang), "head"),
               lw.cell(heading("name", lang), "head")])
    for i in range(max(len(kinds), len(existing))):
        lw.append([lw.cell(kinds[i]) if i < len(kinds) else None, None,
                   lw.cell(existing[i].code) if i < len(existing) else None,
                   lw.cell(existing[i].name) if i < len(existing) else None])
    sheet = quote_sheetname(lists.title)
    _list(ws, 3, last, f"{sheet}!$A$2:$A${len(kinds) + 1}")
    if existing:
        _list(ws, 4, last, f"{sheet}!$C$2:$C${len(existing) + 1}")
    for col in (5, 6):
        dv = DataValidation(type="date", operator="between", formula1=str(book_limits.SERIAL_MIN),
                            formula2=str(book_limits.SERIAL_MAX), allow_blank=True, showErrorMessage=True,
                            errorTitle=t("excel.unit.date_error_title", lang=lang),
                            error=t("excel.unit.date_error", lang=lang))
        letter = get_column_letter(col)
        dv.add(f"{letter}2:{letter}{last}")
        ws.add_data_validation(dv)
    for row in range(len(rows) + 2, last + 1):
        for col in range(1, len(COLUMNS) + 1):
            ws.cell(row=row, column=col).number_format = "dd/mm/yyyy" if col in (5, 6) else "@"
    guide = wb.create_sheet(t("units.file.guide", lang=lang))
    set_widths(guide, [110])
    gw = SheetWriter(guide)
    for line in t("units.file.help", lang=lang).split("\n"):
        gw.append([gw.cell(line, "sentence")])
    meta = wb.create_sheet("meta")
    for i, (k, v) in enumerate((("format", FORMAT), ("lang", lang), ("written", today.isoformat())), 1):
        meta.cell(row=i, column=1, value=k)
        meta.cell(row=i, column=2, value=v)
    meta.sheet_state = "hidden"
    return wb


def _list(ws, col: int, last: int, source: str) -> None:
    dv = DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=False)
    letter = get_column_letter(col)
    dv.add(f"{letter}2:{letter}{last}")
    ws.add_data_validation(dv)
