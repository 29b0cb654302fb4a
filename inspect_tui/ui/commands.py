"""The command palette (Ctrl+P): every action of the screen and of the app,
the task lists (overdue, due this week...) from any screen, and units by
name; found in either language, with or without diacritics ("qua han",
"quá hạn" and "overdue" all find "Quá hạn").

Textual's own provider matches the title as typed, diacritics included; these
providers compare folded text (rules.text.fold) instead.
"""
import asyncio
from dataclasses import dataclass
from functools import partial
from typing import Callable

from textual.command import DiscoveryHit, Hit, Hits, Provider

from inspect_tui.locale import LANGUAGES, t
from inspect_tui.rules import units
from inspect_tui.rules.text import fold


@dataclass(frozen=True)
class Entry:
    """One command: what it is called, what it does, what runs it, and the
    locale keys of the names and descriptions it is also found by (in every
    language)."""
    title: str
    help: str
    run: Callable
    names: tuple[str, ...] = ()  # locale keys of other names ("quick.overdue")
    helps: tuple[str, ...] = ()  # locale keys of descriptions

    def texts(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Folded (names, descriptions): the title first, then in every language."""
        names = [fold(self.title)] + [fold(t(k, lang=lang)) for k in self.names for lang in LANGUAGES]
        helps = [fold(self.help)] + [fold(t(k, lang=lang)) for k in self.helps for lang in LANGUAGES]
        return tuple(dict.fromkeys(names)), tuple(dict.fromkeys(helps))


def score(query: str, entry: Entry) -> float:
    """How well `query` finds `entry`: 0 not at all, 1 its title exactly.

    A name equal to the query ranks first, then a name beginning with it,
    a name containing it, a description containing it, and last any text
    holding every word of the query."""
    folded = fold(query)
    if not folded:
        return 0.0
    names, helps = entry.texts()
    if names[0] == folded:
        return 1.0
    if folded in names:
        return 0.97
    if names[0].startswith(folded):
        return 0.95
    if any(n.startswith(folded) for n in names):
        return 0.92
    if any(folded in n for n in names):
        return 0.85
    if any(folded in h for h in helps):
        return 0.75
    words = folded.split()
    if any(all(w in text for w in words) for text in names + helps):
        return 0.6
    return 0.0


class Commands(Provider):
    """The actions of the screen and the app (what InspectApp.palette_entries lists)."""

    def _entries(self) -> list[Entry]:
        return self.app.palette_entries(self.screen)

    async def discover(self) -> Hits:
        for entry in self._entries():
            yield DiscoveryHit(entry.title, entry.run, help=entry.help)

    async def search(self, query: str) -> Hits:
        for entry in self._entries():
            found = score(query, entry)
            if found > 0:
                yield Hit(found, entry.title, entry.run, text=entry.title, help=entry.help)


class GoToUnit(Provider):
    """Open a unit's page by its name or code, diacritics optional."""

    async def search(self, query: str) -> Hits:
        text = query.strip()
        if len(text) < 2:
            return
        rows = await asyncio.to_thread(units.search, text, None, 12)
        prefix = t("ui.palette.go_unit")
        for rank, row in enumerate(rows):
            title = f"{prefix}: {row.name}"
            yield Hit(0.7 - rank * 0.01, title, partial(self.app.open_unit, row.code), text=title,
                      help=row.code)
