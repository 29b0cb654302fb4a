"""Command palette: "go to unit" by name typed with or without diacritics.
(The screen and app actions come from `InspectApp.get_system_commands`.)"""
from functools import partial

from textual.command import Hit, Hits, Provider

from inspect_tui.locale import t
from inspect_tui.rules import units


class GoToUnit(Provider):
    async def search(self, query: str) -> Hits:
        text = query.strip()
        if len(text) < 2:
            return
        rows = await self._find(text)
        prefix = t("ui.palette.go_unit")
        for row in rows:
            yield Hit(0.9, f"{prefix}: {row.name}", partial(self.app.open_unit, row.code),
                      help=row.code)

    async def _find(self, text: str):
        # The roster is small enough to read directly; run off the event loop anyway.
        import asyncio
        return await asyncio.to_thread(lambda: units.roster(text=text)[:20])
