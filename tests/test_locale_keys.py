"""Vietnamese and English carry the same keys across every locale file, and
every text the interface asks for exists."""
import re
from pathlib import Path

from inspect_tui.locale import texts
from inspect_tui.ui import keymap

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def test_both_languages_have_the_same_keys():
    vi, en = texts("vi"), texts("en")
    assert sorted(set(vi) - set(en)) == []
    assert sorted(set(en) - set(vi)) == []


def test_placeholders_match_between_languages():
    vi, en = texts("vi"), texts("en")
    different = [k for k in vi if set(PLACEHOLDER.findall(str(vi[k]))) != set(PLACEHOLDER.findall(str(en[k])))]
    assert different == []


def test_every_binding_has_a_label_and_help_in_both_languages():
    for lang in ("vi", "en"):
        known = texts(lang)
        for action in keymap.ACTIONS:
            assert f"ui.key.{action.id}" in known, action.id
            assert f"ui.help.{action.id}" in known, action.id


def test_every_literal_ui_key_in_the_code_exists():
    source = Path(__file__).parents[1] / "inspect_tui" / "ui"
    used = set()
    for path in source.rglob("*.py"):
        used |= set(re.findall(r"""t\(["'](ui\.[\w.]+)["']""", path.read_text("utf-8")))
    assert used and sorted(used - set(texts("vi"))) == []
