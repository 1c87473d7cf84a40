"""``webvpn`` mode: which interfaces accept AnyConnect, and the client settings."""

from __future__ import annotations

from lab.emulator.cli.grammar import Match
from lab.emulator.cli.registry import CONFIG, command
from lab.emulator.cli.context import CommandContext, InvalidArgument

WEBVPN_MODE = "config-webvpn"


@command(CONFIG, "webvpn")
def webvpn(ctx: CommandContext, m: Match) -> None:
    ctx.device.webvpn.configured = True
    ctx.session.enter(WEBVPN_MODE)


@command(WEBVPN_MODE, "enable <nameif>")
def enable_interface(ctx: CommandContext, m: Match) -> None:
    nameif = m["nameif"]
    if nameif not in ctx.device.nameifs():
        raise InvalidArgument(m.line.rindex(nameif))
    enabled = ctx.device.webvpn.enabled_interfaces
    if nameif not in enabled:
        enabled.append(nameif)
        ctx.out(f"INFO: WebVPN and DTLS are enabled on '{nameif}'.")


@command(WEBVPN_MODE, "no enable <nameif>")
def disable_interface(ctx: CommandContext, m: Match) -> None:
    enabled = ctx.device.webvpn.enabled_interfaces
    if m["nameif"] in enabled:
        enabled.remove(m["nameif"])


@command(WEBVPN_MODE, "anyconnect enable")
def anyconnect_enable(ctx: CommandContext, m: Match) -> None:
    ctx.device.webvpn.anyconnect_enable = True


@command(WEBVPN_MODE, "no anyconnect enable")
def no_anyconnect_enable(ctx: CommandContext, m: Match) -> None:
    ctx.device.webvpn.anyconnect_enable = False


@command(WEBVPN_MODE, "tunnel-group-list enable")
def tunnel_group_list(ctx: CommandContext, m: Match) -> None:
    ctx.device.webvpn.tunnel_group_list_enable = True


@command(WEBVPN_MODE, "no tunnel-group-list enable")
def no_tunnel_group_list(ctx: CommandContext, m: Match) -> None:
    ctx.device.webvpn.tunnel_group_list_enable = False
