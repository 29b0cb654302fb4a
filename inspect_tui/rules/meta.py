"""Facts about the database itself: is it the demo database?"""
from inspect_tui.store.models import Fact


def get(key: str, default: str = "") -> str:
    row = Fact.get_or_none(Fact.key == key)
    return row.value if row else default


def put(key: str, value: str) -> None:
    Fact.insert(key=key, value=value).on_conflict(conflict_target=[Fact.key],
                                                  update={Fact.value: value}).execute()


def is_demo() -> bool:
    return get("demo") == "1"
