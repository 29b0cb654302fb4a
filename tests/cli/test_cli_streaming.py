"""`overdue` and `search` write their rows as they come (a record of a million
tasks): the text is what it was when the whole list was read first, a table
fits the terminal, and the order survives the pages the rows are read in."""
import csv
import datetime as dt
import io
import json

import pytest

from inspect_tui.locale import formats
from inspect_tui.rules import overdue, search
from inspect_tui.store import db as store

from cli_helpers import run
from overdue_list import overdue_list

TODAY = "23/11/2026"
TODAY_DATE = dt.date(2026, 11, 23)
KEYS = ("id", "unit_code", "unit_name", "area", "finding", "description", "due_on",
        "days_overdue", "status", "assignee", "visited_code", "year")


def plain(value):
    return value.isoformat() if isinstance(value, dt.date) else value


@pytest.mark.parametrize("options, flt", [
    ((), {}),
    (("--unit", "SNV"), {"unit": "SNV"}),
    (("--area", "procedures"), {"area": "procedures"}),
])
def test_overdue_csv_and_json_are_the_text_of_the_whole_list(demo_url, home, options, flt):
    expected = [{k: plain(getattr(r, k)) for k in KEYS}
                for r in overdue_list(demo_url, TODAY_DATE, **flt)]
    assert expected
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(KEYS)
    for row in expected:
        writer.writerow(["" if row[k] is None else row[k] for k in KEYS])
    got = run("--db", demo_url, "--today", TODAY, "overdue", *options, "--format", "csv")
    assert got.code == 0 and got.out == text.getvalue()
    got = run("--db", demo_url, "--today", TODAY, "overdue", *options, "--format", "json")
    assert got.out == json.dumps(expected, ensure_ascii=False, indent=2) + "\n"


def test_overdue_read_in_small_pages_keeps_every_task_once_in_order(demo_db):
    whole = [r["id"] for r in overdue.rows(TODAY_DATE, page=1000, page_max=1000)]
    assert len(whole) == 68
    for page, most in ((1, 1), (2, 2), (7, 7), (1, 64)):  # boundaries inside runs of one due date
        assert [r["id"] for r in overdue.rows(TODAY_DATE, page=page, page_max=most)] == whole
    due = [r["due_on"] for r in overdue.rows(TODAY_DATE)]
    assert due == sorted(due) and len(set(due)) < len(due)  # ties on the due date were crossed


def test_overdue_table_fits_the_terminal_and_shows_every_word(demo_url, home):
    rows = overdue_list(demo_url, TODAY_DATE)
    got = run("--db", demo_url, "--today", TODAY, "overdue", width=80)
    lines = got.out.rstrip("\n").split("\n")
    assert lines[0] == "Nhiệm vụ quá hạn tính đến 23/11/2026"
    assert lines[-1] == f"{len(rows)} dòng"
    assert max(len(line) for line in lines) <= 80
    oldest = rows[0]
    assert formats.number(oldest.days_overdue) in got.out and formats.date(oldest.due_on) in got.out
    words = " ".join(got.out.split())
    assert all(word in words for word in oldest.description.split())  # wrapped, never cut


def test_overdue_with_nothing_overdue_says_so_in_one_line(demo_url, home):
    got = run("--db", demo_url, "--today", "01/01/2021", "overdue", "--format", "csv")
    assert got.out == ",".join(KEYS) + "\n"
    assert run("--db", demo_url, "--today", "01/01/2021", "overdue", "--format", "json").out == "[]\n"


def test_search_json_is_the_rules_hits_in_order(demo_url, home):
    got = run("--db", demo_url, "--today", TODAY, "search", "ho so", "--format", "json")
    store.connect(demo_url)
    try:
        hits = search.search("hồ sơ")
    finally:
        store.close()
    assert {h.kind for h in hits} >= {"finding", "task"}
    assert json.loads(got.out) == [{"kind": h.kind, "id": h.id, "code": h.code, "text": h.text, "year": h.year}
                                   for h in hits]
    table = run("--db", demo_url, "--today", TODAY, "search", "ho so", width=100).out
    assert table.splitlines()[0] == 'Kết quả tìm kiếm "ho so"'
    assert max(map(len, table.splitlines())) <= 100
