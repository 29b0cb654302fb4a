"""The one import pipeline for every workbook that comes back: read with
limits -> normalise -> check every row with the rules -> apply all or nothing.

An importer gives two functions:

- `read(path, problems, deadline, lang)`: opens the file within the limits
  (excel/package.py), reads and normalises its rows, reports what is wrong
  with a cell or the file into `problems`, and returns what it read (or None
  when the file is refused as a whole);
- `apply(content, problems, report, actor, today, lang)`: runs every row
  through the same rule functions the TUI uses (rules/tasks, rules/findings,
  ...), as the rules and the record stand in the database, catching each
  row's refusal into `problems` and adding each accepted change to `report`.

`run` calls `read` for every file, then `apply` for all of them inside ONE
transaction (one change-log batch: one undo takes the import back), each row
in a savepoint of its own (`row_step`), or all of a file's rows checked and
written together by the rules (the progress import: rules/progress.py). At the end the transaction is rolled back when this
is a dry run, when any file had any problem, or when nothing changed;
otherwise it commits. So the dry run and the real import are the same code:
what the report says the import would do is what the rules accepted, and a
file that the real import would refuse is refused by the dry run too.
"""
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from inspect_tui.excel import limits
from inspect_tui.excel.package import Deadline, Refusal
from inspect_tui.excel.reading import Problem, Problems
from inspect_tui.locale import t
from inspect_tui.rules import audit
from inspect_tui.rules.errors import DomainError

DATABASE_ERRORS = {"db_busy", "db_read_only", "db_conflict", "db_error"}  # the whole import stops


@dataclass
class Change:
    file: str
    sheet: str
    row: int
    task_id: int | None  # the task changed; None for a record the import creates
    field: str  # the column's label, in the report's language
    old: str
    new: str
    record: str = ""  # what the "Mã NV" column shows: the task number, or "mới" for a new record

    def __post_init__(self):
        if not self.record:
            self.record = str(self.task_id) if self.task_id else ""


@dataclass
class ImportReport:
    files: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    applied: bool = False
    dry_run: bool = False
    already: int = 0  # rows the database already holds (the file was imported before)
    created: dict[str, int] = field(default_factory=dict)  # record kind -> how many the import makes

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    @property
    def tasks(self) -> int:
        """How many tasks the changes touch."""
        return len({c.task_id for c in self.changes if c.task_id})

    @property
    def changes_shown(self) -> list[Change]:
        """The changes a report lists: thousands of lines are read by nobody and
        take a terminal (or a table) longer to lay out than the whole check."""
        return self.changes[:limits.CHANGES_SHOWN]

    @property
    def changes_hidden(self) -> int:
        return len(self.changes) - len(self.changes_shown)


class _RollBack(Exception):
    """Raised at the end of the transaction to undo everything it did."""


def run(paths, read, apply, actor: str, today: dt.date, lang: str, dry_run: bool) -> ImportReport:
    paths = [Path(p) for p in paths]
    report = ImportReport(files=[str(p) for p in paths], dry_run=dry_run)
    files = []
    for path in paths:
        problems = Problems(path.name)
        content = None
        try:
            content = read(path, problems, Deadline(), lang)
        except Refusal as refusal:
            problems.refuse(refusal.message(lang))
        files.append((problems, content))
    try:
        with audit.change(actor):
            for problems, content in files:
                if content is not None and not problems.refused:
                    apply(content, problems, report, actor, today, lang)
            if dry_run or not report.changes or any(p.count for p, _ in files):
                raise _RollBack
        report.applied = True
    except _RollBack:
        pass
    except DomainError as exc:  # the database itself said no: nothing was written
        report.changes, report.created = [], {}
        stop = Problems("")  # about the database, not a file
        stop.add("", None, "", "", exc.message(lang))
        files.append((stop, None))
    for problems, _ in files:
        report.problem_count += problems.count
        report.problems.extend(problems.shown)
    return report


def row_step(actor: str, problems: Problems, where, fn, reason):
    """Run one row's rule calls in a savepoint: a refusal undoes that row only
    (the whole import is rolled back at the end anyway) and is reported at the
    cell `reason(exc)` names. A database error stops the import. Returns what
    `fn` returned, or None when the rules refused."""
    try:
        with audit.change(actor):
            return fn()
    except DomainError as exc:
        if exc.key in DATABASE_ERRORS:
            raise
        sheet, row = where
        column, label, text = reason(exc)
        problems.add(sheet, row, column, label, text)
        return None


def relabel(exc: DomainError, labels: dict[str, str], lang: str) -> str:
    """The rules' message with field codes (`evidence_ref`, `status_reason`)
    replaced by the column headings the user sees."""
    values = dict(exc.values)
    if isinstance(values.get("field"), str) and values["field"] in labels:
        values["field"] = labels[values["field"]]
    return type(exc)(exc.key, **values).message(lang)


def new_record(lang: str) -> str:
    return t("excel.import.new_record", lang=lang)
