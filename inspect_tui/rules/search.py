"""Search units, findings and tasks without caring about diacritics."""
from dataclasses import dataclass

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
    if not str(text or "").strip():
        return []
    text = limits.check_query(text, field)
    if not fold(text):  # only marks or spaces: it would match everything
        return []
    hits = [Hit("unit", u.id, u.code, u.name) for u in
            Unit.select().where(matches(Unit.search_text, text)).order_by(Unit.name).limit(limit)]
    query = (Finding.select(Finding, Visit, Unit, Plan).join(Visit).join(Unit).switch(Visit).join(Plan)
             .where(matches(Finding.search_text, text)).order_by(Plan.year.desc(), Finding.id).limit(limit))
    hits += [Hit("finding", f.id, f.visit.unit.code, f.description, f.visit.plan.year) for f in query]
    query = (Task.select(Task, Unit).join(Unit).where(matches(Task.search_text, text))
             .order_by(Task.due_on.desc(), Task.id).limit(limit))
    hits += [Hit("task", t.id, t.responsible_unit.code, t.description) for t in query]
    return hits
