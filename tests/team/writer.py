"""One colleague at a terminal, as a real process: N writes (notes, status
moves, edits) on the given tasks, each passing the version it read just
before. Prints one JSON line per attempt for the test to check.

    python writer.py URL SEED N TASK_ID [TASK_ID ...]
"""
import datetime as dt
import json
import random
import sys

from inspect_tui.rules import database, tasks
from inspect_tui.rules.errors import DomainError

TODAY = dt.date(2026, 11, 23)


def attempt(rng: random.Random, task_id: int, actor: str) -> dict:
    row = tasks.row(task_id, TODAY)
    version = row.version
    op = rng.choice(("note", "move", "edit"))
    try:
        if op == "note":
            tasks.add_note(task_id, f"{actor} ghi chú {rng.random():.6f}", actor, TODAY,
                           expected_version=version)
        elif op == "move":
            if row.status == "reported_done":
                tasks.move(task_id, "in_progress", actor, TODAY, reason=f"{actor}: chưa đạt",
                           expected_version=version)
            else:
                tasks.move(task_id, "reported_done", actor, TODAY, expected_version=version)
        else:
            tasks.update(task_id, actor, TODAY, expected_version=version,
                         assignee=f"{actor} {rng.randrange(10**6)}")
        return {"task": task_id, "op": op, "expected": version, "ok": True}
    except DomainError as exc:
        return {"task": task_id, "op": op, "expected": version, "ok": False, "key": exc.key}
    except Exception as exc:  # reported, and the test fails on it
        return {"task": task_id, "op": op, "expected": version, "ok": False, "key": "crash",
                "error": f"{type(exc).__name__}: {exc}"}


def main() -> None:
    url, seed, n, *ids = sys.argv[1:]
    rng = random.Random(int(seed))
    actor = f"writer-{seed}"
    database.open_database(url)
    for _ in range(int(n)):
        print(json.dumps(attempt(rng, int(rng.choice(ids)), actor)), flush=True)
    database.close()


if __name__ == "__main__":
    main()
