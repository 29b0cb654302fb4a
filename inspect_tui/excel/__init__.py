"""Workbooks in and out: the status workbook for Sở Nội vụ, per-unit progress
workbooks and their import, and the template for recording a round of visits.

Everything here calls `rules/` for data and writes with openpyxl; nothing in
`rules/` knows about workbooks.
"""
