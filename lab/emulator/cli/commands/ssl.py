"""``ssl trust-point TP [<nameif>] [domain FQDN]``: which certificate each listener serves."""

from __future__ import annotations

from lab.emulator.cli.commands.trustpoints import unknown_trustpoint
from lab.emulator.cli.context import CommandContext, InvalidArgumentError
from lab.emulator.cli.grammar import Match
from lab.emulator.cli.registry import CONFIG, command


def _check(ctx: CommandContext, m: Match) -> tuple[str, str | None]:
    name = m["trustpoint"]
    if name not in ctx.device.trustpoints:
        raise unknown_trustpoint(name)
    nameif = m.get("nameif")
    if nameif is not None and nameif not in ctx.device.nameifs():
        raise InvalidArgumentError(m.line.rindex(nameif))
    return name, nameif


@command(
    CONFIG,
    "ssl trust-point <trustpoint> [<nameif>]",
    "ssl trust-point <trustpoint> [<nameif>] domain <fqdn>",
)
def ssl_trust_point(ctx: CommandContext, m: Match) -> None:
    name, nameif = _check(ctx, m)
    settings = ctx.device.ssl
    fqdn = m.get("fqdn")
    if fqdn is not None:
        settings.domain_trustpoints[fqdn.lower()] = (name, nameif)
    elif nameif is not None:
        settings.interface_trustpoints[nameif] = name
    else:
        settings.global_trustpoint = name


@command(
    CONFIG,
    "no ssl trust-point <trustpoint> [<nameif>]",
    "no ssl trust-point <trustpoint> [<nameif>] domain <fqdn>",
)
def no_ssl_trust_point(ctx: CommandContext, m: Match) -> None:
    name, nameif = m["trustpoint"], m.get("nameif")
    settings = ctx.device.ssl
    fqdn = m.get("fqdn")
    if fqdn is not None:
        if settings.domain_trustpoints.get(fqdn.lower(), ("",))[0] == name:
            del settings.domain_trustpoints[fqdn.lower()]
    elif nameif is not None:
        if settings.interface_trustpoints.get(nameif) == name:
            del settings.interface_trustpoints[nameif]
    elif settings.global_trustpoint == name:
        settings.global_trustpoint = None
