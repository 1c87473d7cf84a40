"""Scenario files: the language (model), loading with file/line errors (loader)."""

from harness.scenario.loader import load_scenario
from harness.scenario.model import STEP_TYPES, Scenario

__all__ = ["STEP_TYPES", "Scenario", "load_scenario"]
