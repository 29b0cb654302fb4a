"""One language's texts, parsed a [table] at a time.

Parsing every locale file costs more than the rest of `inspect-tui --help`
(tomllib is pure Python), and a command needs a few dozen of some 1,400
texts. So each file is cut at its `[table]` header lines, which costs a
regular-expression scan, and a key such as `cli.help.db` parses only the
pieces that can hold it: the tables named `cli.help`, `cli` and the lines
before the first header, in every file of that language.
"""
import re
import tomllib
from pathlib import Path

FOLDER = Path(__file__).parent
HEADER = re.compile(r"^\[([A-Za-z0-9_.-]+)\][ \t]*(?:#.*)?$", re.MULTILINE)


def files(lang: str) -> list[Path]:
    """The language's files: `<lang>.toml` and `<lang>.<part>.toml`, by name."""
    return sorted([*FOLDER.glob(f"{lang}.toml"), *FOLDER.glob(f"{lang}.*.toml")])


def flatten(table: dict, prefix: str = "") -> dict[str, str]:
    flat = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


def parse_whole(lang: str) -> dict[str, str]:
    """Every text of the language, each file parsed whole (and so checked whole)."""
    merged = {}
    for path in files(lang):
        merged.update(flatten(tomllib.loads(path.read_text("utf-8"))))
    return merged


def pieces(text: str) -> list[tuple[str, str]]:
    """(table name, its source) for each header of a TOML text; "" names the
    lines before the first header. A "[x]" line inside a multi-line string is no header."""
    bounds, seen, quotes = [(0, "")], 0, 0
    for match in HEADER.finditer(text):
        quotes += text.count('"""', seen, match.start()) + text.count("'''", seen, match.start())
        seen = match.start()
        if quotes % 2 == 0:
            bounds.append((match.start(), match.group(1)))
    bounds.append((len(text), None))
    return [(name, text[start:end]) for (start, name), (end, _) in zip(bounds, bounds[1:])]


class Catalog:
    """The texts of one language, parsed on demand."""

    def __init__(self, lang: str):
        self.lang = lang
        self._sources: dict[str, list[str]] | None = None  # table name -> its pieces, all files
        self._texts: dict[str, str] = {}

    def get(self, key: str) -> str | None:
        text = self._texts.get(key)
        if text is not None:
            return text
        parts = key.split(".")
        for depth in range(len(parts) - 1, -1, -1):  # "cli.help", "cli", "" for cli.help.db
            self._parse(".".join(parts[:depth]))
            text = self._texts.get(key)
            if text is not None:
                return text
        return None

    def _parse(self, table: str) -> None:
        sources = self._split()
        # forgotten once parsed: two threads may both parse a table, none misses it
        for source in sources.get(table, ()):
            self._texts.update(flatten(tomllib.loads(source)))
        sources.pop(table, None)

    def _split(self) -> dict[str, list[str]]:
        if self._sources is None:
            sources: dict[str, list[str]] = {}
            for path in files(self.lang):
                for name, source in pieces(path.read_text("utf-8")):
                    sources.setdefault(name, []).append(source)
            self._sources = sources
        return self._sources
