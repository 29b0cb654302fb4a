"""Files written whole: a file appears under its name complete, or not at all.

`write_whole(path, write)` hands `write` the name of a temporary file in the
target's own folder (so on the same filesystem), flushes it to disk, and
renames it over the target in one step (os.replace). An exception removes the temporary file and
leaves the target as it was. A kill (SIGKILL, a power cut) can leave a
temporary file behind, never a half target; the next write into that folder
removes it: a writer holds a lock on its temporary file for as long as it
lives, the system drops the lock when the process dies, so a temporary file
nobody holds is an orphan. (Where there are no such locks, Windows, orphans
older than a day are removed.)

Temporary files are named `.~inspect-<random>.tmp`, hidden and recognisable.
Files are created with the user's normal permissions (0666 less the umask),
like any file the user makes.
"""
import os
import secrets
import stat
import time
from collections.abc import Callable
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

PREFIX = ".~inspect-"
SUFFIX = ".tmp"
SIDECARS = ("-wal", "-shm", "-journal")  # what SQLite keeps beside a database being built (demo)
ORPHAN_AGE = 24 * 3600  # seconds; only where there are no locks to tell a live writer
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_BINARY = getattr(os, "O_BINARY", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def write_whole(path, write: Callable[[str], object]) -> Path:
    """Write `path` by calling write(temporary_path) (the writer opens and
    closes that file itself), then rename it into place. Returns the path
    written (a symlink's target, if `path` is one)."""
    path = Path(path)
    if path.is_symlink():  # replace the file the link points to, keep the link
        path = Path(os.path.realpath(path))
    folder = path.parent
    remove_orphans(folder)
    fd, tmp = _create(folder)  # open and locked until the rename is done
    closed = False
    try:
        write(tmp)
        os.fsync(fd)  # the file's data, whichever descriptor wrote it
        if fcntl is None:  # Windows cannot rename a file that is open
            os.close(fd)
            closed = True
        os.replace(tmp, path)  # with the lock still held: no cleaner can take it meanwhile
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    finally:
        if not closed:
            os.close(fd)
    sync_path(folder)
    return path


def remove_orphans(folder) -> int:
    """Remove the temporary files earlier writers left in `folder` when they were
    killed; returns how many. Files of live writers, other people's files and
    anything not a plain file are left alone."""
    try:
        names = [n for n in os.listdir(folder) if n.startswith(PREFIX) and n.endswith(SUFFIX)]
    except OSError:
        return 0
    removed = 0
    for name in names:
        path = os.path.join(folder, name)
        try:
            fd = os.open(path, os.O_RDWR | _CLOEXEC | _NOFOLLOW | _BINARY)
        except OSError:  # gone already, not ours to open, or a symlink
            continue
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                continue
            if fcntl is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:  # a live writer holds it
                    continue
            elif time.time() - info.st_mtime < ORPHAN_AGE:
                continue
            if _same_file(path, info):
                os.unlink(path)
                for sidecar in SIDECARS:
                    try:
                        os.unlink(path + sidecar)
                    except OSError:
                        pass
                removed += 1
        except OSError:
            pass
        finally:
            os.close(fd)
    return removed


def is_temporary(name: str) -> bool:
    return name.startswith(PREFIX) and name.endswith(SUFFIX)


def _create(folder: Path) -> tuple[int, str]:
    """A new temporary file in `folder`, open for writing and locked."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _CLOEXEC | _BINARY
    while True:
        tmp = os.path.join(folder, f"{PREFIX}{secrets.token_hex(6)}{SUFFIX}")
        try:
            fd = os.open(tmp, flags, 0o666)  # the umask applies, as for any new file
        except FileExistsError:
            continue
        if fcntl is None:
            return fd, tmp
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            if _same_file(tmp, os.fstat(fd)):
                return fd, tmp
        except BaseException:
            os.close(fd)
            raise
        # another run's cleaner took it for an orphan between creating and
        # locking it (it was not locked yet): try again under a new name
        os.close(fd)


def _same_file(path: str, info: os.stat_result) -> bool:
    try:
        now = os.stat(path, follow_symlinks=False)
    except OSError:
        return False
    return (now.st_dev, now.st_ino) == (info.st_dev, info.st_ino)


def sync_path(path) -> None:
    """Flush a file, or a folder (so a rename in it is durable); best effort,
    not possible everywhere."""
    try:
        fd = os.open(path, os.O_RDONLY | _CLOEXEC)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def check_target(path, suffix: str, error, suffix_key: str, create_folder: bool = False) -> Path:
    """`path` may be written: a file name ending in `suffix`, in a folder that is
    there and writable (or, with `create_folder`, under the nearest one that is).
    Otherwise raises `error(key, path=…)`, the caller's own error type."""
    path = Path(path)
    if path.is_dir():
        raise error("target_is_folder", path=path)
    if path.suffix.lower() != suffix:
        raise error(suffix_key, path=path)
    check_folder_writable(path.parent, error, create_folder)
    return path


def check_folder_writable(folder, error, create: bool = False) -> Path:
    """Files may be written into `folder` or (`create`) into folders made under
    the nearest one that exists; otherwise raises `error(key, path=…)`."""
    folder = Path(folder)
    existing = folder
    while not existing.exists():  # the nearest folder that is there
        if not create:
            raise error("no_folder", path=folder)
        existing = existing.parent
    if not existing.is_dir():
        raise error("not_a_folder", path=existing)
    if not os.access(existing, os.W_OK | os.X_OK):
        raise error("not_writable", path=existing)
    return folder

