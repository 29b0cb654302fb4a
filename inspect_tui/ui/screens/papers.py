"""Drafting papers (notice, minutes, reminder letters, the year's report) from
the terminal app: the draft is written in a worker thread of the app, as an
export is (leaving the screen does not stop it), and its path is announced."""
from collections.abc import Callable

from inspect_tui.locale import language, t
from inspect_tui.rules.errors import DomainError


def draft_in_background(app, what: str, draft: Callable, done: Callable | None = None) -> None:
    """Run `draft(settings)` in a thread; announce `done(result)` (default: the
    path written) or the failure. The paper speaks the app's current language."""
    settings = app.settings.with_(lang=language())
    describe = done or (lambda path: t("ui.papers.written", what=what, path=str(path)))
    app.notify(t("ui.papers.started", what=what))

    def run() -> None:
        try:
            result = draft(settings)
        except (DomainError, OSError) as error:
            detail = error.message() if isinstance(error, DomainError) else str(error)
            app.call_from_thread(_said, app, t("ui.papers.failed", what=what, detail=detail), True)
        except Exception as error:  # an unexpected failure must not take the app down
            app.call_from_thread(_said, app, t("ui.papers.failed", what=what, detail=repr(error)), True)
        else:
            app.call_from_thread(_said, app, describe(result), False)

    app.run_worker(run, thread=True, group="papers", name="papers")


def _said(app, message: str, failed: bool) -> None:
    app.notify(message, severity="error" if failed else "information", timeout=10 if failed else 8)
