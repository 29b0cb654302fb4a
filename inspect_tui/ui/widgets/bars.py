"""Horizontal bar charts a coordinator reads without reading numbers.

A `BarList` is an OptionList: each bar is a row the cursor can reach, and
Enter (or a click) posts `BarList.Chosen` with the bar's payload, so every
figure opens the list behind it.
"""
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from inspect_tui.locale import formats
from inspect_tui.ui.widgets.messages import ControlMessage

BLOCKS = " ▏▎▍▌▋▊▉█"


def bar(value: float, most: float, width: int) -> str:
    """A bar of `width` cells at most, with eighth-cell precision."""
    if most <= 0 or value <= 0 or width <= 0:
        return ""
    eighths = max(1, round(value / most * width * 8))
    full, part = divmod(eighths, 8)
    return "█" * full + (BLOCKS[part] if part else "")


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    payload: Any = None
    second: int = 0  # drawn inside the bar in a warning colour (e.g. overdue of open)
    style: str = ""


class BarList(OptionList):
    DEFAULT_CSS = """
    BarList, BarList:focus { height: auto; max-height: 14; border: none; padding: 0; }
    BarList:focus { background-tint: $foreground 4%; }
    """

    class Chosen(ControlMessage):
        """A bar was chosen: `payload` is the bar's."""

        def __init__(self, bar_list: "BarList", payload: Any) -> None:
            super().__init__(bar_list)
            self.payload = payload

    def __init__(self, bars: list[Bar] | None = None, label_width: int = 22, empty: str = "",
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.bars: list[Bar] = bars or []
        self.label_width = label_width
        self.empty = empty  # what an empty chart says instead of nothing

    def set_bars(self, bars: list[Bar]) -> None:
        self.bars = bars
        self._draw()

    def on_mount(self) -> None:
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _prompt(self, item: Bar, most: int, width: int) -> Text:
        label = item.label
        if len(label) > self.label_width:
            label = label[: self.label_width - 1] + "…"
        text = Text(label.ljust(self.label_width) + " ")
        total = bar(item.value, most, width)
        late = bar(item.second, most, width) if item.second else ""
        late = late[: len(total)]
        text.append(late, style="bold red")
        text.append(total[len(late):], style=item.style or "bold dodger_blue2")
        text.append(" " + formats.number(item.value))
        if item.second:
            text.append(f" ({formats.number(item.second)})", style="red")
        return text

    def _draw(self) -> None:
        highlighted = self.highlighted
        most = max((b.value for b in self.bars), default=0)
        width = max(4, (self.size.width or 60) - self.label_width - 14)
        self.clear_options()
        self.add_options([Option(self._prompt(b, most, width), id=f"bar-{i}")
                          for i, b in enumerate(self.bars)])
        if not self.bars and self.empty:
            self.add_option(Option(Text(self.empty, style="italic"), disabled=True))
        if self.bars:
            self.highlighted = min(highlighted or 0, len(self.bars) - 1)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        index = event.option_index
        if 0 <= index < len(self.bars):
            self.post_message(self.Chosen(self, self.bars[index].payload))
