"""``show version`` and ``show running-config [section]`` / ``write terminal``."""

from __future__ import annotations

from lab.emulator.cli.context import CommandContext
from lab.emulator.cli.grammar import Match
from lab.emulator.cli.registry import EXEC, PRIVILEGED, command
from lab.emulator.render.running_config import running_config, running_config_section
from lab.emulator.render.version import show_version


@command((EXEC, PRIVILEGED), "show version")
def version(ctx: CommandContext, m: Match) -> None:
    ctx.out(*show_version(ctx.device))


@command(PRIVILEGED, "show running-config [<section...>]", "write terminal")
def show_running_config(ctx: CommandContext, m: Match) -> None:
    section = m.get("section")
    if section:
        ctx.out(*running_config_section(ctx.device, section.split()))
    else:
        ctx.out(*running_config(ctx.device))
