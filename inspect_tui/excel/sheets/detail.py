"""The common frame of a detail sheet: title, scope line, column headings,
frozen heading row, autofilter and the heading repeated on every printed page."""
from openpyxl.utils import get_column_letter

from inspect_tui.excel.sheets.context import HEADER_ROW, Context
from inspect_tui.excel.styles import SheetWriter, page_setup, set_widths


def start(ws, ctx: Context, title: str, headings: list[str], widths: list[float],
          hidden: tuple[int, ...] = ()) -> SheetWriter:
    """Write the frame; call before any other row (streaming sheets set widths first)."""
    set_widths(ws, widths)
    for col in hidden:
        ws.column_dimensions[get_column_letter(col)].hidden = True
    page_setup(ws, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    w = ctx.writer(ws)
    w.widths = [0 if i + 1 in hidden else x for i, x in enumerate(widths)]
    n = len(headings)
    w.line(title, "title", 1, n, height=22)
    w.line(ctx.scope_line(), "subtitle", 1, n, height=18)
    w.blank()
    w.append([w.cell(h, "head") for h in headings], height=45)
    return w


def finish(w: SheetWriter, ctx: Context, columns: int, last_row: int) -> None:
    """Autofilter over the headings and the data rows."""
    w.ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(columns)}{max(last_row, HEADER_ROW + 1)}"
    ctx.finish(w)
