"""The target interface shared by the embedded, container and external targets."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol


class TargetStartError(Exception):
    """A target could not be started or reached; the message says what to do."""


@dataclass(frozen=True)
class TargetAccess:
    name: str
    ssh_host: str
    ssh_port: int
    username: str
    password: str = field(repr=False)
    enable_password: str = field(repr=False)
    interfaces: dict[str, tuple[str, int]] = field(default_factory=dict)
    kind: Literal["emulator", "docker", "external", "replica"] = "emulator"
    disposable: bool = True

    def interface(self, nameif: str) -> tuple[str, int]:
        try:
            return self.interfaces[nameif]
        except KeyError:
            known = ", ".join(sorted(self.interfaces)) or "none"
            raise TargetStartError(
                f"target {self.name} has no HTTPS address for interface {nameif!r} (known: {known})"
            ) from None


class Target(Protocol):
    name: str
    #: True when every start() reaches the same device (a real box): scenarios on it must
    #: run one at a time. False when each start() makes a fresh one (emulator, container).
    exclusive: bool

    def start(self) -> TargetAccess:
        """Start (or connect to) the target; return how to reach it."""

    def stop(self) -> None:
        """Release everything start() acquired; safe to call twice."""
