"""Where data lives, who is working, in which language, and what day it is.

One Settings object, built from (lowest to highest priority): defaults, the
config file (`config.toml` in the data home), environment variables
(INSPECT_TUI_HOME, INSPECT_TUI_DB, INSPECT_TUI_LANG, INSPECT_TUI_USER,
INSPECT_TUI_TODAY), then command-line flags.
"""
import datetime as dt
import getpass
import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from inspect_tui.rules.dates import parse_date


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"


@dataclass(frozen=True)
class Settings:
    home: Path
    db: str
    lang: str = "vi"
    user: str = field(default_factory=_os_user)
    today_override: dt.date | None = None
    exports: Path | None = None
    due_days: int = 30  # default remediation deadline after the conclusion notice
    theme: str = "dark"
    keys: dict = field(default_factory=dict)  # binding id -> key, remaps the TUI

    @property
    def today(self) -> dt.date:
        return self.today_override or dt.date.today()

    @property
    def export_dir(self) -> Path:
        return self.exports or self.home / "exports"

    @property
    def config_path(self) -> Path:
        return self.home / "config.toml"

    def with_(self, **changes) -> "Settings":
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def default_db(home: Path) -> str:
    return str(home / "db" / "inspect.sqlite3")


def load(env: dict | None = None) -> Settings:
    env = os.environ if env is None else env
    home = Path(env.get("INSPECT_TUI_HOME") or os.getcwd()).expanduser().resolve()
    config = {}
    path = home / "config.toml"
    if path.exists():
        config = tomllib.loads(path.read_text("utf-8"))
    settings = Settings(
        home=home,
        db=config.get("db") or default_db(home),
        lang=config.get("lang", "vi"),
        user=config.get("user") or _os_user(),
        exports=Path(config["exports"]) if config.get("exports") else None,
        due_days=int(config.get("due_days", 30)),
        theme=config.get("theme", "dark"),
        keys=dict(config.get("keys", {})),
    )
    return settings.with_(
        db=env.get("INSPECT_TUI_DB") or None,
        lang=env.get("INSPECT_TUI_LANG") or None,
        user=env.get("INSPECT_TUI_USER") or None,
        today_override=parse_date(env["INSPECT_TUI_TODAY"]) if env.get("INSPECT_TUI_TODAY") else None,
    )
