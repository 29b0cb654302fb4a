"""Every key the app binds has an id config.toml's [keys] may remap, and a
label in both languages; remapping a dialog's key (form.save) works and is
not reported as unknown."""
import importlib
import inspect
import pkgutil

import pytest
from textual.binding import Binding
from textual.dom import DOMNode

import inspect_tui.ui
from inspect_tui.locale import set_language, texts
from inspect_tui.rules import inspections
from inspect_tui.ui import keymap
from inspect_tui.ui.app import InspectApp
from inspect_tui.ui.screens.base import BaseScreen
from inspect_tui.ui.screens.dialog import Dialog
from inspect_tui.ui.screens.plan_forms import PlanForm
from inspect_tui.ui.screens.plans import PlansScreen
from ui_helpers import running, type_text, press, opens

UNKNOWN = "Tệp cấu hình có phím không rõ"


@pytest.fixture
def said(monkeypatch) -> list[str]:
    """What the app notifies, as it says it."""
    messages = []
    notify = InspectApp.notify

    def recording(app, message, *args, **kwargs):
        messages.append(str(message))
        return notify(app, message, *args, **kwargs)

    monkeypatch.setattr(InspectApp, "notify", recording)
    return messages


def ui_classes() -> list[type]:
    """Every widget, screen and app class the terminal app defines."""
    found = []
    for module in pkgutil.walk_packages(inspect_tui.ui.__path__, "inspect_tui.ui."):
        loaded = importlib.import_module(module.name)
        found += [cls for _, cls in inspect.getmembers(loaded, inspect.isclass)
                  if issubclass(cls, DOMNode) and cls.__module__ == module.name]
    return found


def bound(lang: str) -> list[Binding]:
    """The bindings the app's classes declare, and those each screen and each
    dialog is made with, in `lang`."""
    set_language(lang)
    bindings = []
    for cls in ui_classes():
        bindings += Binding.make_bindings(cls.BINDINGS)
        if issubclass(cls, BaseScreen) and cls is not BaseScreen:
            bindings += keymap.keyed(cls, (cls.SCOPE, "app")).BINDINGS
    for scope in {a.scope for a in keymap.DIALOG_KEYS}:
        bindings += keymap.keyed(Dialog, (scope,)).BINDINGS
    return bindings


def test_every_bound_id_is_known_and_labelled_in_both_languages():
    known = keymap.known_ids()
    try:
        labels = {}
        for lang in ("vi", "en"):
            with_id = [b for b in bound(lang) if b.id]
            assert with_id
            assert sorted({b.id for b in with_id} - known) == []
            wording = set(texts(lang).values())
            # A label is a text of the locale, never a missing key shown as is.
            unlabelled = [b.id for b in with_id if b.show and b.description not in wording]
            assert unlabelled == [], (lang, unlabelled)
            labels[lang] = {b.id: b.description for b in with_id if b.show}
        assert labels["vi"]["form.save"] == "Lưu" and labels["en"]["form.save"] == "Save"
        assert labels["vi"]["app.palette"] != labels["en"]["app.palette"]
    finally:
        set_language("vi")


def test_every_id_the_table_knows_is_bound_somewhere():
    ids = {b.id for b in bound("vi") if b.id}
    assert sorted(keymap.known_ids() - ids) == []


async def test_a_dialog_key_remapped_in_the_config_saves_and_is_not_unknown(fresh_db, said):
    settings, _visit = fresh_db
    async with running(settings.with_(keys={"form.save": "ctrl+o"})) as (app, pilot):
        await opens(pilot, PlansScreen, "3")
        await opens(pilot, PlanForm, "n")
        await press(pilot, "tab")
        await type_text(pilot, "77/KH-UBND")
        await opens(pilot, PlanForm, "ctrl+s")  # no longer the save key
        await opens(pilot, PlansScreen, "ctrl+o")
        assert "77/KH-UBND" in [p.number for p in inspections.plans(year=2026)]
    assert said and not [m for m in said if UNKNOWN in m]


async def test_an_id_nothing_binds_is_reported(fresh_db, said):
    settings, _visit = fresh_db
    async with running(settings.with_(keys={"form.nothing": "ctrl+o", "form.save": "ctrl+o"})):
        pass
    assert f"{UNKNOWN}: form.nothing" in said
