"""The minutes of a visit (biên bản kiểm tra): time and place, the team
members present with their roles, the unit's representatives, the findings
as recorded, and signature blocks for the unit and the team leader."""
from inspect_tui.locale import formats, t
from inspect_tui.papers.layout import LEFT, Head, Paper, unit_text
from inspect_tui.papers.notice import _sentence, plan_reference
from inspect_tui.rules.drafts import VisitPaper


def _member(m, lang: str) -> str:
    title = m.title or ""
    organisation = f" {m.organisation}" if m.organisation and m.organisation not in title else ""
    if not title:
        organisation = organisation.strip()
    return t("papers.minutes.member", lang=lang, name=m.name, title=title, organisation=organisation,
             role=t(f"role.{m.role}", lang=lang))


def build(data: VisitPaper, head: Head, lang: str) -> Paper:
    v = data.visit
    unit = unit_text(v.unit_name, lang)
    subject = t("papers.minutes.subject", lang=lang, unit=unit)
    p = Paper(lang, title=subject, author=head.agency)
    p.header(head, v.held_on)
    p.title(t("papers.minutes.kind", lang=lang), subject)
    p.para(t("papers.minutes.time_place", lang=lang, day=formats.date(v.held_on, lang),
             unit=unit, year=v.year, plan=plan_reference(data, "minutes", lang)))

    p.heading(t("papers.minutes.present", lang=lang))
    p.para(t("papers.minutes.team", lang=lang), bold=True, italic=True, keep_next=True)
    for m in data.team:
        p.para(_member(m, lang))
    p.para(t("papers.minutes.representatives", lang=lang, unit=unit), bold=True, italic=True,
           keep_next=True)
    people = data.representatives
    for line in people or [None, None]:
        if line is None:
            p.para(t("papers.minutes.representative_blank", lang=lang), align=LEFT)
        else:
            p.para(t("papers.minutes.representative", lang=lang, text=line.rstrip(";. ")))

    p.heading(t("papers.minutes.content", lang=lang))
    p.para(t("papers.minutes.content_text", lang=lang))
    if v.assessment.strip():
        p.para(t("papers.minutes.assessment", lang=lang, text=_sentence(v.assessment)))
    if v.strengths.strip():
        p.para(t("papers.minutes.strengths", lang=lang, text=_sentence(" ".join(v.strengths.split()))))

    p.heading(t("papers.minutes.findings", lang=lang))
    if not data.findings:
        p.para(t("papers.minutes.no_findings", lang=lang))
    for n, f in enumerate(data.findings, 1):
        text = _sentence(f.description)
        if f.repeated:
            text = text[:-1] + t("papers.minutes.repeated", lang=lang) + "."
        p.para(t("papers.minutes.finding", lang=lang, n=n, area=t(f"area_short.{f.area}", lang=lang),
                 text=text))
        if f.recommendation.strip():
            p.para(t("papers.minutes.recommendation", lang=lang, text=_sentence(f.recommendation)),
                   italic=True)

    checked = [i for i in data.previous if i.check]
    if checked:
        p.heading(t("papers.minutes.previous", lang=lang))
        for item in checked:
            p.para(t("papers.minutes.previous_item", lang=lang, text=item.description.rstrip(". "),
                     result=t(f"check_result.{item.check}", lang=lang).lower()))
    p.para(t("papers.minutes.end_text", lang=lang))

    unit_block = ([], t("papers.minutes.unit_sign", lang=lang, unit=unit.upper()),
                  people[0].split(",")[0].split(" - ")[0].strip() if people else "")
    leader_block = (head.signer_authority, head.signer_title,
                    head.signer_name or (data.leader.name if data.leader else ""))
    p.signatures([unit_block, leader_block])
    if data.secretary:
        p.signatures([([], t("papers.minutes.secretary_sign", lang=lang), data.secretary.name)])
    p.closing(Head(head.agency_parent, head.agency, head.number_line, head.place, head.recipients),
              head.recipients)
    return p
