"""Facts about the database itself: is it the demo database? and the key
that signs the per-unit workbooks exported from it."""
import secrets

from inspect_tui.store.models import Fact, database

EXCHANGE_KEY = "exchange_key"  # HMAC key of the per-unit workbooks (hex)


def get(key: str, default: str = "") -> str:
    row = Fact.get_or_none(Fact.key == key)
    return row.value if row else default


def put(key: str, value: str) -> None:
    Fact.insert(key=key, value=value).on_conflict(conflict_target=[Fact.key],
                                                  update={Fact.value: value}).execute()


def is_demo() -> bool:
    return get("demo") == "1"


def exchange_key(create: bool = False) -> bytes | None:
    """The secret that signs what a per-unit workbook carries (unit, export,
    task ids and versions), kept in this database only: a workbook signed with
    it was exported from here, unaltered. Made on the first export (`create`);
    two exports racing to make it keep the one written first. It is not in
    the change log: undo must not take it back, and history must not show it.
    A backup carries it, so workbooks stay valid after a move to PostgreSQL."""
    value = get(EXCHANGE_KEY)
    if not value and create:
        with database.atomic():
            Fact.insert(key=EXCHANGE_KEY, value=secrets.token_hex(32)).on_conflict_ignore().execute()
        value = get(EXCHANGE_KEY)
    return bytes.fromhex(value) if value else None
