"""The paper sub-commands: notice, minutes, remind, report.

`register(subparsers, common)` adds them to the main parser; each handler gets
(args, settings, console) with the database connected and returns an exit
code. A refusal (unknown visit, a visit not held, a bad --out) is a
DomainError that cli.main prints as one line (exit 1); argparse's usage
errors exit 2. Nothing is written unless the whole paper is.

Default targets are in the export folder, like the workbooks:
    exports/thong-bao-ket-luan-<unit>-<year>-<visit id>.docx
    exports/bien-ban-kiem-tra-<unit>-<year>-<visit id>.docx
    exports/cong-van-don-doc-ngay-<date>/don-doc-<unit>.docx
    exports/bao-cao-kiem-tra-cchc-<year>.docx
"""
import argparse
import re
from pathlib import Path

from rich.markup import escape

from inspect_tui.locale import formats, t
from inspect_tui.output import clean
from inspect_tui.rules import limits
from inspect_tui.rules.errors import DomainError


def _visit_id(text: str) -> int:
    if not str(text).strip().isdigit() or not 0 < int(text) <= limits.INT_MAX:
        raise argparse.ArgumentTypeError(t("cli.usage.invalid_value", value=text))
    return int(text)


def _year(text: str) -> int:
    try:
        return limits.check_year(text, "--year")
    except DomainError as exc:
        raise argparse.ArgumentTypeError(exc.message()) from None


def register(subparsers, common) -> None:
    for name in ("notice", "minutes"):
        p = subparsers.add_parser(name, parents=[common], help=t(f"cli.help.{name}"))
        p.add_argument("visit", type=_visit_id, metavar="VISIT", help=t("cli.help.visit_id"))
        p.add_argument("--out", metavar="PATH", help=t("cli.help.paper_out"))
        p.set_defaults(handler=visit_paper_command, paper=name)
    p = subparsers.add_parser("remind", parents=[common], help=t("cli.help.remind"))
    p.add_argument("--unit", help=t("cli.help.remind_unit"))
    p.add_argument("--out", metavar="DIR", help=t("cli.help.remind_out"))
    p.set_defaults(handler=remind_command)
    p = subparsers.add_parser("report", parents=[common], help=t("cli.help.report"))
    p.add_argument("--year", type=_year, required=True, help=t("cli.help.report_year"))
    p.add_argument("--out", metavar="PATH", help=t("cli.help.paper_out"))
    p.set_defaults(handler=report_command)


def _slug(code: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", code).strip("-").lower() or "x"


def _print(console, text: str) -> None:
    console.print(escape(clean(text)), highlight=False, soft_wrap=True)


# --- what the TUI calls as well: draft one paper, return the path written ---------------

def draft_visit_paper(paper: str, visit_id: int, settings, out=None) -> Path:
    """The notice or minutes of a visit, written whole at `out` or in the export folder."""
    from inspect_tui.papers import layout, letterhead, minutes, notice
    from inspect_tui.rules import drafts

    lang, today = settings.lang, settings.today
    if out is not None:
        layout.check_file(out)
    data = drafts.visit_paper(visit_id, today)
    v = data.visit
    target = Path(out) if out is not None else Path(settings.export_dir) / t(
        f"papers.file.{paper}", lang=lang, code=_slug(v.unit_code), year=v.year, id=v.id)
    leader = data.leader.name if data.leader else ""
    head = letterhead.head(paper, lang, settings.config_path, unit=layout.unit_text(v.unit_name, lang),
                           signer_name=leader)
    module = notice if paper == "notice" else minutes
    return layout.write(module.build(data, head, lang), target, create_folder=out is None)


def draft_reminders(settings, unit: str | None = None, out=None) -> tuple[Path, list]:
    """One reminder letter per unit with overdue tasks, in the folder `out` (made if
    missing; its parent must exist) or in the export folder. Returns (folder,
    [(reminder, path)]); all the letters or none are left behind."""
    from inspect_tui.papers import layout, letterhead, reminder
    from inspect_tui.rules import drafts

    lang, today = settings.lang, settings.today
    folder = Path(out) if out is not None else Path(settings.export_dir) / t(
        "papers.file.remind_dir", lang=lang, day=today.isoformat())
    if folder.exists() and not folder.is_dir():
        raise DomainError("not_a_folder", path=folder)
    layout.check_folder(folder if folder.exists() else folder.parent, create=out is None)
    letters = drafts.reminders(today, unit)
    if not letters:
        return folder, []
    made = [] if folder.exists() else [p for p in [folder, *folder.parents] if not p.exists()]
    written = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for letter in letters:
            head = letterhead.head("remind", lang, settings.config_path,
                                   unit=layout.unit_text(letter.unit_name, lang))
            path = folder / t("papers.file.remind", lang=lang, code=_slug(letter.unit_code))
            written.append((letter, layout.write(reminder.build(letter, head, lang), path)))
    except BaseException:
        for _, path in written:
            path.unlink(missing_ok=True)
        for created in sorted(made, key=lambda p: len(p.parts), reverse=True):
            try:
                created.rmdir()
            except OSError:
                break
        raise
    return folder, written


def draft_report(year: int, settings, out=None) -> Path:
    """The year's report, naming as its appendix the status workbook `export --year`
    writes on the same day."""
    from inspect_tui.excel.export import default_name
    from inspect_tui.papers import layout, letterhead, report
    from inspect_tui.rules import drafts

    lang, today = settings.lang, settings.today
    year = limits.check_year(year)
    if out is not None:
        layout.check_file(out)
    data = drafts.year_report(year, today, appendix=default_name(today, year, None, lang))
    if not data.visits:
        raise DomainError("no_visits_year", year=year)
    target = Path(out) if out is not None else Path(settings.export_dir) / t(
        "papers.file.report", lang=lang, year=year)
    head = letterhead.head("report", lang, settings.config_path)
    return layout.write(report.build(data, head, lang), target, create_folder=out is None)


# --- the command-line handlers ---------------------------------------------------------

def visit_paper_command(args, settings, console) -> int:
    path = draft_visit_paper(args.paper, args.visit, settings, args.out)
    _print(console, t("cli.papers.written", what=t(f"papers.kind.{args.paper}"), path=path))
    return 0


def remind_command(args, settings, console) -> int:
    unit = limits.check_query(args.unit, "--unit") if args.unit is not None else None
    folder, written = draft_reminders(settings, unit, args.out)
    day = formats.date(settings.today)
    if not written:
        if unit:
            from inspect_tui.rules import units
            _print(console, t("cli.papers.none_overdue_unit", unit=units.resolve(unit, "--unit").name, day=day))
        else:
            _print(console, t("cli.papers.none_overdue", day=day))
        return 0
    _print(console, t("cli.papers.written_many", n=formats.number(len(written)), path=folder))
    for letter, path in written:
        _print(console, t("cli.papers.written_line", code=letter.unit_code, file=path.name,
                          tasks=formats.number(len(letter.tasks))))
    return 0


def report_command(args, settings, console) -> int:
    path = draft_report(args.year, settings, args.out)
    _print(console, t("cli.papers.written", what=t("papers.kind.report"), path=path))
    return 0
