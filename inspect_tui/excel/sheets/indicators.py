"""Sheet 5, Chỉ tiêu: one row per indicator and period, the target of that
year beside every observed value; where sources disagree their values stand
side by side, shaded, with a note. Only the values of periods that had ended
by the report date are shown (rules/asof.py); column A is as wide as the
longest code, so no code is cut."""
from decimal import Decimal

from inspect_tui.excel.sheets import detail
from inspect_tui.excel.sheets.context import Context
from inspect_tui.rules import indicators

COMPARATOR_TEXT = {">=": "≥", "<=": "≤", "=": "="}
CODE_WIDTH_MAX = 30  # a longer code wraps (the row grows to show it whole)


def _value(measure: str, value: Decimal | None):
    if value is None:
        return None, "text"
    if measure == "percent":
        return float(value) / 100, "percent"
    number = float(value)
    return (int(number), "int") if number == int(number) else (number, "number")


def write(ws, ctx: Context) -> int:
    rows = indicators.all_indicators(known_on=ctx.today)
    width = max([2] + [_sources(r) for r in rows])
    headings = [ctx.t("excel.indicators.code"), ctx.t("excel.indicators.name"),
                ctx.t("excel.indicators.period"), ctx.t("excel.indicators.comparator"),
                ctx.t("excel.indicators.target")]
    for i in range(1, width + 1):
        headings += [ctx.t("excel.indicators.value", n=i), ctx.t("excel.indicators.source", n=i)]
    headings += [ctx.t("excel.indicators.assessment"), ctx.t("column.note")]
    code_width = min(CODE_WIDTH_MAX, max([10] + [len(r.code) * 1.1 + 2 for r in rows]))
    widths = [code_width, 44, 10, 6, 10] + [11, 22] * width + [13, 26]
    w = detail.start(ws, ctx, ctx.t("excel.indicators.title"), headings, widths)
    written = 0
    for ind in rows:
        targets = {t.year: t for t in ind.targets}
        periods: dict[str, list] = {}
        for o in ind.observations:
            periods.setdefault(o.period, []).append(o)
        for year in sorted(targets):
            if not any(indicators.period_year(p) == year for p in periods):
                periods[str(year)] = []
        for period in sorted(periods, key=lambda p: (indicators.period_year(p), p)):
            obs = periods[period]
            target = targets.get(indicators.period_year(period))
            conflict = any(o.conflict for o in obs)
            tvalue, tstyle = _value(ind.measure, target.value if target else None)
            cells = [w.cell(ind.code, "text_center"), w.cell(ind.name, "text"),
                     w.cell(period, "text_center"),
                     w.cell(COMPARATOR_TEXT.get(target.comparator, "") if target else "", "text_center"),
                     w.cell(tvalue, tstyle)]
            for i in range(width):
                if i < len(obs):
                    value, style = _value(ind.measure, obs[i].value)
                    cells += [w.cell(value, style), w.cell(obs[i].source, "late_text" if conflict else "text")]
                else:
                    cells += [w.cell(None, "text"), w.cell(None, "text")]
            cells += [w.cell(_assessment(ctx, ind, target, obs), "text_center"),
                      w.cell(_note(ctx, obs, conflict), "text")]
            w.append(cells, fit=True)
            written += 1
    if not written:
        w.append([w.cell(None, "text") for _ in headings])
    detail.finish(w, ctx, len(headings), 4 + max(written, 1))
    ctx.step()
    return written


def _sources(row) -> int:
    counts: dict[str, int] = {}
    for o in row.observations:
        counts[o.period] = counts.get(o.period, 0) + 1
    return max(counts.values(), default=1)


def _assessment(ctx, ind, target, obs) -> str:
    if target is None or not obs:
        return ""
    met = {indicators.meets(ind, target, o.value) for o in obs}
    if met == {True}:
        return ctx.t("excel.indicators.met")
    if met == {False}:
        return ctx.t("excel.indicators.not_met")
    return ctx.t("excel.indicators.depends")


def _note(ctx, obs, conflict) -> str:
    parts = [o.note for o in obs if o.note]
    if conflict:
        parts.insert(0, ctx.t("excel.indicators.conflict"))
    return "; ".join(parts)
