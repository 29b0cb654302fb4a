"""A DataTable whose columns fit the width it has, by priority.

Each column says how it may give way when the table is narrow: the flexible
column (a description) shortens first, to its `min`; then columns with short
forms switch to them (a status "Đang thực hiện" becomes "Đang làm", a heading
"Hạn xử lý" becomes "Hạn"), columns marked droppable disappear (least
important first), the description shortens on to its `floor`, the other
columns shrink to their `min`, and only then may the description go too. What a row must
show at 80 columns (an id, how late, the due date, the unit, the status)
therefore stays, and the description takes what is left.

The table keeps the rows it was given and lays them out again whenever its
width changes (a resize, a language switch), so the columns never stay
collapsed at the width of an earlier layout.
"""
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import DataTable

PADDING = 1  # DataTable's cell_padding on each side of a cell


@dataclass(frozen=True)
class Col:
    key: str
    label: str
    short_label: str = ""  # the heading when the column is narrower than `label`
    min: int = 0  # shrinks to this (0: never narrower than its content); the flexible
    # column shrinks to it before the others give way, then on to `floor`
    floor: int = 0
    max: int = 60  # grows to this at most
    flex: bool = False  # takes the width left over; shortened first
    drop: int = 0  # > 0: may be hidden on a narrow table, the highest number first
    wrap: bool = False  # long texts wrap onto more lines instead of being cut


@dataclass(frozen=True)
class Cell:
    """A cell's text, its style, and a short form for a narrow column."""

    text: str
    style: str = ""
    short: str = ""


def _cell(value) -> Cell:
    if isinstance(value, Cell):
        return value
    if isinstance(value, Text):
        return Cell(value.plain)
    return Cell("" if value is None else str(value))


def _width(text: str) -> int:
    return max((cell_len(line) for line in text.split("\n")), default=0)


def fit(columns: list[Col], rows: list[dict], available: int) -> tuple[list[Col], dict[str, int], set[str]]:
    """Which columns show, how wide, and which use their short forms, for
    `rows` (dicts of key -> Cell) in `available` cells."""
    cells = {c.key: [_cell(r.get(c.key)) for r in rows] for c in columns}

    def content(col: Col, short: bool) -> int:
        texts = [(x.short or x.text) if short else x.text for x in cells[col.key]]
        return max((_width(x) for x in texts), default=0)

    def natural(col: Col, short: bool) -> int:
        label = (col.short_label or col.label) if short else col.label
        return max(1, min(max(content(col, short), cell_len(label)), col.max))

    shown = list(columns)
    shorts: set[str] = set()
    width = {c.key: natural(c, False) for c in columns}

    def total() -> int:
        return sum(width[c.key] + 2 * PADDING for c in shown)

    flex = next((c for c in columns if c.flex), None)

    def squeeze_flex(floor: int) -> None:
        if flex is not None and flex in shown:
            width[flex.key] = max(min(floor, width[flex.key]), width[flex.key] - max(0, total() - available))

    squeeze_flex(flex.min or 8 if flex else 8)
    if total() > available:  # short forms
        for col in shown:
            if col is flex:
                continue
            short = natural(col, True)
            if short < width[col.key]:
                width[col.key] = short
                shorts.add(col.key)
    for col in sorted((c for c in columns if c.drop and c is not flex), key=lambda c: -c.drop):
        if total() <= available:
            break
        shown.remove(col)
    squeeze_flex(flex.floor or flex.min or 8 if flex else 8)
    if total() > available:  # down to the minimum widths, last columns first
        for col in reversed(shown):
            if col is not flex and col.min and width[col.key] > col.min:
                width[col.key] = max(col.min, width[col.key] - (total() - available))
            if total() <= available:
                break
    if total() > available and flex is not None and flex.drop:  # the description last of all
        shown.remove(flex)
    if flex is not None and flex in shown:  # the description takes what is left
        spare = available - total()
        if spare > 0:
            width[flex.key] = min(width[flex.key] + spare, max(flex.max, width[flex.key]))
    return shown, width, shorts


def render(value, width: int, short: bool, wrap: bool = False) -> Text:
    """The cell as shown in `width` cells: its short form when asked for or
    when only that fits, cut with "…" unless the column wraps. A rich Text
    keeps its own styles."""
    if isinstance(value, Text):
        shown = value.copy()
        shown.end = ""
        if not wrap and cell_len(shown.plain) > width:
            shown.truncate(width, overflow="ellipsis")
        return shown
    cell = _cell(value)
    text = cell.short if short and cell.short else cell.text
    if not wrap and cell_len(text) > width and cell.short and cell_len(cell.short) <= width:
        text = cell.short
    shown = Text(" ".join(text.split()) if not wrap else text, style=cell.style, end="")
    if not wrap and cell_len(shown.plain) > width:
        shown.truncate(width, overflow="ellipsis")
    return shown


class FittedTable(DataTable):
    """`set_columns` once, then `set_rows` (a page) and `add_rows` (the next pages)."""

    DEFAULT_CSS = """
    FittedTable.-grows { height: auto; max-height: 10000; }
    """

    def __init__(self, columns: list[Col] | None = None, grows: bool = False, **kwargs) -> None:
        """`grows`: the table is as tall as its rows (in a page that scrolls), never scrolling itself."""
        super().__init__(**kwargs)
        self.grows = grows
        if grows:
            self.add_class("-grows")
        self.specs: list[Col] = list(columns or [])
        self.records: list[tuple[str | None, dict]] = []
        self.shown: list[Col] = []
        self.widths: dict[str, int] = {}
        self.shorts: set[str] = set()
        self._laid_out_for = -1

    def set_columns(self, columns: list[Col]) -> None:
        self.specs = list(columns)
        self._layout()

    def available(self) -> int:
        width = self.size.width or (self.app.size.width if self.is_attached else 80)
        # Room for the vertical scrollbar unless the table grows with its rows.
        height = self.styles.height
        if not self.grows and (height is None or not height.is_auto or self.styles.max_height is not None):
            width -= self.styles.scrollbar_size_vertical
        return max(10, width)

    def set_rows(self, rows: list[tuple[str | None, dict]]) -> None:
        """Replace every row: (key, {column key: text or Cell})."""
        self.records = list(rows)
        self._layout()

    def add_rows_fitted(self, rows: list[tuple[str | None, dict]]) -> None:
        """Append rows at the current widths (the next page of a long list)."""
        self.records.extend(rows)
        for key, cells in rows:
            self._add(key, cells)

    def is_shown(self, key: str) -> bool:
        return any(c.key == key for c in self.shown)

    def _add(self, key, cells: dict) -> None:
        wrap = any(c.wrap for c in self.shown)
        self.add_row(*[render(cells.get(c.key), self.widths[c.key], c.key in self.shorts, c.wrap)
                       for c in self.shown], key=key, height=None if wrap else 1)

    def _layout(self) -> None:
        available = self.available()
        self._laid_out_for = available
        row = self.cursor_row if self.row_count else 0
        self.shown, self.widths, self.shorts = fit(self.specs, [c for _, c in self.records], available)
        self.clear(columns=True)
        for col in self.shown:
            narrow = col.key in self.shorts or cell_len(col.label) > self.widths[col.key]
            label = (col.short_label or col.label) if narrow else col.label
            self.add_column(label, width=self.widths[col.key], key=col.key)
        for key, cells in self.records:
            self._add(key, cells)
        if self.row_count:
            self.move_cursor(row=min(row, self.row_count - 1), animate=False)

    def on_resize(self) -> None:
        if self.specs and self.available() != self._laid_out_for:
            self._layout()
