"""Load a filled record template (plan, visits, findings, tasks), all or
nothing, through the one pipeline (excel/pipeline.py).

Reading: the package within the limits, each sheet's columns by their
headings, each row's values normalised and typed (dates, numbers, choices from
the drop-downs in either language) and its keys tied together (a finding
names its visit's key, a task its finding's key).

Applying: rows are found or made through the rules the TUI uses
(`inspections.create_plan/add_visit/update_visit`, `findings.add/add_task`), so
a unit dissolved before the visit, a visit after the report day or a task due
before its visit is refused, by the dry run as by the real import. Rows are
identified by what they say, not by the keys the team typed: the plan by its
year and number, a visit by its unit and day within the plan, a finding by its
text within the visit, a task by its text within the finding. Importing the
same template twice therefore creates nothing the second time (each row is
reported as already there).
"""
import datetime as dt
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path

from openpyxl.worksheet.cell_range import CellRange

from inspect_tui.excel import per_unit, pipeline, template
from inspect_tui.excel.package import Deadline, Refusal, open_package
from inspect_tui.excel.pipeline import Change, ImportReport
from inspect_tui.excel.reading import (Labels, Problems, as_date, as_int, cell_value, find_sheet,
                                       match_columns, read_rows, show, text_key)
from inspect_tui.locale import LANGUAGES, formats, t
from inspect_tui.rules import findings, inspections, limits, tasks, units
from inspect_tui.rules.errors import DomainError
from inspect_tui.rules.vocab import AREAS, PLAN_KINDS, SEVERITIES

# column -> (kind, required); kind: text, int, date, or a Labels group for a choice
SPEC = {
    "plan": {"year": ("int", True), "number": ("text", True), "issued_on": ("date", False),
             "kind": ("plan_kind", False)},
    "visits": {"visit_key": ("text", True), "unit": ("text", True), "held_on": ("date", True),
               "minutes_ref": ("text", False), "notice_number": ("text", False),
               "notice_date": ("date", False), "assessment": ("text", False)},
    "findings": {"visit_key": ("text", True), "finding_key": ("text", True), "area": ("area", True),
                 "severity": ("severity", False), "description": ("text", True),
                 "recommendation": ("text", False)},
    "tasks": {"finding_key": ("text", True), "description": ("text", True),
              "responsible": ("text", False), "assignee": ("text", False), "due_on": ("date", True)},
}
CHOICES = {"plan_kind": (("plan_kind",), PLAN_KINDS), "area": (("area", "area_short"), AREAS),
           "severity": (("severity",), SEVERITIES)}
FIELD_OF = {  # a refusal of the rules -> the column it is about, by sheet
    "plan": {"bad_year": "year", "year_out_of_range": "year"},
    "visits": {"unknown_unit": "unit", "unit_not_existing": "unit", "visit_outside_year": "held_on",
               "held_in_future": "held_on", "held_needs_date": "held_on",
               "notice_before_visit": "notice_date", "date_out_of_range": "held_on"},
    "findings": {"visit_not_loggable": "visit_key"},
    "tasks": {"unknown_unit": "responsible", "unit_not_existing": "responsible",
              "due_before_visit": "due_on", "date_out_of_range": "due_on"},
}
DEFAULT_COLUMN = {"plan": "number", "visits": "unit", "findings": "description", "tasks": "description"}
RECORD = {"plan": "plan", "visits": "record_visits", "findings": "record_findings", "tasks": "record_tasks"}
# (key column, the sheet whose rows it names, the sheet whose rows point at them)
KEY_LINKS = (("visit_key", "visits", "findings"), ("finding_key", "findings", "tasks"))


@dataclass
class Row:
    key: str  # the sheet: plan, visits, findings, tasks
    sheet: str
    row: int
    values: dict = field(default_factory=dict)
    columns: dict = field(default_factory=dict)


@dataclass
class Record:
    name: str
    plan: Row | None = None
    visits: list[Row] = field(default_factory=list)
    findings: list[Row] = field(default_factory=list)
    tasks: list[Row] = field(default_factory=list)


def import_record(path, actor: str, today: dt.date, lang: str = "vi",
                  dry_run: bool = False) -> ImportReport:
    return pipeline.run([path], read_record, apply_record, actor, today, lang, dry_run)


# --- reading ---------------------------------------------------------------------------------

def read_record(path: Path, problems: Problems, deadline: Deadline, lang: str) -> Record | None:
    package = open_package(path, lang, deadline)
    try:
        meta = find_sheet(package, [t("excel.sheet.meta", lang=x) for x in LANGUAGES])
        form = show(cell_value(meta, 1, 2)) if meta is not None else ""
        if form == per_unit.FORMAT or form in per_unit.OLD_FORMATS:
            raise Refusal("progress_not_template")
        if form != template.FORMAT:
            raise Refusal("not_template")
        record = Record(path.name)
        keys = {"visits": set(), "findings": set()}
        for key in template.SHEETS:
            before = problems.count
            rows = _read_sheet(package, key, problems, deadline, lang, keys)
            if key == "plan":
                record.plan = rows[0] if rows else None
                if rows is not None and not rows and problems.count == before:  # no plan row at all
                    problems.add(template.title(key, lang), template.HEADER_ROW + 1, 1,
                                 template.heading("plan", "year", lang), t("excel.import.required", lang=lang))
            else:
                setattr(record, key, rows or [])
        return record
    finally:
        package.close()


def _read_sheet(package, key: str, problems: Problems, deadline, lang, keys) -> list[Row] | None:
    columns_of = template.SHEETS[key][0]
    ws = find_sheet(package, [template.title(key, x) for x in LANGUAGES])
    if ws is None:
        title = template.title(key, lang)
        problems.add(title, None, "", "", t("excel.import.missing_sheet", lang=lang, sheet=title))
        return None
    wanted = {c: [template.heading(key, c, x) for x in LANGUAGES] for c in columns_of}
    columns, missing = match_columns(ws, template.HEADER_ROW, wanted)
    for c in missing:
        name = template.heading(key, c, lang)
        problems.add(ws.title, template.HEADER_ROW, "", name, t("excel.import.missing_column", lang=lang,
                                                                 column=name))
    if missing:
        return None
    for ref in package.merged(ws):
        try:
            rng = CellRange(ref)
        except (ValueError, TypeError):
            continue
        if rng.max_row > template.HEADER_ROW:
            problems.add(ws.title, rng.min_row, rng.min_col, "", t("excel.import.merged", lang=lang, ref=ref))
    rows = []
    for read in read_rows(ws, template.HEADER_ROW + 1, columns, deadline, lang):
        row = Row(key, ws.title, read.row, columns=columns)
        if _values(row, read, problems, lang, keys):
            rows.append(row)
        if key == "plan":
            break  # one plan per template: a second row would be ignored, so say nothing of it
    return rows


def _values(row: Row, read, problems: Problems, lang: str, keys) -> bool:
    """Type every value of a row; False when any is refused (reported at its cell)."""
    before = problems.count

    def problem(column, reason):
        problems.add(row.sheet, row.row, row.columns[column], template.heading(row.key, column, lang), reason)

    for column, (kind, required) in SPEC[row.key].items():
        if column in read.refused:
            problem(column, read.refused[column])
            continue
        raw = read.values.get(column)
        try:
            value = _typed(raw, kind, template.heading(row.key, column, lang), lang)
        except Refusal as refusal:
            problem(column, refusal.message(lang))
            continue
        except DomainError as exc:
            problem(column, exc.message(lang))
            continue
        if required and value in (None, ""):
            problem(column, t("excel.import.required", lang=lang))
            continue
        row.values[column] = value
    v = row.values
    for column in ("unit", "responsible"):  # a code the roster does not know, said at once
        if v.get(column):
            try:
                units.get(v[column])
            except DomainError as exc:
                problem(column, exc.message(lang))
    # The keys tie the sheets together: checked whatever else is wrong with the row.
    for column, owner, child in KEY_LINKS:
        code = v.get(column)
        if code and row.key == owner:
            if code in keys[owner]:
                problem(column, t("excel.record.duplicate_key", lang=lang, code=code))
            keys[owner].add(code)
        if code and row.key == child and code not in keys[owner]:
            problem(column, t("excel.record.unknown_key", lang=lang, code=code))
    return problems.count == before


def _typed(raw, kind: str, name: str, lang: str):
    if kind == "date":
        return as_date(raw, lang)
    if kind == "int":
        value = as_int(raw)
        if value is None and raw not in (None, ""):
            raise DomainError("bad_number", field=name, value=show(raw)[:40])
        return limits.check_year(value) if value is not None else None
    text = show(raw)
    if kind == "text" or not text:
        return text
    groups, codes = CHOICES[kind]
    code = _labels(kind).code(text)
    if code is None:
        shown = [t(f"{groups[0]}.{c}", lang=lang) for c in codes]
        raise Refusal("bad_choice", value=text[:80], choices=", ".join(shown))
    return code


@cache
def _labels(kind: str) -> Labels:
    return Labels(*CHOICES[kind])


# --- applying ---------------------------------------------------------------------------------

def apply_record(record: Record, problems: Problems, report: ImportReport, actor: str,
                 today: dt.date, lang: str) -> None:
    step = partial(_step, actor, problems, lang)
    plan = record.plan
    if plan is None:
        return
    plan_id = _existing_plan(plan)
    if plan_id is None:
        plan_id = step(plan, lambda: inspections.create_plan(
            plan.values["year"], plan.values["number"], actor, issued_on=plan.values["issued_on"],
            kind=plan.values["kind"] or "comprehensive").id)
        if plan_id is None:
            return
        _made(report, record, plan, lang, f"{plan.values['number']} ({plan.values['year']})")
    else:
        report.already += 1
    visits = {}
    known = {(v.unit_code, v.held_on): v.id for v in inspections.visits(today, plan_id=plan_id)}
    for row in record.visits:
        v = row.values
        visit_id = known.get((v["unit"], v["held_on"]))
        if visit_id is not None:
            report.already += 1
        elif _visit_problems(row, plan.values["year"], today, problems, lang):
            continue
        else:
            visit_id = step(row, partial(_visit, plan_id, v, actor, today))
            if visit_id is None:
                continue
            known[(v["unit"], v["held_on"])] = visit_id
            _made(report, record, row, lang, f"{v['unit']} – {formats.date(v['held_on'], lang)}")
        visits[v["visit_key"]] = visit_id
    made_findings = {}
    for row in record.findings:
        v = row.values
        visit_id = visits.get(v["visit_key"])
        if visit_id is None:
            continue  # its visit was refused: said there
        finding_id = next((f.id for f in findings.of_visit(visit_id)
                           if text_key(f.description) == text_key(v["description"])), None)
        if finding_id is not None:
            report.already += 1
        else:
            finding_id = step(row, lambda v=v, visit_id=visit_id: findings.add(
                visit_id, v["area"], v["description"], actor, severity=v["severity"] or "moderate",
                recommendation=v["recommendation"]).id)
            if finding_id is None:
                continue
            _made(report, record, row, lang, v["description"])
        made_findings[v["finding_key"]] = finding_id
    for row in record.tasks:
        v = row.values
        finding_id = made_findings.get(v["finding_key"])
        if finding_id is None:
            continue
        if any(text_key(x.description) == text_key(v["description"])
               for x in tasks.of_finding(finding_id, today)):
            report.already += 1
            continue
        task_id = step(row, lambda v=v, finding_id=finding_id: _task(finding_id, v, actor, today))
        if task_id is not None:
            _made(report, record, row, lang, f"{v['description']} ({formats.date(v['due_on'], lang)})")


def _existing_plan(plan: Row) -> int | None:
    for p in inspections.plans(year=plan.values["year"], level="city"):
        if text_key(p.number) == text_key(plan.values["number"]):
            return p.id
    return None


def _visit_problems(row: Row, year: int, today: dt.date, problems: Problems, lang: str) -> bool:
    """Every problem the rules find with a visit row's days, each at its column;
    True when there is any (the row is then not applied)."""
    v = row.values
    found = inspections.visit_problems(year, "held", scheduled_on=v["held_on"], held_on=v["held_on"],
                                       notice_date=v["notice_date"], today=today)
    labels = {c: template.heading(row.key, c, lang) for c in SPEC[row.key]}
    said = set()  # the visit is scheduled on the day it was held: one line for that day
    for exc in found:
        column = exc.values.get("field") if exc.values.get("field") in row.columns else \
            FIELD_OF[row.key].get(exc.key, DEFAULT_COLUMN[row.key])
        text = pipeline.relabel(exc, {**labels, "scheduled_on": labels["held_on"]}, lang)
        if (column, text) not in said:
            said.add((column, text))
            problems.add(row.sheet, row.row, row.columns[column], labels[column], text)
    return bool(found)


def _visit(plan_id: int, v: dict, actor: str, today: dt.date) -> int:
    visit_id = inspections.add_visit(plan_id, v["unit"], actor, scheduled_on=v["held_on"])
    inspections.update_visit(visit_id, actor, today, status="held", held_on=v["held_on"],
                             minutes_ref=v["minutes_ref"], notice_number=v["notice_number"],
                             notice_date=v["notice_date"], assessment=v["assessment"])
    return visit_id


def _task(finding_id: int, v: dict, actor: str, today: dt.date) -> int:
    findings.check_due_after_visit(finding_id, v["due_on"])
    return findings.add_task(finding_id, v["description"], v["due_on"], actor, today,
                             responsible=v["responsible"] or None, assignee=v["assignee"])


def _step(actor: str, problems: Problems, lang: str, row: Row, fn):
    labels = {c: template.heading(row.key, c, lang) for c in SPEC[row.key]}
    labels.update({"text": labels.get("description", ""), "code": labels.get("unit", "")})

    def reason(exc: DomainError):
        column = FIELD_OF[row.key].get(exc.key) or (
            exc.values.get("field") if exc.values.get("field") in row.columns else None) \
            or DEFAULT_COLUMN[row.key]
        return row.columns[column], template.heading(row.key, column, lang), pipeline.relabel(exc, labels, lang)

    return pipeline.row_step(actor, problems, (row.sheet, row.row), fn, reason)


def _made(report: ImportReport, record: Record, row: Row, lang: str, text: str) -> None:
    report.created[row.key] = report.created.get(row.key, 0) + 1
    report.changes.append(Change(record.name, row.sheet, row.row, None,
                                 t(f"excel.sheet.{RECORD[row.key]}", lang=lang), "", str(text)[:120],
                                 record=pipeline.new_record(lang)))
