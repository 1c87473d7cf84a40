"""The AnyConnect aggregate-auth application of the virtual ASA's HTTPS listener."""

from lab.emulator.anyconnect.service import AnyConnectService, AnyConnectSettings

__all__ = ["AnyConnectService", "AnyConnectSettings"]
