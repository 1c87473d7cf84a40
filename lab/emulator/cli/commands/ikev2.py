"""``crypto ikev2 enable NAMEIF [client-services [port N]]`` and ``crypto ikev2
remote-access trustpoint TP`` (asa-cli.md section 9.2; [REAL] BC, PL)."""

from __future__ import annotations

from lab.emulator.cli.commands.trustpoints import unknown_trustpoint
from lab.emulator.cli.context import CommandContext, InvalidArgumentError
from lab.emulator.cli.grammar import Match
from lab.emulator.cli.registry import CONFIG, command


@command(CONFIG, "crypto ikev2 remote-access trustpoint <trustpoint> [<line:line1|line2>]")
def remote_access_trustpoint(ctx: CommandContext, m: Match) -> None:
    if m["trustpoint"] not in ctx.device.trustpoints:
        raise unknown_trustpoint(m["trustpoint"])
    ctx.device.ikev2_remote_access_trustpoint = m["trustpoint"]


@command(CONFIG, "no crypto ikev2 remote-access trustpoint [<trustpoint>] [<line:line1|line2>]")
def no_remote_access_trustpoint(ctx: CommandContext, m: Match) -> None:
    ctx.device.ikev2_remote_access_trustpoint = None


@command(CONFIG, "crypto ikev2 enable <nameif> [client-services [port <port:int:1-65535>]]")
def ikev2_enable(ctx: CommandContext, m: Match) -> None:
    nameif = m["nameif"]
    if nameif not in ctx.device.nameifs():
        raise InvalidArgumentError(m.line.rindex(nameif))
    if nameif not in ctx.device.ikev2_enabled_interfaces:
        ctx.device.ikev2_enabled_interfaces.append(nameif)


@command(CONFIG, "no crypto ikev2 enable <nameif> [<rest...>]")
def no_ikev2_enable(ctx: CommandContext, m: Match) -> None:
    if m["nameif"] in ctx.device.ikev2_enabled_interfaces:
        ctx.device.ikev2_enabled_interfaces.remove(m["nameif"])
