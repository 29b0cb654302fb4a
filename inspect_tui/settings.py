"""Where data lives, who is working, in which language, and what day it is.

One Settings object, built from (lowest to highest priority): defaults, the
config file (`config.toml` in the data home), environment variables
(INSPECT_TUI_HOME, INSPECT_TUI_DB, INSPECT_TUI_LANG, INSPECT_TUI_USER,
INSPECT_TUI_TODAY), then command-line flags.
"""
import datetime as dt
import getpass
import json
import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from inspect_tui.locale import LANGUAGES
from inspect_tui.rules import limits
from inspect_tui.rules.dates import parse_day
from inspect_tui.rules.errors import DomainError

THEMES = ("dark", "light")
LETTERHEAD_PAPERS = ("notice", "minutes", "remind", "report")  # the tables [letterhead.<paper>]


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
    due_working_days: int | None = None  # the same in working days, when set (wins over due_days)
    theme: str = "dark"
    keys: dict = field(default_factory=dict)  # binding id -> key, remaps the TUI
    letterhead: dict = field(default_factory=dict)  # the status workbook's: [excel], then [letterhead]

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


def _shown(value) -> str:
    """A config value as it reads in the file ("abc", -5, true), kept short."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:59] + "…"


def _read_config(path: Path) -> dict:
    """The config file's tables; a file that cannot be read or parsed is one
    domain error naming the file (and the line for a syntax error)."""
    if not path.exists():
        return {}
    try:
        text = path.read_text("utf-8")
    except UnicodeDecodeError:
        raise DomainError("config_not_utf8", path=path) from None
    except OSError:
        raise DomainError("config_unreadable", path=path) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"line (\d+), column (\d+)", str(exc))
        line, column = where.groups() if where else ("?", "?")
        raise DomainError("config_syntax", path=path, line=line, column=column) from None


class _Config:
    """Typed reading of config.toml: every known key is checked, unknown keys are ignored."""

    def __init__(self, path: Path, table: dict):
        self.path, self.table = path, table

    def _refuse(self, key: str, error: str, **values):
        raise DomainError(error, path=self.path, setting=key, value=_shown(self.table[key]), **values)

    def text(self, key: str) -> str | None:
        value = self.table.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self._refuse(key, "config_text")
        return value

    def choice(self, key: str, choices: tuple, default: str) -> str:
        value = self.table.get(key, default)
        if value not in choices:
            self._refuse(key, "config_choice", choices=", ".join(choices))
        return value

    def integer(self, key: str, default: int, low: int, high: int) -> int:
        value = self.table.get(key, default)
        if isinstance(value, str) and value.strip().isdigit():  # due_days = "30" reads as meant
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self._refuse(key, "config_integer", low=low, high=high)
        return value

    def optional_integer(self, key: str, low: int, high: int) -> int | None:
        return self.integer(key, low, low, high) if key in self.table else None

    def name(self, key: str) -> str | None:
        value = self.text(key)
        if value is None:
            return None
        try:
            return limits.check_name(value, key)
        except DomainError as exc:
            raise DomainError("config_invalid", path=self.path, setting=key, problem=exc.message()) from None

    def table_of_text(self, key: str, lists: bool = False) -> dict:
        """A table whose values are strings (or, with `lists`, lists of strings)."""
        value = self.table.get(key, {})
        if not isinstance(value, dict):
            self._refuse(key, "config_table")
        for name, item in value.items():
            items = item if lists and isinstance(item, list) else [item]
            if not all(isinstance(i, str) for i in items):
                raise DomainError("config_text", path=self.path, setting=f"{key}.{name}", value=_shown(item))
        return dict(value)

    def letterhead(self, key: str, papers: tuple) -> dict:
        """[letterhead]: strings and lists of strings, and a table of those for each paper."""
        value = self.table.get(key, {})
        if not isinstance(value, dict):
            self._refuse(key, "config_table")
        for name, item in value.items():
            if isinstance(item, dict) and name not in papers:
                raise DomainError("letterhead_table", path=self.path, setting=key, value=_shown({name: item}),
                                  tables=", ".join(f"[{key}.{p}]" for p in papers))
            if isinstance(item, dict):
                _Config(self.path, {f"{key}.{name}": item}).table_of_text(f"{key}.{name}", lists=True)
                continue
            items = item if isinstance(item, list) else [item]
            if not all(isinstance(i, str) for i in items):
                raise DomainError("config_text", path=self.path, setting=f"{key}.{name}", value=_shown(item))
        return dict(value)


def _env_user(env) -> str | None:
    value = env.get("INSPECT_TUI_USER")
    return None if value in (None, "") else limits.check_name(value, "INSPECT_TUI_USER")


def _env_lang(env) -> str | None:
    value = env.get("INSPECT_TUI_LANG")
    if value in (None, ""):
        return None
    if value not in LANGUAGES:
        raise DomainError("bad_choice", field="INSPECT_TUI_LANG", value=value, choices=", ".join(LANGUAGES))
    return value


def _env_today(env) -> dt.date | None:
    value = env.get("INSPECT_TUI_TODAY")
    return None if value in (None, "") else parse_day(value, "INSPECT_TUI_TODAY")


def preferred_language(env: dict | None = None) -> str:
    """The language to speak before the settings are known to be valid (so that
    a broken config.toml is reported in the language it asks for): the
    environment, then the config file's `lang`, then Vietnamese."""
    env = os.environ if env is None else env
    if env.get("INSPECT_TUI_LANG") in LANGUAGES:
        return env["INSPECT_TUI_LANG"]
    home = Path(env.get("INSPECT_TUI_HOME") or os.getcwd()).expanduser()
    try:
        lang = tomllib.loads((home / "config.toml").read_text("utf-8")).get("lang")
    except (OSError, ValueError):  # unreadable or broken: reported properly by load()
        return "vi"
    return lang if lang in LANGUAGES else "vi"


def load(env: dict | None = None) -> Settings:
    """The settings; a bad config.toml value or environment variable raises one
    DomainError naming the file and key, or the variable."""
    env = os.environ if env is None else env
    home = Path(env.get("INSPECT_TUI_HOME") or os.getcwd()).expanduser().resolve()
    path = home / "config.toml"
    config = _Config(path, _read_config(path))
    exports = config.text("exports")
    settings = Settings(
        home=home,
        db=config.text("db") or default_db(home),
        lang=config.choice("lang", LANGUAGES, "vi"),
        user=config.name("user") or _os_user(),
        exports=Path(exports) if exports else None,
        due_days=config.integer("due_days", 30, limits.DUE_DAYS_MIN, limits.DUE_DAYS_MAX),
        due_working_days=config.optional_integer("due_working_days", limits.DUE_WORKING_DAYS_MIN,
                                                 limits.DUE_WORKING_DAYS_MAX),
        theme=config.choice("theme", THEMES, "dark"),
        keys=config.table_of_text("keys"),
    )
    excel = config.table_of_text("excel", lists=True)  # the letterhead (read by the workbook export)
    letterhead = config.letterhead("letterhead", LETTERHEAD_PAPERS)  # its new name, and each paper's own
    # [letterhead] wins where both set a key; its paper tables are the papers' own (papers/)
    settings = replace(settings, letterhead={**excel, **{k: v for k, v in letterhead.items()
                                                         if not isinstance(v, dict)}})
    return settings.with_(
        db=env.get("INSPECT_TUI_DB") or None,
        lang=_env_lang(env),
        user=_env_user(env),
        today_override=_env_today(env),
    )
