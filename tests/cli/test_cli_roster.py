"""`units` with its successors and predecessors, `units import|export|template`,
`reorganise` and `reassign`, on SQLite and PostgreSQL; and the coordinator's
2025 path end to end: 103 communes and wards from a workbook, the nine
districts' open tasks passed to them after a preview, the 2026 plan offering
them, the roster of 30/6/2025 unchanged."""
import datetime as dt
import json

import pytest
from openpyxl import load_workbook

from inspect_tui.rules import inspections, reorganisation, units
from inspect_tui.store import db as store
from inspect_tui.store.models import ChangeLog, Task

from cli_helpers import run_to_exit as run

TODAY = "02/3/2026"
TODAY_DATE = dt.date(2026, 3, 2)
DISTRICTS = ("Q-NK", "Q-BT", "Q-CR", "Q-OM", "Q-TN", "H-PD", "H-CD", "H-TL", "H-VT")


def on(url, *argv):
    return run("--db", url, "--today", TODAY, *argv)


def log_size(url) -> int:
    store.connect(url)
    try:
        return ChangeLog.select().count()
    finally:
        store.close()


def test_units_show_successors_and_predecessors_in_every_format(home, seeded_url):
    data = json.loads(on(seeded_url, "units", "--format", "json").out)
    by_code = {d["code"]: d for d in data}
    assert by_code["SKHDT"]["successors"] == ["STC"] and by_code["STC"]["predecessors"] == ["SKHDT"]
    assert sorted(by_code["SNNMT"]["predecessors"]) == ["SNNPTNT", "STNMT"]
    assert by_code["Q-NK"]["successors"] == ["UBND-TP"]
    csv_out = on(seeded_url, "units", "--on", "01/6/2024", "--format", "csv").out
    assert csv_out.splitlines()[0].endswith("predecessors,successors,note")
    table = on(seeded_url, "units", "--on", "01/6/2024", "--kind", "department").out
    assert "Đơn vị kế thừa" in table and "SNNMT" in table


@pytest.mark.slow
def test_units_import_export_template(home, seeded_url, tmp_path, capsys):
    result = on(seeded_url, "units", "template")
    assert result.code == 0, result.err
    template = home / "exports" / "mau-danh-sach-don-vi.xlsx"
    assert template.exists()
    wb = load_workbook(template)
    ws = wb["Danh sách đơn vị"]
    ws.append(["P-01", "Phường Thử Một", "Xã, phường, thị trấn", "UBND-TP", dt.date(2025, 7, 1), None, "Không"])
    ws.append(["X-01", "Xã Thử Một", "commune", "UBND-TP", "01/7/2025"])
    wb.save(template)
    before = log_size(seeded_url)
    dry = on(seeded_url, "units", "import", str(template), "--dry-run")
    assert dry.code == 0 and "thêm 2 đơn vị" in dry.out and log_size(seeded_url) == before
    done = on(seeded_url, "units", "import", str(template))
    assert done.code == 0 and "thêm 2, sửa 0" in done.out
    again = on(seeded_url, "units", "import", str(template))
    assert again.code == 0 and "Không có thay đổi nào: 2 đơn vị" in again.out
    communes = json.loads(on(seeded_url, "units", "--kind", "commune", "--format", "json").out)
    assert [(c["code"], c["confirmed"]) for c in communes] == [("P-01", False), ("X-01", True)]

    result = on(seeded_url, "units", "export", "--on", "30/6/2025", "--out", str(tmp_path / "r.csv"))
    assert result.code == 0 and "Đã xuất 29 đơn vị (tồn tại ngày 30/6/2025)" in result.out
    assert "Q-NK" in (tmp_path / "r.csv").read_text("utf-8-sig")
    result = on(seeded_url, "units", "export")
    assert result.code == 0 and (home / "exports" / "danh-sach-don-vi-2026-03-02.xlsx").exists()

    bad = home / "bad.csv"
    bad.write_text("code,name,kind,parent\nP-09,Phường,commune,NOWHERE\nP-09,Phường,commune,UBND-TP\n", "utf-8")
    result = on(seeded_url, "units", "import", str(bad))
    assert result.code == 1 and "NOWHERE" in result.out and "dòng 2" in result.out
    assert "không thay đổi gì" in capsys.readouterr().err  # the import commands' one line, as `import`


def test_reorganise_previews_then_records(home, seeded_url):
    argv = ("reorganise", "merge", "--on", "01/01/2026", "--from", "so tu phap", "SNGV",
            "--new", "STP-NG=Sở Tư pháp và Ngoại vụ", "--note", "Quyết định thử")
    before = log_size(seeded_url)
    preview = on(seeded_url, *argv, "--dry-run")
    assert preview.code == 0, preview.err
    assert "Kết thúc: STP (Sở Tư pháp), SNGV (Sở Ngoại vụ)" in preview.out
    assert "STP-NG (Sở Tư pháp và Ngoại vụ) – mới" in preview.out and "Xem trước" in preview.out
    assert log_size(seeded_url) == before
    done = on(seeded_url, *argv)
    assert done.code == 0 and "Đã ghi lần sắp xếp: 2 đơn vị kết thúc" in done.out
    before_day = {d["code"] for d in json.loads(on(seeded_url, "units", "--on", "31/12/2025", "--format", "json").out)}
    after_day = {d["code"] for d in json.loads(on(seeded_url, "units", "--on", "01/01/2026", "--format", "json").out)}
    assert {"STP", "SNGV"} <= before_day and "STP-NG" not in before_day
    assert "STP-NG" in after_day and not {"STP", "SNGV"} & after_day
    again = on(seeded_url, *argv)
    assert again.code == 1 and again.err.strip()


@pytest.fixture
def districts_url(seeded_url, make):
    """The seeded database with open tasks found at the nine districts in 2024
    (the default roster's 2025 dissolution left them with UBND thành phố)."""
    store.connect(seeded_url)
    made = make.district_tasks(TODAY_DATE)
    store.close()
    return seeded_url, made


@pytest.mark.slow
def test_the_coordinators_2025_path(home, districts_url, tmp_path):
    url, made = districts_url
    # the tasks wait with UBND thành phố
    pending = json.loads(on(url, "reassign", "--format", "json").out)
    assert len(pending) == 18 and {p["holder_code"] for p in pending} == {"UBND-TP"}
    # 103 communes and wards from a workbook (made-up names: the real list is the city's decision)
    assert on(url, "units", "template", "--out", str(tmp_path / "xa.xlsx")).code == 0
    wb = load_workbook(tmp_path / "xa.xlsx")
    ws = wb["Danh sách đơn vị"]
    for i in range(1, 104):
        kind_word = "Phường" if i <= 31 else "Xã"
        ws.append([f"CX-{i:03d}", f"{kind_word} Thử {i:03d}", "Xã, phường, thị trấn", "UBND-TP",
                   dt.date(2025, 7, 1), None, "Không"])
    wb.save(tmp_path / "xa.xlsx")
    result = on(url, "units", "import", str(tmp_path / "xa.xlsx"))
    assert result.code == 0 and "thêm 103" in result.out
    # each district's tasks to a ward, previewed first
    for i, code in enumerate(DISTRICTS, start=1):
        target = f"phuong thu {i:03d}"  # a name without diacritics
        preview = on(url, "reassign", "--from", code, "--to", target, "--dry-run")
        assert preview.code == 0 and "2 nhiệm vụ sẽ giao lại" in preview.out and f"CX-{i:03d}" in preview.out
        done = on(url, "reassign", "--from", code, "--to", target)
        assert done.code == 0 and f"CX-{i:03d}: 2" in done.out
    assert "Không có nhiệm vụ nào chờ giao lại" in on(url, "reassign").out
    store.connect(url)
    try:
        assert {Task.get_by_id(made["Q-NK"][0]).responsible_unit.code} == {"CX-001"}
        plan = inspections.create_plan(2026, "12/KH-UBND", "tester").id
        assert inspections.add_visit(plan, "CX-050", "tester", scheduled_on=dt.date(2026, 5, 4))
        assert units.search("xa thu 050", on=dt.date(2026, 5, 4))[0].code == "CX-050"
        assert len(units.roster(on=dt.date(2026, 5, 4), kind="commune")) == 103
        before = {r.code for r in units.roster(on=dt.date(2025, 6, 30))}
        assert set(DISTRICTS) <= before and not any(c.startswith("CX-") for c in before)
        assert [link.code for link in units.links()["CX-001"].predecessors] == ["Q-NK"]
    finally:
        store.close()


def test_reassign_task_by_task(home, districts_url):
    url, made = districts_url
    store.connect(url)
    units.create("P-A", "Phường Ánh Sáng", "commune", "tester", parent="UBND-TP", started_on=dt.date(2025, 7, 1))
    units.create("X-B", "Xã Bình An", "commune", "tester", parent="UBND-TP", started_on=dt.date(2025, 7, 1))
    store.close()
    one, two = made["H-VT"]
    result = on(url, "reassign", "--task", f"{one}=phuong anh sang", "--task", f"{two}=X-B")
    assert result.code == 0, result.err
    assert "P-A: 1" in result.out and "X-B: 1" in result.out
    left = json.loads(on(url, "reassign", "--format", "json").out)
    assert len(left) == 16 and one not in {p["task_id"] for p in left}
    store.connect(url)
    try:
        assert [p.task_id for p in reorganisation.pending(TODAY_DATE, from_unit="H-VT")] == []
    finally:
        store.close()
    result = on(url, "reassign", "--task", str(one), "--to", "X-B")
    assert result.code == 1 and str(one) in result.err
