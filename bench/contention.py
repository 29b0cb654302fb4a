"""Concurrent writers on one remediation task: writes per second and refusals
of the rules (tasks.add_note / move / update with expected_version, one
change-log batch each), against bare peewee doing the same plain
UPDATE/INSERT without version check or change log, in the same run, for 1,
2, 4 and 8 writer processes on SQLite (a WAL file) and PostgreSQL.

Each writer is its own process (multiprocessing, 'spawn') with its own
connection. It makes N operations: half on one task shared by all writers,
half on a task of its own, each a progress note, a status move
(in_progress <-> reported_done, back with a reason) or an assignee edit. The
rules side reads tasks.row(id, today).version just before and passes it as
expected_version; a stale copy is refused (DomainError 'task_changed' or
'record_changed'), which counts as a refusal, not an error. Every other
error is printed. After each run the shared task's version must have risen by
exactly the number of writes accepted on it ("consistent: yes").

The baseline has its own minimal peewee models on a copy of the same
database (same schema, same pragmas): it reads the status, then in one
transaction does the plain UPDATE (version = version + 1) and INSERT.

    .venv/bin/python bench/contention.py [--backend sqlite|postgres|both]
        [--writers 1,2,4,8] [--writes 300]

Prints a Markdown table and writes it to bench/contention.md.
"""
import argparse
import datetime as dt
import inspect
import multiprocessing as mp
import os
import queue as queue_module
import random
import shutil
import sqlite3
import sys
import tempfile
import time
import traceback
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
TODAY = dt.date(2026, 11, 23)
ACTOR = "bench"
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
REFUSALS = {"task_changed", "record_changed"}  # a stale expected_version
KINDS = ("note", "move", "edit")
BARE_PRAGMAS = {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 15_000,
                "synchronous": "normal"}
BARRIER_TIMEOUT = 300


def operations(writer: int, n: int) -> list[tuple[str, str]]:
    """(target, kind) of writer's n operations: alternately the shared task and
    its own, kinds drawn with a fixed seed, the same for both sides."""
    rng = random.Random(1000 + writer)
    return [("shared" if i % 2 == 0 else "own", rng.choice(KINDS)) for i in range(n)]


def _fmt_error(exc: BaseException) -> str:
    """One line: the error, and the driver error it was raised from, if any."""
    key = getattr(exc, "key", None)
    if key is not None:
        text = f"{type(exc).__name__} {key} {getattr(exc, 'values', {})}"
    else:
        text = f"{type(exc).__module__}.{type(exc).__name__}: {' '.join(str(exc).split())}"
    cause = exc.__cause__ or exc.__context__
    if cause is not None and cause is not exc:
        text += f" <- {type(cause).__module__}.{type(cause).__name__}: {' '.join(str(cause).split())}"
    return text


def _result(writer, started=None, ended=None, error=None):
    return {"writer": writer, "started": started, "ended": ended,
            "accepted": {"shared": 0, "own": 0}, "refused": {"shared": 0, "own": 0},
            "errors": [error] if error else []}


# --- the writers (each in its own spawned process) ----------------------------------

def _start(barrier, result, queue) -> bool:
    """Wait for the other writers; False (and the reason sent) if one failed."""
    try:
        barrier.wait(BARRIER_TIMEOUT)
        return True
    except Exception as exc:  # noqa: BLE001 - threading.BrokenBarrierError
        result["errors"].append(f"start: {_fmt_error(exc)} (another writer failed to start)")
        queue.put(result)
        return False

def _writes(plan, ids, writer, barrier, result, queue, write, refused, recover) -> bool:
    """After the start barrier, each (target, kind) of `plan` by `write(i,
    task_id, kind)`: accepted when it returns, counted as refused when
    `refused(exc)`, else an error (then `recover()`). False if the start failed."""
    if not _start(barrier, result, queue):
        return False
    result["started"] = time.perf_counter()
    for i, (target, kind) in enumerate(plan):
        task_id = ids["shared"] if target == "shared" else ids["own"][writer]
        try:
            write(i, task_id, kind)
            result["accepted"][target] += 1
        except Exception as exc:  # noqa: BLE001 - every error but a refusal is the finding
            if refused(exc):
                result["refused"][target] += 1
            else:
                result["errors"].append(f"op {i} {kind} on {target}: {_fmt_error(exc)}")
                recover()
    result["ended"] = time.perf_counter()
    return True


def ours_writer(url, ids, writer, n, barrier, queue):
    """Writes through the rules, each with the version read just before."""
    result = _result(writer)
    try:
        from inspect_tui.rules import tasks
        from inspect_tui.rules.errors import DomainError
        from inspect_tui.store import db as store
        from inspect_tui.store.models import database

        params = inspect.signature(store.connect).parameters
        store.connect(url, **({"migrate": False} if "migrate" in params else {}))
        actor = f"{ACTOR}{writer}"
        plan = operations(writer, n)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent
        barrier.abort()
        result["errors"].append("setup: " + _fmt_error(exc) + "\n" + traceback.format_exc())
        queue.put(result)
        return

    def write(i, task_id, kind):
        row = tasks.row(task_id, TODAY)
        version = row.version
        if kind == "note":
            tasks.add_note(task_id, f"Tiến độ {writer}-{i}: đã rà soát hồ sơ.", actor, TODAY,
                           expected_version=version)
        elif kind == "move":
            if row.status == "in_progress":
                tasks.move(task_id, "reported_done", actor, TODAY, expected_version=version)
            else:
                tasks.move(task_id, "in_progress", actor, TODAY,
                           reason=f"Chưa đạt, làm lại ({writer}-{i})",
                           expected_version=version)
        else:
            tasks.update(task_id, actor, TODAY, expected_version=version,
                         assignee=f"Cán bộ {writer}-{i}")

    def rollback():
        try:
            if database.obj is not None and database.in_transaction():
                database.rollback()
        except Exception:  # noqa: BLE001
            pass

    if _writes(plan, ids, writer, barrier, result, queue, write,
               lambda exc: isinstance(exc, DomainError) and exc.key in REFUSALS, rollback):
        store.close()
        queue.put(result)


def bare_database(backend, where):
    from peewee import PostgresqlDatabase, SqliteDatabase

    if backend == "sqlite":
        # The pragmas the application opens its file with (checked in main()),
        # and peewee's plain BEGIN: the first statement of every write transaction
        # below is a write, so it waits for the lock like BEGIN IMMEDIATE.
        return SqliteDatabase(where, pragmas=BARE_PRAGMAS)
    return PostgresqlDatabase(where, **PG)


def bare_writer(backend, where, ids, writer, n, barrier, queue):
    """The same writes by bare peewee: no version check, no change log."""
    result = _result(writer)
    try:
        from bare_models import bare_models

        db = bare_database(backend, where)
        BareTask, BareNote = bare_models(db)
        db.connect()
        actor = f"{ACTOR}{writer}"
        plan = operations(writer, n)
    except BaseException as exc:  # noqa: BLE001
        barrier.abort()
        result["errors"].append("setup: " + _fmt_error(exc) + "\n" + traceback.format_exc())
        queue.put(result)
        return

    def note(task_id, text):
        BareNote.insert(task_id=task_id, noted_on=TODAY, author=actor, text=text,
                        created_at=dt.datetime.now().replace(microsecond=0)).execute()

    bump = BareTask.version + 1

    def write(i, task_id, kind):
        status = BareTask.select(BareTask.status).where(BareTask.id == task_id).scalar()
        with db.atomic():
            if kind == "note":
                note(task_id, f"Tiến độ {writer}-{i}: đã rà soát hồ sơ.")
                BareTask.update(version=bump).where(BareTask.id == task_id).execute()
            elif kind == "move" and status == "in_progress":
                (BareTask.update(status="reported_done", completed_on=TODAY, version=bump)
                 .where(BareTask.id == task_id).execute())
            elif kind == "move":
                reason = f"Chưa đạt, làm lại ({writer}-{i})"
                (BareTask.update(status="in_progress", completed_on=None, status_reason=reason, version=bump)
                 .where(BareTask.id == task_id).execute())
                note(task_id, reason)
            else:
                assignee = f"Cán bộ {writer}-{i}"
                (BareTask.update(assignee=assignee, search_text=assignee.lower(), version=bump)
                 .where(BareTask.id == task_id).execute())

    if _writes(plan, ids, writer, barrier, result, queue, write, lambda exc: False, lambda: None):
        db.close()
        queue.put(result)


# --- set-up, one database per backend and side ------------------------------------------

def _pg_admin():
    import psycopg2

    conn = psycopg2.connect(dbname="postgres", connect_timeout=5, **PG)
    conn.autocommit = True
    return conn


def _pg_exec(sql: str) -> None:
    conn = _pg_admin()
    try:
        with conn.cursor() as cur:
            cur.execute(sql)
    finally:
        conn.close()


def pg_url(name: str) -> str:
    return f"postgresql://{PG['user']}@{PG['host']}:{PG['port']}/{name}"


def build(url: str, backend: str, n_own: int) -> dict:
    """Seed the database through the rules and make one shared task and n_own
    tasks, all in progress. Returns their ids."""
    from inspect_tui.rules import findings, inspections, seed, tasks, units
    from inspect_tui.store import db as store

    params = inspect.signature(store.connect).parameters
    kwargs = {"create": True} if "create" in params else {}  # a new file, an empty database
    store.connect(url, **kwargs)
    try:
        seed.load_defaults(ACTOR)
        units.create("BENCH", "Đơn vị đo tải ghi đồng thời", "department", ACTOR)
        plan_id = inspections.create_plan(2026, "99/KH-UBND", ACTOR).id
        held = dt.date(2026, 4, 6)
        visit_id = inspections.add_visit(plan_id, "BENCH", ACTOR, scheduled_on=held)
        inspections.update_visit(visit_id, ACTOR, status="held", held_on=held,
                                 notice_date=held + dt.timedelta(days=15))
        finding_id = findings.add(visit_id, "procedures", "Chưa niêm yết TTHC đầy đủ", ACTOR).id
        ids = []
        for k in range(1 + n_own):
            task_id = findings.add_task(finding_id, f"Niêm yết công khai TTHC ({k})",
                                        dt.date(2026, 12, 31), ACTOR, TODAY)
            tasks.move(task_id, "in_progress", ACTOR, TODAY)
            ids.append(task_id)
    finally:
        store.close()
    return {"shared": ids[0], "own": ids[1:]}


class Backend:
    """The two databases of one backend: the rules' and the bare copy."""

    def __init__(self, name: str, n_own: int):
        self.name = name
        self.n_own = n_own
        self.tmp = None
        self.pg_names = []

    def __enter__(self):
        try:
            return self._build()
        except BaseException:
            self.__exit__(None, None, None)  # drop what was made before the failure
            raise

    def _build(self):
        if self.name == "sqlite":
            self.tmp = Path(tempfile.mkdtemp(prefix="itui_contention_"))
            ours = self.tmp / "ours.sqlite3"
            self.ids = build(str(ours), "sqlite", self.n_own)
            bare = self.tmp / "bare.sqlite3"
            src, dst = sqlite3.connect(ours), sqlite3.connect(bare)
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=wal")
            src.close()
            dst.close()
            self.ours_url, self.bare_where = str(ours), str(bare)
        else:
            tag = uuid.uuid4().hex[:10]
            ours, bare = f"itui_bench_{tag}", f"itui_bench_{tag}_bare"
            _pg_exec(f'CREATE DATABASE "{ours}"')
            self.pg_names.append(ours)
            self.ids = build(pg_url(ours), "postgres", self.n_own)
            _pg_exec(f'CREATE DATABASE "{bare}" TEMPLATE "{ours}"')
            self.pg_names.append(bare)
            self.ours_url, self.bare_where = pg_url(ours), bare
        return self

    def __exit__(self, *exc):
        for name in self.pg_names:
            _pg_exec(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def versions(self, side: str) -> dict[int, int]:
        """task id -> version, read straight from the table."""
        if self.name == "sqlite":
            path = self.ours_url if side == "ours" else self.bare_where
            conn = sqlite3.connect(path)
            try:
                return dict(conn.execute("SELECT id, version FROM task").fetchall())
            finally:
                conn.close()
        import psycopg2

        name = self.pg_names[0] if side == "ours" else self.bare_where
        conn = psycopg2.connect(dbname=name, **PG)
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT id, version FROM task")
                return dict(cur.fetchall())
        finally:
            conn.close()


# --- one run: k writers on one side ------------------------------------------------------

def run(backend: Backend, side: str, k: int, n: int) -> dict:
    ctx = mp.get_context("spawn")
    barrier, queue = ctx.Barrier(k), ctx.Queue()
    before = backend.versions(side)
    procs = []
    for w in range(k):
        if side == "ours":
            args = (backend.ours_url, backend.ids, w, n, barrier, queue)
            target = ours_writer
        else:
            args = (backend.name, backend.bare_where, backend.ids, w, n, barrier, queue)
            target = bare_writer
        proc = ctx.Process(target=target, args=args, daemon=True)
        proc.start()
        procs.append(proc)
    results = []
    while len(results) < k:
        try:
            results.append(queue.get(timeout=1))
        except queue_module.Empty:
            if not any(proc.is_alive() for proc in procs) and queue.empty():
                break
    for proc in procs:
        proc.join(30)
        if proc.exitcode != 0:
            results.append(_result(-1, error=f"writer pid {proc.pid} exit code {proc.exitcode}"))
    after = backend.versions(side)
    accepted = {t: sum(r["accepted"][t] for r in results) for t in ("shared", "own")}
    refused = {t: sum(r["refused"][t] for r in results) for t in ("shared", "own")}
    errors = [f"writer {r['writer']}: {e}" for r in results for e in r["errors"]]
    starts = [r["started"] for r in results if r["started"] is not None]
    ends = [r["ended"] for r in results if r["ended"] is not None]
    wall = (max(ends) - min(starts)) if starts and ends else float("nan")
    shared = backend.ids["shared"]
    rise_shared = after[shared] - before[shared]
    own_accepted = {r["writer"]: r["accepted"]["own"] for r in results if r["writer"] >= 0}
    own_ok = all(after[backend.ids["own"][w]] - before[backend.ids["own"][w]] == a
                 for w, a in own_accepted.items())
    total = accepted["shared"] + accepted["own"]
    return {"side": side, "writers": k, "accepted": accepted, "refused": refused,
            "errors": errors, "wall": wall, "rate": total / wall if wall == wall and wall else 0.0,
            "rise_shared": rise_shared, "consistent": rise_shared == accepted["shared"] and own_ok,
            "own_ok": own_ok}


def describe(backend: str, r: dict) -> str:
    acc, ref = r["accepted"], r["refused"]
    return (f"{backend:8} {r['writers']} writer(s) {r['side']:4}: "
            f"accepted {acc['shared'] + acc['own']} (shared {acc['shared']}), "
            f"refused {ref['shared'] + ref['own']} (shared {ref['shared']}), "
            f"other errors {len(r['errors'])}, {r['wall']:.2f} s, {r['rate']:.0f} writes/s\n"
            f"{'':9}shared task version +{r['rise_shared']} for {acc['shared']} accepted; "
            f"own tasks {'match' if r['own_ok'] else 'DO NOT match'}; "
            f"consistent: {'yes' if r['consistent'] else 'no'}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--writers", default="1,2,4,8",
                        help="comma-separated writer process counts (default 1,2,4,8)")
    parser.add_argument("--writes", type=int, default=300, help="operations per writer (default 300)")
    parser.add_argument("--out", default=str(ROOT / "bench" / "contention.md"))
    args = parser.parse_args()
    counts = [int(x) for x in args.writers.split(",") if x.strip()]
    if not counts or min(counts) < 1 or args.writes < 1:
        parser.error("--writers takes positive counts, --writes a positive number")
    backends = ("sqlite", "postgres") if args.backend == "both" else (args.backend,)

    if "sqlite" in backends:
        from inspect_tui.store import db as store
        app = getattr(store, "SQLITE_PRAGMAS", None)
        if app is not None and app != BARE_PRAGMAS:
            print(f"note: the application's SQLite pragmas {app} differ from the baseline's "
                  f"{BARE_PRAGMAS}; the ratio then also measures that difference")

    started = time.perf_counter()
    rows, all_errors, inconsistent = [], [], []
    for name in backends:
        with Backend(name, max(counts)) as backend:
            for k in counts:
                pair = {}
                for side in ("ours", "bare"):
                    r = run(backend, side, k, args.writes)
                    print(describe(name, r), flush=True)
                    for e in r["errors"]:
                        print(f"{'':9}ERROR {e}", flush=True)
                    all_errors += [f"{name}, {k} writers, {side}: {e}" for e in r["errors"]]
                    if not r["consistent"]:
                        inconsistent.append(f"{name}, {k} writers, {side}")
                    pair[side] = r
                rows.append((name, k, pair["ours"], pair["bare"]))

    head = ("| backend | writers | ours writes/s | ours refusals | bare writes/s | ratio bare/ours "
            "| other errors (ours/bare) | consistent (ours/bare) |")
    lines = [head, "|---|---:|---:|---:|---:|---:|---:|---|"]
    for name, k, ours, bare in rows:
        ratio = bare["rate"] / ours["rate"] if ours["rate"] else float("inf")
        refusals = ours["refused"]["shared"] + ours["refused"]["own"]
        lines.append(f"| {name} | {k} | {ours['rate']:.0f} | {refusals} | {bare['rate']:.0f} "
                     f"| {ratio:.1f}x | {len(ours['errors'])}/{len(bare['errors'])} "
                     f"| {'yes' if ours['consistent'] else 'no'}/"
                     f"{'yes' if bare['consistent'] else 'no'} |")
    table = "\n".join(lines)
    total = time.perf_counter() - started
    print()
    print(table)
    print(f"\n{args.writes} operations per writer; {os.cpu_count()} CPUs; {total:.0f} s in all")
    print(f"consistent: {'yes' if not inconsistent else 'no (' + '; '.join(inconsistent) + ')'}")
    if all_errors:
        print(f"{len(all_errors)} error(s) other than refusals, see above")

    notes = ["# Concurrent writers: the rules against bare peewee",
             "",
             f"`bench/contention.py --backend {args.backend} --writers {args.writers} "
             f"--writes {args.writes}`, {dt.datetime.now():%Y-%m-%d %H:%M}, "
             f"{os.cpu_count()} CPUs, {total:.0f} s.",
             "",
             "writes/s = accepted writes / wall time (first writer's start to last writer's end); "
             "ours refusals = stale-version refusals (`task_changed`/`record_changed`); "
             "consistent = every task's version rose by exactly the writes accepted on it.",
             "",
             table, ""]
    if all_errors:
        notes += ["Errors other than refusals:", ""]
        notes += [f"- {e.splitlines()[0]}" for e in all_errors[:50]]
        if len(all_errors) > 50:
            notes.append(f"- ... and {len(all_errors) - 50} more")
        notes.append("")
    Path(args.out).write_text("\n".join(notes), encoding="utf-8")
    print(f"written: {args.out}")
    return 1 if all_errors or inconsistent else 0


if __name__ == "__main__":
    sys.exit(main())
