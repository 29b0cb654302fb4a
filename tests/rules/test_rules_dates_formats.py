"""Dates as people type them, and numbers and dates as people read them."""
import datetime as dt
from decimal import Decimal

import pytest

from inspect_tui.locale import formats, set_language
from inspect_tui.rules.dates import parse_date, parse_optional_date
from inspect_tui.rules.errors import DomainError


@pytest.mark.parametrize("text", ["06/5/2025", "6/5/2025", "06/05/2025", "2025-05-06",
                                  "2025-5-6", " 06/5/2025 ", "6.5.2025", "06-05-2025"])
def test_parse_date_reads_vietnamese_and_iso(text):
    assert parse_date(text) == dt.date(2025, 5, 6)


def test_parse_date_passes_dates_through():
    assert parse_date(dt.date(2025, 5, 6)) == dt.date(2025, 5, 6)
    assert parse_date(dt.datetime(2025, 5, 6, 14, 30)) == dt.date(2025, 5, 6)


@pytest.mark.parametrize("text", ["", "hôm nay", "31/02/2025", "32/1/2025", "6/13/2025",
                                  "2025-13-01", "06/5/25", "2025/05/06", "6 5 2025", None])
def test_parse_date_refuses_bad_input_with_bad_date(text):
    with pytest.raises(DomainError) as info:
        parse_date(text, "--today")
    assert info.value.key == "bad_date"
    assert info.value.values["field"] == "--today"
    assert "--today" in info.value.message()


def test_bad_date_message_reads_in_both_languages():
    with pytest.raises(DomainError) as info:
        parse_date("31/02/2025", "due_on")
    assert info.value.message("vi") == (
        'Ngày không hợp lệ ở trường hạn xử lý: "31/02/2025" (dùng dd/mm/yyyy hoặc yyyy-mm-dd).')
    assert info.value.message("en") == (  # the field as people name it, not its column
        'Invalid date in due date: "31/02/2025" (use dd/mm/yyyy or yyyy-mm-dd).')


def test_parse_optional_date_accepts_blank():
    assert parse_optional_date(None) is None
    assert parse_optional_date("  ") is None
    assert parse_optional_date("01/7/2025") == dt.date(2025, 7, 1)


# --- formats ------------------------------------------------------------------------------

@pytest.mark.parametrize("value, text", [
    (1585, "1.585"), (0, "0"), (5, "5"), (466895649, "466.895.649"), (Decimal("1580"), "1.580"),
    (Decimal("69.79"), "69,79"), (33.06, "33,06"), (-1585, "-1.585"),
])
def test_vietnamese_numbers(value, text):
    assert formats.number(value, lang="vi") == text


def test_english_numbers():
    assert formats.number(1585, lang="en") == "1,585"
    assert formats.number(Decimal("69.79"), lang="en") == "69.79"
    assert formats.percent(Decimal("69.79"), lang="en") == "69.79%"


@pytest.mark.parametrize("value, text", [
    (Decimal("69.79"), "69,79%"), (Decimal("67.15"), "67,15%"), (100, "100%"), (19, "19%"),
    (Decimal("8.83"), "8,83%"), (Decimal("86.90"), "86,90%"), (86.9, "86,90%"), (None, "–"),
])
def test_vietnamese_percent(value, text):
    assert formats.percent(value, lang="vi") == text


@pytest.mark.parametrize("day, text", [
    (dt.date(2025, 5, 6), "06/5/2025"), (dt.date(2025, 2, 1), "01/02/2025"),
    (dt.date(2025, 1, 15), "15/01/2025"), (dt.date(2024, 6, 1), "01/6/2024"),
    (dt.date(2026, 11, 23), "23/11/2026"), (dt.date(2025, 12, 9), "09/12/2025"),
])
def test_vietnamese_dates(day, text):
    assert formats.date(day, lang="vi") == text


def test_english_dates_and_blank_dates():
    assert formats.date(dt.date(2025, 5, 6), lang="en") == "06/05/2025"
    assert formats.date(None) == ""
    assert formats.date(dt.datetime(2025, 5, 6, 9, 5), lang="vi") == "06/5/2025"
    assert formats.datetime(dt.datetime(2025, 5, 6, 9, 5), lang="vi") == "06/5/2025 09:05"


def test_formats_follow_the_current_language():
    set_language("en")
    assert formats.number(1585) == "1,585"
    assert formats.date(dt.date(2025, 5, 6)) == "06/05/2025"
    set_language("vi")
    assert formats.number(1585) == "1.585"
    assert formats.date(dt.date(2025, 5, 6)) == "06/5/2025"


@pytest.mark.parametrize("day, text", [
    (dt.date(2025, 5, 6), "Cần Thơ, ngày 06 tháng 5 năm 2025"),
    (dt.date(2025, 2, 1), "Cần Thơ, ngày 01 tháng 02 năm 2025"),
    (dt.date(2025, 1, 9), "Cần Thơ, ngày 09 tháng 01 năm 2025"),
    (dt.date(2025, 12, 27), "Cần Thơ, ngày 27 tháng 12 năm 2025"),
])
def test_place_date_line(day, text):
    assert formats.place_date_line("Cần Thơ", day, lang="vi") == text
