"""Drafting papers (notice, minutes, reminder letters, the year's report) from
the terminal app: the draft is written in a worker thread of the app, as an
export is (leaving the screen does not stop it), and its path is announced.

The end is announced with the app's notify, which is safe from a thread (it
posts the app a message): nothing of a screen is touched, so there is nothing
to draw on a screen that may be gone."""
from collections.abc import Callable

from inspect_tui.locale import language, t
from inspect_tui.rules import database
from inspect_tui.rules.errors import DomainError


def draft_in_background(app, what: str, draft: Callable, done: Callable | None = None) -> None:
    """Run `draft(settings)` in a thread; announce `done(result)` (default: the
    path written) or the failure. The paper speaks the app's current language."""
    settings = app.settings.with_(lang=language())
    describe = done or (lambda path: t("ui.papers.written", what=what, path=str(path)))
    app.notify(t("ui.papers.started", what=what))

    def failed(detail: str) -> None:
        app.notify(t("ui.papers.failed", what=what, detail=detail), severity="error", timeout=10)

    def run() -> None:
        try:
            with database.worker_connection():
                result = draft(settings)
        except (DomainError, OSError) as error:
            failed(error.message() if isinstance(error, DomainError) else str(error))
        except Exception as error:
            # An app worker's failure reaches no screen (the app does not watch its
            # workers' states): said here, or the user would wait for nothing.
            failed(repr(error))
        else:
            app.notify(describe(result), timeout=8)

    app.run_worker(run, thread=True, group="papers", name="papers", exit_on_error=False)
