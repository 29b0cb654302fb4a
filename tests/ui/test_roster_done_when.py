"""Issue 13's "done when", on the seeded database: 103 communes and wards
imported from a workbook made with `inspect-tui units template` (generic
generated names, "Phường 01 (mẫu)": the real list is the city's decision), the
nine dissolved districts' open tasks previewed then passed to them from the
reassignment list (screen 2, `g`), the 2026 plan's new-visit unit picker
offering the new units, and the roster of 30/6/2025 still showing the districts."""
import datetime as dt
from io import StringIO

from openpyxl import load_workbook
from rich.console import Console

from inspect_tui import cli
from inspect_tui.rules import inspections, reorganisation, units
from inspect_tui.settings import Settings
from inspect_tui.store import db as store
from inspect_tui.store.models import Task
from inspect_tui.ui.screens.plan_forms import VisitAddForm
from inspect_tui.ui.screens.unit_forms import ReassignDialog
from inspect_tui.ui.screens.units import UnitsScreen

from ui_helpers import running, ACTOR, TODAY, screen_text, settle, type_text, press_and_settle, steps, Typed, opens

DISTRICTS = ("Q-NK", "Q-BT", "Q-CR", "Q-OM", "Q-TN", "H-PD", "H-CD", "H-TL", "H-VT")
WARDS, COMMUNES = 31, 72


def run(*argv):
    out, err = StringIO(), StringIO()
    code = cli.main([str(a) for a in argv], console=Console(file=out, width=220),
                    err=Console(file=err, width=220))
    return code, out.getvalue(), err.getvalue()


def ward(i: int) -> str:
    return f"Phường {i:02d} (mẫu)"


async def test_103_communes_and_wards_take_the_districts_tasks(tmp_path, seeded_sqlite, make,
                                                               monkeypatch):
    monkeypatch.setenv("INSPECT_TUI_HOME", str(tmp_path))
    path = tmp_path / "t.sqlite3"
    made = make.district_tasks(TODAY)
    store.close()

    # the workbook: `units template`, filled as a coordinator would
    book = tmp_path / "xa-phuong.xlsx"
    code, out, err = run("--db", path, "--today", "16/3/2026", "units", "template", "--out", book)
    assert code == 0, err
    wb = load_workbook(book)
    ws = wb["Danh sách đơn vị"]
    for i in range(1, WARDS + 1):
        ws.append([f"P-{i:02d}", ward(i), "commune", "UBND-TP", "01/7/2025"])
    for i in range(1, COMMUNES + 1):
        ws.append([f"X-{i:02d}", f"Xã {i:02d} (mẫu)", "commune", "UBND-TP", "01/7/2025"])
    wb.save(book)
    code, out, err = run("--db", path, "--today", "16/3/2026", "units", "import", book)
    assert code == 0 and "thêm 103" in out, (out, err)

    store.connect(str(path))
    assert len(units.roster(on=dt.date(2025, 7, 1), kind="commune")) == 103
    held = reorganisation.pending(TODAY)
    assert len(held) == 18 and {p.holder_code for p in held} == {"UBND-TP"}
    # district i -> ward i, previewed before anything moves
    target = {d: i for i, d in enumerate(DISTRICTS, start=1)}
    shown = reorganisation.reassign_preview({p.task_id: f"P-{target[p.from_code]:02d}" for p in held}, TODAY)
    assert {(m.task_id, m.from_code, m.to_code) for m in shown} == {
        (t, d, f"P-{target[d]:02d}") for d, ids in made.items() for t in ids}
    assert len(reorganisation.pending(TODAY)) == 18  # the preview wrote nothing

    settings = Settings(home=tmp_path, db=str(path), lang="vi", user=ACTOR, today_override=TODAY)
    async with running(settings, size=(120, 40)) as (app, pilot):
        await opens(pilot, UnitsScreen, "2")
        for _ in DISTRICTS:
            await opens(pilot, ReassignDialog, "g")
            first = app.screen.rows[0].from_code
            assert [r.from_code for r in app.screen.rows[:2]] == [first, first]
            # its two tasks, then the unit box; no diacritics; takes the suggestion
            await steps(pilot, "space", "space", "enter", Typed(f"phuong {target[first]:02d} mau"),
                        "enter")
            preview = str(app.screen.query_one("#reassign-preview").render())
            assert preview.startswith(f"Sẽ giao 2 nhiệm vụ cho Phường {target[first]:02d} (mẫu)")
            assert f"{first} → P-{target[first]:02d}" in preview  # seen before Ctrl+S
            assert {Task.get_by_id(t).responsible_unit.code for t in made[first]} != {
                f"P-{target[first]:02d}"}
            await press_and_settle(pilot, "ctrl+s")
            assert isinstance(app.screen, UnitsScreen), screen_text(app)
            assert {Task.get_by_id(t).responsible_unit.code for t in made[first]} == {
                f"P-{target[first]:02d}"}
        assert reorganisation.pending(TODAY) == []

        # the 2026 plan: its new-visit picker offers the new units
        plan_2026 = inspections.create_plan(2026, "12/KH-UBND", ACTOR, issued_on=dt.date(2026, 1, 20))
        app.push_screen(VisitAddForm(plan_2026.id, ACTOR))
        await settle(pilot)
        await type_text(pilot, "xa 50")
        await settle(pilot)
        assert "X-50" in screen_text(app), screen_text(app)
        await press_and_settle(pilot, "enter")
        await press_and_settle(pilot, "ctrl+s")
        assert not isinstance(app.screen, VisitAddForm), screen_text(app)
        assert [v.unit.code for v in inspections.get_plan(plan_2026.id).visits] == ["X-50"]

    day = dt.date(2026, 5, 4)
    assert units.search("phuong 07 mau", on=day)[0].code == "P-07"
    assert units.search("xa 72", on=day)[0].name == "Xã 72 (mẫu)"
    before = {r.code for r in units.roster(on=dt.date(2025, 6, 30))}
    assert set(DISTRICTS) <= before and not before & {f"P-{i:02d}" for i in range(1, 32)}
    links = units.links()
    assert [link.code for link in links["P-01"].predecessors] == ["Q-NK"]
    assert "UBND-TP" in [link.code for link in links["Q-NK"].successors]
