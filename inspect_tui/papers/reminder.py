"""A reminder letter (công văn đôn đốc) to a unit whose remediation is late:
each overdue task, its deadline, days overdue, the last progress note, and a
new deadline to answer by."""
from inspect_tui.locale import formats, t
from inspect_tui.papers.layout import Head, Paper, count_text, unit_text
from inspect_tui.rules.drafts import Reminder


def build(data: Reminder, head: Head, lang: str) -> Paper:
    subject = t("papers.remind.subject", lang=lang)
    unit = unit_text(data.unit_name, lang)
    p = Paper(lang, title=subject, author=head.agency)
    p.header(head, data.today, letter_subject=subject)
    p.addressee(t("papers.to", lang=lang, to=unit))
    p.para(t("papers.remind.opening", lang=lang, unit=unit))
    n = len(data.tasks)
    p.para(t("papers.remind.status", lang=lang, day=formats.date(data.today, lang), unit=unit,
             n=count_text(n, lang)), keep_next=True)
    rows = []
    for i, task in enumerate(data.tasks, 1):
        if task.notice_number:
            source = t("papers.remind.source_text", lang=lang, number=task.notice_number,
                       day=formats.date(task.notice_date, lang))
        else:
            source = t("papers.remind.source_year", lang=lang, year=task.year)
        rows.append([str(i), task.description, source, formats.date(task.due_on, lang),
                     formats.number(task.days_overdue, lang=lang),
                     task.latest_note or t("papers.remind.no_note", lang=lang)])
    p.table([t(f"papers.remind.{k}", lang=lang) for k in ("no", "task", "source", "due", "days", "note")],
            rows, [8, 30, 18, 15, 10, 19], ["c", "l", "c", "c", "c", "l"])
    p.para(t("papers.remind.request", lang=lang, unit=unit,
             day=formats.date(data.answer_by, lang)))
    p.para(t("papers.remind.closing", lang=lang, unit=unit, end=t("papers.end", lang=lang)))
    p.closing(head)
    return p
