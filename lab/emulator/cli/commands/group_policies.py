"""``group-policy NAME internal|external`` and its ``attributes`` (and nested ``webvpn``).

The virtual ASA does not interpret these attributes; it keeps one line per attribute
so that the configuration shows and replays as typed.
"""

from __future__ import annotations

from lab.emulator.cli.commands._lines import remove_line, set_line
from lab.emulator.cli.commands._names import check_name
from lab.emulator.cli.context import CommandContext, CommandError
from lab.emulator.cli.grammar import Match
from lab.emulator.cli.registry import CONFIG, command
from lab.emulator.device import DEFAULT_GROUP_POLICY, GroupPolicy

POLICY_MODE = "config-group-policy"
POLICY_WEBVPN_MODE = "config-group-webvpn"

_ATTRIBUTES = (
    "vpn-tunnel-protocol|dns-server|wins-server|default-domain|split-tunnel-policy"
    "|split-tunnel-network-list|split-dns|address-pools|banner|vpn-idle-timeout"
    "|vpn-session-timeout|vpn-simultaneous-logins|group-lock|vpn-filter"
    "|ipv6-split-tunnel-policy|client-bypass-protocol|dhcp-network-scope"
)
_WEBVPN_ATTRIBUTES = "anyconnect|always-on-vpn|customization|homepage|url-list|filter"


@command(CONFIG, "group-policy <name> internal")
def group_policy(ctx: CommandContext, m: Match) -> None:
    name = check_name(m, "name")
    if name == DEFAULT_GROUP_POLICY:
        raise CommandError(f"ERROR: group-policy {name} is the default group-policy")
    ctx.device.group_policies.setdefault(name, GroupPolicy(name, "internal"))


@command(CONFIG, "group-policy <name> external server-group <server_group> [<rest...>]")
def group_policy_external(ctx: CommandContext, m: Match) -> None:
    name = check_name(m, "name")
    policy = ctx.device.group_policies.setdefault(name, GroupPolicy(name, "external"))
    policy.kind = "external"
    policy.external_server_group = " ".join(
        filter(None, (m["server_group"], " ".join((m.get("rest") or "").split())))
    )


@command(CONFIG, "no group-policy <name> [<rest...>]")
def no_group_policy(ctx: CommandContext, m: Match) -> None:
    name = m["name"]
    if not ctx.device.group_policy_exists(name):
        raise CommandError(f"ERROR: group-policy {name} does not exist")
    for group in ctx.device.tunnel_groups.values():
        if group.default_group_policy == name:
            raise CommandError(f"ERROR: group-policy {name} is in use by tunnel-group {group.name}")
    ctx.device.group_policies.pop(name, None)


@command(CONFIG, "group-policy <name> attributes")
def attributes(ctx: CommandContext, m: Match) -> None:
    name = m["name"]
    if name == DEFAULT_GROUP_POLICY:
        ctx.device.group_policies.setdefault(name, GroupPolicy(name, None))
    elif name not in ctx.device.group_policies:
        raise CommandError(f"ERROR: group-policy {name} does not exist")
    ctx.session.enter(POLICY_MODE, policy=name)


def _policy(ctx: CommandContext) -> GroupPolicy:
    name = ctx.mode.context["policy"]
    policy = ctx.device.group_policies.get(name)
    if policy is None:  # removed by another session while this one sat in its sub-mode
        raise CommandError(f"ERROR: group-policy {name} does not exist")
    return policy


@command(POLICY_MODE, f"<attribute:{_ATTRIBUTES}> <value...>")
def policy_attribute(ctx: CommandContext, m: Match) -> None:
    set_line(_policy(ctx).attribute_lines, " ".join(m.line.split()))


@command(POLICY_MODE, f"no <attribute:{_ATTRIBUTES}> [<value...>]")
def no_policy_attribute(ctx: CommandContext, m: Match) -> None:
    remove_line(_policy(ctx).attribute_lines, m["attribute"])


@command(POLICY_MODE, "webvpn")
def policy_webvpn(ctx: CommandContext, m: Match) -> None:
    ctx.session.push(POLICY_WEBVPN_MODE, policy=ctx.mode.context["policy"])


@command(POLICY_WEBVPN_MODE, f"<attribute:{_WEBVPN_ATTRIBUTES}> <value...>")
def policy_webvpn_attribute(ctx: CommandContext, m: Match) -> None:
    words = m.line.split()
    set_line(_policy(ctx).webvpn_lines, " ".join(words), words=2)


@command(POLICY_WEBVPN_MODE, f"no <attribute:{_WEBVPN_ATTRIBUTES}> [<value...>]")
def no_policy_webvpn_attribute(ctx: CommandContext, m: Match) -> None:
    value = (m.get("value") or "").split()
    remove_line(_policy(ctx).webvpn_lines, " ".join([m["attribute"], *value[:1]]))
