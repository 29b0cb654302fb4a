"""Texts are read a table at a time (locale/catalog.py): every key reads the
same text as the files parsed whole, in both languages, and a "[x]" line
inside a multi-line text does not cut it."""
import pytest

from inspect_tui.locale import t, texts
from inspect_tui.locale.catalog import Catalog, pieces


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_key_reads_the_text_of_the_whole_files(lang):
    whole, lazy = texts(lang), Catalog(lang)
    assert [key for key, text in whole.items() if lazy.get(key) != text] == []


def test_a_missing_english_text_falls_back_to_vietnamese_then_to_the_key():
    assert t("no.such.key", lang="en") == "no.such.key"
    assert t("cli.help.db", lang="en") == texts("en")["cli.help.db"] != texts("vi")["cli.help.db"]


def test_a_header_like_line_inside_a_multi_line_text_stays_in_its_table():
    source = 'a = 1\n[x]\nb = """\n[y]\n"""\n[z.w]\nc = 2\n'
    assert [name for name, _ in pieces(source)] == ["", "x", "z.w"]
    assert "".join(text for _, text in pieces(source)) == source
