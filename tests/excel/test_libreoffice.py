"""LibreOffice opens the status workbook, recalculates it, and gets the same
totals the program computed."""
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from inspect_tui.excel import export

from .conftest import TODAY

OFFICE = shutil.which("libreoffice") or shutil.which("soffice")


@pytest.mark.skipif(OFFICE is None, reason="LibreOffice (libreoffice/soffice) is not on PATH; "
                                           "CI installs libreoffice-calc-nogui")
def test_libreoffice_recalculates_the_same_totals(demo_db, tmp_path):
    result = export.export_status_workbook(tmp_path / "status.xlsx", TODAY)
    out = tmp_path / "lo"
    profile = tmp_path / "profile"
    subprocess.run([OFFICE, f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(out), str(result.path)],
                   check=True, capture_output=True, timeout=180)
    wb = load_workbook(out / "status.xlsx", data_only=True)
    ws = wb[result.sheets[0]]
    got = {ref: ws[ref].value for ref in result.checks}
    assert got == result.checks
    days = wb[result.sheets[2]]
    overdue = [r[10] for r in days.iter_rows(min_row=5, values_only=True) if r[0] is not None]
    assert sorted(d for d in overdue if d) == sorted(result.tally.overdue_days)
