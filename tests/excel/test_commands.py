"""The sub-commands through the real command line."""
import shutil

import pytest
from openpyxl import load_workbook
from rich.console import Console

from inspect_tui import cli
from inspect_tui.excel import per_unit
from inspect_tui.store.models import Task


def run(args, tmp_path):
    out = Console(record=True, width=200)
    err = Console(record=True, width=200, stderr=True)
    code = cli.main(args, console=out, err=err)
    return code, out.export_text(), err.export_text()


@pytest.mark.slow
def test_export_per_unit_dry_run_import_and_export_again(demo_template, tmp_path, monkeypatch, capsys):
    db = tmp_path / "d.sqlite3"
    shutil.copy(demo_template, db)
    monkeypatch.setenv("INSPECT_TUI_HOME", str(tmp_path))
    base = ["--db", str(db), "--today", "06/5/2025"]
    code, text, _ = run(base + ["export", "--year", "2022"], tmp_path)
    assert code == 0, text
    first = tmp_path / "exports" / "bao-cao-cchc-2022-ngay-2025-05-06.xlsx"
    assert first.exists()
    code, text, _ = run(base + ["export", "--per-unit", "--out", str(tmp_path / "units")], tmp_path)
    assert code == 0 and "STC" in text
    path = next((tmp_path / "units").glob("*-stc-*.xlsx"))
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    task_id = ws[f"A{per_unit.HEADER_ROW + 1}"].value
    ws[f"{per_unit._col('status')}{per_unit.HEADER_ROW + 1}"] = "Đã báo cáo hoàn thành"
    ws[f"{per_unit._col('completed_on')}{per_unit.HEADER_ROW + 1}"] = "05/5/2025"
    wb.save(path)
    code, text, _ = run(base + ["import-progress", str(path), "--dry-run"], tmp_path)
    assert code == 0 and "Chạy thử" in text
    code, text, _ = run(base + ["import-progress", str(path)], tmp_path)
    assert code == 0 and "Đã cập nhật 2 thay đổi của 1 nhiệm vụ" in text  # status and date
    from inspect_tui.store import db as store
    store.connect(str(db))
    assert Task.get_by_id(task_id).status == "reported_done"
    store.close()
    code, text, err = run(base + ["import-progress", str(path)], tmp_path)  # sent twice
    assert code == 0 and "1 dòng đã được nhập trước đây" in text and "Không có thay đổi nào" in text
    code, text, _ = run(base + ["export", "--out", str(tmp_path / "again.xlsx"), "--lang", "en"], tmp_path)
    assert code == 0 and (tmp_path / "again.xlsx").exists()


def test_template_and_import_commands(demo_template, tmp_path, monkeypatch, capsys):
    db = tmp_path / "d.sqlite3"
    shutil.copy(demo_template, db)
    monkeypatch.setenv("INSPECT_TUI_HOME", str(tmp_path))
    base = ["--db", str(db), "--today", "06/5/2025"]
    code, text, _ = run(base + ["template", "--out", str(tmp_path / "t.xlsx")], tmp_path)
    assert code == 0 and (tmp_path / "t.xlsx").exists()
    code, text, _ = run(base + ["import", str(tmp_path / "t.xlsx")], tmp_path)
    assert code == 1  # an empty template has no plan row
    assert "Năm" in text
    bad = tmp_path / "bad.xlsx"
    bad.write_text("x")
    code, text, _ = run(base + ["import-progress", str(bad)], tmp_path)
    assert code == 1 and "không phải sổ tính" in text


@pytest.mark.slow
def test_a_long_report_lists_the_first_changes_and_counts_the_rest(demo_template, tmp_path, monkeypatch):
    """Thousands of changes are listed by nobody: the report shows the first
    CHANGES_SHOWN, says how many more there are, and the total stays whole."""
    from inspect_tui.excel import limits
    db = tmp_path / "d.sqlite3"
    shutil.copy(demo_template, db)
    monkeypatch.setenv("INSPECT_TUI_HOME", str(tmp_path))
    monkeypatch.setattr(limits, "CHANGES_SHOWN", 3)
    base = ["--db", str(db), "--today", "06/5/2025"]
    assert run(base + ["export", "--per-unit", "--unit", "STC", "--out", str(tmp_path / "u")], tmp_path)[0] == 0
    path = next((tmp_path / "u").glob("*-stc-*.xlsx"))
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    note = per_unit._col("note")
    rows = [r for r in range(per_unit.HEADER_ROW + 1, ws.max_row + 1) if ws[f"A{r}"].value]
    for r in rows:
        ws[f"{note}{r}"] = f"Tiến độ dòng {r}"
    wb.save(path)
    assert len(rows) > 3
    code, text, _ = run(base + ["import-progress", str(path), "--dry-run"], tmp_path)
    assert code == 0, text
    listed = [line for line in text.splitlines() if "Tiến độ dòng" in line]
    assert len(listed) == 3
    assert f"… và {len(rows) - 3} thay đổi khác không hiển thị." in text
    assert f"Chạy thử (--dry-run): {len(rows)} thay đổi hợp lệ" in text
