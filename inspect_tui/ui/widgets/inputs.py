"""Text boxes: Ctrl+Z takes back typing (never a saved change), and a unit
picker that finds a unit by its code or name, diacritics optional.

`TextInput` is the Input every screen and form uses. Textual's Input has no
undo of its own, and the app binds Ctrl+Z to the database undo; bound here,
Ctrl+Z inside a text box edits the text, and the database undo stays with
the lists and pages.

`UnitField` is a form field whose box suggests units as one types ("stc",
"tai chinh", "sở tư pháp"): ↑/↓ move in the suggestions, Enter takes one
(the box then holds its code, the name shows below), Escape closes them.
"""
import datetime as dt
from dataclasses import dataclass

from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from inspect_tui.locale import formats, t
from inspect_tui.rules import database, units
from inspect_tui.rules.errors import DomainError
from inspect_tui.ui.widgets.messages import ControlMessage


class TextInput(Input):
    """An Input whose Ctrl+Z undoes typing (Ctrl+Y redoes), a word at a time."""

    BINDINGS = [
        Binding("ctrl+z", "undo_text", show=False),
        Binding("ctrl+y,ctrl+shift+z", "redo_text", show=False),
    ]

    def __init__(self, *args, **kwargs) -> None:
        # Set first: Input's constructor sets the value, which calls watch_value.
        self._past: list[str] = []
        self._future: list[str] = []
        self._restoring = True  # the value given to the constructor is not an edit
        self._typing = False  # the last step is a word being typed: extend it
        super().__init__(*args, **kwargs)
        self._restoring = False

    def watch_value(self, old: str, new: str) -> None:
        if self._restoring or old == new:
            return
        # One step per word typed (with the spaces after it); any other change is a step.
        typed = len(new) == len(old) + 1 and new.startswith(old)
        new_word = typed and not new[-1].isspace() and (not old or old[-1].isspace())
        if not (typed and self._typing and not new_word and self._past):
            self._past.append(old)
        self._typing = typed
        self._future.clear()

    def _restore(self, value: str) -> None:
        self._restoring = True
        try:
            self.value = value
            self.cursor_position = len(value)
        finally:
            self._restoring = False
        self._typing = False

    def action_undo_text(self) -> None:
        # Nothing left to take back: still handled here, so the database undo never runs.
        if self._past:
            self._future.append(self.value)
            self._restore(self._past.pop())

    def action_redo_text(self) -> None:
        if self._future:
            self._past.append(self.value)
            self._restore(self._future.pop())


def unit_label(row: units.UnitRow) -> str:
    return f"{row.name} · {row.code}"


class UnitInput(TextInput):
    """The box of a UnitField: arrows, Enter and Escape serve the suggestions while they show."""

    BINDINGS = [
        Binding("down", "suggestion(1)", show=False),
        Binding("up", "suggestion(-1)", show=False),
        Binding("enter", "take", show=False),
        Binding("escape", "close_suggestions", show=False),
    ]

    def _list(self) -> OptionList | None:
        field = self.parent
        return field.suggestions if isinstance(field, UnitField) else None

    def _open(self) -> OptionList:
        suggestions = self._list()
        if suggestions is None or not suggestions.display or not suggestions.option_count:
            raise SkipAction()
        return suggestions

    def action_suggestion(self, step: int) -> None:
        suggestions = self._open()
        index = suggestions.highlighted
        index = 0 if index is None else (index + step) % suggestions.option_count
        suggestions.highlighted = index

    async def action_take(self) -> None:
        suggestions = self._list()
        if (suggestions is None or not suggestions.display or not suggestions.option_count
                or suggestions.highlighted is None):
            await self.action_submit()
            return
        self.parent.take(suggestions.get_option_at_index(suggestions.highlighted).id)

    def action_close_suggestions(self) -> None:
        self._open().display = False


class UnitField(Vertical):
    """A label, a unit box with its suggestions, and the unit's name (or what is wrong).

    `on` is the day the unit must exist (None: any unit ever), a callable for
    a form whose day is itself a field. `required` refuses a blank box."""

    DEFAULT_CSS = """
    UnitField { height: auto; }
    UnitField > .field-label { color: $text-muted; }
    UnitField > OptionList { height: auto; max-height: 6; border: none; padding: 0;
                             background: $boost; display: none; }
    UnitField > OptionList > .option-list--option-highlighted {
        background: $accent 50%; text-style: bold; }
    UnitField > .field-error { color: $error; height: auto; }
    UnitField > .field-hint { color: $text-muted; height: auto; }
    """

    def __init__(self, label: str, value: str = "", hint: str = "", on=None,
                 required: bool = True, input_id: str = "unit", compact: bool = False,
                 placeholder: str = "", extra=None, strict: bool = True, **kwargs) -> None:
        """`strict=False` (a filter): any text is accepted; only a unit it names is shown."""
        super().__init__(**kwargs)
        self.strict = strict
        self.label = label
        self.hint = hint
        self.on = on
        self.required = required
        self.extra = extra  # extra(unit) -> '' or what else is wrong with it here
        self.input = UnitInput(value, id=input_id, compact=compact,
                               placeholder=placeholder or t("ui.unit_picker.placeholder"))
        self.suggestions = OptionList(classes="unit-suggestions")
        self.suggestions.can_focus = False
        self._quiet = False  # a value set by taking a suggestion: do not suggest again

    def compose(self) -> ComposeResult:
        if self.label:
            yield Label(self.label, classes="field-label")
        yield self.input
        yield self.suggestions
        yield Static(self.hint, classes="field-note field-hint")

    # --- the unit the box names --------------------------------------------------

    def day(self) -> dt.date | None:
        return self.on() if callable(self.on) else self.on

    def unit(self) -> units.Unit | None:
        """The unit the text names, or None (blank, unknown, ambiguous)."""
        try:
            return self._resolve()
        except DomainError:
            return None

    def _resolve(self):
        # On the field's day, "ninh kieu" is whichever Ninh Kiều existed then.
        return units.resolve(self.input.value.strip(), "unit", on=self.day())

    def problem(self) -> str:
        """'' when the box names one unit (existing on the day), else what is wrong."""
        text = self.input.value.strip()
        if self.input.disabled or not self.strict:
            return ""
        if not text:
            return t("ui.form.required") if self.required else ""
        try:
            unit = self._resolve()
        except DomainError as error:
            return error.message()
        day = self.day()
        if day is not None and not unit.exists_on(day):
            return t("error.unit_not_existing", code=unit.code, day=formats.date(day))
        return self.extra(unit) if self.extra else ""

    def code(self) -> str:
        """The code of the unit named (call when valid), '' for a blank box."""
        unit = self.unit()
        return unit.code if unit else ""

    def valid(self) -> bool:
        problem = self.problem()
        self._show(problem)
        return not problem

    def _show(self, problem: str) -> None:
        note = self.query_one(".field-note", Static)
        if problem:
            note.update(problem)
            note.set_classes("field-note field-error")
        else:
            unit = self.unit()
            note.update(unit.name if unit else self.hint)
            note.set_classes("field-note field-hint")

    def set_hint(self, hint: str) -> None:
        self.hint = hint
        self._show("")

    # --- suggestions ------------------------------------------------------------------

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        if event.input is not self.input:
            return
        text = event.value.strip()
        problem = self.problem() if text else ""
        self._show(problem)
        if self._quiet:
            self._quiet = False
            return
        self._suggest(text, self.day())

    @work(thread=True, exclusive=True, group="unit-picker", exit_on_error=False)
    def _suggest(self, text: str, day) -> None:
        # Posted to this field: a closed form never handles it; a search overtaken by
        # the next key (exclusive: this worker cancelled) is dropped.
        with database.worker_connection():
            rows = units.search(text, on=day, limit=6) if text else []
        if not get_current_worker().is_cancelled:
            self.post_message(self.Found(text, rows))

    def on_unit_field_found(self, message: "UnitField.Found") -> None:
        self._show_suggestions(message.text, message.rows)

    def _show_suggestions(self, text: str, rows) -> None:
        if not self.is_attached or text != self.input.value.strip():
            return  # closed, or typed on since
        self.suggestions.clear_options()
        exact = len(rows) == 1 and rows[0].code == text
        if rows and not exact and self.input.has_focus:
            self.suggestions.add_options([Option(unit_label(r), id=r.code) for r in rows])
            self.suggestions.highlighted = 0
            self.suggestions.display = True
        else:
            self.suggestions.display = False

    def take(self, code: str) -> None:
        self.suggestions.display = False
        self._quiet = True
        self.input.value = code
        self.input.cursor_position = len(code)
        self.post_message(self.Taken(self, code))

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.take(event.option.id)
        self.input.focus()

    def on_descendant_blur(self) -> None:
        self.suggestions.display = False

    @dataclass
    class Found(Message, bubble=False):
        """The units whose code or name match `text`, found by the worker."""
        text: str
        rows: list

    class Taken(ControlMessage):
        """A suggestion was taken: the box now holds `code`."""

        def __init__(self, field: "UnitField", code: str) -> None:
            super().__init__(field)
            self.code = code
