"""Who issues and signs each paper: the defaults of the locale files, then
config.toml.

`[letterhead]` (the older name `[excel]` still works; `[letterhead]` wins
where both set a key) is the Sở Nội vụ letterhead of the status workbook:
`agency_parent`, `agency`, `number_line`, `place`, `recipients`,
`signer_title`, `signer_name`. The year's report takes all of it; the
reminder letters (also from Sở Nội vụ) take the agency, place and signer,
not the report's number line and recipients; the notice (issued by the City
People's Committee) and the minutes (by the inspection team) take only the
place. Each paper's own table, `[letterhead.notice]`, `[letterhead.minutes]`,
`[letterhead.remind]`, `[letterhead.report]`, sets any of these keys for that
paper, and `signer_authority` (a list: "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH").
In recipients, "{unit}" stands for the unit the paper is about.
"""
import tomllib
from pathlib import Path

from inspect_tui.locale import texts
from inspect_tui.papers.layout import Head

PAPERS = ("notice", "minutes", "remind", "report")
KEYS = ("agency_parent", "agency", "number_line", "place", "recipients", "signer_authority",
        "signer_title", "signer_name")
SHARED = {  # which keys of the shared [letterhead] each paper takes
    "notice": ("place",),
    "minutes": ("place",),
    "remind": ("agency_parent", "agency", "place", "signer_title", "signer_name"),
    "report": ("agency_parent", "agency", "number_line", "place", "recipients", "signer_title",
               "signer_name"),
}
LISTS = ("recipients", "signer_authority")


def config_tables(config_path) -> tuple[dict, dict]:
    """(the shared letterhead, the papers' own tables) from config.toml; empty when absent.
    settings.load() has already refused a broken file."""
    path = Path(config_path) if config_path else None
    if path is None or not path.exists():
        return {}, {}
    table = tomllib.loads(path.read_text("utf-8"))
    excel = table.get("excel", {}) if isinstance(table.get("excel"), dict) else {}
    letterhead = table.get("letterhead", {}) if isinstance(table.get("letterhead"), dict) else {}
    shared = {k: v for k, v in {**excel, **letterhead}.items() if not isinstance(v, dict)}
    own = {k: v for k, v in letterhead.items() if isinstance(v, dict)}
    return shared, own


def _default(key: str, lang: str) -> str:
    """A locale text that may be empty (t() would show the key for an empty text)."""
    return texts(lang).get(key, texts("vi").get(key, ""))


def _as_list(value) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return [part for part in str(value).split("|") if part.strip()]


def recipient_lines(items: list[str]) -> list[str]:
    """"Nơi nhận:" lines as the decree writes them: "- X;" and a last "- X.",
    whatever dashes and punctuation they were given with."""
    cleaned = [item.strip().lstrip("-–•* ").rstrip(";.,").strip() for item in items]
    cleaned = [c for c in cleaned if c]
    return [f"- {c}{'.' if i == len(cleaned) - 1 else ';'}" for i, c in enumerate(cleaned)]


def head(paper: str, lang: str, config_path=None, unit: str = "",
         signer_name: str = "") -> Head:
    """The letterhead of `paper` (one of PAPERS). `signer_name` is the default
    name under the signature (the team leader for a notice) unless configured."""
    values = {key: _default(f"papers.head.{paper}.{key}", lang) for key in KEYS
              if key not in ("place", "signer_name")}
    values["place"] = "Cần Thơ" if lang == "vi" else "Can Tho"
    values["signer_name"] = signer_name
    shared, own = config_tables(config_path)
    for key in SHARED[paper]:
        if key in shared:
            values[key] = shared[key]
    values.update({k: v for k, v in own.get(paper, {}).items() if k in KEYS})
    for key in LISTS:
        values[key] = _as_list(values.get(key, ""))
    values["recipients"] = recipient_lines([r.replace("{unit}", unit) for r in values["recipients"]])
    return Head(**{k: (values[k] if k in LISTS else str(values[k])) for k in KEYS})
