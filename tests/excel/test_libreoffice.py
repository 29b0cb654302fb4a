"""LibreOffice opens the status workbook: recalculated, it gets the same totals
the program computed; printed to PDF, the appendix keeps the decree's margins,
no section heading is left at the foot of a page, the first page carries the
national header and the "Kèm theo" line, the last the signature block."""
import datetime as dt
import re
import shutil
import subprocess
import unicodedata

import pytest
from openpyxl import load_workbook

from inspect_tui.excel import export, styles
from inspect_tui.locale import t
from inspect_tui.store import db as store

from .conftest import TODAY

OFFICE = shutil.which("libreoffice") or shutil.which("soffice")
PDFTOTEXT = shutil.which("pdftotext")
needs_office = pytest.mark.skipif(OFFICE is None, reason="LibreOffice (libreoffice/soffice) is not on PATH; "
                                                         "CI installs libreoffice-calc-nogui")
needs_poppler = pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext is not on PATH; CI installs poppler-utils")
# A profile that makes LibreOffice recalculate every formula of an xlsx file on
# loading (by default it shows the cached results the file carries).
RECALCULATE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
</oor:items>
"""
MM = 72 / 25.4  # points per millimetre
A4_LANDSCAPE = (297 * MM, 210 * MM)
DEMO_TODAY = dt.date(2026, 11, 23)
pytestmark = pytest.mark.slow  # every test here starts LibreOffice: seconds each


def convert(path, to: str, out, profile, recalculate: bool = False):
    if recalculate:
        (profile / "user").mkdir(parents=True, exist_ok=True)
        (profile / "user" / "registrymodifications.xcu").write_text(RECALCULATE, "utf-8")
    subprocess.run([OFFICE, f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", to, "--outdir", str(out), str(path)],
                   check=True, capture_output=True, timeout=180)
    return out / (path.stem + "." + to)


@needs_office
def test_libreoffice_recalculates_the_same_totals(demo_db, tmp_path, monkeypatch):
    """The cached results are deliberately wrong here, so equal totals prove
    LibreOffice computed them from the formulas."""
    formula = styles.SheetWriter.formula

    def wrong(self, text, style="int", value=None):
        return formula(self, text, style, None if value is None else ("?" if isinstance(value, str) else 999))
    monkeypatch.setattr(styles.SheetWriter, "formula", wrong)
    result = export.export_status_workbook(tmp_path / "status.xlsx", TODAY)
    assert load_workbook(result.path, data_only=True).worksheets[0]["C14"].value == 999
    converted = convert(result.path, "xlsx", tmp_path / "lo", tmp_path / "profile", recalculate=True)
    wb = load_workbook(converted, data_only=True)
    ws = wb[result.sheets[0]]
    got = {ref: ws[ref].value for ref in result.checks}
    assert got == result.checks
    days = wb[result.sheets[2]]
    overdue = [r[10] for r in days.iter_rows(min_row=5, values_only=True) if r[0] is not None]
    assert sorted(d for d in overdue if d) == sorted(result.tally.overdue_days)


# --- the appendix printed ------------------------------------------------------------------------

def compact(text: str) -> str:
    """Text without any space (pdftotext splits accented capitals), in NFC."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def page_text(pdf, page: int, layout: bool = True) -> str:
    args = [PDFTOTEXT, "-f", str(page), "-l", str(page)] + (["-layout"] if layout else []) + [str(pdf), "-"]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def page_count(pdf) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def words(pdf, page: int) -> list[tuple[float, float, float, float, str]]:
    html = subprocess.run([PDFTOTEXT, "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          check=True, capture_output=True, text=True).stdout
    return [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html)]


@pytest.fixture
def demo_2026(demo_build, tmp_path):
    path = tmp_path / "demo2026.sqlite3"
    shutil.copy(demo_build[0], path)
    store.connect(str(path))
    yield
    store.close()


@pytest.fixture(params=["demo-2026", "demo-2025"])
def appendix_pdf(request, tmp_path):
    """(pdf, pages of the appendix, expected page count) of the demo status workbook."""
    if request.param == "demo-2026":
        request.getfixturevalue("demo_2026")
        today, expected = DEMO_TODAY, 3
    else:
        request.getfixturevalue("demo_db")
        today, expected = TODAY, 3
    result = export.export_status_workbook(tmp_path / f"{request.param}.xlsx", today)
    pdf = convert(result.path, "pdf", tmp_path / "pdf", tmp_path / "profile")
    visits_title = compact(t("excel.visits.title"))
    pages = []
    for page in range(1, page_count(pdf) + 1):
        if visits_title in compact(page_text(pdf, page)):
            break  # the next sheet begins
        pages.append(page)
    return pdf, pages, expected


@needs_office
@needs_poppler
def test_the_appendix_prints_as_the_decree_wants(appendix_pdf):
    pdf, pages, expected = appendix_pdf
    assert len(pages) == expected
    first, last = compact(page_text(pdf, pages[0])), compact(page_text(pdf, pages[-1]))
    for text in ("UBND THÀNH PHỐ CẦN THƠ", "SỞ NỘI VỤ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                 "Độc lập - Tự do - Hạnh phúc", "PHỤ LỤC", "(Kèm theo Báo cáo số", "/BC-SNV ngày",
                 "của Sở Nội vụ)", t("excel.summary.visits_section")):
        assert compact(text) in first, text
    for text in ("Nơi nhận:", "- Lưu: VT, CCHC.", "GIÁM ĐỐC", "……………"):
        assert compact(text) in last, text
    lines_after_title = last.split(compact("GIÁM ĐỐC"))[1]
    assert compact("……………") in lines_after_title  # the name line comes after the title

    headings = [compact(t(f"excel.summary.{k}_section"))
                for k in ("visits", "findings", "tasks", "overdue", "worst")]
    seen = []
    for page in pages:
        lines = [compact(line) for line in page_text(pdf, page).splitlines()]
        lines = [line for line in lines if line and not re.fullmatch(r"\d+(/\d+)?", line)]
        assert lines[-1] not in headings, f"page {page} ends with the heading {lines[-1]}"
        for i, line in enumerate(lines):
            if line in headings:
                seen.append(line)
                rest = "".join(lines[i + 1:])
                assert "STT" in rest, f"{line}: its table is not on page {page}"
                # the whole table: down to its total (section V: down to the signature block)
                end = compact("Nơi nhận:") if line == headings[-1] else compact(t("column.total"))
                assert end in rest, f"{line}: its table is cut at the foot of page {page}"
    assert seen == headings  # every section, in order


@needs_office
@needs_poppler
def test_the_appendix_keeps_the_decree_margins_and_numbers_its_pages(appendix_pdf):
    pdf, pages, _expected = appendix_pdf
    width, height = A4_LANDSCAPE
    for page in pages:
        found = words(pdf, page)
        number = [w for w in found if w[3] <= 20 * MM]  # in the top margin: the page number only
        body = [w for w in found if w[3] > 20 * MM]
        assert [w[4] for w in number] == ([] if page == pages[0] else [str(page - pages[0] + 1)])
        assert min(w[0] for w in body) >= 30 * MM - 1, page  # left 30 mm
        assert max(w[2] for w in body) <= width - 15 * MM + 1, page  # right 15 mm
        assert max(w[3] for w in body) <= height - 20 * MM + 1, page  # bottom 20 mm
        assert min(w[1] for w in body) >= 20 * MM - 1, page  # top 20 mm
