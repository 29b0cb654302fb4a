"""Schema version 8: indexes that find a piece of folded text inside
`search_text` without reading every row (rules/search.py, the task list's
text filter).

- SQLite: an FTS5 table with the trigram tokenizer over each of task's and
  finding's `search_text` ("task_search", "finding_search"), its rowid the
  row's id. They keep no copy of the text (external content: the text is
  read from the table itself) and triggers keep them in step with every
  insert, change of `search_text` and delete. The roster (a few
  thousand units) is read whole as before. The tables keep which rows hold
  each piece, not where (detail=none): a third of the size, quicker to
  write, and the search asks for rows holding every piece, then checks them.
- PostgreSQL: GIN trigram indexes (pg_trgm, a trusted extension) on the
  same columns, which the LIKE of the search uses as they are.

Either is rebuilt from the rows already there."""
from peewee import PostgresqlDatabase

INDEXED = ("task", "finding")  # the tables searched by text at scale


def up(migrator, db):
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for table in INDEXED:
            db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{table}_search_text_trgm" '
                           f'ON "{table}" USING gin ("search_text" gin_trgm_ops)')
        return
    for table in INDEXED:
        fts = f"{table}_search"
        # Dropped first: a schema dropped and made again must not keep an index of rows gone.
        db.execute_sql(f'DROP TABLE IF EXISTS "{fts}"')
        db.execute_sql(f'CREATE VIRTUAL TABLE "{fts}" USING fts5(search_text, content="{table}", '
                       f"content_rowid=\"id\", tokenize='trigram', detail='none')")
        forget = (f'INSERT INTO "{fts}" ("{fts}", rowid, search_text) '
                  f'VALUES (\'delete\', old.id, old.search_text);')
        learn = f'INSERT INTO "{fts}" (rowid, search_text) VALUES (new.id, new.search_text);'
        db.execute_sql(f'CREATE TRIGGER IF NOT EXISTS "{fts}_insert" AFTER INSERT ON "{table}" '
                       f'BEGIN {learn} END')
        db.execute_sql(f'CREATE TRIGGER IF NOT EXISTS "{fts}_delete" AFTER DELETE ON "{table}" '
                       f'BEGIN {forget} END')
        db.execute_sql(f'CREATE TRIGGER IF NOT EXISTS "{fts}_update" AFTER UPDATE OF search_text, id '
                       f'ON "{table}" BEGIN {forget} {learn} END')
        db.execute_sql(f'INSERT INTO "{fts}" ("{fts}") VALUES (\'rebuild\')')
