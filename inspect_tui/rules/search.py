"""Search units, findings and tasks without caring about diacritics."""
from collections.abc import Iterator
from dataclasses import dataclass

from peewee import fn

from inspect_tui.rules import limits
from inspect_tui.rules.text import fold, matches
from inspect_tui.store.models import Finding, Plan, Task, Unit, Visit


@dataclass(frozen=True)
class Hit:
    kind: str  # unit, finding, task
    id: int
    code: str  # unit code, or the visited / responsible unit's code
    text: str
    year: int | None = None


def search(text: str, limit: int = 50, field: str = "text") -> list[Hit]:
    """Up to `limit` hits of each kind; nothing for a blank text (typing has
    just begun); a text over limits.QUERY_MAX is refused."""
    return list(hits(text, limit, field))


def hits(text: str, limit: int = 50, field: str = "text") -> Iterator[Hit]:
    """`search`'s hits as each kind's query answers: units (the roster, at
    once), then findings, then tasks (a million, scanned), so the first can
    be shown while the rest are looked for. Each query reads only the
    columns a hit shows."""
    if not str(text or "").strip():
        return
    text = limits.check_query(text, field)
    if not fold(text):  # only marks or spaces: it would match everything
        return
    query = (Unit.select(Unit.id, Unit.code, Unit.name).where(matches(Unit.search_text, text))
             .order_by(Unit.name).limit(limit))
    for unit_id, code, name in query.tuples():
        yield Hit("unit", unit_id, code, name)
    query = (Finding.select(Finding.id, Unit.code, Finding.description, Plan.year)
             .join(Visit).join(Unit).switch(Visit).join(Plan)
             .where(matches(Finding.search_text, text)).order_by(Plan.year.desc(), Finding.id).limit(limit))
    for finding_id, code, description, year in query.tuples():
        yield Hit("finding", finding_id, code, description, year)
    # Ordered by an expression of the due date, not the column: walking the due-date index
    # visits each task's row at random (19 s at a million tasks when few match, on a busy
    # machine); one pass over the table, then sorting the matches, takes 1.6-2.9 s however many.
    newest = fn.COALESCE(Task.due_on, Task.due_on)
    query = (Task.select(Task.id, Unit.code, Task.description).join(Unit)
             .where(matches(Task.search_text, text)).order_by(newest.desc(), Task.id).limit(limit))
    for task_id, code, description in query.tuples():
        yield Hit("task", task_id, code, description)
