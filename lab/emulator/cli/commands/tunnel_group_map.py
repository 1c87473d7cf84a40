"""The global ``tunnel-group-map`` (certificate-to-group matching for IKE; asa-cli.md section 11).

Stored and shown; AnyConnect/SSL routing uses only ``webvpn`` / ``certificate-group-map``.
"""

from __future__ import annotations

from lab.emulator.cli.commands.tunnel_groups import unknown_tunnel_group
from lab.emulator.cli.context import CommandContext
from lab.emulator.cli.grammar import Match
from lab.emulator.cli.registry import CONFIG, command
from lab.emulator.device import CertificateGroupMap

_METHODS = "rules|ou|ike-id|peer-ip"


def _set_method(ctx: CommandContext, method: str, on: bool) -> None:
    settings = ctx.device.tunnel_group_map
    attribute = {
        "rules": "enable_rules",
        "ou": "enable_ou",
        "ike-id": "enable_ike_id",
        "peer-ip": "enable_peer_ip",
    }[method]
    setattr(settings, attribute, on)


@command(CONFIG, f"tunnel-group-map enable <method:{_METHODS}>")
def enable_method(ctx: CommandContext, m: Match) -> None:
    _set_method(ctx, m["method"], True)


@command(CONFIG, f"no tunnel-group-map enable <method:{_METHODS}>")
def disable_method(ctx: CommandContext, m: Match) -> None:
    _set_method(ctx, m["method"], False)


def _require_group(ctx: CommandContext, name: str) -> None:
    if ctx.device.tunnel_group(name) is None:
        raise unknown_tunnel_group(name)


@command(CONFIG, "tunnel-group-map <map> <sequence:int:1-65535> <tunnel_group>")
def map_rule(ctx: CommandContext, m: Match) -> None:
    _require_group(ctx, m["tunnel_group"])
    sequence = int(m["sequence"])
    entries = ctx.device.tunnel_group_map.entries
    # [DOC] CLIG: each map index may be referenced once; a new line replaces the old one.
    entries[:] = [e for e in entries if (e.map_name, e.sequence) != (m["map"], sequence)]
    entries.append(CertificateGroupMap(m["map"], sequence, m["tunnel_group"]))


@command(CONFIG, "no tunnel-group-map <map> <sequence:int:1-65535> [<tunnel_group>]")
def no_map_rule(ctx: CommandContext, m: Match) -> None:
    entries = ctx.device.tunnel_group_map.entries
    sequence = int(m["sequence"])
    entries[:] = [e for e in entries if (e.map_name, e.sequence) != (m["map"], sequence)]


@command(CONFIG, "tunnel-group-map [<sequence:int:1-65535>] default-group <tunnel_group>")
def default_group(ctx: CommandContext, m: Match) -> None:
    _require_group(ctx, m["tunnel_group"])
    settings = ctx.device.tunnel_group_map
    settings.default_group = m["tunnel_group"]
    sequence = m.get("sequence")
    settings.default_group_sequence = int(sequence) if sequence else None


@command(CONFIG, "no tunnel-group-map [<sequence:int:1-65535>] default-group [<tunnel_group>]")
def no_default_group(ctx: CommandContext, m: Match) -> None:
    settings = ctx.device.tunnel_group_map
    settings.default_group = None
    settings.default_group_sequence = None
