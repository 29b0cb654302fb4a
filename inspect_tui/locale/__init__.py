"""Texts people read, in Vietnamese (default) and English.

Texts live in vi.toml and en.toml (plus vi.<part>.toml / en.<part>.toml
for the interface and the workbooks), as nested tables; `t("task.status.open")`
looks up a dotted key in the current language and fills `{placeholders}`.
A missing key falls back to Vietnamese, then to the key itself, so a gap
shows up on screen instead of crashing (a test keeps both files in step).
Only the language asked for is read, and of it only the tables a key can be
in (catalog.py): `--help` parses a few dozen texts, not every file.
"""
from functools import cache

from inspect_tui.locale.catalog import Catalog, parse_whole

LANGUAGES = ("vi", "en")
_current = "vi"


@cache
def texts(lang: str) -> dict[str, str]:
    """Every text of `lang`, by dotted key (the files parsed whole)."""
    return parse_whole(lang)


@cache
def catalog(lang: str) -> Catalog:
    return Catalog(lang)


def set_language(lang: str) -> None:
    global _current
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    _current = lang


def language() -> str:
    return _current


def t(key: str, lang: str | None = None, **values) -> str:
    lang = lang or _current
    text = catalog(lang).get(key) or catalog("vi").get(key) or key
    if values:
        try:
            return text.format(**values)
        except (KeyError, IndexError, ValueError):
            return text
    return text


def has(key: str, lang: str | None = None) -> bool:
    return catalog(lang or _current).get(key) is not None
