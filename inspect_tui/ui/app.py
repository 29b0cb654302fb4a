"""The inspect-tui application shell: navigation between the main screens,
undo, language and theme, export, and the command palette.

`run(settings)` is what `inspect-tui` (no sub-command) calls.
"""
import time
from functools import partial
from importlib import import_module

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, TextArea

from inspect_tui.locale import language, set_language, t
from inspect_tui.rules import audit
from inspect_tui.rules.errors import DomainError
from inspect_tui.rules.tasks import QUICK_FILTERS
from inspect_tui.settings import Settings
from inspect_tui.ui import keymap
from inspect_tui.ui.commands import Commands, Entry, GoToUnit
from inspect_tui.ui.screens.base import BaseScreen

THEMES = {"dark": "textual-dark", "light": "textual-light"}


# The main screens by name: (module of inspect_tui.ui.screens, class).
MAIN_SCREENS = {
    "overview": ("overview", "OverviewScreen"),
    "tasks": ("tasks", "TasksScreen"),
    "units": ("units", "UnitsScreen"),
    "plans": ("plans", "PlansScreen"),
    "workplan": ("workplan", "WorkPlanScreen"),
    "indicators": ("indicators", "IndicatorsScreen"),
}


def main_screen(name: str, **kwargs) -> BaseScreen:
    # Imported here so that starting the app loads only the screen it shows.
    if name not in MAIN_SCREENS:
        raise ValueError(name)
    module, cls = MAIN_SCREENS[name]
    return getattr(import_module(f"inspect_tui.ui.screens.{module}"), cls)(**kwargs)


class InspectApp(App, inherit_bindings=False):
    CSS_PATH = "inspect.tcss"
    # Our providers replace Textual's, which matches titles only as typed (diacritics included).
    COMMANDS = {Commands, GoToUnit}
    # Textual's own app keys give way to the keymap's: the screens bind the app's
    # keys (keymap scope "app", in the current language, shown in their footer);
    # the app keeps Ctrl+P too, so the palette opens over a dialog as well.
    BINDINGS = [keymap.palette_binding(), Binding("ctrl+c", "help_quit", show=False, system=True)]

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings
        set_language(settings.lang)
        self.started = time.perf_counter()
        self.first_data_at: float | None = None  # when the overview first showed its data
        self.keymap_problems: list[str] = []
        # Undo reaches back only to what this terminal changed.
        self.session = audit.start_session()

    def on_mount(self) -> None:
        self.title = t("app_name")
        self.theme = THEMES.get(self.settings.theme, self.settings.theme)
        unknown = sorted(set(self.settings.keys) - keymap.known_ids())
        if unknown:
            self.notify(t("ui.keys_unknown", ids=", ".join(unknown)), severity="warning")
        self.set_keymap(self.settings.keys)
        self.push_screen(main_screen("overview"))

    # --- navigation -------------------------------------------------------

    async def action_go(self, name: str, **kwargs) -> None:
        while len(self.screen_stack) > 2:
            await self.pop_screen()
        screen = main_screen(name, **kwargs)
        if len(self.screen_stack) > 1:
            await self.switch_screen(screen)
        else:
            await self.push_screen(screen)

    def open_tasks(self, **kwargs) -> None:
        from inspect_tui.ui.screens.tasks import TasksScreen
        self.push_screen(TasksScreen(**kwargs))

    def open_task(self, task_id: int) -> None:
        from inspect_tui.ui.screens.task import TaskScreen
        self.push_screen(TaskScreen(task_id))

    def open_visit(self, visit_id: int) -> None:
        from inspect_tui.ui.screens.visit import VisitScreen
        self.push_screen(VisitScreen(visit_id))

    def open_unit(self, code: str) -> None:
        from inspect_tui.ui.screens.unit import UnitScreen
        self.push_screen(UnitScreen(code))

    # --- undo, language, theme ------------------------------------------

    def undo_key(self) -> str:
        """The undo key as people write it ("Ctrl+Z"), remapped or not."""
        key = (self.settings.keys.get("app.undo") or "ctrl+z").split(",")[0].strip()
        return "+".join(p.capitalize() if len(p) > 1 else p.upper() for p in key.split("+"))

    def action_undo(self) -> None:
        # The database undo acts from lists and pages only. A text box keeps
        # Ctrl+Z for its text (TextInput binds it); a dialog or the palette is
        # never where a saved change is taken back.
        if isinstance(self.screen, ModalScreen) or isinstance(self.focused, (Input, TextArea)):
            self.notify(t("ui.undo_not_here", undo=self.undo_key()), severity="warning")
            return
        batch = audit.last_batch(self.session)
        if batch is None:
            self.notify(t("error.nothing_to_undo"), severity="warning")
            return
        try:
            undone = audit.undo(batch, self.settings.user)
        except DomainError as error:
            self.notify(error.message(), severity="error")
            return
        self.notify(t("ui.undone", what=undone))
        if isinstance(self.screen, BaseScreen):
            self.screen.reload()

    async def action_switch_language(self) -> None:
        set_language("en" if language() == "vi" else "vi")
        self.title = t("app_name")
        # New screens are made with the keys in the new language (keymap.keyed).
        clones = [s.clone() for s in self.screen_stack[1:] if isinstance(s, BaseScreen)]
        while len(self.screen_stack) > 1:
            await self.pop_screen()
        for screen in clones:
            await self.push_screen(screen)
        self.notify(t("ui.language_set"))

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    # --- export -----------------------------------------------------------

    def action_export(self) -> None:
        from inspect_tui.ui.screens.export import ExportDialog
        self.push_screen(ExportDialog(self.settings))

    def action_import(self) -> None:
        from inspect_tui.ui.screens.import_dialog import ImportDialog
        self.push_screen(ImportDialog(self.settings))

    # --- command palette --------------------------------------------------

    def palette_entries(self, screen: Screen) -> list[Entry]:
        """What the command palette offers on `screen`: its actions, the app's,
        and from any other screen the task lists (overdue, due this week...)."""
        entries = []
        scope = screen.SCOPE if isinstance(screen, BaseScreen) else ""
        for action in keymap.of_scope(scope) + keymap.of_scope("app"):
            if not action.palette or action.name == "back":
                continue
            target = self if action.action.startswith("app.") else screen
            entries.append(Entry(action.title, action.help,
                                 partial(target.run_action, action.action.removeprefix("app.")),
                                 (f"ui.key.{action.id}",), (f"ui.help.{action.id}",)))
        if scope != "tasks":
            for quick in QUICK_FILTERS:
                entries.append(Entry(t("ui.palette.task_list", name=t(f"quick.{quick}")),
                                     t(f"ui.help.tasks.{quick}"),
                                     partial(self.action_go, "tasks", quick=quick),
                                     (f"quick.{quick}",), (f"ui.help.tasks.{quick}", "ui.key.app.tasks")))
        entries.append(Entry(t("ui.key.app.keys"), t("ui.help.app.keys"), self.action_show_help_panel,
                             ("ui.key.app.keys",), ("ui.help.app.keys",)))
        return entries

    def get_system_commands(self, screen: Screen):
        for entry in self.palette_entries(screen):
            yield SystemCommand(entry.title, entry.help, entry.run)


def run(settings: Settings) -> int:
    from inspect_tui.rules import database, seed
    from inspect_tui.settings import default_db

    # The app's own default database is made on first use; a named one must exist.
    database.open_database(settings.db, create=settings.db == default_db(settings.home))
    seed.ensure_defaults(settings.user)
    try:
        InspectApp(settings).run()
    finally:
        database.close()
    return 0
