"""Where workbooks land: the target checked before any work starts, then the
file written whole (inspect_tui.files) with a refusal worded for people when
the system says no.

A workbook's target must end in .xlsx and must not be a folder; its folder
must exist and be writable, unless the caller lets it be created (the default
export folder). A per-unit export's folder may be created, its parent must
exist unless the caller lets the parents be created too. Folders are created
only when a file is about to be written, and removed again if nothing could
be written into them.
"""
import errno
from pathlib import Path

from inspect_tui import files
from inspect_tui.excel.errors import ExcelError, Text

SUFFIX = ".xlsx"
REASONS = {  # errno -> key under excel.error.reason
    errno.EACCES: "denied", errno.EPERM: "denied", errno.EROFS: "read_only",
    errno.ENOSPC: "full", errno.EDQUOT: "full", errno.ENOENT: "no_folder",
    errno.ENOTDIR: "no_folder", errno.EISDIR: "is_folder", errno.ENAMETOOLONG: "too_long",
}
FOLDER_THERE = "refused"  # ENOENT although the folder is there (/proc and the like)


def check_file(path, create_folder: bool = False) -> Path:
    """A workbook may be written at `path`; an ExcelError saying why not otherwise."""
    return files.check_target(path, SUFFIX, ExcelError, "not_xlsx", create_folder)


def check_folder(path, create_parents: bool = False) -> Path:
    """Workbooks may be written into the folder `path` (made if missing)."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise ExcelError("not_a_folder", path=path)
    files.check_folder_writable(path if path.is_dir() else path.parent, ExcelError, create_parents)
    return path


def make_folder(folder) -> list[Path]:
    """Create `folder` and any missing parents; returns those created, deepest last."""
    folder = Path(folder)
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    created = []
    try:
        for each in reversed(missing):
            each.mkdir()
            created.append(each)
    except OSError as exc:
        remove_folders(created)
        raise refusal(exc, each) from None
    return created


def remove_folders(created: list[Path]) -> None:
    """Remove the folders `make_folder` created, if nothing was written into them."""
    for folder in reversed(created):
        try:
            folder.rmdir()
        except OSError:
            return


def save(wb, path: Path, create_folder: bool = False, write=None) -> Path:
    """Write the workbook whole at `path` (checked by check_file first);
    `write(temporary path)` instead of `wb.save` when the file needs more."""
    created = make_folder(path.parent) if create_folder else []
    try:
        files.write_whole(path, write or wb.save)
    except OSError as exc:
        remove_folders(created)
        raise refusal(exc, path) from None
    except BaseException:
        remove_folders(created)
        raise
    return path


def refusal(exc: OSError, path) -> ExcelError:
    """An OSError as one line: which file, and why in the user's language."""
    key = REASONS.get(exc.errno)
    if key == "no_folder" and Path(path).parent.is_dir():
        key = FOLDER_THERE
    reason = Text("excel.error.reason." + key) if key else (exc.strerror or str(exc))
    return ExcelError("cannot_write", path=path, reason=reason)


def discard(wb) -> None:
    """Close the sheets of a write-only workbook that will not be saved, so their
    half-written streams are not reported at exit, and remove their temporary files."""
    for ws in getattr(wb, "worksheets", []):
        if not getattr(ws, "closed", True):
            try:
                ws.close()
            except Exception:
                pass
        writer = getattr(ws, "_writer", None)
        if writer is not None and getattr(writer, "out", None):
            try:
                writer.cleanup()
            except Exception:
                pass
