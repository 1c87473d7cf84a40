"""``clock set``, ``clock timezone`` and ``show clock`` (asa-cli.md section 13.1).

The device clock (host time plus the ``clock set`` offset) dates enrollments, key
generation and the validity checks of client certificates.
"""

from __future__ import annotations

import datetime as dt

from lab.emulator.cli.context import CommandContext, InvalidArgumentError
from lab.emulator.cli.grammar import Match
from lab.emulator.cli.registry import CONFIG, EXEC, PRIVILEGED, command, readonly
from lab.emulator.render.version import clock_stamp

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_CHOICES = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
)


def _month(m: Match) -> int:
    return _MONTHS.index(m["month"][:3]) + 1


def _time(m: Match) -> tuple[int, int, int]:
    text = m["time"]
    parts = text.split(":")
    if len(parts) != 3 or not all(p.isdigit() and len(p) <= 2 for p in parts):
        raise InvalidArgumentError(m.line.index(text))
    hours, minutes, seconds = (int(p) for p in parts)
    if hours > 23 or minutes > 59 or seconds > 59:
        raise InvalidArgumentError(m.line.index(text))
    return hours, minutes, seconds


@command(
    PRIVILEGED,
    f"clock set <time> <month:{_MONTH_CHOICES}> <day:int:1-31> <year:int:1993-2035>",
    f"clock set <time> <day:int:1-31> <month:{_MONTH_CHOICES}> <year:int:1993-2035>",
)
def clock_set(ctx: CommandContext, m: Match) -> None:
    hours, minutes, seconds = _time(m)
    try:
        local = dt.datetime(int(m["year"]), _month(m), int(m["day"]), hours, minutes, seconds)
    except ValueError:
        raise InvalidArgumentError(m.line.rindex(m["day"])) from None
    ctx.device.clock.set_local(local)


@command(CONFIG, "clock timezone <zone> <hours:int:-23-23> [<minutes:int:0-59>]")
def clock_timezone(ctx: CommandContext, m: Match) -> None:
    zone = m["zone"]
    if len(zone) > 32 or not zone.replace("-", "").replace("+", "").isalnum():
        raise InvalidArgumentError(m.line.index(zone))
    ctx.device.clock.set_zone(zone, int(m["hours"]), int(m.get("minutes") or 0))


@command(CONFIG, "no clock timezone [<rest...>]")
def no_clock_timezone(ctx: CommandContext, m: Match) -> None:
    ctx.device.clock.set_zone("UTC", 0)


@readonly
@command((EXEC, PRIVILEGED), "show clock")
def show_clock(ctx: CommandContext, m: Match) -> None:
    ctx.out(clock_stamp(ctx.device, ctx.device.clock.now_utc()))
