"""Numbers and dates as people read them.

Vietnamese: 1.585; 69,79%; 06/5/2025 (day always two digits, month with a
leading zero only for 01 and 02, as Nghị định 30/2020/NĐ-CP writes dates).
English: 1,585; 69.79%; 06/05/2025.
Machine formats (csv, json) never come through here: they use ISO and plain
numbers.
"""
import datetime as dt
from decimal import Decimal

from inspect_tui.locale import language


def _lang(lang):
    return lang or language()


def number(value, decimals: int | None = None, lang: str | None = None,
           keep_zeros: bool = False) -> str:
    if value is None:
        return "–"
    if decimals is None:
        decimals = 0 if float(value) == int(float(value)) else 2
    text = f"{Decimal(str(value)):,.{decimals}f}"
    if decimals and not keep_zeros:
        text = text.rstrip("0").rstrip(".") if "." in text else text
    if _lang(lang) == "vi":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def percent(value, lang: str | None = None) -> str:
    """`value` is already in percent: 69.79 -> "69,79%", 86.9 -> "86,90%" (two
    decimals, as the reports write them), a whole 19 -> "19%"."""
    if value is None:
        return "–"
    whole = float(value) == int(float(value))
    return number(value, 0 if whole else 2, lang, keep_zeros=True) + "%"


def month_text(month: int) -> str:
    return f"{month:02d}" if month <= 2 else str(month)


def date(value: dt.date | None, lang: str | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if _lang(lang) == "vi":
        return f"{value.day:02d}/{month_text(value.month)}/{value.year}"
    return f"{value.day:02d}/{value.month:02d}/{value.year}"


def datetime(value: dt.datetime | None, lang: str | None = None) -> str:
    if value is None:
        return ""
    return f"{date(value, lang)} {value:%H:%M}"


def place_date_line(place: str, value: dt.date, lang: str | None = None) -> str:
    """"Cần Thơ, ngày 06 tháng 5 năm 2025" (the official italic date line)."""
    if _lang(lang) == "vi":
        return f"{place}, ngày {value.day:02d} tháng {month_text(value.month)} năm {value.year}"
    return f"{place}, {value:%d %B %Y}"
