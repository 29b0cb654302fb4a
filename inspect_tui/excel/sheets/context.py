"""What every sheet of one export shares: the report date and scope, the
language, the letterhead, the sanitiser counting changed text, and where the
detail sheets put the columns the summary's formulas count over."""
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter, quote_sheetname

from inspect_tui.excel.cached import Cached
from inspect_tui.excel.safety import Sanitiser
from inspect_tui.excel.styles import Letterhead, SheetWriter, date_format
from inspect_tui.locale import formats, t

HEADER_ROW = 4  # detail sheets: title, scope line, blank, then the column headings
FIRST_DATA_ROW = HEADER_ROW + 1
REPORT_DATE_NAME = "NgayBaoCao"  # defined name of the report-date cell on the summary sheet


@dataclass
class Part:
    """A block of data rows on one sheet (a big sheet may be split in parts)."""
    title: str
    first: int
    last: int  # inclusive; equals `first` when the part is empty (one blank row)

    def column(self, col: int) -> str:
        letter = get_column_letter(col)
        return f"{quote_sheetname(self.title)}!${letter}${self.first}:${letter}${max(self.last, self.first)}"


@dataclass
class Context:
    today: dt.date
    year: int | None
    unit: str | None
    lang: str
    letterhead: Letterhead
    sanitiser: Sanitiser = field(default_factory=Sanitiser)
    progress: Callable[[int, int], None] | None = None
    total_steps: int = 1
    done_steps: int = 0
    visit_parts: list[Part] = field(default_factory=list)
    task_parts: list[Part] = field(default_factory=list)
    truncated: int = 0
    truncations: list = field(default_factory=list)  # (sheet, cell, characters cut), the first few
    cached: dict[str, Cached] = field(default_factory=dict)  # sheet title -> its formulas' values
    labels: dict[tuple[str, str], str] = field(default_factory=dict, repr=False)  # asked for row after row

    def writer(self, ws) -> SheetWriter:
        """A SheetWriter for one sheet of this export: its language, dates the
        decree's way, and its formulas' values kept for the saved file."""
        w = SheetWriter(ws, self.sanitiser)
        w.lang = self.lang
        w.decree_dates = True
        self.cached[ws.title] = w.cached
        return w

    def finish(self, w: SheetWriter) -> None:
        """Count what a sheet had to cut."""
        self.truncated += w.truncated
        self.truncations += [(w.ws.title, cell, n) for cell, n in w.truncations]

    def t(self, key: str, **values) -> str:
        return t(key, lang=self.lang, **values)

    def label(self, group: str, code: str) -> str:
        text = self.labels.get((group, code))
        if text is None:
            text = self.labels[(group, code)] = t(f"{group}.{code}", lang=self.lang)
        return text

    def step(self, n: int = 1) -> None:
        self.done_steps += n
        if self.progress:
            self.progress(min(self.done_steps, self.total_steps), self.total_steps)

    def _scope(self) -> str:
        scope = (self.t("excel.scope_year", year=self.year) if self.year
                 else self.t("excel.scope_all"))
        if self.unit:
            scope += self.t("excel.scope_unit", unit=self.unit)
        return scope

    def scope_line(self) -> str:
        return self.t("excel.scope_line", scope=self._scope(), day=formats.date(self.today, self.lang))

    def scope_format(self) -> str:
        """The scope line as a number format around the report date, so that the
        cell showing it stays a real date (formulas use it)."""
        before, after = self.t("excel.scope_line", scope=self._scope(), day="\0").split("\0")

        def literal(text: str) -> str:
            return '"' + text.replace('"', "'") + '"' if text else ""
        return literal(before) + date_format(self.today, self.lang) + literal(after)
