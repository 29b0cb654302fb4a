"""Refusals of the workbook code, worded in the `[excel.error]` locale table.

A subclass of the rules' DomainError, so the command line and the TUI show
them the same way."""
from inspect_tui.locale import t
from inspect_tui.rules.errors import DomainError, _label


class Text(str):
    """A value that is itself a locale key: worded in the language the message
    is shown in, not the one it was raised in."""


class ExcelError(DomainError):
    def message(self, lang: str | None = None) -> str:
        values = {k: t(v, lang=lang) if isinstance(v, Text) else _label(k, v, lang)
                  for k, v in self.values.items()}
        return t("excel.error." + self.key, lang=lang, **values)
