"""Argument types for the command line: a rule's check run on the typed text."""
import argparse

from inspect_tui.rules.errors import DomainError


def checked(check, option: str):
    """An argparse type running a rule's check(text, option); its refusal is a usage error."""
    def read(text: str):
        try:
            return check(text, option)
        except DomainError as exc:
            raise argparse.ArgumentTypeError(exc.message()) from None
    read.__name__ = option.lstrip("-")
    return read
