"""``webvpn`` mode: which interfaces accept AnyConnect, the group list, and the
certificate-to-connection-profile rules for SSL (``certificate-group-map``)."""

from __future__ import annotations

from lab.emulator.cli.commands._lines import remove_line, set_line
from lab.emulator.cli.context import CommandContext, InvalidArgumentError
from lab.emulator.cli.grammar import Match
from lab.emulator.cli.registry import CONFIG, command
from lab.emulator.device import CertificateGroupMap

WEBVPN_MODE = "config-webvpn"

#: [TOOL] NSA (their driver expects it verbatim, double space included).
CERTIFICATE_MAP_INFO = (
    "INFO: If a certificate map is configured ASA  will ask all users loading the logon page "
    "for a client certificate."
)


@command(CONFIG, "webvpn")
def webvpn(ctx: CommandContext, m: Match) -> None:
    ctx.device.webvpn.configured = True
    ctx.session.enter(WEBVPN_MODE)


@command(WEBVPN_MODE, "enable <nameif>")
def enable_interface(ctx: CommandContext, m: Match) -> None:
    nameif = m["nameif"]
    if nameif not in ctx.device.nameifs():
        raise InvalidArgumentError(m.line.rindex(nameif))
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


@command(WEBVPN_MODE, "anyconnect image <path> [<order:int:1-65535>]")
def anyconnect_image(ctx: CommandContext, m: Match) -> None:
    lines = ctx.device.webvpn.extra_lines
    remove_line(lines, f"anyconnect image {m['path']}")
    order = m.get("order") or str(
        1 + sum(1 for line in lines if line.startswith("anyconnect image"))
    )
    lines.append(f"anyconnect image {m['path']} {order}")


@command(WEBVPN_MODE, "no anyconnect image <path> [<order:int:1-65535>]")
def no_anyconnect_image(ctx: CommandContext, m: Match) -> None:
    remove_line(ctx.device.webvpn.extra_lines, f"anyconnect image {m['path']}")


@command(WEBVPN_MODE, "anyconnect-essentials", "csd enable", "cache <options...>")
def webvpn_other(ctx: CommandContext, m: Match) -> None:
    set_line(ctx.device.webvpn.extra_lines, " ".join(m.line.split()))


@command(WEBVPN_MODE, "tunnel-group-list enable")
def tunnel_group_list(ctx: CommandContext, m: Match) -> None:
    ctx.device.webvpn.tunnel_group_list_enable = True


@command(WEBVPN_MODE, "no tunnel-group-list enable")
def no_tunnel_group_list(ctx: CommandContext, m: Match) -> None:
    ctx.device.webvpn.tunnel_group_list_enable = False


@command(WEBVPN_MODE, "tunnel-group-preference group-url")
def tunnel_group_preference(ctx: CommandContext, m: Match) -> None:
    """Keyword from anyconnect-protocol.md section 9 [INFERENCE]: group-url first, then maps."""
    ctx.device.webvpn.prefer_group_url = True


@command(WEBVPN_MODE, "no tunnel-group-preference [group-url]")
def no_tunnel_group_preference(ctx: CommandContext, m: Match) -> None:
    ctx.device.webvpn.prefer_group_url = False


@command(WEBVPN_MODE, "certificate-group-map <map> <sequence:int:1-65535> <tunnel_group>")
def certificate_group_map(ctx: CommandContext, m: Match) -> None:
    # The tunnel-group is not checked: webvpn precedes the tunnel-group blocks in the
    # configuration, so a boot replays this line before the group exists.
    sequence = int(m["sequence"])
    maps = ctx.device.webvpn.certificate_group_maps
    maps[:] = [e for e in maps if (e.map_name, e.sequence) != (m["map"], sequence)]
    maps.append(CertificateGroupMap(m["map"], sequence, m["tunnel_group"]))
    ctx.out(CERTIFICATE_MAP_INFO)


@command(WEBVPN_MODE, "no certificate-group-map <map> <sequence:int:1-65535> [<tunnel_group>]")
def no_certificate_group_map(ctx: CommandContext, m: Match) -> None:
    sequence = int(m["sequence"])
    maps = ctx.device.webvpn.certificate_group_maps
    maps[:] = [e for e in maps if (e.map_name, e.sequence) != (m["map"], sequence)]
