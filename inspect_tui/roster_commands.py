"""The roster on the command line: `units import|export|template`, the
reorganisation wizard as `reorganise`, and `reassign` for the tasks a
dissolution left pending. They call the rules (rules/units.py,
rules/reorganisation.py) and excel/roster.py, nothing else.

Each handler gets (args, settings, console) with the database connected and
returns the exit code; a refusal is one line on stderr (main() prints it), a
report (file, row, column, reason) goes to stdout.
"""
import argparse
import datetime as dt
import sys
from pathlib import Path

from rich.markup import escape
from rich.table import Table
from rich.text import Text

from inspect_tui.arguments import checked
from inspect_tui.locale import formats, t
from inspect_tui.output import FORMATS, Column, clean, emit
from inspect_tui.rules import limits
from inspect_tui.rules.dates import parse_day
from inspect_tui.rules.errors import DomainError
from inspect_tui.rules.vocab import AREAS, REORGANISATIONS, UNIT_KINDS


def _unit(option: str):
    return checked(limits.check_query, option)


def _pair(option: str):
    """KEY=VALUE (both parts non-blank)."""
    def read(text: str):
        key, sep, value = str(text).partition("=")
        if not sep or not key.strip() or not value.strip():
            raise argparse.ArgumentTypeError(t("cli.usage.pair", option=option, value=text))
        limits.check_query(value, option)
        return key.strip(), value.strip()
    read.__name__ = option.lstrip("-")
    return read


def _task_ref(option: str):
    """ID or ID=UNIT."""
    def read(text: str):
        key, sep, value = str(text).partition("=")
        try:
            task_id = limits.check_int(int(key.strip()), option)
        except (ValueError, DomainError):
            raise argparse.ArgumentTypeError(t("cli.usage.task_ref", option=option, value=text)) from None
        if sep:
            try:
                limits.check_query(value, option)
            except DomainError as exc:
                raise argparse.ArgumentTypeError(exc.message()) from None
            return task_id, value.strip()
        return task_id, None
    read.__name__ = option.lstrip("-")
    return read


def register_units(units_parser, common) -> None:
    """`units import`, `units export`, `units template`: sub-commands of
    `units`, which without one lists the roster as before."""
    actions = units_parser.add_subparsers(dest="units_command", metavar="ACTION", help=t("cli.help.units_action"))
    p = actions.add_parser("import", parents=[common], help=t("cli.help.units_import"))
    p.add_argument("file", metavar="FILE", help=t("cli.help.units_file"))
    p.add_argument("--dry-run", action="store_true", help=t("cli.help.dry_run"))
    p = actions.add_parser("export", parents=[common], help=t("cli.help.units_export"))
    p.add_argument("--on", type=checked(parse_day, "--on"), metavar="DATE", default=argparse.SUPPRESS,
                   help=t("cli.help.units_export_on"))
    p.add_argument("--out", metavar="PATH", help=t("cli.help.units_out"))
    p = actions.add_parser("template", parents=[common], help=t("cli.help.units_template"))
    p.add_argument("--out", metavar="PATH", help=t("cli.help.units_template_out"))


def register(subparsers, common) -> None:
    p = subparsers.add_parser("reorganise", parents=[common], help=t("cli.help.reorganise"),
                              description=t("cli.help.reorganise_description"))
    p.add_argument("kind", choices=REORGANISATIONS, metavar="KIND", help=t("cli.help.reorganise_kind"))
    p.add_argument("--on", type=checked(parse_day, "--on"), metavar="DATE", required=True,
                   help=t("cli.help.reorganise_on"))
    p.add_argument("--from", dest="sources", type=_unit("--from"), nargs="+", action="extend", required=True,
                   metavar="UNIT", help=t("cli.help.reorganise_from"))
    p.add_argument("--to", dest="successors", type=_unit("--to"), nargs="+", action="extend", default=[],
                   metavar="UNIT", help=t("cli.help.reorganise_to"))
    p.add_argument("--new", type=_pair("--new"), action="append", default=[], metavar="CODE=NAME",
                   help=t("cli.help.reorganise_new"))
    p.add_argument("--new-kind", choices=UNIT_KINDS, help=t("cli.help.reorganise_new_kind"))
    p.add_argument("--new-parent", type=_unit("--new-parent"), metavar="UNIT",
                   help=t("cli.help.reorganise_new_parent"))
    p.add_argument("--holder", type=_unit("--holder"), metavar="UNIT", help=t("cli.help.reorganise_holder"))
    p.add_argument("--all-to", type=_unit("--all-to"), metavar="UNIT", help=t("cli.help.reorganise_all_to"))
    p.add_argument("--by-unit", type=_pair("--by-unit"), action="append", default=[], metavar="FROM=TO",
                   help=t("cli.help.reorganise_by_unit"))
    p.add_argument("--by-area", type=_pair("--by-area"), action="append", default=[], metavar="AREA=TO",
                   help=t("cli.help.reorganise_by_area"))
    p.add_argument("--task", type=_task_ref("--task"), action="append", default=[], metavar="ID=TO",
                   help=t("cli.help.reorganise_task"))
    p.add_argument("--children-to", type=_unit("--children-to"), metavar="UNIT",
                   help=t("cli.help.reorganise_children_to"))
    p.add_argument("--note", type=checked(lambda v, f: limits.check_text(v, f), "--note"), default="",
                   help=t("cli.help.reorganise_note"))
    p.add_argument("--dry-run", action="store_true", help=t("cli.help.reorganise_dry_run"))
    p.add_argument("--format", choices=FORMATS, default="table", help=t("cli.help.format"))
    p.set_defaults(handler=cmd_reorganise, usage_error=p.error)

    p = subparsers.add_parser("reassign", parents=[common], help=t("cli.help.reassign"),
                              description=t("cli.help.reassign_description"))
    p.add_argument("--holder", type=_unit("--holder"), metavar="UNIT", help=t("cli.help.reassign_holder"))
    p.add_argument("--from", dest="from_unit", type=_unit("--from"), metavar="UNIT",
                   help=t("cli.help.reassign_from"))
    p.add_argument("--task", type=_task_ref("--task"), action="append", default=[], metavar="ID[=UNIT]",
                   help=t("cli.help.reassign_task"))
    p.add_argument("--to", type=_unit("--to"), metavar="UNIT", help=t("cli.help.reassign_to"))
    p.add_argument("--text", type=_unit("--text"), help=t("cli.help.reassign_text"))
    p.add_argument("--dry-run", action="store_true", help=t("cli.help.reassign_dry_run"))
    p.add_argument("--format", choices=FORMATS, default="table", help=t("cli.help.format"))
    p.set_defaults(handler=cmd_reassign, usage_error=p.error)


def _line(console, text: str) -> None:
    console.print(Text(clean(text)), highlight=False, soft_wrap=True)


def _err(text: str) -> int:
    print(clean(text), file=sys.stderr)
    return 1


# --- units import / export / template ---------------------------------------------------------

def cmd_units_action(args, settings, console) -> int:
    action = args.units_command
    if action == "import":
        return _units_import(args, settings, console)
    if action == "export":
        return _units_export(args, settings, console)
    return _units_template(args, settings, console)


def _units_import(args, settings, console) -> int:
    from inspect_tui.excel import roster

    lang = settings.lang
    report = roster.import_roster(Path(args.file), settings.user, settings.today, lang, args.dry_run)
    _print_report(console, report, lang)
    if not report.ok:
        return _err(t("excel.import.failed", lang=lang, n=formats.number(report.problem_count, lang=lang)))
    made = report.created.get("units", 0)
    updated = report.created.get("updated", 0)
    numbers = {"new": formats.number(made, lang=lang), "updated": formats.number(updated, lang=lang),
               "already": formats.number(report.already, lang=lang)}
    if args.dry_run:
        _line(console, t("cli.units.dry_run", **numbers))
    elif not report.changes:
        _line(console, t("cli.units.nothing", **numbers))
    else:
        _line(console, t("cli.units.applied", **numbers))
    return 0


def _print_report(console, report, lang: str) -> None:
    from inspect_tui.excel.roster import CHANGES_SHOWN

    console.print(f"[bold]{escape(t('cli.units.import_title', lang=lang, files=len(report.files)))}[/bold]")
    if report.changes:
        table = Table(title=t("excel.import.changes_title", lang=lang))
        for label in (t("excel.import.col_where", lang=lang), t("column.code", lang=lang),
                      t("excel.import.col_field", lang=lang), t("excel.import.col_old", lang=lang),
                      t("excel.import.col_new", lang=lang)):
            table.add_column(label, overflow="fold")
        for c in report.changes[:CHANGES_SHOWN]:
            where = " / ".join(str(p) for p in (c.file, c.sheet, c.row) if p)
            table.add_row(*(Text(clean(v)) for v in (where, c.record, c.field, c.old or "–", c.new or "–")))
        console.print(table)
        if len(report.changes) > CHANGES_SHOWN:
            _line(console, t("cli.units.more_changes", n=formats.number(len(report.changes) - CHANGES_SHOWN,
                                                                          lang=lang)))
    if report.problems:
        table = Table(title=t("excel.import.problems_title", lang=lang), style="red")
        for key in ("col_where", "col_field", "col_reason"):
            table.add_column(t(f"excel.import.{key}", lang=lang), overflow="fold")
        for p in report.problems:
            table.add_row(Text(clean(p.where())), Text(clean(p.field)), Text(clean(p.reason)))
        console.print(table)
        hidden = report.problem_count - len(report.problems)
        if hidden > 0:
            _line(console, t("excel.import.more", lang=lang, n=hidden))


def _units_export(args, settings, console) -> int:
    from inspect_tui.excel import roster

    on = getattr(args, "on", None)
    out = Path(args.out) if args.out else Path(settings.export_dir) / roster.default_name(
        on, settings.today, settings.lang)
    written = roster.export_roster(out, on, settings.today, settings.lang, create_folder=not args.out)
    scope = t("cli.units.on_day", day=formats.date(on)) if on else t("cli.units.every_unit")
    _line(console, t("cli.units.exported", n=formats.number(written.rows), scope=scope, path=written.path))
    return 0


def _units_template(args, settings, console) -> int:
    from inspect_tui.excel import roster

    out = Path(args.out) if args.out else Path(settings.export_dir) / t("units.file.template_name")
    path = roster.write_template(out, settings.today, settings.lang, create_folder=not args.out)
    _line(console, t("cli.units.template_written", path=path))
    return 0


# --- reorganise --------------------------------------------------------------------------------

def _plan(args):
    """The wizard's answers as a reorganisation.Plan: units typed as codes or
    names (diacritics optional) among those existing on the day (the units
    that end: the day before)."""
    from inspect_tui.rules import reorganisation, units

    day = args.on
    before = day - dt.timedelta(days=1)
    new_codes = {}
    for code, name in args.new:
        code = units.check_code(code)
        new_codes[code] = name

    def source(text, option):
        return units.resolve(text, option, on=before).code

    def target(text, option):
        text = text.strip()
        if text in new_codes:
            return text
        return units.resolve(text, option, on=day).code

    sources = [source(s, "--from") for s in args.sources]
    successors = [target(s, "--to") for s in args.successors]
    first = units.get(sources[0])
    kind = args.new_kind or first.kind
    parent = units.resolve(args.new_parent, "--new-parent", on=day).code if args.new_parent else (
        first.parent.code if first.parent_id and first.parent.exists_on(day) else None)
    new_units = tuple(reorganisation.NewUnit(code, name, kind, parent) for code, name in new_codes.items())
    by_area = {}
    for area, to in args.by_area:
        if area not in AREAS:
            raise DomainError("bad_choice", field="--by-area", value=area, choices=", ".join(AREAS))
        by_area[area] = target(to, "--by-area")
    assignment = reorganisation.Assignment(
        to=target(args.all_to, "--all-to") if args.all_to else None,
        by_unit={source(f, "--by-unit"): target(to, "--by-unit") for f, to in args.by_unit},
        by_area=by_area,
        tasks={task_id: target(to, "--task") for task_id, to in args.task if to},
        holder=units.resolve(args.holder, "--holder", on=day).code if args.holder else None,
        children_to=target(args.children_to, "--children-to") if args.children_to else None)
    missing = [task_id for task_id, to in args.task if not to]
    if missing:
        args.usage_error(t("cli.usage.task_ref", option="--task", value=missing[0]))
    return reorganisation.Plan(args.kind, tuple(sources), day, successors=tuple(successors),
                               new_units=new_units, assignment=assignment, note=args.note)


MOVE_KEYS = ("task_id", "from_code", "to_code", "rule", "area", "status", "due_on", "visited_code", "year",
             "description")


def cmd_reorganise(args, settings, console) -> int:
    from inspect_tui.rules import reorganisation

    plan = _plan(args)
    preview = reorganisation.preview(plan)
    _show_preview(console, args.format, preview)
    if preview.unassigned:
        ids = [str(m.task_id) for m in preview.unassigned]
        raise DomainError("tasks_unassigned", n=len(ids), ids=", ".join(ids[:5]) + (", …" if len(ids) > 5 else ""))
    if args.dry_run:
        if args.format == "table":
            _line(console, t("cli.reorganise.dry_run"))
        return 0
    done = reorganisation.apply(plan, settings.user, expected=preview)
    if args.format == "table":
        _line(console, t("cli.reorganise.done", ended=formats.number(len(done.ended)),
                         moved=formats.number(done.tasks_moved), pending=formats.number(done.pending),
                         batch=done.batch))
    return 0


def _units_text(refs) -> str:
    return ", ".join(f"{r.code} ({r.name})" + (f" – {t('cli.reorganise.new')}" if r.new else "") for r in refs)


def _show_preview(console, fmt: str, p) -> None:
    rows = [m.__dict__ | {"rule_label": t(f"assign_rule.{m.rule}") if m.rule else t("cli.reorganise.unassigned"),
                          "area_label": t(f"area_short.{m.area}"), "to_label": m.to_code or "–"}
            for m in p.moves]
    if fmt != "table":
        emit(console, fmt, "", [Column(k, k) for k in MOVE_KEYS], rows)
        return
    console.print(f"[bold]{escape(clean(t('cli.reorganise.title', kind=t(f'reorganisation.{p.kind}'), day=formats.date(p.on_date))))}[/bold]")
    _line(console, t("cli.reorganise.ending", units=_units_text(p.ending)))
    if p.successors:
        _line(console, t("cli.reorganise.successors", units=_units_text(p.successors)))
    if p.holder:
        _line(console, t("cli.reorganise.holder", units=_units_text([p.holder])))
    for child in p.children:
        _line(console, t("cli.reorganise.child", code=child.code, name=child.name, old=child.from_code,
                         new=child.to_code or t("cli.reorganise.child_stays")))
    for visit in p.planned_visits:
        _line(console, t("cli.reorganise.planned", id=visit.visit_id, code=visit.unit_code,
                         day=formats.date(visit.scheduled_on) if visit.scheduled_on else "–"))
    if not p.moves:
        _line(console, t("cli.reorganise.no_tasks"))
        return
    columns = _task_columns(Column("to_label", t("column.to_unit"), no_wrap=True),
                            Column("rule_label", t("column.rule")), Column("area_label", t("column.area")))
    counts = ", ".join(f"{code or '–'}: {formats.number(n)}" for code, n in p.counts().items())
    emit(console, "table", t("cli.reorganise.moves_title", n=formats.number(len(p.moves))), columns, rows,
         caption=counts)


# --- reassign ---------------------------------------------------------------------------------

PENDING_KEYS = ("task_id", "from_code", "holder_code", "on_date", "area", "status", "due_on", "days_overdue",
                "visited_code", "year", "description")


def cmd_reassign(args, settings, console) -> int:
    from inspect_tui.rules import reorganisation, units

    today = settings.today
    holder = units.resolve(args.holder, "--holder").code if args.holder else None
    from_unit = units.resolve(args.from_unit, "--from").code if args.from_unit else None
    chosen = dict(args.task)
    moving = args.to or any(to for to in chosen.values())
    if not moving:
        items = reorganisation.pending(today, holder=holder, from_unit=from_unit, text=args.text or "")
        if chosen:
            items = [p for p in items if p.task_id in chosen]
        _show_pending(console, args.format, items)
        return 0
    if not chosen and not from_unit:
        args.usage_error(t("cli.reassign.needs_which"))
    if any(to is None for to in chosen.values()) and not args.to:
        args.usage_error(t("cli.reassign.needs_to"))
    moves = {task_id: to or args.to for task_id, to in chosen.items()}
    if from_unit:
        for item in reorganisation.pending(today, holder=holder, from_unit=from_unit, text=args.text or ""):
            if item.task_id not in moves:
                if not args.to:
                    args.usage_error(t("cli.reassign.needs_to"))
                moves[item.task_id] = args.to
    if not moves:
        raise DomainError("nothing_to_reassign")
    planned = reorganisation.reassign_preview(moves, today)
    rows = [m.__dict__ for m in planned]
    if args.format == "table":
        columns = [Column("task_id", t("column.task"), justify="right", no_wrap=True),
                   Column("from_code", t("column.from_unit"), no_wrap=True),
                   Column("holder_code", t("column.holder"), no_wrap=True),
                   Column("to_code", t("column.to_unit"), no_wrap=True), Column("to_name", t("column.name")),
                   Column("description", t("column.description"))]
        emit(console, "table", t("cli.reassign.moves_title", n=formats.number(len(rows))), columns, rows)
    else:
        emit(console, args.format, "", [Column(k, k) for k in
                                         ("task_id", "from_code", "holder_code", "to_code", "to_name", "description")],
             rows)
    if args.dry_run:
        if args.format == "table":
            _line(console, t("cli.reassign.dry_run"))
        return 0
    done = reorganisation.reassign(moves, settings.user, today, versions={m.task_id: m.version for m in planned})
    if args.format == "table":
        counts = ", ".join(f"{code}: {formats.number(n)}" for code, n in done.counts().items())
        _line(console, t("cli.reassign.done", n=formats.number(len(done.moves)), counts=counts, batch=done.batch))
    return 0


def _task_columns(*middle: Column) -> list[Column]:
    """The columns of a list of tasks that change hands: which task, from whom,
    `middle`, then its due date and description."""
    return [Column("task_id", t("column.task"), justify="right", no_wrap=True),
            Column("from_code", t("column.from_unit"), no_wrap=True), *middle,
            Column("due_on", t("column.due_on"), no_wrap=True),
            Column("description", t("column.description"))]


def _show_pending(console, fmt: str, items) -> None:
    rows = [p.__dict__ | {"area_label": t(f"area_short.{p.area}"), "status_label": t(f"task_status.{p.status}")}
            for p in items]
    if fmt != "table":
        emit(console, fmt, "", [Column(k, k) for k in PENDING_KEYS], rows)
        return
    if not rows:
        _line(console, t("cli.reassign.none"))
        return
    columns = _task_columns(Column("holder_code", t("column.holder"), no_wrap=True),
                            Column("area_label", t("column.area")), Column("status_label", t("column.status")))
    emit(console, "table", t("cli.reassign.title"), columns, rows,
         caption=t("cli.rows", n=formats.number(len(rows))))
