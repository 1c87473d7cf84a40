"""Times as the ASA prints them: ``HH:MM:SS[.mmm] ZONE [Ddd] Mon D YYYY``.

The zone is the *name* configured with ``clock timezone`` (``GMT`` may well mean +8 on a
box configured ``clock timezone GMT 8``), so a name alone never tells the offset. UTC,
GMT and Z count as +0 unless the caller says otherwise; any other name stays a naive
wall-clock time with its name until the caller supplies the offset.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

ZoneOffsets = Mapping[str, dt.timedelta | None]
"""Zone name -> offset from UTC; None marks a name as unknown (naive times)."""

DEFAULT_ZONE_OFFSETS: ZoneOffsets = MappingProxyType(
    {"UTC": dt.timedelta(0), "GMT": dt.timedelta(0), "Z": dt.timedelta(0)}
)

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

STAMP = re.compile(
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2}):(?P<second>\d{2})(?:\.(?P<fraction>\d{1,6}))?"
    r"\s+(?P<zone>\S+)"
    rf"(?:\s+(?P<weekday>{'|'.join(WEEKDAYS)}))?"
    rf"\s+(?P<month>{'|'.join(MONTHS)})\s+(?P<day>\d{{1,2}})\s+(?P<year>\d{{4}})"
)
STAMP_TEXT = "a time like '00:37:39 UTC May 10 2026' or '10:15:02.481 UTC Mon May 11 2026'"


@dataclass(frozen=True)
class DeviceTime:
    """A time the device printed: aware when the zone's offset is known, else naive."""

    moment: dt.datetime
    zone: str  # the zone name as printed

    @property
    def is_aware(self) -> bool:
        return self.moment.tzinfo is not None

    def as_utc(self) -> dt.datetime:
        if self.moment.tzinfo is None:
            raise ValueError(
                f"the offset of time zone {self.zone!r} is unknown; pass "
                f"zones={{{self.zone!r}: timedelta(hours=...)}} to the parser"
            )
        return self.moment.astimezone(dt.UTC)

    def __str__(self) -> str:
        return f"{self.moment.replace(tzinfo=None).isoformat(sep=' ')} {self.zone}"


def zone_offset(zone: str, zones: ZoneOffsets | None) -> dt.timedelta | None:
    if zones is not None and zone in zones:
        return zones[zone]
    return DEFAULT_ZONE_OFFSETS.get(zone)


def parse_stamp(text: str, zones: ZoneOffsets | None = None) -> DeviceTime:
    """Parse a whole stamp; ValueError says what is wrong with it."""
    match = STAMP.fullmatch(text.strip())
    if match is None:
        raise ValueError(STAMP_TEXT)
    fraction = match["fraction"] or ""
    try:
        moment = dt.datetime(
            int(match["year"]),
            MONTHS.index(match["month"]) + 1,
            int(match["day"]),
            int(match["hour"]),
            int(match["minute"]),
            int(match["second"]),
            int(fraction.ljust(6, "0")) if fraction else 0,
        )
    except ValueError as error:
        raise ValueError(f"{STAMP_TEXT} (this one is not a valid date: {error})") from None
    weekday = match["weekday"]
    if weekday is not None and WEEKDAYS[moment.weekday()] != weekday:
        raise ValueError(
            f"the weekday of the date ({moment:%b} {moment.day} {moment.year} is a {moment:%a})"
        )
    offset = zone_offset(match["zone"], zones)
    if offset is not None:
        moment = moment.replace(tzinfo=dt.timezone(offset))
    return DeviceTime(moment, match["zone"])


_DURATION = re.compile(
    r"(?:(?P<days>\d+)d\s+)?(?P<hours>\d+)h:(?P<minutes>\d{1,2})m:(?P<seconds>\d{1,2})s"
)


def parse_duration(text: str) -> dt.timedelta:
    """``0h:00m:12s`` or ``1d 12h:33m:07s`` (session durations)."""
    match = _DURATION.fullmatch(text.strip())
    if match is None:
        raise ValueError("a duration like '0h:00m:12s' or '1d 12h:33m:07s'")
    return dt.timedelta(
        days=int(match["days"] or 0),
        hours=int(match["hours"]),
        minutes=int(match["minutes"]),
        seconds=int(match["seconds"]),
    )
