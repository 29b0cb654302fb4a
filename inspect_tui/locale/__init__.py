"""Texts people read, in Vietnamese (default) and English.

Texts live in vi.toml and en.toml (plus vi.<part>.toml / en.<part>.toml
for the interface and the workbooks), as nested tables; `t("task.status.open")`
looks up a dotted key in the current language and fills `{placeholders}`.
A missing key falls back to Vietnamese, then to the key itself, so a gap
shows up on screen instead of crashing (a test keeps both files in step).
"""
import tomllib
from functools import cache
from importlib import resources

LANGUAGES = ("vi", "en")
_current = "vi"


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    flat = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


@cache
def texts(lang: str) -> dict[str, str]:
    folder = resources.files(__package__)
    merged = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name == f"{lang}.toml" or (entry.name.startswith(f"{lang}.") and entry.name.endswith(".toml")):
            merged.update(_flatten(tomllib.loads(entry.read_text("utf-8"))))
    return merged


def set_language(lang: str) -> None:
    global _current
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    _current = lang


def language() -> str:
    return _current


def t(key: str, lang: str | None = None, **values) -> str:
    lang = lang or _current
    text = texts(lang).get(key) or texts("vi").get(key) or key
    if values:
        try:
            return text.format(**values)
        except (KeyError, IndexError, ValueError):
            return text
    return text


def has(key: str, lang: str | None = None) -> bool:
    return key in texts(lang or _current)
