"""Form fields that validate as you type and say what is wrong beside them.
(A unit is entered with inputs.UnitField, which suggests units as one types.)"""
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.validation import ValidationResult, Validator
from textual.widgets import Input, Label, Select, Static

from inspect_tui.locale import t
from inspect_tui.rules import limits
from inspect_tui.rules.dates import parse_date
from inspect_tui.rules.errors import DomainError


class Required(Validator):
    def validate(self, value: str) -> ValidationResult:
        return self.success() if value.strip() else self.failure(t("ui.form.required"))


class DateText(Validator):
    """dd/mm/yyyy (the Vietnamese habit) or ISO yyyy-mm-dd."""

    def __init__(self, required: bool = True) -> None:
        super().__init__()
        self.required = required

    def validate(self, value: str) -> ValidationResult:
        if not value.strip():
            return self.failure(t("ui.form.required")) if self.required else self.success()
        try:
            parse_date(value)
        except DomainError:
            return self.failure(t("ui.form.bad_date"))
        return self.success()


class Check(Validator):
    """Any test `check(value) -> message or ''`, e.g. 'is this unit code known today'."""

    def __init__(self, check) -> None:
        super().__init__()
        self.check = check

    def validate(self, value: str) -> ValidationResult:
        message = self.check(value)
        return self.failure(message) if message else self.success()


def labelled(group: str, codes) -> list[tuple[str, str]]:
    """Select options for stored codes, labelled from the locale (`group.code`)."""
    return [(t(f"{group}.{c}"), c) for c in codes]


def year_problem(text: str, required: bool = False) -> str:
    """'' when `text` is a year the record accepts (rules.limits), else what is wrong."""
    text = text.strip()
    if not text:
        return t("ui.form.required") if required else ""
    if text.isdigit():  # digits only, as typed: no sign, no spaces inside
        try:
            limits.check_year(text)
            return ""
        except DomainError:
            pass
    return t("ui.form.bad_year")


class Field(Vertical):
    """A label, an input and, under it, what is wrong (or a hint)."""

    DEFAULT_CSS = """
    Field { height: auto; margin: 0 0 0 0; }
    Field > .field-label { color: $text-muted; }
    Field > .field-error { color: $error; height: auto; }
    Field > .field-hint { color: $text-muted; height: auto; }
    """

    def __init__(self, label: str, input: Input, hint: str = "", **kwargs) -> None:
        super().__init__(**kwargs)
        self.label = label
        self.input = input
        self.hint = hint

    def compose(self) -> ComposeResult:
        yield Label(self.label, classes="field-label")
        yield self.input
        yield Static(self.hint, classes="field-note field-hint")

    def on_input_changed(self, event: Input.Changed) -> None:
        self.show(event.validation_result)

    def show(self, result: ValidationResult | None) -> None:
        note = self.query_one(".field-note", Static)
        if result is not None and not result.is_valid:
            note.update(" ".join(result.failure_descriptions))
            note.set_classes("field-note field-error")
        else:
            note.update(self.hint)
            note.set_classes("field-note field-hint")

    def set_hint(self, hint: str) -> None:
        self.hint = hint
        self.show(self.input.validate(self.input.value))

    def valid(self) -> bool:
        result = self.input.validate(self.input.value)
        self.show(result)
        return result is None or result.is_valid


class Choice(Vertical):
    DEFAULT_CSS = """
    Choice { height: auto; }
    Choice > .field-label { color: $text-muted; }
    """

    def __init__(self, label: str, select: Select, **kwargs) -> None:
        super().__init__(**kwargs)
        self.label = label
        self.select = select

    def compose(self) -> ComposeResult:
        yield Label(self.label, classes="field-label")
        yield self.select
