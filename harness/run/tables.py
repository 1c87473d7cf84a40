"""Turn probe results into report rows (chain table, diagnoses)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from harness.run.results import ChainRow
from probes.chain import ChainReport


def _stamp(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S UTC")
    return str(value)


def chain_rows(report: ChainReport, at: dt.datetime) -> tuple[ChainRow, ...]:
    rows: list[ChainRow] = []
    for position, summary in enumerate(report.certificates):
        not_after = summary.not_after
        days_left = (not_after - at).days if isinstance(not_after, dt.datetime) else None
        rows.append(
            ChainRow(
                position=position,
                subject=summary.subject,
                issuer=summary.issuer,
                serial=summary.serial,
                not_before=_stamp(summary.not_before),
                not_after=_stamp(not_after),
                days_left=days_left,
                sha256=summary.sha256,
                self_signed=summary.self_signed,
            )
        )
    return tuple(rows)
