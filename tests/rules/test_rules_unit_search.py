"""units.search: what a unit picker suggests while a person types a code or
a name, diacritics optional, best first."""
import datetime as dt

from inspect_tui.rules import units


def codes(text, **kwargs):
    return [r.code for r in units.search(text, **kwargs)]


def test_a_code_in_any_case_comes_first(seeded):
    assert codes("stc")[0] == "STC"
    assert codes("STP")[0] == "STP"


def test_name_words_without_diacritics_in_any_order(seeded):
    assert "STC" in codes("tai chinh")
    assert "STC" in codes("chinh tai")
    assert codes("sở tư pháp")[0] == "STP"
    assert codes("so tu phap")[0] == "STP"


def test_a_name_beginning_with_the_text_before_one_merely_containing_it(seeded):
    found = codes("so", limit=50)
    names = [units.get(c).name for c in found]
    starting = [n.lower().startswith("sở") for n in names]
    assert starting == sorted(starting, reverse=True)


def test_only_units_existing_on_the_day_when_asked(seeded):
    assert "SKHDT" in codes("ke hoach va dau tu")
    assert "SKHDT" not in codes("ke hoach va dau tu", on=dt.date(2026, 1, 1))
    assert "SKHDT" in codes("ke hoach va dau tu", on=dt.date(2024, 1, 1))


def test_nothing_for_blank_unknown_or_overlong_text(seeded):
    assert codes("") == [] and codes("   ") == []
    assert codes("khong co don vi nao") == []
    assert codes("x" * 10_000) == []


def test_at_most_the_limit(seeded):
    assert len(units.search("s", limit=3)) == 3
