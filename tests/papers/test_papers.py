"""Every paper, opened with python-docx: the decree's page (A4 portrait,
margins), Times New Roman at 11-14 pt, the header (issuing body and agency,
national name, underlined motto, number line, italic place-date line with
the decree's leading zeros), the sections in order, "Nơi nhận:" and the
signature; then rendered by LibreOffice, with the page count and what
pdftotext reads on the first and the last page. Drafted from the session's
demo database (23/11/2026), its 2024 visits."""
import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document

from inspect_tui import settings as settings_module
from inspect_tui.papers import commands
from inspect_tui.rules import drafts
from inspect_tui.rules.errors import DomainError
from inspect_tui.rules.vocab import AREAS
from inspect_tui.locale import t
from inspect_tui.store import db as store
from inspect_tui.store.models import Plan, Unit, Visit

DEMO_TODAY = dt.date(2026, 11, 23)  # the day the session's demo is built for (conftest)

OFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
SIZES = {11.0, 12.0, 13.0, 14.0}
DATE_LINE = re.compile(r"^Cần Thơ, ngày (\d{2}) tháng (\d{1,2}) năm (\d{4})$")


def _settings(home: Path, db: str, lang: str = "vi") -> settings_module.Settings:
    return settings_module.Settings(home=home, db=db, lang=lang, today_override=DEMO_TODAY)


def _visit(code: str, year: int = 2024) -> int:
    return (Visit.select(Visit.id).join(Unit).switch(Visit).join(Plan)
            .where((Unit.code == code) & (Plan.year == year)).scalar())


@pytest.fixture(scope="module")
def papers(demo_build, tmp_path_factory):
    """The four papers of the demo, drafted once: {name: path}."""
    path, _ = demo_build
    home = tmp_path_factory.mktemp("papers")
    store.connect(str(path))
    try:
        s = _settings(home, str(path))
        made = {
            "notice": commands.draft_visit_paper("notice", _visit("SKHDT"), s),
            "minutes": commands.draft_visit_paper("minutes", _visit("SKHDT"), s),
            "report": commands.draft_report(2024, s),
        }
        folder, letters = commands.draft_reminders(s, unit="STC")
        made["remind"] = letters[0][1]
        made["reminders"], made["letters"] = folder, letters
    finally:
        store.close()
    return made


# --- reading a .docx --------------------------------------------------------------------

def blocks(doc):
    """The body's paragraphs in order, those of tables included (cell by cell)."""
    body = doc.element.body
    for child in body.iterchildren():
        if child.tag.endswith("}p"):
            yield next(p for p in doc.paragraphs if p._p is child)
        elif child.tag.endswith("}tbl"):
            table = next(tb for tb in doc.tables if tb._tbl is child)
            for row in table.rows:
                for cell in row.cells:
                    yield from cell.paragraphs


def texts(doc) -> list[str]:
    return [p.text for p in blocks(doc) if p.text.strip()]


def check_page_and_fonts(doc) -> None:
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert section.page_width < section.page_height  # portrait
    assert 30 <= round(section.left_margin.mm) <= 35 and 15 <= round(section.right_margin.mm) <= 20
    assert 20 <= round(section.top_margin.mm) <= 25 and 20 <= round(section.bottom_margin.mm) <= 25
    assert doc.styles["Normal"].font.name == "Times New Roman"
    for paragraph in blocks(doc):
        for run in paragraph.runs:
            if run.text.strip():
                assert run.font.name == "Times New Roman", run.text
                assert run.font.size.pt in SIZES, (run.text, run.font.size.pt)


def check_header(doc, symbol: str, agency: str, day: dt.date, subject_under_number: str = "") -> None:
    head = doc.tables[0]
    left, right = head.cell(0, 0), head.cell(0, 1)
    assert agency in left.text
    bold_left = [r for p in left.paragraphs for r in p.runs if r.text.strip() and r.bold]
    assert bold_left, "the agency is bold"
    nation, motto = [p for p in right.paragraphs if p.text.strip()]
    assert nation.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and all(r.bold for r in nation.runs)
    assert motto.text == "Độc lập - Tự do - Hạnh phúc"
    assert all(r.bold and r.underline for r in motto.runs)
    number = [p for p in head.cell(1, 0).paragraphs if p.text.strip()]
    assert number[0].text.startswith("Số:") and number[0].text.endswith(symbol)
    assert re.match(r"^Số:\s+/", number[0].text), "the number is left blank for the office"
    if subject_under_number:
        assert number[1].text == subject_under_number
    date_line = [p for p in head.cell(1, 1).paragraphs if p.text.strip()][0]
    assert all(r.italic for r in date_line.runs)
    match = DATE_LINE.match(date_line.text)
    assert match, date_line.text
    d, m, y = match.groups()
    assert (int(d), int(m), int(y)) == (day.day, day.month, day.year)
    assert m == (f"{day.month:02d}" if day.month <= 2 else str(day.month))  # 01, 02, then 3 ... 12


def check_closing(doc, title_lines: list[str], name: str, last_recipient: str = "- Lưu") -> None:
    closing = doc.tables[-1]
    left, right = closing.cell(0, 0), closing.cell(0, 1)
    lines = [p for p in left.paragraphs if p.text.strip()]
    assert lines[0].text == "Nơi nhận:" and all(r.bold and r.italic for r in lines[0].runs)
    recipients = [p.text for p in lines[1:]]
    assert all(r.startswith("- ") for r in recipients)
    assert all(r.endswith(";") for r in recipients[:-1]) and recipients[-1].startswith(last_recipient)
    signature = [p.text for p in right.paragraphs]
    shown = [s for s in signature if s.strip()]
    assert shown[:len(title_lines)] == title_lines
    if name:
        assert shown[-1] == name
        gap = signature.index(name) - signature.index(title_lines[-1]) - 1
        assert gap >= 4, "room to sign"
    assert closing.rows[0]._tr.trPr is not None  # the block is kept on one page


def in_order(lines: list[str], *starts: str) -> None:
    index = []
    for start in starts:
        found = [i for i, line in enumerate(lines) if line.startswith(start)]
        assert found, start
        index.append(found[0])
    assert index == sorted(index), starts


# --- the papers ------------------------------------------------------------------------

def test_conclusion_notice(papers, demo_build):
    doc = Document(papers["notice"])
    check_page_and_fonts(doc)
    store.connect(str(demo_build[0]))
    data = drafts.visit_paper(_visit("SKHDT"), DEMO_TODAY)
    check_header(doc, "/TB-UBND", "ỦY BAN NHÂN DÂN", data.notice_date)
    lines = texts(doc)
    assert "THÔNG BÁO" in lines
    assert "Kết luận kiểm tra công tác cải cách hành chính tại Sở Kế hoạch và Đầu tư" in lines
    in_order(lines, "THÔNG BÁO", "Thực hiện Kế hoạch số 64/KH-UBND", "I. ƯU ĐIỂM", "II. TỒN TẠI, HẠN CHẾ",
             "III. NHIỆM VỤ KHẮC PHỤC", "IV. KẾT QUẢ KHẮC PHỤC", "Nơi nhận:")
    opening = next(line for line in lines if line.startswith("Thực hiện"))
    assert "ngày 16/5/2024" in opening and "Trần Văn Minh" in opening
    # strengths from the visit, shortcomings by area in the order of Resolution 76
    assert any(line.startswith("- Phần mềm quản lý văn bản") for line in lines)
    areas = [line.split(". ", 1)[1] for line in lines if re.match(r"^\d\. ", line)
             and line.split(". ", 1)[1] in {t(f"area.{a}") for a in AREAS}]
    expected = [t(f"area.{a}") for a in AREAS if any(f.area == a for f in data.findings)]
    assert areas == expected
    repeated = [line for line in lines if "tồn tại lặp lại" in line]
    assert len(repeated) == sum(f.repeated for f in data.findings) >= 1
    # every task with its unit and deadline
    for n, task in enumerate(data.tasks, 1):
        line = next(line for line in lines if line.startswith(f"{n}. {task.description.rstrip('.')}"))
        assert task.unit_name in line and "trước ngày" in line
    # what earlier visits left open, each with its notice
    assert any("Thông báo số 102/TB-UBND" in line for line in lines)
    assert lines[-7].endswith("./.") or any(line.endswith("./.") for line in lines)
    check_closing(doc, ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"], "Trần Văn Minh")
    assert doc.core_properties.language == "vi-VN"


def test_minutes(papers, demo_build):
    doc = Document(papers["minutes"])
    check_page_and_fonts(doc)
    store.connect(str(demo_build[0]))
    data = drafts.visit_paper(_visit("SKHDT"), DEMO_TODAY)
    check_header(doc, "/BB-ĐKT", "ĐOÀN KIỂM TRA", data.visit.held_on)
    lines = texts(doc)
    in_order(lines, "BIÊN BẢN", "Hôm nay, vào lúc", "I. THÀNH PHẦN", "1. Đoàn kiểm tra:",
             "2. Đại diện Sở Kế hoạch và Đầu tư:", "II. NỘI DUNG KIỂM TRA", "III. TỒN TẠI, HẠN CHẾ",
             "Biên bản kết thúc", "ĐẠI DIỆN SỞ KẾ HOẠCH VÀ ĐẦU TƯ", "THƯ KÝ ĐOÀN KIỂM TRA", "Nơi nhận:")
    assert any("ngày 16/5/2024, tại trụ sở Sở Kế hoạch và Đầu tư" in line for line in lines)
    for member in data.team:
        assert any(line.startswith(f"- {member.name}, ") and line.endswith(f"{t('role.' + member.role)};")
                   for line in lines), member.name
    assert sum(line.startswith("- Ông (bà): ") for line in lines) == 2  # blank representatives to fill
    for n, finding in enumerate(data.findings, 1):
        assert any(line.startswith(f"{n}. [{t('area_short.' + finding.area)}]") for line in lines)
    signatures = doc.tables[-3]
    assert "TRƯỞNG ĐOÀN KIỂM TRA" in signatures.cell(0, 1).text and "Trần Văn Minh" in signatures.cell(0, 1).text
    assert "Đặng Thị Kim Yến" in doc.tables[-2].cell(0, 0).text
    check_closing(doc, [], "", last_recipient="- Lưu")


def test_reminder_letters(papers, demo_build):
    doc = Document(papers["remind"])
    check_page_and_fonts(doc)
    store.connect(str(demo_build[0]))
    letter = drafts.reminders(DEMO_TODAY, "STC")[0]
    subject = "V/v đôn đốc khắc phục tồn tại, hạn chế sau kiểm tra cải cách hành chính"
    check_header(doc, "/SNV-CCHC", "SỞ NỘI VỤ", DEMO_TODAY, subject_under_number=subject)
    lines = texts(doc)
    in_order(lines, "Kính gửi: Sở Tài chính.", "Thực hiện kế hoạch", "Theo dõi đến ngày 23/11/2026",
             "STT", "Để bảo đảm", "Sở Nội vụ đề nghị Sở Tài chính quan tâm thực hiện./.", "Nơi nhận:")
    table = doc.tables[1]
    assert len(table.rows) == 1 + len(letter.tasks)
    for row, task in zip(table.rows[1:], letter.tasks):
        cells = [c.text for c in row.cells]
        assert cells[1] == task.description and cells[4] == f"{task.days_overdue:,}".replace(",", ".")
        assert cells[3] == f"{task.due_on.day:02d}/{task.due_on.month if task.due_on.month > 2 else f'{task.due_on.month:02d}'}/{task.due_on.year}"
    assert any(f"trước ngày {letter.answer_by.day:02d}/{letter.answer_by.month}/" in line for line in lines)
    check_closing(doc, ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], "", last_recipient="- Lưu")
    # one letter per unit with overdue tasks, and only those
    store.connect(str(demo_build[0]))
    assert drafts.units_with_overdue(DEMO_TODAY)
    assert len(papers["letters"]) == 1 and papers["letters"][0][0].unit_code == "STC"


def test_year_report(papers, demo_build):
    doc = Document(papers["report"])
    check_page_and_fonts(doc)
    check_header(doc, "/BC-SNV", "SỞ NỘI VỤ", DEMO_TODAY)
    lines = texts(doc)
    in_order(lines, "BÁO CÁO", "Kết quả kiểm tra công tác cải cách hành chính năm 2024",
             "I. KẾ HOẠCH VÀ ĐOÀN KIỂM TRA", "II. KẾT QUẢ KIỂM TRA", "1. Số đơn vị được kiểm tra",
             "2. Tồn tại, hạn chế theo lĩnh vực", "3. Kết quả khắc phục",
             "4. Đơn vị có nhiều nhiệm vụ quá hạn", "5. Tồn tại lặp lại theo đơn vị",
             "III. TIẾN ĐỘ KẾ HOẠCH", "IV. ĐÁNH GIÁ CHUNG", "Phụ lục kèm theo:", "Trên đây là báo cáo",
             "Nơi nhận:")
    assert "Đoàn kiểm tra đã kiểm tra 09 đơn vị: 05 sở, ngành; 01 cơ quan ngành dọc; 03 quận, huyện." in lines
    appendix = next(line for line in lines if line.startswith("Phụ lục kèm theo:"))
    assert "bao-cao-cchc-2024-ngay-2026-11-23.xlsx" in appendix
    areas = doc.tables[2]
    assert [r.cells[1].text for r in areas.rows[1:-1]] == [t(f"area.{a}") for a in AREAS]
    assert areas.rows[-1].cells[1].text == "Tổng cộng"
    check_closing(doc, ["GIÁM ĐỐC"], "")


def test_english_notice_and_the_letterhead_settings(demo_build, tmp_path):
    store.connect(str(demo_build[0]))
    (tmp_path / "config.toml").write_text(
        '[excel]\nagency = "SỞ NỘI VỤ CŨ"\nsigner_name = "Nguyễn Văn A"\n'
        '[letterhead]\nagency = "SỞ NỘI VỤ THÀNH PHỐ"\n'
        '[letterhead.notice]\nsigner_authority = ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"]\n'
        'signer_title = "PHÓ CHỦ TỊCH"\nsigner_name = "Lê Văn B"\n'
        'recipients = ["- {unit};", "- Lưu: VT, NC."]\n', "utf-8")
    s = _settings(tmp_path, str(demo_build[0]))
    doc = Document(commands.draft_visit_paper("notice", _visit("SKHDT"), s, out=tmp_path / "n.docx"))
    check_closing(doc, ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"], "Lê Văn B")
    assert [p.text for p in doc.tables[-1].cell(0, 0).paragraphs][1:] == [
        "- Sở Kế hoạch và Đầu tư;", "- Lưu: VT, NC."]
    report = Document(commands.draft_report(2024, s, out=tmp_path / "r.docx"))
    assert "SỞ NỘI VỤ THÀNH PHỐ" in report.tables[0].cell(0, 0).text  # [letterhead] wins over [excel]
    assert report.tables[-1].cell(0, 1).paragraphs[-1].text == "Nguyễn Văn A"
    english = Document(commands.draft_visit_paper("notice", _visit("H-CD"), _settings(tmp_path, "", "en"),
                                                  out=tmp_path / "en.docx"))
    head = english.tables[0]
    assert "SOCIALIST REPUBLIC OF VIET NAM" in head.cell(0, 1).text
    assert re.match(r"^Can Tho, \d{2} [A-Z][a-z]+ 2024$", head.cell(1, 1).text.strip())
    assert "I. STRENGTHS" in texts(english) and english.core_properties.language == "en-GB"


def test_refusals_write_nothing(demo_build, tmp_path):
    store.connect(str(demo_build[0]))
    s = _settings(tmp_path, str(demo_build[0]))
    planned = Visit.select(Visit.id).where(Visit.status == "planned").scalar()
    cases = [
        (lambda: commands.draft_visit_paper("notice", planned, s), "visit_not_held"),
        (lambda: commands.draft_visit_paper("notice", 99999, s), "unknown_record"),
        (lambda: commands.draft_visit_paper("minutes", _visit("SKHDT"), s, out=tmp_path / "x.pdf"), "not_docx"),
        (lambda: commands.draft_visit_paper("notice", _visit("SKHDT"), s, out=tmp_path / "no" / "x.docx"),
         "no_folder"),
        (lambda: commands.draft_visit_paper("notice", _visit("SKHDT"), s, out=tmp_path), "target_is_folder"),
        (lambda: commands.draft_report(2019, s), "no_visits_year"),
        (lambda: commands.draft_report(1999, s), "year_out_of_range"),
        (lambda: commands.draft_reminders(s, unit="KHONG-CO"), "unknown_unit"),
        (lambda: commands.draft_reminders(s, out=tmp_path / "a" / "b"), "no_folder"),
    ]
    for call, key in cases:
        with pytest.raises(DomainError) as info:
            call()
        assert info.value.key == key
    assert list(tmp_path.iterdir()) == []


def test_reminders_for_every_unit_with_overdue_tasks(papers, demo_build):
    store.connect(str(demo_build[0]))
    expected = drafts.units_with_overdue(DEMO_TODAY)
    assert [letter.unit_code for letter in drafts.reminders(DEMO_TODAY)] == expected
    assert papers["reminders"].name == "cong-van-don-doc-ngay-2026-11-23"


# --- rendered by LibreOffice -------------------------------------------------------------

def _pages(pdf: Path) -> list[str]:
    text = subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    return [" ".join(page.split()) for page in text.split("\f") if page.strip()]


@pytest.mark.slow  # LibreOffice renders four papers: seconds
@pytest.mark.skipif(OFFICE is None or PDFTOTEXT is None,
                    reason="LibreOffice Writer and pdftotext are needed; CI installs "
                           "libreoffice-writer-nogui and poppler-utils")
def test_libreoffice_renders_every_paper(papers, tmp_path):
    sources = [papers[k] for k in ("notice", "minutes", "remind", "report")]
    out = tmp_path / "pdf"
    subprocess.run([OFFICE, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), *map(str, sources)],
                   check=True, capture_output=True, timeout=240)
    expected = {  # paper: (symbol, first page date line, signature on the last page, pages)
        "notice": ("/TB-UBND", "Cần Thơ, ngày 29 tháng 5 năm 2024", "Trần Văn Minh", 2),
        "minutes": ("/BB-ĐKT", "Cần Thơ, ngày 16 tháng 5 năm 2024", "TRƯỞNG ĐOÀN KIỂM TRA", 2),
        "remind": ("/SNV-CCHC", "Cần Thơ, ngày 23 tháng 11 năm 2026", "PHÓ GIÁM ĐỐC", 2),
        "report": ("/BC-SNV", "Cần Thơ, ngày 23 tháng 11 năm 2026", "GIÁM ĐỐC", 5),
    }
    for name, (symbol, date_line, signature, count) in expected.items():
        pages = _pages(out / (Path(papers[name]).stem + ".pdf"))
        assert len(pages) == count, (name, len(pages))
        first, last = pages[0], pages[-1]
        for text in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Số:", symbol,
                     date_line):
            assert text in first, (name, text)
        assert signature in last and "Nơi nhận:" in last, name


def test_january_and_february_take_a_leading_zero(demo_build, tmp_path):
    store.connect(str(demo_build[0]))
    s = settings_module.Settings(home=tmp_path, db="", today_override=dt.date(2026, 2, 5))
    doc = Document(commands.draft_report(2024, s, out=tmp_path / "r.docx"))
    check_header(doc, "/BC-SNV", "SỞ NỘI VỤ", dt.date(2026, 2, 5))
    assert doc.tables[0].cell(1, 1).text.strip() == "Cần Thơ, ngày 05 tháng 02 năm 2026"


def test_the_workbook_reads_the_letterhead_under_either_name(tmp_path):
    from inspect_tui.excel.commands import letterhead

    def read():
        return letterhead(settings_module.load({"INSPECT_TUI_HOME": str(tmp_path)}))

    (tmp_path / "config.toml").write_text('[excel]\nagency = "A"\nplace = "Hậu Giang"\n', "utf-8")
    assert (read().agency, read().place) == ("A", "Hậu Giang")
    (tmp_path / "config.toml").write_text('[excel]\nagency = "A"\nplace = "Hậu Giang"\n'
                                          '[letterhead]\nagency = "B"\n[letterhead.notice]\nagency = "C"\n',
                                          "utf-8")
    assert (read().agency, read().place) == ("B", "Hậu Giang")
