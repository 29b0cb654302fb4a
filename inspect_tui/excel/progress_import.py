"""Import the progress units report in their workbooks, all or nothing.

First every row of every file is checked and one report is built: each
change that will be made, and each problem with file, sheet, row, column and
reason. Only when no file has a problem (and this is not a dry run) are the
changes applied, through the rules (`tasks.move/update/add_note`), inside one
transaction: if the rules refuse anything there, everything is rolled back.
"""
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils import get_column_letter

from inspect_tui.excel import per_unit, reading
from inspect_tui.excel.reading import Problem
from inspect_tui.locale import formats, t
from inspect_tui.rules import audit, tasks
from inspect_tui.rules.errors import DomainError
from inspect_tui.rules.tasks import MOVES, needs_reason
from inspect_tui.rules.vocab import TASK_STATUSES
from inspect_tui.store.models import ProgressNote, Task

MAX_PROBLEMS_PER_FILE = 200  # the report lists this many; the count covers all


@dataclass
class Change:
    file: str
    sheet: str
    row: int
    task_id: int
    field: str
    old: str
    new: str


@dataclass
class TaskUpdate:
    """What one row asks for, checked against the rules."""
    task_id: int
    version: int
    file: str
    sheet: str
    row: int
    status: str | None = None  # the new status, if it changes
    old_status: str = ""  # the status the check saw (the version guards it)
    note: str = ""
    completed_on: dt.date | None = None
    completed_changed: bool = False
    evidence_ref: str | None = None  # the new reference, if it changes


@dataclass
class ImportReport:
    files: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    applied: bool = False
    dry_run: bool = False
    updates: list[TaskUpdate] = field(default_factory=list)
    already: int = 0  # rows whose changes the database already holds (imported before)

    @property
    def ok(self) -> bool:
        return self.problem_count == 0


def status_codes(lang_first: str) -> dict[str, str]:
    """Status label (either language) or code, case-folded -> code."""
    found = {}
    for lang in ("en", "vi", lang_first):
        for code in TASK_STATUSES:
            found[t(f"task_status.{code}", lang=lang).casefold()] = code
            found[code.casefold()] = code
    return found


def check_files(paths: list, today: dt.date, lang: str = "vi") -> ImportReport:
    report = ImportReport()
    seen: dict[int, str] = {}
    for path in paths:
        report.files.append(str(path))
        file_problems = _check_file(Path(path), today, lang, report, seen)
        report.problem_count += len(file_problems.all)
        report.problems.extend(file_problems.all[:MAX_PROBLEMS_PER_FILE])
    return report


class _Problems:
    def __init__(self, file: str):
        self.file = file
        self.all: list[Problem] = []

    def add(self, sheet: str, row: int | None, column: str, field_: str, reason: str) -> None:
        self.all.append(Problem(self.file, sheet, row, column, field_, reason))


def _check_file(path: Path, today: dt.date, lang: str, report: ImportReport,
                seen: dict[int, str]) -> _Problems:
    problems = _Problems(path.name)
    wb, reason = reading.open_workbook(path, lang)
    if wb is None:
        problems.add("", None, "", "", reason)
        return problems
    try:
        meta = reading.find_sheet(wb, [t("excel.sheet.meta", lang=x) for x in ("vi", "en")])
        if meta is None or str(reading.cell_value(meta, 1, 2)) != per_unit.FORMAT:
            problems.add("", None, "", "", t("excel.import.not_progress", lang=lang))
            return problems
        info = {str(reading.cell_value(meta, i, 1)): reading.cell_value(meta, i, 2)
                for i in range(1, len(per_unit.META_KEYS) + 1)}
        file_lang = str(info.get("lang") or "vi")
        sheet_title = str(info.get("sheet") or "")
        header_row = int(info.get("header_row") or per_unit.HEADER_ROW)
        exported = _exported_rows(meta)
        if sheet_title not in wb.sheetnames:
            problems.add(sheet_title, None, "", "", t("excel.import.missing_sheet", lang=lang,
                                                        sheet=sheet_title))
            return problems
        ws = wb[sheet_title]
        columns = _columns(ws, header_row, file_lang, problems, lang)
        if columns is None:
            return problems
        for ref in reading.merged_ranges(ws):
            if ref.max_row > header_row:
                problems.add(ws.title, ref.min_row, get_column_letter(ref.min_col), "",
                             t("excel.import.merged", lang=lang, ref=ref.coord))
        _check_rows(ws, header_row, columns, exported, file_lang, today, lang, problems, report,
                    seen, path.name)
    finally:
        wb.close()
    return problems


def _exported_rows(meta) -> dict[int, tuple[int, dict[str, str]]]:
    """task id -> (version, {column key: value as exported})."""
    rows = {}
    for values in meta.iter_rows(min_row=per_unit.META_TABLE_ROW + 1, values_only=True):
        if not values or values[0] is None:
            continue
        originals = {key: ("" if v is None else str(v)) for key, v in zip(per_unit.KEYS, values[3:])}
        rows[int(values[0])] = (int(values[1]), originals)
    return rows


def _columns(ws, header_row, file_lang, problems, lang) -> dict[str, int] | None:
    """Column key -> column number, found by the headings (either language)."""
    headings = {}
    for col, value in enumerate(reading.row_values(ws, header_row), 1):
        if isinstance(value, str):
            headings[" ".join(value.split()).casefold()] = col
    columns, missing = {}, []
    for key in per_unit.KEYS:
        names = {" ".join(t(f"excel.unit.{key}", lang=x).split()).casefold() for x in ("vi", "en")}
        col = next((headings[n] for n in names if n in headings), None)
        if col is None:
            missing.append(t(f"excel.unit.{key}", lang=file_lang))
        else:
            columns[key] = col
    for name in missing:
        problems.add(ws.title, header_row, "", name, t("excel.import.missing_column", lang=lang, column=name))
    return None if missing else columns


def _check_rows(ws, header_row, columns, exported, file_lang, today, lang, problems, report, seen,
                file_name) -> None:
    codes = status_codes(file_lang)
    labels = {key: t(f"excel.unit.{key}", lang=file_lang) for key in per_unit.KEYS}
    found_in_file = set()
    for row_no, cells in enumerate(ws.iter_rows(min_row=header_row + 1), header_row + 1):
        values = {key: cells[col - 1] if col - 1 < len(cells) else None for key, col in columns.items()}
        if all(reading.is_blank(c) for c in cells):
            continue

        def problem(key, reason):
            problems.add(ws.title, row_no, get_column_letter(columns[key]), labels[key], reason)

        for key, cell in values.items():
            if reading.is_formula(cell):
                problem(key, t("excel.import.formula", lang=lang))
        raw_id = reading.value(values["task"])
        task_id = reading.as_int(raw_id)
        if task_id is None or task_id not in exported:
            problem("task", t("excel.import.unknown_task", lang=lang, value=reading.show(raw_id)))
            continue
        if task_id in found_in_file or task_id in seen:
            problem("task", t("excel.import.duplicate_task", lang=lang, id=task_id,
                              where=seen.get(task_id, file_name)))
            continue
        found_in_file.add(task_id)
        seen[task_id] = file_name
        version, originals = exported[task_id]
        for key in per_unit.KEYS:
            if key in per_unit.EDITABLE or key == "task":
                continue
            if per_unit.canon(reading.value(values[key])) != originals.get(key, ""):
                problem(key, t("excel.import.protected", lang=lang, old=originals.get(key, ""),
                               new=reading.show(reading.value(values[key]))))
        update = _read_update(task_id, version, values, originals, codes, today, lang, problem)
        if update is None:
            continue
        update.file, update.sheet, update.row = file_name, ws.title, row_no
        _check_against_db(update, originals, lang, problem, report, file_lang)


def _read_update(task_id, version, values, originals, codes, today, lang, problem):
    update = TaskUpdate(task_id, version, "", "", 0)
    ok = True
    status_text = reading.show(reading.value(values["status"]))
    code = codes.get(status_text.casefold())
    if code is None:
        problem("status", t("excel.import.bad_status", lang=lang, value=status_text))
        ok = False
    elif status_text != originals.get("status", ""):
        original = codes.get(originals.get("status", "").casefold())
        if code != original:
            update.status = code
    update.note = reading.show(reading.value(values["note"]))
    try:
        done = reading.as_date(reading.value(values["completed_on"]), "completed_on")
    except DomainError as exc:
        problem("completed_on", exc.message(lang))
        done, ok = None, False
    if done is not None and done > today:
        problem("completed_on", DomainError("completed_in_future", day=done).message(lang))
        ok = False
    if per_unit.canon(done) != originals.get("completed_on", ""):
        update.completed_on, update.completed_changed = done, True
    evidence = reading.show(reading.value(values["evidence_ref"]))
    if evidence != originals.get("evidence_ref", ""):
        update.evidence_ref = evidence
    return update if ok else None


def _changed(update: TaskUpdate) -> bool:
    return bool(update.status or update.note or update.completed_changed or update.evidence_ref is not None)


def _check_against_db(update, originals, lang, problem, report, file_lang) -> None:
    if not _changed(update):
        return
    task = Task.get_or_none(Task.id == update.task_id)
    if task is None:
        problem("task", DomainError("unknown_task", id=update.task_id).message(lang))
        return
    if task.version != update.version:
        if _already_applied(update, task):
            report.already += 1
            return
        problem("task", t("excel.import.conflict", lang=lang, id=update.task_id,
                          exported=update.version, current=task.version,
                          detail=_conflict_detail(update, task, lang)))
        return
    if update.status:
        if update.status not in MOVES.get(task.status, ()):
            problem("status", DomainError("task_move_refused", id=task.id, old=task.status,
                                          new=update.status).message(lang))
            return
        if needs_reason(task.status, update.status) and not update.note:
            problem("note", DomainError("reason_required", old=task.status,
                                        new=update.status).message(lang))
            return
    update.old_status = task.status
    report.updates.append(update)
    add = report.changes.append
    where = (update.file, update.sheet, update.row, update.task_id)
    if update.status:
        add(Change(*where, "status", t(f"task_status.{task.status}", lang=lang),
                   t(f"task_status.{update.status}", lang=lang)))
    if update.note:
        add(Change(*where, "note", "", update.note))
    if update.completed_changed:
        add(Change(*where, "completed_on", formats.date(task.completed_on, lang),
                   formats.date(update.completed_on, lang)))
    if update.evidence_ref is not None:
        add(Change(*where, "evidence_ref", task.evidence_ref, update.evidence_ref))


def _already_applied(update: TaskUpdate, task: Task) -> bool:
    """The same file imported again: the database already holds all the row asks."""
    if update.status and task.status != update.status:
        return False
    if update.completed_changed and task.completed_on != update.completed_on:
        return False
    if update.evidence_ref is not None and task.evidence_ref != update.evidence_ref:
        return False
    if update.note:
        noted = ProgressNote.select().where((ProgressNote.task == task.id)
                                            & (ProgressNote.text == update.note.strip()))
        if not noted.exists():
            return False
    return True


def _conflict_detail(update: TaskUpdate, task: Task, lang: str) -> str:
    """The file's value and the database's value of each field the row changes."""
    parts = []
    if update.status:
        parts.append(t("excel.import.both", lang=lang, field=t("excel.unit.status", lang=lang),
                       file=t(f"task_status.{update.status}", lang=lang),
                       db=t(f"task_status.{task.status}", lang=lang)))
    if update.completed_changed:
        parts.append(t("excel.import.both", lang=lang, field=t("excel.unit.completed_on", lang=lang),
                       file=formats.date(update.completed_on, lang),
                       db=formats.date(task.completed_on, lang)))
    if update.evidence_ref is not None:
        parts.append(t("excel.import.both", lang=lang, field=t("excel.unit.evidence_ref", lang=lang),
                       file=update.evidence_ref, db=task.evidence_ref))
    if update.note:
        latest = tasks.latest_notes([task.id]).get(task.id, "")
        parts.append(t("excel.import.both", lang=lang, field=t("excel.unit.note", lang=lang),
                       file=update.note, db=latest))
    return "; ".join(parts)


def import_progress(paths: list, actor: str, today: dt.date, lang: str = "vi",
                    dry_run: bool = False) -> ImportReport:
    """Check, then apply against the versions the check saw: a task that anyone
    changed in between makes the whole import a conflict, and nothing is written."""
    report = check_files(paths, today, lang)
    report.dry_run = dry_run
    if dry_run or not report.ok or not report.updates:
        return report
    try:
        with audit.change(actor):  # one batch: one undo takes the whole import back
            for update in sorted(report.updates, key=lambda u: u.task_id):  # one lock order
                _apply(update, actor, today)
    except DomainError as exc:
        again = check_files(paths, today, lang)  # shows each conflict with both values
        if again.ok:
            again.problems.append(Problem("", "", None, "", "", exc.message(lang)))
            again.problem_count += 1
        again.changes = []
        return again
    report.applied = True
    return report


def _apply(u: TaskUpdate, actor: str, today: dt.date) -> None:
    """One row's changes, each made on the version the previous one left."""
    version = u.version
    fields = {}
    note_done = False
    if u.status:
        reason = u.note if needs_reason(u.old_status, u.status) else ""
        note_done = bool(reason)
        version = tasks.move(u.task_id, u.status, actor, today, reason=reason,
                             completed_on=u.completed_on if u.status == "reported_done" else None,
                             evidence_ref=u.evidence_ref, expected_version=version).version
        if u.completed_changed and u.status != "reported_done" and u.completed_on is not None:
            fields["completed_on"] = u.completed_on
    else:
        if u.evidence_ref is not None:
            fields["evidence_ref"] = u.evidence_ref
        if u.completed_changed:
            fields["completed_on"] = u.completed_on
    if fields:
        version = tasks.update(u.task_id, actor, today, expected_version=version, **fields).version
    if u.note and not note_done:
        tasks.add_note(u.task_id, u.note, actor, today, expected_version=version)
