"""Times in scenarios: ``now``, ``+30d``/``-2h``/``+1w``/``+90s``/``+5m``, or ISO dates."""

from __future__ import annotations

import datetime as dt
import re

_RELATIVE = re.compile(r"^([+-])(\d+)([smhdw])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_time(text: str, now: dt.datetime | None = None) -> dt.datetime:
    """An aware UTC datetime. ISO times without a zone are taken as UTC."""
    now = now or dt.datetime.now(dt.UTC)
    value = text.strip()
    if value == "now":
        return now
    relative = _RELATIVE.match(value)
    if relative:
        sign, amount, unit = relative.groups()
        delta = dt.timedelta(**{_UNITS[unit]: int(amount)})
        return now + delta if sign == "+" else now - delta
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as error:
        raise ValueError(
            f"{text!r} is not a time: use now, +30d, -2h or 2030-01-01T00:00:00Z"
        ) from error
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def parse_offset(text: str) -> dt.timedelta:
    relative = _RELATIVE.match(text.strip())
    if not relative:
        raise ValueError(f"{text!r} is not an offset: use +400d, -1d, +2h")
    sign, amount, unit = relative.groups()
    delta = dt.timedelta(**{_UNITS[unit]: int(amount)})
    return delta if sign == "+" else -delta
