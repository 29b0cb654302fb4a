"""Diacritic-insensitive text folding for search.

"Cần Thơ", "can tho" and "CAN THO" all fold to "can tho"; "đ" folds to "d".
Folded text is stored next to what people search (units, findings, tasks), so
a search is a portable LIKE on an indexed column, the same in SQLite and
PostgreSQL.
"""
import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str | None) -> str:
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", stripped.casefold()).strip()


def matches(column, query: str):
    """SQL condition: the folded `column` contains the folded `query` (LIKE, wildcards escaped)."""
    return column.contains(fold(query))
