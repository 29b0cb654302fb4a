"""Diacritic-insensitive folding and search: 'can tho', 'CAN THO' and 'Cần Thơ'
match each other, 'd' matches 'đ', and LIKE wildcards typed by people are literal."""
import datetime as dt
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspect_tui.rules import search, units
from inspect_tui.rules.text import fold

TODAY = dt.date(2024, 10, 1)

# Every Vietnamese letter with its base letter (the reference for "strip the diacritics").
VIETNAMESE = {
    "a": "aàáảãạăằắẳẵặâầấẩẫậ",
    "e": "eèéẻẽẹêềếểễệ",
    "i": "iìíỉĩị",
    "o": "oòóỏõọôồốổỗộơờớởỡợ",
    "u": "uùúủũụưừứửữự",
    "y": "yỳýỷỹỵ",
    "d": "dđ",
}
BASE = {ch: base for base, letters in VIETNAMESE.items() for ch in letters}
BASE.update({ch.upper(): base for ch, base in list(BASE.items())})
CONSONANTS = "bcghklmnpqrstvx"
LETTERS = "".join(BASE) + CONSONANTS + CONSONANTS.upper()


def strip_reference(text: str) -> str:
    return "".join(BASE.get(ch, ch.lower()) for ch in text)


vietnamese_words = st.text(alphabet=LETTERS, min_size=1, max_size=12)
vietnamese_phrases = st.lists(vietnamese_words, min_size=1, max_size=5).map(" ".join)


# --- fold ---------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["Cần Thơ", "can tho", "CAN THO", "CẦN THƠ", "  Cần   Thơ ",
                                  "cần\tthơ"])
def test_fold_makes_every_spelling_of_can_tho_equal(text):
    assert fold(text) == "can tho"


def test_fold_turns_d_with_stroke_into_d():
    assert fold("Đ") == "d"
    assert fold("đ") == "d"
    assert fold("Huyện Cờ Đỏ") == "huyen co do"
    assert fold("Phong Điền") == "phong dien"


def test_fold_of_nothing_is_empty():
    assert fold(None) == ""
    assert fold("") == ""
    assert fold("   ") == ""


@given(st.text())
@settings(max_examples=300)
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@given(vietnamese_phrases)
@settings(max_examples=300)
def test_fold_equals_stripping_diacritics_of_vietnamese(phrase):
    folded = fold(phrase)
    assert folded == strip_reference(phrase)
    assert folded.isascii()
    # people who type without diacritics, in any case, get the same key
    assert fold(strip_reference(phrase).upper()) == folded


@given(vietnamese_phrases)
def test_fold_ignores_unicode_normal_form(phrase):
    """Text pasted from Word or a PDF is often decomposed (NFD)."""
    assert fold(unicodedata.normalize("NFD", phrase)) == fold(unicodedata.normalize("NFC", phrase))


# --- search (both backends) --------------------------------------------------------------

def _codes(hits, kind="unit"):
    return {h.code for h in hits if h.kind == kind}


@pytest.mark.parametrize("query", ["can tho", "CAN THO", "Cần Thơ", "cAn ThO", "cần thơ"])
def test_search_finds_can_tho_however_typed(seeded, query):
    hits = search.search(query)
    assert "UBND-TP" in _codes(hits)
    assert any(h.text == "UBND thành phố Cần Thơ" for h in hits)


def test_search_d_matches_d_with_stroke(seeded):
    assert _codes(search.search("phong dien")) == {"H-PD"}
    assert _codes(search.search("Co Do")) == {"H-CD"}
    assert _codes(search.search("cờ đỏ")) == {"H-CD"}


def test_search_finds_unit_by_code(seeded):
    assert "SNV" in _codes(search.search("snv"))


def test_search_findings_and_tasks_without_diacritics(seeded, make):
    task_id = make.chain("SNV", dt.date(2024, 6, 1), TODAY,
                         description="Cập nhật Cổng dịch vụ công điện tử")
    hits = search.search("cong dich vu cong dien tu")
    assert [(h.kind, h.id) for h in hits if h.kind == "task"] == [("task", task_id)]
    assert {h.code for h in hits if h.kind == "task"} == {"SNV"}
    finding_hits = [h for h in search.search("niem yet tthc") if h.kind == "finding"]
    assert len(finding_hits) == 1
    assert finding_hits[0].year == 2024
    assert finding_hits[0].text == "Chưa niêm yết TTHC đầy đủ"


def test_search_wildcards_are_literal(seeded, make):
    plan_id = make.plan(2024)
    visit_id = make.visit(plan_id, "SNV", dt.date(2024, 4, 6))
    with_percent = make.finding(visit_id, description="Tỷ lệ số hóa chỉ đạt 50% kế hoạch")
    without = make.finding(visit_id, description="Tỷ lệ số hóa chỉ đạt 500 hồ sơ")
    underscore = make.finding(visit_id, description="Mã hồ sơ ghi sai dạng HS_2024")
    plain = make.finding(visit_id, description="Mã hồ sơ ghi sai dạng HSX2024")

    def finding_ids(query):
        return {h.id for h in search.search(query) if h.kind == "finding"}

    assert finding_ids("50%") == {with_percent}
    assert finding_ids("%") == {with_percent}
    assert finding_ids("_") == {underscore}
    assert finding_ids("hs_2024") == {underscore}
    assert finding_ids("hsx2024") == {plain}
    assert without not in finding_ids("50%")
    # a bare wildcard must not list every unit of the roster
    assert _codes(search.search("%")) == set()
    assert _codes(search.search("_")) == set()


def test_search_of_blank_text_finds_nothing(seeded):
    assert search.search("") == []
    assert search.search("   ") == []


def test_roster_text_filter_is_diacritic_insensitive(seeded):
    rows = units.roster(on=dt.date(2024, 6, 1), text="so noi vu")
    assert [r.code for r in rows] == ["SNV"]
