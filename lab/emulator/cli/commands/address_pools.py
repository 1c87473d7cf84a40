"""``ip local pool NAME FIRST-LAST [mask MASK]``: addresses for AnyConnect clients."""

from __future__ import annotations

import ipaddress

from lab.emulator.cli.commands._names import check_name
from lab.emulator.cli.context import CommandContext, CommandError, InvalidArgumentError
from lab.emulator.cli.grammar import Match
from lab.emulator.cli.registry import CONFIG, command
from lab.emulator.device import AddressPool


def _address(text: str) -> ipaddress.IPv4Address | None:
    try:
        return ipaddress.IPv4Address(text)
    except ValueError:
        return None


@command(CONFIG, "ip local pool <name> <range> [mask <mask>]")
def ip_local_pool(ctx: CommandContext, m: Match) -> None:
    check_name(m, "name")
    first_text, _, last_text = m["range"].partition("-")
    first = _address(first_text)
    last = _address(last_text) if last_text else first
    if first is None or last is None or last < first:
        raise InvalidArgumentError(m.line.index(m["range"]))
    mask = m.get("mask")
    if mask is not None:
        try:
            ipaddress.IPv4Network(f"0.0.0.0/{mask}")
        except ValueError:
            raise InvalidArgumentError(m.line.rindex(mask)) from None
    ctx.device.address_pools[m["name"]] = AddressPool(m["name"], str(first), str(last), mask)


@command(CONFIG, "no ip local pool <name> [<rest...>]")
def no_ip_local_pool(ctx: CommandContext, m: Match) -> None:
    if ctx.device.address_pools.pop(m["name"], None) is None:
        raise CommandError(f"ERROR: IP local pool {m['name']} does not exist")
