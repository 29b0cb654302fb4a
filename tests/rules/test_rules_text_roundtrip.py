"""Free text, and the dates and numbers beside it, through every rule that saves it.

Whatever people type or paste (control characters, NUL, 100.000 characters,
emoji, right-to-left text, combining marks, lone surrogates), each value is
either stored and read back EXACTLY through the rules' own read functions (or,
where the rule strips surrounding whitespace, as value.strip()), or refused
with a DomainError that leaves nothing written: never another exception, on
SQLite and PostgreSQL alike. The limits in rules/limits.py decide: text within
its field's limit made of ordinary characters is accepted; text over the limit,
with a NUL or a lone surrogate, or blank where the field is required, is refused.

Each test runs on one database per backend (hypothesis reuses the function's
fixtures), so every example writes its own records (unique codes per example).
"""
import datetime as dt
import itertools
import unicodedata
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from peewee import CharField

from inspect_tui.rules import findings, indicators, inspections, tasks, units, workplan
from inspect_tui.rules.errors import DomainError
from inspect_tui.rules.limits import LONG_TEXT_MAX, YEAR_MAX, YEAR_MIN
from inspect_tui.store.models import (ChangeLog, Finding, Indicator, Observation, Plan,
                                      ProgressNote, Task, TeamMember, Unit, Visit, WorkItemNote)

TODAY = dt.date(2025, 10, 1)
ACTOR = "tester"

# No shrinking: a failing example of 100.000 characters shrinks for minutes on PostgreSQL.
# The example printed is the one generated; the refusal or assertion names the field.
FAST = settings(max_examples=25, deadline=None,
                phases=[Phase.explicit, Phase.reuse, Phase.generate],
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large, HealthCheck.large_base_example])


# --- what people type -----------------------------------------------------------------

SAMPLES = [
    "Cần Thơ", "Sở Nội vụ", "Đ", "ư̛", "Ninh Kiều",  # Vietnamese (the 4th: ư and a horn again)
    "Ca\u0300\u0302n Tho\u031b", "e\u0301", "\u0301", "a\u0300\u0323\u0301",  # combining marks
    "😀", "👍🏽", "👨‍👩‍👧", "🇻🇳", "\U0010ffff", "\uffff", "\ufeff",  # emoji, edges of Unicode
    "שלום", "مرحبا", "\u202etxt.exe", "\u200f", "\u2066x\u2069",  # right-to-left, bidi controls
    "\x00", "\x1b[31m", "\x07", "\x7f", "\x85", "\x9b", "\r\n", "\n", "\t", "\v", "\x0c",
    "\u2028", "\u2029", "\u3000", "\xa0", "\u200b", " ",  # line breaks and spaces of all kinds
    "\ud800", "\udfff", "a\udc80b",  # lone surrogates
    "ß", "ﬃ", "İ", "한국어", "漢字", "Ω", "%", "_", "\\", "'", '"', "'; DROP TABLE task; --",
    "[red]x[/red]", "{field}", "%s", "NULL", "None",
]
# the limits of the fields under test, and one past them
LENGTHS = [64, 65, 120, 121, 200, 201, 255, 256, 500, 501, LONG_TEXT_MAX, LONG_TEXT_MAX + 1, 100_000]

pieces = st.one_of(
    st.sampled_from(SAMPLES),
    st.text(max_size=6),  # hypothesis's own choice of all Unicode but surrogates
    st.characters(max_codepoint=0x9F).map(str),  # C0 and C1 controls, NUL, DEL
    st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF).map(str),  # lone surrogates
)


def repeated(unit: str, length: int) -> str:
    return (unit * length)[:length]


def padded(before: str, core: str, after: str) -> str:
    return before + core + after


long_texts = st.builds(repeated,
                       st.sampled_from(["a", "ư", "😀", "e\u0301", "Cần Thơ ", "\x00", " ",
                                        "한", "ß", "ﬃ"]),  # these three grow when folded for search
                       st.sampled_from(LENGTHS))
padding = st.sampled_from(["", "", " ", "  ", "\t", "\n", "\u3000", "\xa0", " \r\n "])
texts = st.builds(padded, padding,
                  st.one_of(st.text(), st.lists(pieces, max_size=12).map("".join), long_texts),
                  padding)
dates = st.one_of(st.dates(), st.dates(dt.date(YEAR_MIN - 1, 12, 25), dt.date(YEAR_MAX + 1, 1, 5)))


# --- what each field promises -------------------------------------------------------------

ORDINARY = ("L", "M", "N", "P", "S", "Zs")  # letters, marks, numbers, punctuation, symbols, spaces


@dataclass(frozen=True)
class Field:
    """A text field as a rule writes it."""
    model: type
    column: str
    strip: bool = False  # the rule stores value.strip()
    required: bool = False  # blank (after stripping) is refused

    @property
    def limit(self) -> int:
        field = self.model._meta.fields[self.column]
        return field.max_length if isinstance(field, CharField) else LONG_TEXT_MAX

    def stored(self, value: str) -> str:
        return value.strip() if self.strip else value

    def must_refuse(self, value: str) -> bool:
        kept = self.stored(value)
        return ((self.required and not kept.strip()) or len(kept) > self.limit or "\x00" in kept
                or any(0xD800 <= ord(c) <= 0xDFFF for c in kept))

    def must_accept(self, value: str) -> bool:
        kept = self.stored(value)
        return (not self.must_refuse(value)
                and all(unicodedata.category(c).startswith(ORDINARY) for c in kept))


def usual_day(day) -> bool:
    return day is None or YEAR_MIN <= day.year <= YEAR_MAX


def stored_or_refused(write, read, values: dict[Field, str], expected, accept_also=True,
                      refuse_also=False):
    """Run `write`; either it is refused with a DomainError and the change log is as it
    was, or `read(result)` equals `expected`. Ordinary values within their limits must be
    accepted; values over a limit, with NUL or a lone surrogate, or blank where required
    must be refused."""
    log = ChangeLog.select().count()
    must_refuse = refuse_also or any(f.must_refuse(v) for f, v in values.items())
    must_accept = accept_also and not must_refuse and all(f.must_accept(v) for f, v in values.items())
    try:
        result = write()
    except DomainError as exc:
        assert not must_accept, f"ordinary input refused: {exc.key} {exc.values}"
        assert ChangeLog.select().count() == log, "a refused write left rows in the change log"
        exc.message("vi"), exc.message("en")  # the refusal reads in both languages
        return None
    assert not must_refuse, "stored what the limits refuse"
    assert read(result) == expected
    return result


counter = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix}{next(counter)}"


@pytest.fixture
def base(seeded, make):
    """A plan with a held visit to Sở Nội vụ, a finding and a task (made once per test)."""
    plan_id = make.plan(2025, "30/KH-UBND")
    held = dt.date(2025, 4, 6)
    visit_id = make.visit(plan_id, "SNV", scheduled_on=held, held_on=held,
                          notice_date=dt.date(2025, 4, 20))
    finding_id = make.finding(visit_id)
    task_id = make.task(finding_id, dt.date(2025, 12, 31), TODAY)
    return SimpleNamespace(plan=plan_id, visit=visit_id, finding=finding_id, task=task_id)


# --- tasks ------------------------------------------------------------------------------------

TASK_DESCRIPTION = Field(Task, "description", strip=True, required=True)
TASK_ASSIGNEE = Field(Task, "assignee", strip=True)


@given(description=texts, assignee=texts, due_on=dates)
@example(description="a" * LONG_TEXT_MAX, assignee="Trần Thị Mai", due_on=dt.date(2025, 12, 31))
@example(description="ß" * LONG_TEXT_MAX, assignee="", due_on=dt.date(2025, 12, 31))
@example(description=" Việc ", assignee="a\x00", due_on=dt.date(2025, 12, 31))
@FAST
def test_add_task_text_and_due_date(base, description, assignee, due_on):
    def read(task_id):
        row = tasks.row(task_id, TODAY)
        return row.description, row.assignee, row.due_on

    stored_or_refused(
        lambda: findings.add_task(base.finding, description, due_on, ACTOR, TODAY, assignee=assignee),
        read, {TASK_DESCRIPTION: description, TASK_ASSIGNEE: assignee},
        (description.strip(), assignee.strip(), due_on), accept_also=usual_day(due_on))


# tasks.update stores what it is given (no stripping)
UPDATE_DESCRIPTION = Field(Task, "description", required=True)
UPDATE_ASSIGNEE = Field(Task, "assignee")
UPDATE_EVIDENCE = Field(Task, "evidence_ref")


@given(description=texts, assignee=texts, evidence=texts, due_on=dates,
       completed_on=st.one_of(st.none(), dates))
@example(description="a" * LONG_TEXT_MAX, assignee="한" * 200, evidence="c" * 120, due_on=dt.date(2025, 12, 31), completed_on=None)
@FAST
def test_update_task_text_and_dates(base, description, assignee, evidence, due_on, completed_on):
    def read(_):
        row = tasks.row(base.task, TODAY)
        return row.description, row.assignee, row.evidence_ref, row.due_on, row.completed_on

    stored_or_refused(
        lambda: tasks.update(base.task, ACTOR, TODAY, description=description, assignee=assignee,
                             evidence_ref=evidence, due_on=due_on, completed_on=completed_on),
        read, {UPDATE_DESCRIPTION: description, UPDATE_ASSIGNEE: assignee, UPDATE_EVIDENCE: evidence},
        (description, assignee, evidence, due_on, completed_on),
        accept_also=usual_day(due_on) and usual_day(completed_on),
        refuse_also=completed_on is not None and completed_on > TODAY)


NOTE_TEXT = Field(ProgressNote, "text", strip=True, required=True)


@given(text=texts, noted_on=dates)
@FAST
def test_progress_note_text(base, text, noted_on):
    def read(note):
        [found] = [n for n in tasks.notes(base.task) if n.id == note.id]
        return found.text, found.noted_on, found.author

    stored_or_refused(lambda: tasks.add_note(base.task, text, ACTOR, noted_on), read,
                      {NOTE_TEXT: text}, (text.strip(), noted_on, ACTOR),
                      accept_also=usual_day(noted_on))


# --- findings ----------------------------------------------------------------------------------

FINDING_DESCRIPTION = Field(Finding, "description", strip=True, required=True)
FINDING_RECOMMENDATION = Field(Finding, "recommendation", strip=True)
# findings.update stores what it is given
FINDING_NEW_DESCRIPTION = Field(Finding, "description", required=True)
FINDING_NEW_RECOMMENDATION = Field(Finding, "recommendation")


def finding_text(finding_id, visit_id):
    [row] = [f for f in findings.of_visit(visit_id) if f.id == finding_id]
    return row.description, row.recommendation


@given(description=texts, recommendation=texts, new_description=texts, new_recommendation=texts)
@example(description="a" * LONG_TEXT_MAX, recommendation="b" * LONG_TEXT_MAX, new_description="한" * LONG_TEXT_MAX, new_recommendation="ﬃ" * LONG_TEXT_MAX)
@FAST
def test_finding_text_added_then_changed(base, description, recommendation, new_description,
                                         new_recommendation):
    added = stored_or_refused(
        lambda: findings.add(base.visit, "procedures", description, ACTOR,
                             recommendation=recommendation),
        lambda row: finding_text(row.id, base.visit),
        {FINDING_DESCRIPTION: description, FINDING_RECOMMENDATION: recommendation},
        (description.strip(), recommendation.strip()))
    if added is None:
        return
    stored_or_refused(
        lambda: findings.update(added.id, ACTOR, description=new_description,
                                recommendation=new_recommendation),
        lambda row: finding_text(added.id, base.visit),
        {FINDING_NEW_DESCRIPTION: new_description, FINDING_NEW_RECOMMENDATION: new_recommendation},
        (new_description, new_recommendation))


# --- units -----------------------------------------------------------------------------------------

UNIT_NAME = Field(Unit, "name", strip=True, required=True)
UNIT_NOTE = Field(Unit, "note")  # units.create and units.update store the note as given
UNIT_NEW_NAME = Field(Unit, "name", required=True)  # units.update stores the name as given


def unit_text(code):
    row = units.row(units.get(code))
    return row.name, row.note


@given(name=texts, note=texts, new_name=texts, new_note=texts)
@example(name="한" * 255, note="", new_name="Sở Nội vụ", new_note="")
@example(name="Sở Nội vụ", note="", new_name="ﬃ" * 255, new_note="x" * LONG_TEXT_MAX)
@FAST
def test_unit_name_and_note_created_then_changed(seeded, name, note, new_name, new_note):
    code = unique("HY")
    created = stored_or_refused(lambda: units.create(code, name, "other", ACTOR, note=note),
                                lambda row: unit_text(code),
                                {UNIT_NAME: name, UNIT_NOTE: note}, (name.strip(), note))
    if created is None:
        return
    stored_or_refused(lambda: units.update(code, ACTOR, name=new_name, note=new_note),
                      lambda row: unit_text(code),
                      {UNIT_NEW_NAME: new_name, UNIT_NOTE: new_note}, (new_name, new_note))


# --- plans, teams, visits ----------------------------------------------------------------------

PLAN_NUMBER = Field(Plan, "number", strip=True, required=True)
PLAN_TITLE = Field(Plan, "title", strip=True)
years = st.one_of(st.integers(YEAR_MIN - 2, YEAR_MAX + 2), st.integers(-(2**70), 2**70))


@given(year=years, number=texts, title=texts, issued_on=st.one_of(st.none(), dates))
@example(year=YEAR_MAX, number="6" * 64, title="한" * 500, issued_on=dt.date(2100, 12, 31))
@FAST
def test_plan_number_title_year_and_date(seeded, year, number, title, issued_on):
    def read(plan):
        [row] = [p for p in inspections.plans(year=year) if p.id == plan.id]
        return row.year, row.number, row.title, row.issued_on

    stored_or_refused(
        lambda: inspections.create_plan(year, number, ACTOR, issued_on=issued_on, title=title),
        read, {PLAN_NUMBER: number, PLAN_TITLE: title},
        (year, number.strip(), title.strip(), issued_on),
        accept_also=usual_day(issued_on), refuse_also=not YEAR_MIN <= year <= YEAR_MAX)


MEMBER_NAME = Field(TeamMember, "name", strip=True, required=True)
MEMBER_TITLE = Field(TeamMember, "title", strip=True)
MEMBER_ORGANISATION = Field(TeamMember, "organisation", strip=True)


@given(name=texts, title=texts, organisation=texts)
@example(name="한" * 200, title="t" * 200, organisation="o" * 255)
@FAST
def test_team_member_name(base, name, title, organisation):
    def read(member):
        [row] = [m for m in inspections.team(base.plan) if m.id == member.id]
        return row.name, row.title, row.organisation

    stored_or_refused(
        lambda: inspections.add_member(base.plan, name, "member", ACTOR, title=title,
                                       organisation=organisation),
        read, {MEMBER_NAME: name, MEMBER_TITLE: title, MEMBER_ORGANISATION: organisation},
        (name.strip(), title.strip(), organisation.strip()))


# inspections.update_visit stores what it is given
VISIT_MINUTES = Field(Visit, "minutes_ref")
VISIT_ASSESSMENT = Field(Visit, "assessment")
VISIT_NOTICE = Field(Visit, "notice_number")


@given(minutes=texts, assessment=texts, notice=texts)
@example(minutes="m" * 120, assessment="a" * LONG_TEXT_MAX, notice="n" * 64)
@FAST
def test_visit_minutes_and_assessment(base, minutes, assessment, notice):
    def read(_):
        row = inspections.visit_row(base.visit, TODAY)
        return row.minutes_ref, row.assessment, row.notice_number

    stored_or_refused(
        lambda: inspections.update_visit(base.visit, ACTOR, minutes_ref=minutes,
                                         assessment=assessment, notice_number=notice),
        read, {VISIT_MINUTES: minutes, VISIT_ASSESSMENT: assessment, VISIT_NOTICE: notice},
        (minutes, assessment, notice))


# --- the work plan and the indicators ---------------------------------------------------------

WORK_NOTE = Field(WorkItemNote, "text", strip=True, required=True)


@given(text=texts, noted_on=dates)
@FAST
def test_work_item_note(seeded, text, noted_on):
    before = Counter(workplan.notes("GP1"))

    def read(_):
        added = Counter(workplan.notes("GP1")) - before
        [(note, n)] = added.items()
        assert n == 1
        return note.text, note.noted_on, note.author

    stored_or_refused(lambda: workplan.add_note("GP1", text, ACTOR, noted_on), read,
                      {WORK_NOTE: text}, (text.strip(), noted_on, ACTOR),
                      accept_also=usual_day(noted_on))


OBSERVATION_SOURCE = Field(Observation, "source", strip=True, required=True)
OBSERVATION_NOTE = Field(Observation, "note")  # stored as given

plain_numbers = st.one_of(
    st.integers(-(10**15), 10**15),
    st.decimals(min_value=-(10**15), max_value=10**15, places=2),
    st.decimals(min_value=-(10**12), max_value=10**12, places=4),
)
numbers = st.one_of(
    plain_numbers,
    plain_numbers.map(lambda d: str(d).replace(".", ",")),  # typed the Vietnamese way
    st.decimals(allow_nan=True, allow_infinity=True),  # NaN, Infinity, 1E+400, 0.000...1
    st.integers(),
    st.floats(),
    st.sampled_from(["NaN", "-Infinity", "1e999", "0.00001", "12345678901234567890.5", "", " ",
                     "7O", "1_000"]),
)


def typed_value(value) -> Decimal | None:
    """The number the rule reads from `value` (None: not a number at all)."""
    try:
        return Decimal(str(value).replace(",", "."))
    except ArithmeticError:
        return None


def plain(value) -> bool:
    """A number as people write one: at most 16 digits, 4 of them after the point."""
    number = typed_value(value)
    if number is None or not number.is_finite():
        return False
    sign, digits, exponent = number.as_tuple()
    return exponent >= -4 and len(digits) <= 16 and abs(number) < 10**12


@given(value=numbers, source=texts, note=texts)
@example(value="69,79", source="\ud800", note="")
@example(value="70.1", source="a\x00b", note="")
@example(value="Infinity", source="BC", note="")
@example(value="NaN", source="BC", note="")
@example(value="0.12345", source="BC", note="")
@example(value="123456789012345.6789", source="BC", note="")
@FAST
def test_observation_value_source_and_note(seeded, value, source, note):
    """The value is stored exactly (never rounded, never NaN or infinite) or refused."""
    code = unique("HY")
    indicators.create(code, "Chỉ tiêu thử", "percent", ACTOR)

    def read(_):
        [row] = indicators.indicator(code).observations
        return row.value, row.source, row.note

    number = typed_value(value)
    stored_or_refused(
        lambda: indicators.observe(code, "2025", value, source, ACTOR, note=note), read,
        {OBSERVATION_SOURCE: source, OBSERVATION_NOTE: note}, (number, source.strip(), note),
        accept_also=plain(value), refuse_also=number is None or not number.is_finite())
    if not Observation.select().join(Indicator).where(Indicator.code == code).exists():
        return
    assert read(None)[0].is_finite()
