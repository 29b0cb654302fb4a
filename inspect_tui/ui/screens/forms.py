"""Modal forms: a finding, a task, a line of text (note, reason), a choice.

A form saves only when every field is valid and the rule accepts it; a rule's
refusal is shown in the form, and nothing is written half-way (each rule runs
in one transaction)."""
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from inspect_tui.locale import formats, t
from inspect_tui.rules import findings, tasks, units
from inspect_tui.rules.dates import parse_date
from inspect_tui.rules.errors import DomainError
from inspect_tui.rules.vocab import AREAS, SEVERITIES
from inspect_tui.ui.screens.dialog import Dialog
from inspect_tui.ui.widgets.fields import Check, Choice, DateText, Field, Required, labelled, unit_problem


class Form(Dialog):
    """Enter in any field saves; Escape leaves without saving."""

    DEFAULT_CSS = """
    Form > VerticalScroll#form { width: 76; }
    Form #form-error { color: $error; height: auto; }
    """

    def __init__(self) -> None:
        super().__init__("form", "save", close="cancel")

    def title_text(self) -> str:
        return ""

    def fields(self) -> ComposeResult:
        yield from ()

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="form", can_focus=False):  # Tab goes field to field
            yield Label(self.title_text(), id="form-title")
            yield from self.fields()
            yield Static("", id="form-error")
            yield Static(t("ui.form.keys"), id="form-keys")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        fields = list(self.query(Field))
        if not all([f.valid() for f in fields]):
            self.query_one("#form-error", Static).update(t("ui.form.fix_fields"))
            return
        try:
            result = self.save()
        except DomainError as error:
            self.query_one("#form-error", Static).update(error.message())
            return
        self.dismiss(result)

    def save(self):
        return None

    def value(self, field_id: str) -> str:
        return self.query_one(f"#{field_id}", Input).value


class FindingForm(Form):
    AUTO_FOCUS = "#description"

    def __init__(self, visit_id: int, actor: str) -> None:
        super().__init__()
        self.visit_id = visit_id
        self.actor = actor

    def title_text(self) -> str:
        return t("ui.finding.new")

    def fields(self) -> ComposeResult:
        with Horizontal(classes="form-row"):
            yield Choice(t("column.area"), Select(labelled("area_short", AREAS), value=AREAS[1],
                                                  allow_blank=False, id="area"))
            yield Choice(t("ui.finding.severity"), Select(labelled("severity", SEVERITIES),
                                                          value="moderate", allow_blank=False,
                                                          id="severity"))
        yield Field(t("column.finding"), Input(id="description", validators=[Required()]))
        yield Field(t("column.recommendation"), Input(id="recommendation"))

    def save(self) -> int:
        row = findings.add(self.visit_id, self.query_one("#area", Select).value,
                           self.value("description"), self.actor,
                           severity=self.query_one("#severity", Select).value,
                           recommendation=self.value("recommendation"))
        return row.id


class _TaskFields(Form):
    """What a task is: its remediation, responsible unit, deadline, assignee."""

    AUTO_FOCUS = "#description"

    def __init__(self, actor: str, today, description: str, unit, due, assignee: str) -> None:
        super().__init__()
        self.actor = actor
        self.today = today
        self.unit = unit
        self.initial = {"description": description, "due_on": due, "responsible": unit.code,
                        "assignee": assignee}  # as `typed()` gives them back

    def _unit_problem(self, code: str) -> str:
        return unit_problem(code, on=self.today)

    def fields(self) -> ComposeResult:
        initial = self.initial
        yield Field(t("column.description"), Input(initial["description"], id="description",
                                                   validators=[Required()]))
        with Horizontal(classes="form-row"):
            yield Field(t("ui.task.unit_code"),
                        Input(initial["responsible"], id="unit",
                              validators=[Check(self._unit_problem)]),
                        hint=self.unit.name, id="unit-field")
            yield Field(t("column.due_on"),
                        Input(formats.date(initial["due_on"]), id="due", validators=[DateText()]),
                        hint=t("ui.form.date_hint"))
        yield Field(t("column.assignee"), Input(initial["assignee"], id="assignee"))

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "unit" and event.validation_result.is_valid:
            self.query_one("#unit-field", Field).set_hint(units.get(event.value).name)

    def typed(self) -> dict:
        return {"description": self.value("description"),
                "due_on": parse_date(self.value("due"), "due_on"),
                "responsible": self.value("unit").strip(),
                "assignee": self.value("assignee").strip()}


class TaskForm(_TaskFields):
    """A new remediation task: the responsible unit defaults to the visited unit
    (or its successor today), the deadline to N days after the conclusion notice."""

    def __init__(self, finding_id: int, actor: str, today, due_days: int) -> None:
        finding = findings.get(finding_id)
        super().__init__(actor, today, "", units.heir_on(finding.visit.unit, today),
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
        super().__init__(actor, today, row.description, units.get(row.unit_code), row.due_on,
                         row.assignee)
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

    def __init__(self, title: str, label: str, required: bool = True) -> None:
        super().__init__()
        self.heading = title
        self.label = label
        self.required = required

    def title_text(self) -> str:
        return self.heading

    def fields(self) -> ComposeResult:
        yield Field(self.label, Input(id="text", validators=[Required()] if self.required else []))

    def save(self) -> str:
        return self.value("text").strip()


class ChoicePrompt(ModalScreen):
    """Pick one of a few codes; Enter picks, Escape leaves."""

    DEFAULT_CSS = """
    ChoicePrompt { align: center middle; }
    ChoicePrompt > Vertical { width: 50; height: auto; border: thick $accent;
                              background: $surface; padding: 0 1; }
    ChoicePrompt OptionList { height: auto; max-height: 12; }
    """
    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(self, title: str, choices: list[tuple[str, str]]) -> None:
        super().__init__()
        self.heading = title
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.heading)
            yield OptionList(*[Option(label, id=code) for label, code in self.choices])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
