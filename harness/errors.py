"""The harness's exceptions. Everything a user can cause derives from HarnessError::

HarnessError
├── ScenarioError        a scenario file is wrong (YAML, schema, references); names file:line
├── TargetError          a target could not be started, reached or logged in to
│   └── DeviceConnectionError   the SSH CLI session failed or went away
└── StepError            a step could not run (the device refused, a capture is missing ...)

A question the device asks that a step has no answer for, and an expectation the device or
the wire does not meet, are not exceptions: they are recorded on the step's result.
"""

from __future__ import annotations


class HarnessError(Exception):
    """Base of every expected failure; its message is meant for the user as is."""


class ScenarioError(HarnessError):
    pass


class TargetError(HarnessError):
    pass


class DeviceConnectionError(TargetError):
    pass


class StepError(HarnessError):
    pass
