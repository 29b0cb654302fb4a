"""A message one of our widgets posts about itself (a bar chosen, a unit taken)."""
from textual.message import Message
from textual.widget import Widget


class ControlMessage(Message):
    """`control` is the widget that posted it: a handler tells two of them apart
    by its id, and `@on(Message, "#id")` selectors match it."""

    def __init__(self, widget: Widget) -> None:
        super().__init__()
        self.widget = widget

    @property
    def control(self) -> Widget:
        return self.widget
