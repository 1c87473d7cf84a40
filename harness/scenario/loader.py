"""Load and validate scenario files; every error quotes the file, the line and the YAML."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from harness.errors import ScenarioError
from harness.scenario.model import STEP_TYPES, Scenario
from harness.scenario.yaml_source import Locations, PathKey, YamlError, load_located

_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def is_scenario_file(path: Path) -> bool:
    """YAML under a ``scenarios`` folder, except fragments (``_name.yaml``, ``fragments/``)."""
    if path.suffix not in (".yaml", ".yml") or path.name.startswith("_"):
        return False
    parents = {p.name for p in path.parents}
    return "scenarios" in parents and "fragments" not in parents


def load_scenario(path: Path) -> Scenario:
    try:
        data, locations = load_located(path)
    except YamlError as error:
        raise ScenarioError(str(error)) from error
    if not isinstance(data, dict):
        raise ScenarioError(f"{path}:1: a scenario is a mapping with at least 'name' and 'steps'")
    variables = data.get("vars") or {}
    if not isinstance(variables, dict):
        raise _error(path, locations, ("vars",), "vars is a mapping of names to values")
    data = {
        key: (value if key == "vars" else _substitute(value, (key,), variables, path, locations))
        for key, value in data.items()
    }
    try:
        return Scenario.model_validate(data)
    except ValidationError as error:
        raise _validation_error(path, locations, error) from None


def _substitute(
    value: Any, where: PathKey, variables: dict[str, Any], path: Path, locations: Locations
) -> Any:
    if isinstance(value, str):

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in variables:
                known = ", ".join(sorted(variables)) or "none defined"
                raise _error(
                    path, locations, where, f"unknown variable ${{{name}}} (vars: {known})"
                )
            return str(variables[name])

        return _VARIABLE.sub(replace, value)
    if isinstance(value, dict):
        return {
            k: _substitute(v, (*where, k), variables, path, locations) for k, v in value.items()
        }
    if isinstance(value, list):
        return [
            _substitute(v, (*where, i), variables, path, locations) for i, v in enumerate(value)
        ]
    return value


def _data_path(loc: tuple[str | int, ...]) -> PathKey:
    """pydantic's error location without the union tags it adds (``steps.1.probe.probe``)."""
    cleaned: list[str | int] = []
    for index, part in enumerate(loc):
        previous = loc[index - 1] if index else None
        if (
            isinstance(previous, int)
            and part in STEP_TYPES
            and index + 1 < len(loc)
            and loc[index + 1] == part
        ):
            continue
        cleaned.append(part)
    return tuple(cleaned)


def _dotted(path: PathKey) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def _error(path: Path, locations: Locations, where: PathKey, message: str) -> ScenarioError:
    location = locations.find(where)
    if location is None:
        return ScenarioError(f"{path}: {_dotted(where)}: {message}")
    quoted = locations.source_line(location)
    return ScenarioError(
        f"{location.file}:{location.line}: {_dotted(where)}: {message}\n"
        f"  {location.line:>4} | {quoted}"
    )


def _validation_error(path: Path, locations: Locations, error: ValidationError) -> ScenarioError:
    parts: list[str] = []
    for problem in error.errors(include_url=False):
        where = _data_path(tuple(problem["loc"]))
        message = problem["msg"]
        if problem["type"] == "extra_forbidden":
            message = (
                f"unknown key {where[-1]!r}; check the spelling (docs/scenarios.md lists every key)"
            )
        elif problem["type"] == "missing":
            message = f"missing required key {where[-1]!r}"
        elif "input" in problem and problem["type"] not in ("model_type", "step_kind", "dict_type"):
            message = f"{message} (got {problem['input']!r})"
        parts.append(str(_error(path, locations, where, message)))
    count = len(parts)
    heading = f"{path}: {count} problem{'s' if count != 1 else ''} in the scenario"
    return ScenarioError(heading + "\n" + "\n".join(parts))
