"""A small bar chart of a series by period: one line per period, the period
on the axis at the left, a bar, and the value written after it. A single
value is one labelled bar, never a solid block; percentages are drawn on a
0-100% scale so that two indicators compare at a glance."""
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static

from inspect_tui.ui.widgets.bars import bar


@dataclass(frozen=True)
class Point:
    period: str
    value: float
    text: str  # the value as people read it ("93,43%")
    flagged: bool = False  # sources disagree for this period


class SeriesChart(Static):
    DEFAULT_CSS = """
    SeriesChart { height: auto; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__("", **kwargs)
        self.points: list[Point] = []
        self.scale: float | None = None
        self.empty = ""

    def show(self, points: list[Point], scale: float | None = None, empty: str = "") -> None:
        """Draw `points`; bars run from 0 to `scale` (default: the largest value)."""
        self.points = points
        self.scale = scale
        self.empty = empty
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        if not self.points:
            self.update(Text(self.empty, style="italic"))
            return
        axis = max(cell_len(p.period) for p in self.points)
        label = max(cell_len(p.text) for p in self.points) + 2
        width = max(4, (self.size.width or 60) - axis - label - 3)
        most = self.scale or max((p.value for p in self.points), default=0)
        lines = Text()
        for i, point in enumerate(self.points):
            if i:
                lines.append("\n")
            lines.append(point.period.rjust(axis), style="bold")
            lines.append(" │")
            lines.append(bar(max(point.value, 0), most, width), style="red" if point.flagged else "dodger_blue2")
            lines.append(" " + point.text + (" ⚠" if point.flagged else ""),
                         style="bold red" if point.flagged else "")
        self.update(lines)
