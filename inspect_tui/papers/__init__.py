"""Word drafts of the team's papers (python-docx), in the layout of Nghị định
30/2020/NĐ-CP: the conclusion notice and the minutes of a visit, the reminder
letters to units whose remediation is late, and the year's report.

One module per paper (notice, minutes, reminder, report) lays out the plain
data that `inspect_tui.rules.drafts` gathers; `layout` holds what they share
(page, fonts, the header, the closing block) and `letterhead` who issues and
signs each paper. Papers are written whole (inspect_tui.files).
"""
