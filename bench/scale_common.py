"""What bench/generate.py and bench/run.py agree on: where each size's
database lives, the fixed `today`, and reading a database without our code."""
import datetime as dt
import os
import sqlite3
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(os.environ.get("ITUI_BENCH_DIR", "/tmp/bench"))
PG_HOST = "127.0.0.1"
TODAY = dt.date(2026, 11, 23)
SIZES = ("S", "M", "L")
# per size: provinces of the national roster added to the default one, tasks
SCALE = {"M": (9, 100_000), "L": (63, 1_000_000)}


def default_db(size: str, backend: str) -> str:
    if backend == "sqlite":
        return str(BENCH_DIR / f"{size}.sqlite3")
    return f"postgresql://postgres@{PG_HOST}:5432/itui_bench_{size.lower()}"


def is_pg(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


def bare_connect(url: str):
    """A DB-API connection made without inspect_tui (the baselines use it)."""
    if is_pg(url):
        import psycopg2
        parts = urlparse(url)
        return psycopg2.connect(dbname=parts.path.lstrip("/"), user=parts.username or "postgres",
                                host=parts.hostname, port=parts.port or 5432)
    return sqlite3.connect(url, check_same_thread=False)  # the bare TUI reads in a worker thread


def stored_today(url: str) -> dt.date:
    """The `today` the generator built the database for (meta key bench_today)."""
    con = bare_connect(url)
    try:
        cur = con.cursor()
        cur.execute("SELECT value FROM meta WHERE key = 'bench_today'")
        row = cur.fetchone()
    finally:
        con.close()
    return dt.date.fromisoformat(row[0]) if row else TODAY
