"""Text a person typed is written as text, never as something Excel runs.

openpyxl turns any string starting with "=" into a formula; Excel and
LibreOffice also treat "+", "-" and "@" as the start of a formula when a
user retypes such a cell. We keep the text exactly and mark the cell as a
string. Characters the xlsx XML cannot hold (C0 controls other than tab,
newline, carriage return) are removed, and every such change is counted so
the export can report it.
"""
from dataclasses import dataclass

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@")


@dataclass
class Sanitiser:
    stripped: int = 0  # values that lost control characters
    neutralised: int = 0  # values that look like formulas, kept as text

    def text(self, value: str, typed: bool = True) -> str:
        """Clean `value`; count the change only for text a person typed
        (the letterhead's "- Bộ Nội vụ;" lines are ours, not news)."""
        cleaned = ILLEGAL_CHARACTERS_RE.sub("", value)
        if typed and cleaned != value:
            self.stripped += 1
        if typed and cleaned.startswith(FORMULA_STARTS):
            self.neutralised += 1
        return cleaned

    @property
    def changes(self) -> int:
        return self.stripped + self.neutralised

