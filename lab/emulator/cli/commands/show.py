"""Show commands of the foundation slice: certificates, running-config, clock."""

from __future__ import annotations

from lab.emulator.cli.grammar import Match
from lab.emulator.cli.registry import EXEC, PRIVILEGED, command
from lab.emulator.cli.context import CommandContext
from lab.emulator.render.certificates import show_crypto_ca_certificates
from lab.emulator.render.running_config import running_config, running_config_section


@command(PRIVILEGED, "show crypto ca certificates [<trustpoint>]")
def show_certificates(ctx: CommandContext, m: Match) -> None:
    ctx.out(*show_crypto_ca_certificates(ctx.device, m.get("trustpoint")))


@command(PRIVILEGED, "show running-config [<section...>]", "write terminal")
def show_running_config(ctx: CommandContext, m: Match) -> None:
    section = m.get("section")
    if section:
        ctx.out(*running_config_section(ctx.device, section.split()))
    else:
        ctx.out(*running_config(ctx.device))


@command((EXEC, PRIVILEGED), "show clock")
def show_clock(ctx: CommandContext, m: Match) -> None:
    clock = ctx.device.clock
    now = clock.now_local()
    ctx.out(
        f"{now:%H:%M:%S}.{now.microsecond // 1000:03d} {clock.zone_name} "
        f"{now:%a} {now:%b} {now.day} {now.year}"
    )
