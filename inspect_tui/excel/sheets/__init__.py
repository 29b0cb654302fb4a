"""One module per sheet of the status workbook; each writes its rows through
`styles.SheetWriter` and tells the summary sheet where its columns are."""
