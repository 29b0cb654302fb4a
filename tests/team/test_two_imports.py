"""Two units' workbooks exported at the same version, imported at once; and a
colleague's change between an import's reading of the file and its write. The
rows are checked and applied inside one transaction: whoever comes second is
refused as a conflict, with both values shown, and writes nothing."""
import datetime as dt
import shutil

import pytest

from inspect_tui.excel import per_unit, progress_import
from inspect_tui.rules import tasks
from inspect_tui.store.models import ProgressNote, Task

from processes import run_cli
from unit_edits import edit

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def workbook(url, make, tmp_path):
    plan = make.plan(2024)
    for _ in range(3):
        make.chain("STC", dt.date(2026, 12, 31), TODAY, plan_id=plan)
    written, _ = per_unit.export_per_unit(tmp_path / "units", TODAY, only="STC")
    return written[0].path


def _notes(text: str) -> int:
    return ProgressNote.select().where(ProgressNote.text.contains(text)).count()


@pytest.mark.slow
def test_two_imports_started_together_one_wins_whole(url, workbook, tmp_path):
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    shutil.copy(workbook, first)
    shutil.copy(workbook, second)
    edit(first, {i: {"note": f"Bản A dòng {i}"} for i in range(3)})
    edit(second, {i: {"note": f"Bản B dòng {i}", "status": "Đã báo cáo hoàn thành",
                      "completed_on": dt.datetime(2026, 11, 20)} for i in range(3)})
    common = ["--db", url, "--today", "23/11/2026", "import-progress"]
    runs = [run_cli(*common, first, env={"INSPECT_TUI_USER": "đơn vị A"}),
            run_cli(*common, second, env={"INSPECT_TUI_USER": "đơn vị B"})]
    outcomes = [(p.wait(timeout=120), p.stdout.read(), p.stderr.read()) for p in runs]
    assert all("Traceback" not in out + err for _, out, err in outcomes)
    assert sorted(code for code, _, _ in outcomes) == [0, 1]
    winner = "A" if outcomes[0][0] == 0 else "B"
    loser = "B" if winner == "A" else "A"
    assert _notes(f"Bản {winner}") == 3 and _notes(f"Bản {loser}") == 0
    loser_out = outcomes[1 if winner == "A" else 0][1]
    assert "xung đột" in loser_out.lower() or "đã được sửa" in loser_out.lower()


def test_a_change_between_reading_and_writing_refuses_the_whole_import(url, workbook, monkeypatch):
    ids = edit(workbook, {i: {"note": f"Ghi chú của đơn vị {i}"} for i in range(3)})
    read = progress_import.read_progress

    def read_then_a_colleague_writes(*args, **kwargs):
        content = read(*args, **kwargs)
        tasks.add_note(ids[2], "Đồng nghiệp ghi trước", "đồng nghiệp", TODAY)
        return content

    monkeypatch.setattr(progress_import, "read_progress", read_then_a_colleague_writes)
    versions = {i: Task.get_by_id(i).version for i in ids}
    report = progress_import.import_progress([workbook], "đơn vị", TODAY)
    assert not report.applied and not report.ok
    assert _notes("Ghi chú của đơn vị") == 0  # the first two rows were rolled back too
    assert {i: Task.get_by_id(i).version for i in ids} == {**versions, ids[2]: versions[ids[2]] + 1}
    (problem,) = report.problems
    assert problem.row == per_unit.HEADER_ROW + 3
    assert "Ghi chú của đơn vị 2" in problem.reason and "Đồng nghiệp ghi trước" in problem.reason
