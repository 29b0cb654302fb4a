"""Load a filled record template (plan, visits, findings, tasks), all or nothing.

Every row is checked first and reported with file, sheet, row, column and
reason; only a file without problems is applied, through the rules, inside
one transaction that rolls back if the rules refuse anything.
"""
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils import get_column_letter

from inspect_tui.excel import reading, template
from inspect_tui.excel.progress_import import Change, ImportReport
from inspect_tui.excel.reading import Problem
from inspect_tui.locale import t
from inspect_tui.rules import audit, findings, inspections
from inspect_tui.rules.errors import DomainError
from inspect_tui.rules.vocab import AREAS, PLAN_KINDS, SEVERITIES
from inspect_tui.store.models import Plan, Unit


@dataclass
class Row:
    sheet: str
    row: int
    values: dict = field(default_factory=dict)


@dataclass
class Record:
    plan: Row | None = None
    visits: list[Row] = field(default_factory=list)
    findings: list[Row] = field(default_factory=list)
    tasks: list[Row] = field(default_factory=list)


def _choices(group: str, codes) -> dict[str, str]:
    found = {}
    for lang in ("en", "vi"):
        for code in codes:
            found[t(f"{group}.{code}", lang=lang).casefold()] = code
            found[code.casefold()] = code
    if group == "area":
        for lang in ("en", "vi"):
            for code in codes:
                found[t(f"area_short.{code}", lang=lang).casefold()] = code
    return found


class Checker:
    def __init__(self, file: str, lang: str, today: dt.date):
        self.file, self.lang, self.today = file, lang, today
        self.problems: list[Problem] = []

    def problem(self, sheet, row, col, field_, reason):
        self.problems.append(Problem(self.file, sheet, row, get_column_letter(col) if col else "",
                                     field_, reason))


def check(path: Path, today: dt.date, lang: str) -> tuple[Record, Checker]:
    checker = Checker(path.name, lang, today)
    record = Record()
    wb, reason = reading.open_workbook(path, lang)
    if wb is None:
        checker.problem("", None, 0, "", reason)
        return record, checker
    try:
        meta = reading.find_sheet(wb, [t("excel.sheet.meta", lang=x) for x in ("vi", "en")])
        if meta is None or str(reading.cell_value(meta, 1, 2)) != template.FORMAT:
            checker.problem("", None, 0, "", t("excel.import.not_template", lang=lang))
            return record, checker
        for key in template.SHEETS:
            rows = _read_sheet(wb, key, checker)
            if key == "plan":
                record.plan = rows[0] if rows else None
                if not rows and rows is not None:
                    checker.problem(template.title(key, lang), template.HEADER_ROW + 1, 1,
                                    template.heading("plan", "year", lang), t("excel.import.required", lang=lang))
            else:
                setattr(record, key, rows or [])
    finally:
        wb.close()
    if not checker.problems:
        _check_values(record, checker)
    return record, checker


def _read_sheet(wb, key: str, checker: Checker) -> list[Row] | None:
    columns, _widths, _dates = template.SHEETS[key]
    ws = reading.find_sheet(wb, [template.title(key, x) for x in ("vi", "en")])
    if ws is None:
        checker.problem(template.title(key, checker.lang), None, 0, "",
                        t("excel.import.missing_sheet", lang=checker.lang,
                          sheet=template.title(key, checker.lang)))
        return None
    found = {}
    for col, value in enumerate(reading.row_values(ws, template.HEADER_ROW), 1):
        if isinstance(value, str):
            found[" ".join(value.split()).casefold()] = col
    positions = {}
    for c in columns:
        names = {" ".join(template.heading(key, c, x).split()).casefold() for x in ("vi", "en")}
        col = next((found[n] for n in names if n in found), None)
        if col is None:
            checker.problem(ws.title, template.HEADER_ROW, 0, template.heading(key, c, checker.lang),
                            t("excel.import.missing_column", lang=checker.lang,
                              column=template.heading(key, c, checker.lang)))
        positions[c] = col
    if None in positions.values():
        return None
    for ref in reading.merged_ranges(ws):
        if ref.max_row > template.HEADER_ROW:
            checker.problem(ws.title, ref.min_row, ref.min_col, "",
                            t("excel.import.merged", lang=checker.lang, ref=ref.coord))
    rows = []
    for row_no, cells in enumerate(ws.iter_rows(min_row=template.HEADER_ROW + 1), template.HEADER_ROW + 1):
        if all(reading.is_blank(c) for c in cells):
            continue
        values = {}
        for c, col in positions.items():
            cell = cells[col - 1] if col - 1 < len(cells) else None
            if reading.is_formula(cell):
                checker.problem(ws.title, row_no, col, template.heading(key, c, checker.lang),
                                t("excel.import.formula", lang=checker.lang))
            values[c] = (reading.value(cell), col)
        rows.append(Row(ws.title, row_no, values))
        if len(checker.problems) > 10_000:
            break  # enough to show the file is not a record of visits
    return rows


def _check_values(record: Record, ck: Checker) -> None:
    lang = ck.lang
    visit_keys, finding_keys = set(), set()
    areas, severities, kinds = _choices("area", AREAS), _choices("severity", SEVERITIES), \
        _choices("plan_kind", PLAN_KINDS)
    codes = {c for (c,) in Unit.select(Unit.code).tuples()}

    def get(row: Row, sheet_key: str, key: str, kind: str = "text", required: bool = False,
            choices: dict | None = None):
        raw, col = row.values[key]
        name = template.heading(sheet_key, key, lang)
        try:
            if kind == "date":
                value = reading.as_date(raw, name)
            elif kind == "int":
                value = reading.as_int(raw)
                if value is None and raw not in (None, ""):
                    raise DomainError("bad_number", field=name, value=reading.show(raw))
            else:
                value = reading.show(raw)
        except DomainError as exc:
            ck.problem(row.sheet, row.row, col, name, exc.message(lang))
            return None
        if required and value in (None, ""):
            ck.problem(row.sheet, row.row, col, name, t("excel.import.required", lang=lang))
            return None
        if choices is not None and value:
            if value.casefold() not in choices:
                ck.problem(row.sheet, row.row, col, name, t("excel.import.bad_choice", lang=lang,
                           value=value, choices=", ".join(sorted({k for k in choices if " " in k or len(k) > 3})[:8])))
                return None
            value = choices[value.casefold()]
        row.values[key] = (value, col)
        return value

    def flag(row: Row, sheet_key: str, key: str, message: str) -> None:
        """A problem with a cell already read, reported at that cell."""
        ck.problem(row.sheet, row.row, row.values[key][1], template.heading(sheet_key, key, lang),
                   message)

    plan = record.plan
    year = get(plan, "plan", "year", "int", required=True)
    if year is not None and not 2000 <= year <= 2100:
        flag(plan, "plan", "year", DomainError("bad_year", value=year).message(lang))
    get(plan, "plan", "number", required=True)
    get(plan, "plan", "issued_on", "date")
    get(plan, "plan", "kind", choices=kinds)
    for row in record.visits:
        key = get(row, "visits", "visit_key", required=True)
        if key and key in visit_keys:
            flag(row, "visits", "visit_key", t("excel.record.duplicate_key", lang=lang, code=key))
        visit_keys.add(key)
        unit = get(row, "visits", "unit", required=True)
        if unit and unit not in codes:
            flag(row, "visits", "unit", DomainError("unknown_unit", code=unit).message(lang))
        held = get(row, "visits", "held_on", "date", required=True)
        if held and year and held.year != year:
            flag(row, "visits", "held_on", DomainError("visit_outside_year", year=year).message(lang))
        if held and held > ck.today:
            flag(row, "visits", "held_on", DomainError("held_in_future", day=held).message(lang))
        for k in ("minutes_ref", "notice_number", "assessment"):
            get(row, "visits", k)
        notice = get(row, "visits", "notice_date", "date")
        if notice and held and notice < held:
            flag(row, "visits", "notice_date", DomainError("notice_before_visit").message(lang))
    for row in record.findings:
        vkey = get(row, "findings", "visit_key", required=True)
        if vkey and vkey not in visit_keys:
            flag(row, "findings", "visit_key", t("excel.record.unknown_key", lang=lang, code=vkey))
        fkey = get(row, "findings", "finding_key", required=True)
        if fkey and fkey in finding_keys:
            flag(row, "findings", "finding_key", t("excel.record.duplicate_key", lang=lang, code=fkey))
        finding_keys.add(fkey)
        get(row, "findings", "area", required=True, choices=areas)
        get(row, "findings", "severity", choices=severities)
        get(row, "findings", "description", required=True)
        get(row, "findings", "recommendation")
    for row in record.tasks:
        fkey = get(row, "tasks", "finding_key", required=True)
        if fkey and fkey not in finding_keys:
            flag(row, "tasks", "finding_key", t("excel.record.unknown_key", lang=lang, code=fkey))
        get(row, "tasks", "description", required=True)
        unit = get(row, "tasks", "responsible")
        if unit and unit not in codes:
            flag(row, "tasks", "responsible", DomainError("unknown_unit", code=unit).message(lang))
        get(row, "tasks", "assignee")
        get(row, "tasks", "due_on", "date", required=True)


def import_record(path: Path, actor: str, today: dt.date, lang: str = "vi",
                  dry_run: bool = False) -> ImportReport:
    record, ck = check(Path(path), today, lang)
    report = ImportReport(files=[str(path)], dry_run=dry_run)
    report.problems = ck.problems[:200]
    report.problem_count = len(ck.problems)
    if not report.ok:
        return report
    report.changes = _describe(record, Path(path).name, lang)
    if dry_run:
        return report
    current = None
    try:
        with audit.change(actor):  # one batch: one undo takes the whole file back
            for current, step in _steps(record, actor, today):
                step()
    except DomainError as exc:
        row = current
        report.problems.append(Problem(Path(path).name, row.sheet if row else "", row.row if row else None,
                                       "", "", exc.message(lang)))
        report.problem_count += 1
        report.changes = []
        return report
    report.applied = True
    return report


def _v(row: Row, key: str):
    return row.values[key][0]


def _describe(record: Record, file: str, lang: str) -> list[Change]:
    changes = []
    for group, rows, label in (("visit", record.visits, "unit"), ("finding", record.findings, "description"),
                               ("task", record.tasks, "description")):
        for row in rows:
            changes.append(Change(file, row.sheet, row.row, 0, t(f"hit.{group}", lang=lang), "",
                                  str(_v(row, label))[:80]))
    return changes


def _steps(record: Record, actor: str, today: dt.date):
    """(row, action) pairs in order; later actions use the ids earlier ones made."""
    plan_row = record.plan
    made = {"plan": None, "visits": {}, "findings": {}}

    def plan():
        year, number = _v(plan_row, "year"), _v(plan_row, "number")
        existing = Plan.get_or_none((Plan.year == year) & (Plan.number == number) & (Plan.level == "city"))
        made["plan"] = existing.id if existing else inspections.create_plan(
            year, number, actor, issued_on=_v(plan_row, "issued_on"),
            kind=_v(plan_row, "kind") or "comprehensive").id
    yield plan_row, plan

    for row in record.visits:
        def visit(row=row):
            visit_id = inspections.add_visit(made["plan"], _v(row, "unit"), actor, scheduled_on=_v(row, "held_on"))
            inspections.update_visit(visit_id, actor, today, status="held", held_on=_v(row, "held_on"),
                                     minutes_ref=_v(row, "minutes_ref"), notice_number=_v(row, "notice_number"),
                                     notice_date=_v(row, "notice_date"), assessment=_v(row, "assessment"))
            made["visits"][_v(row, "visit_key")] = visit_id
        yield row, visit
    for row in record.findings:
        def finding(row=row):
            f = findings.add(made["visits"][_v(row, "visit_key")], _v(row, "area"), _v(row, "description"),
                             actor, severity=_v(row, "severity") or "moderate",
                             recommendation=_v(row, "recommendation"))
            made["findings"][_v(row, "finding_key")] = f.id
        yield row, finding
    for row in record.tasks:
        def task(row=row):
            findings.add_task(made["findings"][_v(row, "finding_key")], _v(row, "description"),
                              _v(row, "due_on"), actor, today, responsible=_v(row, "responsible") or None,
                              assignee=_v(row, "assignee"))
        yield row, task
