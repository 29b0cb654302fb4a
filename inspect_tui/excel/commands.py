"""The workbook sub-commands: export, import-progress, template, import.

`register(subparsers, common)` adds them to the main parser; each handler gets
(args, settings, console) with the database already connected and returns
an exit code (0 ok, 1 error with one clear line on stderr).
"""
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from inspect_tui.excel.styles import Letterhead
from inspect_tui.locale import formats, t
from inspect_tui.output import clean
from inspect_tui.rules.errors import DomainError

def register(subparsers, common) -> None:
    """Add the sub-commands; `common` is the parent parser with the global
    options (--db, --lang, --today, --user), so they work after the command too."""
    p = subparsers.add_parser("export", parents=[common], help=t("cli.help.export"))
    p.add_argument("--year", type=int, help=t("cli.help.year"))
    p.add_argument("--unit", help=t("cli.help.unit_code"))
    p.add_argument("--out", help=t("cli.help.export_out"))
    p.add_argument("--per-unit", action="store_true", help=t("cli.help.per_unit"))
    p.add_argument("--number-line", help=t("cli.help.number_line"))
    p.set_defaults(handler=export_command)

    p = subparsers.add_parser("import-progress", parents=[common], help=t("cli.help.import_progress"))
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--dry-run", action="store_true", help=t("cli.help.dry_run"))
    p.set_defaults(handler=import_progress_command)

    p = subparsers.add_parser("template", parents=[common], help=t("cli.help.template"))
    p.add_argument("--out", help=t("cli.help.template_out"))
    p.set_defaults(handler=template_command)

    p = subparsers.add_parser("import", parents=[common], help=t("cli.help.import"))
    p.add_argument("file", metavar="FILE")
    p.add_argument("--dry-run", action="store_true", help=t("cli.help.dry_run"))
    p.set_defaults(handler=import_command)


def letterhead(settings, args=None) -> Letterhead:
    """The status workbook's letterhead as the settings read it from config.toml."""
    head = Letterhead.from_config(getattr(settings, "letterhead", None))
    if args is not None and getattr(args, "number_line", None):
        head.number_line = args.number_line
    return head


def _fail(console: Console, message: str) -> int:
    print(clean(message), file=sys.stderr)
    return 1


def export_command(args, settings, console: Console) -> int:
    try:
        today, lang = settings.today, settings.lang
        if args.per_unit:
            return _export_per_unit(args, settings, console, today, lang)
        from inspect_tui.excel.export import default_name, export_status_workbook
        out = Path(args.out) if args.out else Path(settings.export_dir) / default_name(
            today, args.year, args.unit, lang)
        started = time.perf_counter()
        with console.status(t("excel.cli.exporting", lang=lang)) as status:
            def progress(done, total):
                status.update(t("excel.cli.progress", lang=lang, done=done, total=total))
            result = export_status_workbook(out, today, args.year, args.unit, lang, progress,
                                            letterhead(settings, args), create_folder=not args.out)
        console.print(t("excel.cli.exported", lang=lang, path=result.path, rows=result.rows,
                        visits=result.visits, seconds=formats.number(round(time.perf_counter() - started, 1), 1)))
        _report_sanitised(console, lang, result.stripped, result.neutralised, result.truncated)
        if result.truncated:
            console.print(truncation_message(result, lang))
        return 0
    except DomainError as exc:
        return _fail(console, exc.message(settings.lang))
    except OSError as exc:
        return _fail(console, t("excel.cli.os_error", lang=settings.lang, detail=str(exc)))


def truncation_message(result, lang: str) -> str:
    """Which cells were cut to Excel's 32,767 characters, and by how much."""
    where = "; ".join(t("excel.cli.truncated_at", lang=lang, sheet=sheet, cell=cell,
                        n=formats.number(n, lang=lang)) for sheet, cell, n in result.truncations)
    if result.truncated > len(result.truncations):
        where += "; …"
    return t("excel.cli.truncated", lang=lang, n=result.truncated, where=where)


def _report_sanitised(console, lang, stripped, neutralised, truncated=0) -> None:
    if stripped or neutralised or truncated:
        console.print(t("excel.cli.sanitised", lang=lang, stripped=stripped,
                        neutralised=neutralised, truncated=truncated))


def _export_per_unit(args, settings, console, today, lang) -> int:
    from inspect_tui.excel.per_unit import export_per_unit
    out = Path(args.out) if args.out else Path(settings.export_dir) / t(
        "excel.cli.per_unit_dir", lang=lang, day=today.isoformat())
    written, sanitiser = export_per_unit(out, today, args.year, lang, only=args.unit,
                                         create_parents=not args.out)
    if not written:
        console.print(t("excel.cli.per_unit_none", lang=lang))
        return 0
    table = Table(title=t("excel.cli.per_unit_title", lang=lang, n=len(written), out=out))
    table.add_column(t("column.code", lang=lang))
    table.add_column(t("excel.cli.tasks", lang=lang), justify="right")
    table.add_column(t("excel.cli.file", lang=lang))
    for w in written:
        table.add_row(w.unit, str(w.tasks), w.path.name)
    console.print(table)
    _report_sanitised(console, lang, sanitiser.stripped, sanitiser.neutralised)
    return 0


def print_report(console: Console, report, lang: str, title_key: str = "excel.import.report_title") -> None:
    console.print(f"[bold]{t(title_key, lang=lang, files=len(report.files))}[/bold]")
    if report.changes:
        table = Table(title=t("excel.import.changes_title", lang=lang))
        for key in ("col_where", "col_task", "col_field", "col_old", "col_new"):
            table.add_column(t(f"excel.import.{key}", lang=lang), overflow="fold")
        for c in report.changes_shown:
            table.add_row(*map(clean, (f"{c.file} / {c.sheet} / {c.row}", c.record, c.field,
                                       c.old or "–", c.new or "–")))
        console.print(table)
        if report.changes_hidden:
            console.print(t("excel.import.more_changes", lang=lang,
                            n=formats.number(report.changes_hidden, lang=lang)))
    if report.problems:
        table = Table(title=t("excel.import.problems_title", lang=lang), style="red")
        for key in ("col_where", "col_field", "col_reason"):
            table.add_column(t(f"excel.import.{key}", lang=lang), overflow="fold")
        for p in report.problems:
            table.add_row(clean(p.where()), clean(p.field), clean(p.reason))
        console.print(table)
        hidden = report.problem_count - len(report.problems)
        if hidden > 0:
            console.print(t("excel.import.more", lang=lang, n=hidden))


def import_progress_command(args, settings, console: Console) -> int:
    from inspect_tui.excel.progress_import import import_progress
    today, lang = settings.today, settings.lang
    try:
        report = import_progress(args.files, settings.user, today, lang, args.dry_run)
    except DomainError as exc:
        return _fail(console, exc.message(lang))
    print_report(console, report, lang)
    return _outcome(console, report, lang)


def _outcome(console, report, lang) -> int:
    if not report.ok:
        return _fail(console, t("excel.import.failed", lang=lang,
                                n=formats.number(report.problem_count, lang=lang)))
    if report.already:
        console.print(t("excel.import.already", lang=lang,
                        n=formats.number(report.already, lang=lang)))
    if report.dry_run:
        console.print(t("excel.import.dry_run", lang=lang,
                        n=formats.number(len(report.changes), lang=lang)))
    elif not report.changes:
        console.print(t("excel.import.nothing", lang=lang))
    elif report.created:  # a template: what it recorded, not "changes to 0 tasks"
        made = {k: formats.number(report.created.get(k, 0), lang=lang) for k in ("plan", "visits", "findings", "tasks")}
        console.print(t("excel.import.applied_record", lang=lang, **made))
    else:
        console.print(t("excel.import.applied", lang=lang, n=formats.number(len(report.changes), lang=lang),
                        tasks=formats.number(report.tasks, lang=lang)))
    return 0


def template_command(args, settings, console: Console) -> int:
    from inspect_tui.excel.template import write_template
    today, lang = settings.today, settings.lang
    out = Path(args.out) if args.out else Path(settings.export_dir) / t("excel.file.template", lang=lang)
    try:
        write_template(out, today, lang, create_folder=not args.out)
    except DomainError as exc:
        return _fail(console, exc.message(lang))
    except OSError as exc:
        return _fail(console, t("excel.cli.os_error", lang=lang, detail=str(exc)))
    console.print(t("excel.cli.template_written", lang=lang, path=out))
    return 0


def import_command(args, settings, console: Console) -> int:
    from inspect_tui.excel.record_import import import_record
    today, lang = settings.today, settings.lang
    try:
        report = import_record(Path(args.file), settings.user, today, lang, args.dry_run)
    except DomainError as exc:
        return _fail(console, exc.message(lang))
    print_report(console, report, lang)
    return _outcome(console, report, lang)
