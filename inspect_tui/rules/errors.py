"""The one error type the rules raise: a message key plus its values.

The key names a text in the locale files, so the same refusal reads in
Vietnamese or English wherever it is shown (CLI, TUI, import report).
"""
from inspect_tui.locale import t


class DomainError(Exception):
    def __init__(self, key: str, **values):
        self.key = key
        self.values = values
        super().__init__(key)

    def message(self, lang: str | None = None) -> str:
        values = {k: _label(k, v, lang) for k, v in self.values.items()}
        return t("error." + self.key, lang=lang, **values)

    def __str__(self) -> str:
        return self.message()


def _label(key, value, lang):
    """Status codes and field names in a message read as people say them
    ("Đang thực hiện", "ngày hoàn thành"); an option of the command line
    ("--year") stays as typed."""
    if key in ("old", "new", "status") and isinstance(value, str):
        for group in ("task_status", "visit_status"):
            text = t(f"{group}.{value}", lang=lang)
            if text != f"{group}.{value}":
                return text
    if key == "field" and isinstance(value, str):  # "due_on" reads "hạn xử lý"
        text = t(f"field.{value}", lang=lang)
        if text != f"field.{value}":
            return text
    if key in ("day", "due") and hasattr(value, "year"):
        from inspect_tui.locale.formats import date
        return date(value, lang)
    return value
