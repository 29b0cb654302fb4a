"""What a unit's page and the plan forms ask the rules: a unit's facts with
its parent's name, its findings newest plan first, whether a unit existed in a
year, next year's plan once started, a unit's name from the change log's id."""
import datetime as dt

from inspect_tui.rules import inspections, unit_page, units

TODAY = dt.date(2025, 10, 1)


def test_a_units_facts_name_its_parent(seeded):
    facts = unit_page.facts("Q-NK")
    parent = units.get(units.row(units.get("Q-NK")).parent_code)
    assert (facts.code, facts.name, facts.kind) == ("Q-NK", "Quận Ninh Kiều", "district")
    assert facts.parent_name == parent.name
    assert facts.ended_on == dt.date(2025, 7, 1)


def test_a_units_findings_come_newest_plan_first(seeded, make):
    make.chain("STP", dt.date(2024, 12, 31), dt.date(2024, 4, 1), year=2024)
    make.chain("STP", dt.date(2025, 12, 31), dt.date(2025, 4, 1), year=2025, area="organisation")
    rows = unit_page.findings("STP")
    assert [(r.year, r.area) for r in rows] == [(2025, "organisation"), (2024, "procedures")]
    assert unit_page.findings("STC") == []


def test_a_unit_exists_in_the_years_it_was_active(seeded):
    ninh_kieu = units.get("Q-NK")  # ended on 01/7/2025
    assert units.exists_in_year(ninh_kieu, 2025)
    assert not units.exists_in_year(ninh_kieu, 2026)
    assert units.exists_in_year(units.row(ninh_kieu), 2024)


def test_next_years_plan_is_found_once_started(seeded, make):
    plan_id = make.plan(2024)
    assert inspections.next_year_plan(plan_id) is None
    inspections.start_next_year(plan_id, "tester", "02/KH-UBND")
    started = inspections.next_year_plan(plan_id)
    assert (started.year, started.number) == (2025, "02/KH-UBND")
    assert inspections.plan_row(plan_id).number == "24/KH-UBND"


def test_a_units_name_from_its_id(seeded):
    unit = units.get("STP")
    assert units.name_by_id(unit.id) == unit.name
    assert units.name_by_id(10**9) is None
