"""Compare parsed show-command records with the partial records a scenario expects."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from collections.abc import Mapping
from typing import Any

from harness.parse import DeviceTime, DistinguishedName, canonical_key


def record_facts(record: Any) -> dict[str, Any]:
    """A record's fields and public properties, as plain values."""
    if isinstance(record, Mapping):
        return {str(k): _plain(v) for k, v in record.items()}
    facts: dict[str, Any] = {}
    if dataclasses.is_dataclass(record):
        for item in dataclasses.fields(record):
            facts[item.name] = _plain(getattr(record, item.name))
    for name in dir(type(record)):
        if not name.startswith("_") and isinstance(getattr(type(record), name, None), property):
            try:
                facts[name] = _plain(getattr(record, name))
            except (
                Exception
            ) as error:  # a derived value that cannot be computed is reported, not fatal
                facts[name] = f"<cannot compute: {error}>"
    return facts


def _plain(value: Any) -> Any:
    if isinstance(value, DistinguishedName):
        # A name compares as {key: value} with canonical keys (CN, OU, unstructuredName ...)
        # whatever the output profile printed; a key with several values gives a list.
        return {k: (v[0] if len(v) == 1 else list(v)) for k, v in value.normalised.items()}
    if isinstance(value, DeviceTime):
        return value.moment.isoformat()
    if isinstance(value, dt.timedelta):
        return int(value.total_seconds())
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return record_facts(value)
    return value


def matches(expected: Any, actual: Any) -> bool:
    if isinstance(expected, Mapping):
        if isinstance(actual, list) and all(isinstance(p, list) and len(p) == 2 for p in actual):
            actual = {str(k): v for k, v in actual}
        if not isinstance(actual, Mapping):
            return False
        return all(key in actual and matches(value, actual[key]) for key, value in expected.items())
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(expected) == len(actual)
            and all(matches(e, a) for e, a in zip(expected, actual, strict=True))
        )
    if isinstance(expected, str) and isinstance(actual, str):
        return expected == actual
    if isinstance(expected, str) and isinstance(actual, Mapping) and "=" in expected:
        # A name written as text: compare attribute by attribute, in any key spelling.
        wanted = dict(part.split("=", 1) for part in expected.split(",") if "=" in part)
        return matches(
            {canonical_key(k.strip()): v.strip() for k, v in wanted.items()}, actual
        ) and len(wanted) == len(actual)
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected is actual
    return bool(expected == actual)


def unknown_keys(expected: Mapping[str, Any], facts: Mapping[str, Any]) -> list[str]:
    return [key for key in expected if key not in facts]


def best_candidate(
    expected: Mapping[str, Any], candidates: list[dict[str, Any]]
) -> dict[str, Any] | None:
    """The record that agrees with the most expected keys (shown as 'actual' in a failure)."""
    if not candidates:
        return None
    return max(
        candidates,
        key=lambda facts: sum(k in facts and matches(v, facts[k]) for k, v in expected.items()),
    )


def differences(expected: Mapping[str, Any], facts: Mapping[str, Any]) -> dict[str, Any]:
    return {
        key: facts.get(key, "<missing>")
        for key, value in expected.items()
        if not (key in facts and matches(value, facts[key]))
    }
