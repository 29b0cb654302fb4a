"""The conclusion notice of a visit (thông báo kết luận kiểm tra, `Số: …/TB-UBND`):
the visit, the unit's strengths, its shortcomings by reform area in the order
of Resolution 76, each remediation task with its responsible unit and
deadline, and what became of the tasks earlier visits left open."""
from inspect_tui.locale import formats, t
from inspect_tui.papers.layout import Head, Paper, count_text, unit_text
from inspect_tui.rules.drafts import VisitPaper


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?", ";", ":")) else text + "."


def plan_reference(data: VisitPaper, prefix: str, lang: str) -> str:
    plan = data.plan
    key = "plan" if plan.issued_on else "plan_no_day"
    return t(f"papers.{prefix}.{key}", lang=lang, number=plan.number,
             day=formats.date(plan.issued_on, lang), year=plan.year)


def build(data: VisitPaper, head: Head, lang: str) -> Paper:
    v = data.visit
    unit = unit_text(v.unit_name, lang)
    p = Paper(lang, title=t("papers.notice.subject", lang=lang, unit=unit), author=head.agency)
    p.header(head, data.notice_date)
    p.title(t("papers.notice.kind", lang=lang), t("papers.notice.subject", lang=lang, unit=unit))
    leader = ""
    if data.leader:
        key = "leader_title" if data.leader.title else "leader"
        leader = t(f"papers.notice.{key}", lang=lang, name=data.leader.name, title=data.leader.title)
    p.para(t("papers.notice.opening", lang=lang, plan=plan_reference(data, "notice", lang),
             held_on=formats.date(v.held_on, lang), leader=leader, year=v.year, unit=unit,
             issuer=t("papers.notice.issuer", lang=lang)))

    p.heading(t("papers.notice.strengths", lang=lang))
    strengths = [line.strip() for line in v.strengths.splitlines() if line.strip()]
    if strengths:
        for line in strengths:
            p.para(line if line.startswith("-") else f"- {_sentence(line)}")
    else:
        p.para(t("papers.notice.strengths_blank", lang=lang), italic=True)

    p.heading(t("papers.notice.shortcomings", lang=lang))
    if not data.by_area:
        p.para(t("papers.notice.no_findings", lang=lang))
    for n, (area, found) in enumerate(data.by_area, 1):
        p.para(t("papers.notice.area", lang=lang, n=n, area=t(f"area.{area}", lang=lang)),
               bold=True, italic=True, keep_next=True)
        for f in found:
            text = _sentence(f.description)
            if f.repeated:
                mark = (t("papers.notice.repeated", lang=lang, year=f.repeats_year) if f.repeats_year
                        else t("papers.notice.repeated_no_year", lang=lang))
                text = text[:-1] + mark + "."
            p.para(t("papers.notice.finding", lang=lang, text=text))

    p.heading(t("papers.notice.tasks", lang=lang))
    tasks = data.tasks
    if tasks:
        p.para(t("papers.notice.tasks_intro", lang=lang, unit=unit))
        for n, task in enumerate(tasks, 1):
            p.para(t("papers.notice.task", lang=lang, n=n, text=_sentence(task.description),
                     unit=unit_text(task.unit_name, lang), due=formats.date(task.due_on, lang)))
        p.para(t("papers.notice.report_by", lang=lang, unit=unit,
                 day=formats.date(data.report_by, lang)))
    else:
        p.para(t("papers.notice.no_tasks", lang=lang))

    p.heading(t("papers.notice.previous", lang=lang))
    previous = data.previous
    if not previous:
        p.para(t("papers.notice.previous_none", lang=lang))
    else:
        results = [i.check for i in previous]
        p.para(t("papers.notice.previous_count", lang=lang, total=count_text(len(previous), lang),
                 verified=count_text(results.count("verified"), lang),
                 open=count_text(results.count("still_open"), lang),
                 unchecked=count_text(results.count(None), lang)))
        for item in previous:
            if item.check:
                result = t(f"check_result.{item.check}", lang=lang).lower()
            else:
                result = t("papers.notice.unchecked", lang=lang,
                           status=t(f"task_status.{item.status}", lang=lang).lower())
            text = item.description.rstrip(". ")
            if item.notice_number:
                line = t("papers.notice.previous_item", lang=lang, text=text, notice=item.notice_number,
                         due=formats.date(item.due_on, lang), result=result)
            else:
                line = t("papers.notice.previous_item_no_notice", lang=lang, text=text, year=item.year,
                         due=formats.date(item.due_on, lang), result=result)
            if item.passed_on:
                line += t("papers.notice.passed_on", lang=lang, unit=unit_text(item.visited_name, lang))
            p.para(line)
    p.para(t("papers.notice.closing", lang=lang, unit=unit, end=t("papers.end", lang=lang)))
    p.closing(head)
    return p
