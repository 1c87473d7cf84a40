"""Identity of the box and its interfaces: hostname, domain-name, interface/nameif."""

from __future__ import annotations

import re

from lab.emulator.cli.context import CommandContext, CommandError, InvalidArgumentError
from lab.emulator.cli.grammar import Match
from lab.emulator.cli.registry import CONFIG, command
from lab.emulator.device import Interface

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9-]{0,62}$")


@command(CONFIG, "hostname <name>")
def hostname(ctx: CommandContext, m: Match) -> None:
    if not _NAME.match(m["name"]):
        raise InvalidArgumentError(m.line.index(m["name"]))
    ctx.device.hostname = m["name"]


@command(CONFIG, "no hostname")
def no_hostname(ctx: CommandContext, m: Match) -> None:
    ctx.device.hostname = "ciscoasa"


@command(CONFIG, "domain-name <name>")
def domain_name(ctx: CommandContext, m: Match) -> None:
    ctx.device.domain_name = m["name"].lower()


@command(CONFIG, "no domain-name [<name>]")
def no_domain_name(ctx: CommandContext, m: Match) -> None:
    ctx.device.domain_name = None


@command(CONFIG, "interface <hardware>")
def interface(ctx: CommandContext, m: Match) -> None:
    wanted = m["hardware"].lower()
    for name in ctx.device.interfaces:
        if name.lower() == wanted or _abbreviates(wanted, name):
            ctx.session.enter("config-if", interface=name)
            return
    raise InvalidArgumentError(m.line.lower().index(wanted))


def _abbreviates(typed: str, name: str) -> bool:
    """``gi0/0`` or ``g0/0`` for GigabitEthernet0/0, ``m0/0`` for Management0/0."""
    prefix = re.match(r"([a-z]+)(.*)", typed)
    full = re.match(r"([A-Za-z]+)(.*)", name)
    if not prefix or not full:
        return False
    return full.group(1).lower().startswith(prefix.group(1)) and full.group(2) == prefix.group(2)


def _current_interface(ctx: CommandContext) -> Interface:
    return ctx.device.interfaces[ctx.mode.context["interface"]]


@command("config-if", "nameif <name>")
def nameif(ctx: CommandContext, m: Match) -> None:
    name = m["name"]
    for other in ctx.device.interfaces.values():
        if other.nameif == name and other is not _current_interface(ctx):
            raise CommandError(f'ERROR: Name "{name}" is already used by another interface.')
    current = _current_interface(ctx)
    current.nameif = name
    if current.security_level is None:
        level = 100 if name == "inside" else 0
        current.security_level = level
        ctx.out(f'INFO: Security level for "{name}" set to {level} by default.')


@command("config-if", "no nameif [<name>]")
def no_nameif(ctx: CommandContext, m: Match) -> None:
    _current_interface(ctx).nameif = None


@command("config-if", "security-level <level:int:0-100>")
def security_level(ctx: CommandContext, m: Match) -> None:
    _current_interface(ctx).security_level = int(m["level"])


@command("config-if", "no security-level [<level:int:0-100>]")
def no_security_level(ctx: CommandContext, m: Match) -> None:
    _current_interface(ctx).security_level = None


@command("config-if", "ip address <address> <netmask> [standby <standby>]")
def ip_address(ctx: CommandContext, m: Match) -> None:
    current = _current_interface(ctx)
    current.ip_address, current.netmask = m["address"], m["netmask"]


@command("config-if", "no ip address [<address>] [<netmask>]")
def no_ip_address(ctx: CommandContext, m: Match) -> None:
    current = _current_interface(ctx)
    current.ip_address = current.netmask = None


@command("config-if", "shutdown")
def shutdown(ctx: CommandContext, m: Match) -> None:
    _current_interface(ctx).shutdown = True


@command("config-if", "no shutdown")
def no_shutdown(ctx: CommandContext, m: Match) -> None:
    _current_interface(ctx).shutdown = False
