"""Import the progress units report in their per-unit workbooks, all or
nothing, through the one pipeline (excel/pipeline.py).

Reading a file: the package within the limits; the key sheet's signature
(the unit, the export, every task id, version and exported value, signed with
the database's key: anything edited or forged there refuses the whole file as
tampering); the progress sheet's columns found by their headings; every row
normalised and compared with what was exported: an edited task number or
protected column, a new row, a duplicate and a deleted row are problems.

Applying: the rows that ask for something go together to
`progress.apply_reports` (the task must still be the file's unit's, at the
exported version; a unit sets only "in progress" and "reported done", a
completion date only with "reported done"; the status machine is
`tasks.move_problems`, the one `tasks.move` uses), which checks every task
as it is inside the write and writes them in bulk, logged as one change.
"""
import datetime as dt
import hmac
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from openpyxl.worksheet.cell_range import CellRange

from inspect_tui.excel import limits, per_unit, pipeline, template
from inspect_tui.excel.package import Deadline, Refusal, open_package
from inspect_tui.excel.pipeline import Change, ImportReport  # noqa: F401 (the report callers get)
from inspect_tui.excel.reading import (Labels, Problems, as_date, as_int, find_sheet, match_columns,
                                       read_rows, show)
from inspect_tui.locale import LANGUAGES, formats, t
from inspect_tui.rules import meta, progress, tasks, unit_reports
from inspect_tui.rules.errors import DomainError
from inspect_tui.rules.unit_reports import UnitReport
from inspect_tui.rules.vocab import TASK_STATUSES

FIELD_OF = {  # a refusal of the rules -> the column it is about
    "unit_cannot_set": "status", "task_move_refused": "status", "reason_required": "note",
    "completed_needs_done": "completed_on", "done_needs_date": "completed_on",
    "completed_in_future": "completed_on", "date_out_of_range": "completed_on",
}
DATE_COLUMNS = ("due_on",)  # protected columns holding a date
CODE_COLUMN = {"status_reason": "note", "text": "note", "evidence_ref": "evidence_ref",
               "completed_on": "completed_on", "status": "status", "note": "note"}


@dataclass
class RowRequest:
    sheet: str
    row: int
    task_id: int
    version: int
    report: UnitReport


@dataclass
class ProgressFile:
    name: str
    unit: str
    sheet: str
    columns: dict[str, int]
    rows: list[RowRequest] = field(default_factory=list)


def label(key: str, lang: str) -> str:
    return t(f"excel.unit.{key}", lang=lang)


def import_progress(paths: list, actor: str, today: dt.date, lang: str = "vi",
                    dry_run: bool = False) -> ImportReport:
    """Read every file, then check and apply every row in one transaction,
    committed only when no file has a problem and this is not a dry run."""
    seen: dict[int, str] = {}  # task id -> the file it was first found in
    return pipeline.run(paths, partial(read_progress, seen=seen), apply_progress, actor, today,
                        lang, dry_run)


# --- reading ---------------------------------------------------------------------------------

def read_progress(path: Path, problems: Problems, deadline: Deadline, lang: str,
                  seen: dict[int, str] | None = None) -> ProgressFile | None:
    seen = {} if seen is None else seen
    package = open_package(path, lang, deadline)
    try:
        return _read(package, path.name, problems, deadline, lang, seen)
    finally:
        package.close()


def _raw(value) -> str:
    return "" if value is None else str(value)


def _key_sheet(package):
    """(header values, signature, table rows) of the key sheet, as text."""
    ws = find_sheet(package, [t("excel.sheet.meta", lang=x) for x in LANGUAGES])
    if ws is None:
        raise Refusal("not_progress")
    top = list(ws.iter_rows(min_row=1, max_row=per_unit.SIGNATURE_ROW, max_col=2, values_only=True))
    top += [(None, None)] * (per_unit.SIGNATURE_ROW - len(top))
    form = _raw(top[0][1])
    if form in per_unit.OLD_FORMATS:
        raise Refusal("old_export")
    if form == template.FORMAT:
        raise Refusal("template_not_progress")
    if form != per_unit.FORMAT:
        raise Refusal("not_progress")
    header = [_raw(top[i][1]) for i in range(len(per_unit.META_KEYS))]
    signature = _raw(top[per_unit.SIGNATURE_ROW - 1][1])
    table = []
    for values in ws.iter_rows(min_row=per_unit.META_TABLE_ROW + 1, max_row=limits.ROWS_MAX,
                               max_col=per_unit.TABLE_COLUMNS, values_only=True):
        if any(v is not None for v in values):
            table.append([_raw(v) for v in values])
    return header, signature, table


def _read(package, name, problems: Problems, deadline, lang, seen) -> ProgressFile | None:
    header, signature, table = _key_sheet(package)
    key = meta.exchange_key()
    if key is None or not signature or not hmac.compare_digest(
            per_unit.signature(key, header, table), signature):
        raise Refusal("tampered")
    info = dict(zip(per_unit.META_KEYS, header))
    exported = {}
    try:
        for values in table:
            exported[int(values[0])] = (int(values[1]), int(values[2]), dict(zip(per_unit.KEYS, values[3:])))
        header_row = int(info["header_row"])
    except (ValueError, IndexError):  # signed, so ours: only an older layout could do this
        raise Refusal("tampered") from None
    title = info["sheet"]
    ws = package.sheet(title)
    if ws is None:
        raise Refusal("missing_sheet", sheet=title)
    wanted = {k: [label(k, x) for x in LANGUAGES] for k in per_unit.KEYS}
    columns, missing = match_columns(ws, header_row, wanted)
    for k in missing:
        problems.add(title, header_row, "", label(k, lang), t("excel.import.missing_column", lang=lang,
                                                              column=label(k, lang)))
    if missing:
        return None
    content = ProgressFile(name, info["unit"], title, columns)
    for ref in package.merged(ws):
        try:
            rng = CellRange(ref)
        except (ValueError, TypeError):
            continue
        if rng.max_row > header_row:
            problems.add(title, rng.min_row, rng.min_col, "", t("excel.import.merged", lang=lang, ref=ref))
    statuses = Labels(("task_status",), TASK_STATUSES)
    found: set[int] = set()
    for row in read_rows(ws, header_row + 1, columns, deadline, lang):
        request = _row(row, content, exported, statuses, problems, lang, seen, found, name)
        if request is not None:
            content.rows.append(request)
    for task_id, (_version, row_no, _originals) in sorted(exported.items(), key=lambda x: x[1][1]):
        if task_id not in found:
            problems.add(title, None, "", label("task", lang),
                         t("excel.import.deleted_row", lang=lang, id=task_id, row=row_no))
    return content


def _row(row, content: ProgressFile, exported, statuses: Labels, problems: Problems, lang, seen,
         found, name) -> RowRequest | None:
    sheet, columns = content.sheet, content.columns
    count = problems.count

    def problem(key, reason):
        problems.add(sheet, row.row, columns[key], label(key, lang), reason)

    for key, reason in row.refused.items():
        problem(key, reason)
    raw_id = row.values.get("task")
    task_id = as_int(raw_id)
    if raw_id is None and "task" not in row.refused:
        problem("task", t("excel.import.new_row", lang=lang))
        return None
    if task_id is None or task_id not in exported:
        if "task" not in row.refused:
            problem("task", t("excel.import.key_edited", lang=lang, value=show(raw_id)[:40]))
        return None
    if task_id in found or task_id in seen:
        problem("task", t("excel.import.duplicate_task", lang=lang, id=task_id,
                          where=seen.get(task_id, name)))
        found.add(task_id)  # here, so not "deleted" as well
        return None
    found.add(task_id)
    seen[task_id] = name
    version, _row_no, originals = exported[task_id]
    for key in per_unit.KEYS:
        if key in per_unit.EDITABLE or key == "task" or key in row.refused:
            continue
        value = row.values.get(key)
        if key in DATE_COLUMNS and isinstance(value, (int, float)):  # a date shown as a number
            try:
                value = as_date(value, lang)
            except Refusal:
                pass
        read, original = per_unit.canon(value), originals.get(key, "")
        if read != original and per_unit.comparable(read) != per_unit.comparable(original):
            problem(key, t("excel.import.protected", lang=lang, old=originals.get(key, ""),
                           new=show(row.values.get(key))))
    status = None
    if "status" not in row.refused:
        code = statuses.code(row.values.get("status"))
        if row.values.get("status") is None:
            problem("status", t("excel.import.required", lang=lang))
        elif code is None:
            problem("status", t("excel.import.bad_status", lang=lang, value=show(row.values["status"])))
        elif code != statuses.code(originals.get("status", "")):
            status = code
    done, done_changed = None, False
    if "completed_on" not in row.refused:
        try:
            done = as_date(row.values.get("completed_on"), lang)
            done_changed = per_unit.canon(done) != originals.get("completed_on", "")
        except Refusal as refusal:
            problem("completed_on", refusal.message(lang))
    evidence = show(row.values.get("evidence_ref"))
    if problems.count > count:
        return None
    return RowRequest(sheet, row.row, task_id, version, UnitReport(
        status=status, note=show(row.values.get("note")), completed_on=done,
        completed_changed=done_changed,
        evidence_ref=evidence if evidence != originals.get("evidence_ref", "") else None))


# --- applying ---------------------------------------------------------------------------------

def apply_progress(content: ProgressFile, problems: Problems, report: ImportReport, actor: str,
                   today: dt.date, lang: str) -> None:
    """Every row that asks for something, checked and written in bulk by the
    rules (rules/progress.py); each refusal reported at the cell it is about."""
    labels = {code: label(key, lang) for code, key in CODE_COLUMN.items()}
    asking = [r for r in content.rows if unit_reports.changes_anything(r.report)]
    results = progress.apply_reports(content.unit, [progress.Request(r.task_id, r.version, r.report)
                                                    for r in asking], actor, today)
    for request, result in zip(asking, results):
        if result.problems:
            for exc in result.problems:
                if exc.key in pipeline.DATABASE_ERRORS:
                    raise exc
                problems.add(request.sheet, request.row, *_reason(request, content, labels, lang, exc))
            continue
        outcome = result.outcome
        if outcome.already:
            report.already += 1
            continue
        for name, old, new in outcome.changes:
            report.changes.append(Change(content.name, request.sheet, request.row, request.task_id,
                                         label(name, lang), _shown(name, old, lang), _shown(name, new, lang)))


def _shown(name: str, value, lang: str) -> str:
    if value is None:
        return ""
    if name == "status":
        return t(f"task_status.{value}", lang=lang)
    if isinstance(value, dt.date):
        return formats.date(value, lang)
    return str(value)


def _reason(request: RowRequest, content: ProgressFile, labels, lang: str, exc: DomainError):
    """(column, field label, reason) of a refusal of the rules."""
    key = FIELD_OF.get(exc.key) or CODE_COLUMN.get(str(exc.values.get("field", ""))) or "task"
    if exc.key == "changed_since_export":
        text = t("excel.import.conflict", lang=lang, id=request.task_id, exported=request.version,
                 current=exc.values["current"], detail=_conflict_detail(request, lang))
    elif exc.key == "task_of_other_unit":
        text = t("excel.import.other_unit", lang=lang, id=request.task_id, unit=content.unit,
                 owner=exc.values["owner"])
    else:
        text = pipeline.relabel(exc, labels, lang)
    return content.columns[key], label(key, lang), text


def _conflict_detail(request: RowRequest, lang: str) -> str:
    """The file's value and the database's value of each field the row changes."""
    task, ask = tasks.get(request.task_id), request.report
    parts = []

    def both(key, file, db):
        parts.append(t("excel.import.both", lang=lang, field=label(key, lang), file=file, db=db))

    if ask.status:
        both("status", t(f"task_status.{ask.status}", lang=lang), t(f"task_status.{task.status}", lang=lang))
    if ask.completed_changed:
        both("completed_on", formats.date(ask.completed_on, lang), formats.date(task.completed_on, lang))
    if ask.evidence_ref is not None:
        both("evidence_ref", ask.evidence_ref, task.evidence_ref)
    if ask.note:
        both("note", ask.note, tasks.latest_notes([task.id]).get(task.id, ""))
    return "; ".join(parts)
