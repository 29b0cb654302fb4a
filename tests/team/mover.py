"""A coordinator moving each given task to one status, without passing a
version (the rules must check the move against the row inside the write).

    python mover.py URL STATUS TASK_ID [TASK_ID ...]
"""
import datetime as dt
import json
import sys

from inspect_tui.rules import database, tasks
from inspect_tui.rules.errors import DomainError

TODAY = dt.date(2026, 11, 23)


def main() -> None:
    url, status, *ids = sys.argv[1:]
    database.open_database(url)
    for task_id in map(int, ids):
        outcome = {"task": task_id, "status": status}
        try:
            tasks.move(task_id, status, f"mover-{status}", TODAY, reason="Quyết định của đoàn")
            outcome["ok"] = True
        except DomainError as exc:
            outcome.update(ok=False, key=exc.key)
        except Exception as exc:
            outcome.update(ok=False, key="crash", error=f"{type(exc).__name__}: {exc}")
        print(json.dumps(outcome), flush=True)
    database.close()


if __name__ == "__main__":
    main()
