"""Modal forms: a finding, a task, a line of text (note, reason), a choice,
a confirmation.

A form saves only when every field is valid and the rule accepts it; a rule's
refusal is shown in the form, and nothing is written half-way (each rule runs
in one transaction). A form may ask before it saves (a due date already past):
`question()` names what to confirm, and the save waits for a yes."""
import datetime as dt

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from inspect_tui.locale import formats, t
from inspect_tui.rules import findings, limits, tasks, units
from inspect_tui.rules.dates import parse_date, parse_optional_date
from inspect_tui.rules.errors import DomainError
from inspect_tui.rules.vocab import AREAS, SEVERITIES
from inspect_tui.ui.screens.dialog import Dialog
from inspect_tui.ui.widgets.fields import Choice, DateText, Field, Required, labelled
from inspect_tui.ui.widgets.inputs import TextInput, UnitField


def typed_day(text: str) -> dt.date | None:
    """The day a box holds, or None (blank, or not a date yet): for checks as you type."""
    try:
        return parse_optional_date(text)
    except DomainError:
        return None


def form_frame(title: str, fields: ComposeResult, keys: str) -> ComposeResult:
    """What a form's dialog shows: its title, its fields, the line for a refusal
    (#form-error) and its keys; it scrolls on a small terminal."""
    with VerticalScroll(id="form", can_focus=False):  # Tab goes field to field
        yield Label(title, id="form-title")
        yield from fields
        yield Static("", id="form-error")
        yield Static(keys, id="form-keys")


class Form(Dialog):
    """Enter in any field saves; Escape leaves without saving. `actor` is who
    saves (for the change log); TITLE_KEY the locale key of a fixed title."""

    TITLE_KEY = ""
    DEFAULT_CSS = """
    Form > VerticalScroll#form { width: 76; }
    Form #form-error { color: $error; height: auto; }
    """

    def __init__(self, actor: str = "") -> None:
        super().__init__("form", "save", close="cancel")
        self.actor = actor

    def title_text(self) -> str:
        return t(self.TITLE_KEY) if self.TITLE_KEY else ""

    def fields(self) -> ComposeResult:
        yield from ()

    def compose(self) -> ComposeResult:
        yield from form_frame(self.title_text(), self.fields(), t("ui.form.keys"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        fields = list(self.query(Field)) + list(self.query(UnitField))
        if not all([f.valid() for f in fields]):
            self.query_one("#form-error", Static).update(t("ui.form.fix_fields"))
            return
        try:
            question = self.question()
        except DomainError as error:
            self.query_one("#form-error", Static).update(error.message())
            return
        if question:
            yes, no = question[1], question[2]
            self.app.push_screen(ConfirmPrompt(question[0], yes, no),
                                 lambda sure: sure and self._save())
            return
        self._save()

    def _save(self) -> None:
        try:
            result = self.save()
        except DomainError as error:
            self.query_one("#form-error", Static).update(error.message())
            return
        self.dismiss(result)

    def question(self) -> tuple[str, str, str] | None:
        """What to confirm before saving: (question, yes, no), or None to save at once."""
        return None

    def save(self):
        return None

    def value(self, field_id: str) -> str:
        return self.query_one(f"#{field_id}", Input).value


class FindingForm(Form):
    AUTO_FOCUS = "#description"
    TITLE_KEY = "ui.finding.new"

    def __init__(self, visit_id: int, actor: str) -> None:
        super().__init__(actor)
        self.visit_id = visit_id

    def fields(self) -> ComposeResult:
        with Horizontal(classes="form-row"):
            yield Choice(t("column.area"), Select(labelled("area_short", AREAS), value=AREAS[1],
                                                  allow_blank=False, id="area"))
            yield Choice(t("ui.finding.severity"), Select(labelled("severity", SEVERITIES),
                                                          value="moderate", allow_blank=False,
                                                          id="severity"))
        yield Field(t("column.finding"), TextInput(id="description", validators=[Required()]))
        yield Field(t("column.recommendation"), TextInput(id="recommendation"))

    def save(self) -> int:
        row = findings.add(self.visit_id, self.query_one("#area", Select).value,
                           self.value("description"), self.actor,
                           severity=self.query_one("#severity", Select).value,
                           recommendation=self.value("recommendation"))
        return row.id


class _TaskFields(Form):
    """What a task is: its remediation, responsible unit, deadline, assignee.
    A deadline already past is saved only once the user says so."""

    AUTO_FOCUS = "#description"

    def __init__(self, actor: str, today, description: str, unit: units.UnitRow, due,
                 assignee: str) -> None:
        super().__init__(actor)
        self.today = today
        self.unit = unit
        self.initial = {"description": description, "due_on": due, "responsible": unit.code,
                        "assignee": assignee}  # as `typed()` gives them back

    def fields(self) -> ComposeResult:
        initial = self.initial
        yield Field(t("column.description"), TextInput(initial["description"], id="description",
                                                   validators=[Required()]))
        with Horizontal(classes="form-row"):
            yield UnitField(t("ui.task.unit_code"), initial["responsible"], hint=self.unit.name,
                            on=self.today, id="unit-field")
            yield Field(t("column.due_on"),
                        TextInput(formats.date(initial["due_on"]), id="due", validators=[DateText()]),
                        hint=t("ui.form.date_hint"))
        yield Field(t("column.assignee"), TextInput(initial["assignee"], id="assignee"))

    def typed(self) -> dict:
        return {"description": self.value("description"),
                "due_on": parse_date(self.value("due"), "due_on"),
                "responsible": self.query_one("#unit-field", UnitField).code(),
                "assignee": self.value("assignee").strip()}

    def question(self):
        due = limits.check_day(parse_date(self.value("due"), "due_on"), "due_on")  # a date it can save
        if due < self.today and due != self.initial["due_on"]:
            return (t("ui.task.past_due", day=formats.date(due), today=formats.date(self.today)),
                    t("ui.task.past_due_yes"), t("ui.task.past_due_no"))
        return None


class TaskForm(_TaskFields):
    """A new remediation task: the responsible unit defaults to the visited unit
    (or its successor today), the deadline to N days after the conclusion notice,
    or after today when that day has passed (findings.default_due)."""

    def __init__(self, finding_id: int, actor: str, today, due_days: int) -> None:
        finding = findings.get(finding_id)
        super().__init__(actor, today, "", units.row(units.heir_on(finding.visit.unit, today)),
                         findings.default_due(finding.visit_id, due_days, today), "")
        self.finding_id = finding_id
        self.finding_text = finding.description

    def title_text(self) -> str:
        return t("ui.task.new", finding=self.finding_text[:50])

    def save(self) -> int:
        values = self.typed()
        return findings.add_task(self.finding_id, values["description"], values["due_on"],
                                 self.actor, self.today, responsible=values["responsible"],
                                 assignee=values["assignee"])


class TaskEditForm(_TaskFields):
    """Change what a task asks, of whom, by when. Saves only what changed, and
    only if nobody else changed the task since the screen showed it."""

    def __init__(self, row, actor: str, today) -> None:
        super().__init__(actor, today, row.description, units.row(units.get(row.unit_code)),
                         row.due_on, row.assignee)
        self.row = row

    def title_text(self) -> str:
        return t("ui.task.edit_title", id=self.row.id)

    def save(self) -> bool:
        changed = {k: v for k, v in self.typed().items() if v != self.initial[k]}
        if changed:
            tasks.update(self.row.id, self.actor, self.today,
                         expected_version=self.row.version, **changed)
        return bool(changed)


class TextPrompt(Form):
    """One line of text (a progress note, the reason for a move)."""

    AUTO_FOCUS = "#text"

    DEFAULT_CSS = """
    TextPrompt .form-note { height: auto; margin-bottom: 1; }
    """

    def __init__(self, title: str, label: str, required: bool = True, note: str = "") -> None:
        super().__init__()
        self.heading = title
        self.label = label
        self.required = required
        self.note = note  # what saving will do, when it needs saying (a cancellation)

    def title_text(self) -> str:
        return self.heading

    def fields(self) -> ComposeResult:
        if self.note:
            yield Static(self.note, classes="form-note")
        yield Field(self.label, TextInput(id="text", validators=[Required()] if self.required else []))

    def save(self) -> str:
        return self.value("text").strip()


class ChoicePrompt(ModalScreen):
    """Pick one of a few codes; Enter picks, Escape leaves. `note` says what
    follows (e.g. that Ctrl+Z takes the change back)."""

    DEFAULT_CSS = """
    ChoicePrompt { align: center middle; }
    ChoicePrompt > Vertical { width: 56; max-width: 100%; height: auto; border: thick $accent;
                              background: $surface; padding: 0 1; }
    ChoicePrompt #choice-title { text-style: bold; width: 1fr; }
    ChoicePrompt OptionList { height: auto; max-height: 12; margin: 1 0 0 0; }
    ChoicePrompt .choice-note { color: $text-muted; height: auto; }
    """
    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(self, title: str, choices: list[tuple[str, str]], note: str = "",
                 current: str | None = None) -> None:
        super().__init__()
        self.heading = title
        self.choices = choices
        self.note = note
        self.current = current  # shown, not offered (the status it has now)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.heading, id="choice-title")
            yield OptionList(*[Option(label, id=code, disabled=code == self.current)
                               for label, code in self.choices])
            yield Static(self.note or t("ui.choice.keys"), classes="choice-note")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        first = next((i for i, (_, code) in enumerate(self.choices) if code != self.current), None)
        if first is not None:
            options.highlighted = first

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.result(event.option.id))

    def result(self, code: str):
        return code

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmPrompt(ChoicePrompt):
    """Yes or no, with "no" under the cursor: a stray Enter changes nothing.
    Dismisses with True only when "yes" is chosen."""

    def __init__(self, question: str, yes: str, no: str) -> None:
        super().__init__(question, [(no, "no"), (yes, "yes")], note=t("ui.confirm.keys"))

    def result(self, code: str) -> bool:
        return code == "yes"

    def action_cancel(self) -> None:
        self.dismiss(False)
