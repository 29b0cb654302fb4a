"""Start the colleagues of a team-use test as real processes and read what they did."""
import json
import os
import subprocess
import sys
from pathlib import Path

from inspect_tui.store.models import database

HERE = Path(__file__).parent
ROOT = HERE.parent.parent


def bound_url() -> str:
    """The URL of the database the test has bound (a SQLite path or a PostgreSQL URL)."""
    db = database.obj
    if hasattr(db, "connect_params") and db.__class__.__name__.startswith("Postgres"):
        params = db.connect_params
        return f"postgresql://{params['user']}@{params['host']}:{params['port']}/{db.database}"
    return db.database


def start(script: str, *args) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, str(HERE / script), *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def results(process: subprocess.Popen, timeout: float = 240) -> list[dict]:
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, err[-2000:]
    assert "Traceback" not in err, err[-2000:]
    return [json.loads(line) for line in out.splitlines() if line.strip()]




def run_cli(*args, env: dict | None = None) -> subprocess.Popen:
    """`inspect-tui ARGS` as its own process (another terminal)."""
    full = dict(os.environ, PYTHONPATH=str(ROOT), **(env or {}))
    return subprocess.Popen([sys.executable, "-m", "inspect_tui", *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=full)
