"""Indicators: targets and observed values by year, each with its source;
periods where sources disagree are flagged; a bar chart of the series with
its periods on the axis and every value written beside its bar."""
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.markup import escape
from textual.widgets import DataTable, Label, Static

from inspect_tui.locale import formats, t
from inspect_tui.rules import indicators
from inspect_tui.ui.screens.base import BaseScreen
from inspect_tui.ui.widgets.chart import Point, SeriesChart
from inspect_tui.ui.widgets.table import Cell, Col, FittedTable


def value_text(row: indicators.IndicatorRow, value) -> str:
    if row.measure == "percent":
        return formats.percent(value)
    return formats.number(value) + (" đ" if row.measure == "dong" else "")


class IndicatorsScreen(BaseScreen):
    SCOPE = "indicators"

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, indicators.IndicatorRow] = {}

    def compose(self) -> ComposeResult:
        yield self.header()
        # Names wrap: several begin alike ("Hồ sơ TTHC giải quyết đúng hạn, cấp…").
        yield FittedTable([Col("name", t("ui.indicators.name"), flex=True, wrap=True, min=30, floor=24,
                               max=90),
                           Col("latest", t("ui.indicators.latest"), min=10, max=22),
                           Col("target", t("ui.indicators.target"), min=8, max=22, drop=2),
                           Col("conflicts", t("ui.indicators.conflicts"), max=16, drop=1),
                           Col("code", t("column.code"), max=22, drop=3)],
                          id="indicator-list", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="indicator-detail"):
            yield Static("", id="indicator-facts")
            yield Label(t("ui.indicators.chart"), classes="section")
            yield SeriesChart(id="indicator-chart")
            yield Label(t("ui.indicators.values"), classes="section")
            yield FittedTable([Col("period", t("ui.indicators.period"), max=10),
                               Col("value", t("ui.indicators.value"), max=16),
                               Col("source", t("ui.indicators.source"), flex=True, wrap=True,
                                   min=20, max=200),
                               Col("conflict", t("ui.indicators.conflict"), max=24, drop=1)],
                              id="observations", cursor_type="row", show_cursor=False, grows=True)
        yield self.footer()

    def on_mount(self) -> None:
        self.sub_title = t("ui.screen.indicators")
        self.query_one("#observations").can_focus = False  # the detail scrolls as a page
        self.query_one("#indicator-list").focus()

    def reload(self) -> None:
        self.rows = {}
        rows = []
        for row in indicators.all_indicators():
            self.rows[row.code] = row
            latest = row.latest()
            target = row.targets[-1] if row.targets else None
            rows.append((row.code, {
                "name": row.name,
                "latest": f"{value_text(row, latest.value)} ({latest.period})" if latest else "–",
                "target": (f"{target.comparator} {value_text(row, target.value)} ({target.year})"
                           if target else "–"),
                "conflicts": Cell(f"⚠ {', '.join(row.conflicts)}", "bold red") if row.conflicts else "",
                "code": row.code}))
        self.query_one("#indicator-list", FittedTable).set_rows(rows)

    @on(DataTable.RowHighlighted, "#indicator-list")
    def _show(self, event: DataTable.RowHighlighted) -> None:
        row = self.rows.get(event.row_key.value) if event.row_key else None
        if row is None:
            return
        targets = "; ".join(f"{x.year}: {x.comparator} {value_text(row, x.value)} ({x.source})"
                            for x in row.targets) or "–"
        self.query_one("#indicator-facts", Static).update(
            f"[b]{escape(row.name)}[/b] ({row.code})\n{t('ui.indicators.targets')}: {escape(targets)}")
        # One bar per period: its latest figure (as "Mới nhất" reads), flagged where sources disagree.
        last = {}
        for o in row.observations:
            last[o.period] = o
        points = [Point(o.period, float(o.value), value_text(row, o.value),
                        o.period in row.conflicts) for o in last.values()]
        percent = row.measure == "percent" and all(p.value <= 100 for p in points)
        self.query_one("#indicator-chart", SeriesChart).show(
            points, scale=100.0 if percent else None, empty=t("ui.indicators.no_values"))
        self.query_one("#observations", FittedTable).set_rows([
            (None, {"period": o.period, "value": value_text(row, o.value), "source": o.source,
                    "conflict": Cell(f"⚠ {t('ui.indicators.disagree')}", "bold red") if o.conflict else ""})
            for o in row.observations])
