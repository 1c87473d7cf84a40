"""Names the ASA accepts for trustpoints, keypairs, maps, groups and users: printable
ASCII without blanks, of a bounded length (the exact per-object limits are not captured)."""

from __future__ import annotations

from lab.emulator.cli.context import InvalidArgumentError
from lab.emulator.cli.grammar import Match


def check_name(m: Match, argument: str, max_length: int = 64) -> str:
    """The argument's value, or the caret under it when it is no usable name."""
    value = m[argument]
    if not value or len(value) > max_length or not all(33 <= ord(ch) < 127 for ch in value):
        raise InvalidArgumentError(_column(m, value))
    return value


def _column(m: Match, value: str) -> int:
    position = m.line.find(value)
    return position if position >= 0 else len(m.line)
