"""Importing this package registers every command of the virtual ASA."""

from lab.emulator.cli.commands import (  # noqa: F401
    chain,
    enroll,
    keys,
    memory,
    modes,
    show,
    ssl,
    system,
    trustpoints,
    webvpn,
)
