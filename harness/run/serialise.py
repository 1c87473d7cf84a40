"""Results as JSON-ready dicts (results.json, and what xdist workers send the controller)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from harness.run.results import ScenarioResult


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def scenario_to_dict(result: ScenarioResult) -> dict[str, Any]:
    data: dict[str, Any] = _plain(result)
    return data


def results_document(scenarios: list[dict[str, Any]]) -> dict[str, Any]:
    counts = {
        status: sum(1 for s in scenarios if s["status"] == status)
        for status in ("passed", "failed", "error", "skipped")
    }
    return {
        "generated": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "summary": {"total": len(scenarios), **counts},
        "scenarios": sorted(scenarios, key=lambda s: (s["file"], s["name"])),
    }
