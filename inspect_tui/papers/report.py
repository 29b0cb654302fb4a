"""The year's report on the inspections (báo cáo kết quả kiểm tra CCHC năm N):
plan and team, visits by unit kind, findings by area, remediation by status
and age, the units with most overdue tasks, repeated findings, the work
plan's progress and the indicators, with the status workbook named as its
appendix ("Phụ lục kèm theo")."""
from inspect_tui.locale import formats, t
from inspect_tui.papers.layout import Head, Paper, count_text
from inspect_tui.papers.minutes import _member
from inspect_tui.rules.drafts import YearReport
from inspect_tui.rules.vocab import AGEING_BUCKETS, AREAS, TASK_STATUSES


_n = count_text


def _value(value, measure: str, lang: str) -> str:
    return formats.percent(value, lang) if measure == "percent" else formats.number(value, lang=lang)


def build(data: YearReport, head: Head, lang: str) -> Paper:
    def tr(key, **values):
        return t(f"papers.report.{key}", lang=lang, **values)

    year = data.year
    p = Paper(lang, title=tr("subject", year=year), author=head.agency)
    p.header(head, data.today)
    p.title(tr("kind"), tr("subject", year=year))
    plan = data.plans[0] if data.plans else None
    if plan:
        ref = tr("plan" if plan.issued_on else "plan_no_day", number=plan.number,
                 day=formats.date(plan.issued_on, lang), year=year)
        p.para(tr("opening", plan=ref, year=year, day=formats.date(data.today, lang)))
    else:
        p.para(tr("opening_no_plan", year=year, day=formats.date(data.today, lang)))

    # I. plan and team
    p.heading(tr("plan_section"))
    if plan:
        p.para(tr("plan_text", plan=ref, kind=t(f"plan_kind.{plan.kind}", lang=lang).lower(),
                  planned=_n(data.planned, lang)))
    else:
        p.para(tr("no_plan", year=year))
    if data.team:
        p.para(tr("team", n=_n(len(data.team), lang)), keep_next=True)
        for m in data.team:
            p.para(_member(m, lang))

    # II. results
    s = data.summary
    k = s.visits_by_kind
    p.heading(tr("results"))
    p.para(tr("visits"), bold=True, italic=True, keep_next=True)
    other = k.get("commune", 0) + k.get("other", 0)
    p.para(tr("visits_text", total=_n(s.visits_held, lang), department=_n(k["department"], lang),
              vertical=_n(k["vertical"], lang), district=_n(k["district"], lang),
              other=tr("visits_other", n=_n(other, lang)) if other else ""), keep_next=True)
    rows = []
    for i, v in enumerate(data.visits, 1):
        notice = (tr("notice_text", number=v.notice_number, day=formats.date(v.notice_date, lang))
                  if v.notice_number and v.notice_date else tr("notice_missing"))
        rows.append([str(i), v.unit_name, formats.date(v.held_on, lang), notice,
                     formats.number(v.findings, lang=lang), formats.number(v.repeated, lang=lang)])
    p.table([tr(c) for c in ("col_no", "col_unit", "col_held", "col_notice", "col_findings", "col_repeated")],
            rows, [8, 33, 15, 22, 11, 11], ["c", "l", "c", "c", "c", "c"],
            total=["", tr("total"), "", "", formats.number(sum(v.findings for v in data.visits), lang=lang),
                   formats.number(sum(v.repeated for v in data.visits), lang=lang)])
    p.para(tr("notices", on_time=_n(data.notices_on_time, lang), late=_n(data.notices_late, lang),
              missing=_n(data.notices_missing, lang)))

    p.para(tr("findings"), bold=True, italic=True, keep_next=True)
    p.para(tr("findings_text", total=_n(s.findings, lang), repeated=_n(data.repeated, lang)),
           keep_next=True)
    p.table([tr("col_no"), tr("col_area"), tr("col_count"), tr("col_repeated")],
            [[str(i), t(f"area.{a}", lang=lang), formats.number(s.findings_by_area[a], lang=lang),
              formats.number(data.repeated_by_area.get(a, 0), lang=lang)] for i, a in enumerate(AREAS, 1)],
            [8, 58, 17, 17], ["c", "l", "c", "c"],
            total=["", tr("total"), formats.number(s.findings, lang=lang),
                   formats.number(data.repeated, lang=lang)])

    p.para(tr("remediation"), bold=True, italic=True, keep_next=True)
    by = s.tasks_by_status
    share = formats.percent(round(100 * by["verified"] / s.tasks, 2) if s.tasks else 0, lang)
    p.para(tr("remediation_text", total=_n(s.tasks, lang), verified=_n(by["verified"], lang), share=share,
              reported=_n(by["reported_done"], lang), active=_n(by["open"] + by["in_progress"], lang),
              overdue=_n(s.overdue, lang)), keep_next=True)
    p.table([tr("col_no"), tr("col_status"), tr("col_tasks")],
            [[str(i), t(f"task_status.{st}", lang=lang), formats.number(by[st], lang=lang)]
             for i, st in enumerate(TASK_STATUSES, 1)],
            [8, 62, 30], ["c", "l", "c"], total=["", tr("total"), formats.number(s.tasks, lang=lang)])
    p.para(tr("ageing"), keep_next=True)
    p.table([tr("col_no"), tr("col_bucket"), tr("col_tasks")],
            [[str(i), t(f"bucket.{b}", lang=lang), formats.number(s.tasks_by_bucket[b], lang=lang)]
             for i, b in enumerate(AGEING_BUCKETS, 1)],
            [8, 62, 30], ["c", "l", "c"],
            total=["", tr("total"), formats.number(sum(s.tasks_by_bucket.values()), lang=lang)])

    p.para(tr("worst"), bold=True, italic=True, keep_next=True)
    if data.worst:
        p.table([tr("col_no"), tr("col_responsible"), tr("col_overdue"), tr("col_open"), tr("col_oldest")],
                [[str(i), u.name, formats.number(u.overdue, lang=lang), formats.number(u.open, lang=lang),
                  formats.number(u.max_days, lang=lang)] for i, u in enumerate(data.worst, 1)],
                [8, 44, 14, 14, 20], ["c", "l", "c", "c", "c"])
    else:
        p.para(tr("worst_none"))

    p.para(tr("repeated"), bold=True, italic=True, keep_next=True)
    if data.repeated_by_unit:
        p.table([tr("col_no"), tr("col_unit"), tr("col_unit_findings"), tr("col_unit_repeated")],
                [[str(i), u.name, formats.number(u.findings, lang=lang), formats.number(u.repeated, lang=lang)]
                 for i, u in enumerate(data.repeated_by_unit, 1)],
                [8, 52, 20, 20], ["c", "l", "c", "c"])
    else:
        p.para(tr("repeated_none"))

    # III. work plan and indicators
    p.heading(tr("workplan"))
    if data.plan_progress is None:
        p.para(tr("workplan_outside", year=year))
    else:
        p.para(tr("workplan_text", year=year, **{k: _n(v, lang) for k, v in data.plan_progress.items()}))
    if data.indicators:
        p.para(tr("indicators", year=year), keep_next=True)
        rows = []
        for ind in data.indicators:
            target = (f"{ind.target[0].replace('>=', '≥').replace('<=', '≤')} "
                      f"{_value(ind.target[1], ind.measure, lang)}" if ind.target else "–")
            values = "; ".join(_value(v, ind.measure, lang) for v, _ in ind.values) or "–"
            sources = "; ".join(dict.fromkeys(src for _, src in ind.values)) or (ind.target[2] if ind.target else "")
            if ind.conflict:
                sources += " " + tr("conflict")
            rows.append([ind.name, target, values, sources])
        p.table([tr("col_indicator"), tr("col_target"), tr("col_value"), tr("col_source")], rows,
                [46, 14, 14, 26], ["l", "c", "c", "l"])
    else:
        p.para(tr("indicators_none", year=year))

    # IV. assessment
    p.heading(tr("assessment"))
    p.para(tr("assessment_text", year=year))
    if s.overdue or data.repeated:
        p.para(tr("assessment_overdue", overdue=_n(s.overdue, lang), repeated=_n(data.repeated, lang)))
    title = tr("appendix_title", year=year)
    if data.appendix:
        p.para(t("papers.appendix_file", lang=lang, title=title, file=data.appendix), italic=True)
    else:
        p.para(t("papers.appendix", lang=lang, title=title), italic=True)
    p.para(tr("closing", year=year, end=t("papers.end", lang=lang)))
    p.closing(head)
    return p
