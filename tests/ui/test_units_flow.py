"""The roster kept from the keyboard (screen 2): add, edit and end a unit, a
reorganisation through the wizard and its preview (then undone with Ctrl+Z),
and the tasks pending reassignment passed on to a ward; screen and database."""
import datetime as dt

from inspect_tui.rules import findings, reorganisation
from inspect_tui.store.models import Succession, Task, Unit
from inspect_tui.ui.app import InspectApp
from inspect_tui.ui.screens.unit_forms import (EndForm, ReassignDialog, ReorganiseForm,
                                               ReorganisePreview, UnitForm)
from inspect_tui.ui.screens.units import UnitsScreen

from ui_helpers import screen_text, settle, type_text

SIZE = (120, 40)


async def press(pilot, *keys) -> None:
    await pilot.press(*keys)
    await settle(pilot)


def roster_text(app) -> str:
    from textual.widgets import Tree
    tree = app.screen.query_one("#roster", Tree)
    lines = []

    def walk(node):
        lines.append(str(node.label))
        for child in node.children:
            walk(child)
    walk(tree.root)
    return "\n".join(lines)


def notes(app) -> str:
    return "\n".join(n.message for n in app._notifications)


def task_at(unit_code: str, visit_id: int, text: str) -> int:
    finding = findings.add(visit_id, "leadership", f"Tồn tại {text}", "setup")
    return findings.add_task(finding.id, f"Khắc phục {text}", dt.date(2026, 6, 30), "setup",
                             dt.date(2026, 3, 16), responsible=unit_code)


async def test_add_edit_and_end_a_unit(fresh_db):
    settings, visit_id = fresh_db
    app = InspectApp(settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "2")
        assert isinstance(app.screen, UnitsScreen)

        await press(pilot, "a")
        assert isinstance(app.screen, UnitForm)
        await type_text(pilot, "STP")  # taken: said as it is typed
        await settle(pilot)
        assert "STP" in screen_text(app) and isinstance(app.screen, UnitForm)
        await press(pilot, *["backspace"] * 3)
        await type_text(pilot, "P-ANKHANH")
        await pilot.press("tab", "tab")
        await type_text(pilot, "Phường An Khánh")
        await pilot.press("tab")
        await type_text(pilot, "UBND-TP")
        await press(pilot, "tab")
        await type_text(pilot, "01/07/2025")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, UnitsScreen), screen_text(app)
        unit = Unit.get(Unit.code == "P-ANKHANH")
        assert (unit.name, unit.kind, unit.parent.code, unit.started_on) == (
            "Phường An Khánh", "commune", "UBND-TP", dt.date(2025, 7, 1))
        assert "(Ctrl+Z: hoàn tác)" in notes(app)
        assert "Phường An Khánh P-ANKHANH" in roster_text(app)

        # e on the unit just added (the cursor is on it): a new name
        await press(pilot, "e")
        assert isinstance(app.screen, UnitForm), (notes(app), app.focused)
        app.screen.query_one("#name").focus()
        await press(pilot, "end", "space")
        await type_text(pilot, "(mới)")
        await press(pilot, "enter")
        assert isinstance(app.screen, UnitsScreen), screen_text(app)
        assert Unit.get(Unit.code == "P-ANKHANH").name == "Phường An Khánh (mới)"

        # x on Sở Tư pháp: refused while it holds tasks, then passed to Sở Nội vụ
        task_id = task_at("STP", visit_id, "một")
        app.screen.focus_code = "STP"
        app.screen.reload()
        await settle(pilot)
        await press(pilot, "x")
        assert isinstance(app.screen, EndForm)
        assert "Nhiệm vụ chưa xong: 1" in screen_text(app)
        await press(pilot, "ctrl+a", "ctrl+k")
        await type_text(pilot, "01/04/2026")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, EndForm)  # refused: the task needs a successor
        assert Unit.get(Unit.code == "STP").ended_on is None
        await pilot.press("tab")
        await type_text(pilot, "so noi vu")
        await press(pilot, "enter")  # takes the suggestion
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, UnitsScreen), screen_text(app)
        assert Unit.get(Unit.code == "STP").ended_on == dt.date(2026, 4, 1)
        assert Task.get_by_id(task_id).responsible_unit.code == "SNV"


async def test_merge_through_the_wizard_then_undo(fresh_db):
    settings, visit_id = fresh_db
    one = task_at("STP", visit_id, "một")
    two = task_at("SNV", visit_id, "hai")
    app = InspectApp(settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "2", "r")
        assert isinstance(app.screen, ReorganiseForm)
        await pilot.press("tab")  # kind: merge (the default)
        await type_text(pilot, "01/04/2026")
        await pilot.press("tab")
        await type_text(pilot, "STP")
        await press(pilot, "enter")
        await type_text(pilot, "SNV")
        await press(pilot, "enter")
        await pilot.press("tab", "tab")  # successor picker -> new code
        await type_text(pilot, "SNV-TP")
        await pilot.press("tab")
        await type_text(pilot, "Sở Nội vụ và Tư pháp")
        await press(pilot, "enter")
        assert "SNV-TP" in screen_text(app), screen_text(app)
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ReorganisePreview), (notes(app), app.screen_stack)
        text = screen_text(app)
        assert f"{one} | Khắc phục một | STP | SNV-TP" in text
        assert f"{two} | Khắc phục hai | SNV | SNV-TP" in text
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, UnitsScreen), screen_text(app)
        assert "(Ctrl+Z: hoàn tác)" in notes(app)
        assert Unit.get(Unit.code == "STP").ended_on == dt.date(2026, 4, 1)
        assert Task.get_by_id(one).responsible_unit.code == "SNV-TP"
        assert "Sở Tư pháp STP" in roster_text(app)  # today is before the merge

        await press(pilot, "ctrl+z")
        assert Unit.get_or_none(Unit.code == "SNV-TP") is None
        assert Unit.get(Unit.code == "STP").ended_on is None
        assert Task.get_by_id(one).responsible_unit.code == "STP"
        assert Task.get_by_id(two).responsible_unit.code == "SNV"


async def test_split_assigns_tasks_one_by_one_in_the_preview(fresh_db):
    settings, visit_id = fresh_db
    one = task_at("STP", visit_id, "một")
    two = task_at("STP", visit_id, "hai")
    app = InspectApp(settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "2", "r")
        await press(pilot, "enter", "down", "down", "enter")  # kind: split
        await pilot.press("tab")
        await type_text(pilot, "01/04/2026")
        await pilot.press("tab")
        await type_text(pilot, "STP")
        await press(pilot, "enter")
        await type_text(pilot, "SNV")  # an existing successor ...
        await pilot.press("tab")
        await press(pilot, "enter")
        await type_text(pilot, "SNV")
        await press(pilot, "enter")
        await pilot.press("tab")
        await type_text(pilot, "STP-2")  # ... and a new one
        await pilot.press("tab")
        await type_text(pilot, "Sở Tư pháp mới")
        await press(pilot, "enter")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ReorganisePreview), screen_text(app)
        assert "chưa giao" in screen_text(app)
        await press(pilot, "enter", "enter")  # first task -> first successor (SNV)
        await press(pilot, "down", "enter", "down", "enter")  # second -> STP-2
        assert "chưa giao" not in screen_text(app)
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, UnitsScreen), screen_text(app)
        assert Task.get_by_id(one).responsible_unit.code == "SNV"
        assert Task.get_by_id(two).responsible_unit.code == "STP-2"


async def test_pending_tasks_passed_to_a_ward_at_80x24(fresh_db):
    settings, visit_id = fresh_db
    one = task_at("STP", visit_id, "một")
    two = task_at("STP", visit_id, "hai")
    reorganisation.apply(reorganisation.Plan(
        "dissolve", ("STP",), dt.date(2026, 3, 1),
        assignment=reorganisation.Assignment(holder="UBND-TP")), "setup")
    from inspect_tui.rules import units
    units.create("P-NINHKIEU", "Phường Ninh Kiều", "commune", "setup", parent="UBND-TP",
                 started_on=dt.date(2025, 7, 1))
    app = InspectApp(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "2", "g")
        assert isinstance(app.screen, ReassignDialog)
        assert "Khắc phục một" in screen_text(app)
        await press(pilot, "space", "space")  # both marked
        await press(pilot, "enter")  # to the unit box
        await type_text(pilot, "phuong ninh kieu")
        await press(pilot, "enter")  # takes the suggestion
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, UnitsScreen), screen_text(app)
        assert {Task.get_by_id(i).responsible_unit.code for i in (one, two)} == {"P-NINHKIEU"}
        assert "(Ctrl+Z: hoàn tác)" in notes(app)
        assert reorganisation.pending(dt.date(2026, 3, 16)) == []


async def test_rename_through_the_wizard(fresh_db):
    settings, visit_id = fresh_db
    one = task_at("STP", visit_id, "một")
    app = InspectApp(settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "2", "r")
        assert isinstance(app.screen, ReorganiseForm)
        await press(pilot, "enter", "down", "enter")  # kind: rename
        assert app.screen.query_one("#kind").value == "rename"
        await pilot.press("tab")
        await type_text(pilot, "01/04/2026")
        await pilot.press("tab")
        await type_text(pilot, "so tu phap")  # by name, diacritics optional
        await press(pilot, "enter")
        assert app.screen.sources == ["STP"], screen_text(app)
        await pilot.press("tab", "tab")  # successor picker -> new code
        await type_text(pilot, "STP-MOI")
        await pilot.press("tab")
        await type_text(pilot, "Sở Tư pháp (tên mới)")
        await press(pilot, "enter")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ReorganisePreview), (notes(app), screen_text(app))
        assert f"{one} | Khắc phục một | STP | STP-MOI" in screen_text(app)
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, UnitsScreen), screen_text(app)
        assert "(Ctrl+Z: hoàn tác)" in notes(app)
        old, new = Unit.get(Unit.code == "STP"), Unit.get(Unit.code == "STP-MOI")
        assert old.ended_on == dt.date(2026, 4, 1)
        assert (new.name, new.started_on) == ("Sở Tư pháp (tên mới)", dt.date(2026, 4, 1))
        links = [(s.predecessor.code, s.successor.code, s.kind, s.takes_open_tasks)
                 for s in Succession.select()]
        assert ("STP", "STP-MOI", "rename", True) in links
        assert Task.get_by_id(one).responsible_unit.code == "STP-MOI"
        # the roster on a day after the change shows the new name only
        from inspect_tui.rules import units
        after = {r.code for r in units.roster(on=dt.date(2026, 4, 1))}
        assert "STP-MOI" in after and "STP" not in after
        assert "STP" in {r.code for r in units.roster(on=dt.date(2026, 3, 31))}


async def test_dissolve_into_a_holder_at_80x24(fresh_db):
    settings, visit_id = fresh_db
    one = task_at("STP", visit_id, "một")
    two = task_at("STP", visit_id, "hai")
    app = InspectApp(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "2", "r")
        assert isinstance(app.screen, ReorganiseForm)
        await press(pilot, "enter", "down", "down", "down", "enter")  # kind: dissolve
        assert app.screen.query_one("#kind").value == "dissolve"
        await pilot.press("tab")
        await type_text(pilot, "01/04/2026")
        await pilot.press("tab")
        await type_text(pilot, "STP")
        await press(pilot, "enter")
        # no successor: successor, new code, new name, new kind, "all to" -> holder
        await pilot.press("tab", "tab", "tab", "tab", "tab", "tab")
        assert app.focused.id == "holder", app.focused
        await type_text(pilot, "UBND-TP")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ReorganisePreview), (notes(app), screen_text(app))
        text = screen_text(app)
        assert f"{one} | Khắc phục một | STP | UBND-TP" in text, text
        assert f"{two} | Khắc phục hai | STP | UBND-TP" in text
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, UnitsScreen), screen_text(app)
        assert "(Ctrl+Z: hoàn tác)" in notes(app)
        assert Unit.get(Unit.code == "STP").ended_on == dt.date(2026, 4, 1)
        links = [(s.predecessor.code, s.successor.code, s.kind) for s in Succession.select()
                 .where(Succession.on_date == dt.date(2026, 4, 1))]
        assert links == [("STP", "UBND-TP", "hold")]
        assert {Task.get_by_id(i).responsible_unit.code for i in (one, two)} == {"UBND-TP"}
        held = reorganisation.pending(dt.date(2026, 4, 2))
        assert {(p.task_id, p.from_code, p.holder_code) for p in held} == {
            (one, "STP", "UBND-TP"), (two, "STP", "UBND-TP")}
