"""Limits on a workbook that comes back from outside (a unit's progress
workbook, a filled template), each named once. A file past any of them is
refused at once, before it is read any further, with the limit named.

The rows are a province's progress workbook: tens of thousands of tasks
(a 50,000-row workbook, its sheet about 50 MB unzipped, is read whole). The
reading of one file is bounded in CPU seconds, which a busy machine does not
change; the importer never trusts what a file claims about itself (its
dimension, its counts), only what it has counted.
Characters per cell are the rules' own field length (`LONG_TEXT_MAX`, which is
also what one Excel cell holds), and the dates a workbook accepts are those
its own validation offers (from YEAR_MIN to the last day before YEAR_MAX).
"""
import datetime as dt

from openpyxl.utils.datetime import to_excel

from inspect_tui.rules.limits import LONG_TEXT_MAX, YEAR_MAX, YEAR_MIN

MB = 1024 * 1024

FILE_BYTES_MAX = 20 * MB  # the file as sent (zipped)
PARTS_MAX = 500  # parts (zip members) in the package
SHEET_PART_BYTES_MAX = 64 * MB  # a worksheet or the shared strings, unzipped (read as a stream)
OTHER_PART_BYTES_MAX = 4 * MB  # any other part, unzipped (openpyxl parses these whole)
PACKAGE_BYTES_MAX = 128 * MB  # all parts together, unzipped
ELEMENTS_MAX = 100_000  # XML elements of a part other than the rows of a worksheet or the shared strings
ELEMENTS_PER_CELL_MAX = 200  # XML elements in one cell or one shared string (rich-text runs and the like)
ROWS_MAX = 60_000  # the last row of a sheet: a province's tens of thousands of tasks
CELLS_PER_ROW_MAX = 32  # cells written in one row, and the last column (the sheets use 14)
SHARED_STRINGS_MAX = 100_000  # distinct texts of the workbook (openpyxl reads them all at once)
MERGED_MAX = 1_000  # merged ranges of one sheet
CELL_CHARS_MAX = LONG_TEXT_MAX  # characters of one cell
SECONDS_MAX = 60.0  # CPU seconds reading one file: a 50,000-row progress workbook takes about 9
PROBLEMS_SHOWN = 200  # problems listed per file; the count covers them all
CHANGES_SHOWN = 500  # changes listed in a report (a screen's worth to read); the count covers them all

# Dates a workbook accepts: the rules' years, up to the last day before YEAR_MAX
# (the date checks of the workbooks already sent out end on 31/12/2099).
DAY_MIN, DAY_MAX = dt.date(YEAR_MIN, 1, 1), dt.date(YEAR_MAX - 1, 12, 31)
SERIAL_MIN, SERIAL_MAX = int(to_excel(DAY_MIN)), int(to_excel(DAY_MAX))  # the same two days as Excel day numbers
