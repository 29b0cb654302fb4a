"""The roster as a tree by kind and parent, as it stood on any chosen day.
`a` adds a unit, `e` edits the one under the cursor, `x` ends it on a day,
`r` records a reorganisation (wizard and preview), `g` passes on the tasks
pending reassignment (forms in unit_forms.py)."""
from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label, Static, Tree
from textual.worker import get_current_worker

from inspect_tui.locale import formats, t
from inspect_tui.rules import database, units
from inspect_tui.rules.dates import parse_date
from inspect_tui.rules.errors import DomainError
from inspect_tui.rules.vocab import UNIT_KINDS
from inspect_tui.ui.screens.page import Page
from inspect_tui.ui.screens.unit_forms import (EndForm, ReassignDialog, ReorganiseForm,
                                               UnitForm)
from inspect_tui.ui.widgets.inputs import TextInput


class UnitsScreen(Page):
    SCOPE = "units"
    FOCUS = "#roster"

    @dataclass
    class Loaded(Message, bubble=False):
        """The roster as it stood on `day`, read by the worker."""
        day: object
        rows: list

    def __init__(self, on=None) -> None:
        super().__init__(on=on)
        self.on_day = on
        self.rows: dict[str, units.UnitRow] = {}
        self.focus_code: str | None = None  # the unit to put the cursor on after a reload

    def body(self) -> ComposeResult:
        with Horizontal(id="units-bar"):
            yield Label(t("ui.units.on_day"))
            yield TextInput(formats.date(self.on_day or self.today), id="units-date", compact=True)
            yield Static("", id="units-date-error")
        yield Tree(t("ui.units.roster"), id="roster")

    def reload(self) -> None:
        self.load(self.on_day or self.today)

    @on(Input.Changed, "#units-date")
    def _date_changed(self, event: Input.Changed) -> None:
        error = self.query_one("#units-date-error", Static)
        try:
            day = parse_date(event.value)
        except DomainError:
            error.update(t("ui.form.bad_date"))
            return
        error.update("")
        if day != (self.on_day or self.today):
            self.on_day = day
            self.load(day)

    @on(Input.Submitted, "#units-date")
    def _date_done(self) -> None:
        self.query_one("#roster", Tree).focus()

    @work(thread=True, exclusive=True, group="roster", exit_on_error=False)
    def load(self, day) -> None:
        # Posted to this screen: a screen closed meanwhile never handles it, and a
        # read overtaken by a newer one (exclusive: this worker cancelled) is dropped.
        with database.worker_connection():
            rows = units.roster(on=day)
        if not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(day, rows))

    def on_units_screen_loaded(self, message: Loaded) -> None:
        self.show(message.day, message.rows)

    def show(self, day, rows) -> None:
        if not self.shown:
            return  # another screen replaced this one while the roster was read
        tree = self.query_one("#roster", Tree)
        self.rows = {r.code: r for r in rows}
        wanted = self.focus_code or (tree.cursor_node.data if tree.cursor_node else None)
        tree.clear()
        tree.root.set_label(t("ui.units.roster_on", day=formats.date(day), n=formats.number(len(rows))))
        # Units sit under their parent (communes under their district); the city
        # committee itself ("other") parents everyone, so it does not nest.
        kinds = {r.code: r.kind for r in rows}
        children: dict[str | None, list] = {}
        for row in rows:
            parent = row.parent_code if kinds.get(row.parent_code, "other") != "other" else None
            children.setdefault(parent, []).append(row)

        def add(node, row):
            kids = children.get(row.code, [])
            label = f"{row.name} [dim]{row.code}[/]"
            if kids:
                branch = node.add(label, data=row.code)
                for kid in kids:
                    add(branch, kid)
            else:
                node.add_leaf(label, data=row.code)

        for kind in UNIT_KINDS:
            top = [r for r in children.get(None, []) if r.kind == kind]
            if not top:
                continue
            group = tree.root.add(f"[b]{t(f'unit_kind.{kind}')}[/b] ({len(top)})", expand=kind != "commune")
            for row in top:
                add(group, row)
        tree.root.expand()
        if wanted:
            self.call_after_refresh(self._cursor_to, wanted)

    def _cursor_to(self, code: str) -> None:
        """The cursor on the unit `code`, its group opened (communes start closed)."""
        tree = self.query_one("#roster", Tree)

        def find(node):
            if node.data == code:
                return node
            for child in node.children:
                found = find(child)
                if found is not None:
                    return found
            return None

        node = find(tree.root)
        if node is None:
            return
        self.focus_code = None
        parent = node.parent
        while parent is not None:
            parent.expand()
            parent = parent.parent
        self.call_after_refresh(self._move_cursor, tree, node)

    @staticmethod
    def _move_cursor(tree: Tree, node) -> None:
        # The tree numbers its lines when it draws them; a callback may run before it
        # has drawn the nodes just added or opened: asking for a line numbers them.
        tree.get_node_at_line(0)
        tree.move_cursor(node)

    def on_tree_node_selected(self, event: Tree.NodeSelected) -> None:
        if event.node.data:
            self.app.open_unit(event.node.data)

    def action_focus_date(self) -> None:
        self.query_one("#units-date", Input).focus()

    def action_reset_date(self) -> None:
        self.query_one("#units-date", Input).value = formats.date(self.today)

    # --- changing the roster --------------------------------------------------------

    def selected(self) -> units.UnitRow | None:
        node = self.query_one("#roster", Tree).cursor_node
        code = node.data if node is not None else None
        if not code:
            self.notify(t("ui.unit_form.no_unit"), severity="warning")
            return None
        try:
            return units.row(units.get(code))
        except DomainError as error:
            self.notify(error.message(), severity="error")
            return None

    def action_add_unit(self) -> None:
        node = self.query_one("#roster", Tree).cursor_node
        parent = node.data if node is not None and node.data else ""
        self.app.push_screen(UnitForm(self.actor, parent=parent), self._unit_saved("ui.unit_form.created"))

    def action_edit_unit(self) -> None:
        row = self.selected()
        if row is not None:
            self.app.push_screen(UnitForm(self.actor, row), self._unit_saved("ui.unit_form.updated"))

    def action_end_unit(self) -> None:
        row = self.selected()
        if row is not None:
            self.app.push_screen(EndForm(self.actor, row, self.today), self._unit_saved("ui.unit_form.ended"))

    def _unit_saved(self, message: str):
        return self.after_form(lambda row: t(message, name=row.name, code=row.code),
                               before=self._focus_unit)

    def _focus_unit(self, row: units.UnitRow) -> None:
        self.focus_code = row.code

    def action_reorganise(self) -> None:
        self.app.push_screen(ReorganiseForm(self.actor, self.today), self.after_form(_reorganised))

    def action_reassign(self) -> None:
        self.app.push_screen(ReassignDialog(self.actor, self.today), self.after_form(_reassigned))


def _reorganised(result) -> str:
    return t("ui.reorg.applied", kind=t(f"ui.reorg.kind_name.{result.kind}"),
             day=formats.date(result.on_date), ended=", ".join(result.ended),
             successors=", ".join(result.successors) or "–",
             moved=formats.number(result.tasks_moved))


def _reassigned(result) -> str:
    return t("ui.reassign.done", n=formats.number(len(result.moves)),
             to=", ".join(f"{code} ({n})" for code, n in result.counts().items()))
