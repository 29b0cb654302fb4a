"""A footer that wraps onto more lines instead of cutting bindings off, so every
binding is shown even on a screen with many of them (three lines at most, two
on a small terminal, where the command palette lists the rest). The palette
key and the quit key lead, so a small terminal never loses them."""
from textual.geometry import NULL_OFFSET, Region, Size
from textual.layout import Layout, WidgetPlacement
from textual.layouts.factory import LAYOUT_MAP
from textual.widgets import Footer


def key_size(widget, container: Size, viewport: Size) -> Size:
    """How much room a footer key takes, its padding and border included:
    its content's width (the keys are `width: auto`) or the width it is given."""
    styles = widget.styles
    gutter = styles.gutter
    inner = container - gutter.totals - styles.margin.totals
    if styles.width is None or styles.width.is_auto:
        width = widget.get_content_width(inner, viewport) + gutter.width
    else:
        width = int(styles.width.resolve(container - styles.margin.totals, viewport))
    if styles.height is None or styles.height.is_auto:
        height = widget.get_content_height(inner, viewport, width - gutter.width) + gutter.height
    else:
        height = int(styles.height.resolve(container - styles.margin.totals, viewport))
    return Size(width, height)


class FlowLayout(Layout):
    """Left to right, starting a new line where the next widget would not fit."""

    name = "flow"

    def arrange(self, parent, children, size: Size, greedy: bool = True):
        parent.pre_layout(self)
        viewport = parent.app.viewport_size
        placements = []
        x = y = 0
        line_height = 1
        for widget in children:
            width, height = key_size(widget, size, viewport)
            margin = widget.styles.margin
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

    shown_keys: tuple | None = None  # the bindings the keys were composed for

    def shown_bindings(self) -> tuple:
        """What the footer shows of the screen's bindings, to tell whether it must change."""
        return tuple((binding.key, binding.description, binding.action, enabled, tooltip)
                     for _, binding, enabled, tooltip in self.screen.active_bindings.values() if binding.show)

    def compose(self):
        keys = list(super().compose())
        self.shown_keys = self.shown_bindings() if keys else None
        for key in keys:
            # Classed before they mount: the class a key binds to `compact` is then
            # already there, and mounting does not restyle every key a second time.
            if hasattr(type(key), "compact"):  # a key (the class: reading a reactive starts it)
                key.set_class(self.compact, "-compact", update=False)
        yield from sorted(keys, key=lambda key: rank(getattr(key, "action", "")))

    def bindings_changed(self, screen) -> None:
        # Published on every focus move and screen switch (back from a task, say),
        # when the keys shown are mostly the same: composing them anew restyles
        # every key, which costs more than the rest of the screen switch.
        if (self.shown_keys is not None and self.is_attached and screen is self.screen
                and self.shown_bindings() == self.shown_keys):
            return
        super().bindings_changed(screen)

    def on_resize(self) -> None:
        # On a small terminal the content needs the rows more; the palette has the rest.
        self.styles.max_height = 2 if self.app.size.width < 100 else 3
