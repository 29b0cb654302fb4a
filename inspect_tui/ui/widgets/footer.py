"""A footer that wraps onto more lines instead of cutting bindings off, so every
binding is shown even on a screen with many of them (three lines at most, two
on a small terminal, where the command palette lists the rest). The palette
key and the quit key lead, so a small terminal never loses them."""
from textual._resolve import resolve_box_models
from textual.geometry import NULL_OFFSET, Region, Size
from textual.layout import Layout, WidgetPlacement
from textual.layouts.factory import LAYOUT_MAP
from textual.widgets import Footer


class FlowLayout(Layout):
    """Left to right, starting a new line where the next widget would not fit."""

    name = "flow"

    def arrange(self, parent, children, size: Size, greedy: bool = True):
        parent.pre_layout(self)
        boxes = resolve_box_models([child.styles.width for child in children], children, size,
                                   parent.app.viewport_size, Size(0, 0),
                                   resolve_dimension="width", greedy=greedy)
        placements = []
        x = y = 0
        line_height = 1
        for widget, (content_width, content_height, margin) in zip(children, boxes):
            width, height = int(content_width), int(content_height)
            if x and x + margin.left + width > size.width:
                x, y, line_height = 0, y + line_height, 1
            x += margin.left
            placements.append(WidgetPlacement(Region(x, y + margin.top, width, height), NULL_OFFSET,
                                              margin, widget, 0, False, False, False))
            x += width + margin.right
            line_height = max(line_height, margin.top + height + margin.bottom)
        return placements


LAYOUT_MAP.setdefault(FlowLayout.name, FlowLayout)  # styles name layouts; register ours


FIRST = ("command_palette", "app.command_palette", "quit", "app.quit")


def rank(action: str) -> int:
    """Ctrl+P and Ctrl+Q, then the screen's own keys, then undo, then the rest of the app's."""
    if action in FIRST:
        return 0
    if not action.startswith("app."):
        return 1
    return 2 if action == "app.undo" else 3


class WrappingFooter(Footer):
    """Ctrl+P (the palette, which finds every command) and Ctrl+Q come first,
    so that they show at every size, whatever else the lines leave out; the
    screen's keys and Ctrl+Z (undo) follow, the screen numbers and F-keys last."""

    DEFAULT_CSS = """
    WrappingFooter { layout: flow; height: auto; max-height: 3; }
    """

    def compose(self):
        keys = list(super().compose())
        yield from sorted(keys, key=lambda key: rank(getattr(key, "action", "")))

    def on_resize(self) -> None:
        # On a small terminal the content needs the rows more; the palette has the rest.
        self.styles.max_height = 2 if self.app.size.width < 100 else 3
