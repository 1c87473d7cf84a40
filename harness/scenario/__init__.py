"""Scenario files: the language (model), loading with file/line errors (loader)."""

from harness.scenario.loader import is_scenario_file, load_scenario
from harness.scenario.model import STEP_TYPES, Scenario

__all__ = ["STEP_TYPES", "Scenario", "is_scenario_file", "load_scenario"]
