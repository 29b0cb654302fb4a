"""Search units, findings and tasks without caring about diacritics.

A match is the folded text inside the folded `search_text` (a LIKE). At a
million tasks a LIKE reads every row, so the rows that can match are first
looked up in an index of the text's three-letter pieces (migration 0008):
an FTS5 trigram table on SQLite, a pg_trgm GIN index on PostgreSQL (which
the LIKE uses by itself). The LIKE is still asked of every row the index
names, so the index only ever narrows, never decides, and the answers are
those of the plain LIKE.

Which way is faster depends on how many rows hold the text: a few (a name,
a rare word) are read through the index and sorted; many (a word of every
other task) are found at once by walking the rows in the order shown and
stopping at the limit, which reading all of them through the index would not.
The index tells which it is, counting up to SPARSE.
"""
import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from peewee import SQL, SqliteDatabase, fn

from inspect_tui.rules import limits
from inspect_tui.rules.text import fold, matches
from inspect_tui.store.models import Finding, Plan, Task, Unit, Visit, database

PIECES = 3  # the most three-letter pieces of a text looked up (measured: 3 beat 2, 4, 6 and 10 at 1M)
TRIGRAM = 3  # the shortest text a trigram index can look up; shorter ones are read by LIKE
SPARSE = 5_000  # fewer holders than this: read them through the index and sort them
LIST_SPARSE = 20_000  # the task list: fewer matches than this are gathered and sorted (see few_tasks_match)
WINDOW = 20_000  # the newest tasks a common text is first looked for among
INDEXED = {"task", "finding"}  # the tables migration 0008 indexes


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
    once), then findings, then tasks, so the first can be shown while the
    rest are looked for. Each query reads only the columns a hit shows."""
    if not str(text or "").strip():
        return
    text = limits.check_query(text, field)
    if not fold(text):  # only marks or spaces: it would match everything
        return
    query = (Unit.select(Unit.id, Unit.code, Unit.name).where(matches(Unit.search_text, text))
             .order_by(Unit.name).limit(limit))
    for unit_id, code, name in query.tuples():
        yield Hit("unit", unit_id, code, name)
    for finding_id, code, description, year in _findings(text, limit):
        yield Hit("finding", finding_id, code, description, year)
    for task_id, code, description in _tasks(text, limit):
        yield Hit("task", task_id, code, description)


# --- the index --------------------------------------------------------------------------

def _indexed(column) -> bool:
    """Whether migration 0008 indexed `column` (on either backend)."""
    return column.name == "search_text" and column.model._meta.table_name in INDEXED


def _trigram_table(column) -> str | None:
    """The FTS5 table indexing `column`, when the database is SQLite and has one."""
    if not _indexed(column) or not isinstance(database.obj, SqliteDatabase):
        return None
    return f"{column.model._meta.table_name}_search"


def _pieces(folded: str) -> str:
    """An FTS5 query for the rows holding every three-letter piece of `folded`
    (a superset of the rows holding `folded`: the LIKE then decides). At most
    PIECES of them, spread over the text (first, middle, last): each more
    costs a read of every row id it is in, and a few narrow enough."""
    pieces = list(dict.fromkeys(folded[i:i + TRIGRAM] for i in range(len(folded) - TRIGRAM + 1)))
    if len(pieces) > PIECES:
        pieces = [pieces[round(k * (len(pieces) - 1) / (PIECES - 1))] for k in range(PIECES)]
    return " AND ".join('"' + p.replace('"', '""') + '"' for p in pieces)


@lru_cache(maxsize=256)
def _counted(db_id: int, table: str, folded: str, cap: int) -> int:
    if isinstance(database.obj, SqliteDatabase):
        index = f"{table}_search"
        sql = f'SELECT count(*) FROM (SELECT rowid FROM "{index}" WHERE "{index}" MATCH ? LIMIT {int(cap)})'
        return database.execute_sql(sql, (_pieces(folded),)).fetchone()[0]
    # PostgreSQL: the planner's estimate from its trigram statistics (a count
    # through the GIN index reads every row it names: a fifth of a second at 100k tasks).
    model = {"task": Task, "finding": Finding}[table]
    sql, params = model.select(model.id).where(matches(model.search_text, folded)).sql()
    plan = database.execute_sql("EXPLAIN (FORMAT JSON) " + sql, params).fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return min(int(plan[0]["Plan"]["Plan Rows"]), cap)


def _holders(column, folded: str, cap: int) -> int:
    """How many rows the index of `column` names for `folded`, counting no
    further than `cap` (on PostgreSQL, how many its planner expects). Kept a
    while for the same text (each keystroke of the task list asks several
    times): it only chooses how to read, never what is found."""
    return _counted(id(database.obj), column.model._meta.table_name, folded, cap)


def sparse(column, text: str) -> bool:
    """Whether few rows (fewer than SPARSE) hold `text` in `column`, as its
    trigram index tells; False when it cannot tell (short text, no index)."""
    folded = fold(text)
    if not _indexed(column) or len(folded) < TRIGRAM:
        return False
    return _holders(column, folded, SPARSE) < SPARSE


def few_tasks_match(text: str) -> bool:
    """Whether the task list's text filter (the task's text, its finding's, its
    unit's name) lets few tasks through: the holders the indexes count, each
    finding and unit weighed by its average number of tasks, below LIST_SPARSE.
    False when it cannot tell (short text, not SQLite: PostgreSQL's planner
    weighs its trigram index by itself)."""
    folded = fold(text)
    if _trigram_table(Task.search_text) is None or len(folded) < TRIGRAM:
        return False
    tasks = _holders(Task.search_text, folded, LIST_SPARSE)
    if tasks >= LIST_SPARSE:
        return False
    # Ids as sizes: read from the primary keys at once, close enough for a weight.
    all_tasks = Task.select(fn.MAX(Task.id)).scalar() or 0
    findings = _holders(Finding.search_text, folded, LIST_SPARSE)
    per_finding = all_tasks / max(Finding.select(fn.MAX(Finding.id)).scalar() or 1, 1)
    if tasks + findings * per_finding >= LIST_SPARSE:
        return False
    units = Unit.select(Unit.id).where(matches(Unit.search_text, text)).limit(LIST_SPARSE).count()
    per_unit = all_tasks / max(Unit.select(fn.MAX(Unit.id)).scalar() or 1, 1)
    return tasks + findings * per_finding + units * per_unit < LIST_SPARSE


def holding(column, text: str):
    """SQL condition: the row is one the trigram index names as holding `text`
    and its folded `column` contains the folded `text` (the LIKE decides).
    On PostgreSQL the LIKE alone: its GIN index serves it."""
    index = _trigram_table(column)
    if index is None:
        return matches(column, text)
    ids = SQL(f'(SELECT rowid FROM "{index}" WHERE "{index}" MATCH ?)', [_pieces(fold(text))])
    return column.model.id.in_(ids) & matches(column, text)


def contains(column, text: str):
    """SQL condition: the folded `column` contains the folded `text`, looked
    up through the trigram index when few rows hold it (see the module doc);
    the same rows as rules.text.matches either way."""
    if _trigram_table(column) is None:
        return matches(column, text)
    return holding(column, text) if sparse(column, text) else matches(column, text)


# --- findings and tasks, in the order shown ---------------------------------------------

def _findings(text: str, limit: int) -> list[tuple]:
    """(id, visited unit's code, description, year) of the first `limit`
    findings holding `text`, newest plan year first, then by id."""
    query = (Finding.select(Finding.id, Unit.code, Finding.description, Plan.year)
             .join(Visit).join(Unit).switch(Visit).join(Plan))
    if sparse(Finding.search_text, text):
        return list(query.where(holding(Finding.search_text, text))
                    .order_by(Plan.year.desc(), Finding.id).limit(limit).tuples())
    # Many hold it (or it is too short to look up): a year at a time, newest
    # first, usually one year's findings fill the list.
    found = []
    years = Plan.select(Plan.year).distinct().order_by(Plan.year.desc()).tuples()
    for (year,) in list(years):
        found.extend(query.where(matches(Finding.search_text, text), Plan.year == year)
                     .order_by(fn.COALESCE(Finding.id, Finding.id)).limit(limit - len(found)).tuples())
        if len(found) >= limit:
            break
    return found


def _tasks(text: str, limit: int) -> list[tuple]:
    """(id, responsible unit's code, description) of the first `limit` tasks
    holding `text`, latest due date first, then by id."""
    code = Unit.select(Unit.code).where(Unit.id == Task.responsible_unit)
    query = Task.select(Task.id, code, Task.description)
    # Ordered by an expression of the due date when every match is read: a
    # sort of the matches, never a walk of the due-date index visiting rows at random.
    newest = (fn.COALESCE(Task.due_on, Task.due_on).desc(), Task.id)
    if sparse(Task.search_text, text):
        return list(query.where(holding(Task.search_text, text)).order_by(*newest).limit(limit).tuples())
    # Common (or too short to look up): among the WINDOW newest tasks the
    # first `limit` holders are the answer, if there are that many; walking
    # the due-date index there visits at most WINDOW rows.
    edge = Task.select(Task.due_on).order_by(Task.due_on.desc()).limit(1).offset(WINDOW - 1).scalar()
    walk = query.where(matches(Task.search_text, text)).order_by(Task.due_on.desc(), Task.id).limit(limit)
    if edge is None:  # fewer tasks than the window: the walk reads them all
        return list(walk.tuples())
    first = list(walk.where(Task.due_on >= edge).tuples())
    if len(first) >= limit:
        return first
    every = holding(Task.search_text, text) if len(fold(text)) >= TRIGRAM else matches(Task.search_text, text)
    return list(query.where(every).order_by(*newest).limit(limit).tuples())
