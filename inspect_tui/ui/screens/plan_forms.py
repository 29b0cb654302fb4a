"""Forms for recording a year's inspections: a new plan, a team member, a
visit, next year's plan (Plans screen) and a visit's outcome (Visit screen).

Each form checks what it can as you type (a unit code, a date), then hands
the values to the rule in inspect_tui.rules.inspections; the rule's refusal
is shown in the form and nothing is saved half-way."""
import datetime as dt

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input, Label, Select, Static, TextArea

from inspect_tui.locale import formats, t
from inspect_tui.rules import inspections, units
from inspect_tui.rules.dates import parse_date, parse_optional_date
from inspect_tui.rules.errors import DomainError
from inspect_tui.rules.inspections import VISIT_MOVES
from inspect_tui.rules.vocab import PLAN_KINDS, PLAN_LEVELS, ROLES, VISIT_STATUSES
from inspect_tui.ui.screens.forms import Form, typed_day
from inspect_tui.ui.widgets.fields import Check, Choice, DateText, Field, Required, labelled, year_problem
from inspect_tui.ui.widgets.inputs import TextInput, UnitField


class PlanForm(Form):
    """A new inspection plan: year, number, issue date, kind, level and, for a
    plan a department or district issues for itself, the issuing unit."""

    AUTO_FOCUS = "#year"
    TITLE_KEY = "ui.plan_form.title"

    def __init__(self, actor: str, today: dt.date) -> None:
        super().__init__(actor)
        self.today = today

    def fields(self) -> ComposeResult:
        with Horizontal(classes="form-row"):
            yield Field(t("column.year"), TextInput(str(self.today.year), id="year",
                                                validators=[Check(self._year_problem)]))
            yield Field(t("ui.plans.number"), TextInput(id="number", validators=[Required()]),
                        hint=t("ui.plan_form.number_hint"))
        with Horizontal(classes="form-row"):
            yield Field(t("ui.plan_form.issued_on"),
                        TextInput(id="issued", validators=[DateText(required=False)]),
                        hint=t("ui.form.date_hint"))
            yield Choice(t("ui.plans.kind"), Select(labelled("plan_kind", PLAN_KINDS),
                                                    value=PLAN_KINDS[0], allow_blank=False,
                                                    id="kind"))
        with Horizontal(classes="form-row"):
            yield Choice(t("ui.plans.level"), Select(labelled("plan_level", PLAN_LEVELS),
                                                     value=PLAN_LEVELS[0], allow_blank=False,
                                                     id="level"))
            yield UnitField(t("ui.plan_form.issuer"), hint=t("ui.plan_form.issuer_city"),
                            input_id="issuer", extra=self._issuer_gone, id="issuer-field")

    def on_mount(self) -> None:
        self.query_one("#issuer", Input).disabled = True  # until the level is "unit"

    def _level(self) -> str:
        return self.query_one("#level", Select).value

    def _year(self) -> int | None:
        text = self.value("year").strip()
        return None if year_problem(text, required=True) else int(text)

    def _year_problem(self, text: str) -> str:
        return year_problem(text, required=True)

    def _issuer_gone(self, unit) -> str:
        """The issuer must exist in the plan's year."""
        year = self._year()
        if year and not units.exists_in_year(unit, year):
            return t("ui.plan_form.issuer_gone", code=unit.code, year=year)
        return ""

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id != "level":
            return
        field = self.query_one("#issuer-field", UnitField)
        unit_level = event.value == "unit"
        field.input.disabled = not unit_level
        if not unit_level:
            field.input.value = ""
        # A hint, not an error, until something is typed (or saved).
        field.set_hint(t("ui.plan_form.issuer_hint") if unit_level else t("ui.plan_form.issuer_city"))

    def on_input_changed(self, event: Input.Changed) -> None:
        field = self.query_one("#issuer-field", UnitField)
        if event.input.id == "year" and field.input.value.strip():
            field.valid()  # the issuer must exist in the plan's year

    def save(self) -> int:
        level = self._level()
        row = inspections.create_plan(
            int(self.value("year").strip()), self.value("number"), self.actor, level=level,
            issued_on=parse_optional_date(self.value("issued"), "issued_on"),
            kind=self.query_one("#kind", Select).value,
            issuer=self.query_one("#issuer-field", UnitField).code() if level == "unit" else None)
        return row.id


class _OfPlan(Form):
    """A form about the plan `plan_id` (`plan` is its row as the form opened)."""

    DEFAULT_CSS = """
    _OfPlan .form-note { color: $text-muted; height: auto; margin-bottom: 1; }
    """

    def __init__(self, plan_id: int, actor: str) -> None:
        super().__init__(actor)
        self.plan_id = plan_id
        self.plan = inspections.plan_row(plan_id)


class MemberForm(_OfPlan):
    """A member of the plan's inspection team; the first one is the leader by default."""

    AUTO_FOCUS = "#name"

    def __init__(self, plan_id: int, actor: str) -> None:
        super().__init__(plan_id, actor)
        has_leader = any(m.role == "leader" for m in inspections.team(plan_id))
        self.default_role = "member" if has_leader else "leader"

    def title_text(self) -> str:
        return t("ui.plan_form.member_title", plan=self.plan.number)

    def fields(self) -> ComposeResult:
        with Horizontal(classes="form-row"):
            yield Field(t("ui.plan_form.name"), TextInput(id="name", validators=[Required()]))
            yield Choice(t("ui.plan_form.role"), Select(labelled("role", ROLES),
                                                        value=self.default_role,
                                                        allow_blank=False, id="role"))
        with Horizontal(classes="form-row"):
            yield Field(t("ui.plan_form.job_title"), TextInput(id="title"))
            yield Field(t("ui.plan_form.organisation"), TextInput(id="organisation"))

    def save(self) -> inspections.MemberRow:
        return inspections.add_member(self.plan_id, self.value("name"),
                                      self.query_one("#role", Select).value, self.actor,
                                      title=self.value("title"),
                                      organisation=self.value("organisation"))


class VisitAddForm(_OfPlan):
    """A visit to a unit under the plan: the unit must exist on the day (or on
    1 January of the plan's year when no day is set), the day in that year."""

    AUTO_FOCUS = "#unit"

    def __init__(self, plan_id: int, actor: str) -> None:
        super().__init__(plan_id, actor)
        self.year = self.plan.year

    def title_text(self) -> str:
        return t("ui.plan_form.visit_title", plan=self.plan.number, year=self.year)

    def fields(self) -> ComposeResult:
        with Horizontal(classes="form-row"):
            yield UnitField(t("ui.plan_form.unit_code"), hint=t("ui.plan_form.unit_hint"),
                            on=self._day, id="unit-field")
            yield Field(t("ui.plan_form.scheduled_on"),
                        TextInput(id="scheduled", validators=[Check(self._date_problem)]),
                        hint=t("ui.form.date_hint"), id="scheduled-field")

    def _day(self) -> dt.date:
        day = typed_day(self.value("scheduled"))
        return day if day and day.year == self.year else dt.date(self.year, 1, 1)

    def _date_problem(self, text: str) -> str:
        if not text.strip():
            return ""
        try:
            day = parse_date(text)
        except DomainError:
            return t("ui.form.bad_date")
        return "" if day.year == self.year else t("error.visit_outside_year", year=self.year)

    def on_input_changed(self, event: Input.Changed) -> None:
        field = self.query_one("#unit-field", UnitField)
        if event.input.id == "scheduled" and field.input.value.strip():
            field.valid()  # the unit must exist on the new day

    def save(self) -> int:
        return inspections.add_visit(
            self.plan_id, self.query_one("#unit-field", UnitField).code(), self.actor,
            scheduled_on=parse_optional_date(self.value("scheduled"), "scheduled_on"))


class NextYearForm(_OfPlan):
    """Next year's plan from this one (same level, kind, issuer and team, a
    visit to each unit or its successor, unfinished tasks carried forward).
    If it was started already, only what is missing is added."""

    AUTO_FOCUS = "#number"
    BINDINGS = [Binding("enter", "save", show=False)]  # when every field is locked

    def __init__(self, plan_id: int, actor: str) -> None:
        super().__init__(plan_id, actor)
        self.year = self.plan.year + 1
        self.existing = inspections.next_year_plan(plan_id)  # only completed, then

    def title_text(self) -> str:
        return t("ui.plan_form.next_title", year=self.year)

    def fields(self) -> ComposeResult:
        yield Static(t("ui.plan_form.next_note", plan=self.plan.number, year=self.year),
                     classes="form-note")
        existing = self.existing
        if existing is not None:
            yield Static(t("ui.plan_form.next_exists", number=existing.number),
                         classes="form-note")
        with Horizontal(classes="form-row"):
            yield Field(t("ui.plans.number"),
                        TextInput(existing.number if existing else "", id="number",
                              disabled=existing is not None, validators=[Required()]),
                        hint=t("ui.plan_form.number_hint"))
            yield Field(t("ui.plan_form.issued_on"),
                        TextInput(formats.date(existing.issued_on) if existing else "", id="issued",
                              disabled=existing is not None,
                              validators=[DateText(required=False)]),
                        hint=t("ui.form.date_hint"))

    def save(self) -> tuple[int, bool]:
        """The plan's id, and whether it existed already (only completed now)."""
        row = inspections.start_next_year(
            self.plan_id, self.actor, self.value("number"),
            issued_on=parse_optional_date(self.value("issued"), "issued_on"))
        return row.id, self.existing is not None


class VisitOutcomeForm(Form):
    """What came of a visit: its status (only the moves the rules allow), the
    day held, the minutes, the conclusion notice, the general assessment, the
    unit's strengths ("Ưu điểm", for the notice) and its representatives at the
    visit (one a line, for the minutes). Saves only what changed. In the two
    boxes of several lines Enter starts a new line and Ctrl+S saves."""

    AUTO_FOCUS = "#status"
    DEFAULT_CSS = """
    VisitOutcomeForm TextArea { height: 4; margin-bottom: 1; }
    VisitOutcomeForm .area-label { margin-top: 0; }
    VisitOutcomeForm .area-label.-hint { color: $text-muted; }
    """

    def __init__(self, visit_id: int, actor: str, today: dt.date) -> None:
        super().__init__(actor)
        self.row = inspections.visit_row(visit_id, today)
        self.today = today

    def title_text(self) -> str:
        return t("ui.visit_form.title", unit=self.row.unit_name)

    def fields(self) -> ComposeResult:
        row = self.row
        statuses = [row.status] + [s for s in VISIT_STATUSES if s in VISIT_MOVES[row.status]]
        with Horizontal(classes="form-row"):
            yield Choice(t("column.status"), Select(labelled("visit_status", statuses),
                                                    value=row.status, allow_blank=False,
                                                    id="status"))
            yield Field(t("ui.visit.held_on"),
                        TextInput(formats.date(row.held_on), id="held",
                              validators=[DateText(required=False)]),
                        hint=t("ui.visit_form.date_hint"))
            yield Field(t("ui.visit_form.minutes_ref"), TextInput(row.minutes_ref, id="minutes"))
        with Horizontal(classes="form-row"):
            yield Field(t("ui.visit_form.notice_number"),
                        TextInput(row.notice_number, id="notice-number"),
                        hint=t("ui.visit_form.notice_hint"))
            yield Field(t("ui.visit_form.notice_date"),
                        TextInput(formats.date(row.notice_date), id="notice-date",
                              validators=[DateText(required=False)]),
                        hint=t("ui.visit_form.date_hint"))
        yield Field(t("ui.visit_form.assessment"), TextInput(row.assessment, id="assessment"))
        yield Label(f"{t('ui.visit_form.strengths')} ({t('ui.visit_form.textarea_hint')})",
                    classes="area-label")
        yield TextArea(row.strengths, id="strengths", soft_wrap=True, show_line_numbers=False)
        yield Label(t("ui.visit_form.representatives"), classes="area-label")
        yield TextArea(row.representatives, id="representatives", soft_wrap=True,
                       show_line_numbers=False)

    def _lines(self, area_id: str) -> str:
        """A box's text without trailing spaces or empty lines."""
        text = self.query_one(f"#{area_id}", TextArea).text
        return "\n".join(line.rstrip() for line in text.strip().splitlines() if line.strip())

    def question(self):
        if self.query_one("#status", Select).value == "cancelled" != self.row.status:
            return (t("ui.visit_form.cancel_question", unit=self.row.unit_name),
                    t("ui.visit_form.cancel_yes"), t("ui.visit_form.cancel_no"))
        return None

    def save(self) -> bool:
        row = self.row
        typed = {
            "status": self.query_one("#status", Select).value,
            "held_on": parse_optional_date(self.value("held"), "held_on"),
            "minutes_ref": self.value("minutes").strip(),
            "notice_number": self.value("notice-number").strip(),
            "notice_date": parse_optional_date(self.value("notice-date"), "notice_date"),
            "assessment": self.value("assessment").strip(),
            "strengths": self._lines("strengths"),
            "representatives": self._lines("representatives"),
        }
        current = {"status": row.status, "held_on": row.held_on, "minutes_ref": row.minutes_ref,
                   "notice_number": row.notice_number, "notice_date": row.notice_date,
                   "assessment": row.assessment, "strengths": row.strengths,
                   "representatives": row.representatives}
        changed = {k: v for k, v in typed.items() if v != current[k]}
        if changed:
            inspections.update_visit(row.id, self.actor, self.today, expected_version=row.version,
                                     **changed)
        return bool(changed)
