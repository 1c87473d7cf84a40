"""The device clock: real time plus an offset set by ``clock set``, shown in a configured zone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class DeviceClock:
    """``clock set`` moves the offset; ``clock timezone NAME HOURS [MINUTES]`` sets the zone."""

    offset: dt.timedelta = field(default_factory=dt.timedelta)
    zone_name: str = "UTC"
    zone_offset: dt.timedelta = field(default_factory=dt.timedelta)

    def now_utc(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC) + self.offset

    def now_local(self) -> dt.datetime:
        return self.to_local(self.now_utc())

    def to_local(self, moment: dt.datetime) -> dt.datetime:
        return moment.astimezone(dt.timezone(self.zone_offset)).replace(tzinfo=None)

    def set_local(self, local: dt.datetime) -> None:
        """Set the clock so that the local (zone) time is ``local`` now."""
        wanted_utc = local.replace(tzinfo=dt.UTC) - self.zone_offset
        self.offset = wanted_utc - dt.datetime.now(dt.UTC)

    def set_zone(self, name: str, hours: int, minutes: int = 0) -> None:
        sign = -1 if hours < 0 else 1
        self.zone_name = name
        self.zone_offset = dt.timedelta(hours=hours, minutes=sign * minutes)

    def format_stamp(self, moment: dt.datetime) -> str:
        """``HH:MM:SS ZONE Mon D YYYY`` as in certificate validity lines."""
        local = self.to_local(moment)
        return f"{local:%H:%M:%S} {self.zone_name} {local:%b} {local.day} {local.year}"

    def config_line(self) -> str | None:
        if self.zone_name == "UTC" and not self.zone_offset:
            return None
        total = int(self.zone_offset.total_seconds() // 60)
        hours, minutes = divmod(abs(total), 60)
        sign = "-" if total < 0 else ""
        return f"clock timezone {self.zone_name} {sign}{hours}" + (f" {minutes}" if minutes else "")
