"""What commands may ask of the running virtual ASA beyond its configuration."""

from __future__ import annotations

from typing import Protocol


class Runtime(Protocol):
    """What commands may ask of the running virtual ASA beyond its configuration."""

    def save_startup_config(self) -> int:
        """Persist the running configuration; return the number of bytes written."""

    def startup_config(self) -> str | None:
        """The saved configuration text, or None if nothing was ever saved."""

    def is_config_modified(self) -> bool:
        """Whether the running configuration differs from the one saved (or booted)."""

    def request_reload(self) -> None:
        """Reboot from the startup configuration after the current command."""
