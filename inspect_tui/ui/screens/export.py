"""The export dialog: the same options as `inspect-tui export`, a progress bar
while the workbook is written in a worker thread, and the file's path at the end.

The worker posts the dialog typed messages (progress, finished, failed): a
dialog closed meanwhile never handles them, and closing it does not stop the
thread (Textual cannot stop one), which announces the end itself with the
app's notify (safe from a thread; worker_dialog.py)."""
from dataclasses import dataclass
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Input, Label, ProgressBar, Select, Static

from inspect_tui.locale import formats, language, t
from inspect_tui.rules.dates import parse_date
from inspect_tui.ui.screens.worker_dialog import WorkerDialog
from inspect_tui.ui.widgets.fields import Check, Choice, DateText, Field, year_problem
from inspect_tui.ui.widgets.inputs import TextInput, UnitField

KINDS = ("status", "per_unit")


def _quietly_valid(field: Input) -> bool:
    result = field.validate(field.value)
    return result is None or result.is_valid


class ExportDialog(WorkerDialog):
    """Enter starts the export; Escape closes (the export goes on)."""

    @dataclass
    class Progress(Message, bubble=False):
        done: int
        total: int

    @dataclass
    class Finished(Message, bubble=False):
        """The export ended well: `message` says what was written."""
        message: str

    AUTO_FOCUS = "#year"
    DEFAULT_CSS = """
    ExportDialog .form-row > * { width: 1fr; }
    ExportDialog #export-progress { margin: 1 0 0 0; display: none; }
    ExportDialog #export-progress.-shown { display: block; }
    ExportDialog #export-result { height: auto; }
    ExportDialog #export-result.error { color: $error; }
    ExportDialog #form-keys { margin: 1 0 0 0; }
    """

    def __init__(self, settings) -> None:
        super().__init__("export", "start", settings)
        self._shown = -1

    def compose(self) -> ComposeResult:
        today = self.settings.today
        with VerticalScroll(id="form", can_focus=False):  # Tab goes field to field
            yield Label(t("ui.export.title"), id="form-title")
            yield Choice(t("ui.export.kind"), Select([(t(f"ui.export.kind_{k}"), k) for k in KINDS],
                                                     value="status", allow_blank=False, id="kind"))
            with Horizontal(classes="form-row"):
                yield Field(t("ui.export.year"), TextInput(id="year", validators=[Check(year_problem)]),
                            hint=t("ui.export.year_hint"))
                yield Field(t("ui.export.today"),
                            TextInput(formats.date(today), id="today", validators=[DateText()]),
                            hint=t("ui.form.date_hint"))
            with Horizontal(classes="form-row"):
                yield UnitField(t("ui.export.unit"), hint=t("ui.export.unit_hint"), required=False,
                                id="unit-field")
                yield Choice(t("ui.export.lang"),
                             Select([("Tiếng Việt", "vi"), ("English", "en")], value=language(),
                                    allow_blank=False, id="lang"))
            yield Field(t("ui.export.out"), TextInput(id="out"), hint="", id="out-field")
            yield ProgressBar(id="export-progress", show_eta=False)
            yield Static("", id="export-result")
            yield Static(t("ui.export.keys"), id="form-keys")

    def on_mount(self) -> None:
        self._show_default_path()

    # --- options ------------------------------------------------------------

    def _text(self, field_id: str) -> str:
        return self.query_one(f"#{field_id}", Input).value.strip()

    def _options(self) -> dict:
        """The options as typed; call only when every field is valid."""
        year = self._text("year")
        return {
            "kind": self.query_one("#kind", Select).value,
            "year": int(year) if year else None,
            "today": parse_date(self._text("today")),
            "unit": self.query_one("#unit-field", UnitField).code() or None,
            "lang": self.query_one("#lang", Select).value,
        }

    def _default_path(self, options: dict) -> Path:
        today, lang = options["today"], options["lang"]
        if options["kind"] == "per_unit":
            return self.settings.export_dir / t("excel.cli.per_unit_dir", lang=lang,
                                                day=today.isoformat())
        from inspect_tui.excel.export import default_name
        return self.settings.export_dir / default_name(today, options["year"], options["unit"], lang)

    def _show_default_path(self) -> None:
        # The output hint follows the options, so the user sees where the file will go.
        if (all(_quietly_valid(f.input) for f in self.query(Field))
                and not self.query_one("#unit-field", UnitField).problem()):
            hint = t("ui.export.out_default", path=str(self._default_path(self._options())))
        else:
            hint = ""
        self.query_one("#out-field", Field).set_hint(hint)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "out":
            self._show_default_path()

    def on_select_changed(self, event: Select.Changed) -> None:
        self._show_default_path()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_start()

    # --- running ------------------------------------------------------------

    def action_start(self) -> None:
        if not self.ready([*self.query(Field), *self.query(UnitField)]):
            return
        options = self._options()
        out = self._text("out")
        options["out"] = Path(out).expanduser() if out else self._default_path(options)
        self.running = True
        self._shown = -1
        bar = self.query_one("#export-progress", ProgressBar)
        bar.update(total=None, progress=0)
        bar.add_class("-shown")
        self._result(t("ui.export.started"))
        self._export(options)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _export(self, options: dict) -> None:
        """Runs in the worker thread: widgets only through the messages it posts."""
        message = self.guarded(lambda: self._write(options))
        if message is not None:
            self.app.notify(message, timeout=6)  # said whether the dialog is still open or not
            self.post_message(self.Finished(message))

    def _write(self, options: dict) -> str:
        lang, today, out = options["lang"], options["today"], options["out"]
        if options["kind"] == "per_unit":
            from inspect_tui.excel.per_unit import export_per_unit
            written, sanitiser = export_per_unit(out, today, options["year"], lang,
                                                 only=options["unit"], progress=self._progress)
            message = t("ui.export.done_per_unit", n=len(written),
                        tasks=formats.number(sum(w.tasks for w in written)), path=str(out))
            changed = sanitiser.stripped + sanitiser.neutralised
        else:
            from inspect_tui.excel.commands import letterhead
            from inspect_tui.excel.export import export_status_workbook
            result = export_status_workbook(out, today, options["year"], options["unit"], lang,
                                            self._progress, letterhead(self.settings))
            scope = (t("ui.export.one_year", year=options["year"]) if options["year"]
                     else t("ui.export.all_years"))
            message = t("ui.export.done", path=str(result.path), rows=formats.number(result.rows),
                        visits=formats.number(result.visits), scope=scope)
            changed = result.changes + result.neutralised
        if changed:
            message += "\n" + t("ui.export.sanitised", n=formats.number(changed))
        return message

    def _progress(self, done: int, total: int) -> None:
        # Called from the worker: pass on one update per hundredth, not one per row.
        step = done * 100 // total if total else 100
        if step > self._shown:
            self._shown = step
            self.post_message(self.Progress(done, total))

    def on_export_dialog_progress(self, message: Progress) -> None:
        self.query_one("#export-progress", ProgressBar).update(total=message.total,
                                                               progress=message.done)

    def on_export_dialog_finished(self, message: Finished) -> None:
        self.running = False
        bar = self.query_one("#export-progress", ProgressBar)
        bar.update(total=bar.total or 1, progress=bar.total or 1)
        self._result(message.message)

    def show_error(self, message: str) -> None:
        self._result(message, error=True)

    def _result(self, message: str, error: bool = False) -> None:
        result = self.query_one("#export-result", Static)
        result.update(message)
        result.set_class(error, "error")
        self.call_after_refresh(result.scroll_visible)  # small terminals: bring it into view
