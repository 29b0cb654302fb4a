"""Every key binding, with an id a user can remap in config.toml:

    [keys]
    "tasks.overdue" = "O"
    "app.undo" = "ctrl+u"

Descriptions come from the locale (`ui.key.<id>`), so bindings are built per
screen instance (`bindings(scope)`) rather than frozen in class attributes;
switching language rebuilds the screens and with them the footer.
"""
from dataclasses import dataclass

from textual.binding import Binding, BindingsMap

from inspect_tui.locale import t


@dataclass(frozen=True)
class Action:
    scope: str
    name: str
    key: str
    action: str
    show: bool = True
    palette: bool = True  # offered in the command palette too

    @property
    def id(self) -> str:
        return f"{self.scope}.{self.name}"

    @property
    def title(self) -> str:
        return t(f"ui.key.{self.scope}.{self.name}")

    @property
    def help(self) -> str:
        return t(f"ui.help.{self.scope}.{self.name}")


ACTIONS: tuple[Action, ...] = (
    Action("app", "overview", "1", "app.go('overview')"),
    Action("app", "units", "2", "app.go('units')"),
    Action("app", "plans", "3", "app.go('plans')"),
    Action("app", "tasks", "4", "app.go('tasks')"),
    Action("app", "workplan", "5", "app.go('workplan')"),
    Action("app", "indicators", "6", "app.go('indicators')"),
    Action("app", "undo", "ctrl+z", "app.undo"),
    Action("app", "language", "f2", "app.switch_language"),
    Action("app", "theme", "f3", "app.toggle_theme"),
    Action("app", "export", "f4", "app.export"),
    Action("app", "import", "f5", "app.import"),
    Action("app", "quit", "ctrl+q", "app.quit"),
    Action("overview", "reload", "r", "reload"),
    Action("overview", "remind", "d", "draft_reminders"),
    Action("overview", "report", "b", "draft_report"),
    Action("tasks", "overdue", "o", "quick('overdue')"),
    Action("tasks", "due_week", "w", "quick('due_week')"),
    Action("tasks", "awaiting", "v", "quick('awaiting')"),
    Action("tasks", "unassigned", "n", "quick('unassigned')"),
    Action("tasks", "active", "a", "quick('active')"),
    Action("tasks", "clear", "x", "clear_filters"),
    Action("tasks", "sort", "s", "cycle_sort"),
    Action("tasks", "search", "slash", "focus_search"),
    Action("tasks", "filters", "f", "toggle_filters"),
    Action("tasks", "back", "escape", "back"),
    Action("task", "move", "m", "move"),
    Action("task", "note", "n", "note"),
    Action("task", "edit", "e", "edit"),
    Action("task", "visit", "g", "open_visit"),
    Action("task", "back", "escape", "back"),
    Action("visit", "finding", "f", "new_finding"),
    Action("visit", "task", "t", "new_task"),
    Action("visit", "tasks", "l", "task_list"),
    Action("visit", "record", "r", "record_outcome"),
    Action("visit", "paper", "p", "draft_paper"),
    Action("visit", "verified", "k", "check_item('verified')"),
    Action("visit", "still_open", "o", "check_item('still_open')"),
    Action("visit", "back", "escape", "back"),
    Action("units", "date", "d", "focus_date"),
    Action("units", "today", "h", "reset_date"),
    Action("units", "add", "a", "add_unit"),
    Action("units", "edit", "e", "edit_unit"),
    Action("units", "end", "x", "end_unit"),
    Action("units", "reorganise", "r", "reorganise"),
    Action("units", "reassign", "g", "reassign"),
    Action("units", "back", "escape", "back"),
    Action("unit", "tasks", "t", "unit_tasks"),
    Action("unit", "overdue", "o", "unit_overdue"),
    Action("unit", "back", "escape", "back"),
    Action("plans", "new_plan", "n", "new_plan"),
    Action("plans", "member", "m", "add_member"),
    Action("plans", "visit", "v", "add_visit"),
    Action("plans", "next_year", "y", "next_year"),
    Action("plans", "back", "escape", "back"),
    Action("workplan", "back", "escape", "back"),
    Action("item", "milestone", "m", "milestone"),
    Action("item", "note", "n", "note"),
    Action("item", "back", "escape", "back"),
    Action("indicators", "back", "escape", "back"),
)


def of_scope(scope: str) -> list[Action]:
    return [a for a in ACTIONS if a.scope == scope]


def bindings(scope: str, base: BindingsMap | None = None) -> BindingsMap:
    """The scope's bindings on top of `base` (the widget's own, e.g. tab / shift+tab)."""
    mine = BindingsMap([Binding(a.key, a.action, a.title, show=a.show, id=a.id)
                        for a in of_scope(scope)])
    return BindingsMap.merge([base, mine]) if base is not None else mine


def known_ids() -> set[str]:
    return {a.id for a in ACTIONS}
