"""The paper commands: notice, minutes, remind, report. Default paths in the
export folder, --out, and refusals in one line with exit 1 (2 for usage),
nothing written; on SQLite and PostgreSQL (the demo database)."""

import pytest
from docx import Document


from cli_helpers import run

TODAY = "23/11/2026"


def files(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def _visit(db, code):
    from inspect_tui.store import db as store
    from inspect_tui.store.models import Plan, Unit, Visit

    store.connect(db)
    try:
        return (Visit.select(Visit.id).join(Unit).switch(Visit).join(Plan)
                .where((Unit.code == code) & (Plan.year == 2024)).scalar())
    finally:
        store.close()


@pytest.mark.slow
def test_each_paper_in_the_export_folder(demo_url, home):
    visit = _visit(demo_url, "SKHDT")
    for command, name in (("notice", f"thong-bao-ket-luan-skhdt-2024-{visit}.docx"),
                          ("minutes", f"bien-ban-kiem-tra-skhdt-2024-{visit}.docx")):
        result = run(command, str(visit), "--db", demo_url, "--today", TODAY)
        assert result.code == 0, result.err
        assert result.out.strip() == f"Đã soạn {'thông báo kết luận' if command == 'notice' else 'biên bản kiểm tra'}: " \
                                     f"{home / 'exports' / name}"
        assert Document(home / "exports" / name).tables[0].cell(0, 1).text.startswith("CỘNG HÒA")
    result = run("report", "--year", "2024", "--db", demo_url, "--today", TODAY)
    assert result.code == 0, result.err
    assert (home / "exports" / "bao-cao-kiem-tra-cchc-2024.docx").exists()
    result = run("remind", "--db", demo_url, "--today", TODAY)
    assert result.code == 0, result.err
    letters = [f for f in files(home / "exports") if f.startswith("cong-van-don-doc-ngay-2026-11-23/")]
    assert len(letters) >= 10 and "cong-van-don-doc-ngay-2026-11-23/don-doc-stc.docx" in letters
    assert f"Đã soạn {len(letters)} công văn đôn đốc" in result.out
    assert "STC: don-doc-stc.docx (11 nhiệm vụ quá hạn)" in result.out


def test_out_and_a_single_unit(demo_url, home):
    visit = _visit(demo_url, "H-CD")
    result = run("--db", demo_url, "--today", TODAY, "notice", str(visit), "--out", "tb.docx")
    assert result.code == 0 and (home / "tb.docx").exists()
    result = run("--db", demo_url, "--today", TODAY, "remind", "--unit", "so tai chinh", "--out", "dd")
    assert result.code == 0, result.err
    assert files(home / "dd") == ["don-doc-stc.docx"]
    result = run("--db", demo_url, "--today", "01/01/2021", "remind", "--unit", "STC", "--out", "dd2")
    assert result.code == 0 and "không có nhiệm vụ quá hạn" in result.out
    assert not (home / "dd2").exists()
    result = run("--db", demo_url, "--today", TODAY, "--lang", "en", "report", "--year", "2024",
                 "--out", "r.docx")
    assert result.code == 0 and result.out.startswith("Drafted the year's report")


@pytest.mark.parametrize("argv, key", [
    (("notice", "99999"), "Không tìm thấy"),
    (("minutes", "PLANNED"), "chưa được ghi là đã kiểm tra"),
    (("notice", "VISIT", "--out", "x.pdf"), ".docx"),
    (("notice", "VISIT", "--out", "missing/x.docx"), "không tồn tại"),
    (("report", "--year", "2019"), "không có cuộc kiểm tra"),
    (("remind", "--unit", "KHONG-CO"), "KHONG-CO"),
    (("remind", "--out", "a/b"), "không tồn tại"),
])
def test_refusals_are_one_line_and_write_nothing(demo_url, home, argv, key):
    from inspect_tui.store import db as store
    from inspect_tui.store.models import Visit

    store.connect(demo_url)
    planned = Visit.select(Visit.id).where(Visit.status == "planned").scalar()
    store.close()
    visit = _visit(demo_url, "SKHDT")
    argv = [str(planned) if a == "PLANNED" else str(visit) if a == "VISIT" else a for a in argv]
    result = run(*argv, "--db", demo_url, "--today", TODAY)
    assert result.code == 1
    assert len(result.err.strip().splitlines()) == 1 and key in result.err, result.err
    assert files(home) == []


@pytest.mark.parametrize("argv", [("notice",), ("notice", "abc"), ("notice", "0"), ("report",),
                                  ("report", "--year", "1999"), ("report", "--year", "x"),
                                  ("minutes", "1", "--bogus")])
def test_usage_errors_exit_2(home, capsys, argv):
    with pytest.raises(SystemExit) as info:
        run(*argv)
    assert info.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert files(home) == []


def _load(tmp_path, text):
    from inspect_tui import settings

    (tmp_path / "config.toml").write_text(text, "utf-8")
    return settings.load({"INSPECT_TUI_HOME": str(tmp_path)})


def test_due_working_days_and_the_letterhead_in_the_config(tmp_path):
    from inspect_tui.rules.errors import DomainError

    assert _load(tmp_path, "").due_working_days is None
    assert _load(tmp_path, "due_working_days = 15\n").due_working_days == 15
    assert _load(tmp_path, 'due_working_days = "20"\n').due_working_days == 20
    for bad in ("due_working_days = 0\n", "due_working_days = 9999\n", "due_working_days = true\n",
                'due_working_days = "abc"\n'):
        with pytest.raises(DomainError) as info:
            _load(tmp_path, bad)
        assert info.value.key == "config_integer" and "due_working_days" in info.value.message()
    _load(tmp_path, '[letterhead]\nagency = "SỞ NỘI VỤ"\nrecipients = ["- A;"]\n'
                    '[letterhead.notice]\nsigner_authority = ["TM. ỦY BAN NHÂN DÂN"]\n')
    for bad, key in (('letterhead = "x"\n', "config_table"),
                     ('[letterhead]\nagency = 5\n', "config_text"),
                     ('[letterhead.invoice]\nagency = "X"\n', "letterhead_table"),
                     ('[letterhead.notice]\nrecipients = [1, 2]\n', "config_text")):
        with pytest.raises(DomainError) as info:
            _load(tmp_path, bad)
        assert info.value.key == key, bad


def test_a_bad_letterhead_is_one_line(home, capsys):
    (home / "config.toml").write_text('[letterhead.invoice]\nagency = "X"\n', "utf-8")
    result = run("where")
    assert result.code == 1 and "[letterhead.notice]" in result.err
    assert len(result.err.strip().splitlines()) == 1
