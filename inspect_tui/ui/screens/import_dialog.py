"""The import dialog: what `inspect-tui import-progress` does, from the TUI.

A path (a workbook, or a folder: every .xlsx in it) is checked as a dry run
in a worker thread and the report is shown: the changes that would be made
and the problems, each with file, sheet, row and column. Only a check without
problems can be applied (Ctrl+S), again in a worker; the import is all or
nothing, so with problems nothing is ever written.

The worker posts the dialog a typed message (checked or applied, or failed):
a dialog closed meanwhile never handles it; the thread is not stopped by the
closing (Textual cannot stop one) and says how an import ended itself, with
the app's notify (safe from a thread; worker_dialog.py)."""
import os
from dataclasses import dataclass
from pathlib import Path

from rich.cells import cell_len
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.suggester import Suggester
from textual.widgets import DataTable, Input, Label, Static

from inspect_tui.locale import formats, language, t
from inspect_tui.ui.screens.worker_dialog import WorkerDialog
from inspect_tui.ui.widgets.fields import Check, Field
from inspect_tui.ui.widgets.inputs import TextInput


def _path(text: str) -> Path:
    # Paths pasted from a file manager often come quoted.
    return Path(text.strip().strip("'\"")).expanduser()


def workbooks(folder: Path) -> list[Path]:
    """The workbooks of a folder, sorted; Excel's lock files (~$name.xlsx) are not workbooks."""
    return sorted(p for p in folder.iterdir()
                  if p.suffix.lower() == ".xlsx" and p.is_file() and not p.name.startswith("~$"))


def path_problem(text: str) -> str:
    """'' when `text` names a workbook or a folder holding some, else what is wrong."""
    if not text.strip():
        return t("ui.form.required")
    path = _path(text)
    try:
        if path.is_dir():
            return "" if workbooks(path) else t("ui.import.no_workbooks")
        if not path.exists():
            return t("ui.import.no_path")
    except OSError as error:
        return t("ui.import.failed", detail=error.strerror or str(error))
    return "" if path.suffix.lower() == ".xlsx" else t("excel.import.not_workbook")


def paths_of(text: str) -> list[Path]:
    path = _path(text)
    return workbooks(path) if path.is_dir() else [path]


class PathSuggester(Suggester):
    """Completes the last part of a path with a folder or workbook name (→ accepts it)."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value.strip():
            return None
        typed = _path(value)
        folder, start = (typed, "") if value.endswith(("/", os.sep)) else (typed.parent, typed.name)
        try:
            names = sorted(p.name + ("/" if p.is_dir() else "") for p in folder.iterdir()
                           if p.name.startswith(start) and not p.name.startswith((".", "~$"))
                           and (p.is_dir() or p.suffix.lower() == ".xlsx"))
        except OSError:
            return None
        return value + names[0][len(start):] if names else None


class ImportDialog(WorkerDialog):
    """Enter checks the path; Ctrl+S applies a check without problems; Escape closes.
    It fails when the workbooks cannot be read (or the database written)."""

    @dataclass
    class Checked(Message, bubble=False):
        """The worker's report: a dry run, or (`apply`) the import itself."""
        report: object
        apply: bool

    AUTO_FOCUS = "#path"
    DEFAULT_CSS = """
    ImportDialog > VerticalScroll#form { width: 110; }  /* room for the report */
    ImportDialog #import-summary { height: auto; margin: 1 0 0 0; }
    ImportDialog #import-summary.error { color: $error; }
    ImportDialog #import-summary.done { color: $success; }
    ImportDialog .report-title { text-style: bold; margin: 1 0 0 0; display: none; }
    ImportDialog DataTable { height: auto; max-height: 50vh; display: none; }
    ImportDialog #problems { max-height: 40vh; }
    ImportDialog .-shown { display: block; }
    ImportDialog #form-keys { margin: 1 0 0 0; }
    """

    def __init__(self, settings) -> None:
        super().__init__("import", "apply", settings)
        self.report = None  # the last check, while the path is unchanged
        self._started_with = ""  # the path as typed when the last check started
        self.applied = False
        self._shown = None  # the report the tables show
        self.closed = False  # set when closed: the worker then speaks to the app alone

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="form", can_focus=False):
            yield Label(t("ui.import.title"), id="form-title")
            yield Field(t("ui.import.path"),
                        TextInput(id="path", validators=[Check(path_problem)], suggester=PathSuggester()),
                        hint=t("ui.import.path_hint", path=str(self.settings.export_dir)),
                        id="path-field")
            yield Static("", id="import-summary")
            yield Label("", id="changes-title", classes="report-title")
            yield DataTable(id="changes", cursor_type="row", zebra_stripes=True)
            yield Label(t("excel.import.problems_title"), id="problems-title", classes="report-title")
            yield DataTable(id="problems", cursor_type="row", zebra_stripes=True)
            yield Static(t("ui.import.keys"), id="form-keys")

    def on_mount(self) -> None:
        self._summary("")

    # --- the path -------------------------------------------------------------

    def _text(self) -> str:
        return self.query_one("#path", Input).value

    def on_input_changed(self, event: Input.Changed) -> None:
        # A report speaks of the path it checked: a new path needs a new check.
        if self.report is not None or self.applied:
            self.report, self.applied = None, False
            self._show_report(None)
            self._summary("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_check()

    # --- check and apply ------------------------------------------------------

    def action_check(self) -> None:
        if not self.ready([self.query_one("#path-field", Field)]):
            return
        self._start(paths_of(self._text()), apply=False)

    def action_apply(self) -> None:
        if self.running:
            return
        report = self.report
        if self.applied:
            self._summary(t("ui.import.applied_already"), "done")
        elif report is None:
            self._summary(t("ui.import.check_first"), "error")
        elif not report.ok:
            self._summary(t("excel.import.failed", n=formats.number(report.problem_count))
                          + " " + t("ui.import.cannot_apply"), "error")
        elif not report.changes:
            self._summary(t("excel.import.nothing"))
        else:
            self._start([Path(p) for p in report.files], apply=True)

    def _start(self, paths: list[Path], apply: bool) -> None:
        self.running = True
        self._started_with = self._text()
        self._summary(t("ui.import.applying" if apply else "ui.import.checking"))
        lang, actor, today = language(), self.settings.user, self.settings.today
        self._run(paths, apply, lang, actor, today)

    def action_close(self) -> None:
        self.closed = True  # before the screen behind resumes (and reloads)
        super().action_close()

    @work(thread=True, exclusive=True, group="import", exit_on_error=False)
    def _run(self, paths, apply, lang, actor, today) -> None:
        """Runs in the worker thread: widgets only through the message it posts."""
        from inspect_tui.excel.progress_import import import_progress
        report = self.guarded(lambda: import_progress(paths, actor, today, lang, dry_run=not apply),
                              lang)
        if report is None:
            return
        if apply and report.applied:
            self.app.notify(self._applied_message(report), timeout=6)
            if self.closed:
                # Closed while applying: the screen behind resumed (and reloaded) before the change.
                self.app.call_from_thread(self._reload_app_screen)
        elif apply and self.closed:  # closed while applying, and the import was refused
            self.app.notify(t("excel.import.failed", n=formats.number(report.problem_count)),
                            severity="error", timeout=10)
        self.post_message(self.Checked(report, apply))

    def _applied_message(self, report) -> str:
        message = t("excel.import.applied", n=formats.number(len(report.changes)),
                    tasks=formats.number(len({c.task_id for c in report.changes})))
        # Ctrl+Z (on a list or page, once the dialog is closed) takes the whole import back.
        return message + " " + t("ui.undo_hint", undo=self.app.undo_key())

    def _reload_app_screen(self) -> None:
        reload = getattr(self.app.screen, "reload", None)
        if reload is not None:
            reload()

    def show_error(self, message: str) -> None:
        self._summary(message, "error")

    def on_import_dialog_checked(self, message: Checked) -> None:
        self.running = False
        report, apply = message.report, message.apply
        if apply and report.applied:
            self.applied, self.report = True, None
            self._show_report(report, done=True)
            self._summary(self._applied_message(report), "done")
            return
        if not apply and self._text() != self._started_with:
            self._summary("")  # the path was edited while it was checked: check again
            return
        self.report = report
        self._show_report(report)
        self._summary(self._outcome(report), "" if report.ok else "error")

    @staticmethod
    def _outcome(report) -> str:
        parts = [t("excel.import.report_title", files=formats.number(len(report.files))) + " —"]
        if not report.ok:
            parts += [t("excel.import.failed", n=formats.number(report.problem_count)),
                      t("ui.import.cannot_apply")]
        elif report.changes:
            parts.append(t("ui.import.valid", n=formats.number(len(report.changes)),
                           tasks=formats.number(len({c.task_id for c in report.changes}))))
        else:
            parts.append(t("excel.import.nothing"))
        if report.already:
            parts.append(t("excel.import.already", n=formats.number(report.already)))
        return " ".join(parts)

    # --- showing the report ---------------------------------------------------

    def _summary(self, message: str, kind: str = "") -> None:
        summary = self.query_one("#import-summary", Static)
        summary.update(Text(message))  # file names and cell values are not markup
        summary.display = bool(message)
        summary.set_class(kind == "error", "error")
        summary.set_class(kind == "done", "done")

    def _show_report(self, report, done: bool = False) -> None:
        self._shown = report
        self.query_one("#changes-title", Label).update(
            t("ui.import.changes_done" if done else "excel.import.changes_title"))
        changes = bool(report and report.changes)
        problems = bool(report and report.problems)
        for id_, shown in (("changes", changes), ("problems", problems)):
            self.query_one(f"#{id_}-title").set_class(shown, "-shown")
            self.query_one(f"#{id_}", DataTable).set_class(shown, "-shown")
        self._fill()
        if report is not None:
            # Small terminals: bring the summary, and under it the report, into view; once
            # the tables have their height (they measure their rows on the next refresh).
            # The dialog asks for a layout itself: a callback after the refresh runs at
            # once when the screen has nothing to lay out yet (its tables ask only when idle).
            self.refresh(layout=True)
            self.call_after_refresh(self.call_after_refresh, self._scroll_to_summary)

    def _scroll_to_summary(self) -> None:
        self.query_one("#form", VerticalScroll).scroll_to_widget(
            self.query_one("#import-summary", Static), animate=False, top=True)

    def _fill(self) -> None:
        """(Re)fill the tables, their columns fitted to the dialog's width so long cells wrap."""
        report = self._shown
        changes = self.query_one("#changes", DataTable)
        problems = self.query_one("#problems", DataTable)
        changes.clear(columns=True)
        problems.clear(columns=True)
        if report is None:
            return
        # The form's content width less its scrollbar and the table's own.
        room = max(self.query_one("#form").content_region.width - 2 - 2, 40)
        where = t("excel.import.col_where")
        if report.changes:
            headers = (where, t("excel.import.col_task"), t("excel.import.col_field"),
                       f"{t('excel.import.col_old')} → {t('excel.import.col_new')}")
            rows, last = [], None
            for c in report.changes_shown:
                # Where once for the changes of one sheet row: the row reads as one block.
                at = (c.file, c.sheet, c.row)
                rows.append((_where(f"{c.file} / {c.sheet} / {c.row}") if at != last else "",
                             c.record, c.field,
                             f"{c.old or '–'} → {c.new or '–'}"))
                last = at
            if report.changes_hidden:
                rows.append(("", "", "", t("excel.import.more_changes",
                                           n=formats.number(report.changes_hidden))))
            _fill_table(changes, headers, rows, room, wide=(0, 3), where_files=report.files)
        if report.problems:
            headers = (where, t("excel.import.col_field"), t("excel.import.col_reason"))
            rows = [(_where(p.where()), p.field, p.reason) for p in report.problems]
            hidden = report.problem_count - len(report.problems)
            if hidden > 0:
                rows.append(("", "", t("excel.import.more", n=formats.number(hidden))))
            _fill_table(problems, headers, rows, room, wide=(0, 2), where_files=report.files)

    def on_resize(self) -> None:
        if self._shown is not None:
            self.call_after_refresh(self._fill)



def _where(text: str) -> str:
    """"file / sheet / cell" as two lines: the file name, then sheet / cell."""
    return text.replace(" / ", "\n", 1)


def _fill_table(table: DataTable, headers, rows, room: int, wide: tuple[int, int],
                where_files) -> None:
    """Columns fitted to `room` cells: the narrow ones as wide as their cells (up to a
    fifth of the room), then the first wide one (where) as wide as the longest file
    name, up to 45% of what is left, and the second wide one (the text) the rest."""
    room -= 2 * len(headers)  # each cell has a padding of 1 on either side
    first, second = wide
    widths = [0] * len(headers)
    for i in range(len(headers)):
        if i not in wide:
            widths[i] = min(max(cell_len(str(r[i])) for r in [headers, *rows]), max(room // 5, 8))
    rest = room - sum(widths)
    longest = max([cell_len(Path(f).name) for f in where_files] + [cell_len(headers[first])])
    widths[first] = max(min(longest, rest * 45 // 100), 12)
    widths[second] = max(rest - widths[first], 16)
    for label, width in zip(headers, widths):
        table.add_column(label, width=width)
    console, height = table.app.console, 1  # the heading
    for row in rows:
        # Text, not markup: the cells hold what units typed. height=None: long cells wrap.
        cells = [Text(cell) for cell in row]
        table.add_row(*cells, height=None)
        height += max(len(cell.wrap(console, width)) for cell, width in zip(cells, widths))
    # Said outright: the table would learn its height only when idle, and a layout
    # done before that would leave it empty on screen. Its max-height still applies.
    table.styles.height = height
