"""A page of the app (a list, or one record): the header, its body, the
footer; on mount its title in the header and the focus on its main widget.
The forms it opens report back through `after_form`, a rule's refusal to open
one through `open_form`."""
from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Label, Static

from inspect_tui.locale import t
from inspect_tui.rules.errors import DomainError
from inspect_tui.ui.screens.base import BaseScreen


class Page(BaseScreen):
    FOCUS = ""  # the selector of the widget that has the focus first

    def page_title(self) -> str:
        """The page's name, shown under the app's in the header."""
        return t(f"ui.screen.{self.SCOPE}")

    def body(self) -> ComposeResult:
        yield from ()

    def compose(self) -> ComposeResult:
        yield self.header()
        yield from self.body()
        yield self.footer()

    def on_mount(self) -> None:
        self.sub_title = self.page_title()
        self.query_one(self.FOCUS).focus()

    def open_form(self, make: Callable[[], Screen], done: Callable[[Any], None]) -> None:
        """Push the form `make` builds, `done` called with what it saved; a form the
        rules refuse to build (its record gone meanwhile) is said instead."""
        try:
            form = make()
        except DomainError as error:
            self.notify(error.message(), severity="error")
            return
        self.app.push_screen(form, done)

    def after_form(self, message: Callable[[Any], str],
                   before: Callable[[Any], None] | None = None) -> Callable[[Any], None]:
        """A form's callback: when it saved `result` (not None, closed), `before(result)`
        (e.g. where the cursor goes), reload, and say `message(result)`."""
        def done(result) -> None:
            if result is None:
                return
            if before is not None:
                before(result)
            self.reload()
            self.saved(message(result))
        return done


class RecordPage(Page):
    """The page of one record, made from its key (a unit's code, a task's id),
    kept as the attribute KEY names: the one the rest of the app reads."""
    KEY = "code"
    TITLE_ARG = ""  # the field of the title (ui.screen.<scope>) that shows the key, if any

    def __init__(self, key) -> None:
        super().__init__(key)
        setattr(self, self.KEY, key)

    def page_title(self) -> str:
        key = getattr(self, self.KEY)
        return t(f"ui.screen.{self.SCOPE}", **({self.TITLE_ARG: key} if self.TITLE_ARG else {}))


class DetailPage(RecordPage):
    """A record's page that scrolls as a whole (#<scope>-detail): its facts
    (#<scope>-facts, `show_facts`), then sections, each a heading and a widget."""

    def sections(self) -> list[tuple[str, Widget]]:
        return []

    def body(self) -> ComposeResult:
        with VerticalScroll(id=f"{self.SCOPE}-detail"):
            yield Static("", id=f"{self.SCOPE}-facts")
            for heading, widget in self.sections():
                yield Label(heading, classes="section")
                yield widget

    def show_facts(self, lines: list[str]) -> None:
        self.query_one(f"#{self.SCOPE}-facts", Static).update("\n".join(lines))
