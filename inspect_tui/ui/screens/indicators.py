"""Indicators: targets and observed values by year, each with its source;
periods where sources disagree are flagged; a sparkline of the series."""
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Label, Sparkline, Static

from inspect_tui.locale import formats, t
from inspect_tui.rules import indicators
from inspect_tui.ui.screens.base import BaseScreen
from inspect_tui.ui.screens.tasks import clip


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
        yield DataTable(id="indicator-list", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="indicator-detail"):
            yield Static("", id="indicator-facts")
            yield Sparkline([], id="indicator-chart")
            yield Label(t("ui.indicators.values"), classes="section")
            yield DataTable(id="observations", cursor_type="row", show_cursor=False)
        yield self.footer()

    def on_mount(self) -> None:
        self.sub_title = t("ui.screen.indicators")
        self.query_one("#indicator-list", DataTable).add_columns(
            t("ui.indicators.name"), t("ui.indicators.latest"), t("ui.indicators.target"),
            t("ui.indicators.conflicts"), t("column.code"))
        self.query_one("#observations", DataTable).add_columns(
            t("ui.indicators.period"), t("ui.indicators.value"), t("ui.indicators.source"),
            t("ui.indicators.conflict"))
        self.query_one("#indicator-list").focus()

    def reload(self) -> None:
        table = self.query_one("#indicator-list", DataTable)
        table.clear()
        self.rows = {}
        for row in indicators.all_indicators():
            self.rows[row.code] = row
            latest = row.latest()
            target = row.targets[-1] if row.targets else None
            table.add_row(clip(row.name, 36),
                          f"{value_text(row, latest.value)} ({latest.period})" if latest else "–",
                          f"{target.comparator} {value_text(row, target.value)} ({target.year})"
                          if target else "–",
                          f"[bold red]⚠ {', '.join(row.conflicts)}[/]" if row.conflicts else "",
                          row.code, key=row.code)

    @on(DataTable.RowHighlighted, "#indicator-list")
    def _show(self, event: DataTable.RowHighlighted) -> None:
        row = self.rows.get(event.row_key.value) if event.row_key else None
        if row is None:
            return
        targets = "; ".join(f"{x.year}: {x.comparator} {value_text(row, x.value)} ({x.source})"
                            for x in row.targets) or "–"
        self.query_one("#indicator-facts", Static).update(
            f"[b]{row.name}[/b]\n{t('ui.indicators.targets')}: {targets}")
        # One point per period for the chart: the first source's value.
        series, seen = [], set()
        for o in row.observations:
            if o.period not in seen:
                seen.add(o.period)
                series.append(float(o.value))
        self.query_one("#indicator-chart", Sparkline).data = series
        table = self.query_one("#observations", DataTable)
        table.clear()
        for o in row.observations:
            table.add_row(o.period, value_text(row, o.value), clip(o.source, 50),
                          f"[bold red]⚠ {t('ui.indicators.disagree')}[/]" if o.conflict else "")
