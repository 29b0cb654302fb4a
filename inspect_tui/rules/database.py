"""Opening the record: the one entry point the command line and the terminal
app use, so the store stays behind the rules."""
from contextlib import contextmanager

from inspect_tui.store import db as store

StoreError = store.StoreError


def open_database(url: str, create: bool = False) -> None:
    """Bind the record at `url`. Only `create` (init, demo, restore, the default
    database of the terminal app) may make a new database or fill an empty one."""
    store.connect(url, create=create, before_upgrade=_backup_first)


def _backup_first(db, pending: list[str]) -> None:
    from inspect_tui.rules import backup

    backup.before_upgrade(pending)


def close() -> None:
    store.close()


@contextmanager
def worker_connection():
    """For the body of a worker thread: the connection the thread opens to the
    record (each thread has its own) is closed when the work ends, however it ends."""
    try:
        yield
    finally:
        close()
