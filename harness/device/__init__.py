"""Talking to an ASA (real or virtual) over SSH through scrapli."""

from harness.device.session import (
    CommandOutput,
    DeviceConnectionError,
    DeviceSession,
    LoginDetails,
)
from harness.device.transcript import Transcript

__all__ = [
    "CommandOutput",
    "DeviceConnectionError",
    "DeviceSession",
    "LoginDetails",
    "Transcript",
]
