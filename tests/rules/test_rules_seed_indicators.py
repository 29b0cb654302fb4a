"""The default data: roster, 2025 reorganisation, indicators with their
conflicting figures, the 2026-2030 work plan; loading it twice adds nothing."""
import datetime as dt
from decimal import Decimal

import pytest

from inspect_tui.rules import indicators, seed, workplan
from inspect_tui.rules.errors import DomainError
from inspect_tui.store.models import (ChangeLog, Indicator, Milestone, Observation, Succession,
                                      Target, Unit, WorkItem)

TODAY = dt.date(2026, 11, 23)


def test_seed_loads_the_default_data(db):
    report = seed.load_defaults("an")
    assert (report.units, report.reorganisations, report.indicators, report.work_items) == (
        34, 6, 20, 11)
    assert report.observations == Observation.select().count() > 0
    assert Unit.select().count() == 35  # and SNNMT, created by the reorganisation
    assert Indicator.select().count() == 20
    assert {c.actor for c in ChangeLog.select()} == {"an"}


@pytest.mark.slow
def test_seed_is_idempotent(db):
    seed.load_defaults("an")
    counts = [m.select().count() for m in (Unit, Succession, Indicator, Target, Observation,
                                           WorkItem, Milestone, ChangeLog)]
    again = seed.load_defaults("an")
    assert again == seed.SeedReport(0, 0, 0, 0, 0)
    assert [m.select().count() for m in (Unit, Succession, Indicator, Target, Observation,
                                         WorkItem, Milestone, ChangeLog)] == counts


def test_conflicting_figures_are_both_kept_and_flagged(seeded):
    found = {(code, period): sorted(o.value for o in obs) for code, period, obs in indicators.conflicts()}
    assert found[("SO-HOA-KQ", "2025")] == [Decimal("86.46"), Decimal("93.43")]
    assert found[("TAI-SU-DUNG", "2025")] == [Decimal("34.99"), Decimal("86.90")]
    row = indicators.indicator("SO-HOA-KQ")
    assert row.conflicts == ["2025"]
    by_period = [(o.period, o.value, o.conflict) for o in row.observations]
    assert ("2024", Decimal("77.38"), False) in by_period
    assert {o.source for o in row.observations if o.period == "2025"} == {
        "BC VP UBND TP 06/5/2025, mục I.5", "BC VP UBND TP 06/5/2025, mục II.2.a"}
    assert [(t.year, t.comparator, t.value) for t in row.targets] == [(2025, ">=", Decimal("100"))]
    online = indicators.indicator("HS-TRUCTUYEN")
    assert online.latest().value == Decimal("69.79") and online.conflicts == []


def test_a_second_value_from_another_source_is_a_conflict(seeded):
    indicators.observe("HS-TRUCTUYEN", "2021-2025", "70,10", "Báo cáo khác", "an")
    row = indicators.indicator("HS-TRUCTUYEN")
    assert row.conflicts == ["2021-2025"]
    assert sorted(o.value for o in row.observations) == [Decimal("69.79"), Decimal("70.10")]
    # the same value again from a third source agrees: no new conflict period
    indicators.observe("GD-TT-TRUCTUYEN", "2021-2025", "60.73", "Báo cáo khác", "an")
    assert indicators.indicator("GD-TT-TRUCTUYEN").conflicts == []


def test_observation_validation(seeded):
    n = Observation.select().count()
    for args, key in (
        (("SO-HOA-KQ", "2025", 90, "BC VP UBND TP 06/5/2025, mục I.5"), "duplicate_observation"),
        (("SO-HOA-KQ", "2026", 90, "  "), "required"),
        (("NOPE", "2026", 90, "x"), "unknown_record"),
        (("SO-HOA-KQ", "năm nay", 90, "x"), "bad_period"),
        (("SO-HOA-KQ", "2026", "nhiều", "x"), "bad_number"),
    ):
        with pytest.raises(DomainError) as info:
            indicators.observe(*args, actor="an")
        assert info.value.key == key
    assert Observation.select().count() == n
    assert indicators.period_year("2025-Q1") == 2025
    assert indicators.period_year("2021-2025") == 2025


def test_indicator_creation_validation(seeded):
    for kwargs, key in (({"code": "SO-HOA-KQ"}, "duplicate_record"), ({"measure": "kg"}, "bad_choice"),
                        ({"area": "sports"}, "bad_choice")):
        values = {"code": "NEW", "name": "Mới", "measure": "percent", **kwargs}
        with pytest.raises(DomainError) as info:
            indicators.create(values.pop("code"), values.pop("name"), values.pop("measure"), "an",
                              **values)
        assert info.value.key == key


def test_workplan_has_eleven_items_with_milestones_2026_to_2030(seeded):
    items = workplan.items(TODAY, detail=True)
    assert len(items) == 11
    assert [i.code for i in items] == [f"GP{n}" for n in range(1, 7)] + [f"PH{n}" for n in range(1, 6)]
    for item in items:
        assert [m.year for m in item.milestones] == [2026, 2027, 2028, 2029, 2030]
        assert all(m.due_on == dt.date(m.year, 12, 31) for m in item.milestones)
    # as of 23/11/2026 nothing is late yet; a day after the 2026 milestones all are
    assert not any(m.late for i in items for m in i.milestones)
    later = workplan.items(dt.date(2027, 1, 1))
    assert all(i.milestones[0].late for i in later)
    workplan.set_milestone("GP1", 2026, "an", status="done")
    assert workplan.progress(2026, dt.date(2027, 1, 1)) == {
        "not_started": 10, "in_progress": 0, "done": 1, "delayed": 0, "cancelled": 0, "late": 10}
    with pytest.raises(DomainError) as info:
        workplan.set_milestone("GP1", 2031, "an", status="done")
    assert info.value.key == "unknown_record"
    with pytest.raises(DomainError) as info:
        workplan.set_status("GP1", "finished", "an")
    assert info.value.key == "bad_choice"
