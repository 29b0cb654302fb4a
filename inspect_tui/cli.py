"""The `inspect-tui` command: the TUI by default, sub-commands for the rest.

Global options (--db, --lang, --today, --user) may stand before or after the
sub-command. Errors print one line on stderr and exit 1; usage errors exit 2.

Only what building the parser needs is imported here: the database (peewee,
the driver), Rich, Textual, openpyxl and python-docx are imported by the
command that uses them, and the sub-commands defined in other modules are
registered whole only when one of them is run (LAZY), so `--help` and a
mistyped option answer at once.
"""
import argparse
import datetime as dt
import sys
from pathlib import Path

from inspect_tui import settings as settings_module
from inspect_tui.locale import LANGUAGES, formats, set_language, t
from inspect_tui.output import FORMATS, Column, clean, counts_table, emit, stream, usage_line
from inspect_tui.rules import limits
from inspect_tui.rules.dates import parse_day
from inspect_tui.rules.errors import DomainError
from inspect_tui.arguments import checked
from inspect_tui.rules.vocab import AGEING_BUCKETS, AREAS, TASK_STATUSES, UNIT_KINDS

DEMO_DB = Path("db") / "demo.sqlite3"


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's own "usage:" in the user's language."""

    def add_usage(self, usage, actions, groups, prefix=None):
        if prefix is None:  # argparse passes "" when it builds a sub-command's prog
            prefix = t("cli.usage.usage") + " "
        return super().add_usage(usage, actions, groups, prefix=prefix)


class _Parser(argparse.ArgumentParser):
    """Usage errors are one line in the user's language (no usage block), exit 2;
    --help speaks that language too, argparse's own headings included."""

    def __init__(self, *args, add_help: bool = True, parents=(), **kwargs):
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = t("cli.usage.positionals")
        self._optionals.title = t("cli.usage.options")
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help=t("cli.usage.help"))
        # The parents' options join the groups as titled now (argparse's own
        # __init__ would add them before the titles are translated: two groups).
        for parent in parents:
            self._add_container_actions(parent)
            self._defaults.update(parent._defaults)

    def error(self, message):
        self.exit(2, usage_line(self.prog, message) + "\n")


def _date_of(option: str):
    """An argparse type that reads a date within the years the record accepts
    (limits.YEAR_MIN..YEAR_MAX) and names `option` when it cannot."""
    return checked(parse_day, option)


_date = _date_of("--today")


def _global_options(parser: argparse.ArgumentParser, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--db", default=default, help=t("cli.help.db"))
    parser.add_argument("--lang", choices=LANGUAGES, default=default, help=t("cli.help.lang"))
    parser.add_argument("--today", type=_date, default=default, metavar="DATE",
                        help=t("cli.help.today"))
    parser.add_argument("--user", type=checked(limits.check_name, "--user"), default=default,
                        help=t("cli.help.user"))


def _format_option(parser):
    parser.add_argument("--format", choices=FORMATS, default="table", help=t("cli.help.format"))


def _history_parser(sub, common) -> None:
    from inspect_tui.rules.history import KINDS  # the rules' module imports the store

    # `history --user NAME` filters by NAME: the global --user, read from the command line only
    history = sub.add_parser("history", parents=[common], help=t("cli.help.history"),
                             description=t("cli.help.history_description"))
    history.add_argument("kind", nargs="?", choices=KINDS, metavar="KIND",
                         help=t("cli.help.history_kind"))
    history.add_argument("id", nargs="?", metavar="ID", help=t("cli.help.history_id"))
    history.add_argument("--since", type=_date_of("--since"), metavar="DATE", help=t("cli.help.since"))
    _format_option(history)
    history.set_defaults(usage_error=history.error)


def _roster(sub, common) -> None:
    from inspect_tui import roster_commands  # reorganise, reassign

    roster_commands.register(sub, common)


def _excel(sub, common) -> None:
    from inspect_tui.excel import commands  # export, import-progress, template, import (openpyxl)

    commands.register(sub, common)


def _papers(sub, common) -> None:
    from inspect_tui.papers import commands  # notice, minutes, remind, report (python-docx)

    commands.register(sub, common)


# The sub-commands registered by a function that imports what they need, in
# the order `--help` lists them: each group is registered whole only when one
# of its commands is run (or asked for its --help); otherwise each command is
# a name and its help line, which is all the list of commands shows.
LAZY = (
    (_history_parser, {"history": "cli.help.history"}),
    (_roster, {"reorganise": "cli.help.reorganise", "reassign": "cli.help.reassign"}),
    (_excel, {"export": "cli.help.export", "import-progress": "cli.help.import_progress",
              "template": "cli.help.template", "import": "cli.help.import"}),
    (_papers, {"notice": "cli.help.notice", "minutes": "cli.help.minutes",
               "remind": "cli.help.remind", "report": "cli.help.report"}),
)
_GLOBAL_VALUED = ("--db", "--lang", "--today", "--user")  # the global options that take a value


def command_of(argv: list[str]) -> str | None:
    """The sub-command named in `argv`, read before parsing: the first word
    that is neither an option nor a global option's value."""
    words = iter(argv)
    for word in words:
        if word == "--":
            return next(words, None)
        if word in _GLOBAL_VALUED:
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def build_parser(command: str | None = None, whole: bool = False) -> argparse.ArgumentParser:
    """The parser; the LAZY groups are registered whole for `command`'s group
    (all of them with `whole`), as their help lines otherwise."""
    parser = _Parser(prog="inspect-tui", description=t("cli.description"))
    _global_options(parser, suppress=False)
    common = _Parser(add_help=False)
    _global_options(common, suppress=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    sub.add_parser("init", parents=[common], help=t("cli.help.init"))
    demo = sub.add_parser("demo", parents=[common], help=t("cli.help.demo"))
    demo.add_argument("--out", help=t("cli.help.demo_out"))
    demo.add_argument("--force", action="store_true", help=t("cli.help.force"))
    sub.add_parser("where", parents=[common], help=t("cli.help.where"))

    units = sub.add_parser("units", parents=[common], help=t("cli.help.units"))
    units.add_argument("--on", type=_date_of("--on"), metavar="DATE", help=t("cli.help.on"))
    units.add_argument("--kind", choices=UNIT_KINDS, help=t("cli.help.kind"))
    _format_option(units)
    if whole or command == "units":
        from inspect_tui import roster_commands  # units import|export|template

        roster_commands.register_units(units, common)

    overdue = sub.add_parser("overdue", parents=[common], help=t("cli.help.overdue"))
    overdue.add_argument("--unit", type=checked(limits.check_query, "--unit"), help=t("cli.help.unit"))
    overdue.add_argument("--area", choices=AREAS, help=t("cli.help.area"))
    _format_option(overdue)

    summary = sub.add_parser("summary", parents=[common], help=t("cli.help.summary"))
    summary.add_argument("--year", type=checked(limits.check_year, "--year"),  # omitted: all years
                         help=t("cli.help.summary_year"))
    _format_option(summary)

    search = sub.add_parser("search", parents=[common], help=t("cli.help.search"))
    search.add_argument("text", type=checked(limits.check_query, "text"), help=t("cli.help.search_text"))
    _format_option(search)

    backup = sub.add_parser("backup", parents=[common], help=t("cli.help.backup"))
    backup.add_argument("--out", metavar="PATH", help=t("cli.help.backup_out"))

    restore = sub.add_parser("restore", parents=[common], help=t("cli.help.restore"))
    restore.add_argument("path", metavar="PATH", help=t("cli.help.restore_path"))
    restore.add_argument("--yes", action="store_true", help=t("cli.help.yes"))

    for register, names in LAZY:
        if whole or command in names:
            register(sub, common)
        else:
            for name, help_key in names.items():
                sub.add_parser(name, help=t(help_key))
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
    return settings_module.preferred_language()  # a broken config is reported after parsing


def _settings(args) -> settings_module.Settings:
    base = settings_module.load()
    return base.with_(db=args.db, lang=args.lang, today_override=args.today, user=args.user)


def main(argv: list[str] | None = None, console=None, err=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    set_language(_language_hint(argv))  # so that --help speaks the user's language
    args = build_parser(command_of(argv)).parse_args(argv)
    from rich.console import Console  # after parsing: --help and usage errors need no Rich

    console = console or Console()
    err = err or Console(stderr=True)
    try:  # a bad INSPECT_TUI_TODAY, INSPECT_TUI_LANG or config.toml is one line too
        settings = _settings(args)
        set_language(settings.lang)
    except DomainError as exc:
        return _fail(err, exc.message())
    except ValueError as exc:
        return _fail(err, str(exc))
    from peewee import DatabaseError

    from inspect_tui.rules import database

    try:
        if args.command is None:
            return _open_tui(settings, err)
        if args.command == "demo":
            return cmd_demo(args, settings, console)
        if args.command == "where":
            return cmd_where(args, settings, console)
        database.open_database(settings.db, create=args.command in CREATING)
        handler = COMMANDS.get(args.command) or getattr(args, "handler", None)
        return handler(args, settings, console)
    except DomainError as exc:
        return _fail(err, exc.message())
    except database.StoreError as exc:
        return _fail(err, t(f"error.{exc.key}", **exc.values))
    except DatabaseError as exc:  # locked, too long, read-only ...: one line, never a traceback
        return _fail(err, t("error.db_error", detail=" ".join(str(exc).split())[:300]))
    except BrokenPipeError:  # `inspect-tui overdue | head`: the reader has had enough
        _silence_stdout()
        return 1
    except KeyboardInterrupt:  # Ctrl+C in a long listing: stop, no traceback
        return 130
    finally:
        database.close()


def _silence_stdout() -> None:
    """After a broken pipe, what is still buffered for stdout goes nowhere
    (Python would otherwise report the failed flush at exit)."""
    import os

    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # stdout is not a file (a test's StringIO)
        pass


CREATING = {"init", "restore"}  # the commands that may make a new database


def escape(text: str) -> str:
    """Rich markup escaped (Rich is imported when something is printed)."""
    from rich.markup import escape as rich_escape

    return rich_escape(text)


def _fail(err, message: str) -> int:
    err.print(escape(clean(message)), style="red", highlight=False, soft_wrap=True)  # clean: no ESC echoed
    return 1


def _open_tui(settings, err) -> int:
    """The terminal app; a missing Textual is one line, any other import error
    is a bug and is not dressed up as one."""
    try:
        from inspect_tui.ui.app import run
    except ModuleNotFoundError as exc:
        if (exc.name or "").partition(".")[0] != "textual":
            raise
        return _fail(err, t("error.no_textual", detail=exc.name))
    return run(settings)


def cmd_init(args, settings, console) -> int:
    from inspect_tui.rules import seed

    report = seed.load_defaults(settings.user)
    if not any((report.units, report.reorganisations, report.indicators, report.observations,
                report.work_items)):
        console.print(escape(clean(t("cli.init_nothing", db=settings.db))))
    else:
        console.print(escape(clean(t("cli.init_done", db=settings.db, **report.__dict__))))
    return 0


def cmd_demo(args, settings, console) -> int:
    from inspect_tui.rules import demo

    if args.out and args.db and args.out != args.db:
        raise DomainError("demo_two_targets", out=args.out, db=args.db)
    target = args.out or args.db or str(settings.home / DEMO_DB)
    report = demo.create(target, settings.today, force=args.force)
    # the breakdown in parentheses is of the 2021-2025 visits: the total must be theirs too
    console.print(escape(clean(t(
        "cli.demo_done", db=target, plans=report.plans, visits=report.visits_2021_2025,
        this_year=report.visits - report.visits_2021_2025, year=settings.today.year,
        departments=formats.number(report.departments),
        verticals=f"{report.verticals:02d}", districts=report.districts,
        findings=formats.number(report.findings), tasks=formats.number(report.tasks),
        overdue=formats.number(report.overdue), today=formats.date(settings.today)))))
    console.print(escape(clean(t("cli.demo_hint", db=target))))
    return 0


def cmd_where(args, settings, console) -> int:
    for label, value in (("where_home", settings.home), ("where_db", settings.db),
                         ("where_exports", settings.export_dir), ("where_config", settings.config_path)):
        console.print(escape(clean(f"{t('cli.' + label)}: {value}")), highlight=False, soft_wrap=True)
    return 0


def cmd_units(args, settings, console) -> int:
    from inspect_tui.rules import units

    if getattr(args, "units_command", None):  # units import | export | template
        from inspect_tui.roster_commands import cmd_units_action

        return cmd_units_action(args, settings, console)
    human = args.format == "table"
    links = units.links()

    def linked(code: str, side: str):
        found = getattr(links[code], side) if code in links else ()
        if human:  # the codes (the days are the units' start and end), the first few
            shown = ", ".join(link.code for link in found[:3])
            return shown + (f" (+{len(found) - 3})" if len(found) > 3 else "")
        return [link.code for link in found] if args.format == "json" else " ".join(link.code for link in found)

    rows = [r.__dict__ | {"kind_label": t(f"unit_kind.{r.kind}"), "predecessors": linked(r.code, "predecessors"),
                          "successors": linked(r.code, "successors")}
            for r in units.roster(on=args.on, kind=args.kind)]
    columns = [Column("code", t("column.code"), no_wrap=True), Column("name", t("column.name")),
               Column("kind_label" if human else "kind", t("column.kind")),
               Column("parent_code", t("column.parent"), no_wrap=True),
               Column("started_on", t("column.started_on"), no_wrap=True),
               Column("ended_on", t("column.ended_on"), no_wrap=True),
               Column("confirmed", t("column.confirmed")),
               Column("predecessors", t("column.predecessors")), Column("successors", t("column.successors"))]
    if not human:  # notes are long; people read them in the TUI
        columns.append(Column("note", t("column.note")))
    title = t("cli.units_on", day=formats.date(args.on)) if args.on else t("cli.units_title")
    emit(console, args.format, title, columns, rows, caption=t("cli.rows", n=formats.number(len(rows))))
    return 0


def cmd_overdue(args, settings, console) -> int:
    """Streamed as the rows come (a record of a million tasks): csv and json
    row by row, the table with fixed column widths."""
    from itertools import chain

    from inspect_tui.rules import overdue, units

    # a code, or one unit's name with or without diacritics; several matches are refused
    unit = units.resolve(args.unit, "--unit").code if args.unit is not None else ""
    found = overdue.rows(settings.today, unit=unit, area=args.area)
    day = formats.date(settings.today)
    first = next(found, None)
    if args.format == "table" and first is None:
        console.print(t("cli.overdue_none", day=day))
        return 0
    found = chain([first], found) if first is not None else found
    if args.format == "table":  # what fits a terminal; csv and json carry every field
        area = {a: t(f"area_short.{a}") for a in AREAS}
        status = {s: t(f"task_status.{s}") for s in TASK_STATUSES}
        rows = (r | {"area_label": area.get(r["area"], r["area"]),
                     "status_label": status.get(r["status"], r["status"])} for r in found)
        columns = [Column("id", t("column.task"), justify="right", no_wrap=True, width=7),
                   Column("unit_name", t("column.unit")),
                   Column("area_label", t("column.area"), width=max(map(len, area.values()))),
                   Column("description", t("column.description")),
                   Column("due_on", t("column.due_on"), no_wrap=True, width=10),
                   Column("days_overdue", t("column.days_overdue"), justify="right", no_wrap=True,
                          width=7),
                   Column("status_label", t("column.status"), width=max(map(len, status.values())))]
    else:
        rows = found
        columns = [Column(key, key) for key in (
            "id", "unit_code", "unit_name", "area", "finding", "description", "due_on",
            "days_overdue", "status", "assignee", "visited_code", "year")]
    stream(console, args.format, t("cli.overdue_title", day=day), columns, rows,
           caption=lambda n: t("cli.rows", n=formats.number(n)))
    return 0


def cmd_summary(args, settings, console) -> int:
    from inspect_tui.rules import summary

    if args.format == "table":  # the heading at once, the counts when they are in
        scope = t("cli.summary_year", year=args.year) if args.year else t("cli.summary_all_years")
        console.print(f"[bold]{t('cli.summary_title', scope=scope, day=formats.date(settings.today))}[/bold]")
        console.file.flush()
    s = summary.summarise(settings.today, args.year)
    if args.format != "table":
        data = [{"section": section, "key": key, "count": n} for section, counts in (
            ("visits_by_kind", s.visits_by_kind), ("findings_by_area", s.findings_by_area),
            ("tasks_by_status", s.tasks_by_status), ("tasks_by_bucket", s.tasks_by_bucket))
            for key, n in counts.items()]
        data += [{"section": "worst_units", "key": u.code, "count": u.overdue} for u in s.worst_units]
        emit(console, args.format, "", [Column("section", ""), Column("key", ""), Column("count", "")], data)
        return 0
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
    """Each kind's hits are written as its query answers (a text found only
    in tasks scans a million of them); the table's columns have fixed widths."""
    from itertools import chain

    from inspect_tui.rules import search

    found = search.hits(args.text, field="text")
    first = next(found, None)
    if args.format == "table" and first is None:
        console.print(escape(clean(t("cli.search_none", text=args.text))), highlight=False)
        return 0
    found = chain([first], found) if first is not None else found
    kinds = {kind: t(f"hit.{kind}") for kind in ("unit", "finding", "task")}
    rows = (h.__dict__ | {"kind_label": kinds[h.kind]} for h in found)
    columns = [Column("kind_label" if args.format == "table" else "kind", t("column.kind_of_hit"),
                      width=max(map(len, kinds.values()))),
               Column("id", "#", justify="right", shown=str, width=7),
               Column("code", t("column.code"), width=12), Column("text", t("column.text")),
               Column("year", t("column.year"), shown=lambda y: str(y) if y else "", width=4)]
    stream(console, args.format, t("cli.search_title", text=args.text), columns, rows)
    return 0


def _counts(console, title: str, copied) -> None:
    counts_table(console, escape(clean(title)), t("cli.backup.table"), list(copied.counts.items()),
                 t("column.total"))


def cmd_backup(args, settings, console) -> int:
    from inspect_tui.rules import backup

    out = args.out or backup.default_path(settings.home, settings.db, dt.datetime.now())
    copied = backup.backup(out)
    _counts(console, t("cli.backup.done", path=copied.path, total=formats.number(copied.total)), copied)
    return 0


def _interactive() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (AttributeError, OSError, ValueError):
        return False


def cmd_restore(args, settings, console) -> int:
    """main() has opened the target (created if new, as init does); the rules
    refuse it unless it is empty."""
    from inspect_tui.rules import backup
    from inspect_tui.rules.text import fold

    with backup.restore_plan(args.path, settings.db) as plan:
        if not args.yes:
            if not _interactive():
                raise DomainError("restore_needs_yes")
            console.print(escape(clean(t("cli.restore.confirm", path=plan.path, db=plan.target))) + " ",
                          end="", highlight=False)
            if fold(sys.stdin.readline().strip()) not in ("y", "yes", "c", "co"):
                console.print(t("cli.restore.cancelled"))
                return 1
        copied = plan.apply()
    if plan.migrated:
        console.print(t("cli.restore.migrated", migrations=", ".join(plan.migrated)), highlight=False)
    _counts(console, t("cli.restore.done", path=plan.path, db=plan.target,
                       total=formats.number(copied.total)), copied)
    return 0


def cmd_history(args, settings, console) -> int:
    from inspect_tui.rules import history

    if args.kind and not args.id:
        args.usage_error(t("cli.history.needs_id"))
    if not args.kind and args.since is None and not args.user:
        args.usage_error(t("cli.history.needs_what"))
    record_id = history.find_record(args.kind, args.id) if args.kind else None
    entries = history.changes(args.kind, record_id, since=args.since, actor=args.user)
    parts = [f"{t('entity.' + args.kind)} {args.id.strip()}"] if args.kind else []
    if args.since:
        parts.append(t("cli.history.since", day=formats.date(args.since)))
    if args.user:
        parts.append(t("cli.history.by", user=args.user))
    title = f"{t('cli.history.title')}: {', '.join(parts)}"
    if args.format == "table":
        labels = history.Labels()
        columns = [Column(key, t(f"history.column.{key}"), no_wrap=key == "at")
                   for key in ("at", "actor", "action", "record", "field", "old", "new")]
        rows = ({"at": formats.datetime(e.at), "actor": e.actor, "action": labels.action(e),
                 "record": labels.record(e), "field": labels.field(e),
                 "old": labels.value(e, e.old), "new": labels.value(e, e.new)} for e in entries)
    else:
        columns = [Column(key, key) for key in (
            "at", "actor", "action", "entity", "record_id", "field", "old", "new", "batch")]
        rows = (e.__dict__ for e in entries)
    shown = _emit_rows(console, args.format, title, columns, rows)
    if args.format == "table":
        console.print(t("cli.rows", n=formats.number(shown)) if shown else t("cli.history.none"))
    return 0


def _emit_rows(console, fmt: str, title: str, columns: list[Column], rows, chunk: int = 500) -> int:
    """output.stream for the change log: csv and json as the rows come, the
    table as Rich tables of `chunk` rows (its columns sized to their texts).
    Returns the count."""
    if fmt != "table":
        return stream(console, fmt, title, columns, rows)
    n = 0
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        n += 1
        if len(batch) == chunk:
            emit(console, fmt, title if n == chunk else "", columns, batch)
            batch = []
    if batch:
        emit(console, fmt, title if n <= chunk else "", columns, batch)
    return n


COMMANDS = {"init": cmd_init, "units": cmd_units, "overdue": cmd_overdue,
            "summary": cmd_summary, "search": cmd_search, "backup": cmd_backup,
            "restore": cmd_restore, "history": cmd_history}
