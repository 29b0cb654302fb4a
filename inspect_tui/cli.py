"""The `inspect-tui` command: the TUI by default, sub-commands for the rest.

Global options (--db, --lang, --today, --user) may stand before or after the
sub-command. Errors print one line on stderr and exit 1; usage errors exit 2.
"""
import argparse
import datetime as dt
import sys
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from inspect_tui import settings as settings_module
from inspect_tui.locale import LANGUAGES, formats, set_language, t
from inspect_tui.output import FORMATS, Column, counts_table, emit
from inspect_tui.rules.dates import parse_date
from inspect_tui.rules.errors import DomainError
from inspect_tui.rules.vocab import AGEING_BUCKETS, AREAS, TASK_STATUSES, UNIT_KINDS
from inspect_tui.store import db as store

DEMO_DB = Path("db") / "demo.sqlite3"


def _date_of(option: str):
    """An argparse type that reads a date and names `option` when it cannot."""
    def read(text: str) -> dt.date:
        try:
            return parse_date(text, option)
        except DomainError as exc:
            raise argparse.ArgumentTypeError(exc.message()) from None
    read.__name__ = "date"
    return read


_date = _date_of("--today")


def _global_options(parser: argparse.ArgumentParser, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--db", default=default, help=t("cli.help.db"))
    parser.add_argument("--lang", choices=LANGUAGES, default=default, help=t("cli.help.lang"))
    parser.add_argument("--today", type=_date, default=default, metavar="DATE",
                        help=t("cli.help.today"))
    parser.add_argument("--user", default=default, help=t("cli.help.user"))


def _format_option(parser):
    parser.add_argument("--format", choices=FORMATS, default="table")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="inspect-tui", description=t("cli.description"))
    _global_options(parser, suppress=False)
    common = argparse.ArgumentParser(add_help=False)
    _global_options(common, suppress=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    sub.add_parser("init", parents=[common], help=t("cli.help.init"))
    demo = sub.add_parser("demo", parents=[common], help=t("cli.help.demo"))
    demo.add_argument("--out", help=t("cli.help.demo_out"))
    demo.add_argument("--force", action="store_true", help=t("cli.help.force"))
    sub.add_parser("where", parents=[common], help=t("cli.help.where"))

    units = sub.add_parser("units", parents=[common], help=t("cli.help.units"))
    units.add_argument("--on", type=_date_of("--on"), metavar="DATE", help=t("cli.help.on"))
    units.add_argument("--kind", choices=UNIT_KINDS)
    _format_option(units)

    overdue = sub.add_parser("overdue", parents=[common], help=t("cli.help.overdue"))
    overdue.add_argument("--unit", default="", help=t("cli.help.unit"))
    overdue.add_argument("--area", choices=AREAS)
    _format_option(overdue)

    summary = sub.add_parser("summary", parents=[common], help=t("cli.help.summary"))
    summary.add_argument("--year", type=int)
    _format_option(summary)

    search = sub.add_parser("search", parents=[common], help=t("cli.help.search"))
    search.add_argument("text")
    _format_option(search)

    from inspect_tui.excel import commands as excel_commands  # export, import-progress, template, import

    excel_commands.register(sub, common)
    return parser


def _language_hint(argv: list[str]) -> str:
    """The language asked for, read before parsing (argv, environment, config)."""
    for i, word in enumerate(argv):
        if word.startswith("--lang="):
            lang = word.split("=", 1)[1]
        elif word == "--lang" and i + 1 < len(argv):
            lang = argv[i + 1]
        else:
            continue
        return lang if lang in LANGUAGES else "vi"
    try:
        lang = settings_module.load().lang
    except Exception:  # a broken config is reported properly after parsing
        return "vi"
    return lang if lang in LANGUAGES else "vi"


def _settings(args) -> settings_module.Settings:
    base = settings_module.load()
    return base.with_(db=args.db, lang=args.lang, today_override=args.today, user=args.user)


def main(argv: list[str] | None = None, console: Console | None = None,
         err: Console | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    console = console or Console()
    err = err or Console(stderr=True)
    set_language(_language_hint(argv))  # so that --help speaks the user's language
    parser = build_parser()
    args = parser.parse_args(argv)
    try:  # a bad INSPECT_TUI_TODAY, INSPECT_TUI_LANG or config.toml is one line too
        settings = _settings(args)
        set_language(settings.lang)
    except DomainError as exc:
        err.print(escape(exc.message()), style="red", highlight=False, soft_wrap=True)
        return 1
    except ValueError as exc:
        err.print(escape(str(exc)), style="red", highlight=False, soft_wrap=True)
        return 1
    try:
        if args.command is None:
            return _open_tui(settings, parser)
        if args.command == "demo":
            return cmd_demo(args, settings, console)
        if args.command == "where":
            return cmd_where(args, settings, console)
        store.connect(settings.db)
        handler = COMMANDS.get(args.command) or getattr(args, "handler", None)
        return handler(args, settings, console)
    except DomainError as exc:
        err.print(escape(exc.message()), style="red", highlight=False, soft_wrap=True)
        return 1
    except store.StoreError as exc:
        err.print(escape(t("error.database", detail=exc)), style="red", highlight=False, soft_wrap=True)
        return 1
    finally:
        store.close()


def _open_tui(settings, parser) -> int:
    try:
        from inspect_tui.ui.app import run
    except ImportError:
        parser.print_help()
        return 0
    return run(settings)


def cmd_init(args, settings, console) -> int:
    from inspect_tui.rules import seed

    report = seed.load_defaults(settings.user)
    if not any((report.units, report.reorganisations, report.indicators, report.observations,
                report.work_items)):
        console.print(t("cli.init_nothing", db=settings.db))
    else:
        console.print(t("cli.init_done", db=settings.db, **report.__dict__))
    return 0


def cmd_demo(args, settings, console) -> int:
    from inspect_tui.rules import demo, meta

    target = args.out or str(settings.home / DEMO_DB)
    if not store.is_postgres(target) and Path(target).exists():
        if not args.force:
            raise DomainError("demo_exists", db=target)
        for suffix in ("", "-wal", "-shm"):
            Path(target + suffix).unlink(missing_ok=True)
    store.connect(target)
    if store.is_postgres(target) and not args.force and meta.is_demo():
        raise DomainError("demo_exists", db=target)
    report = demo.build(settings.today)
    meta.put("demo", "1")
    # the breakdown in parentheses is of the 2021-2025 visits: the total must be theirs too
    console.print(t("cli.demo_done", db=target, plans=report.plans, visits=report.visits_2021_2025,
                    departments=formats.number(report.departments),
                    verticals=f"{report.verticals:02d}", districts=report.districts,
                    findings=formats.number(report.findings), tasks=formats.number(report.tasks),
                    overdue=formats.number(report.overdue), today=formats.date(settings.today)))
    console.print(t("cli.demo_hint", db=target))
    return 0


def cmd_where(args, settings, console) -> int:
    console.print(f"{t('cli.where_home')}: {settings.home}")
    console.print(f"{t('cli.where_db')}: {settings.db}")
    console.print(f"{t('cli.where_exports')}: {settings.export_dir}")
    console.print(f"{t('cli.where_config')}: {settings.config_path}")
    return 0


def cmd_units(args, settings, console) -> int:
    from inspect_tui.rules import units

    rows = [r.__dict__ | {"kind_label": t(f"unit_kind.{r.kind}")}
            for r in units.roster(on=args.on, kind=args.kind)]
    human = args.format == "table"
    columns = [Column("code", t("column.code"), no_wrap=True), Column("name", t("column.name")),
               Column("kind_label" if human else "kind", t("column.kind")),
               Column("parent_code", t("column.parent"), no_wrap=True),
               Column("started_on", t("column.started_on"), no_wrap=True),
               Column("ended_on", t("column.ended_on"), no_wrap=True),
               Column("confirmed", t("column.confirmed"))]
    if not human:  # notes are long; people read them in the TUI
        columns.append(Column("note", t("column.note")))
    title = t("cli.units_on", day=formats.date(args.on)) if args.on else t("cli.units_title")
    emit(console, args.format, title, columns, rows, caption=t("cli.rows", n=formats.number(len(rows))))
    return 0


def cmd_overdue(args, settings, console) -> int:
    from inspect_tui.rules import tasks, units

    if args.unit.strip() and not units.known(args.unit):
        raise DomainError("unknown_unit", code=args.unit.strip())
    flt = tasks.TaskFilter(quick="overdue", unit=args.unit, area=args.area, sort="overdue")
    found = tasks.list_tasks(flt, settings.today, limit=None)
    day = formats.date(settings.today)
    if args.format == "table" and not found:
        console.print(t("cli.overdue_none", day=day))
        return 0
    rows = [r.__dict__ | {"area_label": t(f"area_short.{r.area}"),
                          "status_label": t(f"task_status.{r.status}")} for r in found]
    if args.format == "table":  # what fits a terminal; csv and json carry every field
        columns = [Column("id", t("column.task"), justify="right", no_wrap=True),
                   Column("unit_name", t("column.unit")), Column("area_label", t("column.area")),
                   Column("description", t("column.description")),
                   Column("due_on", t("column.due_on"), no_wrap=True),
                   Column("days_overdue", t("column.days_overdue"), justify="right", no_wrap=True),
                   Column("status_label", t("column.status"))]
    else:
        columns = [Column(key, key) for key in (
            "id", "unit_code", "unit_name", "area", "finding", "description", "due_on",
            "days_overdue", "status", "assignee", "visited_code", "year")]
    emit(console, args.format, t("cli.overdue_title", day=day), columns, rows,
         caption=t("cli.rows", n=formats.number(len(rows))))
    return 0


def cmd_summary(args, settings, console) -> int:
    from inspect_tui.rules import summary

    s = summary.summarise(settings.today, args.year)
    if args.format != "table":
        data = [{"section": section, "key": key, "count": n} for section, counts in (
            ("visits_by_kind", s.visits_by_kind), ("findings_by_area", s.findings_by_area),
            ("tasks_by_status", s.tasks_by_status), ("tasks_by_bucket", s.tasks_by_bucket))
            for key, n in counts.items()]
        data += [{"section": "worst_units", "key": u.code, "count": u.overdue} for u in s.worst_units]
        emit(console, args.format, "", [Column("section", ""), Column("key", ""), Column("count", "")], data)
        return 0
    scope = t("cli.summary_year", year=args.year) if args.year else t("cli.summary_all_years")
    console.print(f"[bold]{t('cli.summary_title', scope=scope, day=formats.date(settings.today))}[/bold]")
    k = s.visits_by_kind
    console.print(t("cli.visits_sentence", total=formats.number(s.visits_held),
                    department=f"{k['department']:02d}", vertical=f"{k['vertical']:02d}",
                    district=f"{k['district']:02d}"))
    total = t("column.total")
    counts_table(console, t("cli.visits_by_kind"), t("column.kind"),
                 [(t(f"unit_kind.{kind}"), n) for kind, n in k.items() if n or kind != "commune"], total)
    counts_table(console, t("cli.findings_by_area"), t("column.area"),
                 [(t(f"area.{a}"), s.findings_by_area[a]) for a in AREAS], total)
    counts_table(console, t("cli.tasks_by_status"), t("column.status"),
                 [(t(f"task_status.{st}"), s.tasks_by_status[st]) for st in TASK_STATUSES], total)
    counts_table(console, t("cli.tasks_by_bucket"), t("column.days_overdue"),
                 [(t(f"bucket.{b}"), s.tasks_by_bucket[b]) for b in AGEING_BUCKETS], total)
    if s.worst_units:
        rows = [u.__dict__ for u in s.worst_units]
        emit(console, "table", t("cli.worst_units"),
             [Column("code", t("column.code")), Column("name", t("column.name")),
              Column("overdue", t("column.overdue"), justify="right"),
              Column("open", t("column.open"), justify="right"),
              Column("max_days", t("column.oldest"), justify="right")], rows)
    return 0


def cmd_search(args, settings, console) -> int:
    from inspect_tui.rules import search

    hits = search.search(args.text)
    if args.format == "table" and not hits:
        console.print(escape(t("cli.search_none", text=args.text)))
        return 0
    rows = [h.__dict__ | {"kind_label": t(f"hit.{h.kind}")} for h in hits]
    columns = [Column("kind_label" if args.format == "table" else "kind", t("column.kind_of_hit")),
               Column("id", "#", justify="right", shown=str), Column("code", t("column.code")),
               Column("text", t("column.text")),
               Column("year", t("column.year"), shown=lambda y: str(y) if y else "")]
    emit(console, args.format, t("cli.search_title", text=args.text), columns, rows)
    return 0


COMMANDS = {"init": cmd_init, "units": cmd_units, "overdue": cmd_overdue,
            "summary": cmd_summary, "search": cmd_search}
