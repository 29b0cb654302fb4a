"""Editing a per-unit progress workbook as a unit would, for the import tests
of the workbook and the TUI."""
from openpyxl import load_workbook

from inspect_tui.excel import per_unit

FIRST = per_unit.HEADER_ROW + 1  # the sheet row of the first task


def edit(path, rows: dict[int, dict[str, object]]) -> list[int]:
    """Change cells: {row offset: {column key: value}}; returns those rows' task ids."""
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    for offset, values in rows.items():
        for key, value in values.items():
            cell = ws[f"{per_unit._col(key)}{FIRST + offset}"]
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # text typed as text, even when it starts with "="
    wb.save(path)
    return [ws[f"{per_unit._col('task')}{FIRST + o}"].value for o in rows]
