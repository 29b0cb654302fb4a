"""The roster file (`units import`, `units export`, `units template`) on both
backends: 103 communes and wards from the template workbook, idempotent;
hostile files refused at their cell with nothing written; a roster exported
from one database and imported into another."""
import csv
import datetime as dt
from importlib import resources

import pytest
from openpyxl import Workbook, load_workbook

from inspect_tui.excel import roster
from inspect_tui.excel.errors import ExcelError
from inspect_tui.rules import limits, units
from inspect_tui.store import db as store
from inspect_tui.store.models import ChangeLog, Unit

TODAY = dt.date(2026, 3, 2)
START = dt.date(2025, 7, 1)
ACTOR = "tester"


def generated_communes(n_wards: int = 31, n_communes: int = 72) -> list[list]:
    """Made-up wards and communes (not the city's real list), in the file's shape."""
    rows = [[f"P-{i:02d}", f"Phường Thử Nghiệm {i:02d}", "commune", "UBND-TP", START, None, "false", ""]
            for i in range(1, n_wards + 1)]
    rows += [[f"X-{i:02d}", f"Xã Thử Nghiệm {i:02d}", "commune", "UBND-TP", START, None, "false", ""]
             for i in range(1, n_communes + 1)]
    return rows


def write_csv(path, rows, header=roster.COLUMNS, delimiter=",", encoding="utf-8"):
    with open(path, "w", encoding=encoding, newline="") as out:
        writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if v is None else v.isoformat() if isinstance(v, dt.date) else v for v in row])
    return path


def write_xlsx(path, rows, header=None, title_rows=0):
    wb = Workbook()
    ws = wb.active
    for _ in range(title_rows):
        ws.append(["DANH SÁCH ĐƠN VỊ"])
    ws.append(list(header or [roster.heading(c, "vi") for c in roster.COLUMNS]))
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def snapshot() -> tuple:
    return (ChangeLog.select().count(),
            sorted(Unit.select(Unit.code, Unit.name, Unit.kind, Unit.parent, Unit.started_on, Unit.ended_on,
                               Unit.confirmed, Unit.note, Unit.version).tuples()))


def import_(path, dry_run=False, lang="vi"):
    return roster.import_roster(path, ACTOR, TODAY, lang, dry_run)


# --- 103 communes and wards ----------------------------------------------------------------------

@pytest.mark.slow
def test_103_communes_and_wards_from_the_template_twice(seeded, tmp_path):
    path = roster.write_template(tmp_path / "mau.xlsx", TODAY, "vi")
    wb = load_workbook(path)
    ws = wb["Danh sách đơn vị"]
    assert [c.value for c in ws[1]] == [roster.heading(c, "vi") for c in roster.COLUMNS]
    for i, row in enumerate(generated_communes(), start=2):
        row = list(row)
        row[2] = "Xã, phường, thị trấn"  # the label the drop-down offers
        row[6] = "Không"
        for col, value in enumerate(row, 1):
            ws.cell(row=i, column=col, value=value)
    wb.save(path)

    before = snapshot()
    dry = import_(path, dry_run=True)
    assert dry.ok and not dry.applied and dry.created == {"units": 103}
    assert snapshot() == before
    report = import_(path)
    assert report.ok and report.applied and report.created == {"units": 103}
    communes = units.roster(on=dt.date(2025, 8, 1), kind="commune")
    assert len(communes) == 103
    assert sum(r.name.startswith("Phường") for r in communes) == 31
    assert {(r.parent_code, r.started_on, r.confirmed) for r in communes} == {("UBND-TP", START, False)}
    assert units.roster(on=dt.date(2025, 6, 30), kind="commune") == []
    assert len(units.roster(on=dt.date(2025, 6, 30), kind="district")) == 9
    # a second import of the same file changes nothing
    after = snapshot()
    again = import_(path)
    assert again.ok and not again.applied and again.changes == [] and again.already == 103
    assert snapshot() == after


def test_a_csv_as_excel_saves_it_semicolons_bom_labels_and_vietnamese_dates(seeded, tmp_path):
    header = ["Mã", "Tên đơn vị", "Loại hình", "Trực thuộc (mã)", "Ngày bắt đầu", "Đã xác nhận"]
    path = tmp_path / "ds.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        out.write(";".join(header) + "\r\n")
        out.write("P-01;Phường Một;Commune or ward;UBND-TP;01/7/2025;có\r\n")
        out.write("P-02;\"Phường Hai; mới\";xa, phuong, thi tran;UBND-TP;2025-07-01;\r\n")
        out.write(";;;;;\r\n")
    report = import_(path)
    assert report.ok, report.problems
    assert [(r.code, r.name, r.confirmed) for r in units.roster(kind="commune")] == [
        ("P-02", "Phường Hai; mới", True), ("P-01", "Phường Một", True)]


def test_import_changes_what_differs_and_reports_old_and_new(seeded, tmp_path):
    path = write_csv(tmp_path / "u.csv", [["SNV", "Sở Nội vụ", "department", "UBND-TP", None, None, "true",
                                           "Đầu mối CCHC"]])
    report = import_(path)
    assert report.ok and report.created == {"updated": 1}
    assert [(c.record, c.field, c.old, c.new) for c in report.changes] == [("SNV", "Ghi chú", "", "Đầu mối CCHC")]
    assert units.get("SNV").note == "Đầu mối CCHC"
    # columns left out leave their fields alone
    path = write_csv(tmp_path / "v.csv", [["SNV", "Sở Nội vụ", "department"]], header=("code", "name", "kind"))
    assert import_(path).changes == []


# --- hostile files --------------------------------------------------------------------------------

HOSTILE = {  # name -> (rows, header, [(row, column letter, text in the reason)])
    "missing-columns": ([["A1", "Phường A"]], ("code", "name"), [(1, "", "Loại hình")]),
    "duplicate-codes": ([["P-1", "Phường Một", "commune", "UBND-TP"], ["P-1", "Phường Khác", "commune", "UBND-TP"]],
                        None, [(3, "A", "dòng 2")]),
    "parent-not-there": ([["P-1", "Phường Một", "commune", "Q-NOWHERE"]], None, [(2, "D", "Q-NOWHERE")]),
    "end-before-start": ([["P-1", "Phường Một", "commune", "UBND-TP", dt.date(2025, 7, 1), dt.date(2025, 6, 1)]],
                         None, [(2, "F", "ngày kết thúc")]),
    "cycle-of-parents": ([["A-1", "Đơn vị A", "other", "B-1"], ["B-1", "Đơn vị B", "other", "C-1"],
                          ["C-1", "Đơn vị C", "other", "A-1"], ["D-1", "Tự trực thuộc", "other", "D-1"]],
                         None, [(2, "D", "A-1"), (3, "D", "B-1"), (4, "D", "C-1"), (5, "D", "D-1")]),
    "parent-ended": ([["P-1", "Phường Một", "commune", "Q-NK", dt.date(2025, 7, 1)]], None, [(2, "D", "Q-NK")]),
    "bad-kind-and-date": ([["P-1", "Phường Một", "ministry", "UBND-TP", "31/02/2025"]], None,
                          [(2, "C", "ministry"), (2, "E", "31/02/2025")]),
    "blank-name-bad-code": ([["P 1", "", "commune"]], None, [(2, "A", "P 1"), (2, "B", "trống")]),
    "reopen-a-merged-unit": ([["SKHDT", "Sở Kế hoạch và Đầu tư", "department", "UBND-TP", None, None]], None,
                             [(2, "F", "sắp xếp")]),
}


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_files_are_refused_at_their_cell_and_change_nothing(seeded, tmp_path, name, suffix):
    rows, header, expected = HOSTILE[name]
    full = [list(r) + [None] * (len(roster.COLUMNS) - len(r)) for r in rows] if header is None else rows
    if suffix == "csv":
        path = write_csv(tmp_path / f"{name}.csv", full, header=header or roster.COLUMNS)
    else:
        path = write_xlsx(tmp_path / f"{name}.xlsx", full, header=header)
    before = snapshot()
    report = import_(path)
    assert not report.ok and not report.applied
    assert snapshot() == before
    found = [(p.row, p.column, p.reason) for p in report.problems]
    for row, column, text in expected:
        assert any(r == row and c == column and text in reason for r, c, reason in found), found
    assert report.problem_count == len(expected), found
    assert not import_(path, dry_run=True).ok  # the dry run says the same


def test_50000_rows_are_refused_with_the_limit_named(seeded, tmp_path):
    rows = [[f"T-{i:05d}", f"Đơn vị {i}", "commune", "UBND-TP"] + [None] * 4 for i in range(50_000)]
    path = write_csv(tmp_path / "big.csv", rows)
    before = snapshot()
    report = import_(path)
    assert not report.ok and snapshot() == before
    [problem] = report.problems
    assert "10.000" in problem.reason
    assert "10,000" in import_(path, lang="en").problems[0].reason


@pytest.mark.slow
def test_50000_rows_in_a_workbook_are_refused_with_the_limit_named(seeded, tmp_path):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(list(roster.COLUMNS))
    for i in range(50_000):
        ws.append([f"T-{i:05d}", f"Đơn vị {i}", "commune", "UBND-TP"])
    wb.save(tmp_path / "big.xlsx")
    before = snapshot()
    report = import_(tmp_path / "big.xlsx")
    assert not report.ok and snapshot() == before
    assert "10.000" in report.problems[0].reason


def test_a_csv_over_the_size_limit_or_not_utf8_is_refused(seeded, tmp_path, monkeypatch):
    path = write_csv(tmp_path / "u.csv", generated_communes(3, 0))
    monkeypatch.setattr(limits, "ROSTER_BYTES_MAX", 100)
    report = import_(path)
    assert not report.ok and "MB" in report.problems[0].reason
    monkeypatch.undo()
    path.write_bytes("code,name,kind\nP-1,Phông,commune\n".encode("latin-1"))
    assert "UTF-8" in import_(path).problems[0].reason
    (tmp_path / "e.csv").write_bytes(b"")
    assert not import_(tmp_path / "e.csv").ok
    assert not import_(tmp_path / "none.csv").ok


# --- export, and a roster travelling between databases ---------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_a_roster_travels_between_databases(backend, seeded_url, new_db_url, tmp_path, suffix):
    store.connect(seeded_url)
    units.create("P-01", "Phường Một", "commune", ACTOR, parent="UBND-TP", started_on=START, confirmed=False,
                 note="Mẫu;\nhai dòng")
    expected = [(r.code, r.name, r.kind, r.parent_code, r.started_on, r.ended_on, r.confirmed, r.note)
                for r in units.roster()]
    written = roster.export_roster(tmp_path / f"ds.{suffix}", None, TODAY, "vi")
    assert written.rows == 36
    assert import_(written.path).changes == []  # into the same database: nothing to do
    day = roster.export_roster(tmp_path / f"day.{suffix}", dt.date(2025, 6, 30), TODAY, "en")
    assert day.rows == 29  # 30/6/2025: the nine districts, the departments after the March mergers
    store.close()

    store.connect(new_db_url, create=True)
    report = import_(written.path)
    assert report.ok and report.created == {"units": 36}
    assert [(r.code, r.name, r.kind, r.parent_code, r.started_on, r.ended_on, r.confirmed, r.note)
            for r in units.roster()] == expected
    assert {r.code for r in units.roster(on=dt.date(2025, 6, 30), kind="district")} == {
        "Q-NK", "Q-BT", "Q-CR", "Q-OM", "Q-TN", "H-PD", "H-CD", "H-TL", "H-VT"}
    again = import_(written.path)
    assert again.ok and again.changes == [] and again.already == 36
    store.close()


def test_the_roster_of_a_day_keeps_the_parent_of_that_day(seeded, tmp_path):
    units.create("VP-STP", "Văn phòng Sở Tư pháp", "other", ACTOR, parent="STP")
    units.reorganise("merge", ["STP"], ["STP2"], dt.date(2026, 1, 1), ACTOR,
                     new_units=[{"code": "STP2", "name": "Sở Tư pháp mới", "kind": "department",
                                 "parent": "UBND-TP"}])
    path = roster.export_roster(tmp_path / "before.csv", dt.date(2025, 12, 31), TODAY, "vi").path
    rows = {r["code"]: r for r in csv.DictReader(open(path, encoding="utf-8-sig"))}
    assert rows["VP-STP"]["parent"] == "STP" and "STP2" not in rows
    path = roster.export_roster(tmp_path / "after.csv", dt.date(2026, 1, 1), TODAY, "vi").path
    rows = {r["code"]: r for r in csv.DictReader(open(path, encoding="utf-8-sig"))}
    assert rows["VP-STP"]["parent"] == "STP2" and "STP" not in rows


def test_export_refusals(seeded, tmp_path):
    for target, key in ((tmp_path / "ds.txt", "roster_suffix"), (tmp_path / "no" / "ds.csv", "no_folder"),
                        (tmp_path, "roster_suffix")):
        with pytest.raises(ExcelError) as info:
            roster.export_roster(target, None, TODAY, "vi")
        assert info.value.key == key
    (tmp_path / "d.csv").mkdir()
    with pytest.raises(ExcelError) as info:
        roster.export_roster(tmp_path / "d.csv", None, TODAY, "vi")
    assert info.value.key == "roster_target_is_folder"


def test_the_default_files_are_in_the_import_shape(db, tmp_path):
    data = resources.files("inspect_tui.data")
    path = tmp_path / "units.csv"
    path.write_text(data.joinpath("units.csv").read_text("utf-8"), "utf-8")
    assert import_(path).created == {"units": 34}
    path = tmp_path / "communes.sample.csv"
    path.write_text(data.joinpath("communes.sample.csv").read_text("utf-8"), "utf-8")
    report = import_(path)
    assert report.ok and report.created["units"] >= 3
    sample = units.roster(kind="commune")
    assert sample and not any(r.confirmed for r in sample)  # a sample: nothing in it is confirmed
    assert all("chưa xác nhận" in r.note for r in sample)
