"""The roster's forms (screen 2): add (`a`) and edit (`e`) a unit, end one on a
day (`x`, showing what blocks it and offering a successor to take its work),
the reorganisation wizard (`r`: kind, day, source units and successors picked
with the unit picker, new successor units, who takes the tasks, then a preview
of every task that moves, each reassignable one by one, applied as one change
batch) and the list of tasks pending reassignment (`g`).

Every form checks as you type (units.validate, the unit picker) and saves all
or nothing; an edit or an end made on a unit changed since is refused."""
import datetime as dt

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.css.query import NoMatches
from textual.widgets import Input, Select, Static

from inspect_tui.locale import formats, t
from inspect_tui.rules import reorganisation, units
from inspect_tui.rules.dates import parse_date, parse_optional_date
from inspect_tui.rules.errors import DomainError
from inspect_tui.rules.vocab import REORGANISATIONS, UNIT_KINDS
from inspect_tui.ui.screens.dialog import Dialog
from inspect_tui.ui.screens.forms import ChoicePrompt, Form, form_frame, typed_day
from inspect_tui.ui.widgets.fields import Check, Choice, DateText, Field, Required, labelled
from inspect_tui.ui.widgets.inputs import TextInput, UnitField
from inspect_tui.ui.widgets.table import Col, FittedTable


class UnitForm(Form):
    """A new unit (`row` None) or the unit `row` (its code is its identity, not edited)."""

    AUTO_FOCUS = "#code"

    def __init__(self, actor: str, row: units.UnitRow | None = None, parent: str = "") -> None:
        super().__init__(actor)
        self.row = row
        self.parent_default = row.parent_code or "" if row else parent

    def title_text(self) -> str:
        return t("ui.unit_form.edit_title", name=self.row.name) if self.row else t("ui.unit_form.new_title")

    def fields(self) -> ComposeResult:
        row = self.row
        with Horizontal(classes="form-row"):
            yield Field(t("ui.unit_form.code"), TextInput(row.code if row else "", id="code",
                                                          disabled=row is not None,
                                                          validators=[Check(self._check("code"))]))
            yield Choice(t("ui.unit_form.kind"), Select(labelled("unit_kind", UNIT_KINDS),
                                                        value=row.kind if row else "commune",
                                                        allow_blank=False, id="kind"))
        yield Field(t("ui.unit_form.name"), TextInput(row.name if row else "", id="name",
                                                      validators=[Required(), Check(self._check("name"))]))
        with Horizontal(classes="form-row"):
            yield UnitField(t("ui.unit_form.parent"), self.parent_default, required=False,
                            input_id="parent", extra=lambda unit: self._problem("parent"),
                            id="parent-field")
            yield Field(t("ui.unit_form.started_on"),
                        TextInput(formats.date(row.started_on) if row and row.started_on else "",
                                  id="started", validators=[DateText(required=False),
                                                            Check(self._check("started_on"))]),
                        hint=t("ui.form.date_hint"))
        yield Field(t("ui.unit_form.note"), TextInput(row.note if row else "", id="note"))

    def values(self) -> dict:
        values = {"name": self.value("name"), "kind": self.query_one("#kind", Select).value,
                  "parent": self.query_one("#parent-field", UnitField).code()
                  or self.value("parent").strip(), "started_on": self.value("started")}
        if self.row is None:
            values["code"] = self.value("code")
        return values

    def _problem(self, field: str) -> str:
        try:
            values = self.values()
        except NoMatches:  # still being built
            return ""
        return units.validate(values, code=self.row.code if self.row else None).get(field, "")

    def _check(self, field: str):
        return lambda text: self._problem(field)

    def save(self) -> units.UnitRow:
        values = self.values()
        started = parse_optional_date(values["started_on"], "started_on")
        note = self.value("note").strip()
        if self.row is None:
            return units.create(values["code"].strip(), values["name"].strip(), values["kind"],
                                self.actor, parent=values["parent"] or None, started_on=started,
                                note=note)
        row = self.row
        typed = {"name": values["name"].strip(), "kind": values["kind"],
                 "parent": values["parent"] or None, "started_on": started, "note": note}
        current = {"name": row.name, "kind": row.kind, "parent": row.parent_code,
                   "started_on": row.started_on, "note": row.note}
        changed = {k: v for k, v in typed.items() if v != current[k]}
        if not changed:
            return None
        if "parent" in changed:
            changed["parent"] = changed["parent"] or ""
        return units.update(row.code, self.actor, expected_version=row.version, **changed)


class EndForm(Form):
    """End a unit on a day: what blocks it (unfinished tasks, subordinate units,
    planned visits) is shown as the day is typed; a successor takes them in
    the same step (recorded as a dissolution into it)."""

    AUTO_FOCUS = "#end-day"

    def __init__(self, actor: str, row: units.UnitRow, today: dt.date) -> None:
        super().__init__(actor)
        self.row = row
        self.today = today

    def title_text(self) -> str:
        return t("ui.unit_form.end_title", name=self.row.name, code=self.row.code)

    def fields(self) -> ComposeResult:
        yield Field(t("ui.unit_form.end_day"),
                    TextInput(formats.date(self.today), id="end-day", validators=[DateText()]),
                    hint=t("ui.unit_form.end_day_hint"))
        yield Static("", id="end-check", classes="form-note")
        yield UnitField(t("ui.unit_form.pass_to"), hint=t("ui.unit_form.pass_to_hint"),
                        required=False, on=self._day, input_id="pass-to", id="pass-field")
        yield Field(t("ui.unit_form.note"), TextInput(id="note"))

    def _day(self) -> dt.date | None:
        return typed_day(self.value("end-day"))

    def on_mount(self) -> None:
        self._show_check()

    def check(self) -> units.EndCheck | None:
        day = self._day()
        if day is None:
            return None
        try:
            return units.end_check(self.row.code, day)
        except DomainError:
            return None

    def _show_check(self) -> None:
        check = self.check()
        text = ""
        if check is not None:
            text = t("ui.unit_form.end_blocks", tasks=formats.number(check.open_tasks),
                     children=", ".join(check.children) or "–",
                     visits=formats.number(len(check.planned_visits)))
            if check.needs_heir:
                text += "\n" + t("ui.unit_form.needs_heir")
        self.query_one("#end-check", Static).update(text)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "end-day":
            self._show_check()
            field = self.query_one("#pass-field", UnitField)
            if field.input.value.strip():
                field.valid()

    def save(self) -> units.UnitRow:
        day = parse_date(self.value("end-day"), "ended_on")
        pass_to = self.query_one("#pass-field", UnitField).code() or None
        return units.end(self.row.code, day, self.actor, expected_version=self.row.version,
                         pass_to=pass_to, note=self.value("note").strip())


class ReorganiseForm(Form):
    """Step 1 of the wizard: kind, day, the units that end and their successors
    (Enter in a picker adds the unit named to its list, Backspace in an empty
    picker takes the last one off), new successor units (code, name, kind:
    Enter in the name adds it), and who takes the tasks (all to one successor,
    or a holder keeping them pending reassignment). Ctrl+S: the preview."""

    AUTO_FOCUS = "#kind"
    DEFAULT_CSS = """
    ReorganiseForm .form-note { height: auto; }
    ReorganiseForm .picked { color: $accent; height: auto; }
    """

    def __init__(self, actor: str, today: dt.date, sources: tuple[str, ...] = ()) -> None:
        super().__init__(actor)
        self.today = today
        self.sources: list[str] = list(sources)
        self.successors: list[str] = []
        self.new_units: list[reorganisation.NewUnit] = []

    def title_text(self) -> str:
        return t("ui.reorg.title")

    def fields(self) -> ComposeResult:
        with Horizontal(classes="form-row"):
            yield Choice(t("ui.reorg.kind"), Select(labelled("ui.reorg.kind_name", REORGANISATIONS),
                                                    value="merge", allow_blank=False, id="kind"))
            yield Field(t("ui.reorg.on_date"), TextInput(id="on-date", validators=[DateText()]),
                        hint=t("ui.reorg.on_date_hint"))
        yield UnitField(t("ui.reorg.sources"), hint=t("ui.reorg.picker_hint"), required=False,
                        on=self._day_before, input_id="source", id="source-field")
        yield Static("", id="sources-picked", classes="picked")
        yield UnitField(t("ui.reorg.successors"), hint=t("ui.reorg.picker_hint"), required=False,
                        on=self._day, input_id="successor", id="successor-field")
        with Horizontal(classes="form-row"):
            yield Field(t("ui.reorg.new_code"), TextInput(id="new-code"))
            yield Field(t("ui.reorg.new_name"), TextInput(id="new-name"), hint=t("ui.reorg.new_hint"))
            yield Choice(t("ui.unit_form.kind"), Select(labelled("unit_kind", UNIT_KINDS),
                                                        value="commune", allow_blank=False,
                                                        id="new-kind"))
        yield Static("", id="successors-picked", classes="picked")
        with Horizontal(classes="form-row"):
            yield UnitField(t("ui.reorg.to"), hint=t("ui.reorg.to_hint"), required=False,
                            input_id="to", id="to-field")
            yield UnitField(t("ui.reorg.holder"), hint=t("ui.reorg.holder_hint"), required=False,
                            on=self._day, input_id="holder", id="holder-field")

    def on_mount(self) -> None:
        self._show_picked()

    def _day(self) -> dt.date | None:
        return typed_day(self.value("on-date"))

    def _day_before(self) -> dt.date | None:
        day = self._day()
        return day - dt.timedelta(days=1) if day else None

    def _show_picked(self) -> None:
        self.query_one("#sources-picked", Static).update(
            t("ui.reorg.picked_sources", codes=", ".join(self.sources) or "–"))
        names = self.successors + [f"{u.code} ({t('ui.reorg.new')}: {u.name})" for u in self.new_units]
        self.query_one("#successors-picked", Static).update(
            t("ui.reorg.picked_successors", codes=", ".join(names) or "–"))

    def _add(self, field_id: str, into: list[str]) -> None:
        field = self.query_one(f"#{field_id}", UnitField)
        if not field.input.value.strip():
            return
        if field.valid():
            code = field.code()
            if code not in into:
                into.append(code)
            field._quiet = True
            field.input.value = ""
            self._show_picked()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        event.prevent_default()  # not Form's: Enter here adds to a list
        if event.input.id == "source":
            self._add("source-field", self.sources)
        elif event.input.id == "successor":
            self._add("successor-field", self.successors)
        elif event.input.id in ("new-code", "new-name"):
            self._add_new()
        else:
            self.action_save()

    def on_unit_field_taken(self, event: UnitField.Taken) -> None:
        if event.control.id == "source-field":
            self._add("source-field", self.sources)
        elif event.control.id == "successor-field":
            self._add("successor-field", self.successors)

    def _add_new(self) -> None:
        code, name = self.value("new-code").strip(), self.value("new-name").strip()
        if not code or not name:
            return
        problems = units.validate({"code": code, "name": name})
        error = self.query_one("#form-error", Static)
        if problems or code in [u.code for u in self.new_units]:
            error.update(" ".join(problems.values()) or t("ui.reorg.new_twice", code=code))
            return
        error.update("")
        self.new_units.append(reorganisation.NewUnit(code, name, self.query_one("#new-kind", Select).value))
        self.query_one("#new-code", Input).value = ""
        self.query_one("#new-name", Input).value = ""
        self.query_one("#new-code", Input).focus()
        self._show_picked()

    def plan(self, tasks: dict | None = None, by_unit: dict | None = None) -> reorganisation.Plan:
        day = parse_date(self.value("on-date"), "on_date")
        to = self.query_one("#to-field", UnitField).code() or self.value("to").strip() or None
        holder = self.query_one("#holder-field", UnitField).code() or None
        versions = {}
        for code in self.sources:
            try:
                versions[code] = units.row(units.get(code)).version
            except DomainError:
                pass
        return reorganisation.Plan(
            self.query_one("#kind", Select).value, tuple(self.sources), day,
            successors=tuple(self.successors), new_units=tuple(self.new_units),
            assignment=reorganisation.Assignment(to=to, holder=holder, tasks=tasks or {},
                                                 by_unit=by_unit or {},
                                                 children_to=to or holder),
            versions=versions)

    def save(self):
        plan = self.plan()
        reorganisation.preview(plan)  # refused here, in the form, when the plan cannot be
        # After this key is done: Ctrl+S must not reach the preview and apply it at once.
        self.app.call_later(self.app.push_screen, ReorganisePreview(self, plan), self._applied)
        raise _Waiting()

    def _save(self) -> None:
        try:
            super()._save()
        except _Waiting:
            pass

    def _applied(self, result) -> None:
        if result is not None:
            self.dismiss(result)


class _Waiting(Exception):
    """The wizard stays open under its preview."""


class ReorganisePreview(Dialog):
    """Step 2: every task that moves and to whom (Enter on a task: pass it to
    another successor; `u`: all the tasks of its ending unit), the units that
    end and start, the counts; Ctrl+S applies it, one change batch."""

    DEFAULT_CSS = """
    ReorganisePreview > #form { width: 110; }
    ReorganisePreview #preview-moves { height: auto; max-height: 10; }
    ReorganisePreview .form-note { height: auto; }
    ReorganisePreview #form-error { color: $error; height: auto; }
    """

    def __init__(self, wizard: ReorganiseForm, plan: reorganisation.Plan) -> None:
        super().__init__("reorg", "apply", close="back")
        self.wizard = wizard
        self.plan = plan
        self.tasks: dict[int, str] = {}
        self.by_unit: dict[str, str] = {}
        self.shown: reorganisation.Preview | None = None

    def compose(self) -> ComposeResult:
        yield from form_frame(t("ui.reorg.preview_title"), self._fields(),
                              t("ui.reorg.preview_keys"))

    def _fields(self) -> ComposeResult:
        yield Static("", id="preview-summary", classes="form-note")
        yield FittedTable([Col("id", "#", max=6),
                           Col("task", t("column.description"), flex=True, min=16, max=60),
                           Col("from", t("ui.reorg.from"), min=8, max=24),
                           Col("to", t("ui.reorg.to_col"), min=8, max=24),
                           Col("rule", t("ui.reorg.rule"), max=12)],
                          id="preview-moves", cursor_type="row")

    def on_mount(self) -> None:
        self.refresh_preview()
        self.query_one("#preview-moves").focus()

    def refresh_preview(self) -> None:
        self.plan = self.wizard.plan(self.tasks, self.by_unit)
        try:
            p = reorganisation.preview(self.plan)
        except DomainError as error:
            self.query_one("#form-error", Static).update(error.message())
            return
        self.shown = p
        counts = p.counts()
        names = {u.code: u.name for u in p.successors} | ({p.holder.code: p.holder.name} if p.holder else {})
        lines = [t("ui.reorg.summary", kind=t(f"ui.reorg.kind_name.{p.kind}"), day=formats.date(p.on_date),
                   ending=", ".join(u.code for u in p.ending),
                   successors=", ".join(u.code + (f" ({t('ui.reorg.new')})" if u.new else "") for u in p.successors)
                   or "–", moves=formats.number(len(p.moves)))]
        lines.append(" · ".join(f"{names.get(code, code) if code else t('ui.reorg.unassigned')}: {n}"
                                for code, n in counts.items()) or t("ui.reorg.no_tasks"))
        if p.unassigned:
            lines.append(t("ui.reorg.unassigned_note", n=formats.number(len(p.unassigned))))
        if p.children:
            lines.append(t("ui.reorg.children", codes=", ".join(f"{c.code}→{c.to_code or '?'}" for c in p.children)))
        self.query_one("#preview-summary", Static).update("\n".join(lines))
        self.query_one("#preview-moves", FittedTable).set_rows([(str(m.task_id), {
            "id": str(m.task_id), "task": m.description, "from": m.from_code,
            "to": m.to_code or t("ui.reorg.unassigned"),
            "rule": t(f"ui.reorg.rule_name.{m.rule}") if m.rule else "–"}) for m in p.moves])
        self.query_one("#form-error", Static).update("")

    def _move(self) -> reorganisation.Move | None:
        table = self.query_one("#preview-moves", FittedTable)
        if self.shown is None or not self.shown.moves or table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((m for m in self.shown.moves if str(m.task_id) == key), None)

    def _choose(self, title: str, done) -> None:
        choices = [(f"{u.name} · {u.code}", u.code) for u in (self.shown.successors if self.shown else ())]
        if not choices:
            self.query_one("#form-error", Static).update(t("ui.reorg.no_successor"))
            return
        self.app.push_screen(ChoicePrompt(title, choices), done)

    def on_data_table_row_selected(self, event) -> None:
        event.stop()  # Enter: this task to another successor
        self._pass_on(self.tasks, lambda move: move.task_id,
                      lambda move: t("ui.reorg.pass_task", id=move.task_id))

    def action_by_unit(self) -> None:
        # u: the tasks of the unit the one under the cursor comes from
        self._pass_on(self.by_unit, lambda move: move.from_code,
                      lambda move: t("ui.reorg.pass_unit", code=move.from_code))

    def _pass_on(self, choices: dict, key, title) -> None:
        """Choose the successor that takes `key(move)` (the move under the cursor),
        noted in `choices`, and preview again."""
        move = self._move()
        if move is None:
            return

        def done(code):
            if code:
                choices[key(move)] = code
                self.refresh_preview()
        self._choose(title(move), done)

    def action_apply(self) -> None:
        try:
            result = reorganisation.apply(self.plan, self.wizard.actor, expected=self.shown)
        except DomainError as error:
            self.query_one("#form-error", Static).update(error.message())
            return
        self.dismiss(result)

    def action_close(self) -> None:
        self.dismiss(None)


class ReassignDialog(Dialog):
    """The tasks holders keep for dissolved units, pending reassignment: Space
    marks tasks (none marked: the one under the cursor), the picker names the
    commune or ward (by code or name, diacritics optional), Ctrl+S passes them on."""

    DEFAULT_CSS = """
    ReassignDialog > #form { width: 110; }
    ReassignDialog #pending { height: auto; max-height: 10; }
    ReassignDialog #form-error { color: $error; height: auto; }
    """

    def __init__(self, actor: str, today: dt.date) -> None:
        super().__init__("reassign", "save")
        self.actor = actor
        self.today = today
        self.marked: set[int] = set()
        self.rows: list[reorganisation.PendingTask] = []

    def compose(self) -> ComposeResult:
        yield from form_frame(t("ui.reassign.title"), self._fields(), t("ui.reassign.keys"))

    def _fields(self) -> ComposeResult:
        yield FittedTable([Col("mark", "✓", max=1),
                           Col("id", "#", max=6),
                           Col("task", t("column.description"), flex=True, min=16, max=60),
                           Col("from", t("ui.reorg.from"), min=8, max=24),
                           Col("due", t("column.due_on"), max=10)],
                          id="pending", cursor_type="row")
        yield UnitField(t("ui.reassign.to"), hint=t("ui.reassign.to_hint"), on=today_of(self),
                        input_id="reassign-to", id="reassign-field")
        yield Static("", id="reassign-preview")

    def on_mount(self) -> None:
        self.load()
        self.query_one("#pending").focus()

    def load(self) -> None:
        self.rows = reorganisation.pending(self.today)
        self.marked &= {r.task_id for r in self.rows}
        self.query_one("#pending", FittedTable).set_rows([(str(r.task_id), {
            "mark": "✓" if r.task_id in self.marked else "", "id": str(r.task_id),
            "task": r.description, "from": r.from_name, "due": formats.date(r.due_on)})
            for r in self.rows])
        if not self.rows:
            self.query_one("#form-error", Static).update(t("ui.reassign.none"))

    def _cursor(self) -> int | None:
        table = self.query_one("#pending", FittedTable)
        if not table.row_count:
            return None
        return int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def action_mark(self) -> None:
        task_id = self._cursor()
        if task_id is None:
            return
        self.marked ^= {task_id}
        table = self.query_one("#pending", FittedTable)
        row = table.cursor_coordinate.row
        self.load()
        table.move_cursor(row=min(row + 1, table.row_count - 1))
        self._preview()

    def _chosen(self) -> list[int]:
        return sorted(self.marked) or [i for i in [self._cursor()] if i is not None]

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "reassign-to":
            self._preview()

    def _preview(self) -> None:
        """Before Ctrl+S: each chosen task, where it comes from and where it goes."""
        shown = self.query_one("#reassign-preview", Static)
        unit = self.query_one("#reassign-field", UnitField).unit()
        chosen = self._chosen()
        if unit is None or not chosen:
            shown.update("")
            return
        try:
            moves = reorganisation.reassign_preview({i: unit.code for i in chosen}, self.today)
        except DomainError as exc:
            shown.update(exc.message())
            return
        lines = [t("ui.reassign.preview", n=len(moves), to=unit.name)]
        lines += [f"  #{m.task_id} {m.from_code} → {m.to_code}: {m.description[:60]}" for m in moves]
        shown.update("\n".join(lines))

    def on_data_table_row_selected(self, event) -> None:
        event.stop()
        self.query_one("#reassign-to").focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        field = self.query_one("#reassign-field", UnitField)
        chosen = self._chosen()
        error = self.query_one("#form-error", Static)
        if not chosen:
            error.update(t("ui.reassign.none"))
            return
        if not field.valid():
            error.update(t("ui.form.fix_fields"))
            return
        versions = {r.task_id: r.version for r in self.rows}
        try:
            done = reorganisation.reassign({i: field.code() for i in chosen}, self.actor, self.today,
                                           versions={i: versions[i] for i in chosen if i in versions})
        except DomainError as exc:
            error.update(exc.message())
            return
        self.dismiss(done)


def today_of(dialog: ReassignDialog):
    return lambda: dialog.today
